"""প্রমাণক in the admin: titles, quarters and order can be corrected, through ``evidence.services.evidence_update``
(both quarters of a move open, history kept); files are added and checked only through
``evidence.services.evidence_attach`` (content, size, page count, SHA-256), never uploaded here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from base.bangla import format_code, to_bangla_digits
from evidence.models import Evidence
from evidence.services import evidence_update
from indicators.admin.common import ADMIN_REASON, CodeSearchMixin, IndicatorPlanFilter, ThroughServices
from indicators.models import EDITABLE_STATES


@admin.register(Evidence)
class EvidenceAdmin(ThroughServices, CodeSearchMixin, admin.ModelAdmin):
    list_display = (
        "title",
        "indicator_code",
        "plan_display",
        "quarter_display",
        "content_type",
        "page_count",
        "size_display",
        "uploaded_by",
        "uploaded_at",
    )
    list_select_related = ("indicator__plan__office", "indicator__plan__fiscal_year", "uploaded_by")
    list_filter = (IndicatorPlanFilter, "content_type", "quarter", "indicator__plan__fiscal_year")
    search_fields = ("title", "original_name", "sha256", "indicator__code", "indicator__plan__office__code")
    # The stored file is never linked from here: evidence is served only through the permission-checked view.
    fields = (
        "indicator",
        "quarter",
        "title",
        "position",
        "original_name",
        "content_type",
        "size",
        "page_count",
        "sha256",
        "uploaded_by",
        "uploaded_at",
    )
    readonly_fields = (
        "indicator",
        "original_name",
        "content_type",
        "size",
        "page_count",
        "sha256",
        "uploaded_by",
        "uploaded_at",
    )

    @admin.display(description=_("সূচক নং"), ordering="indicator__code")
    def indicator_code(self, obj: Evidence) -> str:
        return format_code(obj.indicator.code)

    @admin.display(description=_("কর্মপরিকল্পনা"), ordering="indicator__plan")
    def plan_display(self, obj: Evidence) -> str:
        return str(obj.indicator.plan)

    @admin.display(description=_("ত্রৈমাসিক"), ordering="quarter")
    def quarter_display(self, obj: Evidence) -> str:
        return to_bangla_digits(obj.quarter) if obj.quarter else "—"

    @admin.display(description=_("আকার"), ordering="size")
    def size_display(self, obj: Evidence) -> str:
        return filesizeformat(obj.size)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A file must pass the content checks of evidence_attach (DESIGN.md §5); the admin form would skip them.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Removal goes through evidence_remove (the officer's "remove" on the indicator page): it keeps a history
        # entry and deletes the stored file once committed. Deleting the row here would do neither.
        return False

    def has_change_permission(self, request: HttpRequest, obj: Evidence | None = None) -> bool:
        # Locked data stays locked (DESIGN.md §4): evidence of a submitted or approved quarter is read-only,
        # undated evidence once any period is.
        if obj is not None:
            periods = obj.indicator.plan.periods.exclude(state__in=EDITABLE_STATES)
            if obj.quarter is not None:
                periods = periods.filter(quarter=obj.quarter)
            if periods.exists():
                return False
        return super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Evidence, form, change: bool) -> None:
        data = form.cleaned_data
        stored = Evidence.objects.select_related("indicator__plan").get(pk=obj.pk)
        self.through_service(
            request,
            lambda: evidence_update(
                evidence=stored,
                title=data["title"],
                quarter=data.get("quarter"),
                position=data["position"],
                user=request.user,
                reason=str(ADMIN_REASON),
            ),
        )
