"""The Django admin (in Bangla): offices and roles, fiscal years, plans, areas, activities, indicators, progress.

Plans, areas, activities and indicators are created by importing a plan sheet (the Import button on the
indicator list, the same service as ``import_plan``), never one by one: the sheet is where the weights of an
area are checked against its marks (DESIGN.md §2). In the admin the weights are changed together, on the
plan's page, whose inline refuses any set of weights that breaks an area's sum.
"""

from __future__ import annotations

import logging
import os
from collections import defaultdict
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, QuerySet, Sum
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from import_export.admin import ExportMixin, ImportMixin
from import_export.forms import ConfirmImportForm, ExportForm, ImportForm
from import_export.results import RowResult

from base.bangla import fiscal_year_label, format_code, to_ascii_digits, to_bangla_digits
from base.errors import DomainError, localized
from base.uploadhandlers import UploadLimit, declared_too_large
from indicators import parsing
from indicators.models import (
    EDITABLE_STATES,
    TARGET_LEVELS,
    ActionPlan,
    Activity,
    FiscalYear,
    Indicator,
    Office,
    OfficeMembership,
    PerformanceArea,
    Progress,
    Unit,
)
from indicators.resources import (
    SHEET_FORMATS,
    PlanSheetResource,
    ProgressSheetResource,
    SheetImportResult,
    SheetXLSX,
    progress_value_text,
)
from indicators.services import structure
from indicators.services.progress import (
    applicability_check,
    indicator_set_applicability,
    progress_check,
    progress_record,
)
from indicators.uploads import check_sheet_bytes, check_sheet_size, sheet_too_large

logger = logging.getLogger(__name__)

User = get_user_model()


def _textarea(rows: int = 2, cols: int = 60) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "cols": cols})


# ---------------------------------------------------------------------------------------------------------
# Shared pieces


class PlanListFilter(admin.SimpleListFilter):
    """Filter by plan (what an export needs: one plan at a time).

    Offices under APA number in the tens of thousands, so the sidebar lists every plan only while there are
    few; otherwise it shows the chosen one (reached from the plan list's links) and search narrows the rest.
    """

    title = _("কর্মপরিকল্পনা")
    parameter_name = "plan"
    plan_lookup = "plan_id"
    max_listed = 100

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[int, str]]:
        plans = ActionPlan.objects.select_related("office", "fiscal_year")
        listed = list(plans[: self.max_listed + 1])
        if len(listed) > self.max_listed:
            listed = list(plans.filter(pk=self.value())) if self.value() else []
        return [(plan.pk, str(plan)) for plan in listed]

    def value(self) -> str | None:
        value = super().value()
        return value if value and value.isdigit() else None

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            return queryset.filter(**{self.plan_lookup: self.value()})
        return queryset


class IndicatorPlanFilter(PlanListFilter):
    plan_lookup = "indicator__plan_id"


class CodeSearchMixin:
    """Codes are stored as ``1.2.2``; let people search the way they write them, ``[১.২.২]`` too."""

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        search_term = to_ascii_digits(search_term).replace("[", " ").replace("]", " ")
        return super().get_search_results(request, queryset, search_term)


def _code_display(obj: Any) -> str:
    return format_code(obj.code)


def _changelist_url(model: type, **params: Any) -> str:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


#: The reason the history gives for a change made in the admin.
ADMIN_REASON = _("প্রশাসনের পাতায় পরিবর্তন")


class _Refused(Exception):
    """A service refused a write of an admin page; the whole request is undone."""


class ThroughServices:
    """Writes of an admin page go through the services (DESIGN.md §4 "One write path": the same locks,
    versions, lock rules and history as the browser and the sheet import), never through ``Model.save``.

    The forms check what they can beside their fields; a service may still refuse under its locks (someone
    submitted a quarter, or saved a newer value, meanwhile). Then nothing of the request is kept — the
    exception leaves the admin's transaction, which is rolled back — and the page comes back with the reason."""

    def through_service(self, request: HttpRequest, call):
        try:
            return call()
        except DomainError as error:
            messages.error(request, error.user_message)
            raise _Refused from error

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().changeform_view(request, *args, **kwargs)
        except _Refused:
            return HttpResponseRedirect(request.get_full_path())

    def get_actions(self, request: HttpRequest):
        # Django's "delete selected" deletes rows with QuerySet.delete(): no service, no history.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


def _indicator_changes(indicator: Indicator, **overrides: Any) -> structure.IndicatorChanges:
    """An indicator's changeable settings as they are, with ``overrides``."""
    values = {
        "title": indicator.title,
        "position": indicator.position,
        "calc_method": indicator.calc_method,
        "scoring_method": indicator.scoring_method,
        "direction": indicator.direction,
        "targets": {level: indicator.target(level) for level in TARGET_LEVELS},
    }
    values.update(overrides)
    return structure.IndicatorChanges(**values)


# ---------------------------------------------------------------------------------------------------------
# Offices, roles, fiscal years


class OfficeMembershipInline(admin.TabularInline):
    model = OfficeMembership
    fields = ("user", "role")
    autocomplete_fields = ("user",)
    extra = 0
    verbose_name_plural = _("এই দপ্তরে ব্যবহারকারীদের ভূমিকা")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("user")


