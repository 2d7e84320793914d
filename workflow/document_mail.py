"""Mails about the documents of issue 16 (DESIGN.md §10, issue 16.5), as the quarters' (``workflow.mail``):
each step mails the people who act next or should know, in Bangla with an absolute link, after commit.

These documents have two states, draft and approved (``reports.models.MeetingState``); the review of child
offices has none — it is read from the data, and the copy an office keeps (as evidence) is its final one:

- minutes or the Smart Bangladesh plan sent for approval (the draft stays a draft) → the office's CIO;
- minutes or the Smart Bangladesh plan approved → the office's officers;
- the review of child offices kept → each child office's officers and CIO (their office's line of it),
  and the reviewing office's CIO (it is now evidence of the quarter they approve).

The actor is not mailed, nor users without an address, inactive ones, or those who turned mails off.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from base.bangla import QUARTER_ORDINALS_BN, QUARTER_WORD_BN, fiscal_year_label, to_bangla_digits
from indicators.models import Indicator, Office, Role
from reports.models import Meeting, MeetingState, SmartPlan
from reports.subordinate_review import SubordinateReview, review_title
from workflow.mail import absolute, display_name, mail_recipients, messages_to, notify_after_commit


@dataclass(frozen=True)
class DocumentMail:
    roles: tuple[str, ...]
    headline: str
    todo: str
    subject: str


MAILS = {
    "meeting_request": DocumentMail(
        (Role.CIO,),
        _("একটি পর্যালোচনা সভার কার্যবিবরণী সভাপতি হিসেবে আপনার অনুমোদনের জন্য পাঠানো হয়েছে।"),
        _("কার্যবিবরণী দেখে অনুমোদন করুন, অথবা সংশোধনের জন্য লেখককে জানান।"),
        _("কার্যবিবরণী অনুমোদনের জন্য"),
    ),
    "meeting_approve": DocumentMail(
        (Role.OFFICER,),
        _("সভাপতি পর্যালোচনা সভার কার্যবিবরণী অনুমোদন করেছেন; স্বাক্ষরিত কপি রাখা হয়েছে।"),
        _("সভার সিদ্ধান্তগুলো বাস্তবায়ন করুন; কার্যবিবরণী আর বদলানো যাবে না।"),
        _("কার্যবিবরণী অনুমোদিত"),
    ),
    "smart_plan_request": DocumentMail(
        (Role.CIO,),
        _("স্মার্ট বাংলাদেশ কর্মপরিকল্পনা আপনার অনুমোদনের জন্য পাঠানো হয়েছে।"),
        _("কর্মপরিকল্পনা দেখে অনুমোদন করুন, অথবা সংশোধনের জন্য লেখককে জানান।"),
        _("স্মার্ট বাংলাদেশ কর্মপরিকল্পনা অনুমোদনের জন্য"),
    ),
    "smart_plan_approve": DocumentMail(
        (Role.OFFICER,),
        _("চিফ ইনোভেশন অফিসার স্মার্ট বাংলাদেশ কর্মপরিকল্পনা অনুমোদন করেছেন; স্বাক্ষরিত কপি রাখা হয়েছে।"),
        _("কর্মপরিকল্পনার উদ্যোগগুলো বাস্তবায়ন করুন; কর্মপরিকল্পনা আর বদলানো যাবে না।"),
        _("স্মার্ট বাংলাদেশ কর্মপরিকল্পনা অনুমোদিত"),
    ),
    "children_review_child": DocumentMail(
        (Role.OFFICER, Role.CIO),
        _("ঊর্ধ্বতন দপ্তর আওতাধীন দপ্তরসমূহের স্ব-মূল্যায়ন প্রতিবেদন পর্যালোচনা করেছে; আপনার দপ্তরের অবস্থা নিচে।"),
        _("পর্যালোচনার মন্তব্য ও ৬০%-এর নিচে অর্জিত সূচকগুলো দেখুন; প্রতিবেদন না পাঠিয়ে থাকলে পাঠান।"),
        _("আওতাধীন দপ্তরের পর্যালোচনা"),
    ),
    "children_review_cio": DocumentMail(
        (Role.CIO,),
        _("আওতাধীন দপ্তরসমূহের পর্যালোচনা স্বাক্ষরিত হয়ে আপনার দপ্তরের সূচকের প্রমাণক হিসেবে রাখা হয়েছে।"),
        _("ত্রৈমাসিকটি দাখিল হলে প্রমাণকসহ পর্যালোচনা করে অনুমোদন করুন।"),
        _("আওতাধীন দপ্তরের পর্যালোচনা প্রমাণক হিসেবে রাখা হয়েছে"),
    ),
}


def _messages(
    *, mail: DocumentMail, office: Office, title: str, actor, comment: str, link: str, lines=()
) -> list:
    recipients = list(mail_recipients([office.pk], mail.roles, exclude=actor))
    if not recipients:
        return []
    with translation.override("bn"):
        body = render_to_string(
            "workflow/mail/document.txt",
            {
                "headline": mail.headline,
                "todo": mail.todo,
                "office": office.name_bn,
                "title": title,
                "lines": lines,
                "actor": display_name(actor),
                "comment": comment,
                "link": absolute(link),
                "profile_link": absolute(reverse("workflow:profile")),
            },
        )
        subject = f"APA: {office.name_bn} — {title} — {mail.subject}"
    return messages_to(recipients, subject=subject, body=body)


def meeting_notify(*, meeting: Meeting, action: str, actor, comment: str = "") -> None:
    """``action``: ``request`` (sent for the chair's approval) or ``approve``."""
    year = fiscal_year_label(meeting.fiscal_year.start_year)
    title = f"পর্যালোচনা সভা {to_bangla_digits(meeting.number)} ({year})"
    link = reverse("workflow:meeting", args=[meeting.office.code, meeting.fiscal_year.code, meeting.number])
    notify_after_commit(
        lambda: _messages(
            mail=MAILS[f"meeting_{action}"],
            office=meeting.office,
            title=title,
            actor=actor,
            comment=comment,
            link=link,
            lines=[(_("অবস্থা"), MeetingState(meeting.state).label)],
        ),
        f"meeting {meeting.pk} {action}",
    )


def smart_plan_notify(*, smart_plan: SmartPlan, action: str, actor, comment: str = "") -> None:
    """``action``: ``request`` (sent for the CIO's approval) or ``approve``."""
    year = fiscal_year_label(smart_plan.fiscal_year.start_year)
    title = f"স্মার্ট বাংলাদেশ কর্মপরিকল্পনা {year}"
    link = reverse("workflow:smart_plan", args=[smart_plan.office.code, smart_plan.fiscal_year.code])
    notify_after_commit(
        lambda: _messages(
            mail=MAILS[f"smart_plan_{action}"],
            office=smart_plan.office,
            title=title,
            actor=actor,
            comment=comment,
            link=link,
            lines=[(_("অবস্থা"), MeetingState(smart_plan.state).label)],
        ),
        f"smart plan {smart_plan.pk} {action}",
    )


def children_review_notify(*, review: SubordinateReview, indicator: Indicator, actor) -> None:
    """The review kept as evidence of ``indicator`` (of the reviewing office's plan): each child office
    hears of its own line, the reviewing office's CIO of the evidence."""

    def compose() -> list:
        title = review_title(review)
        quarter = f"{QUARTER_ORDINALS_BN[review.quarter - 1]} {QUARTER_WORD_BN}"
        messages = []
        for row in review.rows:
            child = row.office
            link = (
                reverse("workflow:plan", args=[child.code, review.fiscal_year.code])
                + f"#period-{review.quarter}"
                if row.has_plan  # read with the review, not once more per office
                else reverse("workflow:home")
            )
            lines = [
                (_("পর্যালোচনাকারী দপ্তর"), review.office.name_bn),
                (_("ত্রৈমাসিক"), quarter),
                (_("আপনার দপ্তরের প্রতিবেদন"), row.state),
            ]
            if row.percent:
                lines.append((_("অর্জন"), row.percent))
            if row.weak:
                lines.append((_("৬০%-এর নিচে"), ", ".join(f"{w.code} {w.title}" for w in row.weak)))
            messages += _messages(
                mail=MAILS["children_review_child"],
                office=child,
                title=title,
                actor=actor,
                comment="",
                link=link,
                lines=lines,
            )
        plan = indicator.plan
        messages += _messages(
            mail=MAILS["children_review_cio"],
            office=review.office,
            title=title,
            actor=actor,
            comment="",
            link=reverse(
                "workflow:indicator", args=[review.office.code, plan.fiscal_year.code, indicator.code]
            ),
            lines=[
                (_("সূচক"), f"[{to_bangla_digits(indicator.code)}] {indicator.title}"),
                (_("ত্রৈমাসিক"), quarter),
            ],
        )
        return messages

    notify_after_commit(compose, f"review of child offices of {review.office.pk}")
