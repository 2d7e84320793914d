"""The pages of the year's work: home, the plan page with in-place progress entry, the indicator page,
applicability and period actions.

Each view: check permission → validate → call one service → redirect or render (a fragment for htmx).
Isolation: a plan the user may not see answers 404, exactly like a plan that does not exist.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from base.dates import DateEntryError, format_typed_date, parse_typed_date
from base.errors import ConflictError, DomainError, PermissionDeniedError, localized
from evidence.selectors import PanelAccess, indicator_evidence
from indicators import parsing, permissions, scoring, selectors
from indicators.http import indicator_or_404, is_htmx, plan_or_404, plan_url, row_anchor
from indicators.models import ActionPlan, DataSource, HistoryEntry, Indicator, Progress
from indicators.parsing import plain_number
from indicators.services.progress import (
    ValuesPresentError,
    indicator_set_applicability,
    progress_record,
)
from reports.selectors import plan_reports
from workflow import confirm, pages, transitions
from workflow.children_views import children_review_links, document_links


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's home: their plans with the marks so far, and what waits for them."""
    context = pages.home_page(request.user)
    context["children_reviews"] = children_review_links(request.user, context["memberships"])
    context["meeting_links"] = document_links(
        context["memberships"], [plan for plan, _score in context["plans"]]
    )
    return render(request, "workflow/home.html", context)


@login_required
def plan_page(request: HttpRequest, office: str, year: str) -> HttpResponse:
    plan = plan_or_404(request, office, year)
    page = pages.plan_page(plan, request.user)
    office_plans = selectors.office_plans(plan)
    context = {
        "page": page,
        "plan": plan,
        "quarters": (1, 2, 3, 4),
        "reports": plan_reports(plan, request.user),
        # The year switch, where the plan came from, and the next year's start (issue 13).
        "office_plans": office_plans,
        "is_earlier_year": office_plans[-1].pk != plan.pk,
        "any_editable": any(view.period.is_editable for view in page.periods),
        "next_year": selectors.next_year_for(plan, request.user, office_plans),
    }
    return render(request, "workflow/plan.html", context)


# ---------------------------------------------------------------------------------------------------------
# Progress entry (htmx in place; a plain form post without JavaScript works too)


class ProgressForm(forms.Form):
    value = forms.CharField(required=False, max_length=64)
    remark = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    version = forms.CharField(required=False)  # the version the form was loaded with; "" = no value yet

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator

    def clean_value(self):
        raw = self.cleaned_data["value"]
        if parsing.is_blank(raw):
            return None
        if self.indicator.unit == scoring.Unit.DATE:
            # What people type (base.dates): ২৫/০৯/২০২২, 25-9-22, 25092022 …; the text is kept on an error.
            try:
                return parse_typed_date(raw)
            except DateEntryError as error:
                raise forms.ValidationError(error.user_message) from error
        try:
            return parsing.parse_value(raw, scoring.Unit(self.indicator.unit))
        except parsing.CellError as error:
            raise forms.ValidationError(localized(error.message_bn, error.message_en)) from error

    def clean_version(self):
        raw = self.cleaned_data["version"].strip()
        return int(raw) if raw.isdigit() else None


def _progress_form_initial(progress: Progress | None, unit: str) -> dict:
    if progress is None:
        return {"value": "", "remark": "", "version": ""}
    value = progress.value
    if value is None:
        text = ""
    elif unit == scoring.Unit.DATE:
        text = format_typed_date(value, bangla=not (get_language() or "bn").startswith("en"))
    else:
        text = plain_number(value)
    return {"value": text, "remark": progress.remark, "version": progress.version}


