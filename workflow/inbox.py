"""Reads of the higher office's inbox `/review/` (DESIGN.md §1, §4, §9).

A reviewer sees the reporting periods of the direct child offices of every office in which they hold the
reviewer role, from "sent" on and never before (DESIGN.md §4). Everything is read in a fixed number of
queries whatever the number of offices or periods: sent and submitted times are annotated from the
transitions with subqueries, the counts are one aggregate, the scores come from the snapshot taken at
approval (never recomputed here: the snapshot is the truth for an approved period).

A department may have hundreds of field offices, so the table is paged (``PAGE_SIZE`` rows) while the
counts and the score chart are computed in the database over every matching row, not from the page: the
chart shows the grade distribution of every office's latest period, and bars for the best and the weakest
``CHART_END_BARS`` offices (all of them when there are no more than twice that many).
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import ClassVar

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber, TruncDate

from base.bangla import QUARTER_ORDINALS_BN
from indicators import permissions
from indicators.models import (
    VISIBLE_TO_REVIEWER_STATES,
    FiscalYear,
    Office,
    PeriodState,
    PeriodTransition,
    ReportingPeriod,
    Role,
)
from reports.models import ApprovedReport, ReportKind
from workflow.pace import ANNUAL_QUARTER, QuarterPace, quarter_pace
from workflow.summary import (
    BandCount,
    band_aggregates,
    band_counts,
    first_submitted_at,
    late_condition,
    pace_aggregates,
    with_submitted_on,
)
from workflow.transitions import STATE_RANK, allowed_actions

#: Rows of the inbox table per page.
PAGE_SIZE = 50
#: Bars for the best and for the weakest offices in the score chart.
CHART_END_BARS = 10

# Sort keys accepted from the query string; the first is the default (newest sent first).
SORT_SENT_NEWEST = "sent-desc"
SORT_SENT_OLDEST = "sent-asc"
SORT_SCORE_HIGHEST = "score-desc"
SORT_SCORE_LOWEST = "score-asc"
SORTS = (SORT_SENT_NEWEST, SORT_SENT_OLDEST, SORT_SCORE_HIGHEST, SORT_SCORE_LOWEST)

_ORDERINGS = {
    SORT_SENT_NEWEST: [F("sent_at").desc(nulls_last=True)],
    SORT_SENT_OLDEST: [F("sent_at").asc(nulls_last=True)],
    SORT_SCORE_HIGHEST: [F("snapshot_percent").desc(nulls_last=True), F("sent_at").desc(nulls_last=True)],
    SORT_SCORE_LOWEST: [F("snapshot_percent").asc(nulls_last=True), F("sent_at").desc(nulls_last=True)],
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


def _decimal(value: object) -> Decimal | None:
    try:
        return None if value is None else Decimal(str(value))
    except InvalidOperation:
        return None


class _PeriodShown:
    """What a table row and a chart bar show of their period (read with its plan's office): the office, the
    quarter and the marks of the approval snapshot (DESIGN.md §4: the truth for an approved period)."""

    period: ReportingPeriod

    @property
    def office(self) -> Office:
        return self.period.plan.office

    @property
    def quarter_label(self) -> str:
        return quarter_short_label(self.period.quarter)

    @property
    def percent(self) -> Decimal | None:
        return self.period.snapshot_percent

    @property
    def scaled_marks(self) -> Decimal | None:
        return _decimal((self.period.score_snapshot or {}).get("scaled_marks"))

    @property
    def total_weight(self) -> Decimal | None:
        return _decimal((self.period.score_snapshot or {}).get("total_weight"))

    @property
    def pace(self) -> QuarterPace:
        """A quarter before the annual report is progress to date, shown beside the pace expected then."""
        return quarter_pace(self.period.snapshot_percent, self.period.quarter)


@dataclass
class InboxRow(_PeriodShown):
    period: ReportingPeriod
    sent_at: datetime.datetime | None  # the latest transition to "sent"
    submitted_at: datetime.datetime | None  # the first submission: lateness is measured on it
    late: bool
    actions: list[str]
    returned_at: datetime.datetime | None = None  # the latest return (a returned row)
    return_comment: str = ""

    @property
    def report_name(self) -> str:
        """The period's main report: annual with Q4, half-yearly with Q2, else the quarterly one."""
        return {4: "annual", 2: "half-yearly"}.get(self.period.quarter, f"quarterly-{self.period.quarter}")

    @property
    def report_sha256(self) -> str | None:
        """The SHA-256 of the main report's copy of the standing approval (annotated), None until it is made."""
        return self.period.report_sha256


@dataclass(frozen=True)
class InboxCounts:
    total: int = 0
    sent: int = 0  # waiting for this reviewer
    accepted: int = 0
    returned: int = 0  # sent back by the higher office, not sent again yet
    late: int = 0


@dataclass(frozen=True)
class Pager:
    """Which page of the table is shown; ``number`` is always a page that exists (1 when there are no rows)."""

    number: int = 1
    count: int = 0  # rows in all pages
    per_page: int = PAGE_SIZE

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.count / self.per_page))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page

    @property
    def start_index(self) -> int:
        """The first row shown, counted from 1 (0 when there are no rows)."""
        return self.offset + 1 if self.count else 0

    @property
    def end_index(self) -> int:
        return min(self.count, self.offset + self.per_page)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def is_paged(self) -> bool:
        return self.num_pages > 1

    @property
    def links(self) -> list[int | None]:
        """Page numbers to link: the first, the last and two either side of this one; None marks a gap."""
        wanted = {1, self.num_pages, *range(self.number - 2, self.number + 3)}
        numbers = sorted(n for n in wanted if 1 <= n <= self.num_pages)
        links: list[int | None] = []
        for number in numbers:
            if links and number - (links[-1] or 0) > 1:
                links.append(None)
            links.append(number)
        return links


