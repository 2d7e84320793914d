"""Reads of the higher office's inbox `/review/` (DESIGN.md §1, §4, §9).

A reviewer sees the reporting periods of the direct child offices of every office in which they hold the
reviewer role, from "sent" on and never before (DESIGN.md §4). Everything is read in a fixed number of
queries whatever the number of offices or periods: sent and submitted times are annotated from the
transitions with subqueries, the counts are one aggregate, the scores come from the snapshot taken at
approval (never recomputed here: the snapshot is the truth for an approved period).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import ClassVar

from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, TruncDate

from indicators import permissions
from indicators.models import (
    EDITABLE_STATES,
    VISIBLE_TO_REVIEWER_STATES,
    ActionPlan,
    FiscalYear,
    Office,
    PeriodState,
    PeriodTransition,
    ReportingPeriod,
    Role,
)
from indicators.workflow import allowed_actions
from reports.bangla import QUARTER_ORDINALS_BN
from reports.jobs import REPORT_NAMES
from reports.models import ApprovedReport, ReportJob, ReportKind

# Sort keys accepted from the query string; the first is the default (newest sent first).
SORT_SENT_NEWEST = "sent-desc"
SORT_SENT_OLDEST = "sent-asc"
SORT_SCORE_HIGHEST = "score-desc"
SORT_SCORE_LOWEST = "score-asc"
SORTS = (SORT_SENT_NEWEST, SORT_SENT_OLDEST, SORT_SCORE_HIGHEST, SORT_SCORE_LOWEST)

_ORDERINGS = {
    SORT_SENT_NEWEST: [F("sent_at").desc(nulls_last=True)],
    SORT_SENT_OLDEST: [F("sent_at").asc(nulls_last=True)],
    SORT_SCORE_HIGHEST: [F("score_percent").desc(nulls_last=True), F("sent_at").desc(nulls_last=True)],
    SORT_SCORE_LOWEST: [F("score_percent").asc(nulls_last=True), F("sent_at").desc(nulls_last=True)],
}
# Ties are broken the same way in every sort, so the order of the rows is stable between requests.
_TIE_BREAK = ["plan__office__code", "-plan__fiscal_year__start_year", "quarter"]

# Which report each quarter carries (DESIGN.md §4): Q2 the half-yearly, Q4 the annual.
_QUARTER_SUFFIX_BN = {2: " (অর্ধবার্ষিক)", 4: " (বার্ষিক)"}


def quarter_short_label(quarter: int) -> str:
    """``2`` → ``২য় (অর্ধবার্ষিক)``: the ordinal, with the report the quarter carries."""
    return QUARTER_ORDINALS_BN[quarter - 1] + _QUARTER_SUFFIX_BN.get(quarter, "")


@dataclass(frozen=True)
class InboxFilters:
    """What the reviewer chose in the filter form; None means "all"."""

    year: int | None = None  # the fiscal year's start year
    quarter: int | None = None
    state: str | None = None
    kind: str | None = None
    sort: str = SORT_SENT_NEWEST


@dataclass
class InboxRow:
    period: ReportingPeriod
    sent_at: datetime.datetime | None  # the latest transition to "sent"
    submitted_at: datetime.datetime | None  # the first submission: lateness is measured on it
    late: bool
    percent: Decimal | None
    scaled_marks: Decimal | None
    total_weight: Decimal | None
    actions: list[str]

    @property
    def office(self) -> Office:
        return self.period.plan.office

    @property
    def quarter_label(self) -> str:
        return quarter_short_label(self.period.quarter)

    @property
    def report_name(self) -> str:
        """The period's main report: annual with Q4, half-yearly with Q2, else the quarterly one."""
        return {4: "annual", 2: "half-yearly"}.get(self.period.quarter, f"quarterly-{self.period.quarter}")

    @property
    def report(self) -> ApprovedReport | None:
        """The approved copy of the main report (prefetched), with its SHA-256."""
        kind = REPORT_NAMES[self.report_name][0]
        return next((r for r in self.period.approved_reports.all() if r.kind == kind), None)


