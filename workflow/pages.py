"""What the pages of the year's work show, each in a fixed number of queries whatever the plan's size: the plan
page (indicators, progress, marks, evidence counts, periods with their actions and approvals) and the home page
(the user's plans, what waits for them).
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from base.bangla import fiscal_year_label
from evidence.models import Evidence
from evidence.selectors import visible_evidence
from indicators import permissions, scoring
from indicators.explain import score_reason_bn
from indicators.models import (
    EDITABLE_STATES,
    ActionPlan,
    Activity,
    Approval,
    Indicator,
    Office,
    PerformanceArea,
    PeriodState,
    PeriodTransition,
    Progress,
    ReportingPeriod,
    Role,
)
from indicators.periods import periods_ensure
from indicators.scores import indicator_scoring_input, plan_indicators, plan_scores
from indicators.selectors import plans_for_user, templates_to_start, visible_quarters
from workflow.pace import QuarterPace, quarter_pace
from workflow.transitions import STATE_RANK, allowed_actions, earliest_rank
from workflow.waiting import waiting_requests


@dataclass
class QuarterCell:
    quarter: int
    progress: Progress | None
    visible: bool  # a reviewer sees only quarters that were sent
    editable: bool  # this user may write this quarter now


@dataclass
class IndicatorRow:
    indicator: Indicator
    score: scoring.IndicatorScore
    reason: str
    cells: list[QuarterCell]
    evidence_count: int

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def targets(self) -> list[tuple[int, Decimal | datetime.date | None]]:
        return [(level, self.indicator.target(level)) for level in scoring.LEVEL_PERCENTS]


@dataclass
class ActivityBlock:
    activity: Activity
    rows: list[IndicatorRow]


@dataclass
class AreaBlock:
    area: PerformanceArea
    score: scoring.AreaScore
    activities: list[ActivityBlock]


@dataclass
class PeriodView:
    period: ReportingPeriod
    actions: list[str]
    transitions: list[PeriodTransition]
    days_left: int
    late: bool
    # The period's approvals (versions) this user may see, oldest first, with their stored copies.
    approvals: list[Approval] = dataclasses.field(default_factory=list)
    # The earlier quarters that must move first before this one can be submitted (DESIGN.md §4).
    waits_for: list[int] = dataclasses.field(default_factory=list)

    @property
    def pace(self) -> QuarterPace | None:
        """The approved marks of a quarter before Q4 beside the pace expected then (issue 14.6)."""
        percent = (self.period.score_snapshot or {}).get("percent")
        if percent is None:
            return None
        return quarter_pace(Decimal(str(percent)), self.period.quarter)


@dataclass
class PlanPage:
    plan: ActionPlan
    areas: list[AreaBlock]
    score: scoring.PlanScore
    periods: list[PeriodView]
    is_member: bool
    can_edit: bool
    visible_quarters: list[int]

    @property
    def can_edit_plan(self) -> bool:
        """Whether the plan editor is open to this user: an officer or the CIO of the office, while no quarter
        is submitted or beyond (the service checks it again under its locks, ``plan_edit_save``)."""
        return self.can_edit and all(view.period.state in EDITABLE_STATES for view in self.periods)

    def row(self, code: str) -> IndicatorRow | None:
        for area in self.areas:
            for block in area.activities:
                for row in block.rows:
                    if row.code == code:
                        return row
        return None


def plan_page(plan: ActionPlan, user, *, today: datetime.date | None = None) -> PlanPage:
    """Everything the plan page shows, in a fixed number of queries whatever the plan's size."""

    today = today or timezone.localdate()
    is_member = permissions.is_member(user, plan)
    can_edit = permissions.can_edit_progress(user, plan)
    periods = periods_ensure(plan)
    transitions: dict[int, list[PeriodTransition]] = {p.pk: [] for p in periods}
    for transition in PeriodTransition.objects.filter(period__plan=plan).select_related("user"):
        transitions[transition.period_id].append(transition)
    visible = visible_quarters(plan, user, periods=periods)
    editable_quarters = {p.quarter for p in periods if can_edit and p.state in EDITABLE_STATES}

    indicators = plan_indicators(plan)
    evidence_counts = dict(
        visible_evidence(Evidence.objects.filter(indicator__plan=plan), visible)
        .values("indicator_id")
        .annotate(n=Count("id"))
        .values_list("indicator_id", "n")
    )
    inputs = []
    for indicator in indicators:
        base = indicator_scoring_input(indicator)
        quarterly = {q: v for q, v in base.quarterly.items() if q in visible}
        inputs.append(dataclasses.replace(base, quarterly=quarterly))
    areas = list(plan.areas.order_by("position"))
    up_to = max(visible) if visible else 1
    result = scoring.score_plan(
        [scoring.AreaInput(code=a.code, marks=a.marks) for a in areas], inputs, up_to_quarter=up_to
    )
    scores = {s.code: s for s in result.indicators}
    area_scores = {s.code: s for s in result.areas}

    blocks: dict[int, AreaBlock] = {
        a.pk: AreaBlock(area=a, score=area_scores[a.code], activities=[]) for a in areas
    }
    activity_blocks: dict[int, ActivityBlock] = {}
    for indicator in indicators:
        activity = indicator.activity
        if activity.pk not in activity_blocks:
            activity_blocks[activity.pk] = ActivityBlock(activity=activity, rows=[])
            blocks[activity.area_id].activities.append(activity_blocks[activity.pk])
        progress = {p.quarter: p for p in indicator.progress.all()}
        score = scores[indicator.code]
        activity_blocks[activity.pk].rows.append(
            IndicatorRow(
                indicator=indicator,
                score=score,
                reason=score_reason_bn(score),
                cells=[
                    QuarterCell(
                        quarter=q,
                        progress=progress.get(q) if q in visible else None,
                        visible=q in visible,
                        editable=q in editable_quarters and indicator.applicable,
                    )
                    for q in (1, 2, 3, 4)
                ],
                evidence_count=evidence_counts.get(indicator.pk, 0),
            )
        )

    approvals: dict[int, list[Approval]] = {p.pk: [] for p in periods}
    # A period that never moved (version 0) has no approval: before the first submission, no query.
    if any(p.version for p in periods):
        shown_approvals = Approval.objects.filter(period__plan=plan).prefetch_related("reports")
        if not is_member:  # a reviewer sees the versions that were sent to them
            shown_approvals = shown_approvals.filter(sent_at__isnull=False)
        for approval in shown_approvals.order_by("period_id", "number"):
            approvals[approval.period_id].append(approval)
    period_views = [
        PeriodView(
            period=p,
            actions=allowed_actions(user, p, earlier_rank=earliest_rank(periods, p.quarter)),
            transitions=transitions[p.pk],
            days_left=(p.deadline - today).days,
            late=_is_late(p, transitions[p.pk], today),
            approvals=approvals[p.pk],
            waits_for=[
                q.quarter
                for q in periods
                if q.quarter < p.quarter
                and p.is_editable
                and STATE_RANK[q.state] < STATE_RANK[PeriodState.SUBMITTED]
            ],
        )
        for p in periods
        if p.quarter in visible  # every quarter for members
    ]
    return PlanPage(
        plan=plan,
        areas=list(blocks.values()),
        score=result,
        periods=period_views,
        is_member=is_member,
        can_edit=can_edit,
        visible_quarters=visible,
    )


