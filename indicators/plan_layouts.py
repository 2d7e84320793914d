"""A plan as the offices keep it (DESIGN.md §7), read into the plan sheet's columns, whatever file it came in.

Two layouts are known, and told apart by the headers:

- ``own``: the exchange sheet of DESIGN.md §7 (one header row naming our columns), read as it is;
- ``cabinet``: the Cabinet Division's table, as seed 000 prints it and the offices keep it in Excel or Word —
  ``ক্রম | কর্মসম্পাদন ক্ষেত্র | মান | কার্যক্রম | কর্মসম্পাদন সূচক | একক | কর্মসম্পাদন সূচকের মান |
  লক্ষ্যমাত্রা <year>`` with the five levels in a second header row below the year, often a row of column
  numbers (১ ২ ৩ …) under the headers, codes inside the title cells (``[১.১.১] …``), the area, its marks and the
  activity merged down their rows (or, in a CSV, written once and left blank below), extra columns (ক্রম, the
  responsible branch, earlier years' figures) and no method column.

The cabinet table becomes a sheet of our columns, each row keeping its row number in the file, so that one
parser (``indicators.plan_sheet``) checks both, and says what the reading did (``Sheet.notices``): columns
ignored, codes taken from the title cells, cells read from the row above. A sheet that is neither is left as it
is: the parser lists its header problems as before.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Sequence

from base.bangla import to_ascii_digits, to_bangla_digits
from indicators import parsing
from indicators.parsing.headers import HEADER_ALIASES
from indicators.sheets import Sheet, SheetNotice

LAYOUT_OWN = "own"
LAYOUT_CABINET = "cabinet"

#: How the layouts are named to people (the preview, the command).
LAYOUT_NAMES = {
    LAYOUT_OWN: ("এই সাইটের কর্মপরিকল্পনার ছক", "this site's plan sheet"),
    LAYOUT_CABINET: ("মন্ত্রিপরিষদ বিভাগের ছক", "the Cabinet Division's table"),
}


def _words(*words: str) -> frozenset[str]:
    return frozenset(parsing.normalize_header(word) for word in words)


# The cabinet table's columns, by what its header says (after ``normalize_header``; whole headers only).
_CABINET_COLUMNS: dict[str, frozenset[str]] = {
    "area": _words("কর্মসম্পাদন ক্ষেত্র", "কর্মসম্পাদনের ক্ষেত্র", "ক্ষেত্র", "area", "performance area"),
    "area_marks": _words("মান", "ক্ষেত্রের মান", "কর্মসম্পাদন ক্ষেত্রের মান", "marks", "area marks", "weight of area"),
    "activity": _words("কার্যক্রম", "কার্যক্রমসমূহ", "activity", "activities"),
    "indicator": _words(
        "কর্মসম্পাদন সূচক", "কর্মসম্পাদন সূচকসমূহ", "সূচক", "indicator", "performance indicator", "indicators"
    ),
    "unit": _words("একক", "unit"),
    "weight": _words(
        "কর্মসম্পাদন সূচকের মান", "সূচকের মান", "weight", "weight of indicator", "weight of performance indicator"
    ),
}
_LEVEL_WORDS: dict[int, frozenset[str]] = {
    100: _words("অসাধারণ", "excellent", "outstanding"),
    90: _words("অতি উত্তম", "very good"),
    80: _words("উত্তম", "good"),
    70: _words("চলতি মান", "fair"),
    60: _words("চলতি মানের নিম্নে", "চলতি মানে নিম্নে", "poor", "below fair"),
}
_TARGET_GROUP = re.compile(r"^(?:লক্ষ্যমাত্রা|লক্ষ্য মাত্রা|targets|target)(?=\s|$)\s*(.*)$")
_LEVEL_PERCENT = re.compile(r"\s*\(\s*\d+\s*%?\s*\)$")
# Our own optional columns, which a cabinet table may carry too (method, scoring, direction, texts).
_OWN_OPTIONAL = ("calc_method", "scoring", "direction", "evaluation", "evidence_expected")
# A code at the start of a title cell: "[১.১.১] …", "[এম.১.১] …", "১.১.১ …", "M.1.1.1. …".
_BRACKETED_CODE = re.compile(r"^\[([^\]]*)\]\s*[:.\-–]?\s*(.*)$", re.DOTALL)
_BARE_CODE = re.compile(r"^((?:[^\W\d_]+\.)?\d+(?:\.\d+)*)\.?\s+(.+)$", re.DOTALL)
_TOTAL_WORDS = ("মোট", "সর্বমোট", "total")


def _level(text: str) -> int | None:
    key = _LEVEL_PERCENT.sub("", parsing.normalize_header(text))
    return next((level for level, words in _LEVEL_WORDS.items() if key in words), None)


def _column_field(text: str) -> str | None:
    key = parsing.normalize_header(text)
    return next((field for field, words in _CABINET_COLUMNS.items() if key in words), None)


def _is_header_row(cells: Sequence[str]) -> bool:
    fields = {_column_field(cell) for cell in cells}
    return {"indicator", "unit", "activity"} <= fields


def _is_level_row(cells: Sequence[str]) -> bool:
    return sum(_level(cell) is not None for cell in cells) >= 2


def _is_column_numbers(cells: Sequence[str]) -> bool:
    """A row of column numbers (১ ২ ৩ … under the headers): three or more whole numbers going up, nothing else."""
    numbers = []
    for cell in cells:
        text = to_ascii_digits(parsing.clean_text(cell)).strip("()")
        if not text:
            continue
        if not text.isascii() or not text.isdigit():
            return False
        numbers.append(int(text))
    return len(numbers) >= 3 and all(b > a for a, b in itertools.pairwise(numbers))


def _column_letter(index: int) -> str:
    letters, n = "", index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def split_code(text: str) -> tuple[str, str]:
    """A title cell's code and title: ``"[১.১.১] সেবা …"`` → ``("[১.১.১]", "সেবা …")``; a cell without a code
    gives itself as the code (the parser then says which cell has none) and as the title."""
    text = parsing.clean_text(text)
    match = _BRACKETED_CODE.match(text)
    if match is not None:
        return f"[{match[1].strip()}]", match[2].strip()
    match = _BARE_CODE.match(to_ascii_digits(text))
    if match is not None:
        length = len(match[1])
        return text[:length], text[length:].lstrip(". ").strip()
    return text, text


@dataclasses.dataclass
class _Header:
    row: int  # index into the records of the first header row
    rows: int  # header rows (1 or 2)
    columns: dict[str, int]  # field -> column index
    targets: dict[int, int]  # level -> column index
    own: dict[str, int]  # our optional columns the table carries
    ignored: list[tuple[int, str]]  # (column, label)
    labels: dict[int, str]  # column -> label as the document writes it
    target_year: str = ""


def _read_header(records: Sequence[tuple[int, list[str]]], start: int) -> _Header:
    top = records[start][1]
    two_rows = start + 1 < len(records) and _is_level_row(records[start + 1][1]) and not _is_level_row(top)
    sub = records[start + 1][1] if two_rows else [""] * len(top)
    own_aliases = HEADER_ALIASES["plan"]
    header = _Header(
        row=start, rows=2 if two_rows else 1, columns={}, targets={}, own={}, ignored=[], labels={}
    )
    for index, (upper, lower) in enumerate(zip(top, sub, strict=False)):
        upper, lower = parsing.clean_text(upper), parsing.clean_text(lower)
        label = " / ".join(dict.fromkeys(text for text in (upper, lower) if text))
        if not label:
            continue
        header.labels[index] = label
        level = _level(lower) if lower else None
        if level is None:
            level = _level(upper)
        group = _TARGET_GROUP.match(parsing.clean_text(upper).casefold())
        if level is not None and level not in header.targets:
            header.targets[level] = index
            if group is not None and group[1] and not header.target_year:
                header.target_year = group[1].strip()
            continue
        field = _column_field(upper) or (_column_field(lower) if lower else None)
        if field is not None and field not in header.columns:
            header.columns[field] = index
            continue
        own = own_aliases.get(parsing.normalize_header(upper)) or own_aliases.get(
            parsing.normalize_header(lower)
        )
        if own in _OWN_OPTIONAL and own not in header.own:
            header.own[own] = index
            continue
        header.ignored.append((index, label))
    return header


# The sheet's columns, in our order, with what each is read from.
_OUT_COLUMNS = (
    ("area_code", "area", "code"),
    ("area_title", "area", "title"),
    ("area_marks", "area_marks", "cell"),
    ("activity_code", "activity", "code"),
    ("activity_title", "activity", "title"),
    ("indicator_code", "indicator", "code"),
    ("indicator_title", "indicator", "title"),
    ("unit", "unit", "cell"),
    ("weight", "weight", "cell"),
)
_FILLED_DOWN = ("area", "area_marks", "activity")


def plan_layout_read(sheet: Sheet) -> Sheet:
    """The sheet in our columns: as it is when it is our own format (or not a known layout: its problems are
    then the parser's to list), or read from the Cabinet Division's table."""
    if sheet.layout:
        return sheet  # read already
    _mapping, errors = parsing.map_headers("plan", sheet.headers)
    if not errors:
        read = dataclasses.replace(sheet, layout=LAYOUT_OWN)
    else:
        records = sheet.records
        start = next((i for i, (_n, cells) in enumerate(records[:30]) if _is_header_row(cells)), None)
        if start is None:
            return sheet
        read = _read_cabinet(sheet, _read_header(records, start))
    if read.source == "docx":
        # Word has no row numbers of its own: say what ours count.
        notice = SheetNotice(
            None,
            "Word ফাইলের সারি নম্বর সারণির সারি: প্রথম সারণির প্রথম সারি ১, শিরোনাম সারিসহ, পরের সারণিতে গোনা চলতে থাকে।",
            "Row numbers in a Word file count its tables' rows: the first table's first row is 1, header rows "
            "included, counting on through the following tables.",
        )
        read = dataclasses.replace(read, notices=(notice, *read.notices))
    return read


def _read_cabinet(sheet: Sheet, header: _Header) -> Sheet:
    records = sheet.records
    first_row = records[header.row][0]
    notices: list[SheetNotice] = []
    header_rows = [records[header.row + i][0] for i in range(header.rows)]
    rows_bn = "–".join(to_bangla_digits(n) for n in (header_rows[0], header_rows[-1])[: header.rows])
    rows_en = "–".join(str(n) for n in (header_rows[0], header_rows[-1])[: header.rows])
    notices.append(
        SheetNotice(
            first_row,
            f"মন্ত্রিপরিষদ বিভাগের ছক হিসেবে পড়া হয়েছে: শিরোনাম সারি {rows_bn}; ক্ষেত্র, কার্যক্রম ও সূচকের নম্বর "
            "শিরোনামের ঘরের শুরু থেকে নেওয়া হয়েছে।",
            f"Read as the Cabinet Division's table: header row(s) {rows_en}; the codes of areas, activities and "
            "indicators taken from the start of their title cells.",
        )
    )
    if header.ignored:
        listed_bn = ", ".join(f"'{label}' ({_column_letter(i)})" for i, label in header.ignored)
        listed_en = ", ".join(f"'{label}' ({_column_letter(i)})" for i, label in header.ignored)
        notices.append(
            SheetNotice(
                first_row,
                f"এই কলামগুলো কর্মপরিকল্পনার অংশ নয়, তাই বাদ দেওয়া হয়েছে: {listed_bn}।",
                f"These columns are not part of the plan and were ignored: {listed_en}.",
            )
        )
    index = header.row + header.rows
    if index < len(records) and _is_column_numbers(records[index][1]):
        number = records[index][0]
        notices.append(
            SheetNotice(
                number,
                "কলামের ক্রমিক নম্বরের সারি, বাদ দেওয়া হয়েছে।",
                "The row of column numbers, skipped.",
            )
        )
        index += 1

    columns = header.columns
    width = len(records[header.row][1])
    header_texts = {parsing.normalize_header(c) for c in records[header.row][1] if c.strip()}
    previous: dict[str, str] = {}
    filled: list[int] = []
    skipped: list[int] = []
    rows: list[tuple[int, list[str]]] = []
    for number, cells in records[index:]:
        cells = [*cells, *[""] * (width - len(cells))]
        text = {field: parsing.clean_text(cells[i]) for field, i in columns.items()}
        targets = {level: parsing.clean_text(cells[i]) for level, i in header.targets.items()}
        if _is_column_numbers(cells) or (
            text.get("indicator") and parsing.normalize_header(text["indicator"]) in header_texts
        ):
            skipped.append(number)  # the header again (a table split over pages), or its column numbers
            continue
        if _is_level_row(cells) and not text.get("unit"):
            skipped.append(number)
            continue
        indicator_part = [
            text.get("indicator", ""),
            text.get("unit", ""),
            text.get("weight", ""),
            *targets.values(),
        ]
        if not any(indicator_part):
            if any(word in parsing.normalize_header(" ".join(cells)) for word in _TOTAL_WORDS) or any(
                text.values()
            ):
                skipped.append(number)  # a total row, or an area's own line without an indicator
            continue
        was_filled = False
        for field in _FILLED_DOWN:
            if field in columns and not text[field] and previous.get(field):
                text[field] = previous[field]
                was_filled = True
        previous.update({field: text[field] for field in _FILLED_DOWN if field in columns and text[field]})
        if was_filled:
            filled.append(number)
        out: list[str] = []
        for _name, source, part in _OUT_COLUMNS:
            value = text.get(source, "")
            if part != "cell":
                code, title = split_code(value) if value else ("", "")
                value = code if part == "code" else title
            out.append(value)
        out.extend(targets.get(level, "") for level in (100, 90, 80, 70, 60))
        out.extend(parsing.clean_text(cells[i]) for i in header.own.values())
        rows.append((number, out))

    if filled:
        notices.append(
            SheetNotice(
                filled[0],
                f"{to_bangla_digits(len(filled))}টি সারিতে ক্ষেত্র, মান বা কার্যক্রমের ঘর ফাঁকা (একত্র করা ঘর); "
                f"উপরের সারি থেকে পড়া হয়েছে (সারি {_numbers_bn(filled)})।",
                f"In {len(filled)} row(s) the area, marks or activity cell is blank (merged cells); read from the "
                f"row above (rows {_numbers_en(filled)}).",
            )
        )
    if skipped:
        notices.append(
            SheetNotice(
                skipped[0],
                f"সূচক ছাড়া সারি (শিরোনাম, নম্বর বা মোট) বাদ দেওয়া হয়েছে: সারি {_numbers_bn(skipped)}।",
                f"Rows without an indicator (headers, numbers or totals) skipped: rows {_numbers_en(skipped)}.",
            )
        )
    labels = {
        "area": header.labels.get(columns.get("area", -1), "কর্মসম্পাদন ক্ষেত্র"),
        "activity": header.labels.get(columns.get("activity", -1), "কার্যক্রম"),
        "indicator": header.labels.get(columns.get("indicator", -1), "কর্মসম্পাদন সূচক"),
    }
    out_headers, out_labels = [], []
    for name, source, part in _OUT_COLUMNS:
        if source not in columns:
            continue  # missing: the parser says the column is required
        out_headers.append(name)
        label = header.labels.get(columns[source], name)
        out_labels.append(f"{labels[source]} [নম্বর / code]" if part == "code" else label)
    for level in (100, 90, 80, 70, 60):
        if level in header.targets:
            out_headers.append(f"target_{level}")
            out_labels.append(header.labels.get(header.targets[level], f"target_{level}"))
    for name, i in header.own.items():
        out_headers.append(name)
        out_labels.append(header.labels.get(i, name))
    # Each row holds every column, the missing ones blank; only the columns found are named.
    present = set(out_headers)
    all_names = [n for n, _s, _p in _OUT_COLUMNS] + [f"target_{lv}" for lv in (100, 90, 80, 70, 60)]
    all_names += list(header.own)
    positions = [all_names.index(name) for name in out_headers]
    rows = [(number, [cells[p] for p in positions]) for number, cells in rows]
    if present and header.target_year:
        notices.append(
            SheetNotice(
                first_row,
                f"লক্ষ্যমাত্রার কলামের শিরোনামে অর্থবছর: {header.target_year}।",
                f"The target columns' header names the fiscal year {to_ascii_digits(header.target_year)}.",
            )
        )
    return Sheet(
        headers=out_headers,
        rows=rows,
        header_row=first_row,
        source=sheet.source,
        layout=LAYOUT_CABINET,
        labels=tuple(out_labels),
        notices=tuple(notices),
        records=sheet.records,
        target_year=header.target_year,
    )


def _numbers_bn(numbers: list[int]) -> str:
    return ", ".join(to_bangla_digits(n) for n in numbers[:20]) + (" …" if len(numbers) > 20 else "")


def _numbers_en(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers[:20]) + (" …" if len(numbers) > 20 else "")
