"""The plan edited in the browser by an officer of its office (issue 13 point 4): areas, activities and
indicators added, changed, moved and removed, saved as a whole (``plan_edit_save``).

The draft is written as a plan sheet and saved by the sheet import (``plan_import`` with ``replace``): the
same parser checks it (codes, weights summing to the area's marks, units, methods, the order of the five
targets, DESIGN.md §2, §3.5, §7), indicators are matched by code so kept indicators keep their progress, and
the import records every change in the history. What the sheet cannot say is checked here besides: that the
unit's kind is the one its label reads as, and that no area or activity is left without an indicator.

Allowed only while no quarter is submitted or beyond (``ensure_plan_unlocked``, DESIGN.md §4), under the
plan's row lock; a form loaded before another change of the plan is refused (``plan_version``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from base.bangla import format_code, to_bangla_digits
from base.errors import ConflictError, DomainError, LockedError, PermissionDeniedError
from indicators import parsing, permissions, scoring
from indicators.history import history_record
from indicators.models import EDITABLE_STATES, ActionPlan, HistoryKind, Unit
from indicators.periods import ensure_plan_unlocked, quarters_bn
from indicators.plan_draft import (
    SHEET_FIELDS,
    PlanDraft,
    SheetPlace,
    draft_sheet,
    plan_version,
    unit_cell,
)
from indicators.plan_sheet import plan_sheet_parse
from indicators.problems import ImportFailed, ImportProblem
from indicators.selectors import PLAN_SHEET_HEADERS
from indicators.services.plans import plan_import

#: What the history says of a change made in the editor.
EDIT_REASON = "ব্রাউজারে কর্মপরিকল্পনা সম্পাদনা / plan edited in the browser"
_FIELD_OF_HEADER = dict(zip(PLAN_SHEET_HEADERS, SHEET_FIELDS, strict=True))


@dataclass(frozen=True)
class EditProblem:
    """A problem of the draft, at the item it belongs to: ``place`` is () for the plan, (area,),
    (area, activity) or (area, activity, indicator) indexes; ``field`` the plan sheet's field, or ""."""

    place: tuple[int, ...]
    field: str
    message_bn: str
    message_en: str


class PlanEditFailed(DomainError):
    """The draft has problems; nothing was saved."""

    def __init__(self, problems: list[EditProblem]):
        count = len(problems)
        super().__init__(
            f"সংরক্ষণ হয়নি: {to_bangla_digits(count)}টি ত্রুটি পাওয়া গেছে; কিছুই বদলানো হয়নি।",
            f"Not saved: {count} error(s) found; nothing was changed.",
        )
        self.problems = problems


@dataclass(frozen=True)
class PlanEditResult:
    plan: ActionPlan
    indicators: int
    removed_indicators: int
    warnings: list[EditProblem]


def plan_locked_quarters(plan: ActionPlan) -> list[int]:
    """The quarters submitted or beyond, which freeze the plan (read without locks: for showing it)."""
    return sorted(p.quarter for p in plan.periods.all() if p.state not in EDITABLE_STATES)


def plan_edit_refusal(user: AbstractBaseUser, plan: ActionPlan) -> DomainError | None:
    """Why this user cannot edit the plan now (None: they can), for the page and its link."""
    if not permissions.can_edit_progress(user, plan):
        return PermissionDeniedError(
            "এই কর্মপরিকল্পনা সম্পাদনা করতে পারেন শুধু এই দপ্তরের কর্মকর্তা ও চিফ ইনোভেশন অফিসার।",
            "Only the officers and the CIO of this office can edit this plan.",
        )
    locked = plan_locked_quarters(plan)
    if locked:
        return LockedError(
            f"কর্মপরিকল্পনা এখন সম্পাদনা করা যাবে না: {quarters_bn(locked)} ত্রৈমাসিক দাখিল বা অনুমোদিত হয়েছে, "
            "আর এর নম্বর এই পরিকল্পনার ওপর নির্ভর করে। বদলাতে হলে আগে সেই ত্রৈমাসিকগুলো ফেরত পাঠাতে হবে।",
            f"The plan cannot be edited now: quarter(s) {', '.join(map(str, locked))} are submitted or "
            "approved and their marks depend on it. Return those quarters first.",
        )
    return None


