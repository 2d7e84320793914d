"""Tests for ``base.bangla``: number/percent/date formatting and the Bangla (Bangla Academy) calendar.

Pure-Python module: runs without Django (``pytest -p no:django``).
"""

from __future__ import annotations

import calendar
import unicodedata
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from base import bangla
from base.bangla import (
    ASCII_DIGITS,
    BANGLA_DIGITS,
    BANGLA_MONTHS,
    GREGORIAN_MONTHS_BN,
    BanglaDate,
    bangla_month_lengths,
    fiscal_year_label,
    format_code,
    format_date_long,
    format_date_short,
    format_dual_date,
    format_marks,
    format_number,
    format_percent,
    from_bangla_date,
    ordinal_serial,
    quarter_label,
    to_ascii_digits,
    to_bangla_date,
    to_bangla_digits,
)

# Hypothesis range required by the spec.
DATES_1900_2200 = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))

# Independent oracle: under the 2019 rule every Bangla month starts on the same Gregorian (month, day)
# each year (the leap day falls inside ফাল্গুন, which always ends on 14 March).
MONTH_STARTS: tuple[tuple[int, int], ...] = (
    (4, 14),  # বৈশাখ
    (5, 15),  # জ্যৈষ্ঠ
    (6, 15),  # আষাঢ়
    (7, 16),  # শ্রাবণ
    (8, 16),  # ভাদ্র
    (9, 16),  # আশ্বিন
    (10, 17),  # কার্তিক
    (11, 16),  # অগ্রহায়ণ
    (12, 16),  # পৌষ
    (1, 15),  # মাঘ
    (2, 14),  # ফাল্গুন
    (3, 15),  # চৈত্র
)


def oracle_bangla_date(d: date) -> BanglaDate:
    """Bangla date computed from the fixed Gregorian month-start table (not from month lengths)."""
    year = d.year - 593 if (d.month, d.day) >= (4, 14) else d.year - 594
    for month in range(12, 0, -1):
        start_month, start_day = MONTH_STARTS[month - 1]
        start_year = year + 593 if start_month >= 4 else year + 594
        start = date(start_year, start_month, start_day)
        if start <= d:
            return BanglaDate(year, month, (d - start).days + 1)
    raise AssertionError("unreachable")


def days(start: date, end: date) -> list[date]:
    """Every date from ``start`` to ``end`` inclusive."""
    return [start + timedelta(n) for n in range((end - start).days + 1)]


# --- constants and Unicode ------------------------------------------------------------------------------

ALL_CONSTANT_STRINGS: list[str] = [
    BANGLA_DIGITS,
    *GREGORIAN_MONTHS_BN,
    *BANGLA_MONTHS,
    bangla.BANGABDA,
    bangla.KHRISTABDA,
    *bangla.QUARTER_ORDINALS_BN,
    bangla.QUARTER_WORD_BN,
]


@pytest.mark.parametrize("text", ALL_CONSTANT_STRINGS)
def test_constants_are_nfc(text: str) -> None:
    assert unicodedata.normalize("NFC", text) == text
    # The nukta letters are composition exclusions: NFC never contains the precomposed forms.
    assert not set(text) & {"\u09dc", "\u09dd", "\u09df"}


