"""Every read a screen, command or report needs, with its related rows fetched in one go."""

from __future__ import annotations

import datetime
from decimal import Decimal

from base.bangla import fiscal_year_label, format_code, format_date_short, to_bangla_digits
from base.errors import DomainError
from indicators import parsing, permissions, scoring
from indicators.models import (
    VISIBLE_TO_REVIEWER_STATES,
    ActionPlan,
    Office,
    ReportingPeriod,
)
from indicators.scores import plan_indicators


def office_get(*, code: str) -> Office:
    office = Office.objects.filter(code=code).first()
    if office is None:
        raise DomainError(f"'{code}' কোডের কোনো দপ্তর নেই।", f"No office with code '{code}'.")
    return office


def fiscal_year_start(year_code: str) -> int:
    """``2022-23`` (or any spelling the sheets accept) → 2022; a DomainError for anything else."""
    try:
        start, _end = parsing.parse_fiscal_year(year_code)
    except parsing.CellError as error:
        raise DomainError(error.message_bn, error.message_en) from error
    return start


def plan_get(*, office_code: str, year_code: str) -> ActionPlan:
    plan = (
        ActionPlan.objects.for_office_year(office_code, fiscal_year_start(year_code))
        .select_related("office", "fiscal_year")
        .first()
    )
    if plan is None:
        raise DomainError(
            f"'{office_code}' দপ্তরের {year_code} অর্থবছরের কোনো কর্মপরিকল্পনা নেই।",
            f"No plan for office '{office_code}' in fiscal year {year_code}.",
        )
    return plan


def plan_year_code(plan: ActionPlan) -> str:
    return fiscal_year_label(plan.fiscal_year.start_year, bangla=False)


# Words written by the plan export; ``indicators.parsing`` reads every one of them back.
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
    "মূল্যায়ন পদ্ধতি",
    "প্রমাণক",
]


def _sheet_number(value: Decimal) -> str:
    return to_bangla_digits(parsing.plain_number(value))


def sheet_value(unit: str, value: Decimal | datetime.date | None) -> str:
    """A target or achievement as the exchange sheets write it: Bangla digits, dates dd/mm/yyyy, percents
    with %, ``--`` for none."""
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
                indicator.unit_text,
                _sheet_number(indicator.weight),
                CALC_WORDS[scoring.CalcMethod(indicator.calc_method)],
                SCORING_WORDS[scoring.ScoringMethod(indicator.scoring_method)],
                DIRECTION_WORDS[scoring.Direction(indicator.direction)],
                *(sheet_value(unit, indicator.target(level)) for level in scoring.LEVEL_PERCENTS),
                indicator.evaluation,
                indicator.evidence_expected,
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


# ---------------------------------------------------------------------------------------------------------
# The plan page


def plan_for_user(*, user, office_code: str, year_code: str) -> ActionPlan:
    """The plan, if this user may see it; otherwise the same DomainError as for a plan that does not exist,
    so that nobody learns which other offices have plans."""
    plan = plan_get(office_code=office_code, year_code=year_code)
    if not permissions.can_view_plan(user, plan):
        raise DomainError(
            f"'{office_code}' দপ্তরের {year_code} অর্থবছরের কোনো কর্মপরিকল্পনা নেই।",
            f"No plan for office '{office_code}' in fiscal year {year_code}.",
        )
    return plan


def visible_quarters(plan: ActionPlan, user, *, periods: list[ReportingPeriod] | None = None) -> list[int]:
    """The quarters of the plan this user may see: all for members, only sent or accepted ones for a
    reviewer of the parent office (DESIGN.md §4: never drafts), none for anyone else."""
    if permissions.is_member(user, plan):
        return [1, 2, 3, 4]
    if not permissions.is_reviewer_of(user, plan):
        return []
    periods = plan.periods.all() if periods is None else periods
    return sorted(p.quarter for p in periods if p.state in VISIBLE_TO_REVIEWER_STATES)
