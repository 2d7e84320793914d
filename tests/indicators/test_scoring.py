"""Tests for indicators.scoring: the rules of achievement, raw score, marks and target validation.

Plain pytest, no Django and no database. Every test states the rule it guards in its docstring.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.scoring import (
    LEVEL_PERCENTS,
    AreaInput,
    AreaScore,
    CalcMethod,
    Direction,
    ExplanationKind,
    IndicatorInput,
    ScoreExplanation,
    ScoringMethod,
    TargetProblem,
    Targets,
    Unit,
    annual_achievement,
    check_targets,
    explain_score,
    indicator_marks,
    raw_score,
    round2,
    score_indicator,
    score_plan,
)

D = Decimal
HIGHER = Direction.HIGHER
LOWER = Direction.LOWER
FY_START = date(2022, 7, 1)
FY_END = date(2023, 6, 30)


def d(day: int, month: int, year: int = 2023) -> date:
    return date(year, month, day)


def number_raw(targets: Targets, achievement: object, **kwargs: object) -> Decimal:
    return raw_score(unit=Unit.NUMBER, targets=targets, achievement=achievement, **kwargs)  # type: ignore[arg-type]


def date_raw(targets: Targets, achievement: object, **kwargs: object) -> Decimal:
    return raw_score(unit=Unit.DATE, targets=targets, achievement=achievement, **kwargs)  # type: ignore[arg-type]


HIGH_TARGETS = Targets(D(100), D(90), D(80), D(70), D(60))
LOW_TARGETS = Targets(D(10), D(20), D(30), D(40), D(50))  # direction lower: smaller is better
DATE_TARGETS = Targets(d(10, 5), d(15, 5), d(25, 5), d(31, 5))


def indicator(
    code: str = "1.1.1",
    *,
    area_code: str = "1",
    unit: Unit = Unit.NUMBER,
    weight: str = "10",
    calc_method: CalcMethod = CalcMethod.SUM,
    scoring_method: ScoringMethod = ScoringMethod.INTERPOLATE,
    direction: Direction = HIGHER,
    targets: Targets = HIGH_TARGETS,
    quarterly: dict[int, object] | None = None,
    applicable: bool = True,
) -> IndicatorInput:
    return IndicatorInput(
        code=code,
        area_code=area_code,
        unit=unit,
        weight=D(weight),
        calc_method=calc_method,
        scoring_method=scoring_method,
        direction=direction,
        targets=targets,
        quarterly=quarterly if quarterly is not None else {},  # type: ignore[arg-type]
        applicable=applicable,
    )


def errors(problems: list[TargetProblem]) -> list[TargetProblem]:
    return [problem for problem in problems if problem.is_error]


def warnings(problems: list[TargetProblem]) -> list[TargetProblem]:
    return [problem for problem in problems if not problem.is_error]


# --------------------------------------------------------------------------------------------------
# Targets
# --------------------------------------------------------------------------------------------------


def test_level_percents_are_the_five_apa_levels_best_first() -> None:
    """The five levels are 100, 90, 80, 70 and 60 percent, best first."""
    assert LEVEL_PERCENTS == (100, 90, 80, 70, 60)


def test_targets_levels_skip_blank_levels_and_keep_order() -> None:
    """Targets.levels() lists only defined levels, in order 100..60, with Decimal percents."""
    levels = Targets(D(3), None, D(2), D(1)).levels()
    assert levels == [(D(100), D(3)), (D(80), D(2)), (D(70), D(1))]
    assert all(isinstance(percent, Decimal) for percent, _ in levels)


# --------------------------------------------------------------------------------------------------
# annual_achievement
# --------------------------------------------------------------------------------------------------


def test_sum_adds_the_quarters_that_have_a_value() -> None:
    """sum: the sum of the reported quarters; blank and absent quarters are ignored."""
    assert annual_achievement(CalcMethod.SUM, {1: D(1), 2: None, 4: D("2.5")}) == D("3.5")


def test_average_is_the_mean_of_reported_quarters_only() -> None:
    """average: the mean over the quarters that have a value, not over four."""
    assert annual_achievement(CalcMethod.AVERAGE, {1: D(80), 2: None, 3: D(83)}) == D("81.5")


def test_average_keeps_full_decimal_precision() -> None:
    """average: not rounded — 1, 1, 2 averages to 4/3 at full Decimal precision."""
    result = annual_achievement(CalcMethod.AVERAGE, {1: D(1), 2: D(1), 3: D(2)})
    assert result == D(4) / D(3)
    assert result != round2(D(4) / D(3))


def test_cumulative_takes_the_latest_reported_quarter() -> None:
    """cumulative: each quarter reports the running total, so the latest reported value is the total."""
    assert annual_achievement(CalcMethod.CUMULATIVE, {1: D(10), 2: D(25), 3: D(40), 4: D(50)}) == D(50)


def test_cumulative_skips_a_blank_latest_quarter() -> None:
    """cumulative: a blank Q4 falls back to the latest quarter that has a value, not to the largest."""
    assert annual_achievement(CalcMethod.CUMULATIVE, {1: D(30), 2: D(20), 3: D(25), 4: None}) == D(25)


def test_date_takes_the_earliest_reported_date() -> None:
    """date: the earliest date reported in any quarter."""
    quarterly = {2: d(20, 5), 3: d(10, 3), 4: d(8, 5)}
    assert annual_achievement(CalcMethod.DATE, quarterly) == d(10, 3)


@pytest.mark.parametrize(
    ("calc_method", "expected"),
    [
        (CalcMethod.SUM, D(3)),
        (CalcMethod.AVERAGE, D("1.5")),
        (CalcMethod.CUMULATIVE, D(2)),
    ],
)
def test_up_to_quarter_ignores_later_quarters(calc_method: CalcMethod, expected: Decimal) -> None:
    """Only quarters 1..up_to_quarter count (half-yearly: 2)."""
    quarterly = {1: D(1), 2: D(2), 3: D(100), 4: D(1000)}
    assert annual_achievement(calc_method, quarterly, up_to_quarter=2) == expected


def test_up_to_quarter_ignores_later_dates() -> None:
    """date: an earlier date reported after up_to_quarter is not used."""
    quarterly = {1: None, 2: d(20, 12, 2022), 3: d(1, 11, 2022)}
    assert annual_achievement(CalcMethod.DATE, quarterly, up_to_quarter=2) == d(20, 12, 2022)


@pytest.mark.parametrize("calc_method", list(CalcMethod))
def test_no_reported_value_gives_no_achievement(calc_method: CalcMethod) -> None:
    """No value in any (counted) quarter: the achievement is None."""
    assert annual_achievement(calc_method, {}) is None
    assert annual_achievement(calc_method, {1: None, 2: None, 3: None, 4: None}) is None


def test_values_only_after_up_to_quarter_give_no_achievement() -> None:
    """A value reported only after up_to_quarter does not count: no achievement yet."""
    assert annual_achievement(CalcMethod.SUM, {3: D(5)}, up_to_quarter=2) is None


@pytest.mark.parametrize("quarter", [0, 5, -1])
def test_quarter_keys_outside_one_to_four_are_rejected(quarter: int) -> None:
    """Quarter keys must be 1..4."""
    with pytest.raises(ValueError, match="quarter"):
        annual_achievement(CalcMethod.SUM, {quarter: D(1)})


@pytest.mark.parametrize("up_to_quarter", [0, 5])
def test_up_to_quarter_outside_one_to_four_is_rejected(up_to_quarter: int) -> None:
    """up_to_quarter must be 1..4."""
    with pytest.raises(ValueError, match="up_to_quarter"):
        annual_achievement(CalcMethod.SUM, {1: D(1)}, up_to_quarter=up_to_quarter)


@pytest.mark.parametrize("calc_method", [CalcMethod.SUM, CalcMethod.AVERAGE, CalcMethod.CUMULATIVE])
def test_a_date_with_a_non_date_method_is_rejected(calc_method: CalcMethod) -> None:
    """A date value needs calc method date."""
    with pytest.raises(ValueError):
        annual_achievement(calc_method, {1: d(1, 1)})


def test_a_number_with_the_date_method_is_rejected() -> None:
    """Calc method date needs date values."""
    with pytest.raises(ValueError):
        annual_achievement(CalcMethod.DATE, {1: D(1)})


def test_float_values_are_rejected() -> None:
    """Floats are refused: marks are computed in Decimal only."""
    with pytest.raises(ValueError):
        annual_achievement(CalcMethod.SUM, {1: 1.5})  # type: ignore[dict-item]


def test_datetime_values_count_as_their_date() -> None:
    """Dates count in whole days: a datetime is reduced to its date."""
    result = annual_achievement(CalcMethod.DATE, {1: datetime(2023, 5, 20, 23, 59)})
    assert result == d(20, 5)
    assert type(result) is date


# --------------------------------------------------------------------------------------------------
# raw_score: interpolate
# --------------------------------------------------------------------------------------------------


def test_interpolate_better_than_best_target_scores_exactly_100() -> None:
    """As good as or better than t100 scores 100, never more."""
    assert number_raw(HIGH_TARGETS, D(100)) == D(100)
    assert number_raw(HIGH_TARGETS, D(250)) == D(100)


def test_interpolate_equal_to_a_level_scores_that_level() -> None:
    """An achievement equal to a defined level's target scores that level's percent."""
    for percent, target in HIGH_TARGETS.levels():
        assert number_raw(HIGH_TARGETS, target) == percent


def test_interpolate_between_levels_is_linear() -> None:
    """Strictly between two levels: p_lo + (p_hi − p_lo) × (a − t_lo) / (t_hi − t_lo)."""
    targets = Targets(D(85), D(80), D(70), D(60))
    assert number_raw(targets, D(82)) == D(94)  # 90 + 10 × 2 / 5
    assert number_raw(targets, D(75)) == D(85)  # 80 + 10 × 5 / 10


def test_interpolate_keeps_the_unrounded_fraction() -> None:
    """The interpolated raw score is not rounded: a third of the way gives 93.333…"""
    raw = number_raw(Targets(D(3), D(0)), D(1))
    assert raw == D(90) + D(10) / D(3)


def test_interpolate_skips_blank_levels() -> None:
    """Blank levels are skipped: interpolation runs between the neighbouring defined levels."""
    targets = Targets(D(3), None, D(2), D(1))
    assert number_raw(targets, D("2.5")) == D(90)  # between 100 (3) and 80 (2)
    assert number_raw(targets, D("1.5")) == D(75)  # between 80 (2) and 70 (1)


def test_interpolate_tie_between_levels_scores_the_higher_percent() -> None:
    """Two levels with the same target: an achievement equal to it scores the higher percent."""
    targets = Targets(D(100), D(80), D(80), D(70))
    assert number_raw(targets, D(80)) == D(90)
    assert number_raw(Targets(D(100), D(100), D(80)), D(100)) == D(100)


def test_interpolate_below_lowest_level_scores_zero() -> None:
    """APA rule: worse than the lowest defined level (60% or higher) scores zero."""
    assert number_raw(HIGH_TARGETS, D("59.99")) == 0
    assert number_raw(Targets(D(3), None, D(2)), D("1.99")) == 0  # lowest defined is 80%


def test_interpolate_with_only_the_100_target_is_all_or_nothing() -> None:
    """Only t100 defined: meeting it scores 100, anything worse 0."""
    targets = Targets(D(3))
    assert number_raw(targets, D(3)) == 100
    assert number_raw(targets, D("2.99")) == 0


def test_interpolate_direction_lower_rewards_smaller_values() -> None:
    """Direction lower: smaller is better, at or below t100 → 100, above the lowest level → 0."""
    assert number_raw(LOW_TARGETS, D(5), direction=LOWER) == 100
    assert number_raw(LOW_TARGETS, D(10), direction=LOWER) == 100
    assert number_raw(LOW_TARGETS, D(30), direction=LOWER) == 80
    assert number_raw(LOW_TARGETS, D("50.01"), direction=LOWER) == 0


def test_interpolate_direction_lower_between_levels() -> None:
    """Direction lower interpolates the right way round: 12 between 10 (100%) and 20 (90%) is 98."""
    assert number_raw(LOW_TARGETS, D(12), direction=LOWER) == D(98)
    assert number_raw(LOW_TARGETS, D(45), direction=LOWER) == D(65)


def test_interpolate_percent_unit_behaves_like_number() -> None:
    """Unit percent is scored exactly like number."""
    targets = Targets(D(70), D(60), D(55), D(50))
    assert raw_score(unit=Unit.PERCENT, targets=targets, achievement=D(50)) == 70
    assert raw_score(unit=Unit.PERCENT, targets=targets, achievement=D(65)) == 95


# --------------------------------------------------------------------------------------------------
# raw_score: dates
# --------------------------------------------------------------------------------------------------


def test_date_earlier_than_best_target_scores_100() -> None:
    """Dates: earlier is better; on or before the 100% date scores 100."""
    assert date_raw(DATE_TARGETS, d(10, 5)) == 100
    assert date_raw(DATE_TARGETS, d(10, 3)) == 100


def test_date_interpolates_in_whole_days() -> None:
    """Dates interpolate in days: 20/05 between 15/05 (90%) and 25/05 (80%) is 80 + 10 × 5/10 = 85."""
    assert date_raw(DATE_TARGETS, d(20, 5)) == D(85)
    assert date_raw(DATE_TARGETS, d(12, 5)) == D(96)  # 90 + 10 × 3 / 5


def test_date_interpolation_counts_calendar_days_across_a_leap_day() -> None:
    """Day counts are calendar days: 28/02 → 01/03/2024 is two days (29/02 exists)."""
    targets = Targets(date(2024, 2, 27), date(2024, 3, 1))  # 3 days apart in 2024
    assert date_raw(targets, date(2024, 2, 29)) == D(90) + D(10) * D(1) / D(3)


def test_date_at_a_level_scores_that_level() -> None:
    """Dates: on a level's date scores that level's percent."""
    assert date_raw(DATE_TARGETS, d(31, 5)) == 70


def test_date_later_than_the_lowest_level_scores_zero() -> None:
    """Dates: later than the lowest defined level's date scores zero."""
    assert date_raw(DATE_TARGETS, d(1, 6)) == 0


