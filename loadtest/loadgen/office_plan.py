"""One office's year as rows: its plan, the four periods with their transitions and approvals, progress,
evidence and the append-only history, as the services would have written them.

Everything of one office is drawn from the office's own generator (seeded with the run's seed and the office
code), in a fixed order: the workflow first (when a quarter was first submitted bounds when its values were
written), then the indicators one by one, then the periods. The order of the draws is part of the data: the
same seed gives the same data set only while the draws come in this order (tests/loadtest checks it).

Every period that was approved carries the score snapshot the scoring service computes (``scoring.score_plan``
and ``plan_score_json``, in Python, from the generated values, through ``indicators.scores.scoring_input`` as
pages and reports build theirs). Approved periods get their approvals (versions, with marks, sent and
superseded times) but no ``ApprovedReport`` (rendering tens of thousands of PDFs is not load data): their
report download answers "being prepared".
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from evidence.models import ContentType
from indicators import scoring
from indicators.history import history_text
from indicators.models import (
    TARGET_LEVELS,
    ActionPlan,
    Activity,
    FiscalYear,
    HistoryKind,
    Indicator,
    Office,
    PerformanceArea,
    PeriodState,
    PlanOrigin,
    ReportingPeriod,
    Role,
    default_deadline,
)
from indicators.plan_sheet import ParsedIndicator
from indicators.scores import plan_score_json, scoring_input
from loadtest.loadgen import names
from loadtest.loadgen.plans import (
    SUBORDINATE_REPORTS_INDICATOR,
    TWO_PLACES,
    PlanTemplate,
    Value,
    achievement_for,
    as_stored,
    office_quality,
    quarterly_values,
    varied_targets,
    varied_weights,
)
from loadtest.loadgen.rows import PlanRows, reserve_ids
from loadtest.loadgen.shared_file import SharedEvidence
from loadtest.loadgen.timeline import Step, period_timeline
from reports.letter import report_span
from reports.models import ReportKind
from workflow.transitions import STATE_RANK, TRANSITIONS


@dataclass
class PlanContext:
    """What every office's plan of one run shares; ``states`` and ``percents`` collect the run's figures."""

    seed: int
    fiscal_year: FiscalYear
    as_of: datetime.datetime
    template: PlanTemplate
    evidence: SharedEvidence
    roles: dict[str, dict[str, int]]  # office code → role → user id
    parent_code: dict[str, str]
    with_children: set[str]
    states: Counter[tuple[int, str]] = field(default_factory=Counter)
    percents: list[Decimal] = field(default_factory=list)


def plans_write(context: PlanContext, offices: list[Office], rows: Counter[str]) -> None:
    """The plans of a few hundred offices: rows built in memory with reserved ids, then written table by table."""
    template = context.template
    n = len(offices)
    ids = {
        "plans": reserve_ids(ActionPlan, n),
        "areas": reserve_ids(PerformanceArea, n * len(template.areas)),
        "activities": reserve_ids(Activity, n * len(template.activities)),
        "indicators": reserve_ids(Indicator, n * len(template.indicators)),
        "periods": reserve_ids(ReportingPeriod, n * 4),
    }
    chunk = PlanRows()
    for office in offices:
        office_plan_write(context, office, chunk, ids)
    for table in chunk.tables():
        rows[table.model._meta.label] += table.write()


def office_plan_write(
    context: PlanContext, office: Office, out: PlanRows, ids: dict[str, Iterator[int]]
) -> None:
    """One office's plan, periods, progress, evidence and history (drawn from the office's own generator)."""
    _OfficePlan(context, office, out, ids).write()


class _OfficePlan:
    """The rows of one office, step by step; ``write`` gives the order of the draws (see the module)."""

    def __init__(
        self, context: PlanContext, office: Office, out: PlanRows, ids: dict[str, Iterator[int]]
    ) -> None:
        self.context, self.office, self.out, self.ids = context, office, out, ids
        self.rng = random.Random(f"{context.seed}:{office.code}")
        self.fiscal_year, self.template, self.as_of = context.fiscal_year, context.template, context.as_of
        self.start_year = self.fiscal_year.start_year
        roles = context.roles[office.code]
        self.officer, self.cio = roles[Role.OFFICER], roles[Role.CIO]
        self.reviewer = context.roles[context.parent_code[office.code]][Role.REVIEWER]
        self.tz = timezone.get_default_timezone()
        # Set by the steps of ``write``, in order.
        self.plan_id = 0
        self.created_at = self.as_of
        self.activity_ids: dict[str, int] = {}
        self.reached: list[int] = []
        self.timelines: dict[int, list[Step]] = {}

    def write(self) -> None:
        self._plan()
        self._workflow()
        quality = office_quality(self.rng)
        weights = varied_weights(self.rng, self.template)
        area_inputs = [scoring.AreaInput(code=code, marks=marks) for code, _t, marks in self.template.areas]
        score_inputs = [
            self._indicator(position, item, quality, weights)
            for position, item in enumerate(self.template.indicators)
        ]
        self._periods(area_inputs, score_inputs)
        # The annual percent from everything entered so far (reported at the end: the spread of the data set).
        self.context.percents.append(scoring.score_plan(area_inputs, score_inputs, up_to_quarter=4).percent)

    def _plan(self) -> None:
        """The plan, its areas and activities (the template's)."""
        out, template = self.out, self.template
        self.plan_id = plan_id = next(self.ids["plans"])
        self.created_at = timezone.make_aware(
            datetime.datetime.combine(
                self.fiscal_year.starts_on - datetime.timedelta(days=self.rng.randint(5, 40)),
                datetime.time(11, 0),
            ),
            self.tz,
        )
        out.plans.rows.append(
            # Where a generated plan came from is not said (PlanOrigin.UNKNOWN), as for plans made before.
            (
                plan_id,
                self.office.pk,
                self.fiscal_year.pk,
                PlanOrigin.UNKNOWN.value,
                self.created_at,
                self.created_at,
            )
        )
        area_ids: dict[str, int] = {}
        for position, (code, title, marks) in enumerate(template.areas):
            area_ids[code] = next(self.ids["areas"])
            out.areas.rows.append((area_ids[code], plan_id, code, title, marks, position))
        for position, (code, title, area_code) in enumerate(template.activities):
            self.activity_ids[code] = next(self.ids["activities"])
            out.activities.rows.append(
                (self.activity_ids[code], plan_id, area_ids[area_code], code, title, position)
            )

    def _workflow(self) -> None:
        """Each quarter's steps up to ``as_of``, for the quarters that have been reached."""
        start_year, as_of = self.start_year, self.as_of
        self.reached = [
            q for q in (1, 2, 3, 4) if report_span(start_year, ReportKind.QUARTERLY, q)[0] <= as_of.date()
        ]
        timelines = self.timelines
        for quarter in (1, 2, 3, 4):
            deadline = default_deadline(start_year, quarter)
            timelines[quarter] = (
                period_timeline(
                    self.rng,
                    deadline=deadline,
                    as_of=as_of,
                    closing=as_of.date() - datetime.timedelta(days=3) <= deadline,
                    officer=self.officer,
                    cio=self.cio,
                    reviewer=self.reviewer,
                )
                if quarter in self.reached
                else []
            )
        # Quarters go forward in order (DESIGN.md §4): no quarter ends further on than the one before it, so a
        # quarter's timeline stops at the first step that would take it past the earlier quarter's end.
        cap = 4
        for quarter in (1, 2, 3, 4):
            kept = []
            for step in timelines[quarter]:
                if STATE_RANK[TRANSITIONS[step.action].to_state] > cap:
                    break
                kept.append(step)
            timelines[quarter] = kept
            end = TRANSITIONS[kept[-1].action].to_state if kept else PeriodState.DRAFT
            cap = STATE_RANK[end]

    def _written_at(self, quarter: int) -> datetime.datetime:
        """A moment when a value of ``quarter`` was written: late in the quarter or soon after, before the
        quarter was first submitted and before ``as_of``."""
        first, last = report_span(self.start_year, ReportKind.QUARTERLY, quarter)
        low = timezone.make_aware(
            datetime.datetime.combine(max(first, last - datetime.timedelta(days=20)), datetime.time(9)),
            self.tz,
        )
        high = self.as_of - datetime.timedelta(hours=1)
        if self.timelines[quarter]:
            high = min(high, self.timelines[quarter][0].at - datetime.timedelta(hours=1))
        if high <= low:
            low = high - datetime.timedelta(days=1)
        return low + datetime.timedelta(seconds=self.rng.randint(0, int((high - low).total_seconds())))

    def _history(
        self,
        kind: str,
        at: datetime.datetime,
        user: int,
        *,
        indicator: tuple[int, str] | None = None,
        quarter: int | None = None,
        before: object = None,
        after: object = None,
        reason: str = "",
    ) -> None:
        """One history entry, as the services write it (``history_text`` of the values)."""
        indicator_id, indicator_code = indicator or (None, "")
        self.out.history.rows.append(
            (
                self.plan_id,
                indicator_id,
                indicator_code,
                quarter,
                kind,
                history_text(before),
                history_text(after),
                reason,
                user,
                at,
            )
        )

    def _indicator(
        self, position: int, item: ParsedIndicator, quality: float, weights: dict[str, Decimal]
    ) -> scoring.IndicatorInput:
        """The indicator with its varied targets and weight, its progress and evidence; its scoring input."""
        rng = self.rng
        indicator_id = next(self.ids["indicators"])
        indicator = (indicator_id, item.code)
        targets = varied_targets(rng, item, self.fiscal_year.starts_on, self.fiscal_year.ends_on)
        applicable, reason = True, ""
        if item.code == SUBORDINATE_REPORTS_INDICATOR and self.office.code not in self.context.with_children:
            applicable, reason = False, "আওতাধীন কোনো দপ্তর/সংস্থা নেই।"
        elif rng.random() < 0.02:
            applicable, reason = False, rng.choice(names.texts().not_applicable_reasons)
        weight = Decimal(weights[item.code]).quantize(TWO_PLACES)
        is_date = item.unit is scoring.Unit.DATE
        target_columns = []
        for level in scoring.LEVEL_PERCENTS:
            value = targets.get(level)
            target_columns += [None, value] if is_date else [value, None]
        self.out.indicators.rows.append(
            (
                indicator_id,
                self.plan_id,
                self.activity_ids[item.activity_code],
                item.code,
                item.title,
                item.unit.value,
                item.unit_label,
                item.evaluation,
                item.evidence_expected,
                weight,
                item.calc_method.value,
                item.scoring_method.value,
                item.direction.value,
                *target_columns,
                applicable,
                reason,
                "",  # data_source: generated values are the officers' own
                position,
            )
        )
        if not applicable:
            self._history(
                HistoryKind.APPLICABILITY,
                self.created_at + datetime.timedelta(days=rng.randint(1, 20)),
                self.officer,
                indicator=indicator,
                before=True,
                after=False,
                reason=reason,
            )
            return _score_input(item, weight, targets, {}, applicable=False)
        recorded = self._progress(indicator, item, targets, quality)
        self._evidence(indicator, item, recorded)
        return _score_input(item, weight, targets, recorded, applicable=True)

    def _progress(
        self,
        indicator: tuple[int, str],
        item: ParsedIndicator,
        targets: dict[int, Value | None],
        quality: float,
    ) -> dict[int, Value | None]:
        """The values and remarks of the quarters reached, with their history; what was recorded per quarter."""
        rng, as_of = self.rng, self.as_of
        achievement = achievement_for(rng, item, targets, quality + rng.gauss(0, 9))
        values = {
            q: v
            for q, v in quarterly_values(rng, item, achievement).items()
            if q in self.reached
            and not (isinstance(v, datetime.date) and (v > as_of.date() or v > self.fiscal_year.ends_on))
        }
        remarks: dict[int, str] = {}
        for quarter in values:
            if rng.random() < 0.15:
                remarks[quarter] = rng.choice(names.texts().progress_remarks)
        if (
            item.unit is scoring.Unit.DATE
        ):  # "under way" in quarters before the one in which the date was reached
            done_in = min(values, default=5)
            for quarter in self.reached:
                if quarter < done_in and rng.random() < 0.25:
                    remarks[quarter] = "কার্যক্রম চলমান।"
        recorded: dict[int, Value | None] = {}
        for quarter in sorted(set(values) | set(remarks)):
            value = as_stored(values.get(quarter))
            remark = remarks.get(quarter, "")
            at = self._written_at(quarter)
            user = self.officer if rng.random() < 0.9 else self.cio
            number, day = (None, value) if isinstance(value, datetime.date) else (value, None)
            self.out.progress.rows.append((indicator[0], quarter, number, day, remark, user, at, 1))
            recorded[quarter] = value
            # As history_progress_change records a first entry: one row for the value, one for the remark.
            if value is not None:
                self._history(HistoryKind.VALUE, at, user, indicator=indicator, quarter=quarter, after=value)
            if remark:
                self._history(
                    HistoryKind.REMARK, at, user, indicator=indicator, quarter=quarter, after=remark
                )
        return recorded

    def _evidence(
        self, indicator: tuple[int, str], item: ParsedIndicator, recorded: dict[int, Value | None]
    ) -> None:
        """Evidence: for the last reported quarter mostly, for earlier ones now and then; all of it the one
        shared file."""
        rng, shared = self.rng, self.context.evidence
        reported = [q for q, v in recorded.items() if v is not None]
        evidence_position = 0
        for quarter in reported:
            if rng.random() < (0.8 if quarter == reported[-1] else 0.15):
                evidence_position += 1
                title = rng.choice(names.texts().evidence_titles)
                at = self._written_at(quarter)
                self.out.evidence.rows.append(
                    (
                        indicator[0],
                        quarter,
                        title,
                        shared.name,
                        f"{item.code.replace('.', '-')}-q{quarter}.pdf",
                        ContentType.PDF.value,
                        shared.size,
                        shared.pages,
                        shared.sha256,
                        evidence_position,
                        self.officer,
                        at,
                    )
                )
                self._history(
                    HistoryKind.EVIDENCE_ADDED,
                    at,
                    self.officer,
                    indicator=indicator,
                    quarter=quarter,
                    after=f"{title} ({shared.sha256[:12]})",
                )

    def _periods(
        self, area_inputs: list[scoring.AreaInput], score_inputs: list[scoring.IndicatorInput]
    ) -> None:
        """The four periods, each where its steps left it, with its transitions, history and approvals."""
        plan = ActionPlan(
            office=self.office, fiscal_year=self.fiscal_year
        )  # unsaved: what plan_score_json reads
        for quarter in (1, 2, 3, 4):
            steps = self.timelines[quarter]
            period_id = next(self.ids["periods"])
            # The steps through the workflow's own transitions: the period ends where the last one left it.
            state = PeriodState.DRAFT.value
            for step in steps:
                transition = TRANSITIONS[step.action]
                assert state in transition.from_states, (state, step.action)
                after = transition.to_state.value
                self.out.transitions.rows.append(
                    (period_id, state, after, step.user_id, step.at, step.comment)
                )
                self._history(
                    HistoryKind.STATE,
                    step.at,
                    step.user_id,
                    quarter=quarter,
                    before=state,
                    after=after,
                    reason=step.comment,
                )
                state = after
            snapshot = None
            if any(step.action == "approve" for step in steps):
                # What reports.approvals.score_snapshot stores at each approval (the values do not change
                # after it).
                result = scoring.score_plan(area_inputs, score_inputs, up_to_quarter=quarter)
                snapshot = plan_score_json(plan, result)
                self._approvals(period_id, steps, snapshot)
            standing = (
                snapshot if state in (PeriodState.APPROVED, PeriodState.SENT, PeriodState.ACCEPTED) else None
            )
            self.out.periods.rows.append(
                (
                    period_id,
                    self.plan_id,
                    quarter,
                    state,
                    default_deadline(self.start_year, quarter),
                    len(steps),
                    standing,
                )
            )
            self.context.states[(quarter, state)] += 1

    def _approvals(self, period_id: int, steps: list[Step], snapshot: dict) -> None:
        """Each approval is a version: superseded by the next return, sent by the next sending. No source
        digest: the generated approvals have no stored copies (checked by their marks only)."""
        versions: list[list] = []
        for step in steps:
            if step.action == "approve":
                versions.append(
                    [
                        period_id,
                        len(versions) + 1,
                        step.user_id,
                        step.at,
                        snapshot,
                        scoring.RULES,
                        "",
                        None,
                        None,
                    ]
                )
            elif step.action == "send":
                versions[-1][7] = step.at
            elif step.action in ("return", "review_return") and versions and versions[-1][8] is None:
                versions[-1][8] = step.at
        self.out.approvals.rows.extend(tuple(version) for version in versions)


def _score_input(
    item: ParsedIndicator,
    weight: Decimal,
    targets: dict[int, Value | None],
    quarterly: dict[int, Value | None],
    *,
    applicable: bool,
) -> scoring.IndicatorInput:
    """What ``indicators.scores`` builds from the stored rows, from the rows this run writes."""
    return scoring_input(
        code=item.code,
        area_code=item.area_code,
        unit=item.unit.value,
        weight=weight,
        calc_method=item.calc_method.value,
        scoring_method=item.scoring_method.value,
        direction=item.direction.value,
        targets=[targets.get(level) for level in TARGET_LEVELS],
        quarterly=quarterly,
        applicable=applicable,
    )
