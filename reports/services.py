"""What goes into each report, and the report PDFs themselves (DESIGN.md §6).

- ``cover_letter_for`` / ``memo_number`` / ``memo_serial_take``: the cover letter (প্রেরণপত্র) of a reporting
  period, filled with defaults worded as in the submitted report (seed 000), and its memo number.
- ``report_evidence``: the evidence that goes into a report's annex, in index order.
- ``report_html``: the generated part of a report (cover page, cover letter, self-assessment table, evidence
  index, introduction and initiatives) as one HTML document for WeasyPrint.
- ``render_report``: the whole PDF — the generated part, then every evidence file stamped with its absolute
  page number, the same number the index prints.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import hashlib
import json
import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

from django.contrib.staticfiles import finders
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from base.bangla import (
    BANGABDA,
    GREGORIAN_MONTHS_BN,
    KHRISTABDA,
    QUARTER_ORDINALS_BN,
    fiscal_year_label,
    format_code,
    format_date_long,
    format_date_short,
    format_marks,
    format_number,
    format_percent,
    ordinal_serial,
    to_bangla_date,
    to_bangla_digits,
)
from base.errors import DomainError
from evidence.models import Evidence
from indicators import scoring
from indicators.models import (
    ActionPlan,
    Indicator,
    Office,
    OfficeKind,
    OfficeMembership,
    PeriodState,
    ReportingPeriod,
    Role,
)
from indicators.periods import period_for
from indicators.scores import indicator_scoring_input, plan_indicators
from reports.models import CoverLetter, Initiative, InitiativeKind, Introduction, MemoSerial, ReportKind

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[int, str], None]

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


# ---------------------------------------------------------------------------------------------------------
# Kinds, quarters and wording


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


def _assessment_bn(kind: ReportKind, quarter: int) -> str:
    """বার্ষিক / অর্ধবার্ষিক / ৩য় ত্রৈমাসিক — which self-assessment this is."""
    if kind == ReportKind.ANNUAL:
        return "বার্ষিক"
    if kind == ReportKind.HALF_YEARLY:
        return "অর্ধবার্ষিক"
    return f"{QUARTER_ORDINALS_BN[quarter - 1]} ত্রৈমাসিক"


def _month_year_bn(day: datetime.date) -> str:
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
    line2 = f"{_assessment_bn(kind, quarter)} প্রতিবেদন ({_month_year_bn(first)} – {_month_year_bn(last)})"
    return line1, line2


def default_subject(plan: ActionPlan, quarter: int) -> str:
    kind = period_report_kind(quarter)
    year = fiscal_year_label(plan.fiscal_year.start_year)
    return f"{year} অর্থবছরের {PLAN_NAME_BN}র {_assessment_bn(kind, quarter)} স্ব-মূল্যায়ন প্রতিবেদন দাখিল সংক্রান্ত।"


def default_body(plan: ActionPlan, quarter: int) -> str:
    kind = period_report_kind(quarter)
    year = fiscal_year_label(plan.fiscal_year.start_year)
    return (
        f"উপর্যুক্ত বিষয়ের প্রেক্ষিতে আদিষ্ট হয়ে, {genitive_bn(plan.office.name_bn)} {year} অর্থবছরের "
        f"{PLAN_NAME_BN}র {_assessment_bn(kind, quarter)} স্ব-মূল্যায়ন প্রতিবেদন প্রমাণকসহ দাখিল করা হল।"
    )


def default_recipient(office: Office) -> str:
    """The head of the parent office, its wing, its name and address, one per line (seed 000)."""
    parent = office.parent
    if parent is None:
        return ""
    lines = [HEAD_OF_OFFICE_BN.get(parent.kind, "প্রধান"), parent.wing_bn, parent.name_bn]
    lines += parent.address_bn.splitlines()
    return "\n".join(line.strip() for line in lines if line.strip())


def _cio_name(office: Office) -> str:
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


# ---------------------------------------------------------------------------------------------------------
# Cover letter and memo number


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
            "signatory_name": _cio_name(office),
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


# ---------------------------------------------------------------------------------------------------------
# Evidence in index order


def report_evidence(plan: ActionPlan, kind: str, quarter: int) -> list[Evidence]:
    """The evidence of a report in index order: area → activity → indicator, then the evidence's position.

    The annual report carries all of it (undated evidence too); a half-yearly or quarterly report the
    evidence of its quarters so far (Q1–Q2, or Q1–N), as its table shows those quarters.
    """
    kind = report_kind(kind)
    if kind == ReportKind.COVER_LETTER:
        return []
    quarter = report_quarter(kind, quarter)
    evidence = Evidence.objects.filter(indicator__plan=plan).select_related("indicator__activity__area")
    if kind != ReportKind.ANNUAL:
        evidence = evidence.filter(quarter__lte=quarter)
    return list(
        evidence.order_by(
            "indicator__activity__area__position",
            "indicator__activity__area_id",
            "indicator__activity__position",
            "indicator__activity_id",
            "indicator__position",
            "position",
            "uploaded_at",
            "pk",
        )
    )


# ---------------------------------------------------------------------------------------------------------
# What the templates show

# A run of ASCII digits that belongs to a Latin word (GPT-4, G2G, ibas++ 2) or to an address stays as typed.
_LATIN_TOKEN = re.compile(
    r"(?:https?://|www\.)\S+|\S+@\S+|[A-Za-z]+[-]?[0-9][A-Za-z0-9]*|[0-9]+[A-Za-z][A-Za-z0-9]*"
)
_OWN_LABEL = re.compile(r"^\S{1,3}[.)।]\s")


def bangla_text(text: str) -> str:
    """Free text in NFC with its digits in Bangla (DESIGN.md §6), except in Latin words and addresses."""
    text = unicodedata.normalize("NFC", text)
    parts = []
    last = 0
    for match in _LATIN_TOKEN.finditer(text):
        parts.append(to_bangla_digits(text[last : match.start()]))
        parts.append(match.group(0))
        last = match.end()
    parts.append(to_bangla_digits(text[last:]))
    return "".join(parts)


def _plain_number(value: Decimal) -> str:
    """A number as people write it, grouped, in Bangla digits, without trailing zeros: ৩, ৮২.৫, ১২,৩৪৫."""
    return format_number(scoring.round2(value).normalize())


def value_text(value: Decimal | datetime.date | None, unit: str) -> str:
    """A target or achievement in a table cell: ০৫/০৭/২০২৩, ৮২%, ১২,৩৪৫; a blank level is "--"."""
    if value is None:
        return "--"
    if isinstance(value, datetime.date):
        return format_date_short(value)
    text = _plain_number(value)
    return f"{text}%" if unit == scoring.Unit.PERCENT else text


UNIT_BN = {scoring.Unit.DATE: "তারিখ", scoring.Unit.PERCENT: "%", scoring.Unit.NUMBER: "সংখ্যা"}


@dataclass
class EvidenceRef:
    evidence: Evidence
    page: str  # the absolute page on which it starts, Bangla digits ("—" before the page count is known)


@dataclass
class TableRow:
    indicator: Indicator
    code: str
    unit: str
    weight: str
    targets: list[str]
    quarters: list[str]  # the achievement of each quarter shown
    achievement: str
    marks: str
    applicable: bool
    remark: str
    evidence: list[EvidenceRef]
    first_in_area: bool = False
    first_in_activity: bool = False
    area_rows: int = 0
    activity_rows: int = 0

    @property
    def area_serial(self) -> str:
        return to_bangla_digits(self.indicator.activity.area.code)

    @property
    def area_label(self) -> str:
        area = self.indicator.activity.area
        return f"{format_code(area.code)} {bangla_text(area.title)}"

    @property
    def activity_label(self) -> str:
        activity = self.indicator.activity
        return f"{format_code(activity.code)} {bangla_text(activity.title)}"

    @property
    def indicator_label(self) -> str:
        return f"{self.code} {bangla_text(self.indicator.title)}"

    @property
    def area_marks(self) -> str:
        return _plain_number(self.indicator.activity.area.marks)


@dataclass
class AreaTotal:
    code: str
    title: str
    marks: str
    achieved: str
    applicable: str


@dataclass
class IndexRow:
    """One evidence line of the সূচীপত্র, with the cells it opens for area, activity and indicator."""

    ref: EvidenceRef
    area: object
    activity: object
    indicator: Indicator
    area_rows: int = 0
    activity_rows: int = 0
    indicator_rows: int = 0

    @property
    def area_label(self) -> str:
        return f"{format_code(self.area.code)} {bangla_text(self.area.title)}"

    @property
    def activity_label(self) -> str:
        return f"{format_code(self.activity.code)} {bangla_text(self.activity.title)}"

    @property
    def indicator_label(self) -> str:
        return f"{format_code(self.indicator.code)} {bangla_text(self.indicator.title)}"

    @property
    def title(self) -> str:
        return bangla_text(self.ref.evidence.title)


@dataclass
class IntroBlock:
    kind: str  # heading, paragraph, bullets, ongoing, future
    text: str = ""
    items: list[tuple[bool, str]] = field(default_factory=list)  # (carries its own label, text)


@dataclass
class InitiativeRow:
    serial: str
    initiative: Initiative
    status: str
    when: str

    @property
    def details(self) -> str:
        return bangla_text(self.initiative.details)


def _completion_bn(initiative: Initiative) -> str:
    if initiative.completion_text.strip():
        return bangla_text(initiative.completion_text.strip())
    if initiative.completion_date is not None:
        return format_date_long(initiative.completion_date)
    return ""


def _remark(indicator: Indicator, quarter: int) -> str:
    """The quarters' remarks up to the report's quarter; with the quarter's ordinal when there are several."""
    remarks = [(p.quarter, p.remark.strip()) for p in indicator.progress.all() if p.quarter <= quarter]
    remarks = [(q, text) for q, text in remarks if text]
    if len(remarks) == 1:
        return bangla_text(remarks[0][1])
    return " ".join(f"{QUARTER_ORDINALS_BN[q - 1]}: {bangla_text(text)}" for q, text in remarks)


