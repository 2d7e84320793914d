"""Achieved marks for e-Governance and Innovation Action Plan indicators: the single source of truth.

Every achieved mark the application shows — on screen, in exports and in the PDFs — is computed here
and nowhere else. The module is deliberately pure: plain functions over ``Decimal`` and
``datetime.date``, no Django imports and no ORM, so the rules can be read, tested and reused
(views, reports, management commands) without a database.

The pipeline for one indicator is:

1. :func:`annual_achievement` — the annual (or to-date) achievement from the quarterly values;
2. :func:`raw_score` / :func:`explain_score` — the score in percent from the achievement and the five
   target levels: 0 or 60..100 for the five-level methods (the APA rule), anything from 0 to 100 for
   ``proportional`` (the annex plans' own evaluation text sets no floor);
3. :func:`indicator_marks` — ``weight × raw / 100`` from the raw score as printed (rounded half-up to two
   decimals first), the product rounded half-up to two decimals (DESIGN.md §3.3).

:func:`score_plan` adds the marks up per performance area and for the whole plan, leaving
not-applicable indicators out, and scales the result back to the plan's total weight.
:func:`check_targets` validates a set of targets before it is saved, with Bangla and English messages.

Values are ``Decimal`` for the units ``number`` and ``percent`` and ``date`` for the unit ``date``.
For convenience ``int`` is accepted wherever a ``Decimal`` is expected and a ``datetime`` is reduced to
its date (dates are compared as whole days); ``float``, ``bool`` and non-finite decimals are refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum
from itertools import pairwise

from base.bangla import to_bangla_digits

__all__ = [
    "LEVEL_PERCENTS",
    "AreaInput",
    "AreaScore",
    "CalcMethod",
    "Direction",
    "ExplanationKind",
    "IndicatorInput",
    "IndicatorScore",
    "PlanScore",
    "ScoreExplanation",
    "ScoringMethod",
    "TargetProblem",
    "Targets",
    "Unit",
    "Value",
    "annual_achievement",
    "check_targets",
    "explain_score",
    "indicator_marks",
    "raw_score",
    "round2",
    "score_indicator",
    "score_plan",
]


class Unit(StrEnum):
    DATE = "date"
    PERCENT = "percent"
    NUMBER = "number"


class CalcMethod(StrEnum):
    SUM = "sum"
    AVERAGE = "average"
    CUMULATIVE = "cumulative"
    DATE = "date"


class ScoringMethod(StrEnum):
    INTERPOLATE = "interpolate"
    PROPORTIONAL = "proportional"
    THRESHOLD = "threshold"
    STEP = "step"


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


Value = Decimal | date

# The five target levels of the APA / action-plan format, best first.
LEVEL_PERCENTS: tuple[int, ...] = (100, 90, 80, 70, 60)

# APA guideline: a score below the 60% level ("চলতি মানের নিম্নে") earns zero marks — for the five-level
# methods; `proportional` follows the annex plans' own text ("লক্ষ্যমাত্রা ভিত্তিক সমানুপাতিক হারে নম্বর প্রাপ্ত
# হবে"), which sets no floor (DESIGN.md §3.2).
PASS_PERCENT = Decimal(60)
#: Which version of the scoring rules computed a set of marks: an approval records it, so that marks approved
#: under earlier rules are compared with the data, not with today's rules (DESIGN.md §3; issue 17 changed
#: `proportional` and the rounding of marks).
RULES = "2026-12"
FULL_PERCENT = Decimal(100)
ZERO = Decimal(0)
ZERO_MARKS = Decimal("0.00")
QUARTERS: tuple[int, ...] = (1, 2, 3, 4)

LEVEL_NAMES_BN: dict[int, str] = {
    100: "অসাধারণ",
    90: "অতি উত্তম",
    80: "উত্তম",
    70: "চলতি মান",
    60: "চলতি মানের নিম্নে",
}
LEVEL_NAMES_EN: dict[int, str] = {
    100: "Excellent",
    90: "Very good",
    80: "Good",
    70: "Fair",
    60: "Poor",
}


@dataclass(frozen=True)
class Targets:
    """The targets of one indicator; t100 is required for a score, the lower levels may be blank (None).
    A plan started from a template has indicators whose t100 is not written yet: they get no score
    (``score_indicator``) and the plan says it is incomplete (``PlanScore.missing_targets``)."""

    t100: Value | None
    t90: Value | None = None
    t80: Value | None = None
    t70: Value | None = None
    t60: Value | None = None

    def levels(self) -> list[tuple[Decimal, Value]]:
        """The defined levels only, best first, as ``(percent, target)`` with the percent a Decimal."""
        values = (self.t100, self.t90, self.t80, self.t70, self.t60)
        return [
            (Decimal(percent), value)
            for percent, value in zip(LEVEL_PERCENTS, values, strict=True)
            if value is not None
        ]


class ExplanationKind(StrEnum):
    """Why an indicator got its raw score (the UI turns this into a sentence)."""

    NO_ACHIEVEMENT = "no_achievement"
    AT_OR_BETTER_THAN_BEST = "at_or_better_than_best"
    AT_LEVEL = "at_level"
    BETWEEN_LEVELS = "between_levels"
    BELOW_LOWEST = "below_lowest"
    PROPORTIONAL = "proportional"
    THRESHOLD_MET = "threshold_met"
    THRESHOLD_MISSED = "threshold_missed"
    STEP_LEVEL = "step_level"
    NO_TARGETS = "no_targets"


@dataclass(frozen=True)
class ScoreExplanation:
    """The rule that produced a raw score and the one or two levels involved, as ``(percent, target)``."""

    kind: ExplanationKind
    level_hi: tuple[Decimal, Value] | None = None
    level_lo: tuple[Decimal, Value] | None = None


@dataclass(frozen=True)
class TargetProblem:
    """One problem found by :func:`check_targets`."""

    level: int | None  # 100/90/80/70/60, or None when it concerns the indicator as a whole
    message_bn: str
    message_en: str
    is_error: bool = True  # False: a warning only, the targets may still be saved
    # For a whole-indicator problem, the setting at fault: "calc_method" or "scoring" (sheet column names).
    field: str | None = None


@dataclass(frozen=True)
class IndicatorInput:
    code: str
    area_code: str
    unit: Unit
    weight: Decimal
    calc_method: CalcMethod
    scoring_method: ScoringMethod
    direction: Direction
    targets: Targets
    quarterly: Mapping[int, Value | None]
    applicable: bool = True


@dataclass(frozen=True)
class IndicatorScore:
    code: str
    area_code: str
    unit: Unit
    weight: Decimal
    applicable: bool
    achievement: Value | None  # None when nothing was reported
    raw_score: Decimal | None  # rounded to 2 decimals; None when not applicable or without targets
    achieved_marks: Decimal | None  # None when not applicable or without targets
    explanation: ScoreExplanation | None  # None when not applicable


@dataclass(frozen=True)
class AreaInput:
    code: str
    marks: Decimal


@dataclass(frozen=True)
class AreaScore:
    code: str
    marks: Decimal
    achieved_marks: Decimal
    applicable_weight: Decimal


@dataclass(frozen=True)
class PlanScore:
    total_weight: Decimal
    applicable_weight: Decimal
    achieved_marks: Decimal
    percent: Decimal
    scaled_marks: Decimal
    areas: tuple[AreaScore, ...]
    indicators: tuple[IndicatorScore, ...]
    # Codes of applicable indicators without a 100% target: the plan is incomplete, its marks are not final
    # (their weight counts as applicable, so leaving a target blank never raises the percent).
    missing_targets: tuple[str, ...] = ()

    @property
    def is_complete(self) -> bool:
        return not self.missing_targets


# --------------------------------------------------------------------------------------------------
# Value coercion
# --------------------------------------------------------------------------------------------------


def _as_decimal(value: object, what: str) -> Decimal:
    """``value`` as a finite Decimal (int accepted); ValueError for dates, floats, bools and the rest."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValueError(f"{what} must be a Decimal, got {value!r}")
    result = Decimal(value)
    if not result.is_finite():
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    return result