def _is_late(period: ReportingPeriod, transitions: list[PeriodTransition], today: datetime.date) -> bool:
    """Late: submitted after the deadline, or not submitted and the deadline has passed (flagged, not blocked)."""
    first_submit = next((t for t in transitions if t.to_state == PeriodState.SUBMITTED), None)
    if first_submit is not None:
        return timezone.localdate(first_submit.at) > period.deadline
    return today > period.deadline


@dataclass
class WaitingPeriod:
    period: ReportingPeriod
    days_left: int
    late: bool

    @property
    def days_late(self) -> int:
        return max(0, -self.days_left)


def home_page(user, *, today: datetime.date | None = None) -> dict:
    """The user's plans with their marks, and what waits for them: open periods with their deadlines,
    periods to review as CIO, periods sent by child offices to a reviewer."""
    today = today or timezone.localdate()
    plans = plans_for_user(user)
    scores = plan_scores(plans)
    scored = [(plan, scores[plan.pk]) for plan in plans]
    member_offices = set(permissions.roles_by_office(user))
    cio_offices = permissions.offices_with_role(user, [Role.CIO])
    reviewer_offices = permissions.offices_with_role(user, [Role.REVIEWER])
    periods = ReportingPeriod.objects.select_related("plan__office", "plan__fiscal_year").order_by(
        "deadline", "plan__office__code"
    )
    open_periods = [
        WaitingPeriod(p, (p.deadline - today).days, today > p.deadline)
        for p in periods.filter(plan__office_id__in=member_offices, state__in=EDITABLE_STATES)
    ]
    # Returned quarters say what to do next: the comment of whoever sent them back (issue 14.5).
    last_return = PeriodTransition.objects.filter(
        period=OuterRef("pk"), to_state=PeriodState.RETURNED
    ).order_by("-at", "-pk")
    returned = list(
        periods.filter(plan__office_id__in=member_offices, state=PeriodState.RETURNED).annotate(
            return_comment=Subquery(last_return.values("comment")[:1]),
            returned_at=Subquery(last_return.values("at")[:1]),
            returned_from=Subquery(last_return.values("from_state")[:1]),
        )
    )
    to_approve = list(periods.filter(plan__office_id__in=cio_offices, state=PeriodState.SUBMITTED))
    to_send = list(periods.filter(plan__office_id__in=cio_offices, state=PeriodState.APPROVED))
    sent_to_me = list(periods.filter(plan__office__parent_id__in=reviewer_offices, state=PeriodState.SENT))
    memberships = list(user.office_memberships.select_related("office").order_by("office__code"))
    # Issue 13: an office without this year's plan imports it from its own document (upload → preview →
    # confirm); the fiscal year runs July to June.
    year_start = today.year if today.month >= 7 else today.year - 1
    with_plan = {plan.office_id for plan in plans if plan.fiscal_year.start_year == year_start}
    import_offices = sorted(
        {
            m.office
            for m in memberships
            if m.role in (Role.OFFICER, Role.CIO) and m.office_id not in with_plan
        },
        key=lambda office: office.code,
    )
    return {
        "plan_imports": [(office, fiscal_year_label(year_start, bangla=False)) for office in import_offices],
        "plans": scored,
        "memberships": memberships,
        # Officers and CIOs expect a plan of their own office; a reviewer only reviews others'.
        "expects_own_plan": bool(permissions.offices_with_role(user, [Role.OFFICER, Role.CIO])),
        "open_periods": open_periods,
        "returned": returned,
        "to_approve": to_approve,
        "to_send": to_send,
        # Minutes and Smart plans the team sent to the CIO for approval (one query per kind, for a CIO).
        "document_requests": waiting_requests(user),
        "sent_to_me": sent_to_me,
        # Templates of the parent offices for a year the user's office has no plan of yet (issue 13).
        "templates_to_start": templates_to_start(user),
        # Members of a higher office publish the year's template for the offices below it.
        "publishes_templates": Office.objects.filter(
            pk__in=permissions.offices_with_role(user, [Role.OFFICER, Role.CIO, Role.REVIEWER]),
            children__isnull=False,
        ).exists(),
    }
