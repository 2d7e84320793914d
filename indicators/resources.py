"""The plan and progress sheets of DESIGN.md §7 for django-import-export in the admin.

Import goes through our services (``plan_import``, ``progress_import``), so the admin checks a sheet with
the same rules and messages as the command line and writes all of it or nothing; a dry run is the service
run inside a transaction that is rolled back. Export writes what the command line writes, so an export
imports back unchanged.

The formats are the command line's reader and writers (``indicators.sheets``); their docstrings say why the
library's own CSV and XLSX cannot stand in.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import tablib
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field
from import_export.formats.base_formats import XLSX, TablibFormat
from import_export.resources import Resource
from import_export.results import Error, InvalidRow, Result, RowResult

from base.bangla import format_code, to_bangla_digits
from base.errors import DomainError
from indicators import parsing
from indicators.models import ActionPlan, Indicator, Office, Progress
from indicators.problems import ImportFailed, ImportProblem
from indicators.selectors import PLAN_SHEET_HEADERS, plan_sheet_rows, sheet_value
from indicators.services.offices import fiscal_year_get_or_create
from indicators.services.plans import plan_import
from indicators.services.progress import progress_import
from indicators.sheets import Sheet, SheetUnreadable, csv_bytes, read_sheet_bytes, xlsx_bytes

logger = logging.getLogger(__name__)

PROGRESS_SHEET_HEADERS = ["সূচক নং", "ত্রৈমাসিক", "অর্জন", "মন্তব্য", "প্রযোজ্যতা"]
NOT_APPLICABLE_WORD = "প্রযোজ্য নয়"


# ---------------------------------------------------------------------------------------------------------
# Formats: the command line's reader and writers


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


class _SheetFormat:
    """Reads a file as ``import_plan`` and ``import_progress`` do (``read_sheet_bytes``): the kind decided by the
    content, every cell as the text a person sees, the file's row numbers kept."""

    name_hint = ""

    def create_dataset(self, in_stream: bytes, **kwargs: Any) -> SheetDataset:
        try:
            return SheetDataset(read_sheet_bytes(bytes(in_stream), name=self.name_hint))
        except DomainError:
            raise
        except Exception as exc:  # openpyxl and zipfile raise many kinds of errors for a broken file
            logger.info("unreadable sheet: %r", exc)
            raise SheetUnreadable(
                "ফাইলটি পড়া যায়নি (ভাঙা বা অন্য ধরনের ফাইল); CSV (UTF-8) বা XLSX ফাইল দিন।",
                "The file could not be read (broken or of another type); upload a CSV (UTF-8) or XLSX file.",
            ) from exc


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


SHEET_FORMATS = [SheetCSV, SheetXLSX]


# ---------------------------------------------------------------------------------------------------------
# Results the admin's import page shows


class SheetRowResult(RowResult):
    LABELS = {
        RowResult.IMPORT_TYPE_NEW: _("নতুন"),
        RowResult.IMPORT_TYPE_UPDATE: _("হালনাগাদ"),
        RowResult.IMPORT_TYPE_DELETE: _("মুছে ফেলা হবে"),
        RowResult.IMPORT_TYPE_SKIP: _("অপরিবর্তিত"),
    }

    @property
    def label(self) -> str:
        return str(self.LABELS.get(self.import_type, self.import_type or ""))


class SheetInvalidRow(InvalidRow):
    """The problems of one row of the sheet (``number`` None: problems of the sheet as a whole)."""

    def __init__(self, number: int | None, problems: list[ImportProblem], values: tuple[str, ...]):
        messages: dict[str, list[str]] = defaultdict(list)
        for problem in problems:
            messages[problem.column or NON_FIELD_ERRORS].append(_problem_text(problem))
        super().__init__(number=number, validation_error=ValidationError(dict(messages)), values=values)
        self.problems = problems

    @property
    def number_bn(self) -> str:
        return "—" if self.number is None else to_bangla_digits(self.number)


def _problem_text(problem: ImportProblem) -> str:
    value = f"'{problem.value}': " if problem.value else ""
    return f"{value}{problem.message_bn} / {problem.message_en}"


class SheetImportResult(Result):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.warnings: list[ImportProblem] = []
        self.failure: DomainError | None = None
        self.summary = ""

    @property
    def problem_count(self) -> int:
        return sum(len(row.problems) for row in self.invalid_rows if isinstance(row, SheetInvalidRow))

    def totals_bn(self) -> str:
        parts = [
            (RowResult.IMPORT_TYPE_NEW, _("নতুন")),
            (RowResult.IMPORT_TYPE_UPDATE, _("হালনাগাদ")),
            (RowResult.IMPORT_TYPE_DELETE, _("মুছে ফেলা")),
            (RowResult.IMPORT_TYPE_SKIP, _("অপরিবর্তিত")),
        ]
        return ", ".join(f"{label} {to_bangla_digits(self.totals[kind])}টি" for kind, label in parts)