def _runs(keys: list) -> list[tuple[int, int]]:
    """(start, length) of each run of equal neighbouring keys: the rows one spanning cell covers."""
    runs: list[tuple[int, int]] = []
    for index, key in enumerate(keys):
        if index and key == keys[index - 1]:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((index, 1))
    return runs


def _in_table_order(indicators: list[Indicator]) -> list[Indicator]:
    """Area → activity → indicator, so that every area's and activity's rows are together."""
    return sorted(
        indicators,
        key=lambda i: (
            i.activity.area.position,
            i.activity.area_id,
            i.activity.position,
            i.activity_id,
            i.position,
        ),
    )


def _page_text(evidence: Evidence, start_pages: dict[int, int] | None) -> str:
    if start_pages is None or evidence.pk not in start_pages:
        return "—"
    return to_bangla_digits(start_pages[evidence.pk])


def _table(
    plan: ActionPlan,
    kind: ReportKind,
    quarter: int,
    evidence: list[Evidence],
    start_pages: dict[int, int] | None,
) -> dict:
    indicators = _in_table_order(plan_indicators(plan))
    areas = list(plan.areas.order_by("position"))
    result = scoring.score_plan(
        [scoring.AreaInput(code=a.code, marks=a.marks) for a in areas],
        [indicator_scoring_input(i) for i in indicators],
        up_to_quarter=quarter,
    )
    scores = {s.code: s for s in result.indicators}
    refs: dict[int, list[EvidenceRef]] = {}
    for item in evidence:
        refs.setdefault(item.indicator_id, []).append(EvidenceRef(item, _page_text(item, start_pages)))
    shown_quarters = list(range(1, quarter + 1))

    rows: list[TableRow] = []
    for indicator in indicators:
        score = scores[indicator.code]
        unit = scoring.Unit(indicator.unit)
        values = {p.quarter: p.value for p in indicator.progress.all()}
        remark = _remark(indicator, quarter)
        if not indicator.applicable:
            reason = bangla_text(indicator.not_applicable_reason.strip())
            remark = f"{NOT_APPLICABLE_BN}: {reason}" if reason else f"{NOT_APPLICABLE_BN}।"
        rows.append(
            TableRow(
                indicator=indicator,
                code=format_code(indicator.code),
                unit=UNIT_BN[unit],
                weight=_plain_number(indicator.weight),
                targets=[value_text(indicator.target(level), unit) for level in scoring.LEVEL_PERCENTS],
                quarters=[
                    value_text(values.get(q), unit) if values.get(q) is not None else ""
                    for q in shown_quarters
                ],
                achievement=value_text(score.achievement, unit) if score.achievement is not None else "",
                marks=format_marks(score.achieved_marks) if score.achieved_marks is not None else "",
                applicable=indicator.applicable,
                remark=remark,
                evidence=refs.get(indicator.pk, []),
            )
        )
    # Area and activity cells span their rows (seed 000).
    for start, length in _runs([r.indicator.activity.area_id for r in rows]):
        rows[start].first_in_area, rows[start].area_rows = True, length
    for start, length in _runs([r.indicator.activity_id for r in rows]):
        rows[start].first_in_activity, rows[start].activity_rows = True, length

    area_scores = {s.code: s for s in result.areas}
    totals = [
        AreaTotal(
            code=format_code(a.code),
            title=bangla_text(a.title),
            marks=_plain_number(a.marks),
            achieved=format_marks(area_scores[a.code].achieved_marks),
            applicable=_plain_number(area_scores[a.code].applicable_weight),
        )
        for a in areas
    ]
    headers = [f"{QUARTER_ORDINALS_BN[q - 1]} ত্রৈমাসিক" for q in shown_quarters]
    to_date = {
        ReportKind.ANNUAL: "বার্ষিক অর্জন",
        ReportKind.HALF_YEARLY: "অর্ধবার্ষিক অর্জন",
    }.get(kind, "এ পর্যন্ত অর্জন")
    columns = 12 + len(shown_quarters) + 3
    return {
        "rows": rows,
        "area_totals": totals,
        "quarter_headers": headers,
        "to_date_header": to_date,
        "column_numbers": [to_bangla_digits(n) for n in range(1, columns + 1)],
        "columns": columns,
        "score": {
            "total_weight": _plain_number(result.total_weight),
            "applicable_weight": _plain_number(result.applicable_weight),
            "achieved": format_marks(result.achieved_marks),
            "percent": format_percent(result.percent, decimals=2),
            "scaled": format_marks(result.scaled_marks),
        },
    }


