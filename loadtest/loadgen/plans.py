"""Each office's plan: the template every generated plan starts from, and what each office varies in it —
weights, targets, how well it does and the quarterly values it reports (pure: no database).

Every generated plan has the same structure: the demo plan's 12 indicators in two areas (30 + 20 marks) and a
13th, as in the 2023-24 plans (issue 6 asks for 13): "[১.৫.১] স্মার্ট বাংলাদেশ বিনির্মাণ বিষয়ক কর্মপরিকল্পনা
প্রণীত" (the 2023-24 plans ask for a Smart Bangladesh action plan; seed 003 is the one the Ministry of Social
Welfare sent), a date indicator whose 3 marks are taken from 1.2.2 (7 → 4), so area 1 still sums to 30. The
13th indicator is a row in the plan sheet's own format (DESIGN.md §7), ``data/smart-bangladesh-indicator.csv``,
with dates in the template's year.

Weights move between the indicators of an area and targets vary inside the rules of DESIGN.md §3.5; offices
spread over the whole range of scores (some excellent, some below 60 %).
"""

from __future__ import annotations

import datetime
import functools
import random
from dataclasses import dataclass, replace
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from itertools import pairwise
from pathlib import Path

from django.conf import settings

from indicators import scoring
from indicators.plan_sheet import ParsedIndicator, plan_sheet_parse
from indicators.sheets import read_sheet
from loadtest.loadgen.names import DATA_DIR

TEMPLATE_DIR = Path(settings.BASE_DIR) / "apa_tracker" / "demo" / "mofa-2022-23"
TEMPLATE_START_YEAR = 2022
# The template's "half-yearly reports of subordinate offices sent" indicator: not applicable to an office
# without subordinate offices, as in the demo plan (আওতাধীন কোনো দপ্তর/সংস্থা নেই).
SUBORDINATE_REPORTS_INDICATOR = "2.2.4"
# The 13th indicator (see the module's docstring); its marks come from DONOR_INDICATOR.
SMART_BANGLADESH_FILE = DATA_DIR / "smart-bangladesh-indicator.csv"
DONOR_INDICATOR = ("[১.২.২]", "৪")  # code cell, its weight once the 13th indicator's 3 marks are taken

Value = Decimal | datetime.date
FOUR_PLACES = Decimal("0.0001")
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class PlanTemplate:
    areas: list[tuple[str, str, Decimal]]  # code, title, marks (two decimal places, as stored)
    activities: list[tuple[str, str, str]]  # code, title, area code
    indicators: list[ParsedIndicator]  # as parsed, the date targets moved into the year


@functools.cache
def plan_template(start_year: int) -> PlanTemplate:
    """The demo plan with the 13th indicator, its date targets moved into the fiscal year ``start_year``;
    parsed and checked as an uploaded plan sheet is (weights summing to the area's marks, targets in order)."""
    sheet = read_sheet(TEMPLATE_DIR / "plan.csv")
    code_column, weight_column = sheet.headers.index("সূচক নং"), sheet.headers.index("সূচকের মান")
    rows = [
        (number, [*cells[:weight_column], DONOR_INDICATOR[1], *cells[weight_column + 1 :]])
        if cells[code_column] == DONOR_INDICATOR[0]
        else (number, cells)
        for number, cells in sheet.rows
    ]
    # The 13th indicator's cells in the template's column order; it goes after area 1's last row (row numbers
    # only name rows in error messages; the order is the plan's order).
    extra = read_sheet(SMART_BANGLADESH_FILE)
    smart_bangladesh = [dict(zip(extra.headers, extra.rows[0][1], strict=True))[h] for h in sheet.headers]
    after = max(i for i, (_number, cells) in enumerate(rows) if cells[0] == smart_bangladesh[0])
    rows.insert(after + 1, (rows[after][0], smart_bangladesh))
    parsed = plan_sheet_parse(replace(sheet, rows=rows))
    years = start_year - TEMPLATE_START_YEAR

    def shift(value: Value | None) -> Value | None:
        if isinstance(value, datetime.date):
            try:
                return value.replace(year=value.year + years)
            except ValueError:  # 29 February
                return value.replace(year=value.year + years, day=28)
        return value

    return PlanTemplate(
        areas=[(a.code, a.title, a.marks.quantize(TWO_PLACES)) for a in parsed.areas],
        activities=[(a.code, a.title, a.area_code) for a in parsed.activities],
        indicators=[
            replace(i, targets={level: shift(value) for level, value in i.targets.items()})
            for i in parsed.indicators
        ],
    )


