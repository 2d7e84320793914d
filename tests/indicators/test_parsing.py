"""Tests for indicators.parsing: one spreadsheet cell's text -> a typed value or a CellError.

Plain pytest (no Django, no database) plus Hypothesis round-trip properties.
"""

from __future__ import annotations

import pickle
import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from base.bangla import to_ascii_digits, to_bangla_digits
from indicators.parsing import (
    HEADER_ALIASES,
    REQUIRED_FIELDS,
    CellError,
    clean_text,
    code_numbers,
    is_blank,
    map_headers,
    normalize_header,
    parse_applicability,
    parse_calc_method,
    parse_code,
    parse_date,
    parse_decimal,
    parse_direction,
    parse_fiscal_year,
    parse_quarter,
    parse_scoring_method,
    parse_target,
    parse_unit,
    parse_value,
    parse_weight,
)
from indicators.scoring import CalcMethod, Direction, ScoringMethod, Unit

# The two ways of typing ড় and য়: precomposed, and base letter + nukta (U+09BC).
GOR_PRECOMPOSED = "\u0997\u09dc"  # গড় with U+09DC
GOR_NUKTA = "\u0997\u09a1\u09bc"  # গড় with ড + nukta
NOY_PRECOMPOSED = "\u09a8\u09df"  # নয় with U+09DF
NOY_NUKTA = "\u09a8\u09af\u09bc"  # নয় with য + nukta
BOM = "\ufeff"
NBSP = "\u00a0"
ZWJ = "\u200d"
ZWNJ = "\u200c"

fast = settings(max_examples=60, deadline=None)


def both_messages(error: pytest.ExceptionInfo[CellError]) -> tuple[str, str]:
    return error.value.message_bn, error.value.message_en


# --------------------------------------------------------------------------------------------
# CellError
# --------------------------------------------------------------------------------------------


def test_cell_error_carries_both_messages_and_str_joins_them():
    """CellError keeps message_bn and message_en, and str() is "bn / en"."""
    error = CellError("ভুল", "wrong")
    assert (error.message_bn, error.message_en) == ("ভুল", "wrong")
    assert str(error) == "ভুল / wrong"


def test_cell_error_is_a_value_error():
    """CellError can be caught as ValueError."""
    with pytest.raises(ValueError):
        raise CellError("ভুল", "wrong")


def test_cell_error_survives_pickling():
    """A pickled CellError comes back with both messages."""
    error = pickle.loads(pickle.dumps(CellError("ভুল", "wrong")))
    assert (error.message_bn, error.message_en, str(error)) == ("ভুল", "wrong", "ভুল / wrong")


# --------------------------------------------------------------------------------------------
# clean_text / is_blank / normalize_header
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ""),
        ("", ""),
        ("   ", ""),
        ("  abc  ", "abc"),
        ("a \t\n b", "a b"),
        (f"a{NBSP}{NBSP}b", "a b"),
        (f"{BOM}সূচক নং", "সূচক নং"),
        (f"সূচক{BOM} নং", "সূচক নং"),
        ("a\u200bb", "ab"),
        (f"র{ZWJ}্য", f"র{ZWJ}্য"),
        (f"ক্{ZWNJ}ষ", f"ক্{ZWNJ}ষ"),
        (GOR_PRECOMPOSED, GOR_NUKTA),
        (NOY_PRECOMPOSED, NOY_NUKTA),
        ("e\u0301", "\u00e9"),
    ],
)
def test_clean_text(raw, expected):
    """clean_text: None->"", NFC, trimmed, whitespace runs (NBSP, tabs) -> one space, no BOM, ZWJ kept."""
    assert clean_text(raw) == expected


def test_clean_text_makes_both_forms_of_rra_and_yya_equal():
    """ড় and য় typed precomposed or with nukta clean to the same text."""
    assert clean_text(GOR_PRECOMPOSED) == clean_text(GOR_NUKTA)
    assert clean_text(NOY_PRECOMPOSED) == clean_text(NOY_NUKTA)


@pytest.mark.parametrize(
    "raw",
    [None, "", " ", "\t", NBSP, BOM, "-", "--", "---", "—", "–", "―", "-- --", " - - ", "— —", "−"],
)
def test_is_blank_true(raw):
    """Empty, whitespace-only and dash-only cells are blank."""
    assert is_blank(raw) is True


@pytest.mark.parametrize("raw", ["0", "০", "-5", "n/a", "a", "%", ".", "- 1", "_"])
def test_is_blank_false(raw):
    """Cells with any content other than dashes and spaces are not blank."""
    assert is_blank(raw) is False


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Area_Code", "area code"),
        ("  AREA   CODE ", "area code"),
        ("area-code", "area code"),
        ("area__code", "area code"),
        (f"{BOM}Area Code", "area code"),
        ("target_১০০", "target 100"),
        ("নাম(বাংলা)", "নাম (বাংলা)"),
        ("নাম ( বাংলা )", "নাম (বাংলা)"),
        ("সূচক নং.", "সূচক নং"),
        ("code*", "code"),
        ("একক:", "একক"),
        (f"সূচক{NBSP}নং", "সূচক নং"),
        (GOR_PRECOMPOSED, GOR_NUKTA),
        (f"হ{ZWJ}্যাঁ", "হ্যাঁ"),
    ],
)
def test_normalize_header(raw, expected):
    """normalize_header: casefold, spacing/underscore/hyphen unified, Bangla digits to ASCII, NFC."""
    assert normalize_header(raw) == expected


def test_normalize_header_matches_both_forms_of_rra_and_yya():
    """গড় and নয় normalise the same with U+09DC/U+09DF or with nukta."""
    assert normalize_header(GOR_PRECOMPOSED) == normalize_header(GOR_NUKTA)
    assert normalize_header("প্রযোজ্য " + NOY_PRECOMPOSED) == normalize_header("প্রযোজ্য " + NOY_NUKTA)


# --------------------------------------------------------------------------------------------
# Headers
# --------------------------------------------------------------------------------------------

