"""The plan and progress sheets of DESIGN.md §7 as django-import-export resources.

Each resource declares the sheet's columns as fields, under the Bangla headers ``export_plan`` writes, with
widgets that read a cell through ``indicators.parsing`` (codes ``[১.২.২]``, Bangla digits, dates, percents, blank
target levels, applicability words) and write it as the exchange sheets do. A sheet's headers, Bangla or English
and in any order, are given those names before its rows are read (``parsing.map_headers``). Export is the
library's own ``export()`` over the lines of one plan's sheet (``filter_export``).

Import keeps the command line's rules. ``before_import`` runs the service on the whole sheet (``plan_import``,
``progress_import``) inside the library's transaction, which the preview's dry run rolls back: the sheet is
checked exactly as ``import_plan`` and ``import_progress`` check it and written all or nothing. If the service
refuses the sheet, every problem it lists becomes an invalid row of the library's result, with its row, column
and value in Bangla and English, and no row is imported. Otherwise the library reads each row through the fields
into the line it describes, finds the line as it was before the import (``LinesBefore``) and compares the two,
so that its row results say what the import adds, changes, clears or leaves as it was. No row is saved on its
own: ``do_instance_save`` only ties a line to the row the service wrote, for the admin's log.

Named as the library names its own modules: ``formats`` (the files, read and written as on the command line),
``widgets`` (one cell), ``results`` (what the import page shows), ``base`` (lines, the loader, ``SheetResource``),
and one module per sheet, ``plan`` and ``progress``.
"""

from indicators.resources.formats import SHEET_FORMATS, SheetCSV, SheetXLSX, sheet_from_upload
from indicators.resources.plan import PlanSheetResource
from indicators.resources.progress import ProgressSheetResource, progress_value_text
from indicators.resources.results import SheetImportResult

__all__ = [
    "SHEET_FORMATS",
    "PlanSheetResource",
    "ProgressSheetResource",
    "SheetCSV",
    "SheetImportResult",
    "SheetXLSX",
    "progress_value_text",
    "sheet_from_upload",
]