def test_date_scoring_ignores_direction() -> None:
    """Dates: direction is ignored, earlier is always better."""
    for achievement in (d(1, 5), d(12, 5), d(20, 5), d(31, 5), d(1, 6)):
        assert date_raw(DATE_TARGETS, achievement, direction=LOWER) == date_raw(DATE_TARGETS, achievement)


def test_date_time_of_day_is_ignored() -> None:
    """Dates are compared as whole days: 20/05 23:59 scores like 20/05."""
    assert date_raw(DATE_TARGETS, datetime(2023, 5, 20, 23, 59)) == D(85)
    assert date_raw(DATE_TARGETS, datetime(2023, 5, 10, 23, 59)) == 100


# --------------------------------------------------------------------------------------------------
# raw_score: proportional, threshold, step
# --------------------------------------------------------------------------------------------------

PROPORTIONAL = ScoringMethod.PROPORTIONAL
THRESHOLD = ScoringMethod.THRESHOLD
STEP = ScoringMethod.STEP


def test_proportional_is_achievement_over_target() -> None:
    """proportional: 100 × a / t100."""
    assert number_raw(Targets(D(200)), D(150), scoring_method=PROPORTIONAL) == D(75)


def test_proportional_is_capped_at_100() -> None:
    """proportional: 100 × min(a / t100, 1) — overachievement still scores 100."""
    assert number_raw(Targets(D(200)), D(500), scoring_method=PROPORTIONAL) == 100