# Written out independently of the module: (kind, header as a person might type it, field).
SPEC_ALIASES = [
    ("plan", "area_code", "area_code"),
    ("plan", "ক্ষেত্র নং", "area_code"),
    ("plan", "ক্ষেত্র নম্বর", "area_code"),
    ("plan", "area_title", "area_title"),
    ("plan", "কর্মসম্পাদন ক্ষেত্র", "area_title"),
    ("plan", "area_marks", "area_marks"),
    ("plan", "ক্ষেত্রের মান", "area_marks"),
    ("plan", "activity_code", "activity_code"),
    ("plan", "কার্যক্রম নং", "activity_code"),
    ("plan", "কার্যক্রম নম্বর", "activity_code"),
    ("plan", "activity_title", "activity_title"),
    ("plan", "কার্যক্রম", "activity_title"),
    ("plan", "indicator_code", "indicator_code"),
    ("plan", "সূচক নং", "indicator_code"),
    ("plan", "সূচক নম্বর", "indicator_code"),
    ("plan", "indicator_title", "indicator_title"),
    ("plan", "কর্মসম্পাদন সূচক", "indicator_title"),
    ("plan", "unit", "unit"),
    ("plan", "একক", "unit"),
    ("plan", "weight", "weight"),
    ("plan", "সূচকের মান", "weight"),
    ("plan", "কর্মসম্পাদন সূচকের মান", "weight"),
    ("plan", "calc_method", "calc_method"),
    ("plan", "গণনা পদ্ধতি", "calc_method"),
    ("plan", "scoring", "scoring"),
    ("plan", "নম্বর পদ্ধতি", "scoring"),
    ("plan", "direction", "direction"),
    ("plan", "দিক", "direction"),
    ("plan", "target_100", "target_100"),
    ("plan", "অসাধারণ", "target_100"),
    ("plan", "target_90", "target_90"),
    ("plan", "অতি উত্তম", "target_90"),
    ("plan", "target_80", "target_80"),
    ("plan", "উত্তম", "target_80"),
    ("plan", "target_70", "target_70"),
    ("plan", "চলতি মান", "target_70"),
    ("plan", "target_60", "target_60"),
    ("plan", "চলতি মানের নিম্নে", "target_60"),
    ("plan", "চলতি মানে নিম্নে", "target_60"),
    ("progress", "indicator_code", "indicator_code"),
    ("progress", "সূচক নং", "indicator_code"),
    ("progress", "quarter", "quarter"),
    ("progress", "ত্রৈমাসিক", "quarter"),
    ("progress", "কোয়ার্টার", "quarter"),
    ("progress", "value", "value"),
    ("progress", "অর্জন", "value"),
    ("progress", "remark", "remark"),
    ("progress", "মন্তব্য", "remark"),
    ("progress", "applicability", "applicability"),
    ("progress", "প্রযোজ্যতা", "applicability"),
    ("offices", "code", "code"),
    ("offices", "কোড", "code"),
    ("offices", "name_bn", "name_bn"),
    ("offices", "নাম (বাংলা)", "name_bn"),
    ("offices", "name_en", "name_en"),
    ("offices", "নাম (ইংরেজি)", "name_en"),
    ("offices", "parent_code", "parent_code"),
    ("offices", "ঊর্ধ্বতন কোড", "parent_code"),
    ("offices", "kind", "kind"),
    ("offices", "ধরন", "kind"),
    ("offices", "address_bn", "address_bn"),
    ("offices", "ঠিকানা", "address_bn"),
    ("offices", "website", "website"),
    ("offices", "ওয়েবসাইট", "website"),
]


def _odd_spellings(header: str) -> list[str]:
    """The same header with odd case, spacing, underscores/hyphens, NBSP and a BOM."""
    spaced = header.replace("_", " ")
    return [
        header,
        header.upper(),
        header.title(),
        f"  {header}  ",
        spaced,
        spaced.replace(" ", "  "),
        spaced.replace(" ", "_"),
        spaced.replace(" ", "-"),
        spaced.replace(" ", NBSP),
        f"{BOM}{header}",
        f"\t{spaced.upper()}\t",
    ]


@pytest.mark.parametrize(
    ("kind", "header", "field"), [pytest.param(*case, id=f"{case[0]}:{case[1]}") for case in SPEC_ALIASES]
)
def test_header_alias_maps_to_field(kind, header, field):
    """Every English and Bangla header alias, as typed and with odd case/spacing/BOM, maps to its field."""
    for variant in _odd_spellings(header):
        assert HEADER_ALIASES[kind].get(normalize_header(variant)) == field, variant
        mapping, errors = map_headers(kind, [variant])
        assert mapping == {0: field}, variant
        assert not [e for e in errors if "Required" not in e.message_en], variant


@pytest.mark.parametrize(
    ("kind", "header", "field"),
    [
        ("progress", "কো\u09df\u09be\u09b0\u09cd\u099f\u09be\u09b0", "quarter"),  # য় precomposed
        ("progress", "কো\u09af\u09bc\u09be\u09b0\u09cd\u099f\u09be\u09b0", "quarter"),  # য + nukta
        ("offices", "ও\u09df\u09c7\u09ac\u09b8\u09be\u0987\u099f", "website"),
        ("offices", "ও\u09af\u09bc\u09c7\u09ac\u09b8\u09be\u0987\u099f", "website"),
    ],
)
def test_header_alias_with_both_forms_of_yya(kind, header, field):
    """Headers containing য় match whether য় is precomposed (U+09DF) or য + nukta."""
    assert map_headers(kind, [header])[0] == {0: field}


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("কর্মসম্পাদন সূচক", "indicator_title"),
        ("কর্মসম্পাদন সূচকের মান", "weight"),
        ("সূচকের মান", "weight"),
        ("কর্মসম্পাদন ক্ষেত্র", "area_title"),
        ("ক্ষেত্রের মান", "area_marks"),
        ("চলতি মান", "target_70"),
        ("চলতি মানের নিম্নে", "target_60"),
        ("কার্যক্রম", "activity_title"),
        ("কার্যক্রম নং", "activity_code"),
        ("উত্তম", "target_80"),
        ("অতি উত্তম", "target_90"),
    ],
)
def test_similar_plan_headers_are_not_confused(header, field):
    """Whole headers are matched, never prefixes (e.g. চলতি মান vs চলতি মানের নিম্নে)."""
    assert map_headers("plan", [header])[0] == {0: field}


