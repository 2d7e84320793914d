"""The self-assessment table and the evidence index of a report (DESIGN.md §6): the evidence in index order,
the table's rows with their marks as the scoring service computes them, and the same table as data for the
XLSX download (``assessment_table``).
"""

from __future__ import annotations

import datetime
import logging
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from base.bangla import (
    QUARTER_ORDINALS_BN,
    format_code,
    format_date_short,
    format_marks,
    format_number,
    format_percent,
    to_bangla_digits,
)
from evidence.models import Evidence
from indicators import scoring
from indicators.models import (
    ActionPlan,
    Indicator,
)
from indicators.scores import indicator_scoring_input, plan_indicators
from reports.letter import NOT_APPLICABLE_BN, report_kind, report_quarter
from reports.models import ReportKind

logger = logging.getLogger(__name__)


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


# A run of ASCII digits that belongs to a Latin word (GPT-4, G2G, ibas++ 2) or to an address stays as typed.
_LATIN_TOKEN = re.compile(
    r"(?:https?://|www\.)\S+|\S+@\S+|[A-Za-z]+[-]?[0-9][A-Za-z0-9]*|[0-9]+[A-Za-z][A-Za-z0-9]*"
)


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


def text_lines(text: str) -> list[str]:
    """A multi-line field (an address, a designation, a copy list, a paragraph per line) as its non-empty
    lines, each as :func:`bangla_text`."""
    return [bangla_text(line.strip()) for line in text.splitlines() if line.strip()]


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


@dataclass
class EvidenceRef:
    evidence: Evidence
    page: str  # the absolute page on which it starts, Bangla digits ("—" before the page count is known)
    #: Its start page less the generated part's length, when the PDF prints the number itself
    #: (``reports.rendering``: a target-counter on the generated part's last page, shifted by this).
    offset: int | None = None


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
    def area_code(self) -> str:
        return format_code(self.indicator.activity.area.code)

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


def page_text(evidence: Evidence, start_pages: dict[int, int] | None) -> str:
    if start_pages is None or evidence.pk not in start_pages:
        return "—"
    return to_bangla_digits(start_pages[evidence.pk])


def table_rows(
    plan: ActionPlan,
    kind: ReportKind,
    quarter: int,
    evidence: list[Evidence],
    start_pages: dict[int, int] | None,
    offsets: dict[int, int] | None = None,
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
        refs.setdefault(item.indicator_id, []).append(
            EvidenceRef(item, page_text(item, start_pages), (offsets or {}).get(item.pk))
        )
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
                unit=indicator.unit_text,
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
        "groups": activity_groups(rows),
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


@dataclass
class ActivityGroup:
    """The rows of one activity: a ``<tbody>`` the PDF never breaks (issue 15.4), so the activity's cells
    never run over a page break. The area's cells span each group's rows; a group that is not the area's
    first repeats the area's code, shown only when the group starts a page (``reports.table_print``)."""

    rows: list[TableRow]
    first_in_area: bool
    last_in_area: bool


def activity_groups(rows: list[TableRow]) -> list[ActivityGroup]:
    groups: list[ActivityGroup] = []
    for start, length in _runs([r.indicator.activity_id for r in rows]):
        group_rows = rows[start : start + length]
        area = group_rows[0].indicator.activity.area_id
        groups.append(
            ActivityGroup(
                rows=group_rows,
                first_in_area=start == 0 or rows[start - 1].indicator.activity.area_id != area,
                last_in_area=start + length == len(rows)
                or rows[start + length].indicator.activity.area_id != area,
            )
        )
    return groups


def index_rows(
    evidence: list[Evidence], start_pages: dict[int, int] | None, offsets: dict[int, int] | None = None
) -> list[IndexRow]:
    rows = [
        IndexRow(
            ref=EvidenceRef(item, page_text(item, start_pages), (offsets or {}).get(item.pk)),
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


def assessment_table(plan: ActionPlan, kind: str, quarter: int | None = None) -> dict:
    """The self-assessment table of a report (rows, area totals, headers, plan score) — the same data the
    PDF's table shows, for the Excel export."""
    report = report_kind(kind)
    quarter = report_quarter(report, quarter)
    return table_rows(plan, report, quarter, report_evidence(plan, report, quarter), None)