def _https_by_default(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")  # government websites are served over https
    return db_field.formfield(**kwargs)


class OfficeAdminForm(forms.ModelForm):
    class Meta:
        model = Office
        fields = "__all__"  # noqa: DJ007 — the admin chooses the fields it shows
        formfield_callback = _https_by_default

    def clean_parent(self) -> Office | None:
        parent = self.cleaned_data.get("parent")
        if parent is not None and self.instance.pk is not None:
            # The database refuses only an office that is its own parent; a longer cycle would make the
            # office its own ancestor and send its reports round in a circle.
            chain = [parent, *parent.ancestors()]
            if any(office.pk == self.instance.pk for office in chain):
                raise ValidationError(
                    _("ঊর্ধ্বতন দপ্তরের সম্পর্কে চক্র তৈরি হয় (দপ্তরটি নিজেই নিজের ঊর্ধ্বতন হয়ে যায়)।")
                )
        return parent


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    form = OfficeAdminForm
    list_display = ("code", "name_bn", "name_en", "kind", "parent")
    list_select_related = ("parent",)
    list_filter = ("kind",)
    search_fields = ("code", "name_bn", "name_en")
    autocomplete_fields = ("parent",)
    inlines = (OfficeMembershipInline,)
    # The admin builds its form's fields with its own callback (not the form's), through these overrides.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("code", "name_bn", "name_en", "kind", "parent")}),
        (_("প্রেরণপত্রের জন্য"), {"fields": ("wing_bn", "address_bn", "website", "memo_prefix")}),
    )


@admin.register(OfficeMembership)
class OfficeMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "office", "role")
    list_select_related = ("user", "office")
    list_filter = ("role",)
    search_fields = (
        "user__username",
        "user__first_name",
        "user__last_name",
        "office__code",
        "office__name_bn",
    )
    autocomplete_fields = ("user", "office")


class MembershipOfUserInline(admin.TabularInline):
    model = OfficeMembership
    fields = ("office", "role")
    autocomplete_fields = ("office",)
    extra = 0
    verbose_name_plural = _("দপ্তরে ভূমিকাসমূহ")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("office")


# The user's roles are edited on the user's page as well as on the office's.
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = (*DjangoUserAdmin.inlines, MembershipOfUserInline)


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin):
    list_display = ("__str__", "code", "starts_on", "ends_on")
    search_fields = ("start_year",)

    def get_readonly_fields(self, request: HttpRequest, obj: FiscalYear | None = None) -> tuple[str, ...]:
        # Plans hang on the year; renumbering it would silently move them to another year.
        return ("start_year",) if obj is not None else ()


# ---------------------------------------------------------------------------------------------------------
# The plan page: areas and the indicators' weights, changed together


def _check_applicability(form: forms.ModelForm, cleaned: dict[str, Any]) -> None:
    """The checks of ``indicator_set_applicability`` that a form can say beside its field: a reason
    (within its limit) when not applicable, and no achievements."""
    applicable = cleaned.get("applicable")
    if applicable is None:
        return
    try:
        cleaned["not_applicable_reason"] = applicability_check(
            applicable=applicable, reason=cleaned.get("not_applicable_reason") or ""
        )
    except DomainError as error:
        form.add_error("not_applicable_reason", error.user_message)
    if (
        applicable is False
        and form.instance.pk
        and Progress.objects.filter(indicator_id=form.instance.pk).with_value().exists()
    ):
        form.add_error("applicable", _("এই সূচকের অর্জন লেখা আছে; প্রযোজ্য নয় করার আগে অর্জন মুছুন।"))


class IndicatorWeightForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ("title", "weight", "applicable", "not_applicable_reason")
        widgets = {"title": _textarea(), "not_applicable_reason": _textarea(2, 30)}

    def clean_weight(self) -> Decimal:
        weight = self.cleaned_data["weight"]
        if weight is not None and weight <= 0:
            raise ValidationError(_("সূচকের মান ০-এর বেশি হতে হবে।"))
        return weight

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        _check_applicability(self, cleaned)
        return cleaned