def _index(evidence: list[Evidence], start_pages: dict[int, int] | None) -> list[IndexRow]:
    rows = [
        IndexRow(
            ref=EvidenceRef(item, _page_text(item, start_pages)),
            area=item.indicator.activity.area,
            activity=item.indicator.activity,
            indicator=item.indicator,
        )
        for item in evidence
    ]
    for start, length in _runs([r.area.pk for r in rows]):
        rows[start].area_rows = length
    for start, length in _runs([r.activity.pk for r in rows]):
        rows[start].activity_rows = length
    for start, length in _runs([r.indicator.pk for r in rows]):
        rows[start].indicator_rows = length
    return rows


# The markers that place the initiatives tables inside the introduction.
ONGOING_MARKERS = {"[[চলমান উদ্যোগ]]", "[[ongoing]]"}
FUTURE_MARKERS = {"[[ভবিষ্যৎ কর্মপরিকল্পনা]]", "[[future]]"}


def introduction_blocks(text: str) -> list[IntroBlock]:
    """The introduction's light markup: "## " starts a heading, "- " a bullet, a blank line ends a
    paragraph; a line ``[[চলমান উদ্যোগ]]`` or ``[[ভবিষ্যৎ কর্মপরিকল্পনা]]`` places that initiatives table."""
    blocks: list[IntroBlock] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(IntroBlock("paragraph", text=" ".join(paragraph)))
            paragraph.clear()

    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
        elif line in ONGOING_MARKERS or line in FUTURE_MARKERS:
            flush()
            blocks.append(IntroBlock("ongoing" if line in ONGOING_MARKERS else "future"))
        elif line.startswith("## "):
            flush()
            blocks.append(IntroBlock("heading", text=bangla_text(line[3:].strip())))
        elif line.startswith("- "):
            flush()
            item = bangla_text(line[2:].strip())
            # An item that carries its own label ("ক. …", "১) …") gets no bullet.
            entry = (bool(_OWN_LABEL.match(item)), item)
            if blocks and blocks[-1].kind == "bullets":
                blocks[-1].items.append(entry)
            else:
                blocks.append(IntroBlock("bullets", items=[entry]))
        else:
            paragraph.append(bangla_text(line))
    flush()
    return blocks


