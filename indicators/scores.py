"""Marks computed from the database (DESIGN.md §3): the scoring service's input built from the stored rows in
one place (``scoring_input``), a plan's marks up to a quarter (``plan_score``, ``plan_scores``), every plan of
a year in chunks without model instances (``year_plan_scores``), and the stable ``score --json`` shape
(``plan_score_json``). Marks are never stored except as an approval's snapshot.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Prefetch, Q
from django.utils import translation

from indicators import scoring
from indicators.models import (
    TARGET_COLUMNS,
    TARGET_LEVELS,
    ActionPlan,
    Activity,
    Indicator,
    PerformanceArea,
    Progress,
    Unit,
)


def indicators_with_progress(queryset) -> list[Indicator]:
    return list(
        queryset.select_related("activity__area")
        .prefetch_related(Prefetch("progress", queryset=Progress.objects.recorded().order_by("quarter")))
        .order_by("plan_id", "position")
    )


def plan_indicators(plan: ActionPlan) -> list[Indicator]:
    """The plan's indicators in order, each with its activity, area and progress (two queries)."""
    return indicators_with_progress(plan.indicators.all())


def scoring_input(
    *,
    code: str,
    area_code: str,
    unit: str,
    weight: Decimal,
    calc_method: str,
    scoring_method: str,
    direction: str,
    targets: Sequence[scoring.Value | None],
    quarterly: dict[int, scoring.Value],
    applicable: bool,
) -> scoring.IndicatorInput:
    """The scoring service's input for one indicator from its stored values (DESIGN.md §3): the only place
    that turns stored rows into it — for pages and reports (``indicator_scoring_input``), for every plan of a
    year (``year_plan_scores``) and for the generated load data. ``targets`` are the five levels' targets,
    100 % first, in the column of the indicator's unit."""
    return scoring.IndicatorInput(
        code=code,
        area_code=area_code,
        unit=scoring.Unit(unit),
        weight=weight,
        calc_method=scoring.CalcMethod(calc_method),
        scoring_method=scoring.ScoringMethod(scoring_method),
        direction=scoring.Direction(direction),
        targets=scoring.Targets(*targets),
        quarterly=quarterly,
        applicable=applicable,
    )


def indicator_scoring_input(indicator: Indicator) -> scoring.IndicatorInput:
    """The input of an indicator read with its area and progress (``plan_indicators``)."""
    return scoring_input(
        code=indicator.code,
        area_code=indicator.activity.area.code,
        unit=indicator.unit,
        weight=indicator.weight,
        calc_method=indicator.calc_method,
        scoring_method=indicator.scoring_method,
        direction=indicator.direction,
        targets=[indicator.target(level) for level in TARGET_LEVELS],
        quarterly={p.quarter: p.value for p in indicator.progress.all()},
        applicable=indicator.applicable,
    )


def plan_scores(plans: list[ActionPlan], *, up_to_quarter: int = 4) -> dict[int, scoring.PlanScore]:
    """{plan id: marks} for several plans in three queries, computed from progress (DESIGN.md §3)."""
    areas: dict[int, list[scoring.AreaInput]] = {plan.pk: [] for plan in plans}
    for area in PerformanceArea.objects.filter(plan__in=plans).order_by("plan_id", "position"):
        areas[area.plan_id].append(scoring.AreaInput(code=area.code, marks=area.marks))
    inputs: dict[int, list[scoring.IndicatorInput]] = {plan.pk: [] for plan in plans}
    for indicator in indicators_with_progress(Indicator.objects.filter(plan__in=plans)):
        inputs[indicator.plan_id].append(indicator_scoring_input(indicator))
    return {pk: scoring.score_plan(areas[pk], inputs[pk], up_to_quarter=up_to_quarter) for pk in areas}


def plan_score(plan: ActionPlan, *, up_to_quarter: int = 4) -> scoring.PlanScore:
    """The plan's marks computed from its progress (never stored: DESIGN.md §3)."""
    return plan_scores([plan], up_to_quarter=up_to_quarter)[plan.pk]


def _number(value: Decimal | None) -> str | None:
    return None if value is None else str(scoring.round2(value))


