"""The header row of an exchange sheet: each column named as the offices write it, mapped to its field."""

from __future__ import annotations

from collections.abc import Sequence

from indicators.parsing.cells import CellError, bn_digits, is_blank, normalize_header, quote_raw

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
        "evaluation": ("মূল্যায়ন পদ্ধতি", "মূল্যায়ন", "evaluation method"),
        "evidence_expected": ("প্রমাণক", "প্রত্যাশিত প্রমাণক", "expected evidence", "evidence"),
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
    return f"কলাম {_column_letter(index)}, {bn_digits(index + 1)} নং"


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
                    f"অজানা কলাম শিরোনাম {quote_raw(raw)} ({_column_bn(index)}) — গ্রহণযোগ্য শিরোনাম: {accepted_bn}",
                    f"Unknown column header {quote_raw(raw)} ({_column_en(index)}) — accepted headers: "
                    f"{accepted_en}",
                )
            )
            continue
        if field in seen:
            first = seen[field]
            errors.append(
                CellError(
                    f"একই কলাম দুইবার: {quote_raw(raw)} ({_column_bn(index)}) এবং {quote_raw(headers[first])} "
                    f"({_column_bn(first)}) দুটিই {_field_label_bn(kind, field)} — একটি রাখুন",
                    f"Duplicate column: {quote_raw(raw)} ({_column_en(index)}) and {quote_raw(headers[first])} "
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
