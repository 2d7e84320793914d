"""Every read a screen, command or report needs, with its related rows fetched in one go."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q

from base.bangla import fiscal_year_label, format_code, format_date_short, to_bangla_digits
from base.errors import DomainError
from indicators import parsing, permissions, scoring
from indicators.models import (
    VISIBLE_TO_REVIEWER_STATES,
    ActionPlan,
    FiscalYear,
    Office,
    PlanTemplate,
    ReportingPeriod,
    Role,
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


def fiscal_year_get(year_code: str) -> FiscalYear:
    """``2022-23`` (or any spelling the sheets accept) → its fiscal year; a DomainError if there is none."""
    start = fiscal_year_start(year_code)
    year = FiscalYear.objects.filter(start_year=start).first()
    if year is None:
        raise DomainError(
            f"{fiscal_year_label(start)} অর্থবছরটি নেই।", f"No fiscal year {start}-{(start + 1) % 100:02d}."
        )
    return year


def office_year_plan(office: Office, fiscal_year: FiscalYear) -> ActionPlan | None:
    """The office's plan of the year, if it has one."""
    return ActionPlan.objects.filter(office=office, fiscal_year=fiscal_year).first()


def plan_get(*, office_code: str, year_code: str) -> ActionPlan:
    plan = (
        ActionPlan.objects.for_office_year(office_code, fiscal_year_start(year_code))
        .select_related(
            "office",
            "fiscal_year",
            "origin_plan__office",
            "origin_plan__fiscal_year",
            "origin_template__office",
            "origin_template__fiscal_year",
        )
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


# ---------------------------------------------------------------------------------------------------------
# The years of an office's plans and the next year (issue 13)


def office_plans(plan: ActionPlan) -> list[ActionPlan]:
    """Every plan of the plan's office, oldest year first (whoever sees one plan of an office sees them all:
    visibility depends on the office only, ``permissions.can_view_plan``)."""
    return list(
        ActionPlan.objects.filter(office_id=plan.office_id)
        .select_related("office", "fiscal_year")
        .order_by("fiscal_year__start_year")
    )


@dataclass(frozen=True)
class NextYear:
    """What the plan page offers an office's officer or CIO for the year after the plan's."""

    fiscal_year: str  # Bangla label, ২০২৩-২৪
    code: str  # 2023-24
    template: PlanTemplate | None  # the parent office's template of that year, if published


def next_year_for(plan: ActionPlan, user, plans: list[ActionPlan]) -> NextYear | None:
    """The next year's start, if this user may start the office's plans and the office has none for the
    year after this plan's yet (``plans``: the office's plans, ``office_plans``)."""
    start = plan.fiscal_year.start_year + 1
    if not permissions.can_start_plan(user, plan.office) or any(
        p.fiscal_year.start_year == start for p in plans
    ):
        return None
    template = (
        PlanTemplate.objects.select_related("office", "fiscal_year")
        .filter(office_id=plan.office.parent_id, fiscal_year__start_year=start)
        .first()
        if plan.office.parent_id
        else None
    )
    return NextYear(
        fiscal_year=fiscal_year_label(start), code=fiscal_year_label(start, bangla=False), template=template
    )


@dataclass(frozen=True)
class TemplateToStart:
    office_code: str
    office_name: str
    template: PlanTemplate


def templates_to_start(user) -> list[TemplateToStart]:
    """Templates the parents of the user's offices published for a year the office has no plan of yet, for
    the offices where the user may start a plan (officer, CIO); one query."""
    office_ids = permissions.offices_with_role(user, [Role.OFFICER, Role.CIO])
    if not office_ids:
        return []
    templates = (
        PlanTemplate.objects.filter(office__children__pk__in=office_ids)
        .annotate(
            child_id=F("office__children__pk"),
            child_code=F("office__children__code"),
            child_name=F("office__children__name_bn"),
        )
        .exclude(
            Exists(
                ActionPlan.objects.filter(
                    office_id=OuterRef("child_id"), fiscal_year_id=OuterRef("fiscal_year_id")
                )
            )
        )
        .select_related("office", "fiscal_year")
        .order_by("-fiscal_year__start_year", "child_code")
    )
    return [
        TemplateToStart(office_code=t.child_code, office_name=t.child_name, template=t) for t in templates
    ]


def template_for_office(*, office_code: str, year_code: str) -> tuple[Office, FiscalYear, PlanTemplate]:
    """The office, the year and its parent's template of that year; a DomainError if any is missing."""
    office = office_get(code=office_code)
    start = fiscal_year_start(year_code)
    template = (
        PlanTemplate.objects.select_related("office", "fiscal_year")
        .filter(office_id=office.parent_id, fiscal_year__start_year=start)
        .first()
        if office.parent_id
        else None
    )
    if template is None:
        raise DomainError(
            f"{year_code} অর্থবছরের কোনো টেমপ্লেট ঊর্ধ্বতন দপ্তর প্রকাশ করেনি।",
            f"The parent office has published no template for {year_code}.",
        )
    return office, template.fiscal_year, template


@dataclass(frozen=True)
class TemplateDesk:
    """What the templates page shows a member of higher offices: the offices whose template they may
    publish, the plans whose structure may become one (their own offices' and the offices' below), and the
    templates published so far."""

    offices: list[Office]
    sources: list[ActionPlan]
    templates: list[PlanTemplate]


def template_desk(user) -> TemplateDesk:
    """Offices with offices below them where the user may publish (officer, CIO, reviewer)."""
    office_ids = permissions.offices_with_role(user, [Role.OFFICER, Role.CIO, Role.REVIEWER])
    offices = list(
        Office.objects.filter(pk__in=office_ids, children__isnull=False).distinct().order_by("code")
    )
    ids = [o.pk for o in offices]
    sources = list(
        ActionPlan.objects.filter(Q(office_id__in=ids) | Q(office__parent_id__in=ids))
        .select_related("office", "fiscal_year")
        .order_by("-fiscal_year__start_year", "office__code")
    )
    templates = list(
        PlanTemplate.objects.filter(office_id__in=ids)
        .select_related("office", "fiscal_year", "published_by")
        .order_by("-fiscal_year__start_year", "office__code")
    )
    return TemplateDesk(offices=offices, sources=sources, templates=templates)
