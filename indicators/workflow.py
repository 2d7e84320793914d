"""Writes of the browser workflow (DESIGN.md §4): progress entry, applicability, period transitions.

Every write here checks permission and the period's state on the server, records history, and refuses a
change based on an outdated version (two people never silently overwrite each other).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from apa_tracker.errors import DomainError
from indicators import permissions, scoring
from indicators.models import (
    EDITABLE_STATES,
    ActionPlan,
    HistoryEntry,
    HistoryKind,
    Indicator,
    PeriodState,
    PeriodTransition,
    Progress,
    ReportingPeriod,
    default_deadline,
)
from indicators.parsing import plain_number
from reports.bangla import to_bangla_digits


class PermissionDeniedError(DomainError):
    pass


class LockedError(DomainError):
    """The period is submitted or approved: its data is read-only until it is returned."""


class ConflictError(DomainError):
    """Someone else changed the same thing since this user loaded it."""


def history_text(value: object) -> str:
    """How a value is kept in the history: ISO dates, plain numbers, text as it is."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return plain_number(value)
    if isinstance(value, bool):
        return "প্রযোজ্য" if value else "প্রযোজ্য নয়"
    return str(value)


def history_record(
    *,
    plan: ActionPlan,
    kind: str,
    before: object = None,
    after: object = None,
    user: AbstractBaseUser | None = None,
    indicator: Indicator | None = None,
    quarter: int | None = None,
    reason: str = "",
) -> HistoryEntry:
    return HistoryEntry.objects.create(
        plan=plan,
        indicator=indicator,
        indicator_code=indicator.code if indicator is not None else "",
        quarter=quarter,
        kind=kind,
        before=history_text(before),
        after=history_text(after),
        reason=reason,
        user=user if user is not None and user.is_authenticated else None,
    )


def history_progress_change(
    *,
    indicator: Indicator,
    quarter: int,
    before: tuple[Decimal | datetime.date | None, str],
    after: tuple[Decimal | datetime.date | None, str],
    user: AbstractBaseUser | None,
    reason: str = "",
) -> None:
    """Record a quarter's (value, remark) change: one entry for the value, one for the remark, each only if
    it changed. Every write path of progress (browser, sheet import, admin) records through here."""
    for kind, old, new in (
        (HistoryKind.VALUE, before[0], after[0]),
        (HistoryKind.REMARK, before[1], after[1]),
    ):
        if old != new:
            history_record(
                plan=indicator.plan,
                kind=kind,
                before=old,
                after=new,
                user=user,
                indicator=indicator,
                quarter=quarter,
                reason=reason,
            )


# ---------------------------------------------------------------------------------------------------------
# Periods


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
        f"{to_bangla_digits(quarter)}য় ত্রৈমাসিকের তথ্য এখন বদলানো যাবে না (অবস্থা: {label}); "
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


def ensure_plan_open(plan: ActionPlan) -> None:
    """Plan-wide data (applicability, undated evidence) may change while any period is still open.

    The open periods stay locked until the caller's transaction ends, so the last of them cannot be submitted
    between this check and the commit of the change (locked in quarter order: two callers never deadlock).
    """
    periods_ensure(plan)
    open_periods = plan.periods.select_for_update().filter(state__in=EDITABLE_STATES).order_by("quarter")
    if not list(open_periods.values_list("pk", flat=True)):
        raise LockedError(
            "এই কর্মপরিকল্পনার সব প্রতিবেদনকাল দাখিল বা অনুমোদিত; এখন কিছু বদলানো যাবে না।",
            "Every period of this plan is submitted or approved; nothing can be changed now.",
        )


# ---------------------------------------------------------------------------------------------------------
# Progress


@dataclass(frozen=True)
class ProgressSaved:
    progress: Progress | None  # None only when nothing was ever stored and nothing was entered
    changed: bool