def _initiatives(plan: ActionPlan) -> tuple[list[InitiativeRow], list[InitiativeRow]]:
    items = list(Initiative.objects.filter(plan=plan).order_by("position", "pk"))
    current = [i for i in items if i.kind in (InitiativeKind.ONGOING, InitiativeKind.COMPLETED)]
    future = [i for i in items if i.kind == InitiativeKind.FUTURE]
    current_rows = [
        InitiativeRow(
            serial=ordinal_serial(n),
            initiative=i,
            status=InitiativeKind(i.kind).label,
            when=_completion_bn(i),
        )
        for n, i in enumerate(current, start=1)
    ]
    future_rows = [
        InitiativeRow(serial=ordinal_serial(n), initiative=i, status="", when=_completion_bn(i))
        for n, i in enumerate(future, start=1)
    ]
    return current_rows, future_rows


def _website(url: str) -> str:
    """https://mofa.gov.bd/ → www.mofa.gov.bd, as letterheads print it."""
    if not url:
        return ""
    host = urlsplit(url if "//" in url else f"//{url}").hostname or url
    if not host.startswith("www.") and host.count(".") <= 2:
        host = f"www.{host}"
    return host


def _lines(text: str) -> list[str]:
    return [bangla_text(line.strip()) for line in text.splitlines() if line.strip()]