@pytest.mark.parametrize(
    "header", ["কর্মসম্পাদন সূচকের", "চলতি", "সূচক", "মান", "চলতি মানের", "code no", "চলতি মান ক", "নিম্নে"]
)
def test_prefixes_and_partial_headers_are_unknown(header):
    """A header that is only a prefix or an extension of an alias is reported as unknown."""
    _, errors = map_headers("plan", [header])
    assert any("Unknown column header" in e.message_en for e in errors)


def _full_plan_headers() -> list[str]:
    return [
        "ক্ষেত্র নং",
        "কর্মসম্পাদন ক্ষেত্র",
        "ক্ষেত্রের মান",
        "কার্যক্রম নং",
        "কার্যক্রম",
        "সূচক নং",
        "কর্মসম্পাদন সূচক",
        "একক",
        "কর্মসম্পাদন সূচকের মান",
        "গণনা পদ্ধতি",
        "নম্বর পদ্ধতি",
        "দিক",
        "অসাধারণ",
        "অতি উত্তম",
        "উত্তম",
        "চলতি মান",
        "চলতি মানের নিম্নে",
    ]


def test_map_headers_full_bangla_plan_with_bom():
    """A full Bangla plan header row, BOM on the first cell, maps every column without errors."""
    headers = _full_plan_headers()
    headers[0] = BOM + headers[0]
    mapping, errors = map_headers("plan", headers)
    assert errors == []
    assert list(mapping.values()) == [
        "area_code",
        "area_title",
        "area_marks",
        "activity_code",
        "activity_title",
        "indicator_code",
        "indicator_title",
        "unit",
        "weight",
        "calc_method",
        "scoring",
        "direction",
        "target_100",
        "target_90",
        "target_80",
        "target_70",
        "target_60",
    ]
    assert list(mapping) == list(range(len(headers)))


def test_map_headers_full_english_plan_odd_case():
    """English field names in odd case and spacing map without errors."""
    headers = ["AREA CODE", "Area_Title", "area-marks", "Activity Code", "activity_title", "INDICATOR_CODE"]
    headers += ["Indicator Title", "Unit", "Weight", "Target 100"]
    mapping, errors = map_headers("plan", headers)
    assert errors == []
    assert set(mapping.values()) == set(REQUIRED_FIELDS["plan"])


def test_map_headers_skips_blank_header_cells():
    """Empty header cells (e.g. trailing empty XLSX columns) are ignored, not reported."""
    mapping, errors = map_headers("progress", ["সূচক নং", "", None, "  ", "অর্জন"])
    assert mapping == {0: "indicator_code", 4: "value"}
    assert errors == []


def test_map_headers_unknown_header_names_it_and_lists_accepted():
    """An unknown header gives an error quoting it, naming its column and listing accepted names."""
    mapping, errors = map_headers("progress", ["সূচক নং", "Foo Bar"])
    assert mapping == {0: "indicator_code"}
    assert len(errors) == 1
    bn, en = errors[0].message_bn, errors[0].message_en
    assert "'Foo Bar'" in bn and "'Foo Bar'" in en
    assert "column B" in en and "কলাম B" in bn and "২" in bn
    for name in ("indicator_code", "quarter", "value", "remark", "applicability"):
        assert name in en
    for name in ("সূচক নং", "ত্রৈমাসিক", "অর্জন", "মন্তব্য", "প্রযোজ্যতা"):
        assert name in bn


def test_map_headers_duplicate_field_is_an_error_and_first_column_wins():
    """Two columns meaning the same field give an error naming both; the first is kept."""
    mapping, errors = map_headers("progress", ["সূচক নং", "indicator_code", "অর্জন"])
    assert mapping == {0: "indicator_code", 2: "value"}
    assert len(errors) == 1
    assert "Duplicate" in errors[0].message_en
    assert "'সূচক নং'" in errors[0].message_en and "'indicator_code'" in errors[0].message_en


@pytest.mark.parametrize("kind", ["plan", "progress", "offices"])
def test_map_headers_reports_each_missing_required_field(kind):
    """An empty header row reports one error per required field."""
    mapping, errors = map_headers(kind, [])
    assert mapping == {}
    assert len(errors) == len(REQUIRED_FIELDS[kind])
    for field, error in zip(REQUIRED_FIELDS[kind], errors, strict=True):
        assert field in error.message_en and field in error.message_bn


def test_map_headers_optional_fields_may_be_missing():
    """Only required fields are reported as missing."""
    _, errors = map_headers("offices", ["কোড", "নাম (বাংলা)", "ধরন"])
    assert errors == []


def test_map_headers_unknown_kind_is_a_programming_error():
    """An unknown sheet kind raises a plain ValueError, not a CellError."""
    with pytest.raises(ValueError) as info:
        map_headers("budget", ["x"])
    assert not isinstance(info.value, CellError)


def test_required_fields_are_known_fields():
    """Every required field is reachable through HEADER_ALIASES."""
    for kind, fields in REQUIRED_FIELDS.items():
        assert set(fields) <= set(HEADER_ALIASES[kind].values())


def test_header_alias_keys_are_normalized():
    """HEADER_ALIASES keys are already in normalize_header() form."""
    for table in HEADER_ALIASES.values():
        for key in table:
            assert normalize_header(key) == key


# --------------------------------------------------------------------------------------------
# Codes
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "depth", "expected"),
    [
        ("[১.১.১]", None, "1.1.1"),
        ("১.১.১", None, "1.1.1"),
        ("1.1.1", None, "1.1.1"),
        ("[1.1.1]", None, "1.1.1"),
        (" [ ১ . ১ ] ", None, "1.1"),
        ("১", 1, "1"),
        ("[2]", 1, "2"),
        ("২.১০", 2, "2.10"),
        ("[১২.৩.৪৫]", 3, "12.3.45"),
        (f"{BOM}1.2.3", 3, "1.2.3"),
        ("1 . 2 . 3", 3, "1.2.3"),
    ],
)
def test_parse_code_accepts(raw, depth, expected):
    """Codes in Bangla or ASCII digits, with or without brackets/spaces, become ASCII dotted codes."""
    assert parse_code(raw, depth=depth) == expected