def test_month_name_constants() -> None:
    assert GREGORIAN_MONTHS_BN == (
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
    assert BANGLA_MONTHS == (
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


def test_nukta_letters_spelled_out_by_code_point() -> None:
    # আষাঢ় ends in ঢ় = U+09A2 DDHA + U+09BC NUKTA (the NFC form of U+09DD RHA).
    assert BANGLA_MONTHS[2] == "\u0986\u09b7\u09be\u09a2\u09bc"
    # য় = U+09AF YA + U+09BC NUKTA (the NFC form of U+09DF YYA).
    assert GREGORIAN_MONTHS_BN[0] == "\u099c\u09be\u09a8\u09c1\u09af\u09bc\u09be\u09b0\u09bf"
    assert BANGLA_MONTHS[7] == "\u0985\u0997\u09cd\u09b0\u09b9\u09be\u09af\u09bc\u09a3"
    assert bangla.QUARTER_ORDINALS_BN[1] == "\u09e8\u09af\u09bc"


def test_test_file_literals_are_nfc() -> None:
    # Guards the expectations below: a non-NFC literal here would make a correct result look wrong.
    with open(__file__, encoding="utf-8") as handle:
        source = handle.read()
    assert unicodedata.normalize("NFC", source) == source


def test_existing_digit_helpers_unchanged() -> None:
    assert BANGLA_DIGITS == "০১২৩৪৫৬৭৮৯"
    assert ASCII_DIGITS == "0123456789"
    assert to_bangla_digits("1.2.2 ও 2023") == "১.২.২ ও ২০২৩"
    assert to_bangla_digits(42) == "৪২"
    assert to_ascii_digits("১২,৩৪৫.৬৭") == "12,345.67"


# --- format_number --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0, None, "০"),
        (0, 2, "০.০০"),
        (Decimal("0"), None, "০"),
        (Decimal("-0.00"), None, "০.০০"),
        (Decimal("-0.001"), 2, "০.০০"),
        (7, None, "৭"),
        (100, None, "১০০"),
        (999, None, "৯৯৯"),
        (1000, None, "১,০০০"),
        (12345, None, "১২,৩৪৫"),
        (123456, None, "১,২৩,৪৫৬"),
        (1234567, None, "১২,৩৪,৫৬৭"),
        (-1234, None, "-১,২৩৪"),
        (-100, None, "-১০০"),
        (Decimal("-1234567.891"), 2, "-১২,৩৪,৫৬৭.৮৯"),
        (1234567.5, 2, "১২,৩৪,৫৬৭.৫০"),
        (1234567890.5, 2, "১,২৩,৪৫,৬৭,৮৯০.৫০"),
        (Decimal("1234567890.5"), 2, "১,২৩,৪৫,৬৭,৮৯০.৫০"),
        (10**15, None, "১,০০,০০,০০,০০,০০,০০,০০০"),
        (Decimal("82.00"), None, "৮২.০০"),
        (Decimal("1E+3"), None, "১,০০০"),
        (Decimal("1.5E-3"), None, "০.০০১৫"),
        (Decimal("12.5"), 0, "১৩"),
        (Decimal("2.675"), 2, "২.৬৮"),
        (Decimal("-2.675"), 2, "-২.৬৮"),
        (Decimal("0.5"), 0, "১"),
        (Decimal("-0.5"), 0, "-১"),
        (Decimal("1.005"), 2, "১.০১"),
        (Decimal("999.995"), 2, "১,০০০.০০"),
        (Decimal("99999.5"), 0, "১,০০,০০০"),
        (Decimal("2.5"), 3, "২.৫০০"),
        (2.675, 2, "২.৬৮"),  # float via repr: rounded as the decimal 2.675
        (0.1, None, "০.১"),
        ("1234.5", None, "১,২৩৪.৫"),
        ("১২৩৪.৫", 2, "১,২৩৪.৫০"),
        (" 42 ", None, "৪২"),
        ("-7", 1, "-৭.০"),
        (Decimal("123456789012345678901234567890.125"), 2, "১,২৩,৪৫,৬৭,৮৯,০১,২৩,৪৫,৬৭,৮৯,০১,২৩,৪৫,৬৭,৮৯০.১৩"),
    ],
)
def test_format_number(value: Decimal | int | float | str, decimals: int | None, expected: str) -> None:
    assert format_number(value, decimals=decimals) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234567.5, 2, "12,34,567.50"),
        (1000, None, "1,000"),
        (-1234, None, "-1,234"),
        (Decimal("82.00"), None, "82.00"),
        (Decimal("2.675"), 2, "2.68"),
        (0, None, "0"),
    ],
)
def test_format_number_ascii(value: Decimal | int | float | str, decimals: int | None, expected: str) -> None:
    assert format_number(value, decimals=decimals, bangla=False) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "error"),
    [
        (1, -1, ValueError),
        ("abc", None, ValueError),
        ("1,234", None, ValueError),
        ("", None, ValueError),
        (Decimal("NaN"), None, ValueError),
        (float("inf"), 2, ValueError),
        ("-Infinity", None, ValueError),
        (True, None, TypeError),
        ([1], None, TypeError),
    ],
)
def test_format_number_rejects(value: object, decimals: int | None, error: type[Exception]) -> None:
    with pytest.raises(error):
        format_number(value, decimals=decimals)  # type: ignore[arg-type]


