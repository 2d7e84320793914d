"""Plans, their areas, activities and indicators in the admin.

Plans, areas, activities and indicators are created by importing a plan sheet (the Import button on the
indicator list, the same service as ``import_plan``; ``indicators.admin.sheets``), never one by one: the sheet is
where the weights of an area are checked against its marks (DESIGN.md §2). In the admin the weights are changed
together, on the plan's page, whose inline refuses any set of weights that breaks an area's sum."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet, Sum
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from base.bangla import format_code, to_bangla_digits
from base.errors import DomainError, localized
from indicators.admin.common import (
    ADMIN_REASON,
    CodeSearchMixin,
    PlanListFilter,
    ThroughServices,
    TypedDates,
    plan_from_query,
    textarea,
)
from indicators.admin.sheets import PlanSheetConfirmForm, PlanSheetImportForm, SheetImportExportMixin
from indicators.models import (
    EDITABLE_STATES,
    TARGET_LEVELS,
    ActionPlan,
    Activity,
    Indicator,
    PerformanceArea,
    Progress,
    Unit,
)
from indicators.resources import PlanSheetResource
from indicators.services import structure
from indicators.services.progress import applicability_check, indicator_set_applicability
from indicators.services.sources import indicator_set_source, source_unit_check


def _code_display(obj: Any) -> str:
    return format_code(obj.code)


def _changelist_url(model: type, **params: Any) -> str:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def _indicator_changes(indicator: Indicator, **overrides: Any) -> structure.IndicatorChanges:
    """An indicator's changeable settings as they are, with ``overrides``."""
    values = {
        "title": indicator.title,
        "position": indicator.position,
        "calc_method": indicator.calc_method,
        "scoring_method": indicator.scoring_method,
        "direction": indicator.direction,
        "targets": {level: indicator.target(level) for level in TARGET_LEVELS},
        "evaluation": indicator.evaluation,
        "evidence_expected": indicator.evidence_expected,
    }
    values.update(overrides)
    return structure.IndicatorChanges(**values)


def _plan_locked(plan: ActionPlan) -> bool:
    """Targets, weights and applicability decide the marks of submitted and approved periods (DESIGN.md §4)."""
    return plan.periods.exclude(state__in=EDITABLE_STATES).exists()


def indicator_target_field(indicator: Indicator, level: int) -> str:
    """Targets are stored in the column of the indicator's unit: ``target_90_date`` or ``target_90_number``."""
    return f"target_{level}_{'date' if indicator.unit == Unit.DATE else 'number'}"


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
        widgets = {"title": textarea(), "not_applicable_reason": textarea(2, 30)}

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
        kwargs.setdefault("widgets", {"title": textarea()})
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
    list_display = ("office", "fiscal_year", "origin", "indicator_link", "progress_link", "updated_at")
    list_select_related = ("office", "fiscal_year")
    list_filter = ("fiscal_year", "office__kind")
    search_fields = ("office__code", "office__name_bn", "office__name_en")
    readonly_fields = (
        "office",
        "fiscal_year",
        "origin",
        "origin_plan",
        "origin_template",
        "created_at",
        "updated_at",
        "sheet_links",
    )
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


# ---------------------------------------------------------------------------------------------------------
# Areas, activities and indicators, one by one


class PerformanceAreaAdminForm(forms.ModelForm):
    class Meta:
        model = PerformanceArea
        fields = "__all__"  # noqa: DJ007 — the admin chooses the fields it shows
        help_texts = {
            "marks": _("ক্ষেত্রের মান কর্মপরিকল্পনার ছক আমদানির সময় ঠিক হয়; বদলাতে ছকটি আবার আমদানি করুন (প্রতিস্থাপন)।")
        }
        widgets = {"title": textarea()}


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
        widgets = {
            "title": textarea(3, 80),
            "not_applicable_reason": textarea(2, 80),
            "evaluation": textarea(2, 80),
            "evidence_expected": textarea(2, 80),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        indicator = self.instance
        _check_applicability(self, cleaned)
        methods = [cleaned.get(name) for name in ("calc_method", "scoring_method", "direction")]
        target_fields = {level: indicator_target_field(indicator, level) for level in TARGET_LEVELS}
        source = cleaned.get("data_source")
        if source is not None and "data_source" in self.changed_data:
            try:  # the service's own check, said at the field
                source_unit_check(source=source, unit=indicator.unit, code=indicator.code)
            except DomainError as error:
                self.add_error("data_source", localized(error.message_bn, error.message_en))
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
            evaluation=cleaned.get("evaluation", self.instance.evaluation),
            evidence_expected=cleaned.get("evidence_expected", self.instance.evidence_expected),
            targets={
                level: cleaned.get(indicator_target_field(self.instance, level)) for level in TARGET_LEVELS
            },
        )


@admin.register(Indicator)
class IndicatorAdmin(
    TypedDates, CreatedByImportOnly, CodeSearchMixin, SheetImportExportMixin, admin.ModelAdmin
):
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
            (_("মূল্যায়ন ও প্রমাণক"), {"fields": ("evaluation", "evidence_expected")}),
            (_("লক্ষ্যমাত্রা"), {"fields": targets}),
            (_("প্রযোজ্যতা"), {"fields": ("applicable", "not_applicable_reason")}),
            (_("মানের উৎস"), {"fields": ("data_source",)}),
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
        if "data_source" in form.changed_data:
            self.through_service(
                request,
                lambda: indicator_set_source(indicator=stored, source=data["data_source"], user=request.user),
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
        plan = plan_from_query(request)
        if plan is None:
            return {}
        return {"office": plan.office, "fiscal_year": plan.fiscal_year.code, "replace": True}
