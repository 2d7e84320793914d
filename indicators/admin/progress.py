"""Quarterly progress in the admin: a quarter corrected through ``progress_record`` (its locks and versions), the
progress sheet imported and exported through ``indicators.admin.sheets``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from base.bangla import format_code, to_bangla_digits
from base.errors import DomainError
from indicators.admin.common import (
    ADMIN_REASON,
    CodeSearchMixin,
    IndicatorPlanFilter,
    ThroughServices,
    TypedDates,
    plan_from_query,
    textarea,
)
from indicators.admin.sheets import ProgressSheetConfirmForm, ProgressSheetImportForm, SheetImportExportMixin
from indicators.models import EDITABLE_STATES, Indicator, Progress, Unit
from indicators.resources import ProgressSheetResource, progress_value_text
from indicators.services.progress import progress_check, progress_record


def _quarter_locked(indicator: Indicator, quarter: int) -> bool:
    return indicator.plan.periods.filter(quarter=quarter).exclude(state__in=EDITABLE_STATES).exists()


class ProgressAdminForm(forms.ModelForm):
    # The version the form was loaded with: the service refuses a save over a newer value (DESIGN.md §4),
    # as in the browser's in-place editor.
    loaded_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Progress
        fields = "__all__"  # noqa: DJ007 — the admin chooses the fields it shows
        widgets = {"remark": textarea(3, 80)}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        indicator = cleaned.get("indicator") or getattr(self.instance, "indicator", None)
        quarter = cleaned.get("quarter") or self.instance.quarter
        number, date = cleaned.get("value_number"), cleaned.get("value_date")
        if indicator is None or quarter is None:
            return cleaned
        # The value goes in the column of the indicator's unit (the database allows only one of them).
        if indicator.unit == Unit.DATE and number is not None:
            self.add_error("value_number", _("এই সূচকের একক তারিখ: অর্জন তারিখের ঘরে লিখুন।"))
            return cleaned
        if indicator.unit != Unit.DATE and date is not None:
            self.add_error("value_date", _("এই সূচকের একক তারিখ নয়: অর্জন সংখ্যা/% ঘরে লিখুন।"))
            return cleaned
        if quarter in (1, 2, 3, 4) and _quarter_locked(indicator, quarter):
            self.add_error("quarter", _("এই ত্রৈমাসিক দাখিল বা অনুমোদিত হয়েছে; এর তথ্য বদলানো যাবে না।"))
        # The service's own checks (value type and size, applicability, the remark's length).
        try:
            cleaned["remark"] = progress_check(
                indicator=indicator,
                quarter=quarter,
                value=date if date is not None else number,
                remark=cleaned.get("remark") or "",
            )
        except DomainError as error:
            self.add_error(None, error.user_message)
        return cleaned


@admin.register(Progress)
class ProgressAdmin(TypedDates, ThroughServices, CodeSearchMixin, SheetImportExportMixin, admin.ModelAdmin):
    form = ProgressAdminForm
    list_display = (
        "indicator_code",
        "plan_display",
        "quarter_display",
        "value_display",
        "remark_short",
        "recorded_by",
        "recorded_at",
    )
    list_select_related = ("indicator__plan__office", "indicator__plan__fiscal_year", "recorded_by")
    list_filter = (IndicatorPlanFilter, "quarter", "indicator__plan__fiscal_year")
    search_fields = ("indicator__code", "indicator__title", "indicator__plan__office__code", "remark")
    autocomplete_fields = ("indicator",)
    fields = ("indicator", "quarter", "value_number", "value_date", "remark", "recorded_by", "recorded_at")
    readonly_fields = ("recorded_by", "recorded_at")
    actions = ("export_selected_xlsx",)

    resource_classes = [ProgressSheetResource]
    import_form_class = ProgressSheetImportForm
    confirm_form_class = ProgressSheetConfirmForm
    import_permissions = (
        "indicators.add_progress",
        "indicators.change_progress",
        "indicators.delete_progress",
        "indicators.change_indicator",
    )
    import_autocomplete = {"plan": Indicator._meta.get_field("plan")}
    import_page_title = _("ত্রৈমাসিক অগ্রগতির ছক আমদানি")
    import_help = _(
        "একটি কর্মপরিকল্পনার অগ্রগতি: সূচক নং, ত্রৈমাসিক, অর্জন, মন্তব্য, প্রযোজ্যতা (DESIGN.md §৭)। "
        "কমান্ড লাইনের import_progress-এর একই যাচাই: কোনো ত্রুটি থাকলে কিছুই সংরক্ষণ হয় না। ছকে নেই এমন "
        "ত্রৈমাসিক যেমন আছে তেমন থাকে; অর্জন ও মন্তব্য দুটিই খালি এমন সারি সেই ত্রৈমাসিক মুছে দেয়।"
    )
    export_page_title = _("ত্রৈমাসিক অগ্রগতির ছক রপ্তানি")
    export_file_stem = "progress"
    export_plan_lookup = "indicator__plan_id"

    @admin.display(description=_("সূচক নং"), ordering="indicator__code")
    def indicator_code(self, obj: Progress) -> str:
        return format_code(obj.indicator.code)

    @admin.display(description=_("কর্মপরিকল্পনা"), ordering="indicator__plan")
    def plan_display(self, obj: Progress) -> str:
        return str(obj.indicator.plan)

    @admin.display(description=_("ত্রৈমাসিক"), ordering="quarter")
    def quarter_display(self, obj: Progress) -> str:
        return to_bangla_digits(obj.quarter)

    @admin.display(description=_("অর্জন"))
    def value_display(self, obj: Progress) -> str:
        return progress_value_text(obj.indicator.unit, obj.value) or "—"

    @admin.display(description=_("মন্তব্য"))
    def remark_short(self, obj: Progress) -> str:
        return Truncator(obj.remark).chars(60)

    def get_readonly_fields(self, request: HttpRequest, obj: Progress | None = None) -> tuple[str, ...]:
        # A row is one indicator's one quarter: correcting it never moves it to another.
        return (*self.readonly_fields, "indicator", "quarter") if obj is not None else self.readonly_fields

    def has_change_permission(self, request: HttpRequest, obj: Progress | None = None) -> bool:
        if obj is not None and _quarter_locked(obj.indicator, obj.quarter):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Progress | None = None) -> bool:
        # A quarter is cleared, not deleted: empty value and remark, saved through the service, which keeps
        # the row so its version counts on (DESIGN.md §4) and records the clearing in the history.
        return False

    def save_model(self, request: HttpRequest, obj: Progress, form: forms.ModelForm, change: bool) -> None:
        data = form.cleaned_data
        indicator = obj.indicator if change else data["indicator"]
        indicator = Indicator.objects.select_related("plan").get(pk=indicator.pk)
        saved = self.through_service(
            request,
            lambda: progress_record(
                indicator=indicator,
                quarter=obj.quarter,
                value=obj.value,
                remark=data.get("remark") or "",
                user=request.user,
                expected_version=data.get("loaded_version") if change else None,
                reason=str(ADMIN_REASON),
            ),
        )
        if saved is not None and saved.progress is not None:
            obj.pk = saved.progress.pk  # the admin's log and redirect name the row the service wrote

    def import_target(self, cleaned_data: dict[str, Any]) -> dict[str, Any]:
        return {"plan": cleaned_data["plan"]}

    def get_import_form_initial(self, request: HttpRequest) -> dict[str, Any]:
        plan = plan_from_query(request)
        return {"plan": plan} if plan is not None else {}