@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_format_number_grouping_property(n: int) -> None:
    text = format_number(n, bangla=False)
    assert int(text.replace(",", "")) == n
    groups = text.lstrip("-").split(",")
    assert len(groups[-1]) == 3 or len(groups) == 1
    assert all(len(g) == 2 for g in groups[1:-1])
    assert 1 <= len(groups[0]) <= (3 if len(groups) == 1 else 2)
    assert format_number(n) == to_bangla_digits(text)


@given(
    st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, allow_infinity=False, places=4),
    st.integers(min_value=0, max_value=3),
)
def test_format_number_rounds_half_up(value: Decimal, decimals: int) -> None:
    text = format_number(value, decimals=decimals, bangla=False)
    printed = Decimal(text.replace(",", ""))
    step = Decimal(1).scaleb(-decimals)
    # Half-up (away from zero on ties): |printed| - |value| lies in (-step/2, step/2].
    delta = abs(printed) - abs(value)
    assert -step / 2 < delta <= step / 2 or printed == 0
    assert len(text.partition(".")[2]) == decimals


# --- format_percent / format_marks ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (82, None, "৮২%"),
        (Decimal("82.00"), None, "৮২%"),
        (Decimal("93.27"), None, "৯৩.২৭%"),
        (Decimal("93.50"), None, "৯৩.৫%"),
        (Decimal("100"), None, "১০০%"),
        (Decimal("1E+2"), None, "১০০%"),
        (Decimal("0.00"), None, "০%"),
        (0, None, "০%"),
        (Decimal("-5.50"), None, "-৫.৫%"),
        (Decimal("1234.5"), None, "১,২৩৪.৫%"),
        (Decimal("93.275"), 2, "৯৩.২৮%"),
        (Decimal("82"), 1, "৮২.০%"),
        (Decimal("93.5"), 0, "৯৪%"),
        ("৭৫.০", None, "৭৫%"),
    ],
)
def test_format_percent(value: Decimal | int | float | str, decimals: int | None, expected: str) -> None:
    assert format_percent(value, decimals=decimals) == expected


def test_format_percent_ascii() -> None:
    assert format_percent(Decimal("93.50"), bangla=False) == "93.5%"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("44.77"), "৪৪.৭৭"),
        (Decimal("7.2"), "৭.২০"),
        (Decimal("0"), "০.০০"),
        (Decimal("0.00"), "০.০০"),
        (Decimal("2.675"), "২.৬৮"),
        (Decimal("99.999"), "১০০.০০"),
        (Decimal("-3.5"), "-৩.৫০"),
        (Decimal("1234.5"), "১,২৩৪.৫০"),
    ],
)
def test_format_marks(value: Decimal, expected: str) -> None:
    assert format_marks(value) == expected


# --- Gregorian date formatting --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "short", "long"),
    [
        (date(2023, 7, 5), "০৫/০৭/২০২৩", "০৫ জুলাই ২০২৩"),
        (date(2024, 1, 1), "০১/০১/২০২৪", "০১ জানুয়ারি ২০২৪"),
        (date(2024, 2, 29), "২৯/০২/২০২৪", "২৯ ফেব্রুয়ারি ২০২৪"),
        (date(1999, 12, 31), "৩১/১২/১৯৯৯", "৩১ ডিসেম্বর ১৯৯৯"),
        (date(2022, 10, 10), "১০/১০/২০২২", "১০ অক্টোবর ২০২২"),
    ],
)
def test_gregorian_date_formats(d: date, short: str, long: str) -> None:
    assert format_date_short(d) == short
    assert format_date_long(d) == long


@pytest.mark.parametrize("month", range(1, 13))
def test_format_date_long_uses_every_month_name(month: int) -> None:
    assert format_date_long(date(2023, month, 9)) == f"০৯ {GREGORIAN_MONTHS_BN[month - 1]} ২০২৩"


