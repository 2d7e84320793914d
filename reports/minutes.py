"""The minutes of a progress-review meeting as a Bangla PDF in seed 004's shape (issue 16.1): the letterhead,
the subject, chair/date/time/place, the attendees' annex line, the opening, the numbered table ক্রম · সূচক ও
আলোচনা · সিদ্ধান্ত · বাস্তবায়নে, the closing, the chair's signature block with the Bangla-calendar and
Gregorian dates, the memo number, the numbered distribution list and the attendees' list (পরিশিষ্ট-ক).
`render_report --kind minutes --meeting N`; a draft carries the "খসড়া" mark.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from base.bangla import (
    BANGABDA,
    KHRISTABDA,
    fiscal_year_label,
    format_date_long,
    format_date_short,
    ordinal_serial,
    to_bangla_date,
    to_bangla_digits,
)
from base.errors import DomainError
from indicators.models import FiscalYear, Office
from reports.document import draft_watermark_uri, report_css
from reports.finishing import FinishedPdf, render_document, seal_block
from reports.letter import DRAFT_MARK_BN, PLAN_NAME_BN, genitive_bn
from reports.models import Meeting, MeetingState
from reports.signing import signing_enabled
from reports.table import bangla_text, text_lines


def meeting_get(*, office: Office, fiscal_year: FiscalYear, number: int) -> Meeting:
    meeting = Meeting.objects.filter(office=office, fiscal_year=fiscal_year, number=number).first()
    if meeting is None:
        raise DomainError(
            f"{genitive_bn(office.name_bn)} {fiscal_year_label(fiscal_year.start_year)} অর্থবছরে "
            f"{to_bangla_digits(number)} নম্বর সভা নেই।",
            f"No meeting {number} of {office.code} in {fiscal_year.code}.",
        )
    return meeting


def minutes_title(meeting: Meeting) -> str:
    year = fiscal_year_label(meeting.fiscal_year.start_year)
    return (
        f"{genitive_bn(meeting.office.name_bn)} {PLAN_NAME_BN} {year}-এর বাস্তবায়ন অগ্রগতি সংক্রান্ত "
        "পর্যালোচনা সভার কার্যবিবরণী।"
    )


def minutes_html(meeting: Meeting, *, draft: bool, signature_block: dict | None = None) -> str:
    office = meeting.office
    signed = meeting.signed_on or meeting.held_on
    items = [
        {
            "serial": to_bangla_digits(item.position),
            "code": to_bangla_digits(item.indicator_code) if item.indicator_code else "",
            "title": bangla_text(item.indicator_title),
            "discussion": text_lines(item.discussion),
            "decision": text_lines(item.decision),
            "responsible": text_lines(item.responsible),
        }
        for item in meeting.items.all()
    ]
    context = {
        "css": report_css(),
        "office": office,
        "parent": office.parent,
        "meeting": meeting,
        "title": minutes_title(meeting),
        "wing": bangla_text(meeting.wing_bn or office.wing_bn),
        "website": office.website,
        "chair_name": bangla_text(meeting.chair_name),
        "chair_lines": text_lines(meeting.chair_designation),
        "held_on": f"{format_date_short(meeting.held_on)} খ্রি",
        "time": bangla_text(meeting.time_text),
        "place": bangla_text(meeting.place),
        "opening": text_lines(meeting.opening),
        "closing": text_lines(meeting.closing),
        "items": items,
        "date_bangla": f"{to_bangla_date(signed)} {BANGABDA}",
        "date_gregorian": f"{format_date_long(signed)} {KHRISTABDA}",
        "memo_number": bangla_text(meeting.memo_number),
        "distribution": [
            (to_bangla_digits(n), line) for n, line in enumerate(text_lines(meeting.distribution), start=1)
        ],
        "attendees": [
            (ordinal_serial(n), line) for n, line in enumerate(text_lines(meeting.attendees), start=1)
        ],
        "draft": draft,
        "draft_mark": DRAFT_MARK_BN,
        "watermark_uri": draft_watermark_uri() if draft else "",
        "signature_block": signature_block,
    }
    return render_to_string("reports/pdf/minutes.html", context)


def render_minutes(
    meeting: Meeting, *, draft: bool | None = None, signed: bool = False, approver=None
) -> FinishedPdf:
    """The minutes as PDF; a draft unless approved (or ``draft`` says otherwise), with the whole document's
    metadata. ``signed`` (the copy kept at approval, ``approver`` the chair approving it): signed by the
    office, the signature block above the chair's name."""
    if draft is None:
        draft = meeting.state != MeetingState.APPROVED
    signed = signed and not draft
    meeting = Meeting.objects.select_related("office__parent", "fiscal_year").get(pk=meeting.pk)
    block = seal_block(
        meeting.office,
        approver=approver or meeting.approved_by,
        when=meeting.approved_at,
        signed=signed and signing_enabled(),
        draft=draft,
    )
    year = fiscal_year_label(meeting.fiscal_year.start_year)
    return render_document(
        minutes_html(meeting, draft=draft, signature_block=block),
        office=meeting.office,
        subject=minutes_title(meeting),
        keywords=("পর্যালোচনা সভার কার্যবিবরণী", PLAN_NAME_BN, year, "এপিএ"),
        sign=signed,
        reason=f"{meeting.office.name_en or meeting.office.code}: approved minutes of meeting {meeting.number}",
    )
