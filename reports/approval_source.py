"""What an approval stands on (DESIGN.md §4): every piece of data the reports of a quarter print, and its digest.

The source of quarter N: the plan's areas, activities and indicators with their titles, weights, methods,
targets and applicability; the progress of quarters 1..N; the evidence the reports embed (with the files'
SHA-256); the period's cover letter and, for Q4, the introduction and initiatives. Office letterhead (name,
address) is not part of it: an office that renames itself does not change what it reported.

An approval records the digest of its source; while it stands, nothing of it may change, and a job that
renders the approval's copy, ``verify_reports`` and the stateful test compare the digest of the data now with
the recorded one.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from decimal import Decimal

from indicators.models import TARGET_LEVELS, ActionPlan, Indicator, PerformanceArea, Progress
from indicators.parsing import plain_number
from reports.letter import COVER_LETTER_FIELDS
from reports.models import CoverLetter, Initiative, Introduction, ReportKind
from reports.table import report_evidence

# Which reports an approval keeps, by quarter (DESIGN.md §4, §6): every quarter its quarterly report;
# Q2 also the half-yearly self-assessment; Q4 also the annual report and its cover letter.
APPROVAL_KINDS = {
    1: [ReportKind.QUARTERLY],
    2: [ReportKind.QUARTERLY, ReportKind.HALF_YEARLY],
    3: [ReportKind.QUARTERLY],
    4: [ReportKind.QUARTERLY, ReportKind.ANNUAL, ReportKind.COVER_LETTER],
}

#: The cover letter's fields a report prints (the memo serial and date are taken at approval).
_LETTER_FIELDS = ("memo_serial", *COVER_LETTER_FIELDS)


def _json_value(value: object) -> object:
    if isinstance(value, Decimal):
        return plain_number(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _filled(fields: dict) -> dict:
    return {key: value for key, value in fields.items() if value}


def approval_source(plan: ActionPlan, quarter: int) -> dict:
    """Everything the reports of ``quarter`` print about the plan, as plain JSON values (see the module)."""
    areas = [
        {"code": a.code, "title": a.title, "marks": _json_value(a.marks), "position": a.position}
        for a in PerformanceArea.objects.filter(plan=plan).order_by("position", "pk")
    ]
    activities = [
        {"code": a.code, "title": a.title, "area": a.area.code, "position": a.position}
        for a in plan.activities.select_related("area").order_by("position", "pk")
    ]
    indicators = [
        {
            "code": i.code,
            "title": i.title,
            "activity": i.activity.code,
            "unit": i.unit,
            "weight": _json_value(i.weight),
            "calc_method": i.calc_method,
            "scoring_method": i.scoring_method,
            "direction": i.direction,
            "targets": [_json_value(i.target(level)) for level in TARGET_LEVELS],
            "applicable": i.applicable,
            "not_applicable_reason": i.not_applicable_reason,
            "position": i.position,
            # Fields added after the first approvals were made enter the digest only when filled in, so
            # the digests of those approvals stay what they were.
            **_filled({"unit_label": i.unit_label}),
        }
        for i in Indicator.objects.filter(plan=plan).select_related("activity").order_by("position", "pk")
    ]
    progress = [
        {"indicator": code, "quarter": q, "value": _json_value(value), "remark": remark}
        for code, q, value, remark in (
            (p.indicator.code, p.quarter, p.value, p.remark)
            for p in Progress.objects.filter(indicator__plan=plan, quarter__lte=quarter)
            .recorded()
            .select_related("indicator")
            .order_by("indicator__code", "quarter")
        )
    ]
    evidence: dict[int, dict] = {}
    for kind in APPROVAL_KINDS[quarter]:
        for item in report_evidence(plan, kind, quarter):
            evidence[item.pk] = {
                "id": item.pk,
                "indicator": item.indicator.code,
                "quarter": item.quarter,
                "title": item.title,
                "sha256": item.sha256,
                "position": item.position,
            }
    letter = CoverLetter.objects.filter(period__plan=plan, period__quarter=quarter).first()
    source = {
        "areas": areas,
        "activities": activities,
        "indicators": indicators,
        "progress": progress,
        "evidence": [evidence[pk] for pk in sorted(evidence)],
        "cover_letter": (
            {name: _json_value(getattr(letter, name)) for name in _LETTER_FIELDS} if letter else None
        ),
    }
    if quarter == 4:  # the annual report carries the introduction and the initiatives
        introduction = Introduction.objects.filter(plan=plan).first()
        source["introduction"] = introduction.text if introduction else ""
        source["initiatives"] = [
            {
                "kind": i.kind,
                "title": i.title,
                "details": i.details,
                "completion_text": i.completion_text,
                "completion_date": _json_value(i.completion_date),
                "position": i.position,
            }
            for i in Initiative.objects.filter(plan=plan).order_by("kind", "position", "pk")
        ]
    return source


def source_digest(plan: ActionPlan, quarter: int) -> str:
    """The SHA-256 of ``approval_source`` in a canonical JSON form."""
    text = json.dumps(
        approval_source(plan, quarter), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(text.encode()).hexdigest()