def _letter_context(letter: CoverLetter, office: Office, *, draft: bool) -> dict:
    day = letter.letter_date or timezone.localdate()
    number = memo_number(letter)
    if letter.memo_serial is None and not draft:
        # A final copy printed before approval took a serial: a blank to number by hand, not "খসড়া".
        number = number.removesuffix(DRAFT_MARK_BN) + "........"
    return {
        "letter": letter,
        "memo_number": number,
        "date_bangla": f"{to_bangla_date(day)} {BANGABDA}",
        "date_gregorian": f"{format_date_long(day)} {KHRISTABDA}",
        "subject": bangla_text(letter.subject),
        "body": bangla_text(letter.body),
        "attachments": bangla_text(letter.attachments.strip()),
        "signatory_name": bangla_text(letter.signatory_name.strip()),
        "designation_lines": _lines(letter.signatory_designation),
        "recipient_lines": _lines(letter.recipient),
        "attention": bangla_text(letter.attention.strip()),
        "copies": [
            (ordinal_serial(n), line if line.endswith(("।", ".")) else f"{line}।")
            for n, line in enumerate(_lines(letter.copies), start=1)
        ],
        "address_lines": _lines(office.address_bn),
        "website": _website(office.website),
    }


@functools.cache
def draft_watermark_uri() -> str:
    """The draft mark as an SVG data URI: "খসড়া" drawn as glyph outlines of the shipped bold Bangla font,
    turned −35°, light red.

    Shapes, not text: a rotated word in the text layer comes back from ``pdftotext`` as loose letters mixed
    into the lines around it, which would break searching and copying the page's real text. The word is
    in the page header as text as well. Each glyph is taken from the font's cmap (ড় is one precomposed
    glyph, া follows its consonant), so this word needs no shaping engine.
    """
    from urllib.parse import quote

    from fontTools.pens.svgPathPen import SVGPathPen
    from fontTools.pens.transformPen import TransformPen
    from fontTools.ttLib import TTFont

    font_path = finders.find("fonts/NotoSansBengali-Bold.ttf")
    font = TTFont(font_path)
    cmap, glyphs, metrics = font.getBestCmap(), font.getGlyphSet(), font["hmtx"]
    word = "\u0996\u09b8\u09dc\u09be"  # খ স ড় া
    pen = SVGPathPen(glyphs)
    x = 0
    for char in word:
        name = cmap[ord(char)]
        glyphs[name].draw(TransformPen(pen, (1, 0, 0, -1, x, 0)))
        x += metrics[name][0]
    ascent, descent = 1000, 300
    width, height = x, ascent + descent
    side = int(((width**2 + height**2) ** 0.5) * 1.05)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" width="{side}" height="{side}">'
        f'<g transform="translate({side / 2} {side / 2}) rotate(-35) translate({-width / 2} {(ascent - descent) / 2})">'
        f'<path d="{pen.getCommands()}" fill="#c0392b" fill-opacity="0.13"/></g></svg>'
    )
    return "data:image/svg+xml," + quote(svg)


def _report_css() -> str:
    path = finders.find("css/report.css")
    return Path(path).read_text(encoding="utf-8") if path else ""


