"""The plan editor (issue 13 point 4): an officer or the CIO of the office edits the plan's areas, activities
and indicators in one server-rendered form, with htmx where the site has it.

The form carries the whole draft; its buttons (add, remove, move up or down) change the draft and show it
again without saving anything, and "সংরক্ষণ" saves it through ``indicators.services.plan_edit`` — the sheet
import's checks, locks and history. Without JavaScript every button is a plain form post and works the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from base.errors import DomainError, PermissionDeniedError, localized
from indicators import permissions
from indicators.http import is_htmx, plan_or_404, plan_url
from indicators.models import ActionPlan, CalcMethod, Direction, ScoringMethod, Unit
from indicators.plan_draft import (
    MAX_ACTIVITIES,
    MAX_AREAS,
    MAX_INDICATORS,
    TARGET_LEVELS,
    DraftActionError,
    DraftActivity,
    DraftArea,
    DraftIndicator,
    PlanDraft,
    draft_apply,
    plan_draft,
    plan_version,
)
from indicators.selectors import plan_year_code
from indicators.services.plan_edit import (
    EditProblem,
    PlanEditFailed,
    plan_edit_refusal,
    plan_edit_save,
)

TARGET_NAMES = {100: "অসাধারণ", 90: "অতি উত্তম", 80: "উত্তম", 70: "চলতি মান", 60: "চলতি মানের নিম্নে"}
#: Each plan sheet field: its label in the form (the msgids the form's template uses) and its input's name.
FIELDS = {
    "area_code": ("ক্ষেত্র নং", "code"),
    "area_title": ("কর্মসম্পাদন ক্ষেত্র", "title"),
    "area_marks": ("ক্ষেত্রের মান", "marks"),
    "activity_code": ("কার্যক্রম নং", "code"),
    "activity_title": ("কার্যক্রম", "title"),
    "indicator_code": ("সূচক নং", "code"),
    "indicator_title": ("কর্মসম্পাদন সূচক", "title"),
    "unit": ("একক", "unit_label"),
    "weight": ("সূচকের মান", "weight"),
    "calc_method": ("গণনা পদ্ধতি", "calc_method"),
    "scoring": ("নম্বর পদ্ধতি", "scoring_method"),
    "direction": ("দিক", "direction"),
    **{f"target_{level}": (name, f"t{level}") for level, name in TARGET_NAMES.items()},
    "evaluation": ("মূল্যায়ন পদ্ধতি", "evaluation"),
    "evidence_expected": ("প্রত্যাশিত প্রমাণক", "evidence_expected"),
}
_TEXT_LIMIT = 4000  # longer than any field the plan keeps (the parser names the limit); a bound on memory


def plan_edit_url(plan: ActionPlan) -> str:
    return reverse("workflow:plan_edit", args=[plan.office.code, plan_year_code(plan)])


# ---------------------------------------------------------------------------------------------------------
# The draft in the form's fields: a{i}-…, a{i}-x{j}-…, a{i}-x{j}-i{k}-…


def _text(data: QueryDict, name: str) -> str:
    return data.get(name, "")[:_TEXT_LIMIT].strip()


def draft_from_post(data: QueryDict) -> PlanDraft:
    """The draft the form sent back (as many items as the editor allows, the rest ignored)."""
    draft = PlanDraft()
    activities = indicators = 0
    for a in range(MAX_AREAS):
        p = f"a{a}-"
        if p + "code" not in data:
            break
        area = DraftArea(
            code=_text(data, p + "code"),
            title=_text(data, p + "title"),
            marks=_text(data, p + "marks"),
            saved=data.get(p + "saved") == "1",
        )
        draft.areas.append(area)
        for b in range(MAX_ACTIVITIES):
            q = f"{p}x{b}-"
            if q + "code" not in data or activities >= MAX_ACTIVITIES:
                break
            activities += 1
            activity = DraftActivity(
                code=_text(data, q + "code"),
                title=_text(data, q + "title"),
                saved=data.get(q + "saved") == "1",
            )
            area.activities.append(activity)
            for c in range(MAX_INDICATORS):
                r = f"{q}i{c}-"
                if r + "code" not in data or indicators >= MAX_INDICATORS:
                    break
                indicators += 1
                activity.indicators.append(
                    DraftIndicator(
                        code=_text(data, r + "code"),
                        title=_text(data, r + "title"),
                        unit_kind=_text(data, r + "unit_kind"),
                        unit_label=_text(data, r + "unit_label"),
                        weight=_text(data, r + "weight"),
                        calc_method=_text(data, r + "calc_method"),
                        scoring_method=_text(data, r + "scoring_method"),
                        direction=_text(data, r + "direction"),
                        targets={level: _text(data, f"{r}t{level}") for level in TARGET_LEVELS},
                        evaluation=_text(data, r + "evaluation"),
                        evidence_expected=_text(data, r + "evidence_expected"),
                        saved=data.get(r + "saved") == "1",
                    )
                )
    return draft


# ---------------------------------------------------------------------------------------------------------
# What the template shows: each item with its field names, its path for the buttons and its problems


@dataclass
class ItemView:
    item: object
    prefix: str  # the field names' prefix
    path: str  # the buttons' address: "0", "0.1", "0.1.2"
    number: int  # 1-based place among its siblings
    last: bool
    errors: list[str] = field(default_factory=list)  # about the item as a whole
    field_errors: dict[str, list[str]] = field(default_factory=dict)
    children: list[ItemView] = field(default_factory=list)
    targets: list[tuple[int, str, str, str, list[str]]] = field(default_factory=list)


def _problem_text(problem: EditProblem) -> str:
    return localized(problem.message_bn, problem.message_en)


@dataclass(frozen=True)
class ProblemLine:
    """A problem in the list above the form: where it is (a link to the field) and what it is."""

    anchor: str
    where: str
    text: str


def _item_at(draft: PlanDraft, place: tuple[int, ...]) -> tuple[str, str, str] | None:
    """(kind's name, code, field prefix) of the item at ``place``."""
    try:
        area = draft.areas[place[0]]
        if len(place) == 1:
            return _("কর্মসম্পাদন ক্ষেত্র"), area.code, f"a{place[0]}-"
        activity = area.activities[place[1]]
        if len(place) == 2:
            return _("কার্যক্রম"), activity.code, f"a{place[0]}-x{place[1]}-"
        indicator = activity.indicators[place[2]]
        return _("সূচক"), indicator.code, f"a{place[0]}-x{place[1]}-i{place[2]}-"
    except IndexError:
        return None


def problem_lines(draft: PlanDraft, problems: list[EditProblem]) -> list[ProblemLine]:
    """Every problem with the item and the field it is at, in the form's order."""
    lines = []
    for problem in sorted(problems, key=lambda p: p.place):
        item = _item_at(draft, problem.place) if problem.place else None
        if item is None:
            lines.append(ProblemLine("plan-edit-form", "", _problem_text(problem)))
            continue
        kind, code, prefix = item
        label, suffix = FIELDS.get(problem.field, ("", ""))
        where = f"{kind} {code}" + (f", {_(label)}" if label else "")
        anchor = prefix + suffix if suffix else prefix + "box"
        lines.append(ProblemLine(anchor, where, _problem_text(problem)))
    return lines


def draft_view(draft: PlanDraft, problems: list[EditProblem]) -> list[ItemView]:
    by_place: dict[tuple[int, ...], list[EditProblem]] = {}
    for problem in problems:
        by_place.setdefault(problem.place, []).append(problem)

    def attach(view: ItemView, place: tuple[int, ...]) -> None:
        for problem in by_place.get(place, []):
            if problem.field and problem.field not in ("area_code", "activity_code", "indicator_code"):
                view.field_errors.setdefault(problem.field, []).append(_problem_text(problem))
            else:
                view.errors.append(_problem_text(problem))

    areas = []
    for a, area in enumerate(draft.areas):
        area_view = ItemView(area, f"a{a}-", str(a), a + 1, a == len(draft.areas) - 1)
        attach(area_view, (a,))
        for b, activity in enumerate(area.activities):
            activity_view = ItemView(
                activity, f"a{a}-x{b}-", f"{a}.{b}", b + 1, b == len(area.activities) - 1
            )
            attach(activity_view, (a, b))
            for c, indicator in enumerate(activity.indicators):
                view = ItemView(
                    indicator,
                    f"a{a}-x{b}-i{c}-",
                    f"{a}.{b}.{c}",
                    c + 1,
                    c == len(activity.indicators) - 1,
                )
                attach(view, (a, b, c))
                view.targets = [
                    (
                        level,
                        _(TARGET_NAMES[level]),
                        f"{view.prefix}t{level}",
                        indicator.targets.get(level, ""),
                        view.field_errors.get(f"target_{level}", []),
                    )
                    for level in TARGET_LEVELS
                ]
                activity_view.children.append(view)
            area_view.children.append(activity_view)
        areas.append(area_view)
    return areas


# ---------------------------------------------------------------------------------------------------------
# The view


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, office: str, year: str) -> HttpResponse:
    plan = plan_or_404(request, office, year)
    if not permissions.can_edit_progress(request.user, plan):
        # A reviewer of the parent office sees the plan but does not edit it; others do not even see it.
        raise Http404(_("এই কর্মপরিকল্পনা আপনি সম্পাদনা করতে পারেন না।"))
    problems: list[EditProblem] = []
    error = ""
    if request.method == "GET":
        draft, version = plan_draft(plan), plan_version(plan)
    else:
        draft, version = draft_from_post(request.POST), request.POST.get("version", "")[:64]
        action = request.POST.get("op", "save")
        if action == "save":
            try:
                result = plan_edit_save(plan=plan, draft=draft, expected_version=version, user=request.user)
            except PlanEditFailed as failed:
                error, problems = failed.user_message, failed.problems
            except PermissionDeniedError as denied:
                raise Http404(denied.user_message) from denied
            except DomainError as failure:
                error = failure.user_message
            else:
                messages.success(request, _("কর্মপরিকল্পনা সংরক্ষিত হয়েছে।"))
                for line in problem_lines(draft, result.warnings):
                    messages.warning(
                        request,
                        _("সতর্কতা (%(where)s): %(message)s") % {"where": line.where, "message": line.text},
                    )
                if is_htmx(request):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = plan_url(plan)
                    return response
                return redirect(plan_url(plan))
        else:
            try:
                draft_apply(draft, action)
            except DraftActionError:
                error = _("এই বোতামটি আর কোনো অংশকে নির্দেশ করে না; পাতাটি আবার খুলুন।")
    refusal = plan_edit_refusal(request.user, plan)
    context = {
        "plan": plan,
        "areas": draft_view(draft, problems),
        "problems": problem_lines(draft, problems),
        "version": version,
        "error": error,
        "refusal": refusal.user_message if refusal is not None else "",
        "unit_kinds": Unit.choices,
        "calc_methods": CalcMethod.choices,
        "scoring_methods": ScoringMethod.choices,
        "directions": Direction.choices,
        "edit_url": plan_edit_url(plan),
        "plan_url": plan_url(plan),
    }
    if is_htmx(request):
        response = render(request, "workflow/_plan_edit_form.html", context)
        if problems or error:  # a refused save: show the list of problems at the top of the form
            response["HX-Reswap"] = "outerHTML show:#plan-edit-form:top"
        return response
    return render(request, "workflow/plan_edit.html", context)
