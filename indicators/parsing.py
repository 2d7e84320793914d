"""Turn the text of ONE spreadsheet cell into a typed value, or raise :class:`CellError`.

Action plans and quarterly progress arrive as CSV/XLSX sheets typed by people in Bangla or
English. Every function here takes the text of a single cell (or a header row, for
:func:`map_headers`) and either returns a clean value or raises :class:`CellError` carrying a
message in Bangla and in English. The raw value is quoted in messages exactly as the user typed
it (only surrounding whitespace removed); numbers the code itself states (limits, examples) are
written with Bangla digits in the Bangla message.

Words (units, methods, quarters, headers...) are compared after :func:`normalize_header`, which
applies Unicode NFC. Note that NFC *decomposes* the precomposed ড় (U+09DC) and য় (U+09DF) into
ড/য + nukta (U+09BC), so both ways of typing them compare equal.

Pure Python, no Django imports.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar

from base.bangla import to_ascii_digits, to_bangla_digits
from indicators.scoring import CalcMethod, Direction, ScoringMethod, Unit

__all__ = [
    "HEADER_ALIASES",
    "REQUIRED_FIELDS",
    "CellError",
    "check_fits",
    "clean_text",
    "code_numbers",
    "is_blank",
    "map_headers",
    "normalize_header",
    "parse_applicability",
    "parse_calc_method",
    "parse_code",
    "parse_date",
    "parse_decimal",
    "parse_direction",
    "parse_fiscal_year",
    "parse_quarter",
    "parse_scoring_method",
    "parse_target",
    "parse_unit",
    "parse_unit_label",
    "parse_value",
    "parse_weight",
]

E = TypeVar("E")


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


class CellError(ValueError):
    """A cell (or header row) could not be understood; carries a Bangla and an English message."""

    def __init__(self, message_bn: str, message_en: str):
        super().__init__(f"{message_bn} / {message_en}")
        self.message_bn = message_bn
        self.message_en = message_en

    def __str__(self) -> str:
        return f"{self.message_bn} / {self.message_en}"

    def __repr__(self) -> str:
        return f"CellError({self.message_bn!r}, {self.message_en!r})"

    def __reduce__(self):  # keep the two messages when pickled (e.g. sent between processes)
        return (type(self), (self.message_bn, self.message_en))


def _quote(raw: object) -> str:
    """The user's value as typed, in quotes, for a message (surrounding whitespace/BOM dropped)."""
    text = "" if raw is None else str(raw)
    return "'" + text.replace("\ufeff", "").strip() + "'"


def _bn(number: object) -> str:
    return to_bangla_digits(number)


# --------------------------------------------------------------------------------------------
# Text clean-up
# --------------------------------------------------------------------------------------------

# Invisible characters that carry no meaning in a cell: BOM / zero-width no-break space, and the
# zero-width space. ZWJ (U+200D) and ZWNJ (U+200C) are kept: they change how Bangla conjuncts
# render.
_INVISIBLE = str.maketrans({"\ufeff": None, "\u200b": None})
_JOINERS = str.maketrans({"\u200c": None, "\u200d": None})
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")


def clean_text(raw: str | None) -> str:
    """NFC, BOM and zero-width space dropped, trimmed, internal whitespace runs collapsed to one space.

    ``None`` gives ``""``. ZWJ/ZWNJ are kept. Whitespace includes NBSP, tabs and newlines.
    """
    if raw is None:
        return ""
    text = raw if isinstance(raw, str) else str(raw)
    text = unicodedata.normalize("NFC", text.translate(_INVISIBLE))
    return " ".join(text.split())


def is_blank(raw: str | None) -> bool:
    """True for empty/whitespace cells and for cells holding only dashes ("-", "--", "—", "– –"...)."""
    text = clean_text(raw).replace(" ", "")
    return all(ch in _DASHES for ch in text)


_HEADER_SEPARATORS = str.maketrans({"_": " ", "-": " ", "\u2013": " ", "\u2014": " "})
_PAREN_OPEN = re.compile(r"\s*\(\s*")
_PAREN_CLOSE = re.compile(r"\s*\)")


