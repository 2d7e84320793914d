"""A quarter is progress to date, not a result (issue 14.6): its marks are computed against the annual targets,
so Q1's 36 % is not a failure. Beside the marks so far goes the pace expected at that quarter — a quarter
of the year's work per quarter (Q1 25 %, Q2 50 %, Q3 75 %) — and Q4, the annual report, is judged as
before (grade bands, the 60 % level).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from indicators import scoring

#: The share of the annual targets expected done by the end of each quarter, in percent.
EXPECTED_PACE = {1: Decimal(25), 2: Decimal(50), 3: Decimal(75), 4: Decimal(100)}
#: The annual report's quarter: its marks are the year's result, not progress to date.
ANNUAL_QUARTER = 4


def expected_pace(quarter: int) -> Decimal:
    return EXPECTED_PACE[quarter]


@dataclass(frozen=True)
class QuarterPace:
    quarter: int
    percent: Decimal | None  # the marks so far, in percent of the applicable weight
    expected: Decimal  # the pace expected at this quarter, in percent

    @property
    def is_partial(self) -> bool:
        """Before Q4 the marks are progress to date (the annual view is unchanged)."""
        return self.quarter < ANNUAL_QUARTER

    @property
    def on_pace(self) -> bool:
        return self.percent is not None and self.percent >= self.expected

    @property
    def of_pace(self) -> Decimal | None:
        """How far along the expected pace the marks are, in percent (100: exactly on pace)."""
        if self.percent is None:
            return None
        return scoring.round2(100 * self.percent / self.expected)


def quarter_pace(percent: Decimal | None, quarter: int) -> QuarterPace:
    return QuarterPace(quarter=quarter, percent=percent, expected=expected_pace(quarter))