@dataclass(frozen=True)
class InboxCounts:
    total: int = 0
    sent: int = 0  # waiting for this reviewer
    accepted: int = 0
    late: int = 0


@dataclass(frozen=True)
class ChartBar:
    row: InboxRow
    y: int  # top of the bar's band, in SVG user units
    width: int  # bar length in SVG user units (percent × scale)


@dataclass(frozen=True)
class ScoreChart:
    """Geometry of the server-rendered SVG bar chart: one bar per office, its latest period's percent.

    Each office gets a band: its name on the left and its score on the right of the first line, the bar
    under them (a 100 % bar spans the full width). Numbers here are SVG user units, written in ASCII."""

    bars: list[ChartBar]
    BAND: ClassVar[int] = 44
    BAR_HEIGHT: ClassVar[int] = 14
    WIDTH: ClassVar[int] = 480  # the length of a 100 % bar
    AXIS: ClassVar[int] = 24  # room for the percent labels under the bars
    MARGIN: ClassVar[int] = 16  # room left and right for the first and last axis label

    @property
    def height(self) -> int:
        return len(self.bars) * self.BAND + self.AXIS

    @property
    def axis_y(self) -> int:
        return len(self.bars) * self.BAND

    @property
    def view_box(self) -> str:
        return f"{-self.MARGIN} 0 {self.WIDTH + 2 * self.MARGIN} {self.height}"

    @property
    def ticks(self) -> list[tuple[int, int]]:
        """(percent, x) of the grid lines: 0, 60 (below it the marks are zero), 80 and 100."""
        return [(p, p * self.WIDTH // 100) for p in (0, 60, 80, 100)]


@dataclass
class InboxPage:
    reviewed_offices: list[Office]
    rows: list[InboxRow] = field(default_factory=list)
    counts: InboxCounts = field(default_factory=InboxCounts)
    chart: ScoreChart = field(default_factory=lambda: ScoreChart(bars=[]))

    @property
    def is_reviewer(self) -> bool:
        return bool(self.reviewed_offices)


def fiscal_years() -> list[FiscalYear]:
    """The fiscal years offered by the year filter, newest first."""
    return list(FiscalYear.objects.order_by("-start_year"))


def _snapshot_number(name: str) -> Cast:
    # The snapshot keeps numbers as strings with two decimals (the `score --json` shape, DESIGN.md §8).
    return Cast(KeyTextTransform(name, "score_snapshot"), DecimalField(max_digits=9, decimal_places=2))


def reviewer_periods(office_ids: set[int], filters: InboxFilters) -> QuerySet[ReportingPeriod]:
    """Periods of the child offices of ``office_ids`` in the states a reviewer may see, with the sent and
    first-submitted times, the lateness flag and the approved percent annotated; the state filter and the
    sort are left to the caller (the counts ignore the state filter)."""
    transitions = PeriodTransition.objects.filter(period=OuterRef("pk"))
    last_sent = transitions.filter(to_state=PeriodState.SENT).order_by("-at", "-pk").values("at")[:1]
    first_submitted = transitions.filter(to_state=PeriodState.SUBMITTED).order_by("at", "pk").values("at")[:1]
    periods = (
        ReportingPeriod.objects.visible_to_reviewers()
        .filter(plan__office__parent_id__in=office_ids)
        .annotate(
            sent_at=Subquery(last_sent),
            submitted_at=Subquery(first_submitted),
            score_percent=_snapshot_number("percent"),
        )
        # Late: first submitted after the deadline (DESIGN.md §4: flagged, not blocked), the day taken in
        # the site's time zone as on the plan page (indicators.selectors._is_late).
        .alias(submitted_on=TruncDate("submitted_at"))
        .annotate(is_late=ExpressionWrapper(Q(submitted_on__gt=F("deadline")), output_field=BooleanField()))
    )
    if filters.year is not None:
        periods = periods.filter(plan__fiscal_year__start_year=filters.year)
    if filters.quarter is not None:
        periods = periods.filter(quarter=filters.quarter)
    if filters.kind:
        periods = periods.filter(plan__office__kind=filters.kind)
    return periods


def _decimal(value: object) -> Decimal | None:
    try:
        return None if value is None else Decimal(str(value))
    except InvalidOperation:
        return None


def _row(user, period: ReportingPeriod) -> InboxRow:
    snapshot = period.score_snapshot or {}
    return InboxRow(
        period=period,
        sent_at=period.sent_at,
        submitted_at=period.submitted_at,
        late=bool(period.is_late),
        percent=_decimal(snapshot.get("percent")),
        scaled_marks=_decimal(snapshot.get("scaled_marks")),
        total_weight=_decimal(snapshot.get("total_weight")),
        # Decided by the workflow from the state and the user's roles (no query: roles are cached).
        actions=allowed_actions(user, period),
    )


def score_chart(rows: list[InboxRow]) -> ScoreChart:
    """One bar per office: the percent of its latest period (year, then quarter) among the rows shown,
    highest first; periods without a snapshot are left out."""
    latest: dict[int, InboxRow] = {}
    for row in rows:
        if row.percent is None:
            continue
        key = (row.period.plan.fiscal_year.start_year, row.period.quarter)
        current = latest.get(row.office.pk)
        if current is None or key > (current.period.plan.fiscal_year.start_year, current.period.quarter):
            latest[row.office.pk] = row
    ordered = sorted(latest.values(), key=lambda r: (-r.percent, r.office.code))
    scale = ScoreChart.WIDTH
    bars = [
        ChartBar(
            row=row,
            y=index * ScoreChart.BAND,
            width=int(min(max(row.percent, Decimal(0)), Decimal(100)) * scale / 100),
        )
        for index, row in enumerate(ordered)
    ]
    return ScoreChart(bars=bars)


def inbox_page(user, filters: InboxFilters) -> InboxPage:
    """Everything the inbox shows, in a fixed number of queries whatever the number of child offices."""
    office_ids = permissions.offices_with_role(user, [Role.REVIEWER])
    if not office_ids:
        return InboxPage(reviewed_offices=[])
    reviewed = list(Office.objects.filter(pk__in=office_ids).order_by("code"))

    periods = reviewer_periods(office_ids, filters)
    counts = periods.aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(state=PeriodState.SENT)),
        accepted=Count("pk", filter=Q(state=PeriodState.ACCEPTED)),
        late=Count("pk", filter=Q(is_late=True)),
    )
    if filters.state in VISIBLE_TO_REVIEWER_STATES:
        periods = periods.filter(state=filters.state)
    ordering = _ORDERINGS.get(filters.sort, _ORDERINGS[SORT_SENT_NEWEST])
    periods = (
        periods.select_related("plan__office", "plan__fiscal_year")
        .prefetch_related("approved_reports")
        .order_by(*ordering, *_TIE_BREAK)
    )
    rows = [_row(user, period) for period in periods]
    return InboxPage(
        reviewed_offices=reviewed,
        rows=rows,
        counts=InboxCounts(**counts),
        chart=score_chart(rows),
    )


def plan_reports(plan: ActionPlan, user) -> list[dict]:
    """For the plan page: per period, the reports it has, their approved copies and the latest draft job."""
    periods = {p.quarter: p for p in plan.periods.all()}
    approved = {
        (r.period.quarter, r.kind): r
        for r in ApprovedReport.objects.filter(period__plan=plan).select_related("period")
    }
    latest_jobs: dict[tuple[int, str], ReportJob] = {}
    for job in ReportJob.objects.filter(plan=plan).order_by("created_at"):
        latest_jobs[(job.quarter, job.kind)] = job
    is_member = permissions.is_member(user, plan)
    rows = []
    for name, (kind, quarter) in REPORT_NAMES.items():
        period = periods.get(quarter)
        if period is None or (not is_member and period.state not in VISIBLE_TO_REVIEWER_STATES):
            continue
        rows.append(
            {
                "name": name,
                "kind": kind,
                "label": ReportKind(kind).label,
                "quarter": quarter,
                "period": period,
                "approved": approved.get((quarter, kind)),
                "job": latest_jobs.get((quarter, kind)) if is_member else None,
                "can_draft": is_member and period.state in (*EDITABLE_STATES, PeriodState.SUBMITTED),
            }
        )
    return rows
