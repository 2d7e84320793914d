"""Writes of the workflow (DESIGN.md §4): progress entry, applicability, period transitions, and the locks
every other write path takes (plan structure, evidence, the sheet import, the admin, the commands).

Every write here checks permission and the period's state on the server, records history, and refuses a
change based on an outdated version (two people never silently overwrite each other).

The approved record never disagrees with the data (DESIGN.md §4):
- quarters go forward in order: an action that moves quarter N forward needs every earlier quarter at least
  as far (submit after 1..N-1 are submitted, approve after they are approved, send after they are sent,
  accept after they are accepted); returning quarter K also returns every later quarter not yet draft;
- a quarter's progress and evidence change only while it is draft or returned (with the in-order rule,
  every later quarter is then open too);
- applicability and the plan's structure change only while no quarter is submitted or beyond.

Lock order, everywhere: the plan's row (plan structure only), its periods in quarter order, its indicators,
the progress rows.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from base.bangla import QUARTER_ORDINALS_BN, to_bangla_digits
from base.errors import DomainError
from indicators import permissions, scoring
from indicators.models import (
    EDITABLE_STATES,
    VISIBLE_TO_REVIEWER_STATES,
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
from indicators.parsing import CellError, check_fits, plain_number


class PermissionDeniedError(DomainError):
    pass


class LockedError(DomainError):
    """The period is submitted or approved: its data is read-only until it is returned."""


class ConflictError(DomainError):
    """Someone else changed the same thing since this user loaded it."""


#: Longest remark, reason and comment accepted (the browser forms say the same).
REMARK_MAX_CHARS = 4000
REASON_MAX_CHARS = 1000
COMMENT_MAX_CHARS = 2000

#: How far forward a state is: quarters go forward in order (DESIGN.md §4).
STATE_RANK = {
    PeriodState.DRAFT: 0,
    PeriodState.RETURNED: 0,
    PeriodState.SUBMITTED: 1,
    PeriodState.APPROVED: 2,
    PeriodState.SENT: 3,
    PeriodState.ACCEPTED: 4,
}


# Control characters other than line breaks and tabs: invisible, meaningless in a remark, and refused by the
# XLSX format (a remark holding one could never be exported).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text_within(text: str, limit: int, *, what_bn: str, what_en: str) -> str:
    """``text`` stripped, line breaks as ``\\n`` and control characters removed; a DomainError when it is
    longer than ``limit`` characters."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if len(text) > limit:
        raise DomainError(
            f"{what_bn} অনেক লম্বা: সর্বোচ্চ {to_bangla_digits(format(limit, ','))} অক্ষর।",
            f"The {what_en} is too long: at most {limit} characters.",
        )
    return text


def administers(user: AbstractBaseUser | None, permission: str) -> bool:
    """An administrator acting through /admin/ with the model permission for the change."""
    return bool(user is not None and user.is_active and user.is_staff and user.has_perm(permission))


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


def _quarters_bn(quarters: list[int]) -> str:
    return ", ".join(QUARTER_ORDINALS_BN[q - 1] for q in quarters)


def ensure_plan_unlocked(plan: ActionPlan, *, what_bn: str, what_en: str) -> list[ReportingPeriod]:
    """Applicability and the plan's structure decide the marks of every quarter: they change only while no
    quarter is submitted, approved, sent or accepted (DESIGN.md §4). The periods stay locked until the
    caller's transaction ends, so none can be submitted between this check and the change."""
    periods = periods_lock(plan)
    locked = [p.quarter for p in periods if p.state not in EDITABLE_STATES]
    if locked:
        raise LockedError(
            f"{what_bn} এখন বদলানো যাবে না: {_quarters_bn(locked)} ত্রৈমাসিক দাখিল বা অনুমোদিত হয়েছে, আর এর "
            "অনুমোদিত নম্বর এর ওপর নির্ভর করে। বদলাতে হলে আগে সেই ত্রৈমাসিকগুলো ফেরত পাঠাতে হবে।",
            f"The {what_en} cannot change now: quarter(s) {', '.join(map(str, locked))} are submitted or "
            "approved and their marks depend on it. Return those quarters first.",
        )
    return periods


# ---------------------------------------------------------------------------------------------------------
# Progress


@dataclass(frozen=True)
class ProgressSaved:
    progress: Progress | None  # None only when nothing was ever stored and nothing was entered
    changed: bool


def progress_check(
    *, indicator: Indicator, quarter: int, value: Decimal | datetime.date | None, remark: str
) -> str:
    """What a quarter's value and remark must be, wherever they come from (the browser, the admin's form);
    returns the remark as it will be stored. Raises DomainError with the reason otherwise."""
    if quarter not in (1, 2, 3, 4):
        raise DomainError("ত্রৈমাসিক ১ থেকে ৪ হতে হবে।", "The quarter must be 1 to 4.")
    if not indicator.applicable and value is not None:
        raise _not_applicable_error()
    _check_value_type(indicator, value)
    return text_within(remark, REMARK_MAX_CHARS, what_bn="মন্তব্য", what_en="remark")