def report_html(
    plan: ActionPlan,
    kind: str,
    quarter: int,
    *,
    draft: bool,
    evidence_start_pages: dict[int, int] | None,
    evidence: list[Evidence] | None = None,
) -> str:
    """The generated part of a report as one HTML document (templates under ``reports/pdf/``).

    ``evidence_start_pages`` maps an evidence id to the absolute page on which it starts in the final PDF;
    ``None`` (the first pass, before the generated part's length is known) prints "—" instead.
    """
    kind = report_kind(kind)
    quarter = report_quarter(kind, quarter)
    plan = ActionPlan.objects.select_related("office__parent", "fiscal_year").get(pk=plan.pk)
    office = plan.office
    period = period_for(plan, quarter)
    period.plan = plan
    letter = cover_letter_for(period)
    if evidence is None:
        evidence = report_evidence(plan, kind, quarter)
    start_year = plan.fiscal_year.start_year
    title1, title2 = report_title_bn(plan, kind, quarter)
    first, last = report_span(start_year, kind, quarter)
    # The letter goes with the report it forwards: Q2's letter forwards the half-yearly, Q4's the annual.
    with_letter = kind == ReportKind.COVER_LETTER or period_report_kind(quarter) == kind
    context = {
        "plan": plan,
        "office": office,
        "parent": office.parent,
        "kind": kind.value,
        "quarter": quarter,
        "draft": draft,
        "draft_mark": DRAFT_MARK_BN,
        "css": _report_css(),
        "title_line1": title1,
        "title_line2": title2,
        "team": TEAM_NAME_BN,
        "with_letter": with_letter,
        "letter_only": kind == ReportKind.COVER_LETTER,
        "table_caption": (
            f"{office.name_bn} - {PLAN_NAME_BN} {to_bangla_digits(f'{start_year}-{start_year + 1}')} "
            f"{_assessment_bn(kind, quarter)} প্রতিবেদন ({_month_year_bn(first)} - {_month_year_bn(last)})"
        ),
        "targets_header": f"লক্ষ্যমাত্রা {to_bangla_digits(f'{start_year}-{start_year + 1}')}",
        "levels": [
            (scoring.LEVEL_NAMES_BN[level], format_percent(level)) for level in scoring.LEVEL_PERCENTS
        ],
        "annual": kind == ReportKind.ANNUAL,
        "assessment_title": f"{_assessment_bn(kind, quarter)} স্ব-মূল্যায়ন প্রতিবেদন",
        "watermark_uri": draft_watermark_uri() if draft else "",
    }
    context.update(_letter_context(letter, office, draft=draft))
    if kind != ReportKind.COVER_LETTER:
        context["table"] = _table(plan, kind, quarter, evidence, evidence_start_pages)
        context["index_rows"] = _index(evidence, evidence_start_pages)
        if evidence and evidence_start_pages:
            context["annex_first_page"] = _page_text(evidence[0], evidence_start_pages)
    if kind == ReportKind.ANNUAL:
        introduction = Introduction.objects.filter(plan=plan).first()
        blocks = introduction_blocks(introduction.text if introduction else "")
        current, future = _initiatives(plan)
        # Tables the text does not place go after it.
        if current and not any(b.kind == "ongoing" for b in blocks):
            blocks += [IntroBlock("heading", text="চলমান ও সমাপ্ত উদ্যোগ"), IntroBlock("ongoing")]
        if future and not any(b.kind == "future" for b in blocks):
            blocks += [IntroBlock("heading", text="ভবিষ্যৎ কর্মপরিকল্পনা"), IntroBlock("future")]
        context.update({"intro_blocks": blocks, "current_initiatives": current, "future_initiatives": future})
    return render_to_string("reports/pdf/report.html", context)


# ---------------------------------------------------------------------------------------------------------
# Rendering


@dataclass(frozen=True)
class RenderedReport:
    pdf: bytes
    pages: int
    sha256: str


MAX_PASSES = 5

#: The first guess at the generated part's length, by kind (the demo's lengths: annual 10, half-yearly and
#: quarterly 5 pages). See ``_generated_part``: a wrong guess costs one more layout, never a wrong number.
_FIRST_GUESS = {ReportKind.ANNUAL: 10, ReportKind.HALF_YEARLY: 5, ReportKind.QUARTERLY: 5}


def evidence_start_pages(
    evidence: list[Evidence], pages_per_item: list[int], generated_pages: int
) -> dict[int, int]:
    """Where each evidence starts: right after the generated part, after the ones before it."""
    starts: dict[int, int] = {}
    page = generated_pages + 1
    for item, count in zip(evidence, pages_per_item, strict=True):
        starts[item.pk] = page
        page += count
    return starts