def pager(count: int, requested: int | None) -> Pager:
    """The page asked for, within the pages that exist (a page past the end shows the last one)."""
    last = max(1, math.ceil(count / PAGE_SIZE))
    number = min(max(requested or 1, 1), last)
    return Pager(number=number, count=count)


@dataclass(frozen=True)
class ChartBar(_PeriodShown):
    """One office's bar: the percent of its latest period (in the chart's filters) from the approval snapshot."""

    period: ReportingPeriod
    y: int  # top of the bar's band, in SVG user units
    width: int  # bar length in SVG user units (percent × scale)

    @property
    def pace_x(self) -> int:
        return int(self.pace.expected * ScoreChart.WIDTH / 100)


@dataclass(frozen=True)
class ChartGap:
    """Between the best and the weakest offices: how many offices are not drawn."""

    hidden: int
    y: int


@dataclass(frozen=True)
class DistributionBar:
    band: BandCount
    y: int
    width: int


@dataclass(frozen=True)
class ScoreChart:
    """Geometry of the server-rendered SVG charts (numbers are SVG user units, written in ASCII).

    The bar chart: one band per office drawn, its name on the left and its score on the right of the first
    line, the bar under them (a 100 % bar spans the full width); with more than ``2 × CHART_END_BARS``
    offices only the best and the weakest are drawn, with a line saying how many are left out between them.
    The distribution: how many offices' latest periods fall in each grade band (``workflow.summary``)."""

    bars: list[ChartBar]
    offices: int = 0  # offices with a scored period in the filters (the distribution counts them all)
    gap: ChartGap | None = None
    bands: list[BandCount] = field(default_factory=list)  # the annual reports' grade bands
    annual: int = 0  # offices whose latest period is the annual report (Q4)
    on_pace: int = 0  # … a quarter before it, at or past the expected pace (issue 14.6)
    behind_pace: int = 0
    BAND: ClassVar[int] = 44
    BAR_HEIGHT: ClassVar[int] = 14
    WIDTH: ClassVar[int] = 480  # the length of a 100 % bar
    AXIS: ClassVar[int] = 24  # room for the percent labels under the bars
    MARGIN: ClassVar[int] = 16  # room left and right for the first and last axis label
    GAP: ClassVar[int] = 28  # the line between the best and the weakest
    BAND_ROW: ClassVar[int] = 26  # one grade band in the distribution chart
    LABEL: ClassVar[int] = 210  # room for the band names left of the distribution bars
    COUNT: ClassVar[int] = 56  # room for the counts right of the distribution bars

    @property
    def axis_y(self) -> int:
        return len(self.bars) * self.BAND + (self.GAP if self.gap else 0)

    @property
    def height(self) -> int:
        return self.axis_y + self.AXIS

    @property
    def view_box(self) -> str:
        return f"{-self.MARGIN} 0 {self.WIDTH + 2 * self.MARGIN} {self.height}"

    @property
    def ticks(self) -> list[tuple[int, int]]:
        """(percent, x) of the grid lines: 0, 60 (below it the marks are zero), 80 and 100."""
        return [(p, p * self.WIDTH // 100) for p in (0, 60, 80, 100)]

    @property
    def center_x(self) -> int:
        return self.WIDTH // 2

    @property
    def distribution(self) -> list[DistributionBar]:
        """One row per grade band; the longest bar is the most common band."""
        largest = max((band.count for band in self.bands), default=0)
        scale = self.distribution_track
        return [
            DistributionBar(
                band=band, y=index * self.BAND_ROW, width=band.count * scale // largest if largest else 0
            )
            for index, band in enumerate(self.bands)
        ]

    @property
    def distribution_bar_x(self) -> int:
        return self.LABEL

    @property
    def distribution_track(self) -> int:
        """The length of the longest distribution bar."""
        return self.WIDTH - self.LABEL - self.COUNT

    @property
    def distribution_view_box(self) -> str:
        return f"{-self.MARGIN} 0 {self.WIDTH + 2 * self.MARGIN} {len(self.bands) * self.BAND_ROW}"


@dataclass
class InboxPage:
    reviewed_offices: list[Office]
    rows: list[InboxRow] = field(default_factory=list)  # this page's rows
    counts: InboxCounts = field(default_factory=InboxCounts)
    chart: ScoreChart = field(default_factory=lambda: ScoreChart(bars=[]))
    pager: Pager = field(default_factory=Pager)

    @property
    def is_reviewer(self) -> bool:
        return bool(self.reviewed_offices)


def fiscal_years() -> list[FiscalYear]:
    """The fiscal years offered by the year filter, newest first: those with plans (a year that holds only,
    say, a Smart Bangladesh plan has nothing to review), or every year while no plan exists."""
    with_plans = list(FiscalYear.objects.filter(plans__isnull=False).distinct().order_by("-start_year"))
    return with_plans or list(FiscalYear.objects.order_by("-start_year"))


def _filtered(periods: QuerySet[ReportingPeriod], filters: InboxFilters) -> QuerySet[ReportingPeriod]:
    """The year and quarter filters (they apply to the period itself, not to its office)."""
    if filters.year is not None:
        periods = periods.filter(plan__fiscal_year__start_year=filters.year)
    if filters.quarter is not None:
        periods = periods.filter(quarter=filters.quarter)
    return periods


#: The states the inbox lists: what reached the reviewer, and what they sent back (issue 14.5).
INBOX_STATES = (*VISIBLE_TO_REVIEWER_STATES, PeriodState.RETURNED)


def _state_filtered(periods: QuerySet[ReportingPeriod], filters: InboxFilters) -> QuerySet[ReportingPeriod]:
    if filters.state in INBOX_STATES:
        periods = periods.filter(state=filters.state)
    return periods


def sent_back() -> Exists:
    """A period the higher office returned: a transition from "sent" to "returned" (the reviewer's own return,
    or a later quarter returned with it). A quarter the CIO returned before it was ever sent stays unseen."""
    return Exists(
        PeriodTransition.objects.filter(
            period=OuterRef("pk"), from_state=PeriodState.SENT, to_state=PeriodState.RETURNED
        )
    )


def child_periods(
    office_ids: set[int], filters: InboxFilters, *, with_returned: bool = False
) -> QuerySet[ReportingPeriod]:
    """Periods of the child offices of ``office_ids`` that a reviewer may see, in the year, quarter and
    office-kind filters (not the state filter), without annotations; ``with_returned``: and the ones the
    higher office sent back and that are not sent again yet (listed as returned, their data unseen)."""
    periods = ReportingPeriod.objects.filter(plan__office__parent_id__in=office_ids)
    if with_returned:
        periods = periods.filter(
            Q(state__in=VISIBLE_TO_REVIEWER_STATES) | (Q(state=PeriodState.RETURNED) & sent_back())
        )
    else:
        periods = periods.visible_to_reviewers()
    periods = _filtered(periods, filters)
    if filters.kind:
        periods = periods.filter(plan__office__kind=filters.kind)
    return periods


def reviewer_periods(office_ids: set[int], filters: InboxFilters) -> QuerySet[ReportingPeriod]:
    """Periods of the child offices of ``office_ids`` in the states a reviewer may see, with the sent and
    first-submitted times and the lateness flag annotated (the approved percent is the period's own
    ``snapshot_percent``); the state filter and the
    sort are left to the caller (the counts ignore the state filter)."""
    last_sent = (
        PeriodTransition.objects.filter(period=OuterRef("pk"), to_state=PeriodState.SENT)
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    main_report = ApprovedReport.objects.filter(
        approval__period=OuterRef("pk"), approval__superseded_at__isnull=True, kind=OuterRef("main_kind")
    ).values("sha256")[:1]
    last_return = PeriodTransition.objects.filter(
        period=OuterRef("pk"), to_state=PeriodState.RETURNED
    ).order_by("-at", "-pk")
    return (
        child_periods(office_ids, filters, with_returned=True)
        .alias(main_kind=main_report_kind())
        .annotate(
            returned_at=Subquery(last_return.values("at")[:1]),
            return_comment=Subquery(last_return.values("comment")[:1]),
            sent_at=Subquery(last_sent),
            submitted_at=Subquery(first_submitted_at()),
            report_sha256=Subquery(main_report),
            earlier_rank=Subquery(earlier_rank_of()),
        )
        # Late: first submitted after the deadline (DESIGN.md §4: flagged, not blocked), the day taken in
        # the site's time zone as on the plan page (indicators.selectors._is_late).
        .alias(submitted_on=TruncDate("submitted_at"))
        .annotate(is_late=ExpressionWrapper(late_condition(), output_field=BooleanField()))
    )


def main_report_kind() -> Case:
    """The kind of a period's main report, as SQL: annual with Q4, half-yearly with Q2, else quarterly."""
    return Case(
        When(quarter=4, then=Value(ReportKind.ANNUAL.value)),
        When(quarter=2, then=Value(ReportKind.HALF_YEARLY.value)),
        default=Value(ReportKind.QUARTERLY.value),
        output_field=CharField(),
    )


def earlier_rank_of() -> QuerySet:
    """How far forward the least advanced earlier quarter of the same plan is (``workflow.STATE_RANK``), as
    a subquery of a period: the quarter order decides which actions the inbox offers. NULL: no earlier quarter."""
    rank = Case(
        *(When(state=state, then=Value(rank)) for state, rank in STATE_RANK.items()),
        output_field=IntegerField(),
    )
    return (
        ReportingPeriod.objects.filter(plan_id=OuterRef("plan_id"), quarter__lt=OuterRef("quarter"))
        .order_by()
        .values("plan_id")
        .annotate(lowest=Min(rank))
        .values("lowest")
    )


def _row(user, period: ReportingPeriod) -> InboxRow:
    return InboxRow(
        period=period,
        sent_at=period.sent_at,
        submitted_at=period.submitted_at,
        late=bool(period.is_late),
        returned_at=period.returned_at if period.state == PeriodState.RETURNED else None,
        return_comment=(period.return_comment or "") if period.state == PeriodState.RETURNED else "",
        # Decided by the workflow from the state, the earlier quarters' states (annotated) and the user's
        # roles (no query: roles are cached).
        actions=allowed_actions(
            user, period, earlier_rank=4 if period.earlier_rank is None else period.earlier_rank
        ),
    )


def latest_scored_periods(office_ids: set[int], filters: InboxFilters) -> QuerySet[ReportingPeriod]:
    """For each child office, its latest period (year, then quarter) among those in the filters that have a
    score snapshot (``snapshot_percent``): one row per office."""
    year = "plan__fiscal_year__start_year"
    later = (
        _state_filtered(_filtered(ReportingPeriod.objects.visible_to_reviewers(), filters), filters)
        .filter(plan__office_id=OuterRef("plan__office_id"))
        .filter(snapshot_percent__isnull=False)
        .filter(
            Q(**{f"{year}__gt": OuterRef(year)})
            | Q(**{year: OuterRef(year), "quarter__gt": OuterRef("quarter")})
        )
    )
    return (
        _state_filtered(child_periods(office_ids, filters), filters)
        .filter(snapshot_percent__isnull=False)
        .filter(~Exists(later))
    )


def score_chart(office_ids: set[int], filters: InboxFilters) -> ScoreChart:
    """The charts over every office in the filters (state included), computed in the database in two
    queries: the grade distribution of the offices' latest periods, then the best ``CHART_END_BARS`` and the
    weakest ``CHART_END_BARS`` together (ranked from the highest percent down, ties by office code: the
    weakest are the last ranks). Bars run in that order."""
    latest = latest_scored_periods(office_ids, filters)
    figures = latest.aggregate(
        offices=Count("pk"),
        **band_aggregates("snapshot_percent", only=Q(quarter=ANNUAL_QUARTER)),
        **pace_aggregates("snapshot_percent"),
    )
    offices = figures["offices"] or 0
    drawn = list(
        latest.select_related("plan__office", "plan__fiscal_year")
        .annotate(
            rank=Window(RowNumber(), order_by=[F("snapshot_percent").desc(), F("plan__office__code").asc()])
        )
        .filter(Q(rank__lte=CHART_END_BARS) | Q(rank__gt=offices - CHART_END_BARS))
        .order_by("rank")
    )
    gap = None
    gap_after = CHART_END_BARS if offices > 2 * CHART_END_BARS else None  # more offices than bars
    bars = []
    y = 0
    for index, period in enumerate(drawn):
        if index == gap_after:
            gap = ChartGap(hidden=offices - len(drawn), y=y)
            y += ScoreChart.GAP
        width = int(min(max(period.snapshot_percent, Decimal(0)), Decimal(100)) * ScoreChart.WIDTH / 100)
        bars.append(ChartBar(period=period, y=y, width=width))
        y += ScoreChart.BAND
    return ScoreChart(
        bars=bars,
        offices=offices,
        gap=gap,
        bands=band_counts(figures, figures["annual"] or 0),
        annual=figures["annual"] or 0,
        on_pace=figures["on_pace"] or 0,
        behind_pace=figures["behind_pace"] or 0,
    )


def inbox_page(user, filters: InboxFilters, page: int | None = 1) -> InboxPage:
    """Everything the inbox shows, in a fixed number of queries whatever the number of child offices: the
    counts (one aggregate), one page of rows (and their approved reports) and the charts (two queries)."""
    office_ids = permissions.offices_with_role(user, [Role.REVIEWER])
    if not office_ids:
        return InboxPage(reviewed_offices=[])
    reviewed = list(Office.objects.filter(pk__in=office_ids).order_by("code"))

    counts = with_submitted_on(child_periods(office_ids, filters, with_returned=True)).aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(state=PeriodState.SENT)),
        accepted=Count("pk", filter=Q(state=PeriodState.ACCEPTED)),
        returned=Count("pk", filter=Q(state=PeriodState.RETURNED)),
        late=Count("pk", filter=late_condition()),
    )
    # The rows in the state filter, counted by the aggregate above: no COUNT query for the pager.
    matching = {
        PeriodState.SENT: counts["sent"],
        PeriodState.ACCEPTED: counts["accepted"],
        PeriodState.RETURNED: counts["returned"],
    }
    paging = pager(matching.get(filters.state, counts["total"]), page)

    ordering = _ORDERINGS.get(filters.sort, _ORDERINGS[SORT_SENT_NEWEST])
    periods = (
        _state_filtered(reviewer_periods(office_ids, filters), filters)
        .select_related("plan__office", "plan__fiscal_year")
        .order_by(*ordering, *_TIE_BREAK)
    )[paging.offset : paging.offset + paging.per_page]
    return InboxPage(
        reviewed_offices=reviewed,
        rows=[_row(user, period) for period in periods],
        counts=InboxCounts(**counts),
        chart=score_chart(office_ids, filters),
        pager=paging,
    )
