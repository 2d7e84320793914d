"""The Smart Bangladesh action plan (issue 16.2, seed 003): every write of it, and its PDF.

An office's officers and CIO write the year's plan — its initiatives with name, short description,
implementing office, partners, the problem solved, beneficiaries, term (short 6–12 months, medium 12–18,
long) and time frame — and its forwarding letter; the CIO approves it. Approved, it is read-only; the PDF
(letter with memo number and dual date, the table, the signature block, the copy list, as in the seed) can be
kept as evidence of the indicator that asks for it, whose value becomes the approval date (a date
indicator) or 1 (a number), through the progress service — correctable there like any value.
`render_report --kind smart-plan`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from base.bangla import (
    BANGABDA,
    KHRISTABDA,
    fiscal_year_label,
    format_date_long,
    ordinal_serial,
    to_bangla_date,
    to_bangla_digits,
)
from base.errors import ConflictError, DomainError, PermissionDeniedError
from base.text import text_within
from evidence.services import evidence_attach
from indicators import permissions
from indicators.history import history_record
from indicators.models import DataSource, FiscalYear, HistoryKind, Indicator, Office, Role
from indicators.selectors import office_year_plan
from indicators.services.sources import sources_fill
from reports.document import draft_watermark_uri, report_css
from reports.finishing import FinishedPdf, document_keep, render_document, seal_block
from reports.letter import DRAFT_MARK_BN, genitive_bn
from reports.meetings import TEXT_MAX, changed_labels, evidence_to_bound, quarter_of
from reports.models import MeetingState, SmartInitiative, SmartPlan, SmartTerm
from reports.signing import signing_enabled
from reports.table import bangla_text, text_lines

PLAN_FIELDS = (
    "memo_number",
    "letter_date",
    "subject",
    "body",
    "signatory_name",
    "signatory_lines",
    "recipient",
    "copies",
)
INITIATIVE_FIELDS = (
    "name",
    "description",
    "implementing_office",
    "partners",
    "problem",
    "beneficiaries",
    "term",
    "time_frame",
)


def smart_plan_title(office: Office, fiscal_year: FiscalYear) -> str:
    return f"স্মার্ট বাংলাদেশ বিনির্মাণ বিষয়ক কর্মপরিকল্পনা {fiscal_year_label(fiscal_year.start_year)}"


def _defaults(office: Office, fiscal_year: FiscalYear) -> dict:
    title = smart_plan_title(office, fiscal_year)
    year = fiscal_year_label(fiscal_year.start_year)
    return {
        "subject": f"{genitive_bn(office.name_bn)} {title} প্রণয়ন",
        "body": (
            f"উপর্যুক্ত বিষয়ে, {genitive_bn(office.name_bn)} ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা {year} "
            f"অনুযায়ী {genitive_bn(office.name_bn)} {title} প্রণয়ন করা হয়েছে। নিম্নবর্ণিত কর্মপরিকল্পনাটি সদয় "
            "অবগতির জন্য এতদসঙ্গে প্রেরণ করা হলো।"
        ),
    }


def _ensure_team(user: AbstractBaseUser | None, office: Office) -> None:
    if user is None or not permissions.roles_in(user, office) & {Role.OFFICER, Role.CIO}:
        raise PermissionDeniedError(
            "এই দপ্তরের স্মার্ট বাংলাদেশ কর্মপরিকল্পনা লেখার অনুমতি আপনার নেই।",
            "You cannot write this office's Smart Bangladesh plan.",
        )


def smart_plan_document(smart_plan: SmartPlan) -> str:
    """The key of the plan's entries in the history (``HistoryEntry.document``)."""
    return f"smart-plan:{smart_plan.pk}"


def _record(
    smart_plan: SmartPlan, user: AbstractBaseUser | None, text: str, *, before: str = "", reason: str = ""
) -> None:
    """Every change of the Smart Bangladesh plan goes into the history of the office's action plan of the year
    (there is none to keep it in while the office has no plan)."""
    plan = office_year_plan(smart_plan.office, smart_plan.fiscal_year)
    if plan is not None:
        history_record(
            plan=plan,
            kind=HistoryKind.SMART_PLAN,
            before=before,
            after=text,
            user=user,
            reason=reason,
            document=smart_plan_document(smart_plan),
        )


def _initiatives_snapshot(smart_plan: SmartPlan) -> list[tuple]:
    return list(smart_plan.initiatives.order_by("position").values_list(*INITIATIVE_FIELDS))


