"""What waits for a user (DESIGN.md §9 "what waits for them"): the list behind the count in the header.

- officers and the CIO: in each of their office's plans, the next quarter to submit (the earliest one that is
  draft or returned; quarters go forward in order, so the later ones cannot be submitted before it);
- the CIO: quarters submitted (approve or return) and approved (send to the higher office);
- reviewers: quarters the child offices sent (accept or return);
- the CIO: review-meeting minutes and Smart Bangladesh plans the team sent for approval, still draft.

One COUNT query for the header, whatever the number of offices (the documents are folded into it); the list
reads at most ``limit`` periods, and one query per kind of document for a CIO.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indicators import permissions
from indicators.models import EDITABLE_STATES, PeriodState, PeriodTransition, ReportingPeriod, Role
from reports.models import Meeting, MeetingState, SmartPlan

#: What the user is to do with a period, by its state (each state reaches one kind of user only).
TODO = {
    PeriodState.DRAFT: _("অগ্রগতি লিখে পর্যালোচনার জন্য দাখিল করুন"),
    PeriodState.RETURNED: _("ফেরত এসেছে — মন্তব্য দেখে সংশোধন করে আবার দাখিল করুন"),
    PeriodState.SUBMITTED: _("পর্যালোচনা করে অনুমোদন বা ফেরত দিন"),
    PeriodState.APPROVED: _("অনুমোদিত — ঊর্ধ্বতন দপ্তরে পাঠান"),
    PeriodState.SENT: _("পর্যালোচনা করে গ্রহণ বা ফেরত দিন"),
}


@dataclass(frozen=True)
class WaitingItem:
    period: ReportingPeriod
    days_left: int
    comment: str = ""  # the last return's comment, for a returned quarter

    @property
    def late(self) -> bool:
        return self.days_left < 0

    @property
    def days_late(self) -> int:
        return max(0, -self.days_left)

    @property
    def todo(self) -> str:
        return str(TODO[self.period.state])


def next_open_quarters() -> Q:
    """Periods that are the earliest draft-or-returned quarter of their plan (the next one to submit)."""
    earlier_open = ReportingPeriod.objects.filter(
        plan=OuterRef("plan"), quarter__lt=OuterRef("quarter"), state__in=EDITABLE_STATES
    )
    return Q(state__in=EDITABLE_STATES) & ~Q(Exists(earlier_open))


def waiting_filter(user) -> Q | None:
    """The periods waiting for this user, as a filter; None when nothing can wait for them (no role)."""
    editors = permissions.offices_with_role(user, [Role.OFFICER, Role.CIO])
    cios = permissions.offices_with_role(user, [Role.CIO])
    reviewers = permissions.offices_with_role(user, [Role.REVIEWER])
    parts = []
    if editors:
        parts.append(Q(plan__office_id__in=editors) & next_open_quarters())
    if cios:
        parts.append(Q(plan__office_id__in=cios, state__in=[PeriodState.SUBMITTED, PeriodState.APPROVED]))
    if reviewers:
        parts.append(Q(plan__office__parent_id__in=reviewers, state=PeriodState.SENT))
    if not parts:
        return None
    combined = parts[0]
    for part in parts[1:]:
        combined |= part
    return combined


def waiting_periods(user) -> QuerySet[ReportingPeriod]:
    condition = waiting_filter(user)
    if condition is None:
        return ReportingPeriod.objects.none()
    return ReportingPeriod.objects.filter(condition)


@dataclass(frozen=True)
class DocumentRequest:
    """Minutes or a Smart Bangladesh plan the team sent to the CIO for approval, still draft."""

    document: Meeting | SmartPlan

    @property
    def is_meeting(self) -> bool:
        return isinstance(self.document, Meeting)

    @property
    def requested_at(self) -> datetime.datetime:
        return self.document.approval_requested_at

    @property
    def requested_by(self):
        return self.document.approval_requested_by


def _requested(model, cios: set[int]) -> QuerySet:
    return model.objects.filter(
        office_id__in=cios, state=MeetingState.DRAFT, approval_requested_at__isnull=False
    ).order_by("approval_requested_at", "pk")


def waiting_count(user) -> int:
    """How many periods and documents wait for the user (the header's count): one query, none for a user
    without a role."""
    if not user.is_authenticated or waiting_filter(user) is None:
        return 0
    periods = waiting_periods(user)
    cios = permissions.offices_with_role(user, [Role.CIO])
    if not cios:
        return periods.count()
    # One query: the ids of the three kinds, all of them (a meeting and a plan may share an id).
    ids = periods.order_by().values_list("pk")
    return ids.union(
        _requested(Meeting, cios).order_by().values_list("pk"),
        _requested(SmartPlan, cios).order_by().values_list("pk"),
        all=True,
    ).count()


def waiting_requests(user) -> list[DocumentRequest]:
    """The minutes and Smart plans of the user's offices as CIO sent for approval and still draft, the
    oldest request first: one query per kind, none for a user who is no office's CIO."""
    cios = permissions.offices_with_role(user, [Role.CIO])
    if not cios:
        return []
    related = ("office", "fiscal_year", "approval_requested_by")
    found = [
        *_requested(Meeting, cios).select_related(*related),
        *_requested(SmartPlan, cios).select_related(*related),
    ]
    found.sort(key=lambda document: (document.approval_requested_at, document.pk))
    return [DocumentRequest(document) for document in found]


def waiting_items(user, *, today: datetime.date | None = None, limit: int = 200) -> list[WaitingItem]:
    """The periods waiting for the user, the nearest deadline first (at most ``limit``)."""
    today = today or timezone.localdate()
    periods = list(
        waiting_periods(user)
        .select_related("plan__office", "plan__fiscal_year")
        .order_by("deadline", "plan__office__code", "quarter")[:limit]
    )
    returned = [p.pk for p in periods if p.state == PeriodState.RETURNED]
    comments: dict[int, str] = {}
    if returned:
        for period_id, comment in (
            PeriodTransition.objects.filter(period_id__in=returned, to_state=PeriodState.RETURNED)
            .order_by("at", "pk")
            .values_list("period_id", "comment")
        ):
            comments[period_id] = comment  # the latest return's wins
    return [WaitingItem(p, (p.deadline - today).days, comments.get(p.pk, "")) for p in periods]