@transaction.atomic
def progress_record(
    *,
    indicator: Indicator,
    quarter: int,
    value: Decimal | datetime.date | None,
    remark: str,
    user: AbstractBaseUser,
    expected_version: int | None,
) -> ProgressSaved:
    """Save one quarter's value and remark from the browser.

    ``expected_version`` is the version the user's form was loaded with (None: there was no value yet);
    if the stored row has moved on, nothing is saved and ConflictError says so.
    """
    plan = indicator.plan
    if not permissions.can_edit_progress(user, plan):
        raise PermissionDeniedError(
            "আপনি এই দপ্তরের অগ্রগতি লিখতে পারেন না।", "You cannot edit this office's progress."
        )
    if quarter not in (1, 2, 3, 4):
        raise DomainError("ত্রৈমাসিক ১ থেকে ৪ হতে হবে।", "The quarter must be 1 to 4.")
    if not indicator.applicable:
        raise _not_applicable_error()
    _check_value_type(indicator, value)
    ensure_quarter_editable(plan, quarter)
    # Applicability again, under a lock on the indicator's row: marking it not applicable takes the same lock
    # before it looks for values, so a value can never land on a not-applicable indicator between the two.
    # Lock order everywhere: period, indicator, progress.
    if (
        not Indicator.objects.select_for_update(no_key=True)
        .values_list("applicable", flat=True)
        .get(pk=indicator.pk)
    ):
        raise _not_applicable_error()

    # The progress row only (of=self): the default ordering joins the indicator, plan, office and fiscal year,
    # and a lock over the join would hold the fiscal year's row, so every save of that year would wait for
    # this one to commit.
    current = (
        Progress.objects.select_for_update(of=("self",)).filter(indicator=indicator, quarter=quarter).first()
    )
    current_version = current.version if current is not None else None
    if current_version != expected_version:
        raise ConflictError(
            "আপনি সম্পাদনা শুরু করার পর অন্য কেউ এই মানটি বদলেছেন। নতুন মানটি দেখে আবার সংরক্ষণ করুন।",
            "Someone else changed this value after you started editing. Review the new value and save again.",
        )
    before_value = current.value if current else None
    before_remark = current.remark if current else ""
    remark = remark.strip()
    if before_value == value and before_remark == remark:
        return ProgressSaved(progress=current, changed=False)

    # A cleared quarter keeps its row (empty value and remark), so its version keeps counting: a form
    # loaded before the clearing can never match a value entered after it.
    saved = current or Progress(indicator=indicator, quarter=quarter)
    saved.value = value
    saved.remark = remark
    saved.recorded_by = user
    saved.version = (current_version or 0) + 1
    saved.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            saved.save()
    except IntegrityError as exc:  # a row for this quarter was created meanwhile
        raise ConflictError(
            "আপনি সম্পাদনা শুরু করার পর অন্য কেউ এই মানটি লিখেছেন। নতুন মানটি দেখে আবার সংরক্ষণ করুন।",
            "Someone else entered this value after you started editing. Review it and save again.",
        ) from exc

    history_progress_change(
        indicator=indicator,
        quarter=quarter,
        before=(before_value, before_remark),
        after=(value, remark),
        user=user,
    )
    return ProgressSaved(progress=saved, changed=True)


def _not_applicable_error() -> DomainError:
    return DomainError(
        "সূচকটি প্রযোজ্য নয় হিসেবে চিহ্নিত; আগে প্রযোজ্য করুন।",
        "The indicator is marked not applicable; make it applicable first.",
    )


def _check_value_type(indicator: Indicator, value: Decimal | datetime.date | None) -> None:
    if value is None:
        return
    is_date_unit = indicator.unit == scoring.Unit.DATE
    if is_date_unit != isinstance(value, datetime.date):
        raise DomainError(
            "এই সূচকের অর্জন তারিখ হিসেবে লিখুন।" if is_date_unit else "এই সূচকের অর্জন সংখ্যায় লিখুন।",
            "Enter a date for this indicator." if is_date_unit else "Enter a number for this indicator.",
        )
    if isinstance(value, Decimal) and value < 0:
        raise DomainError("অর্জন ঋণাত্মক হতে পারে না।", "The achievement cannot be negative.")


def indicator_lock(pk: int) -> Indicator:
    """The indicator with its row locked (NO KEY UPDATE) until the transaction ends. A progress save holds
    this lock while it checks applicability and stores its value, so whoever looks for values under it before
    marking the indicator not applicable either sees a value saved at the same moment or makes that save
    refuse."""
    return Indicator.objects.select_for_update(no_key=True).get(pk=pk)


@transaction.atomic
def indicator_set_applicability(
    *, indicator: Indicator, applicable: bool, reason: str, user: AbstractBaseUser
) -> Indicator:
    """Mark an indicator (not) applicable; not applicable needs a reason and clears nothing else."""
    plan = indicator.plan
    if not permissions.can_edit_progress(user, plan):
        raise PermissionDeniedError(
            "আপনি এই দপ্তরের তথ্য বদলাতে পারেন না।", "You cannot change this office's data."
        )
    ensure_plan_open(plan)
    reason = reason.strip()
    if not applicable and not reason:
        raise DomainError(
            "প্রযোজ্য নয় কেন, তার কারণ লিখুন।", "Give the reason why the indicator is not applicable."
        )
    indicator = indicator_lock(indicator.pk)
    if not applicable and indicator.progress.with_value().exists():
        raise DomainError(
            "এই সূচকের অর্জন লেখা আছে; প্রযোজ্য নয় করার আগে অর্জন মুছুন।",
            "This indicator has achievements; clear them before marking it not applicable.",
        )
    before = (indicator.applicable, indicator.not_applicable_reason)
    indicator.applicable = applicable
    indicator.not_applicable_reason = "" if applicable else reason
    if before == (indicator.applicable, indicator.not_applicable_reason):
        return indicator
    indicator.save(update_fields=["applicable", "not_applicable_reason"])
    history_record(
        plan=plan,
        kind=HistoryKind.APPLICABILITY,
        before=before[0],
        after=applicable,
        user=user,
        indicator=indicator,
        reason=reason,
    )
    return indicator


