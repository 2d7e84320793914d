"""The review of child offices (issue 16.3, DESIGN.md §8 `render_report --kind subordinate-review --quarter N`).

The plan's own indicators ask a parent office to review its child offices' half-yearly (or any quarter's)
self-assessments (`[২.২.৪]`-style) — today a Word table retyped from the reports received. Here it is made
from the data: per child office the state of its report for the quarter, sent on time or late, the marks
and percent the approval recorded, the indicators below 60 %, and the reviewer's comments, with a
forwarding letter, as a PDF that can become evidence of the parent's own indicator.

What a reviewer may see (DESIGN.md §4): nothing of a child's report before it is sent. A report still inside
its office is listed as "not received" with no figures; marks are the approval's snapshot (the truth of an
approved period), never recomputed here. Lateness follows the inbox and the summary: first submitted to
the CIO after the period's deadline.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from base.bangla import (
    BANGABDA,
    KHRISTABDA,
    fiscal_year_label,
    format_date_long,
    format_date_short,
    format_marks,
    format_percent,
    ordinal_serial,
    to_bangla_date,
    to_bangla_digits,
)
from base.errors import DomainError
from indicators.models import (
    VISIBLE_TO_REVIEWER_STATES,
    FiscalYear,
    Indicator,
    Office,
    PeriodState,
    PeriodTransition,
    ReportingPeriod,
)
from reports.document import report_css
from reports.finishing import FinishedPdf, render_document, seal_block
from reports.letter import (
    DEFAULT_CIO_DESIGNATION,
    HEAD_OF_OFFICE_BN,
    PLAN_NAME_BN,
    assessment_bn,
    cio_name,
    genitive_bn,
    period_report_kind,
)
from reports.signing import signing_enabled
from reports.table import bangla_text, text_lines

#: APA guideline: below the lowest level (চলতি মানের নিম্নে, 60 %) an indicator needs attention.
ATTENTION_BELOW = Decimal(60)


@dataclass
class WeakIndicator:
    code: str
    title: str
    raw_score: str


@dataclass
class ChildRow:
    serial: str
    office: Office
    state: str
    received: bool
    #: The child office has a plan of the year (its reporting periods exist).
    has_plan: bool = False
    submitted_on: datetime.date | None = None
    deadline: datetime.date | None = None
    sent_on: datetime.date | None = None
    late: bool | None = None
    marks: str = ""
    total: str = ""
    percent: str = ""
    percent_value: Decimal | None = None
    weak: list[WeakIndicator] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    # The PDF prints Bangla whatever the language of the request that made it: no template filter here.
    @property
    def deadline_text(self) -> str:
        return format_date_short(self.deadline) if self.deadline else "—"

    @property
    def submitted_text(self) -> str:
        return format_date_short(self.submitted_on) if self.submitted_on else "—"

    @property
    def timeliness(self) -> str:
        if self.late is None:
            return "—"
        return "বিলম্বে" if self.late else "যথাসময়ে"


@dataclass
class SubordinateReview:
    office: Office
    fiscal_year: FiscalYear
    quarter: int
    rows: list[ChildRow]

    @property
    def received(self) -> list[ChildRow]:
        return [row for row in self.rows if row.received]

    @property
    def late(self) -> list[ChildRow]:
        return [row for row in self.received if row.late]

    @property
    def average_percent(self) -> Decimal | None:
        values = [row.percent_value for row in self.received if row.percent_value is not None]
        if not values:
            return None
        return (sum(values) / len(values)).quantize(Decimal("0.01"))


def _quarter(quarter: int | None) -> int:
    if quarter not in (1, 2, 3, 4):
        raise DomainError(
            "অধীন দপ্তরের পর্যালোচনার জন্য ত্রৈমাসিক (১-৪) দিন।",
            "The review of child offices needs a quarter (1-4).",
        )
    return quarter


def _children(office: Office) -> list[Office]:
    return list(Office.objects.filter(parent=office).order_by("name_bn", "code"))


def _first_submitted(transitions: list[PeriodTransition]) -> datetime.datetime | None:
    times = [t.at for t in transitions if t.to_state == PeriodState.SUBMITTED]
    return min(times) if times else None


def _last_sent(transitions: list[PeriodTransition]) -> datetime.datetime | None:
    times = [t.at for t in transitions if t.to_state == PeriodState.SENT]
    return max(times) if times else None


def _reviewer_comments(transitions: list[PeriodTransition]) -> list[str]:
    """The higher office's words on the report: comments of its acceptances and returns of a sent report."""
    return [
        bangla_text(t.comment.strip())
        for t in sorted(transitions, key=lambda t: (t.at, t.pk))
        if t.from_state == PeriodState.SENT and t.comment.strip()
    ]