def annex_stamps(evidence: list[Evidence], pages_per_item: list[int], generated_pages: int) -> list[str]:
    """One stamp per annex page: "পৃষ্ঠা N · [code]", N the absolute page number in Bangla digits."""
    from reports.annex import stamp_label

    stamps = []
    page = generated_pages + 1
    for item, count in zip(evidence, pages_per_item, strict=True):
        for _ in range(count):
            stamps.append(stamp_label(page, item.indicator.code))
            page += 1
    return stamps


def render_report(
    plan: ActionPlan,
    kind: str,
    quarter: int | None,
    *,
    draft: bool,
    on_progress: ProgressCallback | None = None,
) -> RenderedReport:
    """Render a report to PDF (DESIGN.md §6).

    Every evidence starts at P + 1 + the pages of the ones before it, P the generated part's page count;
    the evidence's own page counts are those stored when it was uploaded (``annex.evidence_page_count``),
    so the index is numbered without opening the files. The generated part is laid out until the numbers
    it prints are those of its own length (``_generated_part``; usually one or two layouts) and written
    once. The whole PDF is then assembled in one pass, the generated part in front of the evidence
    (``annex.annex_pdf(…, front=…)``: its title, metadata, outline and links kept), and every annex page
    stamped with its absolute page number — the number the index prints. Evidence is copied, never
    re-rendered.

    ``draft`` decides the "খসড়া" mark: callers pass ``True`` unless the period is approved
    (``period_is_final``) and this is the copy kept at approval.
    """
    from reports import annex

    reached = [0]

    def progress(percent: int, step: str) -> None:
        reached[0] = max(reached[0], percent)  # never backwards, even when the report is numbered again
        if on_progress is not None:
            on_progress(reached[0], step)

    kind = report_kind(kind)
    quarter = report_quarter(kind, quarter)
    progress(2, "প্রমাণক তালিকা তৈরি হচ্ছে")
    evidence = report_evidence(plan, kind, quarter)
    # Nothing in the HTML is relative today (the stylesheet is inlined, the draft mark a data URI); a base
    # URL keeps a future image or stylesheet reference inside the project's static folder.
    base_url = Path(finders.find("css/report.css") or ".").resolve().parent.parent.as_uri() + "/"
    pages_per_item = [annex.evidence_page_count(item) for item in evidence]

    for _ in range(2):
        generated, pages = _generated_part(
            plan,
            kind,
            quarter,
            draft=draft,
            evidence=evidence,
            pages_per_item=pages_per_item,
            base_url=base_url,
            progress=progress,
        )
        if not evidence:
            final, total = generated, pages
            break
        progress(70, f"{to_bangla_digits(len(evidence))}টি প্রমাণক একত্র করা হচ্ছে")
        final, counts = annex.annex_pdf(evidence, front=generated)
        del generated
        if list(counts) == pages_per_item:
            progress(85, "প্রমাণকের পাতায় পৃষ্ঠা নম্বর বসানো হচ্ছে")
            final = annex.stamp_pages(final, annex_stamps(evidence, pages_per_item, pages), first_index=pages)
            total = pages + sum(pages_per_item)
            break
        # A stored page count that is not what the file gives now (not expected: both are pypdf's count of
        # the same bytes): number again from the pages the annex really took.
        logger.warning(
            "Evidence page counts %s stored, %s in the annex; numbering the report again",
            pages_per_item,
            list(counts),
        )
        pages_per_item = list(counts)
    else:
        raise RuntimeError("the evidence page counts did not settle; the index would be wrong")
    progress(100, "সম্পন্ন")
    return RenderedReport(pdf=final, pages=total, sha256=hashlib.sha256(final).hexdigest())


