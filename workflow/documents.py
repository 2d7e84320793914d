"""The steps of issue 16's documents that mail someone (issue 16.5), as ``workflow.transitions`` does for the
quarters: the reports service makes the change, then the mail is composed inside the same transaction and
sent once it commits (``workflow.document_mail``) — a refused or rolled-back step mails nobody.

The pages call these, never the reports services' approving steps directly.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from evidence.models import Evidence
from evidence.services import evidence_attach
from indicators.models import DataSource, Indicator
from indicators.services.sources import fiscal_quarter, sources_fill
from reports import meetings
from reports import smart_plan as smart_plan_service
from reports import subordinate_review as review_service
from reports.meetings import evidence_to_bound
from reports.models import Meeting, SmartPlan
from workflow import document_mail


@transaction.atomic
def meeting_request(
    *, meeting: Meeting, user: AbstractBaseUser, expected_version: int, comment: str = ""
) -> Meeting:
    """Send the draft minutes to the chair for approval (the chair is mailed)."""
    meeting = meetings.meeting_approval_request(
        meeting=meeting, user=user, expected_version=expected_version, comment=comment
    )
    document_mail.meeting_notify(meeting=meeting, action="request", actor=user, comment=comment)
    return meeting


@transaction.atomic
def meeting_approve(*, meeting: Meeting, user: AbstractBaseUser, **given) -> meetings.MeetingApproved:
    """The chair approves the minutes (``reports.meetings.meeting_approve``); the officers are mailed."""
    done = meetings.meeting_approve(meeting=meeting, user=user, **given)
    document_mail.meeting_notify(meeting=done.meeting, action="approve", actor=user)
    return done


@transaction.atomic
def smart_plan_request(
    *, smart_plan: SmartPlan, user: AbstractBaseUser, expected_version: int, comment: str = ""
) -> SmartPlan:
    """Send the draft Smart Bangladesh plan to the CIO for approval (the CIO is mailed)."""
    found = smart_plan_service.smart_plan_approval_request(
        smart_plan=smart_plan, user=user, expected_version=expected_version, comment=comment
    )
    document_mail.smart_plan_notify(smart_plan=found, action="request", actor=user, comment=comment)
    return found


@transaction.atomic
def smart_plan_approve(
    *, smart_plan: SmartPlan, user: AbstractBaseUser, **given
) -> smart_plan_service.SmartPlanApproved:
    """The CIO approves the Smart Bangladesh plan; the officers are mailed."""
    done = smart_plan_service.smart_plan_approve(smart_plan=smart_plan, user=user, **given)
    document_mail.smart_plan_notify(smart_plan=done.smart_plan, action="approve", actor=user)
    return done


def children_review_keep(
    *, review: review_service.SubordinateReview, indicator: Indicator, user: AbstractBaseUser
) -> Evidence:
    """Keep the review of child offices as evidence of ``indicator`` (of the reviewing office's own plan): the
    copy signed by the office, the indicators bound to the review filled with the day (issue 16.4), the child
    offices and the reviewing office's CIO mailed. Rendered before the transaction (no write lock is held
    while the PDF is laid out); all the writes or none."""
    rendered = review_service.render_review(review, signed=True, approver=user)
    return _children_review_store(review=review, indicator=indicator, user=user, data=rendered.pdf)


@transaction.atomic
def _children_review_store(
    *, review: review_service.SubordinateReview, indicator: Indicator, user: AbstractBaseUser, data: bytes
) -> Evidence:
    today = timezone.localdate()
    file = {
        "title": review_service.review_title(review),
        "data": data,
        "original_name": f"subordinate-review-{review.fiscal_year.code}-q{review.quarter}.pdf",
        "user": user,
    }
    # Evidence of the quarter it is kept in, as its date (a review of Q1's reports is made in Q2, when the
    # office's own Q1 may be submitted already); a day outside the year: the reviewed quarter.
    kept = evidence_attach(
        indicator=indicator,
        quarter=fiscal_quarter(review.fiscal_year.start_year, today) or review.quarter,
        **file,
    )
    evidence_to_bound(
        plan=indicator.plan, source=DataSource.CHILDREN_REVIEW, day=today, skip=indicator, **file
    )
    sources_fill(plan=indicator.plan, source=DataSource.CHILDREN_REVIEW, day=today, user=user, also=indicator)
    document_mail.children_review_notify(review=review, indicator=indicator, actor=user)
    return kept