# --- Bangla calendar: required fixed points -------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "expected", "text"),
    [
        (date(2024, 3, 25), BanglaDate(1430, 12, 11), "১১ চৈত্র ১৪৩০"),
        (date(2022, 10, 10), BanglaDate(1429, 6, 25), "২৫ আশ্বিন ১৪২৯"),
        (date(2023, 7, 5), BanglaDate(1430, 3, 21), "২১ আষাঢ় ১৪৩০"),
        (date(2023, 4, 14), BanglaDate(1430, 1, 1), "১ বৈশাখ ১৪৩০"),
        (date(2024, 4, 13), BanglaDate(1430, 12, 30), "৩০ চৈত্র ১৪৩০"),
        (date(2023, 4, 13), BanglaDate(1429, 12, 30), "৩০ চৈত্র ১৪২৯"),
        (date(2024, 4, 14), BanglaDate(1431, 1, 1), "১ বৈশাখ ১৪৩১"),
        (date(2024, 3, 14), BanglaDate(1430, 11, 30), "৩০ ফাল্গুন ১৪৩০"),
        (date(2023, 3, 14), BanglaDate(1429, 11, 29), "২৯ ফাল্গুন ১৪২৯"),
        (date(2024, 1, 1), BanglaDate(1430, 9, 17), "১৭ পৌষ ১৪৩০"),
    ],
)
def test_known_dates(d: date, expected: BanglaDate, text: str) -> None:
    assert to_bangla_date(d) == expected
    assert str(expected) == text
    assert from_bangla_date(expected) == d


# 2020 and 2024 are leap years, 2000 is a leap century year, 2100 and 1900 are not leap years.
FIXED_POINT_YEARS = [1900, 1999, 2000, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2100]


@pytest.mark.parametrize("year", FIXED_POINT_YEARS)
def test_fixed_points_every_year(year: int) -> None:
    assert to_bangla_date(date(year, 12, 16)) == BanglaDate(year - 593, 9, 1)  # ১ পৌষ
    assert to_bangla_date(date(year, 2, 21)) == BanglaDate(year - 594, 11, 8)  # ৮ ফাল্গুন (Ekushey)
    assert to_bangla_date(date(year, 3, 26)) == BanglaDate(year - 594, 12, 12)  # ১২ চৈত্র
    assert to_bangla_date(date(year, 10, 16)) == BanglaDate(year - 593, 6, 31)  # ৩১ আশ্বিন
    assert to_bangla_date(date(year, 4, 14)) == BanglaDate(year - 593, 1, 1)  # ১ বৈশাখ
    assert to_bangla_date(date(year, 4, 13)) == BanglaDate(year - 594, 12, 30)  # ৩০ চৈত্র


@pytest.mark.parametrize("year", FIXED_POINT_YEARS)
def test_months_start_on_fixed_gregorian_days(year: int) -> None:
    bangla_year = year - 593
    for month, (start_month, start_day) in enumerate(MONTH_STARTS, start=1):
        gregorian_year = year if start_month >= 4 else year + 1
        start = date(gregorian_year, start_month, start_day)
        assert to_bangla_date(start) == BanglaDate(bangla_year, month, 1)
        assert from_bangla_date(BanglaDate(bangla_year, month, 1)) == start


# --- Bangla calendar: whole-range checks ----------------------------------------------------------------

DAYS_1990_2040 = days(date(1990, 1, 1), date(2040, 12, 31))


def test_round_trip_every_day_1990_2040() -> None:
    for d in DAYS_1990_2040:
        bd = to_bangla_date(d)
        assert from_bangla_date(bd) == d, d
        assert bd == oracle_bangla_date(d), d


def test_consecutive_days_advance_by_one_bangla_day() -> None:
    previous = to_bangla_date(DAYS_1990_2040[0])
    for d in DAYS_1990_2040[1:]:
        current = to_bangla_date(d)
        lengths = bangla_month_lengths(previous.year)
        if previous.day < lengths[previous.month - 1]:
            expected = BanglaDate(previous.year, previous.month, previous.day + 1)
        elif previous.month < 12:
            expected = BanglaDate(previous.year, previous.month + 1, 1)
        else:
            expected = BanglaDate(previous.year + 1, 1, 1)
        assert current == expected, d
        assert current > previous  # order=True is chronological
        previous = current


def test_year_lengths() -> None:
    for bangla_year in range(1300, 1611):  # Gregorian 1893/94 … 2203/04
        lengths = bangla_month_lengths(bangla_year)
        assert len(lengths) == 12
        first = from_bangla_date(BanglaDate(bangla_year, 1, 1))
        total = (from_bangla_date(BanglaDate(bangla_year + 1, 1, 1)) - first).days
        assert total == sum(lengths)
        # 366 days exactly when Falgun lies in a Gregorian leap year (the year after the one it began in).
        falgun_gregorian_year = bangla_year + 594
        assert total == (366 if calendar.isleap(falgun_gregorian_year) else 365), bangla_year
        assert lengths[10] == (30 if calendar.isleap(falgun_gregorian_year) else 29)
        assert lengths[:10] == (31, 31, 31, 31, 31, 31, 30, 30, 30, 30)
        assert lengths[11] == 30