@transaction.atomic
def progress_record(
    *,
    indicator: Indicator,
    quarter: int,
    value: Decimal | datetime.date | None,
    remark: str,
    user: AbstractBaseUser,
    expected_version: int | None,
    reason: str = "",
) -> ProgressSaved:
    """Save one quarter's value and remark (the browser's in-place editor, the admin's progress form).

    ``expected_version`` is the version the user's form was loaded with (None: there was no value yet);
    if the stored row has moved on, nothing is saved and ConflictError says so.
    """
    plan = indicator.plan
    if not (permissions.can_edit_progress(user, plan) or administers(user, "indicators.change_progress")):
        raise PermissionDeniedError(
            "আপনি এই দপ্তরের অগ্রগতি লিখতে পারেন না।", "You cannot edit this office's progress."
        )
    remark = progress_check(indicator=indicator, quarter=quarter, value=value, remark=remark)
    if not indicator.applicable:
        raise _not_applicable_error()
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
        reason=reason,
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
    if isinstance(value, Decimal):
        if value < 0:
            raise DomainError("অর্জন ঋণাত্মক হতে পারে না।", "The achievement cannot be negative.")
        column = Progress._meta.get_field("value_number")
        try:
            check_fits(value, max_digits=column.max_digits, decimal_places=column.decimal_places)
        except CellError as error:
            raise DomainError(error.message_bn, error.message_en) from error


def indicator_lock(pk: int) -> Indicator:
    """The indicator with its row locked (NO KEY UPDATE) until the transaction ends. A progress save holds
    this lock while it checks applicability and stores its value, so whoever looks for values under it before
    marking the indicator not applicable either sees a value saved at the same moment or makes that save
    refuse."""
    return Indicator.objects.select_for_update(no_key=True).get(pk=pk)


def applicability_check(*, applicable: bool, reason: str) -> str:
    """The reason as it will be stored: required (and within its limit) when not applicable, else empty."""
    reason = text_within(reason, REASON_MAX_CHARS, what_bn="কারণ", what_en="reason")
    if not applicable and not reason:
        raise DomainError(
            "প্রযোজ্য নয় কেন, তার কারণ লিখুন।", "Give the reason why the indicator is not applicable."
        )
    return "" if applicable else reason


