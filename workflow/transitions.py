"""Period transitions (DESIGN.md §4): ``draft → submitted → approved → sent → accepted``, ``returned`` from
submitted (the CIO) or sent (the higher office's reviewer), and what each does to the approved record.

- Quarters go forward in order: an action that moves quarter N forward needs every earlier quarter at least
  as far (submit after 1..N-1 are submitted, approve after they are approved, send after they are sent,
  accept after they are accepted); returning quarter K also returns every later quarter not yet draft.
- Approving records a new version of the approved record (``reports.approvals``): its marks, the digest of
  what its reports print, and its PDFs rendered once; a return supersedes it.
- Every transition records who, when and why on the timeline and in the history, and refuses a stale
  version (two people acting on the same period cannot both succeed).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from base.bangla import QUARTER_ORDINALS_BN, format_code
from base.errors import ConflictError, DomainError, PermissionDeniedError
from base.text import text_within
from indicators import permissions
from indicators.history import history_record
from indicators.models import (
    VISIBLE_TO_REVIEWER_STATES,
    DataSource,
    HistoryKind,
    Indicator,
    PeriodState,
    PeriodTransition,
    ReportingPeriod,
)
from indicators.periods import (
    periods_lock,
    quarters_bn,
)
from indicators.services.sources import sources_fill
from reports import approvals
from workflow import mail

#: Longest comment accepted on a transition.
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


def may_see(user: AbstractBaseUser, period: ReportingPeriod) -> bool:
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
    if not may_see(user, period):
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
            f"ত্রৈমাসিকগুলো ক্রমানুসারে এগোয়: আগে {quarters_bn(behind)} ত্রৈমাসিককে '{target.label}' পর্যন্ত নিতে হবে।",
            f"Quarters go forward in order: quarter(s) {', '.join(map(str, behind))} must be {target.value} first.",
        )
    if action == "submit":
        _ensure_targets_written(period)
    comment = text_within(comment, COMMENT_MAX_CHARS, what_bn="মন্তব্য", what_en="comment")
    if transition.comment_required and not comment:
        raise DomainError("ফেরত পাঠানোর কারণ মন্তব্যে লিখুন।", "Write in the comment why it is returned.")

    _move(period, transition.to_state, user=user, comment=comment)
    if action == "approve":
        approvals.approval_record(period, user)
    elif action == "send":
        approvals.approval_mark_sent(period)
        if period.quarter == 2:
            # Issue 16.4: indicators bound to the half-yearly report's sending get its date (or 1).
            sources_fill(
                plan=period.plan, source=DataSource.HALF_YEARLY_SENT, day=timezone.localdate(), user=user
            )
    elif returning:
        approvals.approval_supersede(period)
        cascade = f"{QUARTER_ORDINALS_BN[period.quarter - 1]} ত্রৈমাসিক ফেরতের সঙ্গে / returned with quarter {period.quarter}"
        for later in periods:
            if later.quarter > period.quarter and STATE_RANK[later.state] > 0:
                _move(later, PeriodState.RETURNED, user=user, comment=f"{cascade}: {comment}")
                approvals.approval_supersede(later)
    # The people who act next are mailed once this commits (a rolled-back transition mails nobody).
    mail.transition_notify(period=period, action=action, actor=user, comment=comment)
    return period


def _ensure_targets_written(period: ReportingPeriod) -> None:
    """A plan started from a template is incomplete until every applicable indicator has its 100% target:
    its marks would not mean anything, so none of its quarters is submitted (issue 13)."""
    missing = list(
        Indicator.objects.filter(plan_id=period.plan_id).without_targets().order_by("position")[:5]
    )
    if missing:
        codes = ", ".join(format_code(i.code) for i in missing)
        raise DomainError(
            f"কর্মপরিকল্পনা অসম্পূর্ণ: {codes} সূচকের লক্ষ্যমাত্রা লেখা হয়নি; আগে লক্ষ্যমাত্রা লিখুন।",
            f"The plan is incomplete: indicator(s) {', '.join(i.code for i in missing)} have no targets; "
            "write their targets first.",
        )


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
