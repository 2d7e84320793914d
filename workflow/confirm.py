"""What a person sees before an irreversible step (submit, approve and sign, send, accept): the quarter's
marks so far beside the pace expected at that quarter, and what is missing — indicators without a value,
without evidence (naming the evidence the indicator expects, ``Indicator.evidence_expected``), with a value
but no remark. These are warnings, never blocks: the step itself is the workflow's
(``workflow.transitions.period_transition``), unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from evidence.models import Evidence
from evidence.selectors import UNDATED_QUARTER
from indicators import scoring
from indicators.models import ActionPlan, Indicator, ReportingPeriod
from indicators.scores import indicator_scoring_input, plan_indicators
from workflow.pace import QuarterPace, quarter_pace

#: The steps that are confirmed on a page of their own before they are taken (returns carry a comment
#: already and are not in the list).
CONFIRMED_ACTIONS = ("submit", "approve", "send", "accept")


@dataclass(frozen=True)
class MissingEvidence:
    indicator: Indicator

    @property
    def expected(self) -> str:
        return self.indicator.evidence_expected.strip()


@dataclass
class PeriodSummary:
    period: ReportingPeriod
    score: scoring.PlanScore
    pace: QuarterPace
    indicators: int = 0  # applicable indicators
    no_value: list[Indicator] = field(default_factory=list)
    no_evidence: list[MissingEvidence] = field(default_factory=list)
    no_remark: list[Indicator] = field(default_factory=list)

    @property
    def warnings(self) -> int:
        return len(self.no_value) + len(self.no_evidence) + len(self.no_remark)


def period_summary(plan: ActionPlan, period: ReportingPeriod) -> PeriodSummary:
    """The summary of ``period`` before a step: in four queries whatever the plan's size (the indicators with
    their areas and progress, the areas, the evidence counts)."""
    quarter = period.quarter
    indicators = plan_indicators(plan)
    areas = list(plan.areas.order_by("position"))
    inputs = [indicator_scoring_input(indicator) for indicator in indicators]
    result = scoring.score_plan(
        [scoring.AreaInput(code=a.code, marks=a.marks) for a in areas], inputs, up_to_quarter=quarter
    )
    # Evidence of this quarter; undated evidence goes with Q4, whose annual report prints it.
    evidence = Evidence.objects.filter(indicator__plan=plan, quarter=quarter)
    if quarter == UNDATED_QUARTER:
        evidence = Evidence.objects.filter(indicator__plan=plan, quarter__in=[quarter, None])
    counts = dict(evidence.values("indicator_id").annotate(n=Count("id")).values_list("indicator_id", "n"))
    summary = PeriodSummary(period=period, score=result, pace=quarter_pace(result.percent, quarter))
    for indicator in indicators:
        if not indicator.applicable:
            continue
        summary.indicators += 1
        progress = next((p for p in indicator.progress.all() if p.quarter == quarter), None)
        has_value = progress is not None and progress.value is not None
        if not has_value:
            summary.no_value.append(indicator)
        elif not progress.remark.strip():
            summary.no_remark.append(indicator)
        if not counts.get(indicator.pk):
            summary.no_evidence.append(MissingEvidence(indicator))
    return summary
