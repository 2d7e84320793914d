"""The problems a sheet import finds: every one is listed with its row, column and value, in Bangla and English,
and ``ImportFailed`` carries them; nothing is written while there is one (DESIGN.md §7).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from django.db import models

from base.bangla import to_bangla_digits
from base.errors import DomainError
from indicators import parsing
from indicators.sheets import Sheet

T = TypeVar("T")


@dataclass(frozen=True)
class ImportProblem:
    row: int | None
    column: str | None
    value: str
    message_bn: str
    message_en: str

    def location_bn(self) -> str:
        parts = []
        if self.row is not None:
            parts.append(f"সারি {to_bangla_digits(self.row)}")
        if self.column:
            parts.append(f"কলাম '{self.column}'")
        if self.value:
            parts.append(f"মান '{self.value}'")
        return ", ".join(parts)

    def location_en(self) -> str:
        parts = []
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        if self.value:
            parts.append(f"value '{self.value}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        bn = f"{self.location_bn()}: {self.message_bn}" if self.location_bn() else self.message_bn
        en = f"{self.location_en()}: {self.message_en}" if self.location_en() else self.message_en
        return f"{bn}\n    {en}"


class ImportFailed(DomainError):
    """The sheet has problems; nothing was written."""

    def __init__(self, problems: list[ImportProblem]):
        count = len(problems)
        super().__init__(
            f"আমদানি হয়নি: {to_bangla_digits(count)}টি ত্রুটি পাওয়া গেছে; কিছুই সংরক্ষণ করা হয়নি।",
            f"Import failed: {count} error(s) found; nothing was saved.",
        )
        self.problems = problems

    @property
    def details(self) -> list[str]:
        return [str(problem) for problem in self.problems]


class Problems:
    """Collects problems while a sheet is parsed, so that every one is reported, not just the first."""

    def __init__(self, column_names: dict[str, str]):
        self.items: list[ImportProblem] = []
        self.warnings: list[ImportProblem] = []
        self.column_names = column_names

    def add(self, row: int | None, column: str | None, value: str, bn: str, en: str) -> None:
        header = self.column_names.get(column, column) if column else None
        self.items.append(ImportProblem(row, header, value, bn, en))

    def warn(self, row: int | None, column: str | None, value: str, bn: str, en: str) -> None:
        header = self.column_names.get(column, column) if column else None
        self.warnings.append(ImportProblem(row, header, value, bn, en))

    def cell(self, row: int, column: str, value: str, parse: Callable[..., T], *args, **kwargs) -> T | None:
        try:
            return parse(value, *args, **kwargs)
        except parsing.CellError as error:
            self.add(row, column, value, error.message_bn, error.message_en)
            return None

    def raise_if_any(self) -> None:
        if self.items:
            raise ImportFailed(sorted(self.items, key=lambda p: p.row or 0))


def check_column_fits(
    problems: Problems, row: int, column: str, raw: str, value: object, field: models.Field
) -> bool:
    """Refuse, as a listed problem, a value the database column cannot hold (instead of failing on save)."""
    if isinstance(field, models.DecimalField) and isinstance(value, Decimal):
        try:
            parsing.check_fits(value, max_digits=field.max_digits, decimal_places=field.decimal_places)
        except parsing.CellError as error:
            problems.add(row, column, raw, error.message_bn, error.message_en)
            return False
    limit = field.max_length if isinstance(field, models.CharField | models.TextField) else None
    if limit is not None and isinstance(value, str) and len(value) > limit:
        problems.add(
            row,
            column,
            raw,
            f"লেখাটি অনেক লম্বা: সর্বোচ্চ {to_bangla_digits(field.max_length)} অক্ষর।",
            f"The text is too long: at most {field.max_length} characters.",
        )
        return False
    return True


def model_field(model: type[models.Model], name: str) -> models.Field:
    return model._meta.get_field(name)


@dataclass
class SheetRows:
    """A sheet's rows as {canonical field: cell text}, with the column headers as the user wrote them."""

    rows: list[tuple[int, dict[str, str]]]
    column_names: dict[str, str]

    def has(self, canonical: str) -> bool:
        """Whether the sheet has this column at all (a partial sheet leaves absent fields alone)."""
        return canonical in self.column_names


def sheet_rows(kind: str, sheet: Sheet) -> SheetRows:
    mapping, errors = parsing.map_headers(kind, sheet.headers)
    if errors:
        raise ImportFailed(
            [ImportProblem(sheet.header_row, None, "", e.message_bn, e.message_en) for e in errors]
        )
    column_names = {canonical: sheet.label(index) for index, canonical in mapping.items()}
    rows = [
        (number, {canonical: parsing.clean_text(cells[index]) for index, canonical in mapping.items()})
        for number, cells in sheet.rows
    ]
    return SheetRows(rows, column_names)