def _clean(name: str, value):
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").strip()
        if len(value) > TEXT_MAX:
            raise DomainError(
                f"'{name}' ঘরে সর্বোচ্চ {to_bangla_digits(TEXT_MAX)} অক্ষর লেখা যায়।",
                f"'{name}' takes at most {TEXT_MAX} characters.",
            )
    return value


@transaction.atomic
def smart_plan_get_or_create(
    *, office: Office, fiscal_year: FiscalYear, user: AbstractBaseUser | None, check_permission: bool = True
) -> SmartPlan:
    """The office's plan of the year; a new draft with the letter's defaults when there is none (only the
    office's team may start one)."""
    existing = SmartPlan.objects.filter(office=office, fiscal_year=fiscal_year).first()
    if existing is not None:
        return existing
    if check_permission:
        _ensure_team(user, office)
    Office.objects.select_for_update().filter(pk=office.pk).first()
    smart_plan, created = SmartPlan.objects.get_or_create(
        office=office, fiscal_year=fiscal_year, defaults=_defaults(office, fiscal_year)
    )
    if created:
        _record(smart_plan, user, "স্মার্ট বাংলাদেশ কর্মপরিকল্পনার খসড়া শুরু হয়েছে")
    return smart_plan


def _initiatives_write(smart_plan: SmartPlan, initiatives: list[dict]) -> None:
    SmartInitiative.objects.filter(smart_plan=smart_plan).delete()
    rows = []
    for item in initiatives:
        values = {name: _clean(name, item.get(name, "") or "") for name in INITIATIVE_FIELDS}
        if not any(v for k, v in values.items() if k != "term"):
            continue
        if not values["name"]:
            raise DomainError("প্রতিটি উদ্যোগের নাম আবশ্যক।", "Every initiative needs a name.")
        if values["term"] not in SmartTerm.values:
            values["term"] = SmartTerm.SHORT
        rows.append(SmartInitiative(smart_plan=smart_plan, position=len(rows) + 1, **values))
    SmartInitiative.objects.bulk_create(rows)


def _locked(smart_plan: SmartPlan, expected_version: int) -> SmartPlan:
    """The plan's row, locked, as the user's form saw it (its version), or ConflictError."""
    locked = SmartPlan.objects.select_for_update().get(pk=smart_plan.pk)
    if locked.version != expected_version:
        raise ConflictError(
            "এই কর্মপরিকল্পনা ইতিমধ্যে অন্য কেউ বদলেছেন; পাতাটি নতুন করে খুলুন।",
            "Someone else changed this plan meanwhile; reload the page.",
        )
    return locked


@transaction.atomic
def smart_plan_update(
    *,
    smart_plan: SmartPlan,
    user: AbstractBaseUser | None,
    expected_version: int,
    initiatives: list[dict] | None = None,
    check_permission: bool = True,
    **fields,
) -> SmartPlan:
    if check_permission:
        _ensure_team(user, smart_plan.office)
    locked = _locked(smart_plan, expected_version)
    if locked.state != MeetingState.DRAFT:
        raise DomainError("অনুমোদিত কর্মপরিকল্পনা আর বদলানো যায় না।", "An approved plan cannot be changed any more.")
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    before = {name: getattr(locked, name) for name in fields}
    initiatives_before = _initiatives_snapshot(locked) if initiatives is not None else None
    for name, value in fields.items():
        setattr(locked, name, _clean(name, value))
    locked.version += 1
    locked.full_clean()
    locked.save()
    changed = changed_labels(SmartPlan, before, {name: getattr(locked, name) for name in fields})
    if initiatives is not None:
        _initiatives_write(locked, initiatives)
        if _initiatives_snapshot(locked) != initiatives_before:
            changed = ", ".join(filter(None, [changed, "উদ্যোগ"]))
    _record(
        locked,
        user,
        "স্মার্ট বাংলাদেশ কর্মপরিকল্পনা সংশোধিত" + (f": {changed}" if changed else " (কোনো পরিবর্তন নেই)"),
    )
    return locked


