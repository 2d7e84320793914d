"""The reporting periods of a plan and the locks every write takes (DESIGN.md §4).

A quarter's progress and evidence change only while its period is draft or returned
(``ensure_quarter_editable``); applicability and the plan's structure only while no period is submitted or
beyond (``ensure_plan_unlocked``). Lock order, everywhere: the plan's row (plan structure only), its periods
in quarter order, its indicators, the progress rows.
"""

from __future__ import annotations

from base.bangla import QUARTER_ORDINALS_BN
from base.errors import LockedError
from indicators.models import (
    EDITABLE_STATES,
    ActionPlan,
    Indicator,
    PeriodState,
    ReportingPeriod,
    default_deadline,
)


def periods_ensure(plan: ActionPlan) -> list[ReportingPeriod]:
    """The plan's four reporting periods, created in draft with the default deadlines if missing."""
    existing = {p.quarter: p for p in plan.periods.all()}
    missing = [
        ReportingPeriod(plan=plan, quarter=q, deadline=default_deadline(plan.fiscal_year.start_year, q))
        for q in (1, 2, 3, 4)
        if q not in existing
    ]
    if missing:
        ReportingPeriod.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {p.quarter: p for p in plan.periods.all()}
    return [existing[q] for q in (1, 2, 3, 4)]


def period_for(plan: ActionPlan, quarter: int) -> ReportingPeriod:
    return periods_ensure(plan)[quarter - 1]


def quarter_locked_message(quarter: int, state: str) -> tuple[str, str]:
    label = PeriodState(state).label
    return (
        f"{QUARTER_ORDINALS_BN[quarter - 1]} ত্রৈমাসিকের তথ্য এখন বদলানো যাবে না (অবস্থা: {label}); "
        "ফেরত পাঠানো হলে আবার বদলানো যাবে।",
        f"Quarter {quarter} is {state}: its data is read-only until the period is returned.",
    )


def ensure_quarter_editable(plan: ActionPlan, quarter: int) -> ReportingPeriod:
    """Refuse any write to a quarter whose period is submitted, approved, sent or accepted."""
    locked = ReportingPeriod.objects.select_for_update()
    try:
        period = locked.get(plan=plan, quarter=quarter)
    except ReportingPeriod.DoesNotExist:  # a plan whose periods were never created
        period = locked.get(pk=period_for(plan, quarter).pk)
    if period.state not in EDITABLE_STATES:
        raise LockedError(*quarter_locked_message(quarter, period.state))
    return period


def periods_lock(plan: ActionPlan, quarters: range = range(1, 5)) -> list[ReportingPeriod]:
    """The plan's periods of ``quarters``, their rows locked in quarter order until the transaction ends."""
    periods_ensure(plan)
    return list(
        ReportingPeriod.objects.select_for_update(of=("self",))
        .select_related("plan__office", "plan__fiscal_year")
        .filter(plan=plan, quarter__in=list(quarters))
        .order_by("quarter")
    )


def quarters_bn(quarters: list[int]) -> str:
    return ", ".join(QUARTER_ORDINALS_BN[q - 1] for q in quarters)


def ensure_plan_unlocked(plan: ActionPlan, *, what_bn: str, what_en: str) -> list[ReportingPeriod]:
    """Applicability and the plan's structure decide the marks of every quarter: they change only while no
    quarter is submitted, approved, sent or accepted (DESIGN.md §4). The periods stay locked until the
    caller's transaction ends, so none can be submitted between this check and the change."""
    periods = periods_lock(plan)
    locked = [p.quarter for p in periods if p.state not in EDITABLE_STATES]
    if locked:
        raise LockedError(
            f"{what_bn} এখন বদলানো যাবে না: {quarters_bn(locked)} ত্রৈমাসিক দাখিল বা অনুমোদিত হয়েছে, আর এর "
            "অনুমোদিত নম্বর এর ওপর নির্ভর করে। বদলাতে হলে আগে সেই ত্রৈমাসিকগুলো ফেরত পাঠাতে হবে।",
            f"The {what_en} cannot change now: quarter(s) {', '.join(map(str, locked))} are submitted or "
            "approved and their marks depend on it. Return those quarters first.",
        )
    return periods


def indicator_lock(pk: int) -> Indicator:
    """The indicator with its row locked (NO KEY UPDATE) until the transaction ends. A progress save holds
    this lock while it checks applicability and stores its value, so whoever looks for values under it before
    marking the indicator not applicable either sees a value saved at the same moment or makes that save
    refuse."""
    return Indicator.objects.select_for_update(no_key=True).get(pk=pk)