def test_month_lengths_examples() -> None:
    assert bangla_month_lengths(1430) == (31, 31, 31, 31, 31, 31, 30, 30, 30, 30, 30, 30)  # Falgun in 2024
    assert bangla_month_lengths(1429) == (31, 31, 31, 31, 31, 31, 30, 30, 30, 30, 29, 30)  # Falgun in 2023
    assert bangla_month_lengths(1406)[10] == 30  # Falgun in 2000 (leap century)
    assert bangla_month_lengths(1506)[10] == 29  # Falgun in 2100 (not leap)


@pytest.mark.parametrize(
    "bd",
    [
        BanglaDate(1430, 7, 31),  # ৩১ কার্তিক
        BanglaDate(1429, 11, 30),  # ৩০ ফাল্গুন, Falgun 1429 lies in 2023 (not leap)
        BanglaDate(1506, 11, 30),  # ৩০ ফাল্গুন, Falgun 1506 lies in 2100 (not leap)
        BanglaDate(1430, 1, 32),
        BanglaDate(1430, 12, 31),
        BanglaDate(1430, 1, 0),
        BanglaDate(1430, 1, -1),
        BanglaDate(1430, 0, 1),
        BanglaDate(1430, 13, 1),
        BanglaDate(9406, 12, 1),  # would be in Gregorian year 10000
    ],
)
def test_impossible_bangla_dates_refused(bd: BanglaDate) -> None:
    with pytest.raises(ValueError):
        from_bangla_date(bd)


def test_leap_falgun_30_accepted() -> None:
    assert from_bangla_date(BanglaDate(1430, 11, 30)) == date(2024, 3, 14)
    assert from_bangla_date(BanglaDate(1406, 11, 30)) == date(2000, 3, 14)


def test_extremes_of_date_range() -> None:
    assert to_bangla_date(date.min) == BanglaDate(-593, 9, 17)  # 1 Jan 0001; Poush starts 16 Dec
    assert from_bangla_date(to_bangla_date(date.min)) == date.min
    assert to_bangla_date(date.max) == BanglaDate(9406, 9, 16)
    assert from_bangla_date(to_bangla_date(date.max)) == date.max


def test_bangla_date_str_and_month_name() -> None:
    assert BanglaDate(1430, 3, 21).month_name == "আষাঢ়"
    assert str(BanglaDate(1430, 12, 30)) == "৩০ চৈত্র ১৪৩০"
    assert [BanglaDate(1430, m, 1).month_name for m in range(1, 13)] == list(BANGLA_MONTHS)
    for month in (0, 13, -1):
        with pytest.raises(ValueError):
            _ = BanglaDate(1430, month, 1).month_name


def test_bangla_date_is_frozen_and_ordered() -> None:
    bd = BanglaDate(1430, 3, 21)
    with pytest.raises(AttributeError):
        bd.day = 22  # type: ignore[misc]
    assert BanglaDate(1429, 12, 30) < BanglaDate(1430, 1, 1) < BanglaDate(1430, 1, 2) < BanglaDate(1430, 2, 1)


@given(DATES_1900_2200)
def test_property_round_trip(d: date) -> None:
    bd = to_bangla_date(d)
    assert from_bangla_date(bd) == d
    assert 1 <= bd.month <= 12
    assert 1 <= bd.day <= bangla_month_lengths(bd.year)[bd.month - 1]


@given(DATES_1900_2200)
def test_property_matches_month_start_oracle(d: date) -> None:
    assert to_bangla_date(d) == oracle_bangla_date(d)


@given(DATES_1900_2200, DATES_1900_2200)
def test_property_order_is_chronological(a: date, b: date) -> None:
    assert (to_bangla_date(a) < to_bangla_date(b)) == (a < b)
    assert (to_bangla_date(a) == to_bangla_date(b)) == (a == b)


@given(DATES_1900_2200)
def test_property_year_offset(d: date) -> None:
    bd = to_bangla_date(d)
    assert bd.year == (d.year - 593 if (d.month, d.day) >= (4, 14) else d.year - 594)
    assert (bd.month, bd.day) == (1, 1) or (d.month, d.day) != (4, 14)


