"""Codes, numbers, weights and fiscal years as the offices write them (Bangla or ASCII digits)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from base.bangla import to_ascii_digits, to_bangla_digits
from indicators.parsing.cells import CellError, bn_digits, clean_text, quote_raw

# --------------------------------------------------------------------------------------------
# Codes
# --------------------------------------------------------------------------------------------

_CODE_LEVELS = {
    1: ("ক্ষেত্র", "area", "১"),
    2: ("কার্যক্রম", "activity", "১.১"),
    3: ("সূচক", "indicator", "১.১.১"),
}
_CODE_EXAMPLE_EN = {1: "1", 2: "1.1", 3: "1.1.1"}


def parse_code(raw: str, *, depth: int | None = None) -> str:
    """Code such as "[১.১.১]" or " [ 1 . 1 ] " -> "1.1.1": dot-separated positive integers, no leading zeros,
    after an optional letter prefix kept as written ("[এম.১.১.১]" -> "এম.1.1.1", "[M.1.1]" -> "M.1.1"; the
    Cabinet Division's codes of the mandatory areas carry one, DESIGN.md §7).

    ``depth`` (1 = area, 2 = activity, 3 = indicator) checks that the code has at least that many numbers
    (a plan may number deeper, e.g. ``১.১.১.১``); :func:`code_numbers` gives them for the checks of the
    plan's hierarchy.
    """
    text = to_ascii_digits(clean_text(raw))
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    parts = [part.strip() for part in text.split(".")]
    prefix: list[str] = []
    while (
        parts
        and parts[0]
        and not any(c.isascii() and c.isdigit() for c in parts[0])
        and all(unicodedata.category(c)[0] in "LM" for c in parts[0])
    ):
        prefix.append(parts.pop(0))
    if not text.strip() or not parts or not all(part.isascii() and part.isdigit() for part in parts):
        raise CellError(
            f"কোড বোঝা যায়নি: {quote_raw(raw)} — ডট দিয়ে আলাদা করা সংখ্যা লিখুন, যেমন ১.১.১, [১.১.১] বা [এম.১.১.১]",
            f"Not a valid code: {quote_raw(raw)} — write numbers separated by dots, e.g. 1.1.1, [1.1.1] or "
            "[M.1.1.1]",
        )
    if any(part.startswith("0") for part in parts):
        raise CellError(
            f"কোড বোঝা যায়নি: {quote_raw(raw)} — প্রতিটি অংশ ১ বা তার বেশি, শুরুতে ০ ছাড়া, যেমন ১.১.১",
            f"Not a valid code: {quote_raw(raw)} — each part must be 1 or more, without leading zeros, "
            "e.g. 1.1.1",
        )
    if depth is not None:
        if depth not in _CODE_LEVELS:
            raise ValueError(f"depth must be 1, 2 or 3, not {depth!r}")
        if len(parts) < depth:
            level_bn, level_en, example_bn = _CODE_LEVELS[depth]
            raise CellError(
                f"{level_bn} কোড {quote_raw(raw)} ভুল — এতে অন্তত {bn_digits(depth)}টি অংশ থাকবে, যেমন {example_bn}",
                f"Wrong {level_en} code {quote_raw(raw)} — it must have at least {depth} part{'s' * (depth > 1)}, "
                f"e.g. {_CODE_EXAMPLE_EN[depth]}",
            )
    return ".".join([*prefix, *parts])


def code_numbers(code: str) -> tuple[int, ...]:
    """The numbers of a stored code, its letter prefix left out: ``এম.1.2.3`` -> (1, 2, 3). A plan's hierarchy
    is checked on them: an activity's numbers start with its area's, an indicator's with its activity's."""
    return tuple(int(part) for part in code.split(".") if part.isascii() and part.isdigit())


# --------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------

_MAX_PLACES = 4
_NUMBER = re.compile(
    r"""
    (?P<int>
        \d+                              # no grouping
      | [1-9]\d{0,2}(?:,\d{3})+          # Western: 1,234,567
      | [1-9]\d?(?:,\d{2})*,\d{3}        # Indian: 12,34,567
    )?
    (?:\.(?P<frac>\d*))?
    """,
    re.VERBOSE | re.ASCII,
)
_MINUS = "-\u2212"


def _number_error(raw: object) -> CellError:
    return CellError(
        f"সংখ্যা বোঝা যায়নি: {quote_raw(raw)} — যেমন ১২৩৪.৫ বা ১২,৩৪৫ লিখুন",
        f"Not a valid number: {quote_raw(raw)} — write e.g. 1234.5 or 12,345",
    )


def parse_decimal(raw: str, *, allow_percent: bool = False, allow_negative: bool = False) -> Decimal:
    """Bangla or ASCII digits, optional Western/Indian grouping, optional "+", at most 4 decimals.

    "%" (also "৮২ %") is accepted only with ``allow_percent`` and is simply dropped (৮২% -> 82).
    A minus sign only with ``allow_negative``. Exponents, NaN and Infinity are refused.
    """
    text = to_ascii_digits(clean_text(raw))
    if not text:
        raise CellError("মান খালি — একটি সংখ্যা লিখুন", "Value is empty — write a number")
    if text.endswith("%"):
        if not allow_percent:
            raise CellError(
                f"এখানে % চিহ্ন চলবে না: {quote_raw(raw)} — শুধু সংখ্যাটি লিখুন",
                f"A % sign is not allowed here: {quote_raw(raw)} — write just the number",
            )
        text = text[:-1].rstrip()
    negative = False
    if text[:1] == "+":
        text = text[1:]
    elif text[:1] and text[0] in _MINUS:
        negative = True
        text = text[1:]
    match = _NUMBER.fullmatch(text)
    if not text or match is None or (match["int"] is None and not match["frac"]):
        if "," in text and re.fullmatch(r"[0-9,]*(?:\.[0-9]*)?", text):
            raise CellError(
                f"সংখ্যা বোঝা যায়নি: {quote_raw(raw)} — কমা ভুল জায়গায়; কমা ছাড়া লিখুন, যেমন ১২৩৪৫৬৭.৫",
                f"Not a valid number: {quote_raw(raw)} — commas in the wrong place; write it without "
                "commas, e.g. 1234567.5",
            )
        raise _number_error(raw)
    int_part = (match["int"] or "0").replace(",", "")
    frac = match["frac"] or ""
    if len(frac) > _MAX_PLACES:
        if frac[_MAX_PLACES:].strip("0"):
            raise CellError(
                f"দশমিকের পর সর্বোচ্চ {bn_digits(_MAX_PLACES)} ঘর লেখা যাবে: {quote_raw(raw)}",
                f"At most {_MAX_PLACES} decimal places are allowed: {quote_raw(raw)}",
            )
        frac = frac[:_MAX_PLACES]
    value = Decimal(f"{int_part}.{frac}" if frac else int_part)
    if negative and value:
        if not allow_negative:
            raise CellError(
                f"ঋণাত্মক মান চলবে না: {quote_raw(raw)}",
                f"Negative values are not allowed: {quote_raw(raw)}",
            )
        value = -value
    return value


# --------------------------------------------------------------------------------------------
# Weight and fiscal year
# --------------------------------------------------------------------------------------------

_WEIGHT_PLACES = 2


def parse_weight(raw: str) -> Decimal:
    """A positive decimal (> 0) with at most 2 decimal places (trailing zeros don't count)."""
    value = parse_decimal(raw)
    if value <= 0:
        raise CellError(
            f"মান ০-এর বেশি হতে হবে: {quote_raw(raw)}",
            f"The weight must be more than 0: {quote_raw(raw)}",
        )
    if -value.normalize().as_tuple().exponent > _WEIGHT_PLACES:
        raise CellError(
            f"মানে দশমিকের পর সর্বোচ্চ {bn_digits(_WEIGHT_PLACES)} ঘর লেখা যাবে: {quote_raw(raw)}",
            f"A weight may have at most {_WEIGHT_PLACES} decimal places: {quote_raw(raw)}",
        )
    return value


_FISCAL_YEAR = re.compile(r"(?:(?:fy|অর্থবছর|অর্থ বছর)\s*)?(\d{4})\s*[-/]\s*(\d{2}|\d{4})", re.ASCII)


def parse_fiscal_year(raw: str) -> tuple[int, int]:
    """Fiscal year "2022-23", "২০২২-২৩", "2022-2023", "২০২২/২০২৩", "FY 2022-23" -> (2022, 2023).

    The second year must be the first plus one.
    """
    text = _fiscal_text(raw)
    match = _FISCAL_YEAR.fullmatch(text)
    if match is None:
        raise CellError(
            f"অর্থবছর বোঝা যায়নি: {quote_raw(raw)} — যেমন ২০২২-২৩ বা ২০২২-২০২৩ লিখুন",
            f"Not a valid fiscal year: {quote_raw(raw)} — write e.g. 2022-23 or 2022-2023",
        )
    start, end_text = int(match[1]), match[2]
    end = int(end_text) if len(end_text) == 4 else start - start % 100 + int(end_text)
    if len(end_text) == 2 and end < start:  # "1999-00"
        end += 100
    if end != start + 1:
        raise CellError(
            f"অর্থবছর ভুল: {quote_raw(raw)} — শেষ বছর শুরুর পরের বছর হবে, যেমন "
            f"{bn_digits(start)}-{bn_digits(str(start + 1)[-2:])}",
            f"Not a valid fiscal year: {quote_raw(raw)} — the second year must follow the first, e.g. "
            f"{start}-{str(start + 1)[-2:]}",
        )
    return start, end


def _fiscal_text(raw: str | None) -> str:
    # Keep "-" and "/" (normalize_header would turn hyphens into spaces); unify dashes to "-".
    text = to_ascii_digits(clean_text(raw)).casefold()
    return text.replace("\u2013", "-").replace("\u2014", "-").replace("\u2212", "-")


def plain_number(number: Decimal) -> str:
    """``30.00`` → ``30``, ``82.50`` → ``82.5``: a number as people write it, never in exponent notation."""
    return format(number.normalize(), "f")


def check_fits(value: Decimal, *, max_digits: int, decimal_places: int) -> Decimal:
    """Refuse a number its database column cannot hold (``max_digits`` in all, ``decimal_places`` after the
    point), in the words of a cell error, instead of letting the database fail on save."""
    limit = Decimal(10) ** (max_digits - decimal_places)
    if abs(value) >= limit:
        raise CellError(
            f"সংখ্যাটি অনেক বড়: {to_bangla_digits(plain_number(limit))}-এর কম হতে হবে।",
            f"The number is too large: it must be below {plain_number(limit)}.",
        )
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > decimal_places:
        raise CellError(
            f"দশমিকের পরে সর্বোচ্চ {to_bangla_digits(decimal_places)}টি অঙ্ক লেখা যায়।",
            f"At most {decimal_places} digits after the decimal point.",
        )
    return value
