"""The national summary `/review/summary/` and the reads that must stay fast with every office in the country.

A reviewer (or an office administrator) sees, for ALL the offices below the offices in which they hold that
role — children, grandchildren and further down; the Cabinet Division's reviewer sees the whole country —
per office tier (``OfficeKind``) and for one fiscal year (and one quarter, or all four):

- ``offices``: the offices of the tier in the subtree; ``expected`` = offices × quarters chosen (one report
  per office and quarter, whether or not the office has a plan in the system yet);
- ``submitted``: reports that reached the higher office, i.e. periods in the states ``sent`` or
  ``accepted``. A reviewer sees nothing of a period before it is sent (DESIGN.md §4), so periods still inside
  their office — draft, submitted to the office's CIO, approved but not sent yet, returned — do not count,
  exactly as the inbox does not list them; ``pending`` = expected − submitted;
- ``on_time`` / ``late`` among the submitted ones, with the inbox's rule: late when first submitted (to the
  CIO) after the period's deadline, the day taken in the site's time zone (DESIGN.md §4: flagged, not
  blocked);
- ``average`` percent and the grade distribution of the submitted reports, read from the score snapshot
  taken at approval — the truth for an approved period (DESIGN.md §4), never recomputed here. Every sent or
  accepted period went through approval, so each has one.

Grade bands (``GRADE_BANDS``): DESIGN.md §3.2 defines five target levels per indicator (অসাধারণ 100 %, অতি
উত্তম 90 %, উত্তম 80 %, চলতি মান 70 %, চলতি মানের নিম্নে 60 %), not bands for a plan's percent. A plan's
percent is the weight-averaged raw score of its indicators, so the bands here read the levels as floors: a
plan at 100 % reached অসাধারণ on every indicator; 90–<100 is at least অতি উত্তম on average, 80–<90 উত্তম,
70–<80 চলতি মান, 60–<70 চলতি মানের নিম্নে; below 60 % is its own band (below the lowest level).

Everything is computed in the database with conditional aggregates, in one statement whatever the size of
the tree: the subtree is a recursive common table expression (``WITH RECURSIVE``, on PostgreSQL and SQLite
alike) walked once, then the offices and the periods are counted per tier (``summary_figures``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indicators import permissions, scoring
from indicators.models import (
    VISIBLE_TO_REVIEWER_STATES,
    ActionPlan,
    FiscalYear,
    Office,
    OfficeKind,
    PeriodState,
    PeriodTransition,
    ReportingPeriod,
    Role,
    default_deadline,
)
from workflow.pace import ANNUAL_QUARTER

#: The pace expected per quarter, in percent of the annual targets (``workflow.pace.EXPECTED_PACE``).
PACE_PER_QUARTER = 25

# Roles that see the summary of their offices' subtrees.
SUMMARY_ROLES = (Role.REVIEWER, Role.ADMIN)


# ---------------------------------------------------------------------------------------------------------
# Grade bands


@dataclass(frozen=True)
class GradeBand:
    key: str  # used in CSS class names and CSV headers
    label: str
    low: Decimal  # inclusive
    high: Decimal | None  # exclusive; None: no upper bound (the 100 % band is exactly 100)

    @property
    def bounds(self) -> list[tuple[str, Decimal]]:
        """The band as ``(lookup, value)`` conditions on a percent, ``gte`` the low bound and ``lt`` the high
        one: what both the ORM filter and the summary's SQL are built from. The lowest band takes anything
        below 60, so a low bound of 0 is no condition."""
        low = self.low if self.low > 0 else None
        return [(lookup, value) for lookup, value in (("gte", low), ("lt", self.high)) if value is not None]


GRADE_BANDS: tuple[GradeBand, ...] = (
    GradeBand("100", _("অসাধারণ (১০০%)"), Decimal(100), None),
    GradeBand("90", _("অতি উত্তম (৯০–১০০%)"), Decimal(90), Decimal(100)),
    GradeBand("80", _("উত্তম (৮০–৯০%)"), Decimal(80), Decimal(90)),
    GradeBand("70", _("চলতি মান (৭০–৮০%)"), Decimal(70), Decimal(80)),
    GradeBand("60", _("চলতি মানের নিম্নে (৬০–৭০%)"), Decimal(60), Decimal(70)),
    GradeBand("0", _("৬০%-এর নিচে"), Decimal(0), Decimal(60)),
)


def band_filter(percent: str, band: GradeBand) -> Q:
    """The rows whose annotation ``percent`` falls in ``band``."""
    return Q(**{f"{percent}__{lookup}": value for lookup, value in band.bounds})


def band_aggregates(percent: str, only: Q | None = None) -> dict[str, Count]:
    """``band_<key>`` → the number of rows in each grade band (among the rows ``only`` keeps), for
    aggregate()."""
    return {
        f"band_{band.key}": Count("pk", filter=band_filter(percent, band) & (only or Q()))
        for band in GRADE_BANDS
    }


def pace_aggregates(percent: str) -> dict[str, Count]:
    """Quarters before the annual report are progress to date (issue 14.6): ``annual`` counts the annual
    reports (the grade bands are theirs), ``on_pace`` and ``behind_pace`` the quarters at or past, and short
    of, the pace expected at their quarter (``workflow.pace``: 25 % a quarter)."""
    partial = Q(quarter__lt=ANNUAL_QUARTER, **{f"{percent}__isnull": False})
    expected = F("quarter") * PACE_PER_QUARTER
    return {
        "annual": Count("pk", filter=Q(quarter=ANNUAL_QUARTER, **{f"{percent}__isnull": False})),
        "on_pace": Count("pk", filter=partial & Q(**{f"{percent}__gte": expected})),
        "behind_pace": Count("pk", filter=partial & Q(**{f"{percent}__lt": expected})),
    }


@dataclass(frozen=True)
class BandCount:
    band: GradeBand
    count: int
    x: str = "0"  # where this band's segment starts in a stacked bar of width 100 (SVG units, ASCII)
    width: str = "0"  # the band's share of the rows counted, in percent: the segment's width in those units


def band_counts(values: dict, total: int) -> list[BandCount]:
    """The ``band_<key>`` figures of an aggregate as a list, with each band's share and its segment of a
    100-unit stacked bar (the widths add up to 100, give or take the rounding, when there is anything)."""
    counts = []
    start = Decimal(0)
    for band in GRADE_BANDS:
        count = values.get(f"band_{band.key}") or 0
        share = (Decimal(100) * count / total).quantize(Decimal("0.01")) if total else Decimal(0)
        counts.append(BandCount(band, count, x=f"{start:.2f}", width=f"{share:.2f}"))
        start += share
    return counts


# ---------------------------------------------------------------------------------------------------------
# Reads shared with the inbox


def first_submitted_at() -> QuerySet:
    """A subquery: when the outer period was first submitted (lateness is measured on it)."""
    return (
        PeriodTransition.objects.filter(period=OuterRef("pk"), to_state=PeriodState.SUBMITTED)
        .order_by("at", "pk")
        .values("at")[:1]
    )


def late_condition() -> Q:
    """Needs the alias ``submitted_on`` (the first submission's day): first submitted after the deadline."""
    return Q(submitted_on__gt=F("deadline"))


def with_submitted_on(periods: QuerySet) -> QuerySet:
    # The day in the site's time zone, as on the plan page (indicators.selectors._is_late).
    return periods.alias(submitted_on=TruncDate(Subquery(first_submitted_at())))


# ---------------------------------------------------------------------------------------------------------
# The summary page


@dataclass(frozen=True)
class SummaryFilters:
    year: int  # the fiscal year's start year
    quarter: int | None = None  # None: all four quarters


def default_quarter(start_year: int, today: datetime.date | None = None) -> int:
    """The quarter a summary shows unless asked: the latest one of the year whose (default) deadline has
    passed — Q4, the annual report, for a year long over — or Q1 while none has. A quarter's percent is its
    to-date score against the annual targets, so one quarter at a time compares like with like."""
    today = today or timezone.localdate()
    passed = [q for q in (1, 2, 3, 4) if default_deadline(start_year, q) <= today]
    return passed[-1] if passed else 1


@dataclass
class TierRow:
    kind: str
    label: str
    offices: int = 0
    expected: int = 0
    submitted: int = 0
    late: int = 0
    scored: int = 0
    percent_sum: Decimal = Decimal(0)
    bands: list[BandCount] = field(default_factory=list)  # of the annual reports only
    annual: int = 0  # annual reports (Q4) among the scored
    on_pace: int = 0  # quarters before Q4 at or past the expected pace
    behind_pace: int = 0

    @property
    def on_time(self) -> int:
        return self.submitted - self.late

    @property
    def pending(self) -> int:
        return max(0, self.expected - self.submitted)

    @property
    def average(self) -> Decimal | None:
        if not self.scored:
            return None
        return scoring.round2(self.percent_sum / self.scored)


@dataclass
class SummaryPage:
    reviewed_offices: list[Office]
    filters: SummaryFilters | None = None
    tiers: list[TierRow] = field(default_factory=list)
    total: TierRow | None = None


def may_see_summary(user) -> bool:
    return bool(permissions.offices_with_role(user, SUMMARY_ROLES))


#: The SQL of the lookups in ``GradeBand.bounds``.
_SQL_OPERATORS = {"gte": ">=", "lt": "<"}

#: The figures of one tier as the summary query returns them, after the tier's kind.
_FIGURES = (
    "offices",
    "submitted",
    "late",
    "scored",
    "percent_sum",
    "annual",
    "on_pace",
    "behind_pace",
    *(f"band_{b.key}" for b in GRADE_BANDS),
)


def _summary_sql(office_ids: set[int], filters: SummaryFilters) -> tuple[str, list]:
    """One statement for the whole summary, so that the subtree is walked once: per office kind, the
    offices below ``office_ids`` (first branch) and the figures of their sent or accepted periods in the
    filters (second branch). Written in SQL because the ORM cannot join a recursive CTE; the only part that
    differs between PostgreSQL and SQLite, the first submission's day in the site's time zone, comes from
    the backend (``datetime_cast_date_sql``, what ``TruncDate`` uses).

    Lateness is the inbox's rule: the first submission (the earliest transition to "submitted") fell on a
    day after the deadline. It is looked up per period in the transitions' index
    (``transition_period_state_at``): one short index-only probe each, so the cost follows the size of the
    subtree, unlike grouping all the year's submissions (which measured faster only for the whole country
    and all four quarters at once, and slower for one quarter or a smaller subtree)."""
    q = connection.ops.quote_name
    plan, year, period, transition = (
        q(model._meta.db_table) for model in (ActionPlan, FiscalYear, ReportingPeriod, PeriodTransition)
    )
    ids = sorted(office_ids)
    first_day, day_params = connection.ops.datetime_cast_date_sql(
        f"(SELECT MIN(t.at) FROM {transition} t WHERE t.period_id = p.id AND t.to_state = %s)",
        (PeriodState.SUBMITTED,),
        timezone.get_current_timezone_name(),
    )
    bands, band_params = [], []
    for band in GRADE_BANDS:
        # The grade bands judge the annual report; a quarter before it is progress to date (issue 14.6).
        conditions = [f"p.quarter = {ANNUAL_QUARTER}"]
        conditions += [f"p.snapshot_percent {_SQL_OPERATORS[lookup]} %s" for lookup, _value in band.bounds]
        bands.append(f"SUM(CASE WHEN {' AND '.join(conditions)} THEN 1 ELSE 0 END)")
        band_params += [value for _lookup, value in band.bounds]
    no_bands = ", ".join(["0"] * len(GRADE_BANDS))
    quarter, quarter_params = (
        ("", []) if filters.quarter is None else ("AND p.quarter = %s", [filters.quarter])
    )
    sql = f"""
{_subtree_cte(ids)}
SELECT kind, COUNT(*), 0, 0, 0, NULL, 0, 0, 0, {no_bands} FROM subtree GROUP BY kind
UNION ALL
SELECT subtree.kind, 0, COUNT(*), SUM(CASE WHEN {first_day} > p.deadline THEN 1 ELSE 0 END),
       COUNT(p.snapshot_percent), SUM(p.snapshot_percent),
       SUM(CASE WHEN p.quarter = {ANNUAL_QUARTER} AND p.snapshot_percent IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN p.quarter < {ANNUAL_QUARTER} AND p.snapshot_percent >= p.quarter * {PACE_PER_QUARTER}
                THEN 1 ELSE 0 END),
       SUM(CASE WHEN p.quarter < {ANNUAL_QUARTER} AND p.snapshot_percent < p.quarter * {PACE_PER_QUARTER}
                THEN 1 ELSE 0 END),
       {", ".join(bands)}
FROM subtree
JOIN {plan} a ON a.office_id = subtree.id
JOIN {year} y ON y.id = a.fiscal_year_id
JOIN {period} p ON p.plan_id = a.id
WHERE y.start_year = %s AND p.state IN ({", ".join(["%s"] * len(VISIBLE_TO_REVIEWER_STATES))}) {quarter}
GROUP BY subtree.kind
"""
    params = [*ids, *day_params, *band_params, filters.year, *VISIBLE_TO_REVIEWER_STATES, *quarter_params]
    return sql, params


def _subtree_cte(ids: list[int]) -> str:
    """``subtree(id, kind)``: every office below ``ids`` (children, grandchildren …), walked once; a cycle
    in the tree ends the walk (UNION drops rows already found). Its parameters are ``ids``."""
    office = connection.ops.quote_name(Office._meta.db_table)
    return f"""WITH RECURSIVE subtree(id, kind) AS (
    SELECT id, kind FROM {office} WHERE parent_id IN ({", ".join(["%s"] * len(ids))})
    UNION
    SELECT child.id, child.kind FROM {office} child JOIN subtree ON child.parent_id = subtree.id
)"""


def latest_submitted_quarter(office_ids: set[int], start_year: int) -> int | None:
    """The latest quarter of the year in which any office below ``office_ids`` has sent a report (the
    summary opens on it: a quarter nobody has reached yet shows only zeros), None when none has."""
    if not office_ids:
        return None
    q = connection.ops.quote_name
    plan, year, period = (q(m._meta.db_table) for m in (ActionPlan, FiscalYear, ReportingPeriod))
    ids = sorted(office_ids)
    states = ", ".join(["%s"] * len(VISIBLE_TO_REVIEWER_STATES))
    sql = f"""
{_subtree_cte(ids)}
SELECT MAX(p.quarter) FROM subtree
JOIN {plan} a ON a.office_id = subtree.id
JOIN {year} y ON y.id = a.fiscal_year_id
JOIN {period} p ON p.plan_id = a.id
WHERE y.start_year = %s AND p.state IN ({states})
"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, start_year, *VISIBLE_TO_REVIEWER_STATES])
        row = cursor.fetchone()
    return row[0] if row and row[0] is not None else None


def opening_quarter(user, start_year: int, today: datetime.date | None = None) -> int:
    """The quarter the summary shows unless asked: the latest one with reports sent in the user's subtree,
    else the latest one past its deadline (``default_quarter``)."""
    latest = latest_submitted_quarter(permissions.offices_with_role(user, SUMMARY_ROLES), start_year)
    return latest or default_quarter(start_year, today)


#: How many offices the page lists under "not submitted" and "late" (the CSV has them all).
OFFICE_LIST_LIMIT = 100
NOT_SUBMITTED = "not_submitted"
LATE = "late"


@dataclass(frozen=True)
class OfficeStanding:
    """An office that has not sent its report for the quarter, or sent it late."""

    code: str
    name: str
    kind: str
    parent_id: int | None
    parent_name: str
    status: str  # NOT_SUBMITTED or LATE
    state: str | None  # its period's state, None: no plan or no period for the year
    has_plan: bool
    linked: bool  # the user reviews its parent office: its plan page is theirs to open

    @property
    def kind_label(self) -> str:
        return str(OfficeKind(self.kind).label) if self.kind in OfficeKind.values else self.kind

    @property
    def state_label(self) -> str:
        return str(PeriodState(self.state).label) if self.state else str(_("কর্মপরিকল্পনা নেই"))


def office_standings(
    user, filters: SummaryFilters, *, limit: int | None = OFFICE_LIST_LIMIT
) -> tuple[list[OfficeStanding], int, int]:
    """For one quarter: the offices below the user's offices that have not sent their report (no plan, no
    period, or still inside the office) and those that sent it late, not submitted first, by tier and name;
    with the counts of each (the list is cut at ``limit``). One query."""
    office_ids = permissions.offices_with_role(user, SUMMARY_ROLES)
    if not office_ids or filters.quarter is None:
        return [], 0, 0
    reviewed = permissions.offices_with_role(user, [Role.REVIEWER])
    q = connection.ops.quote_name
    office, plan, year, period, transition = (
        q(m._meta.db_table) for m in (Office, ActionPlan, FiscalYear, ReportingPeriod, PeriodTransition)
    )
    ids = sorted(office_ids)
    first_day, day_params = connection.ops.datetime_cast_date_sql(
        f"(SELECT MIN(t.at) FROM {transition} t WHERE t.period_id = p.id AND t.to_state = %s)",
        (PeriodState.SUBMITTED,),
        timezone.get_current_timezone_name(),
    )
    states = ", ".join(["%s"] * len(VISIBLE_TO_REVIEWER_STATES))
    sql = f"""
{_subtree_cte(ids)}
SELECT o.code, o.name_bn, o.kind, o.parent_id, COALESCE(par.name_bn, ''), a.id IS NOT NULL, p.state,
       CASE WHEN p.state IN ({states}) THEN 1 ELSE 0 END AS sent,
       CASE WHEN p.state IN ({states}) AND {first_day} > p.deadline THEN 1 ELSE 0 END AS late
