"""Bangla words for values and scores: "why this score" (e.g. "৮২%: ৮০% (অতি উত্তম) ও ৮৫% (অসাধারণ)-এর মধ্যে → ৯৪%")."""

from __future__ import annotations

import datetime
from decimal import Decimal

from base.bangla import format_date_short, format_percent, to_bangla_digits
from indicators import scoring
from indicators.parsing import plain_number
from indicators.scoring import LEVEL_NAMES_BN, ExplanationKind


def value_bn(value: Decimal | datetime.date | None, unit: str) -> str:
    """An achievement or target as people write it: ০৫/০৭/২০২৩, ৮২%, ৩."""
    if value is None:
        return "—"
    if isinstance(value, datetime.date):
        return format_date_short(value)
    number = to_bangla_digits(plain_number(scoring.round2(value)))
    return f"{number}%" if unit == scoring.Unit.PERCENT else number


def _level(level: tuple[Decimal, scoring.Value] | None, unit: str) -> str:
    if level is None:
        return ""
    percent, target = level
    return f"{value_bn(target, unit)} ({LEVEL_NAMES_BN[int(percent)]})"


def score_reason_bn(score: scoring.IndicatorScore) -> str:
    """One line saying how the raw score came about, for the plan page."""
    explanation = score.explanation
    if explanation is None:
        return "প্রযোজ্য নয়"
    unit = score.unit
    achieved = value_bn(score.achievement, unit)
    raw = format_percent(score.raw_score) if score.raw_score is not None else ""
    hi, lo = _level(explanation.level_hi, unit), _level(explanation.level_lo, unit)
    match explanation.kind:
        case ExplanationKind.NO_TARGETS:
            return "লক্ষ্যমাত্রা লেখা হয়নি → নম্বর হিসাব হয়নি"
        case ExplanationKind.NO_ACHIEVEMENT:
            return "কোনো অর্জন লেখা হয়নি → ০"
        case ExplanationKind.AT_OR_BETTER_THAN_BEST:
            return f"{achieved}: {hi or lo}-এর সমান বা ভালো → {raw}"
        case ExplanationKind.AT_LEVEL | ExplanationKind.STEP_LEVEL:
            return f"{achieved}: {hi or lo} স্তর → {raw}"
        case ExplanationKind.BETWEEN_LEVELS:
            return f"{achieved}: {lo} ও {hi}-এর মধ্যে → {raw}"
        case ExplanationKind.BELOW_LOWEST:
            return f"{achieved}: সর্বনিম্ন স্তর {lo or hi}-এর চেয়েও খারাপ → ০"
        case ExplanationKind.PROPORTIONAL:
            return f"{achieved}: লক্ষ্যমাত্রা {hi or lo}-এর সমানুপাতিক হারে → {raw}"
        case ExplanationKind.THRESHOLD_MET:
            return f"{achieved}: {hi or lo} অর্জিত → {raw}"
        case ExplanationKind.THRESHOLD_MISSED:
            return f"{achieved}: {hi or lo} অর্জিত হয়নি → ০"
    return raw
