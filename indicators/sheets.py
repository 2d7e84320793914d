"""Reading and writing the exchange sheets (DESIGN.md §7) as CSV or XLSX, and reading a Word (.docx) table.

Every cell comes out as text exactly as a person would read it in the sheet, so that one parser
(``indicators.parsing``) handles CSV and XLSX alike. Excel's typed cells are turned back into text:
dates as ISO dates, percent-formatted numbers as ``85%``, whole numbers without ``.0``. A merged cell (Excel's
merged range, Word's spanned or vertically merged cell) gives its text to every row and column it covers, as a
person reads it; a document's own layout (two header rows, codes in the title cells) is read by
``indicators.plan_layouts``.

Every CSV and XLSX the project writes goes through ``csv_bytes`` or ``xlsx_workbook_bytes``, which write
text as text (OWASP "CSV Injection"): a remark such as ``=HYPERLINK(…)`` must not become a live formula in
the spreadsheet of whoever opens the download.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from base.errors import DomainError
from indicators.parsing import plain_number
from indicators.uploads import (
    SheetUnreadable,
    check_sheet_bytes,
    check_sheet_size,
    decode_csv,
    sheet_max_bytes,
    unreadable_xlsx,
)

if TYPE_CHECKING:
    from openpyxl import Workbook

__all__ = [
    "Sheet",
    "SheetUnreadable",
    "csv_bytes",
    "csv_cell",
    "csv_cell_text",
    "read_sheet",
    "read_sheet_bytes",
    "write_sheet",
    "xlsx_bytes",
    "xlsx_workbook_bytes",
]

# OWASP "CSV Injection": a spreadsheet program takes a cell that begins with = + - @ for a formula, and some
# skip a leading tab or carriage return first. Such a cell is written with a single quote in front, which
# spreadsheets read as "text follows". Leading quotes before the character are counted in, so that a value
# that itself begins with ' and one of these (``'=x``) gets its own quote and reads back as it was.
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
# The blank-level marker of the sheets (``--``, DESIGN.md §7) is left as it is, so that exports stay as
# people read them. OWASP lists "-" because a cell such as ``-2+3+cmd|' /C calc'!A0`` is a formula; a cell of
# minus signs alone has no operand and no function, so nothing can be computed or called from it.
_DASHES_ONLY = re.compile(r"-+")


@dataclass(frozen=True)
class SheetNotice:
    """What reading a document's layout did that its reader should know (an extra column ignored, codes taken
    from the title cells …), at a row of the file (None: the file as a whole)."""

    row: int | None
    message_bn: str
    message_en: str


@dataclass(frozen=True)
class Sheet:
    headers: list[str]
    # (row number as the user sees it in the sheet, cells)
    rows: list[tuple[int, list[str]]]
    # The row number of the header line (1 unless blank lines come before it).
    header_row: int = 1
    # What the file is ("csv", "xlsx", "docx") and how its table was laid out ("" as read; "own" our format,
    # "cabinet" the Cabinet Division's table: ``indicators.plan_layouts``).
    source: str = ""
    layout: str = ""
    # The columns as the document names them, for messages (when ``headers`` were given the fields' names).
    labels: tuple[str, ...] = ()
    notices: tuple[SheetNotice, ...] = ()
    # The fiscal year the document's target columns name (``লক্ষ্যমাত্রা ২০২১-২২``), as written.
    target_year: str = ""
    # Every non-blank line of the file at its full width, the header line and any title lines above it
    # included, with its row number: what a document's layout is read from.
    records: tuple[tuple[int, list[str]], ...] = ()

    def label(self, index: int) -> str:
        """Column ``index`` as the document names it."""
        if index < len(self.labels) and self.labels[index]:
            return self.labels[index]
        return self.headers[index].strip()


def read_sheet(path: str | Path) -> Sheet:
    """Read a sheet file; its size is checked before it is read, and the reading stops at the limit."""
    path = Path(path)
    try:
        if path.is_file():
            check_sheet_size(path.stat().st_size)
        with path.open("rb") as handle:
            data = handle.read(sheet_max_bytes() + 1)
    except FileNotFoundError as exc:
        raise SheetUnreadable(f"ফাইল পাওয়া যায়নি: {path}", f"File not found: {path}") from exc
    except (OSError, ValueError) as exc:
        raise SheetUnreadable(f"ফাইল পড়া যায়নি: {path}", f"Cannot read file {path}: {exc}") from exc
    return read_sheet_bytes(data, name=path.name)


def read_sheet_bytes(data: bytes, *, name: str = "") -> Sheet:
    """Read CSV, XLSX or a Word document's tables; the format is decided by the content
    (``indicators.uploads.check_sheet_bytes``, which also refuses what is none of them), not by the name."""
    kind = check_sheet_bytes(data, name=name)
    if kind == "xlsx":
        return _read_xlsx(data)
    if kind == "docx":
        return _to_sheet(read_docx_tables(data), source="docx")
    return _read_csv(data)


def _read_csv(data: bytes) -> Sheet:
    text = decode_csv(data)
    # Only the delimiter is guessed (Excel writes ';' in some locales), from the header line; quoting is
    # always RFC 4180 double quotes — csv.Sniffer would take a remark in 'single quotes' for quoting.
    lines = [line for line in text.splitlines() if line.strip()][:10]
    header_line = lines[0] if lines else ""
    delimiter = max([",", ";", "\t"], key=header_line.count)
    if header_line.count(delimiter) == 0:
        # A document's title line above its table (the Cabinet Division's layout): the table's lines decide.
        delimiter = max([",", ";", "\t"], key=lambda d: max((line.count(d) for line in lines), default=0))
        if not any(line.count(delimiter) for line in lines):
            delimiter = ","
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"'))
    return _to_sheet([[csv_cell_text(cell) for cell in record] for record in records], source="csv")


def csv_cell_text(cell: str) -> str:
    """A CSV cell as it was before ``csv_cell`` neutralised it: one leading quote dropped when quotes and a
    formula character follow (``'=1+1`` → ``=1+1``, ``''=x`` → ``'=x``); any other cell as it is
    (``'Webinar'``)."""
    if cell.startswith("'") and _FORMULA_START.match(cell, 1):
        return cell[1:]
    return cell


def _xlsx_cell_text(value: object, number_format: str) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
        return value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        number = Decimal(str(value))
        if "%" in (number_format or ""):
            # Excel stores 85% as 0.85 and 2/3 as 0.666…; four decimals are what the plan keeps.
            return f"{plain_number(round(number * 100, 4))}%"
        return plain_number(number)
    return str(value)


def _read_xlsx(data: bytes) -> Sheet:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    # read_only workbooks are read lazily: a damaged file can fail while rows are iterated, too.
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            worksheet = workbook.worksheets[0]
            # Some tools write a wrong <dimension> record; read-only mode would trust it and stop early.
            worksheet.reset_dimensions()
            records = [
                [_xlsx_cell_text(cell.value, getattr(cell, "number_format", "")) for cell in row]
                for row in worksheet.iter_rows()
            ]
            _fill_merged(records, _xlsx_merged_ranges(worksheet))
        finally:
            workbook.close()
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        KeyError,
        ValueError,
        OSError,
    ) as exc:
        raise unreadable_xlsx(exc) from exc
    return _to_sheet(records, source="xlsx")


def _xlsx_merged_ranges(worksheet) -> list[tuple[int, int, int, int]]:
    """The merged ranges of a read-only worksheet as 0-based ``(first row, first column, last row, last
    column)``. openpyxl reads them only into a full (not read-only) worksheet, so they are taken from the
    worksheet's ``<mergeCell ref="A5:A9"/>`` elements (its XML was checked for a DTD before)."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import range_boundaries

    ranges = []
    with worksheet._get_source() as source:
        for _event, element in iterparse(source):
            if element.tag.endswith("}mergeCell") and element.get("ref"):
                min_col, min_row, max_col, max_row = range_boundaries(element.get("ref"))
                ranges.append((min_row - 1, min_col - 1, max_row - 1, max_col - 1))
            element.clear()
    return ranges