FROM subtree
JOIN {office} o ON o.id = subtree.id
LEFT JOIN {office} par ON par.id = o.parent_id
LEFT JOIN {plan} a ON a.office_id = o.id
     AND a.fiscal_year_id IN (SELECT y.id FROM {year} y WHERE y.start_year = %s)
LEFT JOIN {period} p ON p.plan_id = a.id AND p.quarter = %s
"""
    params = [
        *ids,
        *VISIBLE_TO_REVIEWER_STATES,
        *VISIBLE_TO_REVIEWER_STATES,
        *day_params,
        filters.year,
        filters.quarter,
    ]
    order = [kind for kind, _label in OfficeKind.choices]
    standings = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for code, name, kind, parent_id, parent_name, has_plan, state, sent, late in cursor.fetchall():
            if sent and not late:
                continue
            standings.append(
                OfficeStanding(
                    code=code,
                    name=name,
                    kind=kind,
                    parent_id=parent_id,
                    parent_name=parent_name,
                    status=LATE if sent else NOT_SUBMITTED,
                    state=state,
                    has_plan=bool(has_plan),
                    linked=bool(has_plan) and parent_id in reviewed,
                )
            )
    standings.sort(
        key=lambda s: (s.status != NOT_SUBMITTED, order.index(s.kind) if s.kind in order else 99, s.name)
    )
    not_submitted = sum(1 for s in standings if s.status == NOT_SUBMITTED)
    late_count = len(standings) - not_submitted
    if limit is not None:
        shown_missing = [s for s in standings if s.status == NOT_SUBMITTED][:limit]
        shown_late = [s for s in standings if s.status == LATE][:limit]
        standings = shown_missing + shown_late
    return standings, not_submitted, late_count


OFFICE_CSV_HEADERS = [
    _("অবস্থা"),
    _("দপ্তরের কোড"),
    _("দপ্তর"),
    _("দপ্তরের স্তর"),
    _("ঊর্ধ্বতন দপ্তর"),
    _("প্রতিবেদনকালের অবস্থা"),
]


def office_csv_row(standing: OfficeStanding) -> list:
    status = _("দাখিল হয়নি") if standing.status == NOT_SUBMITTED else _("দেরিতে দাখিল")
    return [
        status,
        standing.code,
        standing.name,
        standing.kind_label,
        standing.parent_name,
        standing.state_label,
    ]


def summary_figures(office_ids: set[int], filters: SummaryFilters) -> dict[str, dict]:
    """{office kind: {figure: value}} for the offices below ``office_ids``, in one query."""
    figures: dict[str, dict] = defaultdict(lambda: dict.fromkeys(_FIGURES, 0))
    with connection.cursor() as cursor:
        cursor.execute(*_summary_sql(office_ids, filters))
        for kind, *values in cursor.fetchall():
            for name, value in zip(_FIGURES, values, strict=True):
                if value is not None:
                    figures[kind][name] += value
    for row in figures.values():
        # SQLite adds decimals as floats: back to cents.
        row["percent_sum"] = Decimal(str(row["percent_sum"])).quantize(Decimal("0.01"))
    return dict(figures)


def summary_page(user, filters: SummaryFilters) -> SummaryPage:
    """Per office tier, for every office below the user's reviewed (or administered) offices: offices,
    expected and submitted reports, on time and late, average percent and grade distribution — in two
    queries (the reviewed offices, then everything else in one) whatever the size of the tree."""
    office_ids = permissions.offices_with_role(user, SUMMARY_ROLES)
    if not office_ids:
        return SummaryPage(reviewed_offices=[])
    reviewed = list(Office.objects.filter(pk__in=office_ids).order_by("code"))
    figures = summary_figures(office_ids, filters)
    quarters = 1 if filters.quarter is not None else 4
    tiers = [
        _tier(kind, str(label), quarters, figures[kind])
        for kind, label in OfficeKind.choices
        if kind in figures
    ]
    total = dict.fromkeys(_FIGURES, 0)
    for row in figures.values():
        for name in _FIGURES:
            total[name] += row[name]
    return SummaryPage(
        reviewed_offices=reviewed,
        filters=filters,
        tiers=tiers,
        total=_tier("", str(_("সব স্তর")), quarters, total),
    )


CSV_HEADERS = [
    _("দপ্তরের স্তর"),
    _("দপ্তর"),
    _("প্রত্যাশিত প্রতিবেদন"),
    _("দাখিল (প্রেরিত/গৃহীত)"),
    _("সময়মতো"),
    _("দেরিতে"),
    _("বাকি"),
    _("গড় নম্বর (%)"),
    *(band.label for band in GRADE_BANDS),
    _("ত্রৈমাসিক: প্রত্যাশিত গতিতে বা এগিয়ে"),
    _("ত্রৈমাসিক: প্রত্যাশিত গতির পেছনে"),
]


def csv_row(tier: TierRow) -> list:
    """A tier as a CSV row: numbers in ASCII digits, so that a spreadsheet can add them up."""
    average = tier.average
    return [
        tier.label,
        tier.offices,
        tier.expected,
        tier.submitted,
        tier.on_time,
        tier.late,
        tier.pending,
        "" if average is None else str(average),
        *(band.count for band in tier.bands),
        tier.on_pace,
        tier.behind_pace,
    ]


def _tier(kind: str, label: str, quarters: int, values: dict) -> TierRow:
    scored = values["scored"]
    return TierRow(
        kind=kind,
        label=label,
        offices=values["offices"],
        expected=values["offices"] * quarters,
        submitted=values["submitted"],
        late=values["late"],
        scored=scored,
        percent_sum=Decimal(values["percent_sum"]),
        bands=band_counts(values, values["annual"]),
        annual=values["annual"],
        on_pace=values["on_pace"],
        behind_pace=values["behind_pace"],
    )