# ---------------------------------------------------------------------------------------------------------
# Resources


class SheetResource(Resource):
    """A whole exchange sheet imported by one service call: all rows or none."""

    sheet_kind = ""
    headers: list[str] = []

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        # The columns shown on the import and export pages, in the order the command line writes them.
        self.fields = {
            f"column_{index}": Field(column_name=header) for index, header in enumerate(self.headers)
        }

    @classmethod
    def get_display_name(cls) -> str:
        return str(getattr(cls._meta, "name", cls.__name__))

    @classmethod
    def get_result_class(cls) -> type[Result]:
        return SheetImportResult

    @classmethod
    def get_row_result_class(cls) -> type[RowResult]:
        return SheetRowResult

    def import_data(
        self,
        dataset: tablib.Dataset,
        dry_run: bool = False,
        raise_errors: bool = False,
        use_transactions: bool | None = None,
        collect_failed_rows: bool = False,
        rollback_on_validation_errors: bool = False,
        **kwargs: Any,
    ) -> SheetImportResult:
        sheet = dataset_sheet(dataset)
        result = self.get_result_class()()
        result.diff_headers = list(sheet.headers)
        result.total_rows = len(sheet.rows)
        try:
            with transaction.atomic():
                self.run_service(sheet, result, dry_run=dry_run, **kwargs)
                if dry_run:
                    transaction.set_rollback(True)
        except ImportFailed as failure:
            if raise_errors:
                raise
            result.failure = failure
            self._add_problems(result, sheet, failure.problems)
        except DomainError as error:
            if raise_errors:
                raise
            result.failure = error
            result.append_base_error(Error(error))
        except Exception:
            if raise_errors:
                raise
            logger.exception("import of a %s sheet failed", self.sheet_kind)
            result.failure = DomainError(
                "আমদানির সময় একটি অপ্রত্যাশিত ত্রুটি হয়েছে; কিছুই সংরক্ষণ করা হয়নি।",
                "An unexpected error happened during the import; nothing was saved.",
            )
            result.append_base_error(Error(result.failure))
        return result

    def run_service(self, sheet: Sheet, result: SheetImportResult, **kwargs: Any) -> None:
        raise NotImplementedError

    def _add_problems(self, result: SheetImportResult, sheet: Sheet, problems: list[ImportProblem]) -> None:
        cells_by_row = {number: tuple(cells) for number, cells in sheet.rows}
        cells_by_row[1] = tuple(sheet.headers)
        grouped: dict[int | None, list[ImportProblem]] = defaultdict(list)
        for problem in problems:
            grouped[problem.row].append(problem)
        for number, row_problems in grouped.items():
            values = cells_by_row.get(number, ()) if number is not None else ()
            result.invalid_rows.append(SheetInvalidRow(number, row_problems, values))
            result.totals[RowResult.IMPORT_TYPE_INVALID] += 1

    def _append_row(
        self, result: SheetImportResult, import_type: str, instance: Any, cells: Iterable[str]
    ) -> None:
        row_result = self.get_row_result_class()()
        row_result.import_type = import_type
        row_result.instance = instance
        row_result.add_instance_info(instance)
        row_result.diff = list(cells)
        result.append_row_result(row_result)
        result.increment_row_result_total(row_result)

    def export(self, queryset: QuerySet | None = None, **kwargs: Any) -> tablib.Dataset:
        raise NotImplementedError

    @staticmethod
    def _single_plan(plans: QuerySet[ActionPlan]) -> ActionPlan:
        found = list(plans.select_related("office", "fiscal_year")[:2])
        if not found:
            raise ValueError(str(_("রপ্তানির জন্য কিছু নেই: তালিকাটি খালি।")))
        if len(found) > 1:
            raise ValueError(
                str(
                    _(
                        "একবারে একটি কর্মপরিকল্পনা রপ্তানি করা যায়: তালিকাটি ডান পাশের "
                        "'কর্মপরিকল্পনা' ছাঁকনি দিয়ে একটি কর্মপরিকল্পনায় সীমিত করুন।"
                    )
                )
            )
        return found[0]


def _field_columns(kind: str, headers: list[str]) -> dict[str, int]:
    """{canonical field: column index} of a sheet whose headers the service has accepted."""
    mapping, _errors = parsing.map_headers(kind, headers)
    return {field: index for index, field in mapping.items()}


PLAN_SHEET_FIELDS = _field_columns("plan", PLAN_SHEET_HEADERS)