def _generated_part(
    plan: ActionPlan,
    kind: ReportKind,
    quarter: int,
    *,
    draft: bool,
    evidence: list[Evidence],
    pages_per_item: list[int],
    base_url: str,
    progress: ProgressCallback,
) -> tuple[bytes, int]:
    """The generated part as PDF, with its page count.

    Each layout prints the evidence pages for a length of the generated part: first a guess
    (``_FIRST_GUESS``), then the length the previous layout came out with. A layout that comes out as long as
    the length its numbers were printed for is right, and only that one is written to PDF (the layouts
    before it are not drawn). Real numbers from the first layout on, rather than a placeholder ("—"), keep
    the width of what the next layout prints: it differs in the digits, not in how many there are (unless
    a start page crosses ১০ or ১০০), so in practice the second layout comes out as long as the first and
    none is needed after it. The loop checks that all the same.
    """
    from reports import pdf

    if not evidence:
        progress(10, "প্রতিবেদন তৈরি হচ্ছে")
        html = report_html(plan, kind, quarter, draft=draft, evidence_start_pages=None, evidence=evidence)
        document = pdf.html_to_document(html, base_url=base_url)
        progress(60, "পিডিএফ লেখা হচ্ছে")
        return document.write_pdf(), len(document.pages)

    pages = _FIRST_GUESS.get(kind, 1)
    for attempt in range(MAX_PASSES):
        progress(
            min(55, 10 + 15 * attempt),
            f"পৃষ্ঠা নম্বরসহ প্রতিবেদন তৈরি হচ্ছে (ধাপ {to_bangla_digits(attempt + 1)})",
        )
        starts = evidence_start_pages(evidence, pages_per_item, pages)
        html = report_html(plan, kind, quarter, draft=draft, evidence_start_pages=starts, evidence=evidence)
        document = None  # the previous layout is no longer needed: let it go before the next one is made
        document = pdf.html_to_document(html, base_url=base_url)
        if len(document.pages) == pages:
            progress(60, "পিডিএফ লেখা হচ্ছে")
            return document.write_pdf(), pages
        pages = len(document.pages)
    raise RuntimeError("the generated part's page count did not settle; the index would be wrong")


def period_is_final(plan: ActionPlan, quarter: int) -> bool:
    """Approved, sent or accepted: its report carries no draft mark."""
    return period_for(plan, quarter).state in FINAL_STATES


# ---------------------------------------------------------------------------------------------------------
# Report contents from a file (the demo: apa_tracker/demo/mofa-2022-23/report.json)


@transaction.atomic
def report_contents_load(*, plan: ActionPlan, path: Path) -> None:
    """Cover letters, introduction, initiatives and the memo counter of a plan from a JSON file.

    Keys: ``memo_serial_last`` (the office's last memo serial of the year), ``cover_letters`` (per quarter;
    fields not given keep the defaults of ``cover_letter_for``), ``introduction`` (a list of lines) and
    ``initiatives`` (kind, title, details, completion_text, completion_date). Loading again overwrites the
    letters' given fields and the introduction, and replaces the initiatives.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if "memo_serial_last" in data:
        MemoSerial.objects.update_or_create(
            office_id=plan.office_id,
            fiscal_year_id=plan.fiscal_year_id,
            defaults={"last": int(data["memo_serial_last"])},
        )
    for item in data.get("cover_letters", []):
        item = dict(item)
        letter = cover_letter_for(period_for(plan, int(item.pop("quarter"))))
        for name, value in item.items():
            if name == "letter_date":
                value = datetime.date.fromisoformat(value) if value else None
            elif isinstance(value, list):
                value = "\n".join(value)
            setattr(letter, name, value)
        letter.full_clean()
        letter.save()
    if "introduction" in data:
        text = data["introduction"]
        Introduction.objects.update_or_create(
            plan=plan, defaults={"text": "\n".join(text) if isinstance(text, list) else text}
        )
    if "initiatives" in data:
        Initiative.objects.filter(plan=plan).delete()
        for position, item in enumerate(data["initiatives"], start=1):
            initiative = Initiative(
                plan=plan,
                kind=item["kind"],
                title=item["title"],
                details=item.get("details", ""),
                completion_text=item.get("completion_text", ""),
                completion_date=(
                    datetime.date.fromisoformat(item["completion_date"])
                    if item.get("completion_date")
                    else None
                ),
                position=position,
            )
            initiative.full_clean()
            initiative.save()


__all__ = [
    "RenderedReport",
    "cover_letter_for",
    "memo_number",
    "memo_serial_take",
    "period_is_final",
    "render_report",
    "report_contents_load",
    "report_evidence",
    "report_html",
]


def assessment_table(plan: ActionPlan, kind: str, quarter: int | None = None) -> dict:
    """The self-assessment table of a report (rows, area totals, headers, plan score) — the same data the
    PDF's table shows, for the Excel export."""
    report = report_kind(kind)
    quarter = report_quarter(report, quarter)
    return _table(plan, report, quarter, report_evidence(plan, report, quarter), None)