@pytest.mark.parametrize(
    "raw",
    ["", "  ", "abc", "1..1", "1.", ".1", "1.1.", "[1.1", "1.1]", "1,1", "1 1", "0", "1.0", "01.1", "1.০১"],
)
def test_parse_code_refuses(raw):
    """Empty, non-numeric, badly dotted, zero and leading-zero codes are refused, quoting the value."""
    with pytest.raises(CellError) as info:
        parse_code(raw)
    bn, en = both_messages(info)
    assert f"'{raw.strip()}'" in bn and f"'{raw.strip()}'" in en


@pytest.mark.parametrize(("raw", "depth"), [("1", 2), ("1", 3), ("1.1", 3), ("এম.১.১", 3), ("[M.1]", 2)])
def test_parse_code_checks_depth(raw, depth):
    """A code with fewer parts than its level needs is refused with the expected count."""
    with pytest.raises(CellError) as info:
        parse_code(raw, depth=depth)
    bn, en = both_messages(info)
    assert f"at least {depth} part" in en and f"অন্তত {to_bangla_digits(depth)}" in bn


@pytest.mark.parametrize(
    ("raw", "depth", "expected"),
    [
        ("[এম.১.১.১]", 3, "এম.1.1.1"),
        ("এম.১.১", 2, "এম.1.1"),
        ("[এম.১]", 1, "এম.1"),
        ("[M.1.1.1]", 3, "M.1.1.1"),
        ("[ এম . ১ . ২ ]", None, "এম.1.2"),
        ("১.১.১.১", 3, "1.1.1.1"),
        ("1.1.1", 1, "1.1.1"),
    ],
)
def test_parse_code_keeps_a_letter_prefix_and_any_depth(raw, depth, expected):
    """DESIGN.md §7: codes may carry a letter prefix, kept as written, and number deeper than their level."""
    assert parse_code(raw, depth=depth) == expected


def test_code_numbers_leave_the_prefix_out():
    assert code_numbers("এম.1.2.3") == (1, 2, 3)
    assert code_numbers("1.10") == (1, 10)


def test_parse_code_rejects_invalid_depth_argument():
    """depth other than 1, 2, 3 is a programming error."""
    with pytest.raises(ValueError):
        parse_code("1", depth=4)


# --------------------------------------------------------------------------------------------
# Decimals
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "kwargs", "expected"),
    [
        ("0", {}, Decimal("0")),
        ("১২৩", {}, Decimal("123")),
        ("1,234.5", {}, Decimal("1234.5")),
        ("১২,৩৪,৫৬৭.৫০", {}, Decimal("1234567.50")),
        ("12,34,567", {}, Decimal("1234567")),
        ("1,234,567", {}, Decimal("1234567")),
        ("1,00,00,000", {}, Decimal("10000000")),
        ("+5", {}, Decimal("5")),
        ("+৫.৫", {}, Decimal("5.5")),
        ("0.1234", {}, Decimal("0.1234")),
        ("1.23450000", {}, Decimal("1.2345")),
        (".5", {}, Decimal("0.5")),
        ("5.", {}, Decimal("5")),
        ("007", {}, Decimal("7")),
        ("  42  ", {}, Decimal("42")),
        ("-0", {}, Decimal("0")),
        ("৮২%", {"allow_percent": True}, Decimal("82")),
        ("৮২ %", {"allow_percent": True}, Decimal("82")),
        ("82.5%", {"allow_percent": True}, Decimal("82.5")),
        ("82", {"allow_percent": True}, Decimal("82")),
        ("-5", {"allow_negative": True}, Decimal("-5")),
        ("−৫.২৫", {"allow_negative": True}, Decimal("-5.25")),
        ("-1,234", {"allow_negative": True}, Decimal("-1234")),
    ],
)
def test_parse_decimal_accepts(raw, kwargs, expected):
    """Bangla/ASCII digits, Western/Indian grouping, "+", percent and minus (when allowed) parse."""
    result = parse_decimal(raw, **kwargs)
    assert result == expected
    assert isinstance(result, Decimal)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        " ",
        "-",
        "+",
        ".",
        "abc",
        "1.2.3",
        "1e5",
        "1E5",
        "NaN",
        "nan",
        "Infinity",
        "inf",
        "১২ক",
        "1 234",
        "12,3456",
        "1,23,4567",
        "1234,567",
        "1,2345",
        ",123",
        "123,",
        "0,123",
        "1,5",
        "1.23456",
        "++5",
        "5-",
        "১,২৩৪.৫৬৭৮৯",
        "\u0663",  # Arabic-Indic three: only Bangla and ASCII digits are numbers here
        "\u096a",  # Devanagari four
    ],
)
def test_parse_decimal_refuses(raw):
    """Non-numbers, exponents, NaN/Infinity, bad grouping and more than 4 decimals are refused."""
    with pytest.raises(CellError):
        parse_decimal(raw, allow_percent=True, allow_negative=True)


@pytest.mark.parametrize("raw", ["82%", "৮২ %"])
def test_parse_decimal_refuses_percent_unless_allowed(raw):
    """A % sign is refused unless allow_percent, and the message says so."""
    with pytest.raises(CellError) as info:
        parse_decimal(raw)
    assert "%" in info.value.message_en and f"'{raw}'" in info.value.message_bn


@pytest.mark.parametrize("raw", ["-5", "−৫", "-0.5"])
def test_parse_decimal_refuses_negative_unless_allowed(raw):
    """A negative number is refused unless allow_negative."""
    with pytest.raises(CellError) as info:
        parse_decimal(raw)
    assert "Negative" in info.value.message_en and f"'{raw}'" in info.value.message_bn


def test_parse_decimal_too_many_places_message_uses_bangla_digits():
    """The decimal-places message states the limit with a Bangla digit and quotes the value as typed."""
    with pytest.raises(CellError) as info:
        parse_decimal("১.২৩৪৫৬")
    bn, en = both_messages(info)
    assert "৪" in bn and "'১.২৩৪৫৬'" in bn
    assert "4 decimal places" in en and "'১.২৩৪৫৬'" in en


def test_parse_decimal_bad_commas_message_mentions_commas():
    """Commas that are not valid grouping are called out specifically."""
    with pytest.raises(CellError) as info:
        parse_decimal("1,2345")
    assert "comma" in info.value.message_en and "কমা" in info.value.message_bn


