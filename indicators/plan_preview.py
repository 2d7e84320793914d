"""How each row of a plan document was read (issue 13): the preview every import shows before it writes — the
browser's upload page, the admin's import and the ``import_plan`` command alike — with the layout that was
recognised, what the reading did (notices) and the warnings, each at its row.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from base.bangla import format_code, to_bangla_digits
from indicators import scoring
from indicators.parsing import plain_number
from indicators.plan_layouts import LAYOUT_NAMES
from indicators.plan_sheet import ParsedPlan
from indicators.problems import ImportProblem
from indicators.selectors import CALC_WORDS, DIRECTION_WORDS, SCORING_WORDS

SOURCE_NAMES = {"csv": "CSV", "xlsx": "Excel (XLSX)", "docx": "Word (DOCX)"}
UNIT_KIND_WORDS = {scoring.Unit.DATE: "তারিখ", scoring.Unit.PERCENT: "শতাংশ", scoring.Unit.NUMBER: "সংখ্যা"}


@dataclass(frozen=True)
class PreviewRow:
    """One indicator as it was read: every value the import will write, in the words of the plan page."""

    row: int
    area: str
    activity: str
    code: str
    title: str
    unit: str
    weight: str
    calc_method: str
    scoring_method: str
    direction: str
    targets: tuple[str, ...]
    warnings: tuple[ImportProblem, ...] = ()


@dataclass(frozen=True)
class PlanPreview:
    layout_bn: str
    layout_en: str
    source: str
    areas: int
    activities: int
    rows: list[PreviewRow]
    notices: list[ImportProblem]
    # Warnings not at an indicator's row (a sheet's as a whole, a header's).
    other_warnings: list[ImportProblem] = field(default_factory=list)

    @property
    def warning_count(self) -> int:
        return sum(len(row.warnings) for row in self.rows) + len(self.other_warnings)


def _value(value: Decimal | datetime.date | None, unit: scoring.Unit) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime.date):
        return to_bangla_digits(value.strftime("%d/%m/%Y"))
    return to_bangla_digits(plain_number(value)) + ("%" if unit == scoring.Unit.PERCENT else "")


def plan_preview(parsed: ParsedPlan) -> PlanPreview:
    areas = {area.code: area for area in parsed.areas}
    activities = {activity.code: activity for activity in parsed.activities}
    by_row: dict[int | None, list[ImportProblem]] = {}
    for warning in parsed.warnings:
        by_row.setdefault(warning.row, []).append(warning)
    rows = []
    for indicator in parsed.indicators:
        area, activity = areas[indicator.area_code], activities[indicator.activity_code]
        kind = UNIT_KIND_WORDS[indicator.unit]
        unit = indicator.unit_label if indicator.unit_label == kind else f"{indicator.unit_label} ({kind})"
        calc = CALC_WORDS[indicator.calc_method] + (" — একক থেকে" if indicator.calc_from_unit else "")
        direction = DIRECTION_WORDS[indicator.direction]
        if indicator.direction_from_targets:
            direction += " — লক্ষ্যমাত্রা থেকে"
        rows.append(
            PreviewRow(
                row=indicator.row,
                area=f"{format_code(area.code)} {area.title} ({to_bangla_digits(plain_number(area.marks))})",
                activity=f"{format_code(activity.code)} {activity.title}",
                code=format_code(indicator.code),
                title=indicator.title,
                unit=unit,
                weight=to_bangla_digits(plain_number(indicator.weight)),
                calc_method=calc,
                scoring_method=SCORING_WORDS[indicator.scoring_method],
                direction=direction,
                targets=tuple(
                    _value(indicator.targets.get(level), indicator.unit) for level in scoring.LEVEL_PERCENTS
                ),
                warnings=tuple(by_row.pop(indicator.row, [])),
            )
        )
    layout_bn, layout_en = LAYOUT_NAMES.get(parsed.layout, ("", ""))
    return PlanPreview(
        layout_bn=layout_bn,
        layout_en=layout_en,
        source=SOURCE_NAMES.get(parsed.source, parsed.source),
        areas=len(parsed.areas),
        activities=len(parsed.activities),
        rows=rows,
        notices=list(parsed.notices),
        other_warnings=[w for warnings in by_row.values() for w in warnings],
    )


def plan_preview_lines(preview: PlanPreview, *, warnings: bool = True) -> list[str]:
    """The preview as the command prints it: the layout, the notices, one line per indicator with its row,
    and (unless ``warnings`` is False: the command writes them on stderr) each warning under its row
    (``সতর্কতা / warning``)."""
    lines = [
        f"পূর্বদর্শন / preview — {preview.layout_bn} / {preview.layout_en}"
        + (f" ({preview.source})" if preview.source else "")
    ]
    lines += [f"  তথ্য / notice — {notice}" for notice in preview.notices]
    for row in preview.rows:
        targets = " | ".join(row.targets)
        lines.append(
            f"  সারি {to_bangla_digits(row.row)} / row {row.row}: {row.code} {row.title} — একক {row.unit}; "
            f"মান {row.weight}; গণনা {row.calc_method}; নম্বর {row.scoring_method}; দিক {row.direction}; "
            f"লক্ষ্যমাত্রা {targets}"
        )
        if warnings:
            lines += [f"    সতর্কতা / warning — {warning}" for warning in row.warnings]
    if warnings:
        lines += [f"  সতর্কতা / warning — {warning}" for warning in preview.other_warnings]
    return lines