def test_proportional_has_no_floor() -> None:
    """proportional (DESIGN.md §3.2, the annex plans' "সমানুপাতিক হারে"): no 60 % floor — 0, 1, 2 of 4
    trainings earn 0, 25 and 50; 59.99 stays 59.99."""
    four = Targets(D(4), D(3))
    assert [number_raw(four, D(n), scoring_method=PROPORTIONAL) for n in (0, 1, 2, 3, 4)] == [
        0,
        25,
        50,
        75,
        100,
    ]
    assert number_raw(Targets(D(100)), D("59.99"), scoring_method=PROPORTIONAL) == D("59.99")
    assert number_raw(Targets(D(100)), D(60), scoring_method=PROPORTIONAL) == 60


def test_proportional_marks_at_the_edges_of_sixty() -> None:
    """A proportional raw of 59.995 prints 60.00 and earns the marks of 60.00 (no floor, marks from the
    printed raw); 60.005 prints 60.01."""
    assert indicator_marks(
        D(10), number_raw(Targets(D(1000)), D("599.95"), scoring_method=PROPORTIONAL)
    ) == D("6.00")
    assert indicator_marks(
        D(10), number_raw(Targets(D(1000)), D("600.05"), scoring_method=PROPORTIONAL)
    ) == D("6.00")
    assert indicator_marks(
        D(100), number_raw(Targets(D(1000)), D("600.05"), scoring_method=PROPORTIONAL)
    ) == D("60.01")
    assert indicator_marks(
        D(100), number_raw(Targets(D(1000)), D("599.95"), scoring_method=PROPORTIONAL)
    ) == D("60.00")


def test_five_level_methods_keep_the_floor_at_the_edges_of_sixty() -> None:
    """interpolate: just below the 60 % level (its unrounded raw, 59.995 would print 60.00) scores 0; just
    above it, the interpolated raw; exactly on it, 60."""
    targets = Targets(D(100), D(90), D(80), D(70), D(60))
    assert number_raw(targets, D("59.995")) == 0
    assert number_raw(targets, D("60.005")) == D("60.005")
    assert number_raw(targets, D(60)) == 60


def test_proportional_ignores_lower_levels() -> None:
    """proportional: only t100 matters, the other levels do not change the score."""
    assert number_raw(HIGH_TARGETS, D(85), scoring_method=PROPORTIONAL) == 85
    assert number_raw(Targets(D(100), D(99)), D(85), scoring_method=PROPORTIONAL) == 85


def test_proportional_with_zero_target_scores_100() -> None:
    """proportional, higher: a target of 0 is met by any achievement (no division by zero)."""
    assert number_raw(Targets(D(0)), D(0), scoring_method=PROPORTIONAL) == 100
    assert number_raw(Targets(D(0)), D(5), scoring_method=PROPORTIONAL) == 100


def test_proportional_lower_is_target_over_achievement() -> None:
    """proportional, lower: 100 × min(t100 / a, 1)."""
    assert number_raw(Targets(D(10)), D(16), scoring_method=PROPORTIONAL, direction=LOWER) == D("62.5")
    assert number_raw(Targets(D(10)), D(5), scoring_method=PROPORTIONAL, direction=LOWER) == 100
    assert number_raw(Targets(D(10)), D(20), scoring_method=PROPORTIONAL, direction=LOWER) == 50  # no floor
    assert number_raw(Targets(D(10)), D(40), scoring_method=PROPORTIONAL, direction=LOWER) == 25


def test_proportional_lower_with_zero_achievement_scores_100() -> None:
    """proportional, lower: an achievement of 0 is the best possible (no division by zero)."""
    assert number_raw(Targets(D(0)), D(0), scoring_method=PROPORTIONAL, direction=LOWER) == 100
    assert number_raw(Targets(D(10)), D(0), scoring_method=PROPORTIONAL, direction=LOWER) == 100


def test_proportional_lower_with_zero_target_and_positive_achievement_scores_zero() -> None:
    """proportional, lower: target 0 but something achieved is 0 / a = 0."""
    assert number_raw(Targets(D(0)), D(1), scoring_method=PROPORTIONAL, direction=LOWER) == 0


def test_proportional_is_not_allowed_for_dates() -> None:
    """proportional is undefined for dates: ValueError."""
    with pytest.raises(ValueError, match="proportional"):
        date_raw(DATE_TARGETS, d(12, 5), scoring_method=PROPORTIONAL)


def test_proportional_rejects_negative_values() -> None:
    """proportional needs non-negative values (a ratio of negatives means nothing)."""
    with pytest.raises(ValueError):
        number_raw(Targets(D(10)), D(-1), scoring_method=PROPORTIONAL)


def test_threshold_is_all_or_nothing() -> None:
    """threshold: 100 when as good as t100, otherwise 0 (no partial credit)."""
    assert number_raw(HIGH_TARGETS, D(100), scoring_method=THRESHOLD) == 100
    assert number_raw(HIGH_TARGETS, D(101), scoring_method=THRESHOLD) == 100
    assert number_raw(HIGH_TARGETS, D("99.99"), scoring_method=THRESHOLD) == 0


def test_threshold_direction_lower() -> None:
    """threshold, lower: at or below t100 scores 100, above it 0."""
    assert number_raw(LOW_TARGETS, D(10), scoring_method=THRESHOLD, direction=LOWER) == 100
    assert number_raw(LOW_TARGETS, D("10.01"), scoring_method=THRESHOLD, direction=LOWER) == 0


def test_threshold_dates() -> None:
    """threshold, dates: on or before the 100% date scores 100, a day later 0."""
    assert date_raw(DATE_TARGETS, d(10, 5), scoring_method=THRESHOLD) == 100
    assert date_raw(DATE_TARGETS, d(11, 5), scoring_method=THRESHOLD) == 0


def test_step_scores_best_level_reached_without_interpolation() -> None:
    """step: the percent of the best level reached, no interpolation."""
    assert number_raw(HIGH_TARGETS, D("89.99"), scoring_method=STEP) == 80
    assert number_raw(HIGH_TARGETS, D(90), scoring_method=STEP) == 90
    assert number_raw(HIGH_TARGETS, D(150), scoring_method=STEP) == 100


def test_step_none_reached_scores_zero() -> None:
    """step: no level reached scores 0."""
    assert number_raw(HIGH_TARGETS, D("59.99"), scoring_method=STEP) == 0


def test_step_skips_blank_levels() -> None:
    """step: blank levels cannot be reached, the next defined level is scored."""
    assert number_raw(Targets(D(3), None, D(2), D(1)), D("2.5"), scoring_method=STEP) == 80


def test_step_direction_lower() -> None:
    """step, lower: 25 reaches the 80% level (30) but not the 90% level (20)."""
    assert number_raw(LOW_TARGETS, D(25), scoring_method=STEP, direction=LOWER) == 80
    assert number_raw(LOW_TARGETS, D(51), scoring_method=STEP, direction=LOWER) == 0


def test_step_dates() -> None:
    """step, dates: 20/05 is after the 90% date (15/05) but reaches the 80% date (25/05)."""
    assert date_raw(DATE_TARGETS, d(20, 5), scoring_method=STEP) == 80