def _indian_group(digits: str) -> str:
    if len(digits) <= 3:
        return digits
    head, tail = digits[:-3], digits[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    groups.insert(0, head)
    return ",".join(groups) + "," + tail


def _western_group(digits: str) -> str:
    return f"{int(digits):,}"


decimals = st.integers(0, 4).flatmap(
    lambda places: st.decimals(
        min_value=0, max_value=Decimal("1e13"), places=places, allow_nan=False, allow_infinity=False
    )
)


@fast
@given(
    value=decimals,
    grouping=st.sampled_from([None, _western_group, _indian_group]),
    bangla=st.booleans(),
    negative=st.booleans(),
    plus=st.booleans(),
)
def test_parse_decimal_round_trips(value, grouping, bangla, negative, plus):
    """Any Decimal (<= 4 places) written with either digit set and any grouping parses back equal."""
    text = format(value, "f")
    int_part, _, frac = text.partition(".")
    if grouping is not None:
        int_part = grouping(int_part)
    text = int_part + (f".{frac}" if frac else "")
    if negative:
        text = "-" + text
    elif plus:
        text = "+" + text
    if bangla:
        text = to_bangla_digits(text)
    expected = -value if negative else value
    assert parse_decimal(text, allow_negative=True) == expected


@fast
@given(value=decimals, space=st.booleans(), bangla=st.booleans())
def test_parse_decimal_percent_round_trips(value, space, bangla):
    """Any Decimal followed by "%" (with or without a space) parses back when percent is allowed."""
    text = format(value, "f") + (" %" if space else "%")
    if bangla:
        text = to_bangla_digits(text)
    assert parse_decimal(text, allow_percent=True) == value


@fast
@given(st.text(alphabet="0123456789.,+-% ", max_size=12))
def test_parse_decimal_is_digit_set_invariant(text):
    """Writing the same cell with Bangla instead of ASCII digits never changes the outcome."""
    try:
        ascii_result = parse_decimal(text, allow_percent=True, allow_negative=True)
    except CellError:
        with pytest.raises(CellError):
            parse_decimal(to_bangla_digits(text), allow_percent=True, allow_negative=True)
    else:
        assert parse_decimal(to_bangla_digits(text), allow_percent=True, allow_negative=True) == ascii_result


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("05/07/2023", date(2023, 7, 5)),
        ("5/7/2023", date(2023, 7, 5)),
        ("05-07-2023", date(2023, 7, 5)),
        ("5-7-2023", date(2023, 7, 5)),
        ("05.07.2023", date(2023, 7, 5)),
        ("5.7.2023", date(2023, 7, 5)),
        ("2023-07-05", date(2023, 7, 5)),
        ("০৫/০৭/২০২৩", date(2023, 7, 5)),
        ("৫/৭/২০২৩", date(2023, 7, 5)),
        ("০৫-০৭-২০২৩", date(2023, 7, 5)),
        ("০৫.০৭.২০২৩", date(2023, 7, 5)),
        ("২০২৩-০৭-০৫", date(2023, 7, 5)),
        ("2023-05-20 00:00:00", date(2023, 5, 20)),
        ("2023-05-20T00:00:00", date(2023, 5, 20)),
        ("2023-05-20T00:00", date(2023, 5, 20)),
        ("2023-05-20 00:00:00.000000", date(2023, 5, 20)),
        ("২০২৩-০৫-২০ ০০:০০:০০", date(2023, 5, 20)),
        ("29/02/2024", date(2024, 2, 29)),
        ("31/12/2023", date(2023, 12, 31)),
        (" 05 / 07 / 2023 ", date(2023, 7, 5)),
        (f"{BOM}05/07/2023", date(2023, 7, 5)),
    ],
)
def test_parse_date_accepts(raw, expected):
    """Day-first dates with / - . separators, ISO dates and ISO midnight datetimes, in either digit set."""
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "31/02/2023",
        "৩১/০২/২০২৩",
        "29/02/2023",
        "31/04/2023",
        "00/01/2023",
        "12/13/2023",
        "12/31/2023",
        "2023-02-30",
        "2023-13-01",
    ],
)
def test_parse_date_refuses_impossible_dates_naming_the_value(raw):
    """Impossible dates are refused; both messages quote the value exactly as typed."""
    with pytest.raises(CellError) as info:
        parse_date(raw)
    bn, en = both_messages(info)
    assert f"'{raw}'" in bn and f"'{raw}'" in en
    assert "day/month/year" in en and "দিন/মাস/বছর" in bn


def test_parse_date_message_example():
    """The message for 31/02/2023 reads naturally in Bangla (Bangla digits in the example) and English."""
    with pytest.raises(CellError) as info:
        parse_date("31/02/2023")
    bn, en = both_messages(info)
    assert bn.startswith("তারিখ বোঝা যায়নি: '31/02/2023' — ")
    assert bn.endswith("দিন/মাস/বছর আকারে লিখুন, যেমন ০৫/০৭/২০২৩")
    assert en.startswith("Not a valid date: '31/02/2023' — ")
    assert en.endswith("write day/month/year, e.g. 05/07/2023")
    assert "২৮" in bn and "28" in en


@pytest.mark.parametrize("raw", ["05/07/23", "৫/৭/২৩", "05-07-23", "05.07.23"])
def test_parse_date_refuses_two_digit_years(raw):
    """Two-digit years are refused with a message asking for four digits."""
    with pytest.raises(CellError) as info:
        parse_date(raw)
    bn, en = both_messages(info)
    assert "four digits" in en and "চার অঙ্কে" in bn and f"'{raw}'" in en


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "  ",
        "abc",
        "5 July 2023",
        "2023/07/05",
        "05/07-2023",
        "05/07/202",
        "05/07/20233",
        "123/07/2023",
        "05072023",
        "2023-05-20 10:30:00",
        "2023-05-20 25:00",
        "05/07/1899",
        "05/07/2101",
        "45123",
        "\u0665/\u0667/\u0662\u0660\u0662\u0663",  # Arabic-Indic digits
    ],
)
def test_parse_date_refuses_other_forms(raw):
    """Unlisted formats, mixed separators, times of day, and years outside 1900–2100 are refused."""
    with pytest.raises(CellError):
        parse_date(raw)


dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
DATE_FORMATS = [
    "{d:02d}/{m:02d}/{y}",
    "{d}/{m}/{y}",
    "{d:02d}-{m:02d}-{y}",
    "{d}-{m}-{y}",
    "{d:02d}.{m:02d}.{y}",
    "{d}.{m}.{y}",
    "{y}-{m:02d}-{d:02d}",
    "{y}-{m:02d}-{d:02d} 00:00:00",
    "{y}-{m:02d}-{d:02d}T00:00:00",
]


@fast
@given(value=dates, fmt=st.sampled_from(DATE_FORMATS), bangla=st.booleans())
def test_parse_date_round_trips(value, fmt, bangla):
    """Any date written in any accepted format, with either digit set, parses back to itself."""
    text = fmt.format(d=value.day, m=value.month, y=value.year)
    if bangla:
        text = to_bangla_digits(text)
    assert parse_date(text) == value


# --------------------------------------------------------------------------------------------
# Values and targets
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "unit", "expected"),
    [
        ("০৫/০৭/২০২৩", Unit.DATE, date(2023, 7, 5)),
        ("2023-07-05 00:00:00", Unit.DATE, date(2023, 7, 5)),
        ("৮২%", Unit.PERCENT, Decimal("82")),
        ("82 %", Unit.PERCENT, Decimal("82")),
        ("৮২.৫", Unit.PERCENT, Decimal("82.5")),
        ("১২,৩৪৫", Unit.NUMBER, Decimal("12345")),
        ("10", Unit.NUMBER, Decimal("10")),
        ("10", "number", Decimal("10")),
    ],
)
def test_parse_value_accepts(raw, unit, expected):
    """Values parse according to their unit."""
    assert parse_value(raw, unit) == expected


@pytest.mark.parametrize(
    ("raw", "unit"),
    [
        ("৮২%", Unit.NUMBER),
        ("82 %", Unit.NUMBER),
        ("-5", Unit.NUMBER),
        ("-5", Unit.PERCENT),
        ("-5%", Unit.PERCENT),
        ("05/07/2023", Unit.NUMBER),
        ("82", Unit.DATE),
        ("", Unit.NUMBER),
        ("abc", Unit.PERCENT),
    ],
)
def test_parse_value_refuses(raw, unit):
    """ "%" on a number, negatives, and values of the wrong kind are refused."""
    with pytest.raises(CellError):
        parse_value(raw, unit)


def test_parse_value_percent_on_number_message():
    """A % on a number-unit value says the unit is a number."""
    with pytest.raises(CellError) as info:
        parse_value("৮২%", Unit.NUMBER)
    assert "not a percentage" in info.value.message_en and "'৮২%'" in info.value.message_bn


@pytest.mark.parametrize("raw", [None, "", "  ", "-", "--", "—", "–", "-- --"])
@pytest.mark.parametrize("unit", list(Unit))
def test_parse_target_blank_is_none(raw, unit):
    """A blank target cell (empty or dashes) is None for every unit."""
    assert parse_target(raw, unit) is None


@pytest.mark.parametrize(
    ("raw", "unit", "expected"),
    [
        ("৯০", Unit.PERCENT, Decimal("90")),
        ("৩০/০৬/২০২৪", Unit.DATE, date(2024, 6, 30)),
        ("0", Unit.NUMBER, 0),
    ],
)
def test_parse_target_parses_non_blank(raw, unit, expected):
    """A non-blank target is parsed like a value."""
    assert parse_target(raw, unit) == expected


def test_parse_target_refuses_bad_value():
    """A non-blank target that is not a valid value raises CellError."""
    with pytest.raises(CellError):
        parse_target("abc", Unit.NUMBER)


# --------------------------------------------------------------------------------------------
# Keywords
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("তারিখ", Unit.DATE),
        ("date", Unit.DATE),
        ("DATE", Unit.DATE),
        ("%", Unit.PERCENT),
        ("percent", Unit.PERCENT),
        ("Percent", Unit.PERCENT),
        ("শতাংশ", Unit.PERCENT),
        ("শতকরা", Unit.PERCENT),
        ("শতকরা হার", Unit.PERCENT),
        ("  শতকরা   হার ", Unit.PERCENT),
        ("সংখ্যা", Unit.NUMBER),
        ("number", Unit.NUMBER),
        ("no", Unit.NUMBER),
        ("No.", Unit.NUMBER),
        ("count", Unit.NUMBER),
        ("সংখ্যা (টি)", Unit.NUMBER),
        ("সংখ্যা(টি)", Unit.NUMBER),
    ],
)
def test_parse_unit_accepts(raw, expected):
    """Unit words in Bangla and English."""
    assert parse_unit(raw) is expected


@pytest.mark.parametrize("raw", ["", "kg", "টাকা", "percentages", "সংখ্যা টি টি"])
def test_parse_unit_refuses(raw):
    """Unknown units are refused, quoting the value and listing accepted units."""
    with pytest.raises(CellError) as info:
        parse_unit(raw)
    bn, en = both_messages(info)
    assert f"'{raw}'" in bn and f"'{raw}'" in en
    assert "percent" in en and "শতাংশ" in bn


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("সমষ্টি", CalcMethod.SUM),
        ("sum", CalcMethod.SUM),
        ("Total", CalcMethod.SUM),
        ("যোগফল", CalcMethod.SUM),
        (GOR_PRECOMPOSED, CalcMethod.AVERAGE),
        (GOR_NUKTA, CalcMethod.AVERAGE),
        ("average", CalcMethod.AVERAGE),
        ("AVG", CalcMethod.AVERAGE),
        ("mean", CalcMethod.AVERAGE),
        ("ক্রমপুঞ্জিভূত", CalcMethod.CUMULATIVE),
        ("ক্রমপুঞ্জীভূত", CalcMethod.CUMULATIVE),
        ("Cumulative", CalcMethod.CUMULATIVE),
        ("তারিখ", CalcMethod.DATE),
        ("date", CalcMethod.DATE),
    ],
)
def test_parse_calc_method_accepts(raw, expected):
    """Calculation methods in Bangla and English; গড় in both Unicode forms."""
    assert parse_calc_method(raw) is expected


