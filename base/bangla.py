"""Bangla digits, numbers and dates for the Bangla UI and the PDFs.

Pure functions, no Django imports: used by parsing (input side) and by templates and reports
(output side).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

BANGLA_DIGITS = "০১২৩৪৫৬৭৮৯"
ASCII_DIGITS = "0123456789"

_TO_BANGLA = str.maketrans(ASCII_DIGITS, BANGLA_DIGITS)
_TO_ASCII = str.maketrans(BANGLA_DIGITS, ASCII_DIGITS)


def to_bangla_digits(text: object) -> str:
    """Replace every ASCII digit in ``str(text)`` with its Bangla digit; nothing else changes."""
    return str(text).translate(_TO_BANGLA)


def to_ascii_digits(text: str) -> str:
    """Replace every Bangla digit with its ASCII digit; nothing else changes."""
    return text.translate(_TO_ASCII)


# ---------------------------------------------------------------------------------------------------------
# Output formatting: numbers, percentages, marks, dates, labels.
#
# Every Bangla string in this module is kept in Unicode NFC.  NFC matters for the letters with a nukta:
# the precomposed code points U+09DC (ড়), U+09DD (ঢ়) and U+09DF (য়) are composition exclusions, so NFC
# stores them decomposed (U+09A1/U+09A2/U+09AF followed by U+09BC BENGALI SIGN NUKTA).  Text typed on
# different keyboards may use either form; producing NFC everywhere keeps comparisons, sorting and
# searching consistent.  The tests assert that every constant is NFC.
# ---------------------------------------------------------------------------------------------------------

NumberLike = Decimal | int | float | str

#: Gregorian month names as written in Bangladesh government documents (Bangla Academy spelling).
GREGORIAN_MONTHS_BN: tuple[str, ...] = (
    "জানুয়ারি",
    "ফেব্রুয়ারি",
    "মার্চ",
    "এপ্রিল",
    "মে",
    "জুন",
    "জুলাই",
    "আগস্ট",
    "সেপ্টেম্বর",
    "অক্টোবর",
    "নভেম্বর",
    "ডিসেম্বর",
)

#: Bangla calendar month names; index 0 is বৈশাখ (month 1).
BANGLA_MONTHS: tuple[str, ...] = (
    "বৈশাখ",
    "জ্যৈষ্ঠ",
    "আষাঢ়",
    "শ্রাবণ",
    "ভাদ্র",
    "আশ্বিন",
    "কার্তিক",
    "অগ্রহায়ণ",
    "পৌষ",
    "মাঘ",
    "ফাল্গুন",
    "চৈত্র",
)

#: Era suffixes used by :func:`format_dual_date`.
BANGABDA = "বঙ্গাব্দ"
KHRISTABDA = "খ্রিস্টাব্দ"

#: Bangla ordinal abbreviations 1st..4th (১ম, ২য়, ৩য়, ৪র্থ) used by :func:`quarter_label`.
QUARTER_ORDINALS_BN: tuple[str, ...] = ("১ম", "২য়", "৩য়", "৪র্থ")
QUARTER_WORD_BN = "ত্রৈমাসিক"

# EN DASH (U+2013) between the month names of a range, the typographic rule for ranges.
_RANGE_DASH = "\u2013"


def _to_decimal(value: NumberLike) -> Decimal:
    """Convert ``value`` to a finite :class:`~decimal.Decimal`.

    * ``float`` goes through ``repr`` (its shortest round-tripping decimal form), so ``2.675`` is
      treated as the decimal 2.675 a person typed, not as the binary value 2.67499999...
    * ``str`` may use Bangla or ASCII digits and surrounding whitespace; group separators are refused.
    * ``bool`` is refused (it is an ``int`` subclass but never a number to print).

    Raises ``TypeError`` for other types and ``ValueError`` for unparsable or non-finite values.
    """
    if isinstance(value, bool):
        raise TypeError("format_number() does not accept bool")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            result = Decimal(to_ascii_digits(value.strip()))
        except InvalidOperation:
            raise ValueError(f"not a number: {value!r}") from None
    else:
        raise TypeError(f"cannot format {type(value).__name__} as a number")
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


def _round_half_up(value: Decimal, decimals: int) -> Decimal:
    """Round ``value`` to ``decimals`` places with ROUND_HALF_UP (2.675 → 2.68, -2.675 → -2.68).

    A private context with enough precision is used so that large values never raise InvalidOperation
    (the default context only carries 28 significant digits).
    """
    precision = max(28, value.adjusted() + decimals + 2)
    context = Context(prec=precision, rounding=ROUND_HALF_UP)
    return value.quantize(Decimal(1).scaleb(-decimals), context=context)


def _group_south_asian(digits: str) -> str:
    """Group an unsigned run of integer digits the South-Asian way (lakh/crore).

    The last three digits form one group, every group to the left of it has two digits:
    ``1234567`` → ``12,34,567``; ``1000`` → ``1,000``; ``100`` → ``100``.
    """
    if len(digits) <= 3:
        return digits
    head, tail = digits[:-3], digits[-3:]
    groups: list[str] = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    groups.insert(0, head)
    return ",".join([*groups, tail])


def _format_decimal(value: Decimal, *, bangla: bool) -> str:
    """Write ``value`` in fixed-point notation with South-Asian grouping; no rounding happens here.

    A zero result never carries a minus sign ("-0.00" is printed as "0.00").
    """
    text = format(value, "f")  # fixed-point, never an exponent; keeps the value's own trailing zeros
    negative = text.startswith("-")
    if negative:
        text = text[1:]
    integer, dot, fraction = text.partition(".")
    result = _group_south_asian(integer) + dot + fraction
    if negative and not value.is_zero():
        result = "-" + result
    return to_bangla_digits(result) if bangla else result


def format_number(value: NumberLike, *, decimals: int | None = None, bangla: bool = True) -> str:
    """Format a number with South-Asian digit grouping, in Bangla digits by default.

    * Grouping: last three digits, then groups of two (``1234567.5`` → ``১২,৩৪,৫৬৭.৫``).
    * ``decimals=None``: the value is printed as given, in fixed-point notation: ``Decimal("82.00")`` →
      ``"৮২.০০"``, ``Decimal("1E+3")`` → ``"১,০০০"``; an ``int`` has no fraction.
    * ``decimals=n``: rounded to ``n`` places with ROUND_HALF_UP and padded with zeros
      (``Decimal("2.675")`` → ``"২.৬৮"``).
    * Negative values use ASCII HYPHEN-MINUS: ``"-১,২৩৪"``; a value that is (or rounds to) zero is unsigned.
    * ``bangla=False`` gives the same text with ASCII digits.

    Raises ``ValueError`` for a negative ``decimals``, unparsable strings, NaN and infinities.
    """
    number = _to_decimal(value)
    if decimals is not None:
        if decimals < 0:
            raise ValueError(f"decimals must be >= 0, got {decimals}")
        number = _round_half_up(number, decimals)
    return _format_decimal(number, bangla=bangla)


def format_percent(value: NumberLike, *, decimals: int | None = None, bangla: bool = True) -> str:
    """Format a percentage (the value is already in percent: 82 → ``"৮২%"``).

    * ``decimals=None``: trailing zeros of the fraction are dropped, and the point with them when the
      fraction is zero: ``Decimal("82.00")`` → ``"৮২%"``, ``Decimal("93.50")`` → ``"৯৩.৫%"``,
      ``Decimal("93.27")`` → ``"৯৩.২৭%"``.
    * ``decimals=n``: exactly ``n`` places, ROUND_HALF_UP (as :func:`format_number`).
    * Grouping and the minus sign as :func:`format_number`.
    """
    number = _to_decimal(value)
    if decimals is None:
        text = format(number, "f")
        if "." in text:
            number = Decimal(text.rstrip("0").rstrip("."))
        return format_number(number, bangla=bangla) + "%"
    return format_number(number, decimals=decimals, bangla=bangla) + "%"


def format_marks(value: NumberLike) -> str:
    """Format marks/scores: always two decimals, ROUND_HALF_UP, Bangla digits (``"৪৪.৭৭"``, ``"৭.২০"``)."""
    return format_number(value, decimals=2)


def format_date_short(d: date) -> str:
    """Format a Gregorian date as ``dd/mm/yyyy`` in Bangla digits: ``"০৫/০৭/২০২৩"``."""
    return to_bangla_digits(f"{d.day:02d}/{d.month:02d}/{d.year:04d}")


def format_date_long(d: date) -> str:
    """Format a Gregorian date as two-digit day, Bangla month name, year: ``"০৫ জুলাই ২০২৩"``."""
    return to_bangla_digits(f"{d.day:02d} {GREGORIAN_MONTHS_BN[d.month - 1]} {d.year:04d}")


# ---------------------------------------------------------------------------------------------------------
# The Bangla (Bangladesh) calendar, Bangla Academy revision in force since 1426 বঙ্গাব্দ (2019):
#
# * 1 বৈশাখ is always 14 April; the Bangla year beginning then is the Gregorian year − 593 (so
#   14 April 2023 = ১ বৈশাখ ১৪৩০); before 14 April the Bangla year is the Gregorian year − 594.
# * বৈশাখ … আশ্বিন (months 1–6): 31 days; কার্তিক … মাঘ (7–10): 30 days; ফাল্গুন (11): 29 days, 30 when the
#   Gregorian year in which it falls (Gregorian start year + 1) is a leap year; চৈত্র (12): 30 days.
#
# Consequence used as a cross-check in the tests: every month starts on the same Gregorian day each year
# (ফাল্গুন on 14 Feb, চৈত্র on 15 Mar; the leap day is absorbed by ফাল্গুন), so 21 Feb = ৮ ফাল্গুন,
# 16 Dec = ১ পৌষ and 26 Mar = ১২ চৈত্র in every year.
#
# The rule is applied proleptically to every Gregorian date `datetime.date` can represent.
# ---------------------------------------------------------------------------------------------------------

# Offset between the Bangla year and the Gregorian year in which it begins (rule: 1 বৈশাখ ১৪৩০ = 14 Apr 2023).
_BANGLA_YEAR_OFFSET = 593
# Gregorian month/day of 1 বৈশাখ (rule: 14 April).
_NEW_YEAR_MONTH, _NEW_YEAR_DAY = 4, 14


def _gregorian_ordinal(year: int, month: int, day: int) -> int:
    """Proleptic Gregorian ordinal (1 January of year 1 = 1), valid for any integer year.

    Same numbering as :meth:`datetime.date.toordinal`, but it also works for year 0 (needed for the Bangla
    year that begins on 14 April of year 0, which contains 1 January 0001).
    """
    prior = year - 1
    days_before_year = 365 * prior + prior // 4 - prior // 100 + prior // 400
    days_before_month = sum(calendar.mdays[1:month]) + (1 if month > 2 and calendar.isleap(year) else 0)
    return days_before_year + days_before_month + day


def _bangla_new_year_ordinal(bangla_year: int) -> int:
    """Ordinal of 1 বৈশাখ of ``bangla_year`` (14 April of Gregorian year ``bangla_year + 593``)."""
    return _gregorian_ordinal(bangla_year + _BANGLA_YEAR_OFFSET, _NEW_YEAR_MONTH, _NEW_YEAR_DAY)


def bangla_month_lengths(bangla_year: int) -> tuple[int, ...]:
    """Return the 12 month lengths of ``bangla_year`` (index 0 = বৈশাখ).

    31 × 6 (বৈশাখ–আশ্বিন), 30 × 4 (কার্তিক–মাঘ), ফাল্গুন 29 or 30 (30 when Gregorian year
    ``bangla_year + 594``, the one ফাল্গুন falls in, is a leap year), চৈত্র 30.
    """
    falgun = 30 if calendar.isleap(bangla_year + _BANGLA_YEAR_OFFSET + 1) else 29
    return (31, 31, 31, 31, 31, 31, 30, 30, 30, 30, falgun, 30)


@dataclass(frozen=True, order=True)
class BanglaDate:
    """A date in the Bangla calendar; ``month`` is 1..12 with 1 = বৈশাখ.

    Construction does not validate (so an impossible date can be represented and refused by
    :func:`from_bangla_date`); dates produced by :func:`to_bangla_date` are always valid.  Ordering is
    chronological for valid dates (fields compare as ``(year, month, day)``).
    """

    year: int
    month: int
    day: int

    @property
    def month_name(self) -> str:
        """The Bangla month name, e.g. ``"আষাঢ়"`` for month 3; ``ValueError`` if month is not 1..12."""
        if not 1 <= self.month <= 12:
            raise ValueError(f"Bangla month must be 1..12, got {self.month}")
        return BANGLA_MONTHS[self.month - 1]

    def __str__(self) -> str:
        """Day (not zero-padded), month name and year in Bangla digits: ``"২১ আষাঢ় ১৪৩০"``."""
        return to_bangla_digits(f"{self.day} {self.month_name} {self.year}")


def to_bangla_date(d: date) -> BanglaDate:
    """Convert a Gregorian date to the Bangla calendar (5 July 2023 → ``BanglaDate(1430, 3, 21)``)."""
    before_new_year = (d.month, d.day) < (_NEW_YEAR_MONTH, _NEW_YEAR_DAY)
    year = d.year - _BANGLA_YEAR_OFFSET - (1 if before_new_year else 0)
    remaining = d.toordinal() - _bangla_new_year_ordinal(year)  # 0-based day within the Bangla year
    for month, length in enumerate(bangla_month_lengths(year), start=1):
        if remaining < length:
            return BanglaDate(year, month, remaining + 1)
        remaining -= length
    raise AssertionError("unreachable: a Bangla year covers exactly the days up to the next 14 April")


def from_bangla_date(bd: BanglaDate) -> date:
    """Convert a Bangla date to the Gregorian calendar.

    Raises ``ValueError`` for an impossible Bangla date (month outside 1..12, day outside the month, e.g.
    ৩১ কার্তিক or ৩০ ফাল্গুন in a non-leap year) or one outside the range of :class:`datetime.date`.
    """
    if not 1 <= bd.month <= 12:
        raise ValueError(f"Bangla month must be 1..12, got {bd.month}")
    lengths = bangla_month_lengths(bd.year)
    if not 1 <= bd.day <= lengths[bd.month - 1]:
        raise ValueError(f"{bd.month_name} {bd.year} has {lengths[bd.month - 1]} days, got day {bd.day}")
    ordinal = _bangla_new_year_ordinal(bd.year) + sum(lengths[: bd.month - 1]) + bd.day - 1
    if not date.min.toordinal() <= ordinal <= date.max.toordinal():
        raise ValueError(f"{bd!r} is outside the supported Gregorian range")
    return date.fromordinal(ordinal)


def format_dual_date(d: date) -> str:
    """Bangla and Gregorian date together: ``"২১ আষাঢ় ১৪৩০ বঙ্গাব্দ / ০৫ জুলাই ২০২৩ খ্রিস্টাব্দ"``."""
    return f"{to_bangla_date(d)} {BANGABDA} / {format_date_long(d)} {KHRISTABDA}"


# ---------------------------------------------------------------------------------------------------------
# Labels for reports.  The Bangladesh government fiscal year runs 1 July – 30 June.
# ---------------------------------------------------------------------------------------------------------


def fiscal_year_label(start_year: int, *, bangla: bool = True) -> str:
    """Label of the fiscal year starting 1 July ``start_year``: 2022 → ``"২০২২-২৩"`` (1999 → ``"১৯৯৯-০০"``).

    ``ValueError`` unless ``1 <= start_year <= 9998`` (both calendar years must be representable).
    """
    if not 1 <= start_year <= 9998:
        raise ValueError(f"fiscal year start must be 1..9998, got {start_year}")
    label = f"{start_year:04d}-{(start_year + 1) % 100:02d}"
    return to_bangla_digits(label) if bangla else label


# Fiscal quarters as (first, last) Gregorian month, July–June fiscal year.
_FISCAL_QUARTER_MONTHS: tuple[tuple[int, int], ...] = ((7, 9), (10, 12), (1, 3), (4, 6))


def quarter_label(q: int) -> str:
    """Label of fiscal quarter ``q`` (1..4): 1 → ``"১ম ত্রৈমাসিক (জুলাই–সেপ্টেম্বর)"``.

    Quarters follow the July–June fiscal year; the months are joined by an EN DASH.  ``ValueError``
    unless ``q`` is 1..4.
    """
    if not 1 <= q <= 4:
        raise ValueError(f"quarter must be 1..4, got {q}")
    first, last = _FISCAL_QUARTER_MONTHS[q - 1]
    months = GREGORIAN_MONTHS_BN[first - 1] + _RANGE_DASH + GREGORIAN_MONTHS_BN[last - 1]
    return f"{QUARTER_ORDINALS_BN[q - 1]} {QUARTER_WORD_BN} ({months})"


def format_code(code: str) -> str:
    """Indicator/activity code in brackets with Bangla digits: ``"1.2.2"`` → ``"[১.২.২]"``.

    Surrounding whitespace is stripped; everything else is kept as given.
    """
    return f"[{to_bangla_digits(code.strip())}]"


def ordinal_serial(n: int, width: int = 2) -> str:
    """Serial number for numbered lists (e.g. copy lists), zero-padded to ``width``: 1 → ``"০১"``.

    The caller adds the punctuation (``"০১."``).  Wider numbers are not truncated (123 → ``"১২৩"``).
    ``ValueError`` if ``n < 1`` or ``width < 1``.
    """
    if n < 1:
        raise ValueError(f"serial number must be >= 1, got {n}")
    if width < 1:
        raise ValueError(f"width must be >= 1, got {width}")
    return to_bangla_digits(f"{n:0{width}d}")