def varied_weights(rng: random.Random, template: PlanTemplate) -> dict[str, Decimal]:
    """Whole marks moved between indicators of the same area: every area still sums to its marks (§2)."""
    weights = {i.code: i.weight for i in template.indicators}
    for area_code, _title, _marks in template.areas:
        codes = [i.code for i in template.indicators if i.area_code == area_code]
        if len(codes) < 2:
            continue
        for _ in range(rng.randint(0, 3)):
            donor, taker = rng.sample(codes, 2)
            if weights[donor] > 1:
                weights[donor] -= 1
                weights[taker] += 1
    return weights


def varied_targets(
    rng: random.Random, indicator: ParsedIndicator, fy_start: datetime.date, fy_end: datetime.date
) -> dict[int, Value | None]:
    """The template's targets moved and stretched, kept in order from 100 % down (DESIGN.md §3.5: each
    level equal to or worse than the one above it), dates inside the fiscal year."""
    unit, direction, targets = indicator.unit, indicator.direction, indicator.targets
    t100 = targets[100]
    out: dict[int, Value | None] = {}
    if unit is scoring.Unit.DATE:
        assert isinstance(t100, datetime.date)
        base = t100 + datetime.timedelta(days=rng.randint(-12, 15))
        stretch = rng.uniform(0.7, 1.5)
        for level, value in targets.items():
            if value is None:
                out[level] = None
                continue
            assert isinstance(value, datetime.date)
            moved = base + datetime.timedelta(days=round((value - t100).days * stretch))
            out[level] = min(max(moved, fy_start), fy_end)
    elif unit is scoring.Unit.PERCENT:
        delta = Decimal(rng.randint(-10, 8))
        for level, value in targets.items():
            out[level] = None if value is None else min(max(value + delta, Decimal(1)), Decimal(100))
    else:
        assert isinstance(t100, Decimal)
        new_t100 = max(Decimal(1), t100 + rng.choice((-1, 0, 0, 0, 1, 2)))
        ratio = new_t100 / t100 if t100 else Decimal(1)
        for level, value in targets.items():
            out[level] = None if value is None else (value * ratio).quantize(Decimal(1), ROUND_HALF_UP)
    # Keep the order: a level better than the one above it is pulled back to it.
    previous: Value | None = None
    for level in scoring.LEVEL_PERCENTS:
        value = out.get(level)
        if value is None:
            continue
        if previous is not None and scoring.goodness(value, unit, direction) > scoring.goodness(
            previous, unit, direction
        ):
            out[level] = value = previous
        previous = value
    return {level: as_stored(value) for level, value in out.items()}


def as_stored(value: Value | None) -> Value | None:
    """Numbers as the database gives them back (four decimal places), so snapshots computed here equal the
    ones the scoring service computes from the stored rows."""
    if isinstance(value, Decimal):
        return value.quantize(FOUR_PLACES)
    return value


def office_quality(rng: random.Random) -> float:
    """The level around which an office's indicators score: about a third excellent, one in twelve poor."""
    draw = rng.random()
    if draw < 0.30:
        return rng.uniform(97, 112)
    if draw < 0.75:
        return rng.uniform(84, 98)
    if draw < 0.92:
        return rng.uniform(68, 86)
    return rng.uniform(35, 68)