def _achievement(value: Decimal | datetime.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    return _number(value)


def plan_unit_labels(plan: ActionPlan) -> dict[str, str]:
    """{indicator code: the unit as the plan writes it} (one query), for ``score --json``'s ``unit_label``; an
    indicator without its own label has its kind's Bangla word, whatever language is active."""
    rows = Indicator.objects.filter(plan=plan).values_list("code", "unit", "unit_label")
    with translation.override(None):
        return {code: label or str(Unit(unit).label) for code, unit, label in rows}


def plan_score_json(plan: ActionPlan, result: scoring.PlanScore) -> dict:
    """The stable JSON shape of DESIGN.md §8: codes in ASCII, numbers as strings with two decimals."""
    return {
        "office": plan.office.code,
        "year": plan.fiscal_year.code,
        "total_weight": _number(result.total_weight),
        "applicable_weight": _number(result.applicable_weight),
        "achieved_marks": _number(result.achieved_marks),
        "percent": _number(result.percent),
        "scaled_marks": _number(result.scaled_marks),
        "areas": [
            {"code": a.code, "marks": _number(a.marks), "achieved_marks": _number(a.achieved_marks)}
            for a in result.areas
        ],
        "indicators": [
            {
                "code": i.code,
                "unit": str(i.unit),
                "weight": _number(i.weight),
                "applicable": i.applicable,
                "achievement": _achievement(i.achievement),
                "raw_score": _number(i.raw_score),
                "achieved_marks": _number(i.achieved_marks),
            }
            for i in result.indicators
        ],
    }


@dataclass
class BulkScoreFigures:
    plans: int = 0
    indicators: int = 0
    progress_rows: int = 0
    percent_sum: Decimal = Decimal(0)

    @property
    def mean_percent(self) -> Decimal | None:
        return scoring.round2(self.percent_sum / self.plans) if self.plans else None


_INDICATOR_COLUMNS = (
    "pk",
    "plan_id",
    "code",
    "activity_id",
    "unit",
    "weight",
    "calc_method",
    "scoring_method",
    "direction",
    "applicable",
    *TARGET_COLUMNS,
)


#: Plans read and scored together by ``year_plan_scores``: big enough that the queries are few (four per
#: chunk), small enough that a chunk's rows stay a few megabytes.
SCORE_CHUNK_PLANS = 1000


def _in_slices(ids: list[int]) -> Iterator[list[int]]:
    """``ids`` in slices the backend takes as query parameters at once (all of them on PostgreSQL)."""
    size = connection.features.max_query_params or len(ids) or 1
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def year_plan_scores(
    start_year: int, *, chunk_size: int = SCORE_CHUNK_PLANS, figures: BulkScoreFigures | None = None
) -> Iterator[tuple[int, scoring.PlanScore]]:
    """``(plan id, marks)`` for every plan of the fiscal year, computed from progress by the scoring service
    exactly as ``plan_scores`` does, without model instances: the plan ids are read
    once, then per chunk of ``chunk_size`` plans four queries read plain tuples — areas, activities,
    indicators, and the progress values of those indicators. Each is a lookup by plan or by indicator in its
    own index, with no join: joined, PostgreSQL chose to scan the whole progress and activity tables for
    every chunk. Memory stays at one chunk whatever the number of plans. ``figures``, if given, counts what
    was read (``progress_rows``: the progress rows that hold a value; a remark alone does not score)."""
    figures = figures if figures is not None else BulkScoreFigures()
    plan_ids = list(
        ActionPlan.objects.filter(fiscal_year__start_year=start_year)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(plan_ids), chunk_size):
        chunk = plan_ids[start : start + chunk_size]
        areas: dict[int, list[scoring.AreaInput]] = {pk: [] for pk in chunk}
        area_codes: dict[int, str] = {}
        for pk, plan_id, code, marks in (
            PerformanceArea.objects.filter(plan_id__in=chunk)
            .order_by("plan_id", "position", "pk")
            .values_list("pk", "plan_id", "code", "marks")
        ):
            areas[plan_id].append(scoring.AreaInput(code=code, marks=marks))
            area_codes[pk] = code
        activity_areas = dict(Activity.objects.filter(plan_id__in=chunk).values_list("pk", "area_id"))
        indicators = list(
            Indicator.objects.filter(plan_id__in=chunk)
            .order_by("plan_id", "position", "pk")
            .values_list(*_INDICATOR_COLUMNS)
        )

        quarterly: dict[int, dict[int, scoring.Value]] = defaultdict(dict)
        for ids in _in_slices([row[0] for row in indicators]):
            for indicator_id, quarter, number, day in (
                Progress.objects.filter(indicator_id__in=ids)
                .filter(Q(value_number__isnull=False) | Q(value_date__isnull=False))
                .order_by()
                .values_list("indicator_id", "quarter", "value_number", "value_date")
            ):
                quarterly[indicator_id][quarter] = day if day is not None else number
                figures.progress_rows += 1

        inputs: dict[int, list[scoring.IndicatorInput]] = {pk: [] for pk in chunk}
        for row in indicators:
            values = dict(zip(_INDICATOR_COLUMNS, row, strict=True))
            suffix = "date" if values["unit"] == scoring.Unit.DATE else "number"
            inputs[values["plan_id"]].append(
                scoring_input(
                    code=values["code"],
                    area_code=area_codes[activity_areas[values["activity_id"]]],
                    unit=values["unit"],
                    weight=values["weight"],
                    calc_method=values["calc_method"],
                    scoring_method=values["scoring_method"],
                    direction=values["direction"],
                    targets=[values[f"target_{level}_{suffix}"] for level in TARGET_LEVELS],
                    quarterly=quarterly.get(values["pk"], {}),
                    applicable=values["applicable"],
                )
            )
        figures.indicators += len(indicators)

        for plan_id in chunk:
            result = scoring.score_plan(areas[plan_id], inputs[plan_id])
            figures.plans += 1
            figures.percent_sum += result.percent
            yield plan_id, result