def _place_of(problem: ImportProblem, places: dict[int, SheetPlace]) -> EditProblem:
    """An import problem at the item its sheet row came from (the area's, the activity's or the
    indicator's field, by the column)."""
    field = _FIELD_OF_HEADER.get(problem.column or "", "")
    place = places.get(problem.row) if problem.row is not None else None
    if place is None:
        at: tuple[int, ...] = ()
    elif field.startswith("area_"):
        at = (place.area,)
    elif field.startswith("activity_"):
        at = (place.area, place.activity)
    else:
        at = (place.area, place.activity, place.indicator)
    return EditProblem(at, field, problem.message_bn, problem.message_en)


def draft_problems(draft: PlanDraft) -> list[EditProblem]:
    """What the plan sheet cannot say: a unit's kind against its label, and items left empty."""
    problems: list[EditProblem] = []
    if not draft.indicator_count():
        problems.append(
            EditProblem(
                (),
                "",
                "কর্মপরিকল্পনায় অন্তত একটি সূচক থাকতে হবে।",
                "The plan must have at least one indicator.",
            )
        )
    for a, area in enumerate(draft.areas):
        if not area.activities:
            problems.append(
                EditProblem(
                    (a,),
                    "",
                    "এই ক্ষেত্রে কোনো কার্যক্রম নেই: কার্যক্রম ও সূচক যোগ করুন, অথবা ক্ষেত্রটি বাদ দিন।",
                    "This area has no activity: add an activity and an indicator, or remove the area.",
                )
            )
        for b, activity in enumerate(area.activities):
            if not activity.indicators:
                problems.append(
                    EditProblem(
                        (a, b),
                        "",
                        "এই কার্যক্রমে কোনো সূচক নেই: সূচক যোগ করুন, অথবা কার্যক্রমটি বাদ দিন।",
                        "This activity has no indicator: add one, or remove the activity.",
                    )
                )
            for c, indicator in enumerate(activity.indicators):
                problems.extend(_unit_problems((a, b, c), indicator.unit_kind, unit_cell(indicator)))
    return problems


def _unit_problems(place: tuple[int, ...], kind: str, cell: str) -> list[EditProblem]:
    try:
        chosen = scoring.Unit(kind)
    except ValueError:
        return [EditProblem(place, "unit", "এককের ধরন বেছে নিন।", "Choose the unit's kind.")]
    try:
        read = parsing.parse_unit_label(cell)
    except parsing.CellError:
        return []  # the sheet's parser says it, at the unit
    if read.kind == chosen:
        return []
    return [
        EditProblem(
            place,
            "unit",
            f"একক '{read.label}' {Unit(read.kind.value).label} হিসেবে পড়া হয়, কিন্তু ধরন বেছে নেওয়া হয়েছে "
            f"{Unit(chosen.value).label}; একক বা ধরন বদলান।",
            f"The unit '{read.label}' reads as {read.kind.value}, but the kind chosen is {chosen.value}; "
            "change the unit or the kind.",
        )
    ]


