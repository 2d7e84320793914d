"""Reading and writing the exchange sheets (DESIGN.md §7) as CSV or XLSX.

Every cell comes out as text exactly as a person would read it in the sheet, so that one parser
(``indicators.parsing``) handles CSV and XLSX alike. Excel's typed cells are turned back into text:
dates as ISO dates, percent-formatted numbers as ``85%``, whole numbers without ``.0``.

Every XLSX the project writes is saved by ``xlsx_workbook_bytes``, which stores text as text (OWASP
"CSV Injection"): a remark such as ``=HYPERLINK(…)`` must not become a live formula in the spreadsheet of
whoever opens the download.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from apa_tracker.errors import DomainError
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
    "read_sheet",
    "read_sheet_bytes",
    "write_sheet",
    "xlsx_bytes",
    "xlsx_workbook_bytes",
]


@dataclass(frozen=True)
class Sheet:
    headers: list[str]
    # (row number as the user sees it in the sheet, cells)
    rows: list[tuple[int, list[str]]]
    # The row number of the header line (1 unless blank lines come before it).
    header_row: int = 1


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
    """Read CSV or XLSX; the format is decided by the content (``indicators.uploads.check_sheet_bytes``,
    which also refuses what is neither), not by the name."""
    if check_sheet_bytes(data, name=name) == "xlsx":
        return _read_xlsx(data)
    return _read_csv(data)


def _read_csv(data: bytes) -> Sheet:
    text = decode_csv(data)
    # Only the delimiter is guessed (Excel writes ';' in some locales), from the header line; quoting is
    # always RFC 4180 double quotes — csv.Sniffer would take a remark in 'single quotes' for quoting.
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max([",", ";", "\t"], key=header_line.count)
    if header_line.count(delimiter) == 0:
        delimiter = ","
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"'))
    return _to_sheet(records)


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
    return _to_sheet(records)


def _to_sheet(records: list[list[str]]) -> Sheet:
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
    return Sheet(headers=headers, rows=rows, header_row=start + 1)


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


def csv_bytes(headers: list[str], rows: Iterable[Iterable[str]]) -> bytes:
    """CSV as the command line writes it: UTF-8 with a BOM, so Excel shows Bangla."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
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