def _fill_merged(records: list[list[str]], ranges: list[tuple[int, int, int, int]]) -> None:
    """Give a merged range's text (its top-left cell's) to every cell it covers."""
    for first_row, first_col, last_row, last_col in ranges:
        if first_row >= len(records):
            continue
        top = records[first_row]
        text = top[first_col] if first_col < len(top) else ""
        for row in range(first_row, min(last_row, len(records) - 1) + 1):
            record = records[row]
            if len(record) <= last_col:
                record.extend([""] * (last_col + 1 - len(record)))
            for col in range(first_col, last_col + 1):
                record[col] = text


def read_docx_tables(data: bytes) -> list[list[str]]:
    """The rows of every table of a Word document, one after the other (a plan split over pages is often
    several tables, each with its header again), each cell's text as shown; a spanned or vertically merged
    cell gives its text to every grid cell it covers (python-docx's ``row.cells``). The rows are numbered as
    the document's table rows, counted from the first table's first row."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(io.BytesIO(data))
        records: list[list[str]] = []
        for table in document.tables:
            for row in table.rows:
                records.append([cell.text.replace("\r", "\n") for cell in row.cells])
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise SheetUnreadable(
            "Word ফাইলটি খোলা যায়নি (ভাঙা বা অন্য ধরনের ফাইল)।",
            f"The Word document could not be opened: {exc}",
        ) from exc
    if not records:
        raise SheetUnreadable(
            "Word ফাইলটিতে কোনো সারণি (টেবিল) নেই; কর্মপরিকল্পনা সারণি হিসেবে লিখুন।",
            "The Word document has no table; the plan must be a table.",
        )
    return records


def _to_sheet(records: list[list[str]], *, source: str = "") -> Sheet:
    # Skip leading empty lines; the first non-empty line holds the headers.
    start = 0
    while start < len(records) and not any(cell.strip() for cell in records[start]):
        start += 1
    if start == len(records):
        raise SheetUnreadable("ফাইলটিতে কোনো তথ্য নেই।", "The file has no data.")
    headers = list(records[start])
    while headers and not headers[-1].strip():
        headers.pop()
    rows: list[tuple[int, list[str]]] = []
    for index, record in enumerate(records[start + 1 :], start=start + 2):
        if not any(cell.strip() for cell in record):
            continue  # blank lines are not rows
        cells = list(record[: len(headers)]) + [""] * (len(headers) - len(record))
        rows.append((index, cells))
    width = max(len(record) for record in records)
    full = tuple(
        (index, [*record, *[""] * (width - len(record))])
        for index, record in enumerate(records, start=1)
        if any(cell.strip() for cell in record)
    )
    return Sheet(headers=headers, rows=rows, header_row=start + 1, source=source, records=full)


def write_sheet(path: str | Path, headers: list[str], rows: list[list[str]]) -> None:
    """Write CSV (UTF-8 with BOM, so Excel shows Bangla) or XLSX, chosen by the file's extension."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        path.write_bytes(csv_bytes(headers, rows))
    elif suffix == ".xlsx":
        path.write_bytes(xlsx_bytes(headers, rows))
    else:
        raise DomainError(
            f"অজানা ফাইলের ধরন '{path.suffix}': .csv বা .xlsx দিন।",
            f"Unknown file type '{path.suffix}': use .csv or .xlsx.",
        )