def normalize_header(raw: str | None) -> str:
    """Comparable form of a header or keyword.

    clean_text + casefold; Bangla digits to ASCII; underscores, hyphens and en/em dashes become
    spaces; spacing around parentheses unified ("নাম(বাংলা)" == "নাম (বাংলা)"); ZWJ/ZWNJ dropped
    (invisible, so users cannot tell them apart); trailing ".", ":" and "*" dropped ("নং." ==
    "নং", "code*" == "code").
    """
    text = clean_text(raw).casefold().translate(_JOINERS)
    text = to_ascii_digits(text).translate(_HEADER_SEPARATORS)
    text = _PAREN_OPEN.sub(" (", text)
    text = _PAREN_CLOSE.sub(")", text)
    text = " ".join(text.split()).rstrip(".:* ").lstrip()
    # casefold can in rare cases leave a non-NFC string; normalise again so keys are stable.
    return unicodedata.normalize("NFC", text)


# --------------------------------------------------------------------------------------------
# Headers
# --------------------------------------------------------------------------------------------

# kind -> field -> aliases. The first alias is the Bangla label used in messages; the field name
# itself (with underscores) is always accepted too.
_HEADER_SPEC: dict[str, dict[str, tuple[str, ...]]] = {
    "plan": {
        "area_code": ("ক্ষেত্র নং", "ক্ষেত্র নম্বর", "area no"),
        "area_title": ("কর্মসম্পাদন ক্ষেত্র", "area"),
        "area_marks": ("ক্ষেত্রের মান", "কর্মসম্পাদন ক্ষেত্রের মান"),
        "activity_code": ("কার্যক্রম নং", "কার্যক্রম নম্বর", "activity no"),
        "activity_title": ("কার্যক্রম", "activity"),
        "indicator_code": ("সূচক নং", "সূচক নম্বর", "indicator no"),
        "indicator_title": ("কর্মসম্পাদন সূচক", "indicator"),
        "unit": ("একক",),
        "weight": ("সূচকের মান", "কর্মসম্পাদন সূচকের মান"),
        "calc_method": ("গণনা পদ্ধতি",),
        "scoring": ("নম্বর পদ্ধতি", "scoring_method"),
        "direction": ("দিক",),
        "target_100": ("অসাধারণ", "অসাধারণ (১০০%)"),
        "target_90": ("অতি উত্তম", "অতি উত্তম (৯০%)"),
        "target_80": ("উত্তম", "উত্তম (৮০%)"),
        "target_70": ("চলতি মান", "চলতি মান (৭০%)"),
        "target_60": (
            "চলতি মানের নিম্নে",
            "চলতি মানে নিম্নে",
            "চলতি মানের নিম্নে (৬০%)",
            "চলতি মানে নিম্নে (৬০%)",
        ),
    },
    "progress": {
        "indicator_code": ("সূচক নং", "সূচক নম্বর", "indicator no"),
        "quarter": ("ত্রৈমাসিক", "কোয়ার্টার"),
        "value": ("অর্জন", "achievement"),
        "remark": ("মন্তব্য", "remarks"),
        "applicability": ("প্রযোজ্যতা",),
    },
    "offices": {
        "code": ("কোড",),
        "name_bn": ("নাম (বাংলা)",),
        "name_en": ("নাম (ইংরেজি)",),
        "parent_code": ("ঊর্ধ্বতন কোড", "উর্ধ্বতন কোড"),
        "kind": ("ধরন",),
        "address_bn": ("ঠিকানা",),
        "website": ("ওয়েবসাইট",),
    },
}

REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "plan": (
        "area_code",
        "area_title",
        "area_marks",
        "activity_code",
        "activity_title",
        "indicator_code",
        "indicator_title",
        "unit",
        "weight",
        "target_100",
    ),
    "progress": ("indicator_code",),
    "offices": ("code", "name_bn", "kind"),
}


