"""What a report is called and says around its table (DESIGN.md §6): its kind and quarter, its titles, and the
cover letter (প্রেরণপত্র) of each reporting period, filled with defaults worded as in the submitted report
(seed 000), with its memo number taken at approval.
"""

from __future__ import annotations

import calendar
import datetime
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from base.bangla import (
    GREGORIAN_MONTHS_BN,
    QUARTER_ORDINALS_BN,
    fiscal_year_label,
    to_bangla_digits,
)
from base.errors import DomainError
from indicators.models import (
    ActionPlan,
    Office,
    OfficeKind,
    OfficeMembership,
    PeriodState,
    ReportingPeriod,
    Role,
)
from reports.models import CoverLetter, MemoSerial, ReportKind

logger = logging.getLogger(__name__)

# The cover letter's fields the team edits; the memo serial is taken at approval and never typed.
COVER_LETTER_FIELDS = (
    "letter_date",
    "subject",
    "body",
    "attachments",
    "signatory_name",
    "signatory_designation",
    "recipient",
    "attention",
    "copies",
)


PLAN_NAME_BN = "ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা"
TEAM_NAME_BN = "ই-গভর্ন্যান্স ও ইনোভেশন টিম"
DRAFT_MARK_BN = "খসড়া"
NOT_APPLICABLE_BN = "প্রযোজ্য নয়"
DEFAULT_CIO_DESIGNATION = "চিফ ইনোভেশন অফিসার"
DEFAULT_ATTACHMENTS = "বর্ণনানুযায়ী"
DEFAULT_COPIES = "অফিস কপি"

# A period whose report is final: approved by the CIO (and perhaps sent or accepted since).
FINAL_STATES = (PeriodState.APPROVED, PeriodState.SENT, PeriodState.ACCEPTED)

# The quarter each report belongs to (DESIGN.md §4): the half-yearly with Q2, the annual with Q4.
FIXED_QUARTER = {ReportKind.ANNUAL: 4, ReportKind.HALF_YEARLY: 2}

# Who heads the office a letter is addressed to, by the kind of that office (editable in the letter).
HEAD_OF_OFFICE_BN = {
    OfficeKind.DIVISION: "সচিব",
    OfficeKind.MINISTRY: "সচিব",
    OfficeKind.DEPARTMENT: "মহাপরিচালক",
    OfficeKind.AGENCY: "প্রধান নির্বাহী",
    OfficeKind.DIVISIONAL: "বিভাগীয় কমিশনার",
    OfficeKind.DISTRICT: "জেলা প্রশাসক",
    OfficeKind.UPAZILA: "উপজেলা নির্বাহী অফিসার",
}

# Bangla vowel signs and independent vowels: a name ending in one takes the genitive "-র", others "-এর".
_VOWEL_ENDINGS = set("ািীুূৃেৈোৌঅআইঈউঊঋএঐওঔ")


def report_kind(kind: str) -> ReportKind:
    try:
        return ReportKind(kind)
    except ValueError:
        names = ", ".join(k.value for k in ReportKind)
        raise DomainError(
            f"অজানা প্রতিবেদনের ধরন '{kind}'; হতে পারে: {names}।",
            f"Unknown report kind '{kind}'; expected one of: {names}.",
        ) from None


def report_quarter(kind: str, quarter: int | None) -> int:
    """The quarter a report belongs to: Q4 for the annual, Q2 for the half-yearly, the given one otherwise
    (the cover letter defaults to Q4's, the annual report's letter). A contradicting quarter is refused."""
    kind = report_kind(kind)
    fixed = FIXED_QUARTER.get(kind)
    if fixed is not None:
        if quarter not in (None, fixed):
            raise DomainError(
                f"{kind.label} {QUARTER_ORDINALS_BN[fixed - 1]} ত্রৈমাসিকের; অন্য ত্রৈমাসিক দেওয়া যাবে না।",
                f"The {kind.value} report belongs to quarter {fixed}; quarter {quarter} is not possible.",
            )
        return fixed
    if quarter is None:
        if kind == ReportKind.COVER_LETTER:
            return 4
        raise DomainError(
            "ত্রৈমাসিক প্রতিবেদনের জন্য ত্রৈমাসিক (১–৪) উল্লেখ করুন।",
            "A quarterly report needs its quarter (1-4).",
        )
    if quarter not in (1, 2, 3, 4):
        raise DomainError("ত্রৈমাসিক ১ থেকে ৪ হতে হবে।", "The quarter must be 1 to 4.")
    return quarter


def period_report_kind(quarter: int) -> ReportKind:
    """The self-assessment a period's cover letter forwards: annual (Q4), half-yearly (Q2), else quarterly."""
    return {4: ReportKind.ANNUAL, 2: ReportKind.HALF_YEARLY}.get(quarter, ReportKind.QUARTERLY)