@transaction.atomic
def smart_plan_approval_request(
    *, smart_plan: SmartPlan, user: AbstractBaseUser, expected_version: int, comment: str = ""
) -> SmartPlan:
    """A member of the team sends the draft to the CIO for approval: it stays a draft (the CIO may still have
    it corrected); the request is kept in the history (the workflow mails the CIO)."""
    _ensure_team(user, smart_plan.office)
    locked = _locked(smart_plan, expected_version)
    if locked.state != MeetingState.DRAFT:
        raise DomainError("কর্মপরিকল্পনাটি আগেই অনুমোদিত।", "The plan is already approved.")
    comment = text_within(comment, TEXT_MAX, what_bn="মন্তব্য", what_en="comment")
    # Who asked when: the CIO's waiting list shows it until the plan is approved (the version is not bumped).
    locked.approval_requested_at = timezone.now()
    locked.approval_requested_by = user
    locked.save(update_fields=["approval_requested_at", "approval_requested_by"])
    _record(locked, user, "স্মার্ট বাংলাদেশ কর্মপরিকল্পনা অনুমোদনের জন্য পাঠানো হয়েছে", reason=comment)
    return locked


@dataclass(frozen=True)
class SmartPlanApproved:
    smart_plan: SmartPlan
    filled_value: Decimal | datetime.date | None


@transaction.atomic
def smart_plan_approve(
    *,
    smart_plan: SmartPlan,
    user: AbstractBaseUser,
    expected_version: int,
    pdf_bytes: bytes,
    indicator: Indicator | None = None,
) -> SmartPlanApproved:
    """The CIO approves: read-only from now on; with ``indicator`` the PDF becomes its evidence in the
    approval's quarter and its value is filled from the approval (the date, or 1 for a number indicator).
    All or nothing."""
    if Role.CIO not in permissions.roles_in(user, smart_plan.office):
        raise PermissionDeniedError(
            "স্মার্ট বাংলাদেশ কর্মপরিকল্পনা অনুমোদন করেন দপ্তরের চিফ ইনোভেশন অফিসার।",
            "The office's Chief Innovation Officer approves the Smart Bangladesh plan.",
        )
    locked = _locked(smart_plan, expected_version)
    if locked.state != MeetingState.DRAFT:
        raise DomainError("কর্মপরিকল্পনাটি আগেই অনুমোদিত।", "The plan is already approved.")
    if not locked.initiatives.exists():
        raise DomainError("অন্তত একটি উদ্যোগ লিখুন।", "Write at least one initiative.")
    today = timezone.localdate()
    locked.state = MeetingState.APPROVED
    locked.approved_by = user
    locked.approved_at = timezone.now()
    locked.letter_date = locked.letter_date or today
    locked.version += 1
    name = f"smart-plan-{locked.office.code}-{locked.fiscal_year.code}.pdf"
    document_keep(locked, pdf_bytes, name)  # the approved plan, evidence or not: what the download returns
    locked.save()
    filled = None
    plan = office_year_plan(locked.office, locked.fiscal_year)
    if indicator is not None and (plan is None or indicator.plan_id != plan.pk):
        raise DomainError(
            "সূচকটি এই দপ্তরের এই অর্থবছরের কর্মপরিকল্পনার নয়।",
            "The indicator is not of this office's plan of this year.",
        )
    if plan is not None:
        title = smart_plan_title(locked.office, locked.fiscal_year)
        if indicator is not None:
            # Chosen by the CIO: its quarter must be open (all or nothing).
            quarter = quarter_of(locked.fiscal_year.start_year, locked.letter_date)
            locked.evidence = evidence_attach(
                indicator=indicator,
                title=title,
                data=pdf_bytes,
                original_name=name,
                quarter=quarter,
                user=user,
            )
        # Issue 16.4: indicators bound to the plan's approval get the PDF (first open quarter from the
        # letter's) and the approval date as their value.
        attached = evidence_to_bound(
            plan=plan,
            source=DataSource.SMART_PLAN_APPROVED,
            day=locked.letter_date,
            skip=indicator,
            title=title,
            data=pdf_bytes,
            original_name=name,
            user=user,
        )
        locked.evidence = locked.evidence or attached
        locked.save(update_fields=["evidence"])
        for target, quarter in sources_fill(
            plan=plan,
            source=DataSource.SMART_PLAN_APPROVED,
            day=locked.letter_date,
            user=user,
            also=indicator,
        ):
            if quarter is not None and filled is None:
                filled = locked.letter_date if target.unit == "date" else Decimal(1)
    _record(locked, user, "স্মার্ট বাংলাদেশ কর্মপরিকল্পনা অনুমোদিত", before="খসড়া")
    return SmartPlanApproved(locked, filled)


