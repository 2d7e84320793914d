"""Every read a screen, command or report needs, with its related rows fetched in one go."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Prefetch

from apa_tracker.errors import DomainError
from indicators import scoring
from indicators.models import ActionPlan, Indicator, Office, Progress
from reports.bangla import fiscal_year_label, format_code, format_date_short, to_bangla_digits


def office_get(*, code: str) -> Office:
    office = Office.objects.filter(code=code).first()
    if office is None:
        raise DomainError(f"'{code}' কোডের কোনো দপ্তর নেই।", f"No office with code '{code}'.")
    return office


def plan_get(*, office_code: str, year_code: str) -> ActionPlan:
    plan = (
        ActionPlan.objects.for_office_year(office_code, year_code)
        .select_related("office", "fiscal_year")
        .first()
    )
    if plan is None:
        raise DomainError(
            f"'{office_code}' দপ্তরের {year_code} অর্থবছরের কোনো কর্মপরিকল্পনা নেই।",
            f"No plan for office '{office_code}' in fiscal year {year_code}.",
        )
    return plan


def plan_indicators(plan: ActionPlan) -> list[Indicator]:
    """The plan's indicators in order, each with its activity, area and progress (three queries)."""
    return list(
        plan.indicators.select_related("activity__area")
        .prefetch_related(Prefetch("progress", queryset=Progress.objects.order_by("quarter")))
        .order_by("position")
    )


def indicator_scoring_input(indicator: Indicator) -> scoring.IndicatorInput:
    return scoring.IndicatorInput(
        code=indicator.code,
        area_code=indicator.activity.area.code,
        unit=scoring.Unit(indicator.unit),
        weight=indicator.weight,
        calc_method=scoring.CalcMethod(indicator.calc_method),
        scoring_method=scoring.ScoringMethod(indicator.scoring_method),
        direction=scoring.Direction(indicator.direction),
        targets=indicator.targets,
        quarterly={p.quarter: p.value for p in indicator.progress.all()},
        applicable=indicator.applicable,
    )


def plan_score(plan: ActionPlan, *, up_to_quarter: int = 4) -> scoring.PlanScore:
    """The plan's marks computed from its progress (never stored: DESIGN.md §3)."""
    areas = [scoring.AreaInput(code=a.code, marks=a.marks) for a in plan.areas.order_by("position")]
    indicators = [indicator_scoring_input(i) for i in plan_indicators(plan)]
    return scoring.score_plan(areas, indicators, up_to_quarter=up_to_quarter)


def plan_year_code(plan: ActionPlan) -> str:
    return fiscal_year_label(plan.fiscal_year.start_year, bangla=False)


# Words written by the plan export; ``indicators.parsing`` reads every one of them back.
UNIT_WORDS = {scoring.Unit.DATE: "তারিখ", scoring.Unit.PERCENT: "%", scoring.Unit.NUMBER: "সংখ্যা"}
CALC_WORDS = {
    scoring.CalcMethod.SUM: "সমষ্টি",
    scoring.CalcMethod.AVERAGE: "গড়",
    scoring.CalcMethod.CUMULATIVE: "ক্রমপুঞ্জিভূত",
    scoring.CalcMethod.DATE: "তারিখ",
}
SCORING_WORDS = {
    scoring.ScoringMethod.INTERPOLATE: "রৈখিক",
    scoring.ScoringMethod.PROPORTIONAL: "আনুপাতিক",
    scoring.ScoringMethod.THRESHOLD: "পূর্ণ অথবা শূন্য",
    scoring.ScoringMethod.STEP: "ধাপভিত্তিক",
}
DIRECTION_WORDS = {scoring.Direction.HIGHER: "বেশি ভালো", scoring.Direction.LOWER: "কম ভালো"}
PLAN_SHEET_HEADERS = [
    "ক্ষেত্র নং",
    "কর্মসম্পাদন ক্ষেত্র",
    "ক্ষেত্রের মান",
    "কার্যক্রম নং",
    "কার্যক্রম",
    "সূচক নং",
    "কর্মসম্পাদন সূচক",
    "একক",
    "সূচকের মান",
    "গণনা পদ্ধতি",
    "নম্বর পদ্ধতি",
    "দিক",
    "অসাধারণ",
    "অতি উত্তম",
    "উত্তম",
    "চলতি মান",
    "চলতি মানের নিম্নে",
]


def _sheet_number(value: Decimal) -> str:
    return to_bangla_digits(format(value.normalize(), "f"))


def _sheet_value(unit: scoring.Unit, value: Decimal | datetime.date | None) -> str:
    if value is None:
        return "--"
    if isinstance(value, datetime.date):
        return format_date_short(value)
    return _sheet_number(value) + ("%" if unit == scoring.Unit.PERCENT else "")


def plan_sheet_rows(plan: ActionPlan) -> tuple[list[str], list[list[str]]]:
    """The plan as the plan sheet of DESIGN.md §7 (Bangla headers, Bangla digits), one row per indicator."""
    rows = []
    for indicator in plan_indicators(plan):
        activity, area = indicator.activity, indicator.activity.area
        unit = scoring.Unit(indicator.unit)
        rows.append(
            [
                format_code(area.code),
                area.title,
                _sheet_number(area.marks),
                format_code(activity.code),
                activity.title,
                format_code(indicator.code),
                indicator.title,
                UNIT_WORDS[unit],
                _sheet_number(indicator.weight),
                CALC_WORDS[scoring.CalcMethod(indicator.calc_method)],
                SCORING_WORDS[scoring.ScoringMethod(indicator.scoring_method)],
                DIRECTION_WORDS[scoring.Direction(indicator.direction)],
                *(_sheet_value(unit, indicator.target(level)) for level in scoring.LEVEL_PERCENTS),
            ]
        )
    return PLAN_SHEET_HEADERS, rows


def plans_for_user(user) -> list[ActionPlan]:
    """Plans of the offices in which the user holds a role, newest year first."""
    return list(
        ActionPlan.objects.filter(office__memberships__user=user)
        .select_related("office", "fiscal_year")
        .distinct()
        .order_by("-fiscal_year__start_year", "office__code")
    )
