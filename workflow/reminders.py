"""``send_reminders`` (DESIGN.md §8): mails the people who must act before a deadline that is near.

- quarters due: the next quarter to submit of each plan (draft or returned) whose deadline is at most
  ``REMINDER_DAYS`` ahead or passed less than ``REMINDER_DAYS`` ago → the office's officers and CIO;
- submissions waiting for the CIO (submitted), and approved ones not yet sent, in the same window → the CIO;
- reports sent and waiting for the reviewer, in the same window → the reviewers of the parent office.

One mail per user and day, listing everything that waits for them; idempotent per day: what was mailed is
recorded (``ReminderSent``) after the mail went out, so a second run the same day mails nothing new, and a
run after a failed mail server tries again. Users who turned mails off are left out.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from base.bangla import format_date_short, to_bangla_digits
from indicators.models import PeriodState, ReminderSent, ReportingPeriod, Role
from workflow.mail import absolute, deliver, mail_recipients, period_title
from workflow.waiting import TODO, next_open_quarters

#: A mail lists at most this many items; the rest are counted and the link shows them all.
LISTED = 50


@dataclass(frozen=True)
class Reminder:
    period: ReportingPeriod
    kind: str  # "due", "decide", "send", "review"
    days_left: int


@dataclass(frozen=True)
class RemindersResult:
    users: int
    items: int
    failed: int


def reminders_due(today: datetime.date, days: int) -> dict[int, list[Reminder]]:
    """{user id: reminders} for every user with something due in the window, nearest deadline first."""
    window = Q(
        deadline__lte=today + datetime.timedelta(days=days),
        deadline__gte=today - datetime.timedelta(days=days),
    )
    periods = ReportingPeriod.objects.filter(window).select_related("plan__office", "plan__fiscal_year")
    groups = [
        ("due", periods.filter(next_open_quarters()), "office", (Role.OFFICER, Role.CIO)),
        ("decide", periods.filter(state=PeriodState.SUBMITTED), "office", (Role.CIO,)),
        ("send", periods.filter(state=PeriodState.APPROVED), "office", (Role.CIO,)),
        ("review", periods.filter(state=PeriodState.SENT), "parent", (Role.REVIEWER,)),
    ]
    found: dict[int, list[Reminder]] = defaultdict(list)
    for kind, queryset, whose, roles in groups:
        by_office: dict[int, list[ReportingPeriod]] = defaultdict(list)
        for period in queryset:
            office_id = period.plan.office_id if whose == "office" else period.plan.office.parent_id
            if office_id is not None:
                by_office[office_id].append(period)
        if not by_office:
            continue
        users = mail_recipients(by_office, roles).values_list(
            "pk", "office_memberships__office_id", "office_memberships__role"
        )
        for user_id, office_id, role in users:
            if role in roles and office_id in by_office:
                for period in by_office[office_id]:
                    found[user_id].append(Reminder(period, kind, (period.deadline - today).days))
    for user_id, reminders in found.items():
        unique = {(r.period.pk, r.kind): r for r in reminders}
        found[user_id] = sorted(unique.values(), key=lambda r: (r.period.deadline, r.period.plan.office.code))
    return found


def send_reminders(*, today: datetime.date, days: int | None = None) -> RemindersResult:
    """Mail each user the reminders not yet mailed today; record them once the mail went out."""
    from django.contrib.auth import get_user_model

    days = settings.REMINDER_DAYS if days is None else days
    due = reminders_due(today, days)
    already = set(
        ReminderSent.objects.filter(day=today, user_id__in=list(due)).values_list(
            "user_id", "period_id", "kind"
        )
    )
    users = get_user_model().objects.in_bulk(list(due))
    mailed = items = failed = 0
    for user_id, reminders in due.items():
        fresh = [r for r in reminders if (user_id, r.period.pk, r.kind) not in already]
        if not fresh:
            continue
        message = _reminder_message(users[user_id], fresh, today)
        if deliver([message]) != 1:
            failed += 1
            continue
        ReminderSent.objects.bulk_create(
            [ReminderSent(user_id=user_id, period=r.period, kind=r.kind, day=today) for r in fresh],
            ignore_conflicts=True,
        )
        mailed += 1
        items += len(fresh)
    return RemindersResult(users=mailed, items=items, failed=failed)


def _reminder_message(user, reminders: list[Reminder], today: datetime.date) -> EmailMessage:
    with translation.override("bn"):
        lines = []
        for reminder in reminders[:LISTED]:
            period = reminder.period
            plan = period.plan
            link = absolute(reverse("workflow:plan", args=[plan.office.code, plan.fiscal_year.code]))
            lines.append(
                {
                    "title": period_title(period),
                    "todo": TODO[PeriodState(period.state)],
                    "deadline": format_date_short(period.deadline),
                    "days_left": to_bangla_digits(max(reminder.days_left, 0)),
                    "days_late": to_bangla_digits(max(-reminder.days_left, 0)),
                    "late": reminder.days_left < 0,
                    "link": f"{link}#period-{period.quarter}",
                }
            )
        body = render_to_string(
            "workflow/mail/reminders.txt",
            {
                "lines": lines,
                "more": to_bangla_digits(len(reminders) - len(lines)) if len(reminders) > LISTED else "",
                "waiting_link": absolute(reverse("workflow:waiting")),
                "profile_link": absolute(reverse("workflow:profile")),
            },
        )
        subject = f"APA: {to_bangla_digits(len(reminders))}টি কাজের শেষ তারিখ কাছে — {format_date_short(today)}"
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email])