def _plan_rows_by_code(plan: ActionPlan | None) -> dict[str, dict[str, str]]:
    """The plan as the plan sheet writes it, one {field: text} per indicator code."""
    if plan is None:
        return {}
    _headers, rows = plan_sheet_rows(plan)
    by_code = {}
    for row in rows:
        cells = {field: row[index] for field, index in PLAN_SHEET_FIELDS.items()}
        by_code[parsing.parse_code(cells["indicator_code"], depth=3)] = cells
    return by_code


class PlanSheetResource(SheetResource):
    """The plan sheet (one row per indicator) of one office's plan for one fiscal year."""

    sheet_kind = "plan"
    headers = PLAN_SHEET_HEADERS

    class Meta:
        model = Indicator
        name = _("কর্মপরিকল্পনার ছক (প্রতি সারিতে একটি সূচক)")

    def run_service(
        self,
        sheet: Sheet,
        result: SheetImportResult,
        *,
        office: Office | None = None,
        fiscal_year_code: str = "",
        replace: bool = False,
        dry_run: bool = False,
        **kwargs: Any,
    ) -> None:
        if office is None or not fiscal_year_code:
            raise DomainError(
                "দপ্তর ও অর্থবছর বেছে নিন।", "Choose the office and the fiscal year to import the plan into."
            )
        fiscal_year = fiscal_year_get_or_create(code=fiscal_year_code)
        existing = ActionPlan.objects.filter(office=office, fiscal_year=fiscal_year).first()
        before = _plan_rows_by_code(existing)
        before_indicators = {i.code: i for i in existing.indicators.all()} if existing else {}

        # The admin's user, so that the history names who imported (django-import-export passes it).
        outcome = plan_import(
            office=office, fiscal_year=fiscal_year, sheet=sheet, replace=replace, user=kwargs.get("user")
        )

        after = _plan_rows_by_code(outcome.plan)
        indicators = {i.code: i for i in outcome.plan.indicators.all()}
        columns = _field_columns("plan", sheet.headers)
        for _number, cells in sheet.rows:
            code = parsing.parse_code(cells[columns["indicator_code"]], depth=3)
            if code not in before:
                import_type = RowResult.IMPORT_TYPE_NEW
            elif before[code] != after[code]:
                import_type = RowResult.IMPORT_TYPE_UPDATE
            else:
                import_type = RowResult.IMPORT_TYPE_SKIP
            self._append_row(result, import_type, indicators[code], cells)
        for code in before.keys() - after.keys():
            # Shown in the columns of the uploaded sheet, whatever their order or language.
            cells = [before[code].get(field, "") for field in _columns_in_order(columns, len(sheet.headers))]
            self._append_row(result, RowResult.IMPORT_TYPE_DELETE, before_indicators[code], cells)

        result.warnings = list(outcome.warnings)
        verb = {
            (True, True): "তৈরি হবে",
            (True, False): "তৈরি হয়েছে",
            (False, True): "প্রতিস্থাপিত হবে",
            (False, False): "প্রতিস্থাপিত হয়েছে",
        }[(outcome.created, dry_run)]
        result.summary = (
            f"{office.name_bn}-এর {fiscal_year} অর্থবছরের কর্মপরিকল্পনা {verb}: "
            f"{to_bangla_digits(outcome.areas)}টি ক্ষেত্র, {to_bangla_digits(outcome.activities)}টি কার্যক্রম, "
            f"{to_bangla_digits(outcome.indicators)}টি সূচক"
            + (
                f", {to_bangla_digits(outcome.removed_indicators)}টি সূচক বাদ"
                if outcome.removed_indicators
                else ""
            )
            + "।"
        )

    def export(self, queryset: QuerySet | None = None, **kwargs: Any) -> tablib.Dataset:
        queryset = Indicator.objects.all() if queryset is None else queryset
        plan = self._single_plan(ActionPlan.objects.filter(pk__in=queryset.values("plan_id")))
        headers, rows = plan_sheet_rows(plan)
        return tablib.Dataset(*rows, headers=headers, title="plan")


def _columns_in_order(columns: dict[str, int], width: int) -> list[str]:
    by_index = {index: field for field, index in columns.items()}
    return [by_index.get(index, "") for index in range(width)]


def progress_value_text(unit: str, value: Decimal | datetime.date | None) -> str:
    """A value as the progress sheet writes it (as the plan sheet writes targets), blank for none."""
    return "" if value is None else sheet_value(unit, value)


