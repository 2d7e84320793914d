"""The words of a plan and a progress sheet: units, methods, direction, quarter, applicability."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from indicators.parsing.cells import DASHES, CellError, clean_text, is_blank, normalize_header, quote_raw
from indicators.scoring import CalcMethod, Direction, ScoringMethod, Unit

E = TypeVar("E")

# --------------------------------------------------------------------------------------------
# Keywords (units, methods, direction, quarter, applicability)
# --------------------------------------------------------------------------------------------


def _keyword_table(spec: Mapping[E, Iterable[str]]) -> dict[str, E]:
    table: dict[str, E] = {}
    for value, words in spec.items():
        for word in words:
            key = normalize_header(word)
            if table.get(key, value) != value:  # pragma: no cover - guards the tables below
                raise AssertionError(f"keyword {word!r} is ambiguous")
            table[key] = value
    return table


def _keyword_parser(
    table: Mapping[str, E], what_bn: str, what_en: str, accepted_bn: str, accepted_en: str
) -> Callable[[str | None], E]:
    def parse(raw: str | None) -> E:
        found = table.get(normalize_header(raw))
        if found is None:
            raise CellError(
                f"{what_bn} বোঝা যায়নি: {quote_raw(raw)} — লিখুন: {accepted_bn}",
                f"Unknown {what_en}: {quote_raw(raw)} — use one of: {accepted_en}",
            )
        return found

    return parse


_UNITS = _keyword_table(
    {
        Unit.DATE: ("তারিখ", "date"),
        Unit.PERCENT: ("%", "percent", "percentage", "শতাংশ", "শতকরা", "শতকরা হার", "(%)"),
        Unit.NUMBER: ("সংখ্যা", "number", "no", "count", "সংখ্যা (টি)", "টি"),
    }
)
_parse_unit = _keyword_parser(_UNITS, "একক", "unit", "তারিখ, % (শতাংশ), সংখ্যা", "date, percent (%), number")


@dataclass(frozen=True)
class UnitLabel:
    """A unit as the plan writes it (``জনঘন্টা``, ``কোটি টাকা``, ``সংখ্যা (হাজার)``) and the kind of value it
    takes (DESIGN.md §7): ``known`` is False when the label is none of the kind words and was read as a
    number (the import says so)."""

    kind: Unit
    label: str
    known: bool


def parse_unit_label(raw: str) -> UnitLabel:
    """A unit label and its kind: the kind words of :func:`parse_unit` (তারিখ/date, %/শতাংশ/percent,
    সংখ্যা/number …); any other label with "%" or শতাংশ/শতকরা in it is a percent, one with তারিখ/date a date, and
    every other label a number of that name (জনঘন্টা, কোটি টাকা, সংখ্যা (হাজার) …)."""
    label = " ".join(clean_text(raw).split())
    if not label:
        raise CellError("একক আবশ্যক (তারিখ, % বা সংখ্যা, অথবা যেমন লেখা: জনঘন্টা, কোটি টাকা …)।",
                        "The unit is required (date, percent or number, or as the plan writes it).")  # fmt: skip
    known = _UNITS.get(normalize_header(label))
    if known is not None:
        return UnitLabel(known, label, True)
    words = normalize_header(label)
    if "%" in label or "শতাংশ" in words or "শতকরা" in words or "percent" in words:
        return UnitLabel(Unit.PERCENT, label, True)
    if "তারিখ" in words or "date" in words.split():
        return UnitLabel(Unit.DATE, label, True)
    return UnitLabel(
        Unit.NUMBER, label, any(word in words for word in ("সংখ্যা", "number", "টাকা", "ঘন্টা", "ঘণ্টা"))
    )


def parse_unit(raw: str) -> Unit:
    """তারিখ/date; %/percent/শতাংশ/শতকরা/শতকরা হার; সংখ্যা/number/no/count/সংখ্যা (টি)."""
    return _parse_unit(raw)


_CALC_METHODS = _keyword_table(
    {
        CalcMethod.SUM: ("সমষ্টি", "sum", "total", "যোগফল"),
        CalcMethod.AVERAGE: ("গড়", "average", "avg", "mean"),
        CalcMethod.CUMULATIVE: ("ক্রমপুঞ্জিভূত", "ক্রমপুঞ্জীভূত", "cumulative"),
        CalcMethod.DATE: ("তারিখ", "date"),
    }
)
_parse_calc_method = _keyword_parser(
    _CALC_METHODS,
    "গণনা পদ্ধতি",
    "calculation method",
    "সমষ্টি, গড়, ক্রমপুঞ্জিভূত, তারিখ",
    "sum, average, cumulative, date",
)


def parse_calc_method(raw: str) -> CalcMethod:
    """সমষ্টি/sum/total/যোগফল; গড়/average/avg/mean; ক্রমপুঞ্জিভূত/ক্রমপুঞ্জীভূত/cumulative; তারিখ/date."""
    return _parse_calc_method(raw)


_SCORING_METHODS = _keyword_table(
    {
        ScoringMethod.INTERPOLATE: ("interpolate", "interpolation", "linear", "রৈখিক", "আন্তঃপাতন", "আন্ত:পাতন"),
        ScoringMethod.PROPORTIONAL: ("proportional", "আনুপাতিক"),
        ScoringMethod.THRESHOLD: ("threshold", "সব অথবা কিছুই না", "পূর্ণ অথবা শূন্য"),
        ScoringMethod.STEP: ("step", "ধাপ", "ধাপভিত্তিক"),
    }
)
_parse_scoring_method = _keyword_parser(
    _SCORING_METHODS,
    "নম্বর পদ্ধতি",
    "scoring method",
    "রৈখিক, আনুপাতিক, সব অথবা কিছুই না, ধাপভিত্তিক (অথবা খালি রাখুন)",
    "interpolate, proportional, threshold, step (or leave blank)",
)


def parse_scoring_method(raw: str | None) -> ScoringMethod:
    """Blank -> INTERPOLATE; interpolate/রৈখিক/আন্তঃপাতন; proportional/আনুপাতিক; threshold; step/ধাপ."""
    if is_blank(raw):
        return ScoringMethod.INTERPOLATE
    return _parse_scoring_method(raw)


_DIRECTIONS = _keyword_table(
    {
        Direction.HIGHER: (
            "higher",
            "higher is better",
            "ঊর্ধ্বমুখী",
            "উর্ধ্বমুখী",
            "বেশি ভালো",
            "বেশী ভালো",
            "বেশি ভাল",
            "বেশী ভাল",
        ),
        Direction.LOWER: ("lower", "lower is better", "নিম্নমুখী", "কম ভালো", "কম ভাল"),
    }
)
_parse_direction = _keyword_parser(
    _DIRECTIONS,
    "দিক",
    "direction",
    "ঊর্ধ্বমুখী (বেশি ভালো), নিম্নমুখী (কম ভালো) অথবা খালি রাখুন",
    "higher, lower (or leave blank)",
)


def parse_direction(raw: str | None) -> Direction:
    """Blank -> HIGHER; higher/ঊর্ধ্বমুখী/বেশি ভালো; lower/নিম্নমুখী/কম ভালো."""
    if is_blank(raw):
        return Direction.HIGHER
    return _parse_direction(raw)


_QUARTER_WORDS = {
    normalize_header(word): number
    for number, words in {
        1: ("1", "1.0", "১ম", "প্রথম", "1st", "first"),
        2: ("2", "2.0", "২য়", "দ্বিতীয়", "2nd", "second"),
        3: ("3", "3.0", "৩য়", "তৃতীয়", "3rd", "third"),
        4: ("4", "4.0", "৪র্থ", "চতুর্থ", "4th", "fourth"),
    }.items()
    for word in words
}
_QUARTER_NOISE = frozenset(normalize_header(w) for w in ("ত্রৈমাসিক", "কোয়ার্টার", "quarter", "qtr"))


def parse_quarter(raw: str) -> int:
    """1..4 from "1", "১", "Q1", "১ম", "প্রথম"... "চতুর্থ", "১ম ত্রৈমাসিক", "Quarter 2", "2nd quarter"."""
    words = [w for w in normalize_header(raw).split() if w not in _QUARTER_NOISE]
    text = "".join(words)
    if re.fullmatch(r"q[0-9]+", text):
        text = text[1:]
    # normalize_header turns hyphens into spaces; a leading minus must not vanish ("-1" is not 1).
    negative = clean_text(raw)[:1] in DASHES
    quarter = None if negative else _QUARTER_WORDS.get(text)
    if quarter is None:
        raise CellError(
            f"ত্রৈমাসিক বোঝা যায়নি: {quote_raw(raw)} — ত্রৈমাসিক ১ থেকে ৪ (যেমন ১, ১ম, প্রথম, Q১)",
            f"Not a valid quarter: {quote_raw(raw)} — quarters are 1–4 (e.g. 1, Q1, 1st)",
        )
    return quarter


_APPLICABILITY = _keyword_table(
    {
        True: ("প্রযোজ্য", "applicable", "yes", "y", "হ্যাঁ", "হাঁ"),
        False: (
            "প্রযোজ্য নয়",
            "প্রযোজ্য নহে",
            "অপ্রযোজ্য",
            "n/a",
            "n.a",
            "na",
            "not applicable",
            "no",
            "n",
            "না",
        ),
    }
)


def parse_applicability(raw: str | None) -> bool:
    """True = applicable: blank/প্রযোজ্য/applicable/yes. False: প্রযোজ্য নয়/প্রযোজ্য নহে/n/a/na/not applicable."""
    if is_blank(raw):
        return True
    found = _APPLICABILITY.get(normalize_header(raw))
    if found is None:
        raise CellError(
            f"প্রযোজ্যতা বোঝা যায়নি: {quote_raw(raw)} — লিখুন: প্রযোজ্য, প্রযোজ্য নয় (অথবা খালি রাখুন)",
            f"Unknown applicability: {quote_raw(raw)} — use: applicable, not applicable / n/a (or leave blank)",
        )
    return found