def _weak_indicators(snapshot: dict, titles: dict[str, str]) -> list[WeakIndicator]:
    weak = []
    for item in snapshot.get("indicators", []):
        raw = item.get("raw_score")
        if not item.get("applicable", True) or raw is None or Decimal(raw) >= ATTENTION_BELOW:
            continue
        code = item["code"]
        weak.append(WeakIndicator(to_bangla_digits(code), titles.get(code, ""), format_percent(Decimal(raw))))
    return weak


def subordinate_review(office: Office, fiscal_year: FiscalYear, quarter: int) -> SubordinateReview:
    """Every child office's report of ``quarter`` as ``office``'s reviewers may see it (a handful of queries
    whatever the number of children)."""
    quarter = _quarter(quarter)
    children = _children(office)
    periods = {
        period.plan.office_id: period
        for period in ReportingPeriod.objects.filter(
            plan__office__in=children, plan__fiscal_year=fiscal_year, quarter=quarter
        )
        .select_related("plan")
        .prefetch_related(Prefetch("transitions", queryset=PeriodTransition.objects.order_by("at", "pk")))
    }
    plan_ids = [period.plan_id for period in periods.values() if period.state in VISIBLE_TO_REVIEWER_STATES]
    titles: dict[int, dict[str, str]] = {}
    for plan_id, code, title in Indicator.objects.filter(plan_id__in=plan_ids).values_list(
        "plan_id", "code", "title"
    ):
        titles.setdefault(plan_id, {})[code] = bangla_text(title)
    rows = []
    for n, child in enumerate(children, start=1):
        period = periods.get(child.pk)
        row = ChildRow(serial=ordinal_serial(n), office=child, state="পরিকল্পনা নেই", received=False)
        if period is not None:
            row.has_plan = True
            row.deadline = period.deadline
            if period.state in VISIBLE_TO_REVIEWER_STATES:
                transitions = list(period.transitions.all())
                submitted = _first_submitted(transitions)
                sent = _last_sent(transitions)
                snapshot = period.score_snapshot or {}
                row.received = True
                row.state = str(PeriodState(period.state).label)
                row.submitted_on = timezone.localdate(submitted) if submitted else None
                row.sent_on = timezone.localdate(sent) if sent else None
                row.late = bool(row.submitted_on and row.submitted_on > period.deadline)
                if snapshot.get("percent") is not None:
                    row.percent_value = Decimal(snapshot["percent"])
                    row.percent = format_percent(row.percent_value)
                    row.marks = format_marks(Decimal(snapshot["achieved_marks"]))
                    row.total = format_marks(Decimal(snapshot["applicable_weight"]))
                row.weak = _weak_indicators(snapshot, titles.get(period.plan_id, {}))
                row.comments = _reviewer_comments(transitions)
            else:
                # Still inside the child office: its state there is not the parent's to know (DESIGN.md §4).
                row.state = "প্রাপ্ত হয়নি"
        rows.append(row)
    return SubordinateReview(office=office, fiscal_year=fiscal_year, quarter=quarter, rows=rows)


def review_title(review: SubordinateReview) -> str:
    kind = period_report_kind(review.quarter)
    year = fiscal_year_label(review.fiscal_year.start_year)
    return (
        f"{year} অর্থবছরের {PLAN_NAME_BN}র আওতাধীন দপ্তর/সংস্থার "
        f"{assessment_bn(kind, review.quarter)} স্ব-মূল্যায়ন প্রতিবেদন পর্যালোচনা"
    )