def progress_sheet_rows(progress: Iterable[Progress], plan: ActionPlan) -> list[list[str]]:
    """The progress sheet of DESIGN.md §7: the given quarters and every not-applicable indicator of the plan,
    in the plan's order."""
    rows: list[tuple[tuple[int, int], list[str]]] = []
    for item in progress:
        if item.value is None and not item.remark:
            continue  # a cleared quarter's empty row is not progress
        indicator = item.indicator
        rows.append(
            (
                (indicator.position, item.quarter),
                [
                    format_code(indicator.code),
                    to_bangla_digits(item.quarter),
                    progress_value_text(indicator.unit, item.value),
                    item.remark,
                    "",
                ],
            )
        )
    for indicator in plan.indicators.filter(applicable=False):
        rows.append(
            (
                (indicator.position, 0),
                [format_code(indicator.code), "", "", indicator.not_applicable_reason, NOT_APPLICABLE_WORD],
            )
        )
    return [cells for _key, cells in sorted(rows, key=lambda item: item[0])]


class ProgressSheetResource(SheetResource):
    """The quarterly progress sheet of one plan."""

    sheet_kind = "progress"
    headers = PROGRESS_SHEET_HEADERS

    class Meta:
        model = Progress
        name = _("ত্রৈমাসিক অগ্রগতির ছক")

    def run_service(
        self,
        sheet: Sheet,
        result: SheetImportResult,
        *,
        plan: ActionPlan | None = None,
        user: AbstractBaseUser | None = None,
        dry_run: bool = False,
        **kwargs: Any,
    ) -> None:
        if plan is None:
            raise DomainError("কর্মপরিকল্পনা বেছে নিন।", "Choose the plan to import the progress into.")
        before_progress = self._progress(plan)
        before_applicability = self._applicability(plan)

        outcome = progress_import(plan=plan, sheet=sheet, user=user)

        after_progress = self._progress(plan)
        indicators = {i.code: i for i in plan.indicators.all()}
        after_applicability = {
            code: (i.applicable, i.not_applicable_reason) for code, i in indicators.items()
        }
        columns = _field_columns("progress", sheet.headers)

        def cell(cells: list[str], field: str) -> str:
            return parsing.clean_text(cells[columns[field]]) if field in columns else ""

        for _number, cells in sheet.rows:
            code = parsing.parse_code(cell(cells, "indicator_code"), depth=3)
            applicability_changed = before_applicability[code] != after_applicability[code]
            raw_applicability = cell(cells, "applicability")
            applicable = (
                None
                if parsing.is_blank(raw_applicability)
                else parsing.parse_applicability(raw_applicability)
            )
            quarter_given = not (
                parsing.is_blank(cell(cells, "quarter"))
                and parsing.is_blank(cell(cells, "value"))
                and not cell(cells, "remark")
            )
            if applicable is False or (applicable is True and not quarter_given):
                # A row that only marks the indicator (not) applicable, as the service reads it.
                import_type = (
                    RowResult.IMPORT_TYPE_UPDATE if applicability_changed else RowResult.IMPORT_TYPE_SKIP
                )
                self._append_row(result, import_type, indicators[code], cells)
                continue
            key = (code, parsing.parse_quarter(cell(cells, "quarter")))
            before, after = before_progress.get(key), after_progress.get(key)
            if before is None and after is None:
                import_type, instance = RowResult.IMPORT_TYPE_SKIP, None
            elif before is None:
                import_type, instance = RowResult.IMPORT_TYPE_NEW, after
            elif after is None:
                import_type, instance = RowResult.IMPORT_TYPE_DELETE, before
            elif (before.value, before.remark) != (after.value, after.remark) or applicability_changed:
                import_type, instance = RowResult.IMPORT_TYPE_UPDATE, after
            else:
                import_type, instance = RowResult.IMPORT_TYPE_SKIP, after
            self._append_row(result, import_type, instance, cells)

        will = " হবে" if dry_run else ""
        result.summary = (
            f"{plan} — অগ্রগতি: {to_bangla_digits(outcome.saved)}টি সংরক্ষিত{will}, "
            f"{to_bangla_digits(outcome.cleared)}টি মুছে ফেলা{will}; "
            f"{to_bangla_digits(outcome.not_applicable)}টি সূচক প্রযোজ্য নয়।"
        )

    @staticmethod
    def _progress(plan: ActionPlan) -> dict[tuple[str, int], Progress]:
        return {
            (p.indicator.code, p.quarter): p
            for p in Progress.objects.filter(indicator__plan=plan).recorded().select_related("indicator")
        }

    @staticmethod
    def _applicability(plan: ActionPlan) -> dict[str, tuple[bool, str]]:
        return {i.code: (i.applicable, i.not_applicable_reason) for i in plan.indicators.all()}

    def export(self, queryset: QuerySet | None = None, **kwargs: Any) -> tablib.Dataset:
        queryset = Progress.objects.all() if queryset is None else queryset
        plan = self._single_plan(ActionPlan.objects.filter(pk__in=queryset.values("indicator__plan_id")))
        progress = queryset.select_related("indicator").order_by()
        rows = progress_sheet_rows(progress, plan)
        return tablib.Dataset(*rows, headers=PROGRESS_SHEET_HEADERS, title="progress")