def genitive_bn(name: str) -> str:
    """পররাষ্ট্র মন্ত্রণালয় → পররাষ্ট্র মন্ত্রণালয়ের; বাংলাদেশ পরিসংখ্যান ব্যুরো → …ব্যুরোর."""
    name = name.strip()
    if not name:
        return name
    if name[-1] in _VOWEL_ENDINGS:
        return name + "র"
    if not "\u0980" <= name[-1] <= "\u09ff":  # a Latin name or abbreviation: "MoFA-এর"
        return name + "-এর"
    return name + "ের"


def assessment_bn(kind: ReportKind, quarter: int) -> str:
    """বার্ষিক / অর্ধবার্ষিক / ৩য় ত্রৈমাসিক — which self-assessment this is."""
    if kind == ReportKind.ANNUAL:
        return "বার্ষিক"
    if kind == ReportKind.HALF_YEARLY:
        return "অর্ধবার্ষিক"
    return f"{QUARTER_ORDINALS_BN[quarter - 1]} ত্রৈমাসিক"


def month_year_bn(day: datetime.date) -> str:
    return to_bangla_digits(f"{GREGORIAN_MONTHS_BN[day.month - 1]} {day.year}")


def report_span(start_year: int, kind: ReportKind, quarter: int) -> tuple[datetime.date, datetime.date]:
    """The months a report covers: the whole year (annual), July–December (half-yearly), or the quarter's own
    three months (quarterly)."""
    if kind == ReportKind.ANNUAL:
        return datetime.date(start_year, 7, 1), datetime.date(start_year + 1, 6, 30)
    if kind == ReportKind.HALF_YEARLY:
        return datetime.date(start_year, 7, 1), datetime.date(start_year, 12, 31)
    year, month = {1: (start_year, 7), 2: (start_year, 10), 3: (start_year + 1, 1), 4: (start_year + 1, 4)}[
        quarter
    ]
    last_day = calendar.monthrange(year, month + 2)[1]
    return datetime.date(year, month, 1), datetime.date(year, month + 2, last_day)


def report_title_bn(plan: ActionPlan, kind: ReportKind, quarter: int) -> tuple[str, str]:
    """The cover page's two title lines, as in seed 000:
    ``২০২২-২৩ অর্থ বছরের ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা বাস্তবায়নের`` /
    ``বার্ষিক প্রতিবেদন (জুলাই ২০২২ – জুন ২০২৩)``."""
    start_year = plan.fiscal_year.start_year
    first, last = report_span(start_year, kind, quarter)
    line1 = f"{fiscal_year_label(start_year)} অর্থ বছরের {PLAN_NAME_BN} বাস্তবায়নের"
    line2 = f"{assessment_bn(kind, quarter)} প্রতিবেদন ({month_year_bn(first)} – {month_year_bn(last)})"
    return line1, line2


def default_subject(plan: ActionPlan, quarter: int, kind: ReportKind | None = None) -> str:
    """The subject as seed 000 words it, for the period's report (``kind``: for another report of the
    period, e.g. Q2's quarterly report, which carries the same letter)."""
    kind = kind or period_report_kind(quarter)
    year = fiscal_year_label(plan.fiscal_year.start_year)
    return f"{year} অর্থবছরের {PLAN_NAME_BN}র {assessment_bn(kind, quarter)} স্ব-মূল্যায়ন প্রতিবেদন দাখিল সংক্রান্ত।"


def default_body(
    plan: ActionPlan, quarter: int, kind: ReportKind | None = None, *, with_evidence: bool = True
) -> str:
    """The body as seed 000 words it: "… প্রতিবেদন প্রমাণকসহ দাখিল করা হল।"; without evidence attached the
    report is not said to come "with evidence" (প্রমাণকসহ)."""
    kind = kind or period_report_kind(quarter)
    year = fiscal_year_label(plan.fiscal_year.start_year)
    attached = " প্রমাণকসহ" if with_evidence else ""
    return (
        f"উপর্যুক্ত বিষয়ের প্রেক্ষিতে আদিষ্ট হয়ে, {genitive_bn(plan.office.name_bn)} {year} অর্থবছরের "
        f"{PLAN_NAME_BN}র {assessment_bn(kind, quarter)} স্ব-মূল্যায়ন প্রতিবেদন{attached} দাখিল করা হল।"
    )


def letter_wording(
    letter: CoverLetter, plan: ActionPlan, kind: ReportKind, *, with_evidence: bool
) -> tuple[str, str]:
    """The subject and body a report prints: the team's own words as they wrote them; the default words
    (untouched since the letter was made) follow what is forwarded — the report's kind and whether
    evidence is attached."""
    quarter = letter.period.quarter
    subject, body = letter.subject, letter.body
    if subject.strip() == default_subject(plan, quarter).strip():
        subject = default_subject(plan, quarter, kind)
    if body.strip() == default_body(plan, quarter).strip():
        body = default_body(plan, quarter, kind, with_evidence=with_evidence)
    return subject, body