def subordinate_review_html(
    review: SubordinateReview, *, today: datetime.date | None = None, signature_block: dict | None = None
) -> str:
    office = review.office
    day = today or timezone.localdate()
    received, late = review.received, review.late
    average = review.average_percent
    kind = period_report_kind(review.quarter)
    year = fiscal_year_label(review.fiscal_year.start_year)
    body = (
        f"{genitive_bn(office.name_bn)} আওতাধীন {to_bangla_digits(len(review.rows))}টি দপ্তর/সংস্থার "
        f"{year} অর্থবছরের {PLAN_NAME_BN}র {assessment_bn(kind, review.quarter)} স্ব-মূল্যায়ন প্রতিবেদন "
        f"পর্যালোচনা করা হয়েছে। {to_bangla_digits(len(received))}টি প্রতিবেদন পাওয়া গেছে"
        + (f", এর মধ্যে {to_bangla_digits(len(late))}টি নির্ধারিত সময়ের পরে দাখিল হয়েছে" if late else "")
        + (f"; প্রাপ্ত প্রতিবেদনের গড় অর্জন {format_percent(average)}" if average is not None else "")
        + "। প্রতিটি দপ্তরের অবস্থা, প্রাপ্ত নম্বর, ৬০%-এর নিচে অর্জিত সূচক এবং পর্যালোচনার মন্তব্য "
        "সংযুক্ত ছকে দেওয়া হলো।"
    )
    parent = office.parent
    recipient = []
    if parent is not None:
        recipient = [HEAD_OF_OFFICE_BN.get(parent.kind, "প্রধান"), parent.wing_bn, parent.name_bn]
        recipient += parent.address_bn.splitlines()
    context = {
        "css": report_css(),
        "office": office,
        "title": review_title(review),
        "review": review,
        "quarter_label": assessment_bn(kind, review.quarter),
        "date_bangla": f"{to_bangla_date(day)} {BANGABDA}",
        "date_gregorian": f"{format_date_long(day)} {KHRISTABDA}",
        "memo_number": f"{bangla_text(office.memo_prefix)}........" if office.memo_prefix else "........",
        "body": body,
        "signatory_name": cio_name(office),
        "designation": DEFAULT_CIO_DESIGNATION,
        "recipient_lines": text_lines("\n".join(line for line in recipient if line)),
        "address_lines": text_lines(office.address_bn),
        "rows": review.rows,
        "signature_block": signature_block,
    }
    return render_to_string("reports/pdf/subordinate_review.html", context)


def render_review(
    review: SubordinateReview,
    *,
    today: datetime.date | None = None,
    signed: bool = False,
    approver=None,
) -> FinishedPdf:
    """The review as PDF (the same WeasyPrint pipeline and text layer as every report), with the whole
    document's metadata. ``signed``: the copy the office keeps (as evidence of its own indicator), signed by
    the office over the letter's signature block, ``approver`` the member keeping it."""
    if not review.rows:
        office = review.office
        raise DomainError(
            f"{office.name_bn}-এর অধীনে কোনো দপ্তর নেই; পর্যালোচনার কিছু নেই।",
            f"{office.name_en or office.code} has no child offices to review.",
        )
    office = review.office
    block = seal_block(
        office, approver=approver, when=None, signed=signed and signing_enabled(), draft=not signed
    )
    return render_document(
        subordinate_review_html(review, today=today, signature_block=block),
        office=office,
        subject=review_title(review),
        keywords=("আওতাধীন দপ্তরের স্ব-মূল্যায়ন পর্যালোচনা", fiscal_year_label(review.fiscal_year.start_year), "এপিএ"),
        sign=signed,
        reason=f"{office.name_en or office.code}: review of child offices, quarter {review.quarter}",
    )


def render_subordinate_review(
    office: Office, fiscal_year: FiscalYear, quarter: int, *, today: datetime.date | None = None
) -> FinishedPdf:
    return render_review(subordinate_review(office, fiscal_year, quarter), today=today)
