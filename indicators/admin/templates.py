"""Plan templates in the admin: read-only. A template is published through its service (``publish_template``
on the command line, ``indicators.services.next_year.template_publish``) and kept as it was published."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from base.bangla import to_bangla_digits
from indicators.models import PlanTemplate


@admin.register(PlanTemplate)
class PlanTemplateAdmin(admin.ModelAdmin):
    list_display = ("office", "fiscal_year", "indicators", "source", "published_at", "published_by")
    list_select_related = ("office", "fiscal_year", "published_by")
    readonly_fields = ("office", "fiscal_year", "source", "published_at", "published_by", "structure")

    @admin.display(description=_("সূচক"))
    def indicators(self, obj: PlanTemplate) -> str:
        return to_bangla_digits(obj.indicator_count)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: PlanTemplate | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: PlanTemplate | None = None) -> bool:
        return False