def test_step_tie_scores_the_higher_percent() -> None:
    """step: two levels sharing a target — reaching it scores the higher percent."""
    assert number_raw(Targets(D(100), D(80), D(80)), D(80), scoring_method=STEP) == 90


@pytest.mark.parametrize("method", list(ScoringMethod))
def test_no_achievement_scores_zero(method: ScoringMethod) -> None:
    """No achievement (None) scores 0 with every method."""
    assert number_raw(HIGH_TARGETS, None, scoring_method=method) == 0


@pytest.mark.parametrize("method", list(ScoringMethod))
def test_never_above_100(method: ScoringMethod) -> None:
    """No method ever scores more than 100."""
    assert number_raw(HIGH_TARGETS, D(10**6), scoring_method=method) == 100


# --------------------------------------------------------------------------------------------------
# raw_score: type mismatches and bad targets
# --------------------------------------------------------------------------------------------------


def test_date_achievement_for_number_unit_is_rejected() -> None:
    """A date achievement for unit number is a type mismatch: ValueError."""
    with pytest.raises(ValueError):
        number_raw(HIGH_TARGETS, d(1, 1))


def test_number_achievement_for_date_unit_is_rejected() -> None:
    """A Decimal achievement for unit date is a type mismatch: ValueError."""
    with pytest.raises(ValueError):
        date_raw(DATE_TARGETS, D(5))


def test_targets_of_the_wrong_type_are_rejected() -> None:
    """Date targets for a number unit (and Decimal targets for a date unit) are refused."""
    with pytest.raises(ValueError):
        number_raw(DATE_TARGETS, D(5))
    with pytest.raises(ValueError):
        date_raw(HIGH_TARGETS, d(1, 1))


def test_targets_out_of_order_are_rejected_when_scoring() -> None:
    """Targets that check_targets refuses for order cannot be scored (the result would be meaningless)."""
    with pytest.raises(ValueError, match="out of order"):
        date_raw(Targets(d(10, 5), d(25, 5), d(15, 5), d(31, 5)), d(20, 5))


def test_float_achievement_is_rejected() -> None:
    """Floats are refused: scores are computed in Decimal."""
    with pytest.raises(ValueError):
        number_raw(HIGH_TARGETS, 95.5)


def test_int_achievement_is_accepted_as_decimal() -> None:
    """Plain ints are exact, so they are accepted like Decimals."""
    assert number_raw(HIGH_TARGETS, 85) == D(85)


# --------------------------------------------------------------------------------------------------
# explain_score
# --------------------------------------------------------------------------------------------------


def explain(
    targets: Targets, achievement: object, unit: Unit = Unit.NUMBER, **kwargs: object
) -> tuple[Decimal, ScoreExplanation]:
    return explain_score(unit=unit, targets=targets, achievement=achievement, **kwargs)  # type: ignore[arg-type]


def test_explanation_names_the_two_levels_interpolated_between() -> None:
    """between_levels carries the level above and the level below, as (percent, target)."""
    raw, why = explain(DATE_TARGETS, d(20, 5), unit=Unit.DATE)
    assert raw == 85
    assert why == ScoreExplanation(ExplanationKind.BETWEEN_LEVELS, (D(90), d(15, 5)), (D(80), d(25, 5)))


@pytest.mark.parametrize(
    ("achievement", "kwargs", "expected"),
    [
        (None, {}, ScoreExplanation(ExplanationKind.NO_ACHIEVEMENT)),
        (D(120), {}, ScoreExplanation(ExplanationKind.AT_OR_BETTER_THAN_BEST, (D(100), D(100)))),
        (D(100), {}, ScoreExplanation(ExplanationKind.AT_OR_BETTER_THAN_BEST, (D(100), D(100)))),
        (D(80), {}, ScoreExplanation(ExplanationKind.AT_LEVEL, (D(80), D(80)))),
        (D(50), {}, ScoreExplanation(ExplanationKind.BELOW_LOWEST, None, (D(60), D(60)))),
        (
            D(85),
            {"scoring_method": PROPORTIONAL},
            ScoreExplanation(ExplanationKind.PROPORTIONAL, (D(100), D(100))),
        ),
        (
            D(50),
            {"scoring_method": PROPORTIONAL},
            ScoreExplanation(ExplanationKind.PROPORTIONAL, (D(100), D(100))),
        ),
        (
            D(100),
            {"scoring_method": THRESHOLD},
            ScoreExplanation(ExplanationKind.THRESHOLD_MET, (D(100), D(100))),
        ),
        (
            D(99),
            {"scoring_method": THRESHOLD},
            ScoreExplanation(ExplanationKind.THRESHOLD_MISSED, (D(100), D(100))),
        ),
        (D(75), {"scoring_method": STEP}, ScoreExplanation(ExplanationKind.STEP_LEVEL, (D(70), D(70)))),
        (
            D(59),
            {"scoring_method": STEP},
            ScoreExplanation(ExplanationKind.BELOW_LOWEST, None, (D(60), D(60))),
        ),
    ],
)
def test_explanation_kind_matches_the_rule_applied(
    achievement: Decimal | None, kwargs: dict[str, object], expected: ScoreExplanation
) -> None:
    """explain_score says which rule produced the score and which levels were involved."""
    raw, why = explain(HIGH_TARGETS, achievement, **kwargs)
    assert why == expected
    assert raw == raw_score(unit=Unit.NUMBER, targets=HIGH_TARGETS, achievement=achievement, **kwargs)  # type: ignore[arg-type]


def test_explanation_kinds_are_the_documented_strings() -> None:
    """The explanation kinds are the strings the UI keys its sentences on."""
    assert {kind.value for kind in ExplanationKind} == {
        "no_achievement",
        "at_or_better_than_best",
        "at_level",
        "between_levels",
        "below_lowest",
        "proportional",
        "threshold_met",
        "threshold_missed",
        "step_level",
        "no_targets",
    }


# --------------------------------------------------------------------------------------------------
# Rounding and marks
# --------------------------------------------------------------------------------------------------


def test_round2_rounds_half_up_not_half_even() -> None:
    """round2 rounds half-up: 0.865 → 0.87 where banker's rounding would give 0.86."""
    assert round2(D("0.865")) == D("0.87")
    assert D("0.865").quantize(D("0.01"), rounding=ROUND_HALF_EVEN) == D("0.86")
    assert round2(D("46.635")) == D("46.64")
    assert round2(D("0.864999")) == D("0.86")
    assert str(round2(D(5))) == "5.00"


def test_indicator_marks_rounds_half_up() -> None:
    """Marks = weight × raw / 100 rounded half-up: weight 1, raw 86.5 → 0.87 (half-even: 0.86)."""
    raw = number_raw(HIGH_TARGETS, D("86.5"))
    assert raw == D("86.5")
    assert indicator_marks(D(1), raw) == D("0.87")


def test_indicator_marks_use_the_raw_as_printed() -> None:
    """DESIGN.md §3.3: marks from the raw rounded as printed — 1.5 × 90.33% = 1.35495 → 1.35 (the unrounded
    90.333…% gave 1.355 → 1.36, which no reader could get from the row); a printed 60.50% of weight 1 is
    0.61 (the unrounded 60.4999…% gave 0.60)."""
    raw = number_raw(Targets(D(30), D(27)), D("27.1"))  # 90 + 10 × 0.1 / 3
    assert round2(raw) == D("90.33")
    assert indicator_marks(D("1.5"), raw) == D("1.35")
    assert indicator_marks(D(1), D("60.4999")) == D("0.61")
    assert indicator_marks(D(1), D("60.4949")) == D("0.60")