def letter_day(letter: CoverLetter, *, today: datetime.date | None = None) -> datetime.date:
    """The letter's date: the one set on it (typed by the team before approval, or the approval's day,
    taken at approval); a draft's otherwise is the day it would go out — today, but never after the
    period's deadline (a draft of a past period is dated by its period, not by the day it is printed)."""
    if letter.letter_date is not None:
        return letter.letter_date
    today = today or timezone.localdate()
    deadline = letter.period.deadline
    return min(today, deadline) if deadline else today


def default_recipient(office: Office) -> str:
    """The head of the parent office, its wing, its name and address, one per line (seed 000)."""
    parent = office.parent
    if parent is None:
        return ""
    lines = [HEAD_OF_OFFICE_BN.get(parent.kind, "প্রধান"), parent.wing_bn, parent.name_bn]
    lines += parent.address_bn.splitlines()
    return "\n".join(line.strip() for line in lines if line.strip())


def cio_name(office: Office) -> str:
    membership = (
        OfficeMembership.objects.filter(office=office, role=Role.CIO)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is None:
        return ""
    user = membership.user
    return user.get_full_name().strip() or user.get_username()


@transaction.atomic
def cover_letter_for(period: ReportingPeriod) -> CoverLetter:
    """The period's cover letter, created with defaults if it has none yet.

    Subject and body are worded as in seed 000 for the period's self-assessment (annual for Q4,
    half-yearly for Q2, quarterly otherwise). Signatory, recipient, attention line and copies are taken
    from the office's latest earlier letter when there is one (they rarely change between quarters);
    otherwise from the office: the CIO's name, "চিফ ইনোভেশন অফিসার", the parent office, "অফিস কপি".
    The letter comes with ``period`` as its period (no query to reach the plan, office and year that
    ``period`` already carries).
    """
    existing = CoverLetter.objects.filter(period=period).first()
    if existing is not None:
        existing.period = period
        return existing
    plan = ActionPlan.objects.select_related("office__parent", "fiscal_year").get(pk=period.plan_id)
    office = plan.office
    previous = (
        CoverLetter.objects.filter(period__plan__office=office)
        .exclude(period=period)
        .order_by("-period__plan__fiscal_year__start_year", "-period__quarter")
        .first()
    )
    if previous is not None:
        carried = {
            name: getattr(previous, name)
            for name in ("signatory_name", "signatory_designation", "recipient", "attention", "copies")
        }
    else:
        carried = {
            "signatory_name": cio_name(office),
            "signatory_designation": DEFAULT_CIO_DESIGNATION,
            "recipient": default_recipient(office),
            "attention": "",
            "copies": DEFAULT_COPIES,
        }
    letter = CoverLetter(
        period=period,
        subject=default_subject(plan, period.quarter),
        body=default_body(plan, period.quarter),
        attachments=DEFAULT_ATTACHMENTS,
        **carried,
    )
    letter.full_clean(exclude=["period"])  # the period's uniqueness is left to the database, see below
    try:
        with transaction.atomic():
            letter.save()
    except IntegrityError:
        # Created at the same moment by another request: that one is the period's letter.
        letter = CoverLetter.objects.get(period=period)
        letter.period = period
    return letter


def memo_number(cover_letter: CoverLetter) -> str:
    """Office prefix + "-" + serial in Bangla digits (``১৯.০০.০০০০.১৭৫.৪২.০০১.২৩-৬৯``); before the serial
    is taken (at approval) the serial reads "খসড়া"."""
    prefix = to_bangla_digits(cover_letter.period.plan.office.memo_prefix.strip())
    serial = DRAFT_MARK_BN if cover_letter.memo_serial is None else to_bangla_digits(cover_letter.memo_serial)
    return f"{prefix}-{serial}" if prefix else serial


@transaction.atomic
def memo_serial_take(cover_letter: CoverLetter) -> int:
    """Give the letter the office's next memo serial of the fiscal year, once.

    The letter row and the office × year counter are locked (select_for_update), so two approvals at the
    same moment never get the same number; a letter that already has its serial keeps it.
    """
    # The letter's row only (of=self), not the period and plan it joins: the counter below is what orders
    # the approvals of one office and year, and a plan lock would hold up every write that refers to the plan.
    letter = (
        CoverLetter.objects.select_for_update(of=("self",))
        .select_related("period__plan")
        .get(pk=cover_letter.pk)
    )
    if letter.memo_serial is None:
        plan = letter.period.plan
        MemoSerial.objects.get_or_create(office_id=plan.office_id, fiscal_year_id=plan.fiscal_year_id)
        counter = MemoSerial.objects.select_for_update().get(
            office_id=plan.office_id, fiscal_year_id=plan.fiscal_year_id
        )
        counter.last += 1
        counter.save(update_fields=["last"])
        letter.memo_serial = counter.last
        letter.save(update_fields=["memo_serial", "updated_at"])
    cover_letter.memo_serial = letter.memo_serial
    return letter.memo_serial