@transaction.atomic
def smart_plan_import(*, office: Office, fiscal_year: FiscalYear, record: dict) -> SmartPlan:
    """A plan approved before the office used the system (the demo's seed 003), from its record."""
    smart_plan = smart_plan_get_or_create(
        office=office, fiscal_year=fiscal_year, user=None, check_permission=False
    )
    fields = {name: record[name] for name in PLAN_FIELDS if name in record}
    if fields.get("letter_date"):
        fields["letter_date"] = datetime.date.fromisoformat(fields["letter_date"])
    smart_plan = smart_plan_update(
        smart_plan=smart_plan,
        user=None,
        expected_version=smart_plan.version,
        initiatives=record.get("initiatives", []),
        check_permission=False,
        **fields,
    )
    SmartPlan.objects.filter(pk=smart_plan.pk).update(state=MeetingState.APPROVED, approved_at=timezone.now())
    smart_plan.refresh_from_db()
    return smart_plan


# --- the PDF --------------------------------------------------------------------------------------------------


def smart_plan_html(smart_plan: SmartPlan, *, draft: bool, signature_block: dict | None = None) -> str:
    office = smart_plan.office
    day = smart_plan.letter_date or timezone.localdate()
    initiatives = list(smart_plan.initiatives.all())
    context = {
        "css": report_css(),
        "office": office,
        "title": smart_plan_title(office, smart_plan.fiscal_year),
        "website": office.website,
        "address_lines": text_lines(office.address_bn),
        "memo_number": bangla_text(smart_plan.memo_number),
        "date_bangla": f"{to_bangla_date(day)} {BANGABDA}",
        "date_gregorian": f"{format_date_long(day)} {KHRISTABDA}",
        "subject": bangla_text(smart_plan.subject),
        "body": bangla_text(smart_plan.body),
        "rows": [
            {
                "serial": f"{ordinal_serial(n)}।",
                "initiative": i,
                "term": SmartTerm(i.term).label,
            }
            for n, i in enumerate(initiatives, start=1)
        ],
        "signatory_name": bangla_text(smart_plan.signatory_name),
        "signatory_lines": text_lines(smart_plan.signatory_lines),
        "recipient_lines": text_lines(smart_plan.recipient),
        "copies": [
            (to_bangla_digits(n), line) for n, line in enumerate(text_lines(smart_plan.copies), start=1)
        ],
        "draft": draft,
        "draft_mark": DRAFT_MARK_BN,
        "watermark_uri": draft_watermark_uri() if draft else "",
        "signature_block": signature_block,
    }
    return render_to_string("reports/pdf/smart_plan.html", context)


def render_smart_plan(
    smart_plan: SmartPlan, *, draft: bool | None = None, signed: bool = False, approver=None
) -> FinishedPdf:
    """The plan with its letter as PDF, with the whole document's metadata; ``signed`` (the copy kept at
    approval, ``approver`` the CIO approving it): signed by the office over the letter's signature block."""
    if draft is None:
        draft = smart_plan.state != MeetingState.APPROVED
    signed = signed and not draft
    smart_plan = SmartPlan.objects.select_related("office", "fiscal_year").get(pk=smart_plan.pk)
    office = smart_plan.office
    block = seal_block(
        office,
        approver=approver or smart_plan.approved_by,
        when=smart_plan.approved_at,
        signed=signed and signing_enabled(),
        draft=draft,
    )
    title = smart_plan_title(office, smart_plan.fiscal_year)
    return render_document(
        smart_plan_html(smart_plan, draft=draft, signature_block=block),
        office=office,
        subject=title,
        keywords=("স্মার্ট বাংলাদেশ", fiscal_year_label(smart_plan.fiscal_year.start_year), "এপিএ"),
        sign=signed,
        reason=f"{office.name_en or office.code}: approved Smart Bangladesh action plan",
    )


def smart_plan_get(*, office: Office, fiscal_year: FiscalYear) -> SmartPlan:
    found = SmartPlan.objects.filter(office=office, fiscal_year=fiscal_year).first()
    if found is None:
        raise DomainError(
            f"{genitive_bn(office.name_bn)} {fiscal_year_label(fiscal_year.start_year)} অর্থবছরের স্মার্ট বাংলাদেশ "
            "কর্মপরিকল্পনা নেই।",
            f"No Smart Bangladesh plan of {office.code} in {fiscal_year.code}.",
        )
    return found
