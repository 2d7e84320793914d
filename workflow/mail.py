"""Mails about the work (DESIGN.md §10): each transition mails the people who act next.

- submitted → the office's CIO (approve or return);
- returned by the CIO → the office's officers (correct and submit again);
- approved, sent → the reviewers of the parent office (sent: accept or return);
- accepted, returned by the reviewer → the office (officers and CIO).

In Bangla, with the plan, the quarter, who acted, the comment and an absolute link (``SITE_URL``). The mails
are written inside the transition's transaction (what they say is what was committed) and sent only after
it commits (``transaction.on_commit``): a rolled-back transition mails nobody. A failing mail server is
logged, never raised: the transition stands. The actor is not mailed, nor users without an address, inactive
ones, or those who turned mails off in their profile.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from base.bangla import QUARTER_ORDINALS_BN, QUARTER_WORD_BN
from indicators.models import PeriodState, ReportingPeriod, Role

logger = logging.getLogger(__name__)

#: Who acts next after each transition: the office's own members or the parent office's, in these roles.
NEXT_ACTORS: dict[str, tuple[str, tuple[str, ...]]] = {
    "submit": ("office", (Role.CIO,)),
    "return": ("office", (Role.OFFICER,)),
    "approve": ("parent", (Role.REVIEWER,)),
    "send": ("parent", (Role.REVIEWER,)),
    "accept": ("office", (Role.OFFICER, Role.CIO)),
    "review_return": ("office", (Role.OFFICER, Role.CIO)),
}

HEADLINE = {
    "submit": _("একটি ত্রৈমাসিক অগ্রগতি আপনার পর্যালোচনা ও অনুমোদনের জন্য দাখিল করা হয়েছে।"),
    "return": _("চিফ ইনোভেশন অফিসার ত্রৈমাসিক অগ্রগতি মন্তব্যসহ ফেরত দিয়েছেন।"),
    "approve": _(
        "আওতাধীন দপ্তরের ত্রৈমাসিক প্রতিবেদন অনুমোদিত ও স্বাক্ষরিত হয়েছে; পাঠানো হলে আপনার পর্যালোচনার তালিকায় আসবে।"
    ),
    "send": _("আওতাধীন দপ্তর একটি ত্রৈমাসিক প্রতিবেদন আপনার পর্যালোচনার জন্য পাঠিয়েছে।"),
    "accept": _("ঊর্ধ্বতন দপ্তর ত্রৈমাসিক প্রতিবেদনটি গ্রহণ করেছে।"),
    "review_return": _("ঊর্ধ্বতন দপ্তর ত্রৈমাসিক প্রতিবেদনটি মন্তব্যসহ ফেরত দিয়েছে।"),
}

TODO = {
    "submit": _("পর্যালোচনা করে অনুমোদন করুন, অথবা মন্তব্যসহ ফেরত দিন।"),
    "return": _("মন্তব্য দেখে সংশোধন করুন এবং আবার দাখিল করুন।"),
    "approve": _("এখন কিছু করার নেই; পাঠানো হলে আবার জানানো হবে।"),
    "send": _("পর্যালোচনা করে গ্রহণ করুন, অথবা মন্তব্যসহ ফেরত দিন।"),
    "accept": _("এই ত্রৈমাসিকের কাজ শেষ।"),
    "review_return": _("মন্তব্য দেখে সংশোধন করুন; চিফ ইনোভেশন অফিসার আবার অনুমোদন করে পাঠাবেন।"),
}

SUBJECT = {
    "submit": _("পর্যালোচনার জন্য দাখিল"),
    "return": _("মন্তব্যসহ ফেরত"),
    "approve": _("অনুমোদিত"),
    "send": _("পর্যালোচনার জন্য পাঠানো"),
    "accept": _("গৃহীত"),
    "review_return": _("ঊর্ধ্বতন দপ্তর থেকে ফেরত"),
}


def absolute(path: str) -> str:
    """An address people can open from a mail: the site's address (``SITE_URL``) and the path."""
    return f"{settings.SITE_URL}{path}"