# ---------------------------------------------------------------------------------------------------------
# Period transitions (DESIGN.md §4): draft → submitted → approved → sent → accepted, with returned


@dataclass(frozen=True)
class Transition:
    action: str
    from_states: tuple[str, ...]
    to_state: str
    comment_required: bool


TRANSITIONS = {
    "submit": Transition("submit", (PeriodState.DRAFT, PeriodState.RETURNED), PeriodState.SUBMITTED, False),
    "return": Transition("return", (PeriodState.SUBMITTED,), PeriodState.RETURNED, True),
    "approve": Transition("approve", (PeriodState.SUBMITTED,), PeriodState.APPROVED, False),
    "send": Transition("send", (PeriodState.APPROVED,), PeriodState.SENT, False),
    "review_return": Transition("review_return", (PeriodState.SENT,), PeriodState.RETURNED, True),
    "accept": Transition("accept", (PeriodState.SENT,), PeriodState.ACCEPTED, False),
}


def allowed_actions(user: AbstractBaseUser, period: ReportingPeriod) -> list[str]:
    """The transitions this user may make on this period now."""
    plan = period.plan
    actions = []
    for name, transition in TRANSITIONS.items():
        if period.state not in transition.from_states:
            continue
        if name == "submit" and permissions.can_edit_progress(user, plan):
            actions.append(name)
        elif name in ("return", "approve", "send") and permissions.is_cio(user, plan):
            actions.append(name)
        elif name in ("review_return", "accept") and permissions.is_reviewer_of(user, plan):
            actions.append(name)
    return actions


@transaction.atomic
def period_transition(
    *, period: ReportingPeriod, action: str, user: AbstractBaseUser, comment: str = "", expected_version: int
) -> ReportingPeriod:
    """Move a period to its next state; who, when and the comment go on the timeline and into history."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise DomainError("অজানা কাজ।", f"Unknown action '{action}'.")
    # The period's row only (of=self): a lock over the join would also hold the plan, office and fiscal
    # year rows, so every transition of that year, in every office, would wait for this one to commit.
    period = (
        ReportingPeriod.objects.select_for_update(of=("self",))
        .select_related("plan__office", "plan__fiscal_year")
        .get(pk=period.pk)
    )
    if period.version != expected_version:
        raise ConflictError(
            "এই প্রতিবেদনকালের অবস্থা ইতিমধ্যে বদলে গেছে; পাতাটি নতুন করে দেখুন।",
            "The period's state has changed in the meantime; reload the page.",
        )
    if action not in allowed_actions(user, period):
        if period.state not in transition.from_states:
            raise ConflictError(
                f"প্রতিবেদনকালটি এখন '{PeriodState(period.state).label}' অবস্থায়; এই কাজটি করা যায় না।",
                f"The period is {period.state}; '{action}' is not possible now.",
            )
        raise PermissionDeniedError("আপনার এই কাজটি করার অনুমতি নেই।", "You are not allowed to do this.")
    comment = comment.strip()
    if transition.comment_required and not comment:
        raise DomainError("ফেরত পাঠানোর কারণ মন্তব্যে লিখুন।", "Write in the comment why it is returned.")

    before = period.state
    period.state = transition.to_state
    period.version += 1
    if action == "approve":
        period.score_snapshot = score_snapshot(period)
    period.save(update_fields=["state", "version", "score_snapshot"])
    PeriodTransition.objects.create(
        period=period, from_state=before, to_state=period.state, user=user, comment=comment
    )
    history_record(
        plan=period.plan,
        kind=HistoryKind.STATE,
        before=before,
        after=period.state,
        user=user,
        quarter=period.quarter,
        reason=comment,
    )
    if action == "approve":
        # DESIGN.md §4: the PDF produced at approval is kept with its SHA-256 and never rendered again.
        from reports.jobs import approval_reports_start

        approval_reports_start(period, user)
    return period


def score_snapshot(period: ReportingPeriod) -> dict:
    """The marks at approval, kept as the truth for the approved period (same shape as `score --json`)."""
    from indicators.selectors import plan_score, plan_score_json

    result = plan_score(period.plan, up_to_quarter=period.quarter)
    return plan_score_json(period.plan, result)


ACTION_DONE = {
    "submit": _("পর্যালোচনার জন্য দাখিল করা হয়েছে।"),
    "return": _("মন্তব্যসহ ফেরত পাঠানো হয়েছে।"),
    "approve": _("অনুমোদিত ও স্বাক্ষরিত হয়েছে।"),
    "send": _("ঊর্ধ্বতন দপ্তরে পাঠানো হয়েছে।"),
    "review_return": _("মন্তব্যসহ দপ্তরে ফেরত পাঠানো হয়েছে।"),
    "accept": _("গৃহীত হয়েছে।"),
}
