"""A plan as the browser's editor holds it (issue 13 point 4): areas → activities → indicators, every value as
the text the officer typed, exactly the cells of the plan sheet (DESIGN.md §7). Nothing is written here.

The draft is read from a saved plan (:func:`plan_draft`), changed in the form (adding, removing and moving
items: :func:`draft_apply`) and, when saved, turned into a plan sheet (:func:`draft_sheet`) that the sheet
import reads and writes (``indicators.services.plan_edit``): the browser gets the import's validation
because it is the import's parser that reads it, not a second set of rules.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from base.bangla import format_code, to_bangla_digits
from indicators import parsing, scoring
from indicators.models import ActionPlan, Indicator
from indicators.selectors import (
    CALC_WORDS,
    DIRECTION_WORDS,
    PLAN_SHEET_HEADERS,
    SCORING_WORDS,
    plan_indicators,
    plan_sheet_rows,
    sheet_value,
)
from indicators.sheets import Sheet

#: The plan sheet's fields in the order of ``PLAN_SHEET_HEADERS`` (the columns the export writes), read through
#: the import's own header table, so the editor's sheet and the export cannot name a column differently.
SHEET_FIELDS = tuple(parsing.HEADER_ALIASES["plan"][parsing.normalize_header(h)] for h in PLAN_SHEET_HEADERS)
TARGET_LEVELS = tuple(scoring.LEVEL_PERCENTS)
#: The word a unit of each kind is written with when the officer gives no label of their own.
UNIT_KIND_WORDS = {scoring.Unit.NUMBER: "সংখ্যা", scoring.Unit.PERCENT: "%", scoring.Unit.DATE: "তারিখ"}
#: Limits of one plan in the editor, so that a form cannot make the server build an endless plan.
MAX_AREAS = 30
MAX_ACTIVITIES = 100
MAX_INDICATORS = 300


@dataclass
class DraftIndicator:
    code: str = ""
    title: str = ""
    unit_kind: str = scoring.Unit.NUMBER.value
    unit_label: str = ""
    weight: str = ""
    calc_method: str = ""  # "" = taken from the unit, as the import does
    scoring_method: str = scoring.ScoringMethod.INTERPOLATE.value
    direction: str = scoring.Direction.HIGHER.value
    targets: dict[int, str] = field(default_factory=lambda: dict.fromkeys(TARGET_LEVELS, ""))
    evaluation: str = ""
    evidence_expected: str = ""
    saved: bool = False  # in the plan already: its code is its identity (progress and evidence hang on it)


@dataclass
class DraftActivity:
    code: str = ""
    title: str = ""
    indicators: list[DraftIndicator] = field(default_factory=list)
    saved: bool = False


@dataclass
class DraftArea:
    code: str = ""
    title: str = ""
    marks: str = ""
    activities: list[DraftActivity] = field(default_factory=list)
    saved: bool = False


@dataclass
class PlanDraft:
    areas: list[DraftArea] = field(default_factory=list)

    def indicator_count(self) -> int:
        return sum(len(activity.indicators) for area in self.areas for activity in area.activities)


# ---------------------------------------------------------------------------------------------------------
# From the saved plan, and its version


def _number_text(value) -> str:
    return to_bangla_digits(parsing.plain_number(value))


def draft_indicator(indicator: Indicator) -> DraftIndicator:
    unit = scoring.Unit(indicator.unit)
    return DraftIndicator(
        code=format_code(indicator.code),
        title=indicator.title,
        unit_kind=unit.value,
        unit_label=indicator.unit_label,
        weight=_number_text(indicator.weight),
        calc_method=indicator.calc_method,
        scoring_method=indicator.scoring_method,
        direction=indicator.direction,
        targets={
            level: "" if indicator.target(level) is None else sheet_value(unit, indicator.target(level))
            for level in TARGET_LEVELS
        },
        evaluation=indicator.evaluation,
        evidence_expected=indicator.evidence_expected,
        saved=True,
    )


def plan_draft(plan: ActionPlan) -> PlanDraft:
    """The saved plan as the editor shows it: the texts the plan sheet export writes."""
    draft = PlanDraft()
    areas: dict[int, DraftArea] = {}
    activities: dict[int, DraftActivity] = {}
    for area in plan.areas.order_by("position", "pk"):
        areas[area.pk] = DraftArea(
            code=format_code(area.code), title=area.title, marks=_number_text(area.marks), saved=True
        )
        draft.areas.append(areas[area.pk])
    for activity in plan.activities.order_by("position", "pk"):
        activities[activity.pk] = DraftActivity(
            code=format_code(activity.code), title=activity.title, saved=True
        )
        areas[activity.area_id].activities.append(activities[activity.pk])
    for indicator in plan_indicators(plan):
        activities[indicator.activity_id].indicators.append(draft_indicator(indicator))
    return draft


def plan_version(plan: ActionPlan) -> str:
    """A fingerprint of everything the editor shows of the plan (the plan sheet the export writes): the form
    carries the one it was loaded with, and a save from a form loaded before another change is refused."""
    headers, rows = plan_sheet_rows(plan)
    structure = [
        (a.code, a.title, str(a.marks), a.position) for a in plan.areas.order_by("position", "pk")
    ] + [(a.code, a.title, a.area_id, a.position) for a in plan.activities.order_by("position", "pk")]
    digest = hashlib.sha256(repr((headers, rows, structure)).encode())
    return digest.hexdigest()[:32]


# ---------------------------------------------------------------------------------------------------------
# To a plan sheet


@dataclass(frozen=True)
class SheetPlace:
    """Which item of the draft a sheet row came from: (area, activity, indicator) indexes."""

    area: int
    activity: int
    indicator: int


def unit_cell(indicator: DraftIndicator) -> str:
    """The sheet's unit cell: the label as the plan writes it, or the word of the chosen kind."""
    label = " ".join(indicator.unit_label.split())
    if label:
        return label
    try:
        return UNIT_KIND_WORDS[scoring.Unit(indicator.unit_kind)]
    except ValueError:
        return ""