def achievement_for(
    rng: random.Random, indicator: ParsedIndicator, targets: dict[int, Value | None], desired: float
) -> Value | None:
    """An achievement that scores about ``desired`` percent on these targets (None: nothing achieved)."""
    unit, direction = indicator.unit, indicator.direction
    levels = [(p, targets[p]) for p in scoring.LEVEL_PERCENTS if targets.get(p) is not None]
    higher = direction is scoring.Direction.HIGHER
    if desired >= 100:
        best = levels[0][1]
        if isinstance(best, datetime.date):
            return best - datetime.timedelta(days=rng.randint(0, 12))
        if unit is scoring.Unit.PERCENT:
            extra = Decimal(rng.randint(0, 800)) / 100
            return min(Decimal(100), best + extra) if higher else max(Decimal(0), best - extra)
        extra = Decimal(rng.randint(0, max(1, int(best) // 2)))
        return best + extra if higher else max(Decimal(0), best - extra)
    for (p_hi, t_hi), (p_lo, t_lo) in pairwise(levels):
        if p_lo <= desired <= p_hi:
            fraction = (desired - p_lo) / (p_hi - p_lo)
            if isinstance(t_hi, datetime.date) and isinstance(t_lo, datetime.date):
                return t_lo + datetime.timedelta(days=round(fraction * (t_hi - t_lo).days))
            assert isinstance(t_hi, Decimal) and isinstance(t_lo, Decimal)
            value = t_lo + (t_hi - t_lo) * Decimal(str(round(fraction, 4)))
            places = TWO_PLACES if unit is scoring.Unit.PERCENT else Decimal(1)
            return value.quantize(places, ROUND_HALF_UP)
    # Worse than the lowest defined level (APA guideline: scores zero), or nothing done at all.
    if rng.random() < 0.3:
        return None
    lowest = levels[-1][1]
    if isinstance(lowest, datetime.date):
        return lowest + datetime.timedelta(days=rng.randint(1, 45))
    factor = Decimal(str(round(rng.uniform(0.3, 0.95) if higher else rng.uniform(1.05, 2.0), 2)))
    places = TWO_PLACES if unit is scoring.Unit.PERCENT else Decimal(1)
    return (lowest * factor).quantize(places, rounding=ROUND_FLOOR)


def quarter_of(day: datetime.date) -> int:
    """The fiscal quarter of a date: Q1 July–September … Q4 April–June."""
    return (day.month - 7) % 12 // 3 + 1


def quarterly_values(
    rng: random.Random, indicator: ParsedIndicator, achievement: Value | None
) -> dict[int, Value]:
    """Quarterly values whose annual achievement (DESIGN.md §3.1) is ``achievement``."""
    if achievement is None:
        return {}
    if isinstance(achievement, datetime.date):
        return {quarter_of(achievement): achievement}
    method = indicator.calc_method
    if method is scoring.CalcMethod.SUM:
        if indicator.unit is scoring.Unit.NUMBER:
            parts = [0, 0, 0, 0]
            for _ in range(int(achievement)):
                parts[rng.randrange(4)] += 1
            values = {q: Decimal(n) for q, n in zip((1, 2, 3, 4), parts, strict=True)}
        else:
            cuts = sorted(rng.random() for _ in range(3))
            shares = [b - a for a, b in pairwise([0.0, *cuts, 1.0])]
            values = {
                q: (achievement * Decimal(str(round(s, 4)))).quantize(TWO_PLACES)
                for q, s in enumerate(shares, 1)
            }
        # A quarter without anything done is written as 0 by some offices and left blank by others.
        return {q: v for q, v in values.items() if v > 0 or rng.random() < 0.5}
    if method is scoring.CalcMethod.AVERAGE:
        noise = [rng.uniform(-6, 6) for _ in range(4)]
        mean = sum(noise) / 4
        return {
            q: min(Decimal(100), max(Decimal(0), achievement + Decimal(str(round(n - mean, 2))))).quantize(
                TWO_PLACES
            )
            for q, n in enumerate(noise, 1)
        }
    # Cumulative: each quarter reports the running total; the last one is the achievement.
    fractions = sorted(rng.uniform(0.1, 1.0) for _ in range(3))
    values = {
        q: (achievement * Decimal(str(round(f, 3)))).quantize(TWO_PLACES) for q, f in enumerate(fractions, 1)
    }
    values[4] = achievement
    return values