def test_indicator_marks_checked_by_hand_from_the_printed_row() -> None:
    """10.79 × (90 + 180/83)% : the row prints raw 92.17 and marks 10.79 × 92.17 / 100 = 9.945… → 9.95."""
    raw = number_raw(Targets(D("1.83"), D("1.00")), D("1.18"))
    assert round2(raw) == D("92.17")
    assert indicator_marks(D("10.79"), raw) == round2(D("10.79") * D("92.17") / 100) == D("9.95")


def test_indicator_marks_full_and_zero() -> None:
    """Raw 100 earns the whole weight, raw 0 earns nothing."""
    assert indicator_marks(D(7), D(100)) == D("7.00")
    assert indicator_marks(D(7), D(0)) == D("0.00")


def test_indicator_marks_rejects_negative_weight_and_raw_out_of_range() -> None:
    """Weights are not negative and raw scores lie in 0..100."""
    with pytest.raises(ValueError):
        indicator_marks(D(-1), D(100))
    with pytest.raises(ValueError):
        indicator_marks(D(1), D(101))


# --------------------------------------------------------------------------------------------------
# score_indicator
# --------------------------------------------------------------------------------------------------


def test_score_indicator_computes_marks_from_the_printed_raw() -> None:
    """IndicatorScore.raw_score is round2(raw); achieved_marks are weight × raw_score / 100, rounded."""
    score = score_indicator(indicator(weight="1.5", targets=Targets(D(30), D(27)), quarterly={1: D("27.1")}))
    assert score.raw_score == D("90.33")
    assert score.achieved_marks == D("1.35")
    assert score.explanation is not None
    assert score.explanation.kind is ExplanationKind.BETWEEN_LEVELS


def test_score_indicator_without_reports_scores_zero() -> None:
    """No reported value: achievement None, raw 0, marks 0."""
    score = score_indicator(indicator(quarterly={1: None}))
    assert score.achievement is None
    assert score.raw_score == D("0.00")
    assert score.achieved_marks == D("0.00")
    assert score.explanation == ScoreExplanation(ExplanationKind.NO_ACHIEVEMENT)


def test_score_indicator_not_applicable_has_no_raw_marks_or_explanation() -> None:
    """Not applicable: raw score, marks and explanation are None (the achievement is still shown)."""
    score = score_indicator(indicator(quarterly={1: D(95)}, applicable=False))
    assert score.applicable is False
    assert score.raw_score is None
    assert score.achieved_marks is None
    assert score.explanation is None
    assert score.achievement == D(95)


def test_score_indicator_up_to_quarter() -> None:
    """score_indicator passes up_to_quarter to the achievement: half-yearly uses Q1 and Q2 only."""
    ind = indicator(weight="10", quarterly={1: D(40), 2: D(40), 3: D(20)})
    assert score_indicator(ind, up_to_quarter=2).raw_score == D("80.00")
    assert score_indicator(ind).raw_score == D("100.00")


def test_score_indicator_rejects_unit_and_calc_method_mismatch() -> None:
    """Unit date goes with calc method date only (and back)."""
    with pytest.raises(ValueError):
        score_indicator(indicator(unit=Unit.DATE, calc_method=CalcMethod.SUM, targets=DATE_TARGETS))
    with pytest.raises(ValueError):
        score_indicator(indicator(unit=Unit.NUMBER, calc_method=CalcMethod.DATE))


def test_score_indicator_rejects_negative_weight() -> None:
    """A negative weight is nonsense."""
    with pytest.raises(ValueError):
        score_indicator(indicator(weight="-1"))


# --------------------------------------------------------------------------------------------------
# score_plan
# --------------------------------------------------------------------------------------------------

DEMO_AREAS = [AreaInput("1", D(30)), AreaInput("2", D(20))]


def demo_indicator(
    code: str,
    unit: Unit,
    weight: int,
    calc: CalcMethod,
    targets: Targets,
    quarterly: dict[int, object],
    applicable: bool = True,
) -> IndicatorInput:
    return indicator(
        code,
        area_code=code.split(".")[0],
        unit=unit,
        weight=str(weight),
        calc_method=calc,
        targets=targets,
        quarterly=quarterly,
        applicable=applicable,
    )


DATE, PERCENT, NUMBER = Unit.DATE, Unit.PERCENT, Unit.NUMBER
C_DATE, C_SUM, C_AVG, C_CUM = CalcMethod.DATE, CalcMethod.SUM, CalcMethod.AVERAGE, CalcMethod.CUMULATIVE
DEMO_INDICATORS = [
    demo_indicator("1.1.1", DATE, 2, C_DATE, Targets(d(10, 5), d(15, 5), d(25, 5), d(31, 5)), {4: d(8, 5)}),
    demo_indicator("1.2.1", DATE, 2, C_DATE, Targets(d(10, 5), d(15, 5), d(25, 5), d(31, 5)), {3: d(10, 3)}),
    demo_indicator("1.2.2", DATE, 7, C_DATE, Targets(d(4, 5), d(15, 5), d(25, 5), d(31, 5)), {4: d(20, 5)}),
    demo_indicator(
        "1.3.1",
        PERCENT,
        8,
        C_AVG,
        Targets(D(85), D(80), D(70), D(60)),
        {1: D(80), 2: D(82), 3: D(83), 4: D(83)},
    ),
    demo_indicator("1.4.1", DATE, 8, C_DATE, Targets(d(16, 5), d(29, 5), d(30, 5), d(31, 5)), {4: d(29, 5)}),
    demo_indicator("1.4.2", NUMBER, 3, C_SUM, Targets(D(3), None, D(2), D(1)), {2: D(1), 3: D(1), 4: D(1)}),
    demo_indicator(
        "2.1.1", NUMBER, 6, C_SUM, Targets(D(3), None, D(2)), {1: D(1), 2: D(1), 3: D(1), 4: D(1)}
    ),
    demo_indicator("2.2.1", NUMBER, 3, C_SUM, Targets(D(3), D(2)), {1: D(1), 2: D(1), 3: D(1), 4: D(1)}),
    demo_indicator(
        "2.2.2",
        PERCENT,
        3,
        C_CUM,
        Targets(D(70), D(60), D(55), D(50)),
        {1: D(10), 2: D(25), 3: D(40), 4: D(50)},
    ),
    demo_indicator("2.2.3", DATE, 3, C_DATE, Targets(d(22, 1), d(31, 1), d(9, 2), d(16, 2)), {3: d(12, 1)}),
    demo_indicator(
        "2.2.4", DATE, 2, C_DATE, Targets(d(9, 2), d(16, 2), d(23, 2), d(27, 2)), {}, applicable=False
    ),
    demo_indicator("2.2.5", DATE, 3, C_DATE, Targets(d(30, 6)), {3: d(5, 2)}),
]


def test_worked_example_demo_plan() -> None:
    """The demo plan: achieved 44.77 of applicable 48 → 93.27% → 46.64 of 50 (areas 27.67 and 17.10)."""
    plan = score_plan(DEMO_AREAS, DEMO_INDICATORS)
    marks = {score.code: score.achieved_marks for score in plan.indicators}
    raws = {score.code: score.raw_score for score in plan.indicators}
    assert marks == {
        "1.1.1": D("2.00"),
        "1.2.1": D("2.00"),
        "1.2.2": D("5.95"),
        "1.3.1": D("7.52"),
        "1.4.1": D("7.20"),
        "1.4.2": D("3.00"),
        "2.1.1": D("6.00"),
        "2.2.1": D("3.00"),
        "2.2.2": D("2.10"),
        "2.2.3": D("3.00"),
        "2.2.4": None,
        "2.2.5": D("3.00"),
    }
    assert raws["1.2.2"] == D("85.00")
    assert raws["1.3.1"] == D("94.00")
    assert raws["1.4.1"] == D("90.00")
    assert raws["2.2.2"] == D("70.00")
    assert raws["2.2.4"] is None
    by_code = {score.code: score for score in plan.indicators}
    assert by_code["1.3.1"].achievement == D(82)
    assert by_code["2.2.2"].achievement == D(50)
    assert plan.areas == (
        AreaScore("1", D(30), D("27.67"), D(30)),
        AreaScore("2", D(20), D("17.10"), D(18)),
    )
    assert plan.total_weight == D(50)
    assert plan.applicable_weight == D(48)
    assert plan.achieved_marks == D("44.77")
    assert plan.percent == D("93.27")
    assert plan.scaled_marks == D("46.64")