@login_required
@require_http_methods(["GET", "POST"])
def progress_edit(request: HttpRequest, office: str, year: str, code: str, quarter: int) -> HttpResponse:
    plan = plan_or_404(request, office, year)
    indicator = indicator_or_404(plan, code)
    if not permissions.can_edit_progress(request.user, plan):
        raise Http404(_("এই দপ্তরের অগ্রগতি আপনি লিখতে পারেন না।"))
    if quarter not in (1, 2, 3, 4):
        raise Http404
    error = ""
    conflict = False
    if request.method == "POST":
        form = ProgressForm(request.POST, indicator=indicator)
        if form.is_valid():
            try:
                progress_record(
                    indicator=indicator,
                    quarter=quarter,
                    value=form.cleaned_data["value"],
                    remark=form.cleaned_data["remark"],
                    user=request.user,
                    expected_version=form.cleaned_data["version"],
                )
            except DomainError as failure:
                error = failure.user_message
                conflict = isinstance(failure, ConflictError)
            else:
                if is_htmx(request):
                    return _row_response(request, plan, indicator.code, focus_quarter=quarter)
                messages.success(request, _("সংরক্ষিত হয়েছে।"))
                return redirect(f"{plan_url(plan)}#{row_anchor(indicator.code)}")
    # What is stored now: read only for the form (a successful save has returned above).
    progress = indicator.progress.filter(quarter=quarter).first()
    if request.method != "POST":
        form = ProgressForm(initial=_progress_form_initial(progress, indicator.unit), indicator=indicator)
    elif conflict:
        # Show what is stored now, and keep what this user typed in the form.
        data = request.POST.copy()
        data["version"] = "" if progress is None else str(progress.version)
        form = ProgressForm(data, indicator=indicator)
        form.is_valid()
    context = {
        "plan": plan,
        "indicator": indicator,
        "quarter": quarter,
        "form": form,
        "error": error,
        "stored": progress,
        "is_date": indicator.unit == scoring.Unit.DATE,
    }
    if is_htmx(request):
        # The indicator's row with the editor open beneath it, replacing the row in place.
        page = pages.plan_page(plan, request.user)
        return render(
            request, "workflow/_row.html", {**context, "row": page.row(indicator.code), "page": page}
        )
    return render(request, "workflow/progress_edit.html", context)


def _row_response(
    request: HttpRequest, plan: ActionPlan, code: str, *, focus_quarter: int | None = None
) -> HttpResponse:
    """The indicator's updated row, with the totals swapped out of band. ``focus_quarter``: the quarter whose cell
    takes the keyboard focus back when the editor closes (saved or cancelled), so a keyboard user goes on from
    where they were instead of from the top of the page."""
    page = pages.plan_page(plan, request.user)
    context = {"page": page, "row": page.row(code), "plan": plan, "focus_quarter": focus_quarter}
    return render(request, "workflow/_row_and_totals.html", context)


@login_required
@require_http_methods(["GET"])
def progress_cell(request: HttpRequest, office: str, year: str, code: str) -> HttpResponse:
    """The indicator's row as shown (used by "cancel" in the in-place editor)."""
    plan = plan_or_404(request, office, year)
    indicator = indicator_or_404(plan, code)
    focus = request.GET.get("focus", "")
    return _row_response(
        request, plan, indicator.code, focus_quarter=int(focus) if focus in {"1", "2", "3", "4"} else None
    )


# ---------------------------------------------------------------------------------------------------------
# Applicability and the indicator page


@login_required
@require_POST
def indicator_applicability(request: HttpRequest, office: str, year: str, code: str) -> HttpResponse:
    """Mark an indicator (not) applicable. Not applicable with values asks once more, naming the quarters
    whose values go, and clears them in the same step when confirmed; a refusal keeps the typed reason."""
    plan = plan_or_404(request, office, year)
    indicator = indicator_or_404(plan, code)
    applicable = request.POST.get("applicable") == "1"
    reason = request.POST.get("reason", "")
    try:
        indicator_set_applicability(
            indicator=indicator,
            applicable=applicable,
            reason=reason,
            user=request.user,
            clear_values=request.POST.get("clear_values") == "1",
        )
    except PermissionDeniedError as denied:
        raise Http404(denied.user_message) from denied
    except ValuesPresentError as present:
        return _indicator_response(
            request, plan, indicator, na_reason=reason, na_clear_quarters=present.quarters
        )
    except DomainError as failure:
        return _indicator_response(request, plan, indicator, na_reason=reason, na_error=failure.user_message)
    messages.success(request, _("প্রযোজ্যতা বদলানো হয়েছে।"))
    return redirect(reverse("workflow:indicator", args=[office, year, indicator.code]))


@login_required
def indicator_page(request: HttpRequest, office: str, year: str, code: str) -> HttpResponse:
    plan = plan_or_404(request, office, year)
    indicator = indicator_or_404(plan, code)
    return _indicator_response(request, plan, indicator)


