"""What every admin page of the project shares: the plan filter and code search of the lists, and
``ThroughServices``, by which an admin page writes through the services (DESIGN.md §4 "One write path")."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from base.bangla import to_ascii_digits
from base.errors import DomainError
from base.forms import accept_bangla_digits
from indicators.models import ActionPlan


def textarea(rows: int = 2, cols: int = 60) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "cols": cols})


class TypedDates:
    """ModelAdmin mixin: every date field is the site's date box (``base.forms.DateEntryInput``) — what people
    type (২৫/০৯/২০২২, 25-9-22, 25092022 …) and the same keyboard calendar as the rest of the site, instead of
    the admin's own widget, which reads neither Bangla digits nor the other forms (issue 14.1)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        if field is not None and isinstance(field, forms.DateField):
            field = accept_bangla_digits(field)
        return field


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


def plan_from_query(request: HttpRequest) -> ActionPlan | None:
    value = request.GET.get("plan", "")
    if not value.isdigit():
        return None
    return ActionPlan.objects.select_related("office", "fiscal_year").filter(pk=value).first()