def _reused_codes(plan: ActionPlan, draft: PlanDraft) -> list[EditProblem]:
    """A new indicator may not take the code of one that is saved: the import matches indicators by code,
    so it would inherit the progress of the indicator removed in the same save (or clash with a kept one)."""
    saved = set(plan.indicators.values_list("code", flat=True))
    problems = []
    for a, area in enumerate(draft.areas):
        for b, activity in enumerate(area.activities):
            for c, indicator in enumerate(activity.indicators):
                if indicator.saved:
                    continue
                try:
                    code = parsing.parse_code(indicator.code, depth=3)
                except parsing.CellError:
                    continue  # the sheet's parser says it
                if code in saved:
                    problems.append(
                        EditProblem(
                            (a, b, c),
                            "indicator_code",
                            f"সূচক নম্বর {format_code(code)} এই পরিকল্পনার একটি সংরক্ষিত সূচকের; নতুন সূচককে অন্য "
                            "নম্বর দিন (বাদ দেওয়া সূচকের নম্বর নতুন সূচক পায় না, যাতে এর অগ্রগতি নতুনটির না হয়ে যায়)।",
                            f"Indicator code {code} belongs to a saved indicator of this plan; give the new indicator "
                            "another code (a removed indicator's code is not given to a new one, so that its "
                            "progress does not pass to the new one).",
                        )
                    )
    return problems


def _described(evaluation: str, evidence_expected: str) -> str:
    # The line ``structure.indicator_update`` writes for the same change.
    return f"মূল্যায়ন পদ্ধতি: {evaluation or '—'}; প্রমাণক: {evidence_expected or '—'}"


@transaction.atomic
def plan_edit_save(
    *, plan: ActionPlan, draft: PlanDraft, expected_version: str, user: AbstractBaseUser
) -> PlanEditResult:
    """Save the edited plan as a whole, with the sheet import's checks and history; refuse while a quarter is
    submitted or beyond, and when the plan changed since the form was loaded (``expected_version``)."""
    if not permissions.can_edit_progress(user, plan):
        raise PermissionDeniedError("আপনি এই কর্মপরিকল্পনা বদলাতে পারেন না।", "You cannot change this plan.")
    # The lock order of every write of the plan's structure: the plan's row, then its periods.
    ActionPlan.objects.select_for_update(no_key=True, of=("self",)).filter(pk=plan.pk).first()
    ensure_plan_unlocked(plan, what_bn="কর্মপরিকল্পনা", what_en="plan")
    if plan_version(plan) != expected_version:
        raise ConflictError(
            "এর মধ্যে কর্মপরিকল্পনাটি বদলানো হয়েছে (অন্য কেউ বা অন্য কোনো জানালা থেকে); আপনার পরিবর্তন সংরক্ষণ "
            "করা হয়নি। সংরক্ষিত পরিকল্পনাটি আবার খুলে নতুন করে বদলান।",
            "The plan was changed in the meantime (by someone else or in another window); your changes were "
            "not saved. Open the saved plan again and make them anew.",
        )
    sheet, places = draft_sheet(draft)
    problems = draft_problems(draft) + _reused_codes(plan, draft)
    try:
        plan_sheet_parse(sheet, fiscal_year=plan.fiscal_year, targets_optional=True)
    except ImportFailed as failed:
        problems += [_place_of(problem, places) for problem in failed.problems]
    if problems:
        raise PlanEditFailed(problems)

    described_before = {i.code: (i.evaluation, i.evidence_expected) for i in plan.indicators.all()}
    try:
        result = plan_import(
            office=plan.office,
            fiscal_year=plan.fiscal_year,
            sheet=sheet,
            replace=True,
            user=user,
            reason=EDIT_REASON,
            targets_optional=True,
        )
    except ImportFailed as failed:  # what only the saved plan shows: evidence or progress that would be lost
        raise PlanEditFailed([_place_of(problem, places) for problem in failed.problems]) from failed
    # The import's history names each item and its marks settings; the words on evaluation and evidence
    # are recorded here (DESIGN.md §4: every change in the history).
    for indicator in plan.indicators.all():
        before = described_before.get(indicator.code)
        after = (indicator.evaluation, indicator.evidence_expected)
        if before is not None and before != after:
            history_record(
                plan=plan,
                kind=HistoryKind.PLAN,
                before=_described(*before),
                after=_described(*after),
                user=user,
                indicator=indicator,
                reason=EDIT_REASON,
            )
    return PlanEditResult(
        plan=result.plan,
        indicators=result.indicators,
        removed_indicators=result.removed_indicators,
        warnings=[_place_of(problem, places) for problem in result.warnings],
    )
