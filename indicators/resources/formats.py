"""Reading and writing the sheet files for the admin: django-import-export formats built on the command line's
reader and writers (``indicators.sheets``), and the dataset that keeps the file's row numbers."""

from __future__ import annotations

import logging
from typing import Any

import tablib
from import_export.formats.base_formats import XLSX, TablibFormat

from base.errors import DomainError
from indicators.sheets import Sheet, SheetUnreadable, csv_bytes, read_sheet_bytes, xlsx_bytes

logger = logging.getLogger(__name__)


class SheetDataset(tablib.Dataset):
    """A dataset that keeps the sheet it was read from: the service reads the sheet, and its problems carry the
    row numbers a person sees in the file (blank lines skipped), as on the command line."""

    def __init__(self, sheet: Sheet):
        super().__init__(*(cells for _number, cells in sheet.rows), headers=list(sheet.headers))
        self.sheet = sheet

    def __bool__(self) -> bool:
        # Headers without rows are still a sheet: the service says what is wrong with it, in Bangla (the admin
        # would refuse an empty dataset with the library's English message).
        return True


def dataset_sheet(dataset: tablib.Dataset) -> Sheet:
    """The sheet behind a dataset; a plain tablib dataset is numbered as a sheet whose header is row 1."""
    sheet = getattr(dataset, "sheet", None)
    if isinstance(sheet, Sheet):
        return sheet
    headers = ["" if header is None else str(header) for header in (dataset.headers or [])]
    rows = [
        (number, ["" if cell is None else str(cell) for cell in row])
        for number, row in enumerate(dataset, start=2)
    ]
    return Sheet(headers=headers, rows=rows)


def sheet_from_upload(data: bytes, *, name: str = "") -> Sheet:
    """An uploaded file read as ``import_plan`` and ``import_progress`` read it (``read_sheet_bytes``: the kind
    decided by the content, every cell as the text a person sees), any failure said in Bangla and English."""
    try:
        return read_sheet_bytes(data, name=name)
    except DomainError:
        raise
    except Exception as exc:  # openpyxl and zipfile raise many kinds of errors for a broken file
        logger.info("unreadable sheet: %r", exc)
        raise SheetUnreadable(
            "ফাইলটি পড়া যায়নি (ভাঙা বা অন্য ধরনের ফাইল); CSV (UTF-8) বা XLSX ফাইল দিন।",
            "The file could not be read (broken or of another type); upload a CSV (UTF-8) or XLSX file.",
        ) from exc


class _SheetFormat:
    """Reads a file with ``sheet_from_upload``, keeping the file's row numbers."""

    name_hint = ""

    def create_dataset(self, in_stream: bytes, **kwargs: Any) -> SheetDataset:
        return SheetDataset(sheet_from_upload(bytes(in_stream), name=self.name_hint))


class SheetCSV(_SheetFormat, TablibFormat):
    """CSV as the command line reads and writes it. The library's own CSV cannot stand in: it decodes the
    upload as UTF-8 (Excel's "Unicode text" is UTF-16, and ``;`` separates Excel's cells in some locales), and
    it writes without the BOM Excel needs to show Bangla and without neutralising formulas: ``csv_bytes`` puts a
    quote before a cell such as ``=HYPERLINK(…)`` (OWASP "CSV Injection") and ``read_sheet_bytes`` takes it off
    again, so an export imports back unchanged. A binary format, so the upload reaches the reader as bytes."""

    TABLIB_MODULE = "tablib.formats._csv"
    CONTENT_TYPE = "text/csv; charset=utf-8"
    name_hint = "sheet.csv"

    def export_data(self, dataset: tablib.Dataset, **kwargs: Any) -> bytes:
        return csv_bytes(dataset.headers, dataset)


class SheetXLSX(_SheetFormat, XLSX):
    """XLSX as the command line reads and writes it. The library's own XLSX reads the stored values of the
    active worksheet: a cell showing ``85%`` arrives as ``0.85``, a date as a datetime. ``xlsx_bytes`` writes
    every text cell as text (never a formula) in columns formatted as text, so Excel keeps Bangla digits as
    typed."""

    name_hint = "sheet.xlsx"

    def export_data(self, dataset: tablib.Dataset, **kwargs: Any) -> bytes:
        return xlsx_bytes(
            list(dataset.headers), [list(row) for row in dataset], title=dataset.title or "sheet"
        )


class SheetDOCX(_SheetFormat, TablibFormat):
    """A plan kept as a Word table (issue 13), read with python-docx (``indicators.sheets.read_docx_tables``); for
    import only (the sheets are exported as CSV and XLSX)."""

    TABLIB_MODULE = "tablib.formats._xlsx"  # unused: the format reads the bytes itself and never exports
    CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    name_hint = "plan.docx"

    def get_title(self) -> str:
        return "docx"

    def get_extension(self) -> str:
        return "docx"

    def is_binary(self) -> bool:
        return True

    def can_export(self) -> bool:
        return False


SHEET_FORMATS = [SheetCSV, SheetXLSX, SheetDOCX]