class IndicatorWeightsFormSet(BaseInlineFormSet):
    """DESIGN.md §2: the indicator weights of an area sum to the area's marks (``structure.weights_check``,
    the check ``structure.plan_weights_update`` makes again under the plan's lock)."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        weights = {
            form.instance.pk: form.cleaned_data.get("weight", form.instance.weight)
            for form in self.forms
            if getattr(form, "cleaned_data", None) is not None and form.instance.pk
        }
        problems = structure.weights_check(self.instance, weights)
        if problems:
            raise ValidationError([localized(bn, en) for bn, en in problems])

    def weights(self) -> dict[int, Decimal]:
        """The weights of the forms that changed one."""
        return {
            form.instance.pk: form.cleaned_data["weight"]
            for form in self.forms
            if form.instance.pk and "weight" in form.changed_data
        }


class IndicatorWeightInline(admin.TabularInline):
    model = Indicator
    form = IndicatorWeightForm
    formset = IndicatorWeightsFormSet
    fields = ("code_display", "title", "weight", "applicable", "not_applicable_reason")
    readonly_fields = ("code_display",)
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("সূচক ও তাদের মান (প্রতি ক্ষেত্রে সূচকের মানের যোগফল = ক্ষেত্রের মান)")

    @admin.display(description=_("সূচক নং"))
    def code_display(self, obj: Indicator) -> str:
        return _code_display(obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("activity").order_by("position")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ActionPlan | None = None) -> bool:
        if obj is not None and _plan_locked(obj):
            return False
        return super().has_change_permission(request, obj)


class AreaInline(admin.TabularInline):
    model = PerformanceArea
    fields = ("code_display", "title", "marks", "weight_sum")
    readonly_fields = ("code_display", "marks", "weight_sum")
    extra = 0
    can_delete = False
    verbose_name_plural = _("কর্মসম্পাদন ক্ষেত্রসমূহ")

    @admin.display(description=_("ক্ষেত্র নং"))
    def code_display(self, obj: PerformanceArea) -> str:
        return _code_display(obj)

    @admin.display(description=_("সূচকের মানের যোগফল"))
    def weight_sum(self, obj: PerformanceArea) -> Decimal:
        return obj.weight_sum or Decimal(0)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(weight_sum=Sum("activities__indicators__weight"))
            .order_by("position")
        )

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any):
        kwargs.setdefault("widgets", {"title": _textarea()})
        return super().get_formset(request, obj, **kwargs)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ActionPlan | None = None) -> bool:
        if obj is not None and _plan_locked(obj):
            return False
        return super().has_change_permission(request, obj)


PLAN_PAGE_HELP = _(
    "নতুন কর্মপরিকল্পনা, ক্ষেত্র, কার্যক্রম ও সূচক এখানে একটি একটি করে যোগ করা যায় না: "
    "সূচকের তালিকার 'আমদানি' বোতাম দিয়ে কর্মপরিকল্পনার ছক (CSV/XLSX) আমদানি করুন "
    "(কমান্ড লাইনের import_plan-এর একই যাচাই)। ক্ষেত্রের মান আমদানিতেই ঠিক হয়; "
    "সূচকের মান এই পাতায় একসঙ্গে বদলান — প্রতি ক্ষেত্রে সূচকের মানের যোগফল ক্ষেত্রের মানের সমান হতে হবে।"
)


@admin.register(ActionPlan)
class ActionPlanAdmin(ThroughServices, admin.ModelAdmin):
    list_display = ("office", "fiscal_year", "indicator_link", "progress_link", "updated_at")
    list_select_related = ("office", "fiscal_year")
    list_filter = ("fiscal_year", "office__kind")
    search_fields = ("office__code", "office__name_bn", "office__name_en")
    readonly_fields = ("office", "fiscal_year", "created_at", "updated_at", "sheet_links")
    inlines = (AreaInline, IndicatorWeightInline)

    def get_fieldsets(self, request: HttpRequest, obj: ActionPlan | None = None):
        return ((None, {"fields": self.readonly_fields, "description": PLAN_PAGE_HELP}),)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # With GROUP BY the model's default ordering is dropped; the autocomplete pages results, so keep it.
        return (
            super()
            .get_queryset(request)
            .annotate(indicator_count=Count("indicators"))
            .order_by(*ActionPlan._meta.ordering)
        )

    @admin.display(description=_("সূচক"), ordering="indicator_count")
    def indicator_link(self, obj: ActionPlan) -> str:
        return format_html(
            '<a href="{}">{}টি সূচক</a>',
            _changelist_url(Indicator, plan=obj.pk),
            to_bangla_digits(obj.indicator_count),
        )

    @admin.display(description=_("অগ্রগতি"))
    def progress_link(self, obj: ActionPlan) -> str:
        return format_html('<a href="{}">{}</a>', _changelist_url(Progress, plan=obj.pk), _("অগ্রগতি দেখুন"))

    @admin.display(description=_("ছক আমদানি ও রপ্তানি"))
    def sheet_links(self, obj: ActionPlan) -> str:
        links = [
            (_changelist_url(Indicator, plan=obj.pk), _("সূচকের তালিকা ও কর্মপরিকল্পনার ছক রপ্তানি")),
            (
                reverse("admin:indicators_indicator_import") + f"?plan={obj.pk}",
                _("কর্মপরিকল্পনার ছক আবার আমদানি (প্রতিস্থাপন)"),
            ),
            (_changelist_url(Progress, plan=obj.pk), _("অগ্রগতির তালিকা ও ছক রপ্তানি")),
            (reverse("admin:indicators_progress_import") + f"?plan={obj.pk}", _("অগ্রগতির ছক আমদানি")),
        ]
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        """The inlines' changes go through the services (DESIGN.md §4 "One write path"): area titles through
        ``structure.area_update``, indicator titles through ``structure.indicator_update``, the weights
        together through ``structure.plan_weights_update``, applicability through
        ``indicator_set_applicability``."""
        plan = form.instance
        reason = str(ADMIN_REASON)
        # What the admin's change message reports (formset.save() would set these).
        formset.new_objects, formset.deleted_objects = [], []
        formset.changed_objects = [
            (f.instance, f.changed_data) for f in formset.forms if f.instance.pk and f.has_changed()
        ]
        for inline_form in formset.forms:
            if not inline_form.instance.pk or not inline_form.has_changed():
                continue
            obj, data = inline_form.instance, inline_form.cleaned_data
            if formset.model is PerformanceArea:
                self.through_service(
                    request,
                    lambda obj=obj, data=data: structure.area_update(
                        area=obj, title=data["title"], position=obj.position, user=request.user, reason=reason
                    ),
                )
                continue
            if "title" in inline_form.changed_data:
                self.through_service(
                    request,
                    lambda obj=obj, data=data: structure.indicator_update(
                        indicator=obj,
                        changes=_indicator_changes(obj, title=data["title"]),
                        user=request.user,
                        reason=reason,
                    ),
                )
            if {"applicable", "not_applicable_reason"} & set(inline_form.changed_data):
                self.through_service(
                    request,
                    lambda obj=obj, data=data: indicator_set_applicability(
                        indicator=obj,
                        applicable=data["applicable"],
                        reason=data.get("not_applicable_reason") or "",
                        user=request.user,
                    ),
                )
        if formset.model is Indicator and formset.weights():
            self.through_service(
                request,
                lambda: structure.plan_weights_update(
                    plan=plan, weights=formset.weights(), user=request.user, reason=reason
                ),
            )

    def save_model(self, request: HttpRequest, obj: ActionPlan, form, change: bool) -> None:
        """Nothing of the plan itself is edited here (office and year are read-only); its inlines are."""

    def get_deleted_objects(self, objs, request: HttpRequest):
        # Areas, activities and indicators cannot be deleted one by one (that would break an area's sum), but
        # they go with their plan: only the model permissions are needed for that, not the per-page rule.
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        for model in (PerformanceArea, Activity, Indicator):
            opts = model._meta
            if request.user.has_perm(f"{opts.app_label}.delete_{opts.model_name}"):
                perms_needed.discard(opts.verbose_name)
        return deleted, model_count, perms_needed, protected


class PerformanceAreaAdminForm(forms.ModelForm):
    class Meta:
        model = PerformanceArea
        fields = "__all__"  # noqa: DJ007 — the admin chooses the fields it shows
        help_texts = {
            "marks": _("ক্ষেত্রের মান কর্মপরিকল্পনার ছক আমদানির সময় ঠিক হয়; বদলাতে ছকটি আবার আমদানি করুন (প্রতিস্থাপন)।")
        }
        widgets = {"title": _textarea()}


class CreatedByImportOnly(ThroughServices):
    """Areas, activities and indicators come from a plan sheet and go with their plan: one by one they can
    be corrected, not added or deleted (that would break an area's weight sum), and only while no quarter
    is submitted (``structure``: the plan's structure decides every quarter's marks)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and _plan_locked(obj.plan):
            return False
        return super().has_change_permission(request, obj)


@admin.register(PerformanceArea)
class PerformanceAreaAdmin(CreatedByImportOnly, CodeSearchMixin, admin.ModelAdmin):
    form = PerformanceAreaAdminForm
    list_display = ("code_display", "title", "marks", "plan")
    list_select_related = ("plan__office", "plan__fiscal_year")
    list_filter = (PlanListFilter, "plan__fiscal_year")
    search_fields = ("code", "title", "plan__office__code", "plan__office__name_bn")
    fields = ("plan", "code", "title", "marks", "position")
    readonly_fields = ("plan", "code", "marks")

    def save_model(self, request: HttpRequest, obj: PerformanceArea, form, change: bool) -> None:
        data = form.cleaned_data
        self.through_service(
            request,
            lambda: structure.area_update(
                area=obj,
                title=data["title"],
                position=data["position"],
                user=request.user,
                reason=str(ADMIN_REASON),
            ),
        )

    @admin.display(description=_("ক্ষেত্র নং"), ordering="code")
    def code_display(self, obj: PerformanceArea) -> str:
        return _code_display(obj)


@admin.register(Activity)
class ActivityAdmin(CreatedByImportOnly, CodeSearchMixin, admin.ModelAdmin):
    list_display = ("code_display", "title", "area", "plan")
    list_select_related = ("area", "plan__office", "plan__fiscal_year")
    list_filter = (PlanListFilter, "plan__fiscal_year")
    search_fields = ("code", "title", "plan__office__code", "plan__office__name_bn")
    fields = ("plan", "area", "code", "title", "position")
    readonly_fields = ("plan", "area", "code")

    def save_model(self, request: HttpRequest, obj: Activity, form, change: bool) -> None:
        data = form.cleaned_data
        self.through_service(
            request,
            lambda: structure.activity_update(
                activity=obj,
                title=data["title"],
                position=data["position"],
                user=request.user,
                reason=str(ADMIN_REASON),
            ),
        )

    @admin.display(description=_("কার্যক্রম নং"), ordering="code")
    def code_display(self, obj: Activity) -> str:
        return _code_display(obj)


# ---------------------------------------------------------------------------------------------------------
# Import and export through our services


class _SheetFileCheck:
    """The uploaded sheet is checked by content (``indicators.uploads``, as on the command line) while the
    form is validated, so a refused file never reaches import-export's temporary copy. ``upload_refusal``
    is what ``UploadLimit`` refused while the request was received (the file itself is then missing)."""

    def __init__(self, *args: Any, upload_refusal: str = "", **kwargs: Any):
        self.upload_refusal = upload_refusal
        super().__init__(*args, **kwargs)

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if self.upload_refusal:
            return upload  # dropped or closed while it arrived; clean() says why
        try:
            check_sheet_size(upload.size)
            data = b"".join(upload.chunks())
            check_sheet_bytes(data, name=upload.name or "")
        except DomainError as error:
            raise ValidationError(error.message) from error
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.upload_refusal:
            self._errors.pop("import_file", None)  # "required": the file was dropped for this reason
            self.add_error("import_file", self.upload_refusal)
        return cleaned


class _ImportFormLabels:
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["import_file"].label = _("ফাইল (CSV বা XLSX)")
        self.fields["format"].label = _("ফাইলের ধরন")
        self.fields["resource"].label = _("ছক")


class PlanTargetForm(forms.Form):
    """Where a plan sheet goes: an office, a fiscal year, and whether it replaces the plan already there."""

    office = forms.ModelChoiceField(queryset=Office.objects.all(), label=_("দপ্তর"))
    fiscal_year = forms.CharField(
        label=_("অর্থবছর"), max_length=32, help_text=_("যেমন ২০২২-২৩ বা 2022-23 (জুলাই থেকে জুন)")
    )
    replace = forms.BooleanField(
        label=_("বিদ্যমান কর্মপরিকল্পনা প্রতিস্থাপন করুন"),
        required=False,
        help_text=_(
            "সূচক নম্বর মিলিয়ে হালনাগাদ হয়, তাই রাখা সূচকের অগ্রগতি থেকে যায়; ছকে নেই এমন সূচক বাদ যায় "
            "(প্রমাণক থাকলে আমদানি হবে না)।"
        ),
    )

    def clean_fiscal_year(self) -> str:
        raw = self.cleaned_data["fiscal_year"]
        try:
            start, _end = parsing.parse_fiscal_year(raw)
        except parsing.CellError as error:
            raise ValidationError(error.message_bn) from error
        return fiscal_year_label(start, bangla=False)


class PlanSheetImportForm(_SheetFileCheck, _ImportFormLabels, PlanTargetForm, ImportForm):
    field_order = ["resource", "office", "fiscal_year", "replace", "import_file", "format"]

    def clean(self) -> dict[str, Any]:
        # Said on the form before the file is read; the service refuses it too.
        cleaned = super().clean()
        office, year = cleaned.get("office"), cleaned.get("fiscal_year")
        if office and year and not cleaned.get("replace"):
            start_year, _end = parsing.parse_fiscal_year(year)
            if ActionPlan.objects.filter(office=office, fiscal_year__start_year=start_year).exists():
                self.add_error(
                    "replace",
                    _(
                        "%(office)s-এর %(year)s অর্থবছরের কর্মপরিকল্পনা আগেই আছে; "
                        "বদলাতে চাইলে 'প্রতিস্থাপন করুন' বেছে নিন।"
                    )
                    % {"office": office.name_bn, "year": to_bangla_digits(year)},
                )
        return cleaned


class PlanSheetConfirmForm(PlanTargetForm, ConfirmImportForm):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in ("office", "fiscal_year", "replace"):
            self.fields[name].widget = forms.HiddenInput()


class ProgressTargetForm(forms.Form):
    plan = forms.ModelChoiceField(
        queryset=ActionPlan.objects.select_related("office", "fiscal_year"), label=_("কর্মপরিকল্পনা")
    )


class ProgressSheetImportForm(_SheetFileCheck, _ImportFormLabels, ProgressTargetForm, ImportForm):
    field_order = ["resource", "plan", "import_file", "format"]


class ProgressSheetConfirmForm(ProgressTargetForm, ConfirmImportForm):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["plan"].widget = forms.HiddenInput()


def _sheet_too_large_message() -> str:
    return sheet_too_large().message


LOG_ACTIONS = {
    RowResult.IMPORT_TYPE_NEW: (ADDITION, _("ছক আমদানিতে যোগ হয়েছে")),
    RowResult.IMPORT_TYPE_UPDATE: (CHANGE, _("ছক আমদানিতে হালনাগাদ হয়েছে")),
    RowResult.IMPORT_TYPE_DELETE: (DELETION, _("ছক আমদানিতে মুছে ফেলা হয়েছে")),
}


class SheetImportExportMixin(ImportMixin, ExportMixin):
    """Import and export of one exchange sheet through our services; see ``indicators.resources``."""

    import_formats = SHEET_FORMATS
    export_formats = SHEET_FORMATS
    import_export_change_list_template = "admin/indicators/change_list_sheet.html"
    import_template_name = "admin/indicators/sheet_import.html"
    export_template_name = "admin/indicators/sheet_export.html"
    export_form_class = ExportForm  # the sheet is exported whole: choosing columns would break the format
    import_error_display = ("message",)

    #: permissions that importing needs, since an import adds, changes and removes rows
    import_permissions: tuple[str, ...] = ()
    #: {import form field: the model field whose admin autocomplete serves it}
    import_autocomplete: dict[str, Any] = {}
    import_page_title = ""
    import_help = ""
    export_page_title = ""
    #: the export's file name, ``<stem>-<office>-<year>.<ext>``, and how a row reaches its plan
    export_file_stem = ""
    export_plan_lookup = "plan_id"

    # -- permissions

    def has_import_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perms(self.import_permissions)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    # -- receiving the file: size limit while it arrives, content check on the form, no copy left behind

    def get_urls(self):
        name = "{}_{}_import".format(*self.get_model_info())
        urls = [url for url in super().get_urls() if getattr(url, "name", None) != name]
        return [path("import/", self._import_view_with_upload_limit(), name=name), *urls]

    def _import_view_with_upload_limit(self):
        """The import page, with ``UploadLimit`` installed before the body is read: the view is
        ``csrf_exempt`` and the admin's own wrapper (sign-in, permission, CSRF) runs after the handler is
        in place. A body whose declared length is already too large is refused without being read."""
        protected = self.admin_site.admin_view(self.import_action)

        @csrf_exempt
        def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if (
                request.method == "POST"
                and self.admin_site.has_permission(request)
                and self.has_import_permission(request)
            ):
                if declared_too_large(request, settings.SHEET_MAX_BYTES):
                    messages.error(request, _sheet_too_large_message())
                    return HttpResponseRedirect(request.get_full_path())
                request.upload_handlers.insert(0, UploadLimit(request, max_bytes=settings.SHEET_MAX_BYTES))
            return protected(request, *args, **kwargs)

        return view

    def get_import_form_kwargs(self, request: HttpRequest) -> dict[str, Any]:
        kwargs = super().get_import_form_kwargs(request)  # reads the body, through UploadLimit
        limit = next((h for h in request.upload_handlers if isinstance(h, UploadLimit)), None)
        refusal = limit.refusal(too_large=_sheet_too_large_message()) if limit is not None else ""
        if refusal:
            kwargs["upload_refusal"] = refusal
        return kwargs

    def import_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        # import-export keeps the upload in a temporary file for the confirmation; when there is nothing
        # to confirm (the sheet was refused, or checking it raised) the copy would stay behind for good
        # (issue 11: temporary upload files are removed when a request fails).
        try:
            response = super().import_action(request, **kwargs)
        except BaseException:
            self._tmp_copy_remove(self._tmp_copy_name(request))
            raise
        context = getattr(response, "context_data", None) or {}
        if context.get("confirm_form") is None:
            self._tmp_copy_remove(self._tmp_copy_name(request))
        return response

    @staticmethod
    def _tmp_copy_name(request: HttpRequest) -> str:
        """The name import-export gave the copy of this request's sheet ("" if it made none). Only a body
        already parsed is looked at (``_files``, as request.close() does): request.FILES would read one that
        the view never read, say after a permission refusal."""
        parsed = getattr(request, "_files", None)
        upload = parsed.get("import_file") if parsed is not None else None
        return getattr(upload, "tmp_storage_name", "") or ""

    def _tmp_copy_remove(self, name: str) -> None:
        if not name:
            return
        storage = self.get_tmp_storage_class()(name=name, **self.get_tmp_storage_class_kwargs())
        try:
            storage.remove()
        except OSError:
            pass  # gone already; on the failure paths the first exception is the one to report

    # -- the import form and where the sheet goes

    def create_import_form(self, request: HttpRequest):
        return self._with_autocomplete(super().create_import_form(request))

    def _with_autocomplete(self, form: forms.Form) -> forms.Form:
        for name, model_field in self.import_autocomplete.items():
            field = form.fields[name]
            widget = AutocompleteSelect(model_field, self.admin_site)
            widget.choices = field.choices
            widget.is_required = field.required
            field.widget = widget
        return form

    def import_target(self, cleaned_data: dict[str, Any]) -> dict[str, Any]:
        """The service's arguments besides the sheet, from the import (or confirm) form."""
        raise NotImplementedError

    def get_import_data_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        form = kwargs.get("form")
        data = super().get_import_data_kwargs(**kwargs)
        data.pop("request", None)
        if form is not None and getattr(form, "cleaned_data", None) is not None:
            data.update(self.import_target(form.cleaned_data))
        return data

    def get_confirm_form_initial(
        self, request: HttpRequest, import_form: forms.Form | None
    ) -> dict[str, Any]:
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            for name in self.get_confirm_form_class(request).declared_fields:
                if name in import_form.cleaned_data and name not in initial:
                    initial[name] = import_form.cleaned_data[name]
        return initial

    def get_import_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {"page_title": self.import_page_title, "import_help": self.import_help}

    def get_export_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {"page_title": self.export_page_title}

    def add_data_read_fail_error_to_form(self, form: forms.Form, e: Exception) -> None:
        if isinstance(e, DomainError):
            message = e.message
        else:
            logger.info("sheet could not be read: %r", e)
            message = _("ফাইলটি পড়া যায়নি (ভাঙা বা অন্য ধরনের ফাইল); CSV (UTF-8) বা XLSX ফাইল দিন।")
        form.add_error("import_file", message)

    # -- after the confirmation

    def process_import(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        try:
            return super().process_import(request, **kwargs)
        except FileNotFoundError:
            # The confirmation was sent twice (the first one removed the temporary file) or too late.
            messages.error(
                request, _("আমদানির অস্থায়ী ফাইলটি আর নেই (হয়তো আগেই আমদানি হয়েছে); ফাইলটি আবার আমদানি করুন।")
            )
            return HttpResponseRedirect(reverse("admin:{}_{}_import".format(*self.get_model_info())))
        except BaseException:
            # The confirmed import raised: its copy goes as it does after a success or a refusal (issue 11).
            # The name as import-export's confirm form cleans it (the base name only), without the form's
            # own queries: the database may be what failed.
            self._tmp_copy_remove(os.path.basename(request.POST.get("import_file_name", "")))
            raise

    def process_result(self, result: SheetImportResult, request: HttpRequest) -> HttpResponse:
        if result.has_errors() or result.has_validation_errors():
            # Something changed between the check and the confirmation: nothing was written; say why.
            form = self._with_autocomplete(
                self.get_import_form_class(request)(
                    self.get_import_formats(), self.get_import_resource_classes(request)
                )
            )
            context = self.get_import_context_data()
            context.update(self.admin_site.each_context(request))
            context.update(
                {
                    "title": self.import_page_title,
                    "form": form,
                    "opts": self.model._meta,
                    "media": self.media + form.media,
                    "result": result,
                    "fields_list": [],
                    "import_error_display": self.import_error_display,
                }
            )
            request.current_app = self.admin_site.name
            return TemplateResponse(request, [self.import_template_name], context)
        return super().process_result(result, request)

    def generate_log_entries(self, result: SheetImportResult, request: HttpRequest) -> None:
        if self.get_skip_admin_log():
            return
        instances: dict[str, list[Any]] = defaultdict(list)
        for row in result:
            if row.instance is not None and row.import_type in LOG_ACTIONS:
                instances[row.import_type].append(row.instance)
        for import_type, objects in instances.items():
            action_flag, change_message = LOG_ACTIONS[import_type]
            LogEntry.objects.log_actions(
                request.user.pk,
                objects,
                action_flag,
                change_message=str(change_message),
                single_object=len(objects) == 1,
            )

    def add_success_message(self, result: SheetImportResult, request: HttpRequest) -> None:
        messages.success(request, f"{result.summary} ({result.totals_bn()})")
        for warning in result.warnings:
            location = warning.location_bn()
            messages.warning(
                request,
                f"সতর্কতা — {location + ': ' if location else ''}{warning.message_bn} / {warning.message_en}",
            )

    # -- export

    def get_export_filename(self, request: HttpRequest, queryset: QuerySet, file_format) -> str:
        plan = (
            ActionPlan.objects.filter(pk__in=queryset.values(self.export_plan_lookup))
            .select_related("office", "fiscal_year")
            .first()
        )
        stem = self.export_file_stem
        if plan is not None:
            stem = f"{stem}-{plan.office.code}-{plan.fiscal_year.code}"
        return f"{stem}.{file_format.get_extension()}"

    @admin.action(description=_("নির্বাচিত সারিগুলোর ছক XLSX ফাইলে রপ্তানি (একটি কর্মপরিকল্পনার)"))
    def export_selected_xlsx(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        if not self.has_export_permission(request):
            raise PermissionDenied
        file_format = SheetXLSX()
        try:
            data = self.get_export_data(file_format, request, queryset)
        except ValueError as error:
            messages.error(request, str(error))
            return None
        response = HttpResponse(data, content_type=file_format.get_content_type())
        filename = self.get_export_filename(request, queryset, file_format)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class IndicatorAdminForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = "__all__"  # noqa: DJ007 — the admin chooses the fields it shows
        help_texts = {
            "weight": _(
                "সূচকের মান এখানে বদলানো যায় না: একই ক্ষেত্রের সূচকগুলোর মান একসঙ্গে কর্মপরিকল্পনার পাতায় বদলান, "
                "যাতে যোগফল ক্ষেত্রের মানের সমান থাকে।"
            ),
            "unit": _("একক বদলাতে কর্মপরিকল্পনার ছক আবার আমদানি করুন (প্রতিস্থাপন)।"),
        }
        widgets = {"title": _textarea(3, 80), "not_applicable_reason": _textarea(2, 80)}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        indicator = self.instance
        _check_applicability(self, cleaned)
        methods = [cleaned.get(name) for name in ("calc_method", "scoring_method", "direction")]
        target_fields = {level: indicator_target_field(indicator, level) for level in TARGET_LEVELS}
        if None in methods or any(name in self.errors for name in target_fields.values()):
            return cleaned
        # DESIGN.md §3.5, the same checks as the plan sheet's and the service's.
        check = structure.indicator_changes_check(indicator, self.changes())
        for level, messages_ in check.errors.items():
            for bn, en in messages_:
                self.add_error(target_fields[level] if level else None, localized(bn, en))
        return cleaned

    def changes(self) -> structure.IndicatorChanges:
        cleaned = self.cleaned_data
        return _indicator_changes(
            self.instance,
            title=cleaned.get("title", self.instance.title),
            position=cleaned.get("position", self.instance.position),
            calc_method=cleaned.get("calc_method"),
            scoring_method=cleaned.get("scoring_method"),
            direction=cleaned.get("direction"),
            targets={
                level: cleaned.get(indicator_target_field(self.instance, level)) for level in TARGET_LEVELS
            },
        )


def _plan_locked(plan: ActionPlan) -> bool:
    """Targets, weights and applicability decide the marks of submitted and approved periods (DESIGN.md §4)."""
    return plan.periods.exclude(state__in=EDITABLE_STATES).exists()


def _quarter_locked(indicator: Indicator, quarter: int) -> bool:
    return indicator.plan.periods.filter(quarter=quarter).exclude(state__in=EDITABLE_STATES).exists()


def indicator_target_field(indicator: Indicator, level: int) -> str:
    """Targets are stored in the column of the indicator's unit: ``target_90_date`` or ``target_90_number``."""
    return f"target_{level}_{'date' if indicator.unit == Unit.DATE else 'number'}"


@admin.register(Indicator)
class IndicatorAdmin(CreatedByImportOnly, CodeSearchMixin, SheetImportExportMixin, admin.ModelAdmin):
    form = IndicatorAdminForm
    list_display = ("code_display", "title_short", "plan", "unit", "weight", "calc_method", "applicable")
    list_select_related = ("plan__office", "plan__fiscal_year")
    list_filter = (PlanListFilter, "plan__fiscal_year", "unit", "calc_method", "applicable")
    search_fields = ("code", "title", "plan__office__code", "plan__office__name_bn")
    readonly_fields = ("plan", "activity", "code_display", "unit", "weight")
    actions = ("export_selected_xlsx",)

    resource_classes = [PlanSheetResource]
    import_form_class = PlanSheetImportForm
    confirm_form_class = PlanSheetConfirmForm
    import_permissions = (
        "indicators.add_actionplan",
        "indicators.change_actionplan",
        "indicators.add_indicator",
        "indicators.change_indicator",
        "indicators.delete_indicator",
    )
    import_autocomplete = {"office": ActionPlan._meta.get_field("office")}
    import_page_title = _("কর্মপরিকল্পনার ছক আমদানি")
    import_help = _(
        "একটি দপ্তরের এক অর্থবছরের কর্মপরিকল্পনা, প্রতি সারিতে একটি সূচক (DESIGN.md §৭)। কমান্ড লাইনের "
        "import_plan-এর একই যাচাই: কোনো ত্রুটি থাকলে কিছুই সংরক্ষণ হয় না, আর প্রতিটি ত্রুটি সারি, কলাম ও মানসহ "
        "দেখানো হয়। প্রথমে যাচাই ও পূর্বরূপ, তারপর নিশ্চিত করলে সংরক্ষণ।"
    )
    export_page_title = _("কর্মপরিকল্পনার ছক রপ্তানি")
    export_file_stem = "plan"

    def get_fieldsets(self, request: HttpRequest, obj: Indicator | None = None):
        targets = [indicator_target_field(obj, level) for level in TARGET_LEVELS] if obj else []
        return (
            (None, {"fields": ("plan", "activity", "code_display", "title", "unit", "weight", "position")}),
            (_("গণনা ও নম্বর"), {"fields": ("calc_method", "scoring_method", "direction")}),
            (_("লক্ষ্যমাত্রা"), {"fields": targets}),
            (_("প্রযোজ্যতা"), {"fields": ("applicable", "not_applicable_reason")}),
        )

    @admin.display(description=_("সূচক নং"), ordering="code")
    def code_display(self, obj: Indicator) -> str:
        return _code_display(obj)

    @admin.display(description=_("কর্মসম্পাদন সূচক"), ordering="title")
    def title_short(self, obj: Indicator) -> str:
        return Truncator(obj.title).chars(80)

    def save_model(
        self, request: HttpRequest, obj: Indicator, form: IndicatorAdminForm, change: bool
    ) -> None:
        reason = str(ADMIN_REASON)
        data = form.cleaned_data
        # The instance carries the form's values already; the services read the stored row themselves.
        stored = Indicator.objects.select_related("plan__fiscal_year").get(pk=obj.pk)
        check = self.through_service(
            request,
            lambda: structure.indicator_update(
                indicator=stored, changes=form.changes(), user=request.user, reason=reason
            ),
        )
        if {"applicable", "not_applicable_reason"} & set(form.changed_data):
            self.through_service(
                request,
                lambda: indicator_set_applicability(
                    indicator=stored,
                    applicable=data["applicable"],
                    reason=data.get("not_applicable_reason") or "",
                    user=request.user,
                ),
            )
        for bn, en in check.warnings if check is not None else ():
            messages.warning(request, f"সতর্কতা: {localized(bn, en)}")

    # -- the plan sheet

    def import_target(self, cleaned_data: dict[str, Any]) -> dict[str, Any]:
        return {
            "office": cleaned_data["office"],
            "fiscal_year_code": cleaned_data["fiscal_year"],
            "replace": cleaned_data.get("replace", False),
        }

    def get_import_form_initial(self, request: HttpRequest) -> dict[str, Any]:
        plan = _plan_from_query(request)
        if plan is None:
            return {}
        return {"office": plan.office, "fiscal_year": plan.fiscal_year.code, "replace": True}


def _plan_from_query(request: HttpRequest) -> ActionPlan | None:
    value = request.GET.get("plan", "")
    if not value.isdigit():
        return None
    return ActionPlan.objects.select_related("office", "fiscal_year").filter(pk=value).first()


class ProgressAdminForm(forms.ModelForm):
    # The version the form was loaded with: the service refuses a save over a newer value (DESIGN.md §4),
    # as in the browser's in-place editor.
    loaded_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Progress
        fields = "__all__"  # noqa: DJ007 — the admin chooses the fields it shows
        widgets = {"remark": _textarea(3, 80)}

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
class ProgressAdmin(ThroughServices, CodeSearchMixin, SheetImportExportMixin, admin.ModelAdmin):
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
        plan = _plan_from_query(request)
        return {"plan": plan} if plan is not None else {}