def test_worked_example_targets_are_valid() -> None:
    """Every demo target set passes check_targets within fiscal year 2022-23 (no errors, no warnings)."""
    for ind in DEMO_INDICATORS:
        problems = check_targets(
            unit=ind.unit,
            calc_method=ind.calc_method,
            scoring_method=ind.scoring_method,
            direction=ind.direction,
            targets=ind.targets,
            fiscal_year_start=FY_START,
            fiscal_year_end=FY_END,
        )
        assert problems == [], ind.code


def test_plan_keeps_input_order_of_areas_and_indicators() -> None:
    """Areas and indicators come back in input order, not sorted."""
    areas = [AreaInput("2", D(20)), AreaInput("1", D(30))]
    inds = [indicator("b", area_code="1"), indicator("a", area_code="2"), indicator("c", area_code="1")]
    plan = score_plan(areas, inds)
    assert [area.code for area in plan.areas] == ["2", "1"]
    assert [score.code for score in plan.indicators] == ["b", "a", "c"]


def test_not_applicable_indicators_are_left_out_of_marks_and_applicable_weight() -> None:
    """Not applicable: excluded from achieved marks and applicable weight, but counted in total weight."""
    inds = [
        indicator("a", weight="10", quarterly={1: D(100)}),
        indicator("b", weight="30", quarterly={1: D(100)}, applicable=False),
    ]
    plan = score_plan([AreaInput("1", D(40))], inds)
    assert plan.total_weight == D(40)
    assert plan.applicable_weight == D(10)
    assert plan.achieved_marks == D("10.00")
    assert plan.areas[0].applicable_weight == D(10)
    assert plan.percent == D("100.00")
    assert plan.scaled_marks == D("40.00")


def test_plan_with_no_applicable_weight_scores_zero_percent() -> None:
    """Applicable weight 0: percent 0.00 and scaled marks 0.00 (no division by zero)."""
    plan = score_plan([AreaInput("1", D(10))], [indicator(weight="10", applicable=False)])
    assert plan.applicable_weight == 0
    assert plan.total_weight == D(10)
    assert str(plan.percent) == "0.00"
    assert str(plan.scaled_marks) == "0.00"


def test_empty_plan_scores_zero() -> None:
    """No indicators at all: everything is zero and areas are still listed."""
    plan = score_plan([AreaInput("1", D(30))], [])
    assert plan.areas == (AreaScore("1", D(30), D("0.00"), D(0)),)
    assert (plan.total_weight, plan.achieved_marks, plan.percent, plan.scaled_marks) == (0, 0, 0, 0)


def test_plan_percent_rounds_half_up() -> None:
    """percent = round2(100 × achieved / applicable): 100 × 6.93 / 8 = 86.625 → 86.63 (half-even: 86.62)."""
    inds = [
        indicator("a", weight="8", quarterly={1: D("86.625")}),
        indicator("b", weight="2", applicable=False),
    ]
    plan = score_plan([AreaInput("1", D(10))], inds)
    assert plan.achieved_marks == D("6.93")
    assert plan.percent == D("86.63")


def test_plan_scaled_marks_use_the_two_decimal_percent() -> None:
    """scaled = round2(percent × total / 100) from the rounded percent: 86.67 × 50 / 100 = 43.335 → 43.34.

    Scaling the unrounded 86.666…% would give 43.33.
    """
    inds = [
        indicator("a", weight="3", quarterly={1: D("86.67")}),
        indicator("b", weight="47", applicable=False),
    ]
    plan = score_plan([AreaInput("1", D(50))], inds)
    assert plan.achieved_marks == D("2.60")
    assert plan.percent == D("86.67")
    assert plan.scaled_marks == D("43.34")


def test_plan_sums_rounded_indicator_marks() -> None:
    """Area and plan marks add the already rounded indicator marks (0.87 + 0.87 = 1.74, not 1.73)."""
    inds = [
        indicator("a", weight="1", quarterly={1: D("86.5")}),
        indicator("b", weight="1", quarterly={1: D("86.5")}),
    ]
    plan = score_plan([AreaInput("1", D(2))], inds)
    assert plan.areas[0].achieved_marks == D("1.74")
    assert plan.achieved_marks == D("1.74")


def test_plan_rejects_an_indicator_in_an_unknown_area() -> None:
    """An indicator whose area is not in the plan is a ValueError."""
    with pytest.raises(ValueError, match="area"):
        score_plan([AreaInput("1", D(30))], [indicator(area_code="9")])


def test_plan_rejects_duplicate_area_codes() -> None:
    """Two areas with the same code make the assignment ambiguous: ValueError."""
    with pytest.raises(ValueError):
        score_plan([AreaInput("1", D(30)), AreaInput("1", D(20))], [])


def test_plan_half_yearly_uses_two_quarters() -> None:
    """score_plan(up_to_quarter=2) scores each indicator on Q1 and Q2 only."""
    plan = score_plan(DEMO_AREAS, DEMO_INDICATORS, up_to_quarter=2)
    by_code = {score.code: score for score in plan.indicators}
    assert by_code["1.3.1"].achievement == D(81)  # (80 + 82) / 2
    assert by_code["1.1.1"].achievement is None  # only Q4 reported
    assert by_code["1.1.1"].achieved_marks == D("0.00")
    assert by_code["2.2.2"].achievement == D(25)


# --------------------------------------------------------------------------------------------------
# check_targets
# --------------------------------------------------------------------------------------------------


def check(
    targets: Targets,
    unit: Unit = Unit.NUMBER,
    calc_method: CalcMethod | None = None,
    scoring_method: ScoringMethod = ScoringMethod.INTERPOLATE,
    direction: Direction = HIGHER,
    **kwargs: date,
) -> list[TargetProblem]:
    if calc_method is None:
        calc_method = CalcMethod.DATE if unit is Unit.DATE else CalcMethod.SUM
    return check_targets(
        unit=unit,
        calc_method=calc_method,
        scoring_method=scoring_method,
        direction=direction,
        targets=targets,
        **kwargs,
    )


def test_valid_targets_have_no_problems() -> None:
    """Well-ordered targets of the right type give no problems, equal neighbours included."""
    assert check(HIGH_TARGETS) == []
    assert check(LOW_TARGETS, direction=LOWER) == []
    assert check(Targets(D(3), D(3), D(2))) == []
    assert check(DATE_TARGETS, unit=Unit.DATE) == []
    assert check(Targets(d(10, 5), d(10, 5)), unit=Unit.DATE) == []