def _as_date(value: object, what: str) -> date:
    """``value`` as a date; a datetime is reduced to its date because dates count in whole days."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise ValueError(f"{what} must be a date, got {value!r}")


def _coerce(value: object, unit: Unit, what: str) -> Value:
    return _as_date(value, what) if unit is Unit.DATE else _as_decimal(value, what)


def goodness(value: Value, unit: Unit, direction: Direction) -> Decimal:
    """A number that grows as ``value`` gets better.

    Earlier is better for dates whatever the direction (counted in whole days); for numbers and
    percents larger is better with direction ``higher`` and smaller with ``lower``.
    """
    if unit is Unit.DATE:
        assert isinstance(value, date)
        return Decimal(-value.toordinal())
    assert isinstance(value, Decimal)
    return value if direction is Direction.HIGHER else -value


def _check_quarter(up_to_quarter: int) -> None:
    if isinstance(up_to_quarter, bool) or not isinstance(up_to_quarter, int) or up_to_quarter not in QUARTERS:
        raise ValueError(f"up_to_quarter must be 1, 2, 3 or 4, got {up_to_quarter!r}")


# --------------------------------------------------------------------------------------------------
# Achievement
# --------------------------------------------------------------------------------------------------


def annual_achievement(
    calc_method: CalcMethod, quarterly: Mapping[int, Value | None], up_to_quarter: int = 4
) -> Value | None:
    """The annual (or to-date) achievement from the quarterly values; None when nothing was reported.

    Only quarters 1..``up_to_quarter`` count (2 for the half-yearly report); blank quarters are ignored.
    ``sum`` adds the values, ``average`` takes their exact mean, ``cumulative`` takes the latest value
    (each quarter reports the running total) and ``date`` the earliest date.
    """
    calc_method = CalcMethod(calc_method)
    _check_quarter(up_to_quarter)
    for quarter in quarterly:
        if isinstance(quarter, bool) or not isinstance(quarter, int) or quarter not in QUARTERS:
            raise ValueError(f"quarter must be 1, 2, 3 or 4, got {quarter!r}")

    reported: list[Value] = []
    for quarter in sorted(quarterly):
        value = quarterly[quarter]
        if value is None:
            continue
        what = f"Q{quarter} value"
        if calc_method is CalcMethod.DATE:
            checked: Value = _as_date(value, what)
        elif isinstance(value, date):
            raise ValueError(f"{what} is a date but the calculation method is {calc_method.value}")
        else:
            checked = _as_decimal(value, what)
        # Quarters after up_to_quarter are validated but not used.
        if quarter <= up_to_quarter:
            reported.append(checked)

    if not reported:
        return None
    if calc_method is CalcMethod.DATE:
        return min(value for value in reported if isinstance(value, date))
    numbers = [value for value in reported if isinstance(value, Decimal)]
    if calc_method is CalcMethod.SUM:
        return sum(numbers, ZERO)
    if calc_method is CalcMethod.AVERAGE:
        return sum(numbers, ZERO) / len(numbers)
    return numbers[-1]  # CUMULATIVE: the latest quarter already holds the running total


# --------------------------------------------------------------------------------------------------
# Raw score
# --------------------------------------------------------------------------------------------------


def _valid_levels(unit: Unit, direction: Direction, targets: Targets) -> list[tuple[Decimal, Value]]:
    """The defined levels with checked types; ValueError when they are not ordered best to worst."""
    if targets.t100 is None:
        raise ValueError("the 100% target (t100) is required")
    levels = [(percent, _coerce(value, unit, f"{percent}% target")) for percent, value in targets.levels()]
    for (p_hi, t_hi), (p_lo, t_lo) in pairwise(levels):
        if goodness(t_lo, unit, direction) > goodness(t_hi, unit, direction):
            raise ValueError(
                f"targets out of order: the {p_lo}% target {t_lo} is better than the {p_hi}% target {t_hi} "
                "(check_targets reports this)"
            )
    return levels


def explain_score(
    *,
    unit: Unit,
    targets: Targets,
    achievement: Value | None,
    scoring_method: ScoringMethod = ScoringMethod.INTERPOLATE,
    direction: Direction = Direction.HIGHER,
) -> tuple[Decimal, ScoreExplanation]:
    """The unrounded raw score in percent (0 or 60..100; any from 0 to 100 for ``proportional``) and the rule
    that produced it.

    Raises ValueError for a type mismatch between unit, targets and achievement, for targets out of
    order and for proportional scoring of dates.
    """
    unit = Unit(unit)
    scoring_method = ScoringMethod(scoring_method)
    direction = Direction(direction)
    if unit is Unit.DATE and scoring_method is ScoringMethod.PROPORTIONAL:
        raise ValueError("proportional scoring is not defined for dates")
    levels = _valid_levels(unit, direction, targets)

    # No achievement reported: nothing to score.
    if achievement is None:
        return ZERO, ScoreExplanation(ExplanationKind.NO_ACHIEVEMENT)
    achieved = _coerce(achievement, unit, "achievement")

    if scoring_method is ScoringMethod.PROPORTIONAL:
        raw, explanation = _proportional(achieved, levels[0], direction)
    else:
        good = goodness(achieved, unit, direction)
        if scoring_method is ScoringMethod.THRESHOLD:
            raw, explanation = _threshold(good, levels[0], unit, direction)
        elif scoring_method is ScoringMethod.STEP:
            raw, explanation = _step(good, levels, unit, direction)
        else:
            raw, explanation = _interpolate(good, levels, unit, direction)

    # All methods: never above 100. The five-level methods give 0 or a level's percent (60..100) by
    # construction — the APA rule: below the 60% level scores zero; `proportional` has no floor, as the annex
    # plans' own evaluation text says (2 of 4 trainings earn half the weight).
    return min(raw, FULL_PERCENT), explanation


def _interpolate(
    good: Decimal, levels: list[tuple[Decimal, Value]], unit: Unit, direction: Direction
) -> tuple[Decimal, ScoreExplanation]:
    # As good as or better than the 100% target: 100, never more.
    if good >= goodness(levels[0][1], unit, direction):
        return FULL_PERCENT, ScoreExplanation(ExplanationKind.AT_OR_BETTER_THAN_BEST, level_hi=levels[0])
    for hi, lo in pairwise(levels):
        g_hi = goodness(hi[1], unit, direction)
        g_lo = goodness(lo[1], unit, direction)
        # Exactly on a level: that level's percent. Levels are visited best first, so when two levels
        # share a value the higher percent wins.
        if good == g_lo:
            return lo[0], ScoreExplanation(ExplanationKind.AT_LEVEL, level_hi=lo)
        # Strictly between two adjacent defined levels: linear interpolation,
        # p_lo + (p_hi - p_lo) × (a - t_lo) / (t_hi - t_lo), in "goodness" units (days for dates), which
        # is the same formula for direction lower because numerator and denominator both change sign.
        if g_lo < good < g_hi:
            raw = lo[0] + (hi[0] - lo[0]) * (good - g_lo) / (g_hi - g_lo)
            return raw, ScoreExplanation(ExplanationKind.BETWEEN_LEVELS, level_hi=hi, level_lo=lo)
    # APA guideline: worse than the lowest defined level scores zero.
    return ZERO, ScoreExplanation(ExplanationKind.BELOW_LOWEST, level_lo=levels[-1])


def _proportional(
    achieved: Value, best: tuple[Decimal, Value], direction: Direction
) -> tuple[Decimal, ScoreExplanation]:
    assert isinstance(achieved, Decimal)
    target = best[1]
    assert isinstance(target, Decimal)
    if achieved < ZERO or target < ZERO:
        raise ValueError("proportional scoring needs a non-negative achievement and 100% target")
    if direction is Direction.HIGHER:
        # 100 × min(a / t100, 1); a zero target is met by any (non-negative) achievement.
        ratio = Decimal(1) if target == ZERO else min(achieved / target, Decimal(1))
    else:
        # Lower is better: 100 × min(t100 / a, 1); an achievement of zero is the best possible.
        ratio = Decimal(1) if achieved == ZERO else min(target / achieved, Decimal(1))
    return FULL_PERCENT * ratio, ScoreExplanation(ExplanationKind.PROPORTIONAL, level_hi=best)


def _threshold(
    good: Decimal, best: tuple[Decimal, Value], unit: Unit, direction: Direction
) -> tuple[Decimal, ScoreExplanation]:
    # All or nothing: 100 when the 100% target is met, else 0.
    if good >= goodness(best[1], unit, direction):
        return FULL_PERCENT, ScoreExplanation(ExplanationKind.THRESHOLD_MET, level_hi=best)
    return ZERO, ScoreExplanation(ExplanationKind.THRESHOLD_MISSED, level_hi=best)


def _step(
    good: Decimal, levels: list[tuple[Decimal, Value]], unit: Unit, direction: Direction
) -> tuple[Decimal, ScoreExplanation]:
    # The percent of the best level reached, no interpolation.
    for level in levels:
        if good >= goodness(level[1], unit, direction):
            return level[0], ScoreExplanation(ExplanationKind.STEP_LEVEL, level_hi=level)
    return ZERO, ScoreExplanation(ExplanationKind.BELOW_LOWEST, level_lo=levels[-1])


def raw_score(
    *,
    unit: Unit,
    targets: Targets,
    achievement: Value | None,
    scoring_method: ScoringMethod = ScoringMethod.INTERPOLATE,
    direction: Direction = Direction.HIGHER,
) -> Decimal:
    """The unrounded raw score in percent: 0, or between 60 and 100 (from 0 to 100 for ``proportional``).
    See :func:`explain_score`."""
    raw, _ = explain_score(
        unit=unit,
        targets=targets,
        achievement=achievement,
        scoring_method=scoring_method,
        direction=direction,
    )
    return raw


# --------------------------------------------------------------------------------------------------
# Marks
# --------------------------------------------------------------------------------------------------

_CENT = Decimal("0.01")


def round2(value: Decimal) -> Decimal:
    """``value`` rounded half-up (commercial rounding, not banker's) to 2 decimals: 46.635 → 46.64."""
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def indicator_marks(weight: Decimal, raw: Decimal) -> Decimal:
    """Achieved marks of one indicator (DESIGN.md §3.3): ``weight × raw / 100`` with ``raw`` first rounded
    half-up to 2 decimals, as it is printed, and the product rounded half-up to 2 decimals — so a reader who
    checks a row by hand gets the printed marks (raw 60.50 % of weight 1 is 0.61, never 0.60).

    With both factors at two decimals the product is exact; marks never exceed a weight of at most two
    decimals.
    """
    weight = _as_decimal(weight, "weight")
    raw = _as_decimal(raw, "raw score")
    if weight < ZERO:
        raise ValueError(f"weight must not be negative, got {weight}")
    if not ZERO <= raw <= FULL_PERCENT:
        raise ValueError(f"raw score must be between 0 and 100, got {raw}")
    with localcontext() as context:
        context.prec = 60  # weight × printed raw exactly
        return round2(weight * round2(raw) / FULL_PERCENT)


def score_indicator(indicator: IndicatorInput, up_to_quarter: int = 4) -> IndicatorScore:
    """Achievement, raw score, marks and explanation of one indicator up to ``up_to_quarter``.

    A not-applicable indicator keeps its achievement (if any was reported) but gets no raw score,
    no marks and no explanation.
    """
    unit = Unit(indicator.unit)
    calc_method = CalcMethod(indicator.calc_method)
    # Unit date goes with the date calculation method and no other.
    if (unit is Unit.DATE) != (calc_method is CalcMethod.DATE):
        raise ValueError(
            f"indicator {indicator.code}: unit {unit.value} cannot use calculation method {calc_method.value}"
        )
    weight = _as_decimal(indicator.weight, f"indicator {indicator.code} weight")
    if weight < ZERO:
        raise ValueError(f"indicator {indicator.code}: weight must not be negative, got {weight}")
    achievement = annual_achievement(calc_method, indicator.quarterly, up_to_quarter)
    if not indicator.applicable:
        return IndicatorScore(
            code=indicator.code,
            area_code=indicator.area_code,
            unit=unit,
            weight=weight,
            applicable=False,
            achievement=achievement,
            raw_score=None,
            achieved_marks=None,
            explanation=None,
        )
    if indicator.targets.t100 is None:
        # Not scored silently: no raw score and no marks, and the reason says why (issue 13).
        return IndicatorScore(
            code=indicator.code,
            area_code=indicator.area_code,
            unit=unit,
            weight=weight,
            applicable=True,
            achievement=achievement,
            raw_score=None,
            achieved_marks=None,
            explanation=ScoreExplanation(kind=ExplanationKind.NO_TARGETS),
        )
    raw, explanation = explain_score(
        unit=unit,
        targets=indicator.targets,
        achievement=achievement,
        scoring_method=indicator.scoring_method,
        direction=indicator.direction,
    )
    return IndicatorScore(
        code=indicator.code,
        area_code=indicator.area_code,
        unit=unit,
        weight=weight,
        applicable=True,
        achievement=achievement,
        raw_score=round2(raw),
        achieved_marks=indicator_marks(weight, raw),  # from the raw as printed
        explanation=explanation,
    )


def score_plan(
    areas: Sequence[AreaInput], indicators: Sequence[IndicatorInput], up_to_quarter: int = 4
) -> PlanScore:
    """Marks per area and for the whole plan; not-applicable indicators count neither in marks nor weight.

    ``percent`` is ``achieved / applicable weight`` (2 decimals) and ``scaled_marks`` applies that percent
    to the total weight of all indicators, so a plan is not penalised for indicators that do not apply.
    """
    _check_quarter(up_to_quarter)
    area_codes = [area.code for area in areas]
    if len(set(area_codes)) != len(area_codes):
        raise ValueError(f"duplicate area codes in {area_codes}")
    scores = tuple(score_indicator(indicator, up_to_quarter) for indicator in indicators)

    achieved_by_area: dict[str, Decimal] = {code: ZERO_MARKS for code in area_codes}
    weight_by_area: dict[str, Decimal] = {code: ZERO for code in area_codes}
    total_weight = ZERO
    for score in scores:
        if score.area_code not in achieved_by_area:
            raise ValueError(f"indicator {score.code}: unknown area {score.area_code!r}")
        total_weight += score.weight
        if score.applicable:
            if score.achieved_marks is not None:  # None: no targets yet (counted in missing_targets)
                achieved_by_area[score.area_code] += score.achieved_marks
            weight_by_area[score.area_code] += score.weight

    area_scores = tuple(
        AreaScore(
            code=area.code,
            marks=area.marks,
            achieved_marks=achieved_by_area[area.code],
            applicable_weight=weight_by_area[area.code],
        )
        for area in areas
    )
    achieved = sum((area.achieved_marks for area in area_scores), ZERO_MARKS)
    applicable_weight = sum((area.applicable_weight for area in area_scores), ZERO)
    if applicable_weight == ZERO:
        percent = ZERO_MARKS
    else:
        percent = round2(FULL_PERCENT * achieved / applicable_weight)
    # Scaled with the already rounded (2-decimal) percent, as printed on the report.
    scaled = round2(percent * total_weight / FULL_PERCENT)
    return PlanScore(
        total_weight=total_weight,
        applicable_weight=applicable_weight,
        achieved_marks=achieved,
        percent=percent,
        scaled_marks=scaled,
        areas=area_scores,
        indicators=scores,
        missing_targets=tuple(
            s.code
            for s in scores
            if s.explanation is not None and s.explanation.kind is ExplanationKind.NO_TARGETS
        ),
    )


# --------------------------------------------------------------------------------------------------
# Target validation
# --------------------------------------------------------------------------------------------------


def _level_bn(percent: int) -> str:
    return f"{LEVEL_NAMES_BN[percent]} ({to_bangla_digits(percent)}%)"


def _level_en(percent: int) -> str:
    return f"{LEVEL_NAMES_EN[percent]} ({percent}%)"


def _format_value(value: Value, unit: Unit) -> str:
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    text = format(value, "f")
    return f"{text}%" if unit is Unit.PERCENT else text


def _format_bn(value: Value, unit: Unit) -> str:
    return to_bangla_digits(_format_value(value, unit))


def check_targets(
    *,
    unit: Unit,
    calc_method: CalcMethod,
    scoring_method: ScoringMethod,
    direction: Direction,
    targets: Targets,
    fiscal_year_start: date | None = None,
    fiscal_year_end: date | None = None,
) -> list[TargetProblem]:
    """Every problem with an indicator's targets (empty when all is well), in a stable order.

    Problems with the indicator as a whole come first (``level`` None), then type and sign errors
    level by level from 100% down, then ordering errors, then the warnings.

    Errors: a missing 100% target, a target of the wrong type for the unit, a negative number or
    percent, levels out of order (each level from 100% down to 60% must be equal to or worse than the
    one above it), unit date without calculation method date or the other way round, and proportional
    scoring of dates. Warning only: a date target outside the fiscal year.
    """
    unit = Unit(unit)
    calc_method = CalcMethod(calc_method)
    scoring_method = ScoringMethod(scoring_method)
    direction = Direction(direction)
    if fiscal_year_start is not None and fiscal_year_end is not None and fiscal_year_start > fiscal_year_end:
        raise ValueError(f"fiscal year starts {fiscal_year_start} after it ends {fiscal_year_end}")

    problems: list[TargetProblem] = []

    # Unit date goes with calculation method date and no other, both ways.
    if unit is Unit.DATE and calc_method is not CalcMethod.DATE:
        problems.append(
            TargetProblem(
                None,
                "একক 'তারিখ' হলে অর্জন গণনার পদ্ধতিও 'তারিখ' হতে হবে।",
                f"An indicator with unit date must use the date calculation method, not {calc_method.value}.",
                field="calc_method",
            )
        )
    if calc_method is CalcMethod.DATE and unit is not Unit.DATE:
        problems.append(
            TargetProblem(
                None,
                "অর্জন গণনার পদ্ধতি 'তারিখ' কেবল 'তারিখ' এককের সূচকে ব্যবহার করা যায়।",
                f"The date calculation method can only be used with unit date, not {unit.value}.",
                field="calc_method",
            )
        )
    # Proportional scoring divides achievement by target, which means nothing for dates.
    if unit is Unit.DATE and scoring_method is ScoringMethod.PROPORTIONAL:
        problems.append(
            TargetProblem(
                None,
                "তারিখ এককের সূচকে আনুপাতিক নম্বর পদ্ধতি ব্যবহার করা যায় না।",
                "Proportional scoring cannot be used with unit date.",
                field="scoring",
            )
        )

    # The 100% target is required.
    if targets.t100 is None:
        problems.append(
            TargetProblem(
                100,
                f"{_level_bn(100)}-এর লক্ষ্যমাত্রা দিতে হবে।",
                f"The {_level_en(100)} target is required.",
            )
        )

    # Each target must have the unit's type; numbers and percents must not be negative.
    typed: list[tuple[int, Value]] = []
    for percent_d, raw_value in targets.levels():
        percent = int(percent_d)
        try:
            value = _coerce(raw_value, unit, "target")
        except ValueError:
            kind_bn, kind_en = ("একটি তারিখ", "a date") if unit is Unit.DATE else ("একটি সংখ্যা", "a number")
            problems.append(
                TargetProblem(
                    percent,
                    f"{_level_bn(percent)}-এর লক্ষ্যমাত্রা {kind_bn} হতে হবে।",
                    f"The {_level_en(percent)} target must be {kind_en}, got {raw_value!r}.",
                )
            )
            continue
        if isinstance(value, Decimal) and value < ZERO:
            problems.append(
                TargetProblem(
                    percent,
                    f"{_level_bn(percent)}-এর লক্ষ্যমাত্রা {_format_bn(value, unit)} ঋণাত্মক; "
                    "লক্ষ্যমাত্রা শূন্য বা তার বেশি হতে হবে।",
                    f"The {_level_en(percent)} target {_format_value(value, unit)} is negative; "
                    "targets must be zero or more.",
                )
            )
        typed.append((percent, value))

    # Order: from 100% down to 60%, each defined target equal to or worse than the one before it
    # (dates: the same day or later, whatever the direction).
    if unit is Unit.DATE:
        better_en = "earlier (better)"
    elif direction is Direction.HIGHER:
        better_en = "higher (better)"
    else:
        better_en = "lower (better)"
    for (p_hi, t_hi), (p_lo, t_lo) in pairwise(typed):
        if goodness(t_lo, unit, direction) > goodness(t_hi, unit, direction):
            problems.append(
                TargetProblem(
                    p_lo,
                    f"লক্ষ্যমাত্রার ক্রম ভুল: {_level_bn(p_lo)}-এর লক্ষ্যমাত্রা {_format_bn(t_lo, unit)}, "
                    f"যা {_level_bn(p_hi)}-এর {_format_bn(t_hi, unit)}-এর চেয়ে ভালো; "
                    "প্রতিটি নিচের স্তর আগেরটির সমান বা খারাপ হতে হবে।",
                    f"Targets out of order: the {_level_en(p_lo)} target {_format_value(t_lo, unit)} is "
                    f"{better_en} than the {_level_en(p_hi)} target {_format_value(t_hi, unit)}; "
                    "each lower level must be equal to or worse than the one above it.",
                )
            )

    # Warning only: a date target outside the fiscal year is allowed but probably a typo.
    if unit is Unit.DATE:
        for percent, value in typed:
            assert isinstance(value, date)
            if fiscal_year_start is not None and value < fiscal_year_start:
                problems.append(
                    TargetProblem(
                        percent,
                        f"{_level_bn(percent)}-এর লক্ষ্যমাত্রা {_format_bn(value, unit)} অর্থবছর শুরুর "
                        f"({_format_bn(fiscal_year_start, unit)}) আগে।",
                        f"The {_level_en(percent)} target {_format_value(value, unit)} is before the start "
                        f"of the fiscal year ({_format_value(fiscal_year_start, unit)}).",
                        is_error=False,
                    )
                )
            if fiscal_year_end is not None and value > fiscal_year_end:
                problems.append(
                    TargetProblem(
                        percent,
                        f"{_level_bn(percent)}-এর লক্ষ্যমাত্রা {_format_bn(value, unit)} অর্থবছর শেষের "
                        f"({_format_bn(fiscal_year_end, unit)}) পরে।",
                        f"The {_level_en(percent)} target {_format_value(value, unit)} is after the end "
                        f"of the fiscal year ({_format_value(fiscal_year_end, unit)}).",
                        is_error=False,
                    )
                )
    return problems
