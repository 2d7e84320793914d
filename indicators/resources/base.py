"""What the plan and progress resources share: the lines of a sheet, the loader that finds a line as it was
before the import, and ``SheetResource``, which writes the whole sheet through one service call in
``before_import`` and reports what the service refused as the library's invalid rows."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import tablib
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from import_export.instance_loaders import BaseInstanceLoader
from import_export.resources import Diff, Resource
from import_export.results import Result, RowResult

from base.errors import DomainError
from indicators import parsing
from indicators.models import ActionPlan
from indicators.problems import ImportFailed, ImportProblem
from indicators.resources.formats import dataset_sheet
from indicators.resources.results import LineDiff, RowProblems, SheetImportResult, SheetRowResult
from indicators.resources.widgets import cell_text
from indicators.sheets import Sheet

logger = logging.getLogger(__name__)


class SheetLine:
    """A line of a sheet; ``key`` is what ``line_key`` reads from the row that describes it."""

    stored: Any
    key: Any

    @property
    def pk(self) -> int | None:
        return None if self.stored is None else self.stored.pk

    def __str__(self) -> str:
        return str(self.stored) if self.stored is not None else ""

    def __deepcopy__(self, memo: dict) -> SheetLine:
        # The library keeps a copy of the line as it was; its values are immutable, the stored row is shared.
        return dataclasses.replace(self)


class LinesBefore(BaseInstanceLoader):
    """Finds the line a row describes as it was before the import (the service has already written the sheet,
    in ``before_import``), so that the library compares the row with it."""

    def get_instance(self, row: dict) -> SheetLine | None:
        return self.resource.lines_before.get(self.resource.line_key(row))


def _unexpected_error() -> DomainError:
    return DomainError(
        "আমদানির সময় একটি অপ্রত্যাশিত ত্রুটি হয়েছে; কিছুই সংরক্ষণ করা হয়নি।",
        "An unexpected error happened during the import; nothing was saved.",
    )


class SheetResource(Resource):
    """What the plan and progress resources share: the sheet's headers given the fields' names, the whole sheet
    written by one service call in ``before_import``, its refusal reported as the result's invalid rows."""

    #: the sheet's kind for ``parsing.map_headers``
    kind = ""
    #: whether a column the sheet does not have is read as blank (the plan sheet is the whole plan) rather than
    #: left as stored (a progress sheet may give only values, or only remarks)
    absent_columns_blank = False

    class Meta:
        import_id_fields = ()  # lines are found by ``line_key``, from the codes as the parser reads them
        instance_loader_class = LinesBefore
        use_transactions = True  # the preview is the service run and rolled back
        skip_unchanged = True

    @classmethod
    def get_display_name(cls) -> str:
        return str(cls._meta.name)

    @classmethod
    def get_result_class(cls) -> type[Result]:
        return SheetImportResult

    @classmethod
    def get_row_result_class(cls) -> type[RowResult]:
        return SheetRowResult

    @classmethod
    def get_diff_class(cls) -> type[Diff]:
        return LineDiff

    # -- import

    def import_sheet(self, sheet: Sheet, **kwargs: Any) -> Any:
        """Write the whole sheet through the service, keeping ``lines_before`` and ``stored_after``; return the
        service's outcome."""
        raise NotImplementedError

    def line_key(self, row: dict) -> Any:
        """The key of the line a row describes (None for a row that cannot be read)."""
        raise NotImplementedError

    def describe(self, outcome: Any, *, done: bool) -> str:
        raise NotImplementedError

    def prepare_sheet(self, sheet: Sheet, dataset: tablib.Dataset) -> Sheet:
        """The sheet the service reads (a plan document is first read from its layout); the dataset then holds
        the same rows, so that the preview shows each row as it was read."""
        return sheet

    def before_import(self, dataset: tablib.Dataset, **kwargs: Any) -> None:
        """Give the sheet's columns the fields' names, and write the whole sheet through the service inside the
        library's transaction, or keep the service's refusal."""
        self.sheet = self.prepare_sheet(dataset_sheet(dataset), dataset)
        self.lines_before: dict[Any, SheetLine] = {}
        self.stored_after: dict[Any, Any] = {}
        self.outcome: Any = None
        self.refusal: DomainError | None = None
        self.problems: dict[int | None, list[ImportProblem]] = {}
        # The headers as the fields name them ("Data manipulation on import"), whichever aliases the sheet uses.
        headers = [cell_text(header) for header in dataset.headers or []]
        mapping, _errors = parsing.map_headers(self.kind, headers)
        dataset.headers = [
            self.fields[mapping[i]].column_name if i in mapping else h for i, h in enumerate(headers)
        ]
        try:
            # A refusal takes back what the import wrote before the service refused (a new fiscal year).
            with transaction.atomic():
                self.outcome = self.import_sheet(self.sheet, **kwargs)
        except ImportFailed as failure:
            self.refusal = failure
            for problem in failure.problems:
                self.problems.setdefault(problem.row, []).append(problem)
            return
        except DomainError as error:
            self.refusal = error
            raise  # the library reports it as the import's error
        except Exception as exc:
            logger.exception("import of a %s sheet failed", self.kind)
            self.refusal = _unexpected_error()
            raise self.refusal from exc

    def before_import_row(self, row: dict, row_number: int | None = None, **kwargs: Any) -> None:
        """A row the service found problems in is invalid with those problems (the library numbers the
        dataset's rows from 1, the problems the file's)."""
        number = self.sheet.rows[row_number - 1][0] if row_number else None
        if number in self.problems:
            raise RowProblems(number, self.problems.pop(number))
        if self.absent_columns_blank:
            for field in self.fields.values():
                row.setdefault(field.column_name, "")

    def skip_row(
        self, instance: SheetLine, original: SheetLine, row: dict, import_validation_errors=None
    ) -> bool:
        # Nothing of a refused sheet is imported (DESIGN.md §7: all or nothing); its problems are its result.
        if self.refusal is not None:
            return True
        return super().skip_row(instance, original, row, import_validation_errors)

    def do_instance_save(self, instance: SheetLine, is_create: bool) -> None:
        # The service has written the whole sheet: the line is tied to the row it wrote.
        instance.stored = self.stored_after[instance.key]

    def after_import(self, dataset: tablib.Dataset, result: SheetImportResult, **kwargs: Any) -> None:
        """The refusal's problems outside the rows read, as invalid rows too; the service's warnings and what it
        did."""
        if isinstance(self.refusal, ImportFailed):
            # The header row's problems and the sheet's as a whole; every row listed in the service's order.
            for number, problems in self.problems.items():
                result.append_invalid_row(number, {}, RowProblems(number, problems))
                result.totals[RowResult.IMPORT_TYPE_INVALID] += 1
            result.invalid_rows.sort(key=lambda row: row.number or 0)
        elif self.refusal is None and result.has_validation_errors():
            # A field refused a cell the service took: the library rolls back an import with an error, so the
            # sheet is still written all or nothing.
            logger.error("a %s sheet the service took has invalid rows: %r", self.kind, result.invalid_rows)
            raise _unexpected_error()
        result.failure = self.refusal
        if self.outcome is not None:
            result.warnings = list(getattr(self.outcome, "warnings", []))
            result.notices = list(getattr(self.outcome, "notices", []))
            result.summary = self.describe(self.outcome, done=True)
            result.preview_summary = self.describe(self.outcome, done=False)

    # -- export

    def after_export(self, queryset: Any, dataset: tablib.Dataset, **kwargs: Any) -> None:
        dataset.title = self.kind  # the XLSX worksheet's name

    @staticmethod
    def single_plan(plans: QuerySet[ActionPlan]) -> ActionPlan:
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