def test_seed_dates_with_80_percent_earlier_than_90_percent_are_refused() -> None:
    """Dates 10/05, 25/05, 15/05, 31/05: the 80% date is earlier (better) than the 90% date — error at 80."""
    problems = check(Targets(d(10, 5), d(25, 5), d(15, 5), d(31, 5)), unit=Unit.DATE)
    assert len(problems) == 1
    (problem,) = problems
    assert problem.is_error
    assert problem.level == 80
    assert problem.message_bn == (
        "লক্ষ্যমাত্রার ক্রম ভুল: উত্তম (৮০%)-এর লক্ষ্যমাত্রা ১৫/০৫/২০২৩, যা অতি উত্তম (৯০%)-এর "
        "২৫/০৫/২০২৩-এর চেয়ে ভালো; প্রতিটি নিচের স্তর আগেরটির সমান বা খারাপ হতে হবে।"
    )
    assert "Good (80%)" in problem.message_en
    assert "15/05/2023" in problem.message_en
    assert "Very good (90%)" in problem.message_en
    assert "25/05/2023" in problem.message_en


def test_date_order_ignores_direction() -> None:
    """Dates must get later level by level even when direction is lower (direction is ignored for dates)."""
    assert errors(check(DATE_TARGETS, unit=Unit.DATE, direction=LOWER)) == []
    assert [p.level for p in check(Targets(d(10, 5), d(9, 5)), unit=Unit.DATE, direction=LOWER)] == [90]


def test_number_higher_order_requires_non_increasing_targets() -> None:
    """Number, higher: each next level must be ≤ the previous one; the offending level and values are named."""
    problems = check(Targets(D(100), D(90), D(95), D(70)))
    assert [p.level for p in problems] == [80]
    assert "95" in problems[0].message_en and "90" in problems[0].message_en
    assert "৯৫" in problems[0].message_bn and "৯০" in problems[0].message_bn
    assert "উত্তম (৮০%)" in problems[0].message_bn


def test_number_lower_order_requires_non_decreasing_targets() -> None:
    """Number, lower: each next level must be ≥ the previous one."""
    problems = check(Targets(D(10), D(20), D(15)), direction=LOWER)
    assert [p.level for p in problems] == [80]
    assert all(p.is_error for p in problems)
    # With higher is better the same targets break at 90 instead (20 is better than 10).
    assert [p.level for p in check(Targets(D(10), D(20), D(15)))] == [90]


def test_order_check_skips_blank_levels() -> None:
    """Blank levels are skipped: 70% is compared with 90% when 80% is blank."""
    problems = check(Targets(D(100), D(90), None, D(95)))
    assert [p.level for p in problems] == [70]
    assert "অতি উত্তম (৯০%)" in problems[0].message_bn
    assert "চলতি মান (৭০%)" in problems[0].message_bn


def test_every_offending_level_is_reported() -> None:
    """Each level that is better than the one above it gets its own problem."""
    problems = check(Targets(D(10), D(20), D(30), D(40), D(50)))
    assert [p.level for p in problems] == [90, 80, 70, 60]
    assert "চলতি মানের নিম্নে (৬০%)" in problems[-1].message_bn


def test_unit_date_requires_calc_method_date() -> None:
    """Unit date with a non-date calc method is an error concerning the whole indicator."""
    problems = check(DATE_TARGETS, unit=Unit.DATE, calc_method=CalcMethod.SUM)
    assert len(problems) == 1
    assert problems[0].level is None and problems[0].is_error


def test_calc_method_date_requires_unit_date() -> None:
    """Calc method date with a number or percent unit is an error concerning the whole indicator."""
    for unit in (Unit.NUMBER, Unit.PERCENT):
        problems = check(HIGH_TARGETS, unit=unit, calc_method=CalcMethod.DATE)
        assert len(problems) == 1
        assert problems[0].level is None and problems[0].is_error


def test_proportional_with_unit_date_is_an_error() -> None:
    """Proportional scoring cannot be used for dates."""
    problems = check(DATE_TARGETS, unit=Unit.DATE, scoring_method=PROPORTIONAL)
    assert len(problems) == 1
    assert problems[0].level is None and problems[0].is_error
    assert "আনুপাতিক" in problems[0].message_bn
    assert check(HIGH_TARGETS, scoring_method=PROPORTIONAL) == []


def test_negative_targets_are_errors() -> None:
    """Negative number or percent targets are errors at their level."""
    problems = check(Targets(D(5), D(0), D(-1)), direction=HIGHER)
    assert [(p.level, p.is_error) for p in problems] == [(80, True)]
    assert "-1" in problems[0].message_en
    assert "ঋণাত্মক" in problems[0].message_bn
    percent_problems = check(Targets(D(-5)), unit=Unit.PERCENT)
    assert [(p.level, p.is_error) for p in percent_problems] == [(100, True)]


def test_number_target_for_date_unit_is_an_error() -> None:
    """Date unit needs date targets: a Decimal target is an error at its level."""
    problems = check(Targets(d(10, 5), D(5)), unit=Unit.DATE)  # type: ignore[arg-type]
    assert [(p.level, p.is_error) for p in problems] == [(90, True)]
    assert "তারিখ" in problems[0].message_bn


def test_date_target_for_number_unit_is_an_error() -> None:
    """Number and percent units need Decimal targets: a date target is an error at its level."""
    problems = check(Targets(d(10, 5)))
    assert [(p.level, p.is_error) for p in problems] == [(100, True)]
    assert "সংখ্যা" in problems[0].message_bn


def test_missing_100_target_is_an_error() -> None:
    """t100 is required."""
    problems = check(Targets(None, D(5)))  # type: ignore[arg-type]
    assert [(p.level, p.is_error) for p in problems] == [(100, True)]


def test_date_target_outside_fiscal_year_is_only_a_warning() -> None:
    """A date target before the fiscal year start or after its end is a warning, not an error."""
    targets = Targets(date(2022, 6, 30), d(15, 5), d(30, 6), date(2023, 7, 1))
    problems = check(targets, unit=Unit.DATE, fiscal_year_start=FY_START, fiscal_year_end=FY_END)
    assert errors(problems) == []
    assert [p.level for p in warnings(problems)] == [100, 70]
    assert "৩০/০৬/২০২২" in problems[0].message_bn
    assert "০১/০৭/২০২২" in problems[0].message_bn
    assert "01/07/2023" in problems[1].message_en


def test_fiscal_year_bounds_are_inclusive() -> None:
    """Targets on the first and the last day of the fiscal year are fine."""
    targets = Targets(FY_START, FY_END)
    assert check(targets, unit=Unit.DATE, fiscal_year_start=FY_START, fiscal_year_end=FY_END) == []


def test_no_fiscal_year_means_no_date_warning() -> None:
    """Without fiscal year bounds, no date is flagged."""
    assert check(Targets(date(1999, 1, 1)), unit=Unit.DATE) == []


def test_problems_combine() -> None:
    """Several problems are all reported, errors before warnings: an order error and a warning together."""
    targets = Targets(d(10, 5), d(25, 5), d(15, 5), date(2024, 1, 1))
    problems = check(targets, unit=Unit.DATE, fiscal_year_end=FY_END)
    assert [(p.level, p.is_error) for p in problems] == [(80, True), (70, False)]


# --------------------------------------------------------------------------------------------------
# Properties (Hypothesis)
# --------------------------------------------------------------------------------------------------

FAST = settings(max_examples=150, deadline=None, database=None)

amounts = st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False)
steps = st.decimals(min_value=0, max_value=50, places=2, allow_nan=False, allow_infinity=False)
fy_dates = st.dates(min_value=FY_START, max_value=FY_END)
any_dates = st.dates(min_value=date(2022, 1, 1), max_value=date(2024, 12, 31))


