"""Dates as the offices write them, and a value or a target in its indicator's unit."""

from __future__ import annotations

import calendar
import re
from datetime import date
from decimal import Decimal

from base.bangla import to_ascii_digits
from indicators.parsing.cells import CellError, bn_digits, clean_text, is_blank, quote_raw
from indicators.parsing.numbers import parse_decimal
from indicators.scoring import Unit

# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

_DMY = re.compile(r"(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d+)", re.ASCII)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?", re.ASCII)
_MIN_YEAR, _MAX_YEAR = 1900, 2100
_DATE_HINT_BN = "দিন/মাস/বছর আকারে লিখুন, যেমন ০৫/০৭/২০২৩"
_DATE_HINT_EN = "write day/month/year, e.g. 05/07/2023"


def parse_date(raw: str) -> date:
    """d/m/yyyy with "/", "-" or "." (day first), ISO yyyy-mm-dd, or an ISO midnight datetime.

    Bangla or ASCII digits. Two-digit years, impossible dates and years outside 1900-2100 are
    refused.
    """
    text = to_ascii_digits(clean_text(raw))
    if not text:
        raise CellError(f"তারিখ খালি — {_DATE_HINT_BN}", f"Date is empty — {_DATE_HINT_EN}")
    if match := _ISO.fullmatch(text):
        year, month, day = (int(g) for g in match.group(1, 2, 3))
        time_parts = [g for g in match.group(4, 5, 6, 7) if g is not None]
        if any(int(g) for g in time_parts):
            raise CellError(
                f"তারিখের সাথে সময় দেওয়া আছে: {quote_raw(raw)} — শুধু তারিখ লিখুন, যেমন ০৫/০৭/২০২৩",
                f"The date has a time of day: {quote_raw(raw)} — write only the date, e.g. 05/07/2023",
            )
    elif match := _DMY.fullmatch(text):
        day, month = int(match[1]), int(match[3])
        year_text = match[4]
        if len(year_text) == 2:
            raise CellError(
                f"বছর চার অঙ্কে লিখুন: {quote_raw(raw)} — যেমন ০৫/০৭/২০২৩",
                f"Write the year with four digits: {quote_raw(raw)} — e.g. 05/07/2023",
            )
        if len(year_text) != 4:
            raise CellError(
                f"তারিখ বোঝা যায়নি: {quote_raw(raw)} — {_DATE_HINT_BN}",
                f"Not a valid date: {quote_raw(raw)} — {_DATE_HINT_EN}",
            )
        year = int(year_text)
    else:
        raise CellError(
            f"তারিখ বোঝা যায়নি: {quote_raw(raw)} — {_DATE_HINT_BN}",
            f"Not a valid date: {quote_raw(raw)} — {_DATE_HINT_EN}",
        )
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise CellError(
            f"তারিখের বছর ঠিক নেই: {quote_raw(raw)} — বছর {bn_digits(_MIN_YEAR)} থেকে {bn_digits(_MAX_YEAR)} এর মধ্যে হবে",
            f"The year is out of range: {quote_raw(raw)} — it must be between {_MIN_YEAR} and {_MAX_YEAR}",
        )
    if not 1 <= month <= 12:
        raise CellError(
            f"তারিখ বোঝা যায়নি: {quote_raw(raw)} — মাস ১ থেকে ১২ এর মধ্যে হবে; {_DATE_HINT_BN}",
            f"Not a valid date: {quote_raw(raw)} — the month must be 1 to 12; {_DATE_HINT_EN}",
        )
    last_day = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last_day:
        raise CellError(
            f"তারিখ বোঝা যায়নি: {quote_raw(raw)} — {bn_digits(year)} সালের {bn_digits(month)} নং মাসে দিন ১ থেকে "
            f"{bn_digits(last_day)}; {_DATE_HINT_BN}",
            f"Not a valid date: {quote_raw(raw)} — month {month} of {year} has days 1 to {last_day}; "
            f"{_DATE_HINT_EN}",
        )
    return date(year, month, day)


# --------------------------------------------------------------------------------------------
# Values and targets
# --------------------------------------------------------------------------------------------


def parse_value(raw: str, unit: Unit) -> Decimal | date:
    """A value in ``unit``: date -> parse_date; percent -> decimal, "%" optional; number -> decimal, no "%".

    Negative values are refused.
    """
    unit = Unit(unit)
    if unit is Unit.DATE:
        return parse_date(raw)
    if unit is Unit.PERCENT:
        return parse_decimal(raw, allow_percent=True)
    text = clean_text(raw)
    if text.endswith("%"):
        raise CellError(
            f"এই সূচকের একক সংখ্যা, শতাংশ নয়: {quote_raw(raw)} — % চিহ্ন ছাড়া লিখুন",
            f"This indicator's unit is a number, not a percentage: {quote_raw(raw)} — write it without %",
        )
    return parse_decimal(raw)


def parse_target(raw: str | None, unit: Unit) -> Decimal | date | None:
    """Blank (see :func:`is_blank`) -> None, otherwise :func:`parse_value`."""
    if is_blank(raw):
        return None
    return parse_value(raw, unit)  # type: ignore[arg-type]  # not None: is_blank(None) is True