@given(st.integers(min_value=1300, max_value=1610), st.integers(min_value=1, max_value=12), st.data())
def test_property_from_bangla_round_trip(year: int, month: int, data: st.DataObject) -> None:
    day = data.draw(st.integers(min_value=1, max_value=bangla_month_lengths(year)[month - 1]))
    bd = BanglaDate(year, month, day)
    assert to_bangla_date(from_bangla_date(bd)) == bd


# --- dual date and labels -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2023, 7, 5), "২১ আষাঢ় ১৪৩০ বঙ্গাব্দ / ০৫ জুলাই ২০২৩ খ্রিস্টাব্দ"),
        (date(2024, 2, 21), "৮ ফাল্গুন ১৪৩০ বঙ্গাব্দ / ২১ ফেব্রুয়ারি ২০২৪ খ্রিস্টাব্দ"),
        (date(2023, 12, 16), "১ পৌষ ১৪৩০ বঙ্গাব্দ / ১৬ ডিসেম্বর ২০২৩ খ্রিস্টাব্দ"),
    ],
)
def test_format_dual_date(d: date, expected: str) -> None:
    assert format_dual_date(d) == expected


@pytest.mark.parametrize(
    ("start", "bn", "ascii_"),
    [
        (2022, "২০২২-২৩", "2022-23"),
        (2023, "২০২৩-২৪", "2023-24"),
        (1999, "১৯৯৯-০০", "1999-00"),
        (2009, "২০০৯-১০", "2009-10"),
    ],
)
def test_fiscal_year_label(start: int, bn: str, ascii_: str) -> None:
    assert fiscal_year_label(start) == bn
    assert fiscal_year_label(start, bangla=False) == ascii_


@pytest.mark.parametrize("start", [0, -1, 9999])
def test_fiscal_year_label_rejects(start: int) -> None:
    with pytest.raises(ValueError):
        fiscal_year_label(start)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        (1, "১ম ত্রৈমাসিক (জুলাই–সেপ্টেম্বর)"),
        (2, "২য় ত্রৈমাসিক (অক্টোবর–ডিসেম্বর)"),
        (3, "৩য় ত্রৈমাসিক (জানুয়ারি–মার্চ)"),
        (4, "৪র্থ ত্রৈমাসিক (এপ্রিল–জুন)"),
    ],
)
def test_quarter_label(q: int, expected: str) -> None:
    assert quarter_label(q) == expected
    assert "\u2013" in quarter_label(q)  # EN DASH between the months
    assert unicodedata.normalize("NFC", quarter_label(q)) == quarter_label(q)


@pytest.mark.parametrize("q", [0, 5, -1])
def test_quarter_label_rejects(q: int) -> None:
    with pytest.raises(ValueError):
        quarter_label(q)


@pytest.mark.parametrize(
    ("code", "expected"),
    [("1.2.2", "[১.২.২]"), ("10", "[১০]"), (" 3.1 ", "[৩.১]"), ("১.২", "[১.২]"), ("ক.1", "[ক.১]")],
)
def test_format_code(code: str, expected: str) -> None:
    assert format_code(code) == expected


@pytest.mark.parametrize(
    ("n", "width", "expected"),
    [(1, 2, "০১"), (9, 2, "০৯"), (10, 2, "১০"), (123, 2, "১২৩"), (7, 3, "০০৭"), (5, 1, "৫")],
)
def test_ordinal_serial(n: int, width: int, expected: str) -> None:
    assert ordinal_serial(n, width) == expected


def test_ordinal_serial_default_width() -> None:
    assert ordinal_serial(1) == "০১"


@pytest.mark.parametrize(("n", "width"), [(0, 2), (-1, 2), (1, 0)])
def test_ordinal_serial_rejects(n: int, width: int) -> None:
    with pytest.raises(ValueError):
        ordinal_serial(n, width)


@pytest.mark.parametrize(
    "value",
    [
        format_number(1234567.5, decimals=2),
        format_percent(Decimal("93.27")),
        format_date_long(date(2024, 1, 5)),
        format_dual_date(date(2023, 11, 20)),
        str(BanglaDate(1430, 8, 5)),
        quarter_label(3),
    ],
)
def test_outputs_are_nfc(value: str) -> None:
    assert unicodedata.normalize("NFC", value) == value