@st.composite
def valid_targets(draw: st.DrawFn, unit: Unit, direction: Direction) -> Targets:
    """Targets that pass check_targets: every defined level equal to or worse than the one before."""
    if unit is Unit.DATE:
        previous: Decimal | date = draw(fy_dates)
    else:
        previous = draw(amounts)
    values: list[Decimal | date | None] = [previous]
    for _ in range(4):
        if draw(st.booleans()):
            values.append(None)
            continue
        if isinstance(previous, date):
            previous = previous + timedelta(days=draw(st.integers(0, 40)))
        elif direction is HIGHER:
            previous = max(previous - draw(steps), D(0))
        else:
            previous = previous + draw(steps)
        values.append(previous)
    return Targets(*values)


@st.composite
def scoring_cases(draw: st.DrawFn) -> tuple[Unit, ScoringMethod, Direction, Targets]:
    unit = draw(st.sampled_from(list(Unit)))
    direction = draw(st.sampled_from(list(Direction)))
    methods = [m for m in ScoringMethod if not (unit is Unit.DATE and m is PROPORTIONAL)]
    method = draw(st.sampled_from(methods))
    targets = draw(valid_targets(unit, direction))
    assert errors(check(targets, unit=unit, scoring_method=method, direction=direction)) == []
    return unit, method, direction, targets


def achievements(unit: Unit) -> st.SearchStrategy[Decimal | date]:
    if unit is Unit.DATE:
        return any_dates
    return st.decimals(min_value=0, max_value=1200, places=3, allow_nan=False, allow_infinity=False)


def achievements_near(unit: Unit, targets: Targets) -> st.SearchStrategy[Decimal | date]:
    """Any achievement, or one on or close to a target, where levels meet and scores change."""
    values = [value for _, value in targets.levels()]
    near: st.SearchStrategy[Decimal | date]
    if unit is Unit.DATE:
        near = st.tuples(st.sampled_from(values), st.integers(-5, 5)).map(
            lambda pair: pair[0] + timedelta(days=pair[1])
        )
    else:
        offsets = st.decimals(min_value=-5, max_value=5, places=3, allow_nan=False, allow_infinity=False)
        near = st.tuples(st.sampled_from(values), offsets).map(lambda pair: max(pair[0] + pair[1], D(0)))
    return achievements(unit) | near


Case = tuple[Unit, ScoringMethod, Direction, Targets]


@FAST
@given(case=scoring_cases(), data=st.data())
def test_property_raw_score_is_zero_or_between_60_and_100(case: Case, data: st.DataObject) -> None:
    """Raw score is never above 100; with the five-level methods never strictly between 0 and 60 (the APA
    rule), while proportional is the achievement's share of t100 (no floor)."""
    unit, method, direction, targets = case
    achievement = data.draw(st.none() | achievements_near(unit, targets))
    raw = raw_score(
        unit=unit, targets=targets, achievement=achievement, scoring_method=method, direction=direction
    )
    assert D(0) <= raw <= D(100)
    if method is not PROPORTIONAL:
        assert raw == 0 or D(60) <= raw
    elif achievement is not None and targets.t100 > 0 and achievement > 0:
        share = achievement / targets.t100 if direction is not LOWER else targets.t100 / achievement
        assert raw == min(D(100) * share, D(100))


@FAST
@given(
    case=scoring_cases(), data=st.data(), weight=st.decimals(min_value=D("0.01"), max_value=D(100), places=2)
)
def test_property_marks_are_weight_times_the_printed_raw(
    case: Case, data: st.DataObject, weight: Decimal
) -> None:
    """DESIGN.md §3.3 for every method: marks = round(weight × round(raw, 2) / 100, 2), so a reader who
    checks a printed row by hand gets its marks."""
    unit, method, direction, targets = case
    achievement = data.draw(st.none() | achievements_near(unit, targets))
    raw = raw_score(
        unit=unit, targets=targets, achievement=achievement, scoring_method=method, direction=direction
    )
    assert indicator_marks(weight, raw) == round2(weight * round2(raw) / 100)


@FAST
@given(case=scoring_cases(), data=st.data())
def test_property_better_achievement_never_scores_lower(case: Case, data: st.DataObject) -> None:
    """Improving an achievement never lowers its score (every method, direction, unit)."""
    unit, method, direction, targets = case
    first = data.draw(achievements_near(unit, targets))
    second = data.draw(achievements_near(unit, targets))
    if unit is Unit.DATE or direction is LOWER:
        better, worse = min(first, second), max(first, second)  # type: ignore[type-var]
    else:
        better, worse = max(first, second), min(first, second)  # type: ignore[type-var]
    kwargs = {"unit": unit, "targets": targets, "scoring_method": method, "direction": direction}
    assert raw_score(achievement=better, **kwargs) >= raw_score(achievement=worse, **kwargs)  # type: ignore[arg-type]


@FAST
@given(case=scoring_cases())
def test_property_meeting_the_100_target_scores_100(case: Case) -> None:
    """An achievement equal to t100 scores 100 with every method."""
    unit, method, direction, targets = case
    raw = raw_score(
        unit=unit, targets=targets, achievement=targets.t100, scoring_method=method, direction=direction
    )
    assert raw == 100


@FAST
@given(case=scoring_cases(), data=st.data(), weight=amounts)
def test_property_marks_between_zero_and_weight(case: Case, data: st.DataObject, weight: Decimal) -> None:
    """Indicator marks are never negative and never exceed the weight (weights have 2 decimals)."""
    unit, method, direction, targets = case
    achievement = data.draw(st.none() | achievements_near(unit, targets))
    raw = raw_score(
        unit=unit, targets=targets, achievement=achievement, scoring_method=method, direction=direction
    )
    marks = indicator_marks(weight, raw)
    assert D(0) <= marks <= weight


@st.composite
def plan_indicators(draw: st.DrawFn, area_codes: list[str]) -> IndicatorInput:
    unit, method, direction, targets = draw(scoring_cases())
    if unit is Unit.DATE:
        calc_method = CalcMethod.DATE
    else:
        calc_method = draw(st.sampled_from([C_SUM, C_AVG, C_CUM]))
    quarterly = draw(st.dictionaries(st.integers(1, 4), st.none() | achievements(unit), max_size=4))
    if unit is not Unit.DATE:
        quarterly = {q: (v / 4 if v is not None else None) for q, v in quarterly.items()}
    return IndicatorInput(
        code=f"i{draw(st.integers(0, 999))}",
        area_code=draw(st.sampled_from(area_codes)),
        unit=unit,
        weight=draw(st.decimals(min_value=0, max_value=20, places=2, allow_nan=False, allow_infinity=False)),
        calc_method=calc_method,
        scoring_method=method,
        direction=direction,
        targets=targets,
        quarterly=quarterly,
        applicable=draw(st.booleans()),
    )


@settings(max_examples=60, deadline=None, database=None)
@given(data=st.data(), area_count=st.integers(1, 3), up_to_quarter=st.integers(1, 4))
def test_property_plan_achieved_marks_never_exceed_applicable_weight(
    data: st.DataObject, area_count: int, up_to_quarter: int
) -> None:
    """Plan achieved marks ≤ applicable weight, percent ≤ 100, scaled ≤ total weight, areas add up."""
    codes = [str(n) for n in range(1, area_count + 1)]
    areas = [AreaInput(code, D(10)) for code in codes]
    inds = data.draw(st.lists(plan_indicators(codes), max_size=6))
    plan = score_plan(areas, inds, up_to_quarter=up_to_quarter)
    assert D(0) <= plan.achieved_marks <= plan.applicable_weight <= plan.total_weight
    assert D(0) <= plan.percent <= D(100)
    assert plan.scaled_marks <= plan.total_weight
    assert plan.achieved_marks == sum((area.achieved_marks for area in plan.areas), D(0))
    for area in plan.areas:
        assert area.achieved_marks <= area.applicable_weight
    for score in plan.indicators:
        assert (score.achieved_marks is None) == (not score.applicable)