@pytest.mark.parametrize("raw", ["", "median", "গড়ে", "sum total"])
def test_parse_calc_method_refuses(raw):
    """Unknown calculation methods are refused."""
    with pytest.raises(CellError) as info:
        parse_calc_method(raw)
    assert "sum, average, cumulative, date" in info.value.message_en


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ScoringMethod.INTERPOLATE),
        ("", ScoringMethod.INTERPOLATE),
        ("-", ScoringMethod.INTERPOLATE),
        ("interpolate", ScoringMethod.INTERPOLATE),
        ("Interpolate", ScoringMethod.INTERPOLATE),
        ("রৈখিক", ScoringMethod.INTERPOLATE),
        ("আন্তঃপাতন", ScoringMethod.INTERPOLATE),
        ("আন্ত:পাতন", ScoringMethod.INTERPOLATE),
        ("proportional", ScoringMethod.PROPORTIONAL),
        ("আনুপাতিক", ScoringMethod.PROPORTIONAL),
        ("threshold", ScoringMethod.THRESHOLD),
        ("সব অথবা কিছুই না", ScoringMethod.THRESHOLD),
        ("সব  অথবা  কিছুই  না", ScoringMethod.THRESHOLD),
        ("পূর্ণ অথবা শূন্য", ScoringMethod.THRESHOLD),
        ("step", ScoringMethod.STEP),
        ("STEP", ScoringMethod.STEP),
        ("ধাপ", ScoringMethod.STEP),
        ("ধাপভিত্তিক", ScoringMethod.STEP),
    ],
)
def test_parse_scoring_method_accepts(raw, expected):
    """Scoring methods in Bangla and English; blank means interpolate."""
    assert parse_scoring_method(raw) is expected


@pytest.mark.parametrize("raw", ["linearly", "সব", "steps up", "0"])
def test_parse_scoring_method_refuses(raw):
    """Unknown scoring methods are refused."""
    with pytest.raises(CellError):
        parse_scoring_method(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, Direction.HIGHER),
        ("", Direction.HIGHER),
        ("—", Direction.HIGHER),
        ("higher", Direction.HIGHER),
        ("Higher", Direction.HIGHER),
        ("ঊর্ধ্বমুখী", Direction.HIGHER),
        ("বেশি ভালো", Direction.HIGHER),
        ("lower", Direction.LOWER),
        ("LOWER", Direction.LOWER),
        ("নিম্নমুখী", Direction.LOWER),
        ("কম ভালো", Direction.LOWER),
        ("কম  ভালো", Direction.LOWER),
    ],
)
def test_parse_direction_accepts(raw, expected):
    """Directions in Bangla and English; blank means higher is better."""
    assert parse_direction(raw) is expected


@pytest.mark.parametrize("raw", ["up", "কম", "বেশি", "high"])
def test_parse_direction_refuses(raw):
    """Unknown directions are refused."""
    with pytest.raises(CellError):
        parse_direction(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        ("১", 1),
        ("Q1", 1),
        ("q1", 1),
        ("Q১", 1),
        ("১ম", 1),
        ("প্রথম", 1),
        ("১ম ত্রৈমাসিক", 1),
        ("প্রথম ত্রৈমাসিক", 1),
        ("2", 2),
        ("২", 2),
        ("Q2", 2),
        ("২\u09df", 2),  # ২য় precomposed
        ("২\u09af\u09bc", 2),  # ২য় with nukta
        ("দ্বিত\u09c0\u09df", 2),  # দ্বিতীয় precomposed
        ("দ্বিত\u09c0\u09af\u09bc", 2),  # দ্বিতীয় with nukta
        ("৩", 3),
        ("Q3", 3),
        ("৩য়", 3),
        ("তৃতীয়", 3),
        ("৪", 4),
        ("q4", 4),
        ("৪র্থ", 4),
        ("চতুর্থ", 4),
        ("৪র্থ ত্রৈমাসিক", 4),
        ("Quarter 3", 3),
        ("2nd quarter", 2),
        ("Q 4", 4),
        ("4.0", 4),
    ],
)
def test_parse_quarter_accepts(raw, expected):
    """Quarters 1–4 as digits, Q-numbers, Bangla ordinals and words, with or without ত্রৈমাসিক."""
    assert parse_quarter(raw) == expected


@pytest.mark.parametrize(
    "raw", ["0", "5", "০", "৫", "Q5", "Q0", "", "  ", "পঞ্চম", "৫ম", "1.5", "-1", "Q", "abc"]
)
def test_parse_quarter_refuses_saying_quarters_are_1_to_4(raw):
    """Anything outside 1–4 is refused with a message that says quarters are 1–4."""
    with pytest.raises(CellError) as info:
        parse_quarter(raw)
    bn, en = both_messages(info)
    assert "quarters are 1–4" in en and "১ থেকে ৪" in bn


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, True),
        ("", True),
        ("-", True),
        ("প্রযোজ্য", True),
        ("applicable", True),
        ("Applicable", True),
        ("yes", True),
        ("YES", True),
        ("প্রযোজ্য " + NOY_PRECOMPOSED, False),
        ("প্রযোজ্য " + NOY_NUKTA, False),
        ("প্রযোজ্য নহে", False),
        ("n/a", False),
        ("N/A", False),
        ("na", False),
        ("NA", False),
        ("not applicable", False),
        ("Not Applicable", False),
        ("not_applicable", False),
    ],
)
def test_parse_applicability(raw, expected):
    """Applicability words; প্রযোজ্য নয় with both forms of য়; blank means applicable."""
    assert parse_applicability(raw) is expected


@pytest.mark.parametrize("raw", ["maybe", "প্রযোজ্যনয়x", "0", "applicable?"])
def test_parse_applicability_refuses(raw):
    """Unknown applicability words are refused."""
    with pytest.raises(CellError) as info:
        parse_applicability(raw)
    assert f"'{raw}'" in info.value.message_bn


# --------------------------------------------------------------------------------------------
# Weight and fiscal year
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("৫", Decimal("5")),
        ("2.5", Decimal("2.5")),
        ("০.২৫", Decimal("0.25")),
        ("1.50", Decimal("1.5")),
        ("1.5000", Decimal("1.5")),
        ("10", Decimal("10")),
        ("+3", Decimal("3")),
    ],
)
def test_parse_weight_accepts(raw, expected):
    """Positive weights with up to 2 decimals (trailing zeros don't count)."""
    assert parse_weight(raw) == expected