def _word(table: dict, enum, value: str) -> str:
    """A method's word as the export writes it, or the text as it came (the parser then says what is wrong)."""
    try:
        return table[enum(value)]
    except ValueError:
        return value


def draft_sheet(draft: PlanDraft) -> tuple[Sheet, dict[int, SheetPlace]]:
    """The draft as a plan sheet in the export's format, one row per indicator (header row 1), and which
    item each row number came from."""
    rows: list[tuple[int, list[str]]] = []
    places: dict[int, SheetPlace] = {}
    for a, area in enumerate(draft.areas):
        for b, activity in enumerate(area.activities):
            for c, indicator in enumerate(activity.indicators):
                number = len(rows) + 2
                places[number] = SheetPlace(a, b, c)
                calc = (
                    ""
                    if not indicator.calc_method
                    else _word(CALC_WORDS, scoring.CalcMethod, indicator.calc_method)
                )
                rows.append(
                    (
                        number,
                        [
                            area.code,
                            area.title,
                            area.marks,
                            activity.code,
                            activity.title,
                            indicator.code,
                            indicator.title,
                            unit_cell(indicator),
                            indicator.weight,
                            calc,
                            _word(SCORING_WORDS, scoring.ScoringMethod, indicator.scoring_method),
                            _word(DIRECTION_WORDS, scoring.Direction, indicator.direction),
                            *(indicator.targets.get(level, "") for level in TARGET_LEVELS),
                            indicator.evaluation,
                            indicator.evidence_expected,
                        ],
                    )
                )
    return Sheet(headers=list(PLAN_SHEET_HEADERS), rows=rows), places


# ---------------------------------------------------------------------------------------------------------
# Adding, removing and moving items (the form's buttons; nothing is saved until the plan is)


def _next_code(parent: str, siblings: list[str]) -> str:
    """The code after the siblings' highest (``[১.২.৩]`` after ``[১.২.২]``), under the parent's code."""
    highest = 0
    for raw in siblings:
        try:
            numbers = parsing.code_numbers(parsing.parse_code(raw))
        except parsing.CellError:
            continue
        if numbers:
            highest = max(highest, numbers[-1])
    try:
        parent_code = parsing.parse_code(parent) if parent else ""
    except parsing.CellError:
        parent_code = ""
    if parent and not parent_code:
        return ""
    return format_code(f"{parent_code}.{highest + 1}" if parent_code else str(highest + 1))


def _new_indicator(activity: DraftActivity) -> DraftIndicator:
    return DraftIndicator(code=_next_code(activity.code, [i.code for i in activity.indicators]))


def _new_activity(area: DraftArea) -> DraftActivity:
    activity = DraftActivity(code=_next_code(area.code, [a.code for a in area.activities]))
    activity.indicators.append(_new_indicator(activity))
    return activity


def _new_area(draft: PlanDraft) -> DraftArea:
    area = DraftArea(code=_next_code("", [a.code for a in draft.areas]))
    area.activities.append(_new_activity(area))
    return area


class DraftActionError(ValueError):
    """A button's address that names no item of the draft (a stale or forged form)."""


def _index(items: list, raw: str) -> int:
    if not raw.isdigit() or int(raw) >= len(items):
        raise DraftActionError(raw)
    return int(raw)


def _move(items: list, index: int, step: int) -> None:
    other = index + step
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]


def draft_apply(draft: PlanDraft, action: str) -> None:
    """Apply one of the editor's buttons, ``<verb>:<path>`` with the path the item's indexes joined by
    dots (``add-indicator:0.1`` adds an indicator to the first area's second activity). Verbs: ``add-area``,
    ``add-activity``, ``add-indicator``, ``remove``, ``up``, ``down``."""
    verb, _sep, path = action.partition(":")
    parts = [part for part in path.split(".") if part != ""] if path else []
    if verb == "add-area":
        if len(draft.areas) >= MAX_AREAS:
            raise DraftActionError(action)
        draft.areas.append(_new_area(draft))
        return
    if not parts or len(parts) > 3:
        raise DraftActionError(action)
    # The list the item lives in, and its index there.
    containers: list[list] = [draft.areas]
    area = draft.areas[_index(draft.areas, parts[0])]
    containers.append(area.activities)
    activity = None
    if len(parts) >= 2:
        activity = area.activities[_index(area.activities, parts[1])]
        containers.append(activity.indicators)
    if len(parts) == 3:
        _index(activity.indicators, parts[2])
    if verb == "add-activity" and len(parts) == 1:
        if sum(len(a.activities) for a in draft.areas) >= MAX_ACTIVITIES:
            raise DraftActionError(action)
        area.activities.append(_new_activity(area))
    elif verb == "add-indicator" and len(parts) == 2:
        if draft.indicator_count() >= MAX_INDICATORS:
            raise DraftActionError(action)
        activity.indicators.append(_new_indicator(activity))
    elif verb in ("remove", "up", "down"):
        items = containers[len(parts) - 1]
        index = int(parts[-1])
        if verb == "remove":
            del items[index]
        else:
            _move(items, index, -1 if verb == "up" else 1)
    else:
        raise DraftActionError(action)