@transaction.atomic
def indicator_set_applicability(
    *, indicator: Indicator, applicable: bool, reason: str, user: AbstractBaseUser | None
) -> Indicator:
    """Mark an indicator (not) applicable; not applicable needs a reason and clears nothing else.

    Applicability decides the marks of every quarter, so it changes only while no quarter is submitted or
    beyond (DESIGN.md §4). ``user`` None: the command line."""
    plan = indicator.plan
    if user is not None and not (
        permissions.can_edit_progress(user, plan) or administers(user, "indicators.change_indicator")
    ):
        raise PermissionDeniedError(
            "আপনি এই দপ্তরের তথ্য বদলাতে পারেন না।", "You cannot change this office's data."
        )
    reason = applicability_check(applicable=applicable, reason=reason)
    if Indicator.objects.filter(
        pk=indicator.pk, applicable=applicable, not_applicable_reason=reason
    ).exists():  # nothing to change, whatever the periods' states
        return indicator
    ensure_plan_unlocked(plan, what_bn="প্রযোজ্যতা", what_en="applicability")
    indicator = indicator_lock(indicator.pk)
    if not applicable and indicator.progress.with_value().exists():
        raise DomainError(
            "এই সূচকের অর্জন লেখা আছে; প্রযোজ্য নয় করার আগে অর্জন মুছুন।",
            "This indicator has achievements; clear them before marking it not applicable.",
        )
    before = indicator.applicable
    indicator.applicable = applicable
    indicator.not_applicable_reason = reason
    indicator.save(update_fields=["applicable", "not_applicable_reason"])
    history_record(
        plan=plan,
        kind=HistoryKind.APPLICABILITY,
        before=before,
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


def earliest_rank(periods: list[ReportingPeriod], quarter: int) -> int:
    """How far forward the least advanced quarter before ``quarter`` is (4 when there is none)."""
    return min((STATE_RANK[p.state] for p in periods if p.quarter < quarter), default=4)


def allowed_actions(
    user: AbstractBaseUser, period: ReportingPeriod, *, earlier_rank: int | None = None
) -> list[str]:
    """The transitions this user may make on this period now. With ``earlier_rank`` (``earliest_rank`` of
    the quarters before it), actions the quarter order forbids are left out too."""
    plan = period.plan
    actions = []
    for name, transition in TRANSITIONS.items():
        if period.state not in transition.from_states:
            continue
        if earlier_rank is not None and not _order_allows(transition, earlier_rank):
            continue
        if name == "submit" and permissions.can_edit_progress(user, plan):
            actions.append(name)
        elif name in ("return", "approve", "send") and permissions.is_cio(user, plan):
            actions.append(name)
        elif name in ("review_return", "accept") and permissions.is_reviewer_of(user, plan):
            actions.append(name)
    return actions


def _order_allows(transition: Transition, earlier_rank: int) -> bool:
    """Quarters go forward in order: moving a quarter forward needs every earlier one at least as far."""
    target = STATE_RANK[transition.to_state]
    return target == 0 or earlier_rank >= target


def _may_see(user: AbstractBaseUser, period: ReportingPeriod) -> bool:
    """Members see every period of their office; the parent office's reviewers only sent or accepted ones."""
    plan = period.plan
    return permissions.is_member(user, plan) or (
        permissions.is_reviewer_of(user, plan) and period.state in VISIBLE_TO_REVIEWER_STATES
    )


@transaction.atomic
def period_transition(
    *, period: ReportingPeriod, action: str, user: AbstractBaseUser, comment: str = "", expected_version: int
) -> ReportingPeriod:
    """Move a period to its next state; who, when and the comment go on the timeline and into history.

    Approving records a new version (``reports.approvals``); a return supersedes the standing version and
    returns every later quarter that is submitted or beyond (their approvals stand on this quarter's data)."""
    from reports import approvals  # the approved record is made of reports (layering: issue 12)

    transition = TRANSITIONS.get(action)
    if transition is None:
        raise DomainError("অজানা কাজ।", f"Unknown action '{action}'.")
    # Locked in quarter order, as every write path locks periods: a step forward locks the earlier quarters
    # too (the order rule reads them: none may go back meanwhile); a return locks the later ones (it returns
    # them with it). Other quarters stay free: a save in a later quarter does not wait for an approval. The
    # periods' rows only (of=self): a lock over the join would hold the plan, office and fiscal year rows
    # too, so every transition of that year, in every office, would wait for this one to commit.
    quarter = period.quarter
    returning = transition.to_state == PeriodState.RETURNED
    periods = periods_lock(period.plan, range(quarter, 5) if returning else range(1, quarter + 1))
    period = next(p for p in periods if p.pk == period.pk)
    # Someone who may not see the period learns nothing of it, not even its state or version.
    if not _may_see(user, period):
        raise PermissionDeniedError("আপনার এই কাজটি করার অনুমতি নেই।", "You are not allowed to do this.")
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
    if not _order_allows(transition, earliest_rank(periods, period.quarter)):
        behind = [
            p.quarter
            for p in periods
            if p.quarter < period.quarter and STATE_RANK[p.state] < STATE_RANK[transition.to_state]
        ]
        target = PeriodState(transition.to_state)
        raise DomainError(
            f"ত্রৈমাসিকগুলো ক্রমানুসারে এগোয়: আগে {_quarters_bn(behind)} ত্রৈমাসিককে '{target.label}' পর্যন্ত নিতে হবে।",
            f"Quarters go forward in order: quarter(s) {', '.join(map(str, behind))} must be {target.value} first.",
        )
    comment = text_within(comment, COMMENT_MAX_CHARS, what_bn="মন্তব্য", what_en="comment")
    if transition.comment_required and not comment:
        raise DomainError("ফেরত পাঠানোর কারণ মন্তব্যে লিখুন।", "Write in the comment why it is returned.")

    _move(period, transition.to_state, user=user, comment=comment)
    if action == "approve":
        approvals.approval_record(period, user)
    elif action == "send":
        approvals.approval_mark_sent(period)
    elif returning:
        approvals.approval_supersede(period)
        cascade = f"{QUARTER_ORDINALS_BN[period.quarter - 1]} ত্রৈমাসিক ফেরতের সঙ্গে / returned with quarter {period.quarter}"
        for later in periods:
            if later.quarter > period.quarter and STATE_RANK[later.state] > 0:
                _move(later, PeriodState.RETURNED, user=user, comment=f"{cascade}: {comment}")
                approvals.approval_supersede(later)
    return period


def _move(period: ReportingPeriod, to_state: str, *, user: AbstractBaseUser, comment: str) -> None:
    """One period's step: the state, a new version, the timeline and the history."""
    before = period.state
    period.state = to_state
    period.version += 1
    period.save(update_fields=["state", "version"])
    PeriodTransition.objects.create(
        period=period, from_state=before, to_state=to_state, user=user, comment=comment
    )
    history_record(
        plan=period.plan,
        kind=HistoryKind.STATE,
        before=before,
        after=to_state,
        user=user,
        quarter=period.quarter,
        reason=comment,
    )


ACTION_DONE = {
    "submit": _("পর্যালোচনার জন্য দাখিল করা হয়েছে।"),
    "return": _("মন্তব্যসহ ফেরত পাঠানো হয়েছে।"),
    "approve": _("অনুমোদিত ও স্বাক্ষরিত হয়েছে।"),
    "send": _("ঊর্ধ্বতন দপ্তরে পাঠানো হয়েছে।"),
    "review_return": _("মন্তব্যসহ দপ্তরে ফেরত পাঠানো হয়েছে।"),
    "accept": _("গৃহীত হয়েছে।"),
}