def _indicator_response(
    request: HttpRequest,
    plan: ActionPlan,
    indicator: Indicator,
    *,
    na_reason: str = "",
    na_error: str = "",
    na_clear_quarters: list[int] | None = None,
) -> HttpResponse:
    page = pages.plan_page(plan, request.user)
    row = page.row(indicator.code)
    history = (
        HistoryEntry.objects.filter(indicator=indicator).select_related("user").order_by("-at", "-pk")
        if page.is_member
        else HistoryEntry.objects.none()
    )
    evidence = indicator_evidence(indicator, visible_quarters=page.visible_quarters)
    return render(
        request,
        "workflow/indicator.html",
        {
            "plan": plan,
            "page": page,
            "row": row,
            "indicator": indicator,
            "history": history,
            "evidence": evidence,
            "source_choices": DataSource.choices,
            # What the evidence panel needs, from what the page already read (no query of its own).
            "evidence_access": PanelAccess(
                periods=[view.period for view in page.periods],
                can_edit=page.can_edit,
                visible_quarters=page.visible_quarters,
            ),
            "na_reason": na_reason,
            "na_error": na_error,
            "na_clear_quarters": na_clear_quarters or [],
        },
    )


# ---------------------------------------------------------------------------------------------------------
# Period transitions


def _confirm_url(plan: ActionPlan, quarter: int, action: str) -> str:
    return reverse("workflow:period_confirm", args=[plan.office.code, plan.fiscal_year.code, quarter, action])


@login_required
@require_http_methods(["GET"])
def period_confirm(request: HttpRequest, office: str, year: str, quarter: int, action: str) -> HttpResponse:
    """The page before submit / approve and sign / send / accept: the marks so far beside the expected pace,
    and what is missing (warnings, not blocks); its form is the only way the browser takes the step."""
    plan = plan_or_404(request, office, year)
    period = plan.periods.filter(quarter=quarter).first()
    if (
        period is None
        or action not in confirm.CONFIRMED_ACTIONS
        or not transitions.may_see(request.user, period)
    ):
        raise Http404
    periods = list(plan.periods.all())
    allowed = transitions.allowed_actions(
        request.user, period, earlier_rank=transitions.earliest_rank(periods, quarter)
    )
    if action not in allowed:
        if not permissions.is_member(request.user, plan):
            raise Http404
        messages.error(request, _("এই কাজটি এখন আপনি করতে পারেন না।"))
        return redirect(f"{plan_url(plan)}#period-{quarter}")
    context = {
        "plan": plan,
        "period": period,
        "action": action,
        "summary": confirm.period_summary(plan, period),
        "back": (
            reverse("workflow:inbox")
            if action == "accept" and not permissions.is_member(request.user, plan)
            else f"{plan_url(plan)}#period-{quarter}"
        ),
    }
    return render(request, "workflow/confirm.html", context)


@login_required
@require_POST
def period_action(request: HttpRequest, office: str, year: str, quarter: int, action: str) -> HttpResponse:
    plan = plan_or_404(request, office, year)
    period = plan.periods.filter(quarter=quarter).first()
    if period is None or action not in transitions.TRANSITIONS:
        raise Http404
    if action in confirm.CONFIRMED_ACTIONS and request.POST.get("confirmed") != "1":
        # Taken only from the confirmation page, which shows what is about to go (issue 14.7).
        return redirect(_confirm_url(plan, quarter, action))
    version = request.POST.get("version", "")
    try:
        transitions.period_transition(
            period=period,
            action=action,
            user=request.user,
            comment=request.POST.get("comment", ""),
            expected_version=int(version) if version.isdigit() else -1,
        )
    except PermissionDeniedError as denied:
        if not permissions.is_member(request.user, plan):
            raise Http404(denied.user_message) from denied
        messages.error(request, denied.user_message)  # a member is told why, e.g. only the CIO approves
    except DomainError as failure:
        messages.error(request, failure.user_message)
    else:
        messages.success(request, transitions.ACTION_DONE[action])
    if action in ("accept", "review_return") and not permissions.is_member(request.user, plan):
        return redirect("workflow:inbox")
    return redirect(f"{plan_url(plan)}#periods")