def csv_cell(value: object) -> object:
    """A value as a CSV cell that no spreadsheet takes for a formula (OWASP "CSV Injection"): text that
    begins with = + - @, tab or CR (after any quotes) gets a single quote in front; ``csv_cell_text`` takes it
    off again when the sheet is imported. Numbers stay numbers: a spreadsheet reads ``-5`` as the number."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value
    text = "" if value is None else str(value)
    if _FORMULA_START.match(text) and not _DASHES_ONLY.fullmatch(text):
        return "'" + text
    return text


def csv_bytes(headers: Iterable[object], rows: Iterable[Iterable[object]]) -> bytes:
    """CSV as the command line writes it: UTF-8 with a BOM, so Excel shows Bangla; every cell through
    ``csv_cell``, so no cell is a formula."""
    buffer, line = io.StringIO(newline=""), io.StringIO(newline="")
    # The writer quotes a cell that holds a character of its line terminator; with "\n" alone a CR in a
    # cell would go out bare and end the row there when read. So each row is written with "\r\n" (quoting
    # CR and LF) and ends with "\n" as the other lines do.
    writer = csv.writer(line, lineterminator="\r\n")
    for row in [headers, *rows]:
        line.seek(0)
        line.truncate()
        writer.writerow([csv_cell(value) for value in row])
        buffer.write(line.getvalue().removesuffix("\r\n") + "\n")
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_workbook_bytes(workbook: Workbook) -> bytes:
    """The workbook as XLSX bytes with every text cell stored as text, never as a formula.

    openpyxl stores any string that begins with "=" as a formula (OWASP "CSV Injection": a remark such as
    ``=HYPERLINK(…)`` would run in the reader's Excel). A text cell needs no quote, unlike CSV: its type says
    it is text, and the value reads back exactly. Numbers and dates keep their types."""
    for worksheet in workbook.worksheets:
        for row in worksheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(headers: list[str], rows: list[list[str]], *, title: str = "plan") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for column in sheet.columns:
        for cell in column:
            # Shown as text, too, so that Excel keeps Bangla digits and leading zeros as typed when a person
            # edits the cell.
            cell.number_format = "@"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return xlsx_workbook_bytes(workbook)
