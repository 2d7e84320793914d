"""What the admin's import page shows of an import: each row's label and cells, and the service's problems as
the library's invalid rows, numbered as the file numbers its rows."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _
from import_export.resources import Diff
from import_export.results import InvalidRow, Result, RowResult

from base.bangla import to_bangla_digits
from base.errors import DomainError
from indicators.problems import ImportProblem


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


class LineDiff(Diff):
    """The preview's cells of a row: its line as the sheet writes it after the import, or as it was for a line
    the import clears. The library's own diff colours the cells with inline styles, which the site's
    Content-Security-Policy refuses (``style-src 'self'``)."""

    def as_html(self) -> list[str]:
        return self.right if any(self.right) else self.left


class RowProblems(ValidationError):
    """The problems the service found in one row of a sheet (``row`` None: in the sheet as a whole), as that
    row's validation error in the library's result."""

    def __init__(self, row: int | None, problems: list[ImportProblem]):
        messages: dict[str, list[str]] = defaultdict(list)
        for problem in problems:
            value = f"'{problem.value}': " if problem.value else ""
            messages[problem.column or NON_FIELD_ERRORS].append(
                f"{value}{problem.message_bn} / {problem.message_en}"
            )
        super().__init__(dict(messages))
        self.row = row
        self.problems = problems


class SheetInvalidRow(InvalidRow):
    """An invalid row numbered as the file numbers it, with the service's problems (or, should a field refuse
    a cell the service took, the field's messages)."""

    @property
    def problems(self) -> list[ImportProblem]:
        if isinstance(self.error, RowProblems):
            return self.error.problems
        return [
            ImportProblem(self.number, None if column == NON_FIELD_ERRORS else column, "", message, message)
            for column, messages in self.error_dict.items()
            for message in messages
        ]

    @property
    def number_bn(self) -> str:
        return "—" if self.number is None else to_bangla_digits(self.number)


class SheetImportResult(Result):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.warnings: list[ImportProblem] = []
        self.notices: list[ImportProblem] = []  # what reading a document's layout did (issue 13)
        self.failure: DomainError | None = None
        self.summary = ""  # what the import did
        self.preview_summary = ""  # what it will do, said by the dry run

    def append_invalid_row(self, number: int | None, row: dict, validation_error: ValidationError) -> None:
        # The library numbers the dataset's rows from 1; the problems carry the file's row numbers.
        values = tuple(row.get(column, "") for column in self.diff_headers)
        number = getattr(validation_error, "row", number)
        self.invalid_rows.append(SheetInvalidRow(number, validation_error, values))

    @property
    def problem_count(self) -> int:
        return sum(len(row.problems) for row in self.invalid_rows)

    def totals_bn(self) -> str:
        parts = [
            (RowResult.IMPORT_TYPE_NEW, _("নতুন")),
            (RowResult.IMPORT_TYPE_UPDATE, _("হালনাগাদ")),
            (RowResult.IMPORT_TYPE_DELETE, _("মুছে ফেলা")),
            (RowResult.IMPORT_TYPE_SKIP, _("অপরিবর্তিত")),
        ]
        return ", ".join(f"{label} {to_bangla_digits(self.totals[kind])}টি" for kind, label in parts)