def mail_recipients(office_ids: Iterable[int], roles: Sequence[str], *, exclude=None) -> QuerySet:
    """Active users with an address who hold one of ``roles`` in one of the offices and want mails."""
    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            office_memberships__office_id__in=list(office_ids),
            office_memberships__role__in=list(roles),
        )
        .exclude(email="")
        .exclude(mail_preference__mail_enabled=False)
    )
    if exclude is not None and exclude.pk is not None:
        users = users.exclude(pk=exclude.pk)
    return users.distinct().order_by("pk")


def period_title(period: ReportingPeriod) -> str:
    """``পররাষ্ট্র মন্ত্রণালয় — ২০২২-২৩, ১ম ত্রৈমাসিক``."""
    plan = period.plan
    return f"{plan.office.name_bn} — {plan.fiscal_year}, {QUARTER_ORDINALS_BN[period.quarter - 1]} {QUARTER_WORD_BN}"


def display_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def transition_messages(*, period: ReportingPeriod, action: str, actor, comment: str) -> list[EmailMessage]:
    """The mails of one transition, one per recipient (nobody sees the others' addresses)."""
    whose, roles = NEXT_ACTORS[action]
    plan = period.plan
    office_ids = (
        [plan.office_id] if whose == "office" else [plan.office.parent_id] if plan.office.parent_id else []
    )
    recipients = list(mail_recipients(office_ids, roles, exclude=actor)) if office_ids else []
    if not recipients:
        return []
    with translation.override("bn"):
        if action == "approve":  # reviewers see a quarter from "sent" on: the link is their inbox
            link = absolute(reverse("workflow:inbox"))
        else:
            link = absolute(reverse("workflow:plan", args=[plan.office.code, plan.fiscal_year.code]))
            link += f"#period-{period.quarter}"
        context = {
            "headline": HEADLINE[action],
            "todo": TODO[action],
            "title": period_title(period),
            "office": plan.office.name_bn,
            "year": str(plan.fiscal_year),
            "quarter": f"{QUARTER_ORDINALS_BN[period.quarter - 1]} {QUARTER_WORD_BN}",
            "state": PeriodState(period.state).label,
            "actor": display_name(actor),
            "comment": comment,
            "link": link,
            "profile_link": absolute(reverse("workflow:profile")),
        }
        subject = f"APA: {period_title(period)} — {SUBJECT[action]}"
        body = render_to_string("workflow/mail/transition.txt", context)
    return messages_to(recipients, subject=subject, body=body)


def deliver(messages: list[EmailMessage]) -> int:
    """Send the mails; a failure is logged (with the addresses), never raised. Returns how many were sent."""
    if not messages:
        return 0
    try:
        with get_connection(fail_silently=False) as connection:
            return connection.send_messages(messages) or 0
    except Exception:
        logger.exception(
            "mail not sent (%d message(s) to %s)", len(messages), ", ".join(m.to[0] for m in messages)
        )
        return 0


def messages_to(recipients: Iterable, *, subject: str, body: str) -> list[EmailMessage]:
    """One mail per recipient (nobody sees the others' addresses)."""
    return [
        EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email])
        for user in recipients
    ]


def notify_after_commit(compose: Callable[[], list[EmailMessage]], what: str) -> None:
    """Compose the mails now (inside the caller's transaction: they say what is committed) and send them once
    it commits; a rolled-back change mails nobody. Composing or sending never undoes the change."""
    try:
        messages = compose()
    except Exception:  # composing a mail must never undo a transition
        logger.exception("mail for %s not composed", what)
        return
    if messages:
        transaction.on_commit(lambda: deliver(messages))


def transition_notify(*, period: ReportingPeriod, action: str, actor, comment: str) -> None:
    """Mail the people who act next, once the transition's transaction commits."""
    notify_after_commit(
        lambda: transition_messages(period=period, action=action, actor=actor, comment=comment),
        f"{action} of period {period.pk}",
    )