@pytest.mark.parametrize("raw", ["0", "০.০০", "-1", "1.234", "০.০০১", "", "abc", "5%"])
def test_parse_weight_refuses(raw):
    """Zero, negative, more than 2 decimals, blank, text and percent weights are refused."""
    with pytest.raises(CellError):
        parse_weight(raw)


def test_parse_weight_places_message_uses_bangla_digit():
    """The 2-decimal limit is stated with a Bangla digit in the Bangla message."""
    with pytest.raises(CellError) as info:
        parse_weight("1.234")
    assert "২" in info.value.message_bn and "2 decimal places" in info.value.message_en


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2022-23", (2022, 2023)),
        ("২০২২-২৩", (2022, 2023)),
        ("2022-2023", (2022, 2023)),
        ("২০২২-২০২৩", (2022, 2023)),
        ("2022–23", (2022, 2023)),
        ("2022 - 23", (2022, 2023)),
        ("2022/23", (2022, 2023)),
        ("FY 2022-23", (2022, 2023)),
        ("অর্থবছর ২০২৩-২৪", (2023, 2024)),
        ("1999-00", (1999, 2000)),
        ("2099-2100", (2099, 2100)),
    ],
)
def test_parse_fiscal_year_accepts(raw, expected):
    """Fiscal years as yyyy-yy or yyyy-yyyy in either digit set."""
    assert parse_fiscal_year(raw) == expected


@pytest.mark.parametrize(
    "raw", ["2022-24", "২০২২-২০২৪", "2022-2022", "2023-22", "2022", "22-23", "", "abc", "2022-233", "2022-3"]
)
def test_parse_fiscal_year_refuses(raw):
    """Fiscal years whose end is not start + 1, or in other shapes, are refused."""
    with pytest.raises(CellError) as info:
        parse_fiscal_year(raw)
    assert f"'{raw}'" in info.value.message_en


def test_parse_fiscal_year_wrong_end_message_suggests_the_right_one():
    """A wrong end year gets an example with the correct end year (Bangla digits in Bangla)."""
    with pytest.raises(CellError) as info:
        parse_fiscal_year("2022-24")
    assert "2022-23" in info.value.message_en and "২০২২-২৩" in info.value.message_bn


@fast
@given(start=st.integers(1900, 2099), long_end=st.booleans(), bangla=st.booleans())
def test_parse_fiscal_year_round_trips(start, long_end, bangla):
    """Any fiscal year written short or long, in either digit set, parses back."""
    end = str(start + 1) if long_end else f"{(start + 1) % 100:02d}"
    text = f"{start}-{end}"
    if bangla:
        text = to_bangla_digits(text)
    assert parse_fiscal_year(text) == (start, start + 1)


# --------------------------------------------------------------------------------------------
# Properties: codes, digits, normalisation
# --------------------------------------------------------------------------------------------


@fast
@given(
    parts=st.lists(st.integers(1, 10_000), min_size=1, max_size=5),
    brackets=st.booleans(),
    spaces=st.booleans(),
    bangla=st.booleans(),
)
def test_parse_code_round_trips(parts, brackets, spaces, bangla):
    """Any code of positive integers, in either digit set, with or without brackets/spaces, parses back."""
    code = ".".join(map(str, parts))
    text = (" . " if spaces else ".").join(map(str, parts))
    if brackets:
        text = f"[ {text} ]" if spaces else f"[{text}]"
    if bangla:
        text = to_bangla_digits(text)
    depth = min(len(parts), 3)
    assert parse_code(text, depth=depth) == code


@fast
@given(st.text())
def test_digit_translation_invariants(text):
    """to_ascii/to_bangla are inverse on digits and leave everything else alone."""
    assert to_ascii_digits(to_bangla_digits(text)) == to_ascii_digits(text)
    assert to_bangla_digits(to_ascii_digits(text)) == to_bangla_digits(text)
    assert len(to_bangla_digits(text)) == len(text) == len(to_ascii_digits(text))
    assert not any(ch in "০১২৩৪৫৬৭৮৯" for ch in to_ascii_digits(text))
    assert not any(ch in "0123456789" for ch in to_bangla_digits(text))


@fast
@given(st.integers(min_value=0))
def test_digit_translation_of_integers(number):
    """An integer written in Bangla digits translates back to its ASCII form."""
    assert to_ascii_digits(to_bangla_digits(number)) == str(number)
    assert parse_decimal(to_bangla_digits(number)) == number


@fast
@given(st.text())
def test_clean_text_is_idempotent_and_nfc(text):
    """clean_text(clean_text(x)) == clean_text(x), and the result is NFC without edge whitespace."""
    once = clean_text(text)
    assert clean_text(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert once == once.strip() and "  " not in once and "\ufeff" not in once


@fast
@given(st.text())
def test_normalize_header_is_idempotent_and_digit_invariant(text):
    """normalize_header is idempotent and ignores which digit set was used."""
    once = normalize_header(text)
    assert normalize_header(once) == once
    assert normalize_header(to_bangla_digits(text)) == once


CELL_PARSERS = [
    parse_code,
    parse_decimal,
    parse_date,
    parse_unit,
    parse_calc_method,
    parse_scoring_method,
    parse_direction,
    parse_quarter,
    parse_applicability,
    parse_weight,
    parse_fiscal_year,
    lambda raw: parse_decimal(raw, allow_percent=True, allow_negative=True),
    lambda raw: parse_value(raw, Unit.NUMBER),
    lambda raw: parse_target(raw, Unit.DATE),
]
cell_texts = st.one_of(
    st.text(max_size=30),
    st.text(alphabet="0123456789০১২৩৪৫৬৭৮৯.,:-/ %+−–()[]qQTeE\u09bc\u09dc\u09df\ufeff\u00a0", max_size=20),
)


@fast
@given(cell_texts)
def test_parsers_raise_only_cell_error(text):
    """Whatever is typed in a cell, every parser returns a value or raises CellError, nothing else."""
    for parser in CELL_PARSERS:
        try:
            parser(text)
        except CellError as error:
            assert error.message_bn and error.message_en