def _build_aliases() -> dict[str, dict[str, str]]:
    aliases: dict[str, dict[str, str]] = {}
    for kind, fields in _HEADER_SPEC.items():
        table: dict[str, str] = {}
        for field, names in fields.items():
            for name in (field, *names):
                key = normalize_header(name)
                if table.get(key, field) != field:  # pragma: no cover - guards the table above
                    raise AssertionError(f"header alias {name!r} maps to {table[key]} and {field}")
                table[key] = field
        aliases[kind] = table
    return aliases


HEADER_ALIASES: dict[str, dict[str, str]] = _build_aliases()


def _field_label_bn(kind: str, field: str) -> str:
    return f"{_HEADER_SPEC[kind][field][0]} ({field})"


def _field_label_en(kind: str, field: str) -> str:
    return f"{field} ({_HEADER_SPEC[kind][field][0]})"


def _column_letter(index: int) -> str:
    """0-based column index -> spreadsheet letters (0 -> A, 26 -> AA)."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def _column_bn(index: int) -> str:
    return f"কলাম {_column_letter(index)}, {_bn(index + 1)} নং"


def _column_en(index: int) -> str:
    return f"column {_column_letter(index)}, no. {index + 1}"


def map_headers(kind: str, headers: Sequence[str]) -> tuple[dict[int, str], list[CellError]]:
    """Map a header row to canonical fields: ``({column index: field}, errors)``.

    Whole normalised headers are matched, never prefixes. Blank header cells are skipped. Errors
    are reported for unknown headers, for a second column mapping to a field already taken (the
    first column wins) and for each missing required field.
    """
    if kind not in HEADER_ALIASES:
        raise ValueError(f"unknown sheet kind {kind!r}; expected one of {sorted(HEADER_ALIASES)}")
    aliases = HEADER_ALIASES[kind]
    mapping: dict[int, str] = {}
    seen: dict[str, int] = {}
    errors: list[CellError] = []
    accepted_bn = ", ".join(_field_label_bn(kind, f) for f in _HEADER_SPEC[kind])
    accepted_en = ", ".join(_field_label_en(kind, f) for f in _HEADER_SPEC[kind])
    for index, raw in enumerate(headers):
        if is_blank(raw):
            continue
        field = aliases.get(normalize_header(raw))
        if field is None:
            errors.append(
                CellError(
                    f"অজানা কলাম শিরোনাম {_quote(raw)} ({_column_bn(index)}) — গ্রহণযোগ্য শিরোনাম: {accepted_bn}",
                    f"Unknown column header {_quote(raw)} ({_column_en(index)}) — accepted headers: "
                    f"{accepted_en}",
                )
            )
            continue
        if field in seen:
            first = seen[field]
            errors.append(
                CellError(
                    f"একই কলাম দুইবার: {_quote(raw)} ({_column_bn(index)}) এবং {_quote(headers[first])} "
                    f"({_column_bn(first)}) দুটিই {_field_label_bn(kind, field)} — একটি রাখুন",
                    f"Duplicate column: {_quote(raw)} ({_column_en(index)}) and {_quote(headers[first])} "
                    f"({_column_en(first)}) both mean {_field_label_en(kind, field)} — keep only one",
                )
            )
            continue
        seen[field] = index
        mapping[index] = field
    for field in REQUIRED_FIELDS[kind]:
        if field not in seen:
            errors.append(
                CellError(
                    f"আবশ্যক কলাম নেই: {_field_label_bn(kind, field)}",
                    f"Required column missing: {_field_label_en(kind, field)}",
                )
            )
    return mapping, errors


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
            f"কোড বোঝা যায়নি: {_quote(raw)} — ডট দিয়ে আলাদা করা সংখ্যা লিখুন, যেমন ১.১.১, [১.১.১] বা [এম.১.১.১]",
            f"Not a valid code: {_quote(raw)} — write numbers separated by dots, e.g. 1.1.1, [1.1.1] or "
            "[M.1.1.1]",
        )
    if any(part.startswith("0") for part in parts):
        raise CellError(
            f"কোড বোঝা যায়নি: {_quote(raw)} — প্রতিটি অংশ ১ বা তার বেশি, শুরুতে ০ ছাড়া, যেমন ১.১.১",
            f"Not a valid code: {_quote(raw)} — each part must be 1 or more, without leading zeros, "
            "e.g. 1.1.1",
        )
    if depth is not None:
        if depth not in _CODE_LEVELS:
            raise ValueError(f"depth must be 1, 2 or 3, not {depth!r}")
        if len(parts) < depth:
            level_bn, level_en, example_bn = _CODE_LEVELS[depth]
            raise CellError(
                f"{level_bn} কোড {_quote(raw)} ভুল — এতে অন্তত {_bn(depth)}টি অংশ থাকবে, যেমন {example_bn}",
                f"Wrong {level_en} code {_quote(raw)} — it must have at least {depth} part{'s' * (depth > 1)}, "
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
        f"সংখ্যা বোঝা যায়নি: {_quote(raw)} — যেমন ১২৩৪.৫ বা ১২,৩৪৫ লিখুন",
        f"Not a valid number: {_quote(raw)} — write e.g. 1234.5 or 12,345",
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
                f"এখানে % চিহ্ন চলবে না: {_quote(raw)} — শুধু সংখ্যাটি লিখুন",
                f"A % sign is not allowed here: {_quote(raw)} — write just the number",
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
                f"সংখ্যা বোঝা যায়নি: {_quote(raw)} — কমা ভুল জায়গায়; কমা ছাড়া লিখুন, যেমন ১২৩৪৫৬৭.৫",
                f"Not a valid number: {_quote(raw)} — commas in the wrong place; write it without "
                "commas, e.g. 1234567.5",
            )
        raise _number_error(raw)
    int_part = (match["int"] or "0").replace(",", "")
    frac = match["frac"] or ""
    if len(frac) > _MAX_PLACES:
        if frac[_MAX_PLACES:].strip("0"):
            raise CellError(
                f"দশমিকের পর সর্বোচ্চ {_bn(_MAX_PLACES)} ঘর লেখা যাবে: {_quote(raw)}",
                f"At most {_MAX_PLACES} decimal places are allowed: {_quote(raw)}",
            )
        frac = frac[:_MAX_PLACES]
    value = Decimal(f"{int_part}.{frac}" if frac else int_part)
    if negative and value:
        if not allow_negative:
            raise CellError(
                f"ঋণাত্মক মান চলবে না: {_quote(raw)}",
                f"Negative values are not allowed: {_quote(raw)}",
            )
        value = -value
    return value


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
                f"তারিখের সাথে সময় দেওয়া আছে: {_quote(raw)} — শুধু তারিখ লিখুন, যেমন ০৫/০৭/২০২৩",
                f"The date has a time of day: {_quote(raw)} — write only the date, e.g. 05/07/2023",
            )
    elif match := _DMY.fullmatch(text):
        day, month = int(match[1]), int(match[3])
        year_text = match[4]
        if len(year_text) == 2:
            raise CellError(
                f"বছর চার অঙ্কে লিখুন: {_quote(raw)} — যেমন ০৫/০৭/২০২৩",
                f"Write the year with four digits: {_quote(raw)} — e.g. 05/07/2023",
            )
        if len(year_text) != 4:
            raise CellError(
                f"তারিখ বোঝা যায়নি: {_quote(raw)} — {_DATE_HINT_BN}",
                f"Not a valid date: {_quote(raw)} — {_DATE_HINT_EN}",
            )
        year = int(year_text)
    else:
        raise CellError(
            f"তারিখ বোঝা যায়নি: {_quote(raw)} — {_DATE_HINT_BN}",
            f"Not a valid date: {_quote(raw)} — {_DATE_HINT_EN}",
        )
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise CellError(
            f"তারিখের বছর ঠিক নেই: {_quote(raw)} — বছর {_bn(_MIN_YEAR)} থেকে {_bn(_MAX_YEAR)} এর মধ্যে হবে",
            f"The year is out of range: {_quote(raw)} — it must be between {_MIN_YEAR} and {_MAX_YEAR}",
        )
    if not 1 <= month <= 12:
        raise CellError(
            f"তারিখ বোঝা যায়নি: {_quote(raw)} — মাস ১ থেকে ১২ এর মধ্যে হবে; {_DATE_HINT_BN}",
            f"Not a valid date: {_quote(raw)} — the month must be 1 to 12; {_DATE_HINT_EN}",
        )
    last_day = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last_day:
        raise CellError(
            f"তারিখ বোঝা যায়নি: {_quote(raw)} — {_bn(year)} সালের {_bn(month)} নং মাসে দিন ১ থেকে "
            f"{_bn(last_day)}; {_DATE_HINT_BN}",
            f"Not a valid date: {_quote(raw)} — month {month} of {year} has days 1 to {last_day}; "
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
            f"এই সূচকের একক সংখ্যা, শতাংশ নয়: {_quote(raw)} — % চিহ্ন ছাড়া লিখুন",
            f"This indicator's unit is a number, not a percentage: {_quote(raw)} — write it without %",
        )
    return parse_decimal(raw)


def parse_target(raw: str | None, unit: Unit) -> Decimal | date | None:
    """Blank (see :func:`is_blank`) -> None, otherwise :func:`parse_value`."""
    if is_blank(raw):
        return None
    return parse_value(raw, unit)  # type: ignore[arg-type]  # not None: is_blank(None) is True


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
                f"{what_bn} বোঝা যায়নি: {_quote(raw)} — লিখুন: {accepted_bn}",
                f"Unknown {what_en}: {_quote(raw)} — use one of: {accepted_en}",
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
    negative = clean_text(raw)[:1] in _DASHES
    quarter = None if negative else _QUARTER_WORDS.get(text)
    if quarter is None:
        raise CellError(
            f"ত্রৈমাসিক বোঝা যায়নি: {_quote(raw)} — ত্রৈমাসিক ১ থেকে ৪ (যেমন ১, ১ম, প্রথম, Q১)",
            f"Not a valid quarter: {_quote(raw)} — quarters are 1–4 (e.g. 1, Q1, 1st)",
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
            f"প্রযোজ্যতা বোঝা যায়নি: {_quote(raw)} — লিখুন: প্রযোজ্য, প্রযোজ্য নয় (অথবা খালি রাখুন)",
            f"Unknown applicability: {_quote(raw)} — use: applicable, not applicable / n/a (or leave blank)",
        )
    return found


# --------------------------------------------------------------------------------------------
# Weight and fiscal year
# --------------------------------------------------------------------------------------------

_WEIGHT_PLACES = 2


def parse_weight(raw: str) -> Decimal:
    """A positive decimal (> 0) with at most 2 decimal places (trailing zeros don't count)."""
    value = parse_decimal(raw)
    if value <= 0:
        raise CellError(
            f"মান ০-এর বেশি হতে হবে: {_quote(raw)}",
            f"The weight must be more than 0: {_quote(raw)}",
        )
    if -value.normalize().as_tuple().exponent > _WEIGHT_PLACES:
        raise CellError(
            f"মানে দশমিকের পর সর্বোচ্চ {_bn(_WEIGHT_PLACES)} ঘর লেখা যাবে: {_quote(raw)}",
            f"A weight may have at most {_WEIGHT_PLACES} decimal places: {_quote(raw)}",
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
            f"অর্থবছর বোঝা যায়নি: {_quote(raw)} — যেমন ২০২২-২৩ বা ২০২২-২০২৩ লিখুন",
            f"Not a valid fiscal year: {_quote(raw)} — write e.g. 2022-23 or 2022-2023",
        )
    start, end_text = int(match[1]), match[2]
    end = int(end_text) if len(end_text) == 4 else start - start % 100 + int(end_text)
    if len(end_text) == 2 and end < start:  # "1999-00"
        end += 100
    if end != start + 1:
        raise CellError(
            f"অর্থবছর ভুল: {_quote(raw)} — শেষ বছর শুরুর পরের বছর হবে, যেমন "
            f"{_bn(start)}-{_bn(str(start + 1)[-2:])}",
            f"Not a valid fiscal year: {_quote(raw)} — the second year must follow the first, e.g. "
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
