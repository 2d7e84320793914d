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
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field
from import_export.formats.base_formats import XLSX, TablibFormat
from import_export.instance_loaders import BaseInstanceLoader
from import_export.resources import Diff, Resource
from import_export.results import InvalidRow, Result, RowResult
from import_export.widgets import Widget

from base.bangla import format_code, to_bangla_digits
from base.errors import DomainError
from indicators import parsing, scoring
from indicators.models import ActionPlan, Indicator, Progress
from indicators.problems import ImportFailed, ImportProblem
from indicators.scores import plan_indicators
from indicators.selectors import CALC_WORDS, DIRECTION_WORDS, SCORING_WORDS, UNIT_WORDS, sheet_value
from indicators.services.offices import fiscal_year_get_or_create
from indicators.services.plans import PlanImportResult, plan_import
from indicators.services.progress import ProgressImportResult, progress_import
from indicators.sheets import Sheet, SheetUnreadable, csv_bytes, read_sheet_bytes, xlsx_bytes

logger = logging.getLogger(__name__)

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


# ---------------------------------------------------------------------------------------------------------
# Widgets: one cell, read by indicators.parsing and written as the exchange sheets write it


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _sheet_number(value: Decimal) -> str:
    return to_bangla_digits(parsing.plain_number(value))


def _or_blank(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    return lambda raw: None if parsing.is_blank(raw) else parse(raw)


class CellWidget(Widget):
    """A cell read by a parser of ``indicators.parsing`` and written by ``write``; ``blank`` stands for none.
    The parser's ``CellError`` is a ``ValueError``: the library lists it against the row's field."""

    def __init__(self, parse: Callable[[str], Any], write: Callable[[Any], str] = str, blank: str = ""):
        super().__init__()
        self.parse, self.write, self.blank = parse, write, blank

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> Any:
        return self.parse(_text(value))

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return self.blank if value is None else self.write(value)


class CalcMethodWidget(CellWidget):
    """The method of an indicator; left blank it is তারিখ for a date indicator (the unit in the row's
    ``unit_column``), the only one it can have."""

    def __init__(self, unit_column: str):
        super().__init__(parsing.parse_calc_method, CALC_WORDS.__getitem__)
        self.unit_column = unit_column

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> scoring.CalcMethod:
        unit = (row or {}).get(self.unit_column)
        if parsing.is_blank(_text(value)) and parsing.parse_unit(_text(unit)) == scoring.Unit.DATE:
            return scoring.CalcMethod.DATE
        return super().clean(value, row)


class UnitValueWidget(Widget):
    """A target or an achievement in its indicator's unit: a percent with ``%``, a date ``dd/mm/yyyy``, Bangla
    digits; a blank level (``--``, ``—``, empty) is none, written as ``blank``."""

    def __init__(self, blank: str):
        super().__init__()
        self.blank = blank

    def clean(self, value: Any, row: dict | None = None, unit: str | None = None, **kwargs: Any) -> Any:
        return parsing.parse_target(_text(value), unit)

    def render(self, value: Any, obj: Any = None, unit: str | None = None, **kwargs: Any) -> str:
        return self.blank if value is None else sheet_value(unit, value)


class UnitValueField(Field):
    """A field whose cell is in the unit of its line's indicator: the widget is given the line's unit."""

    def save(self, instance: Any, row: dict, is_m2m: bool = False, **kwargs: Any) -> None:
        value = self.widget.clean(row[self.column_name], row=row, unit=instance.unit)
        setattr(instance, self.attribute, value)

    def export(self, instance: Any, **kwargs: Any) -> str:
        return self.widget.render(self.get_value(instance), unit=getattr(instance, "unit", None))


def _applicability_word(applicable: bool) -> str:
    return "" if applicable else NOT_APPLICABLE_WORD


def _code(depth: int) -> CellWidget:
    return CellWidget(partial(parsing.parse_code, depth=depth), format_code)


def _target(level: int, column_name: str) -> UnitValueField:
    return UnitValueField(f"target_{level}", column_name, UnitValueWidget(blank="--"))


# ---------------------------------------------------------------------------------------------------------
# Lines: what one line of a sheet says


class _Line:
    """A line of a sheet; ``key`` is what ``line_key`` reads from the row that describes it."""

    stored: Any
    key: Any

    @property
    def pk(self) -> int | None:
        return None if self.stored is None else self.stored.pk

    def __str__(self) -> str:
        return str(self.stored) if self.stored is not None else ""

    def __deepcopy__(self, memo: dict) -> _Line:
        # The library keeps a copy of the line as it was; its values are immutable, the stored row is shared.
        return dataclasses.replace(self)


@dataclasses.dataclass(eq=False)
class PlanLine(_Line):
    """One line of the plan sheet: an indicator with its activity and area; ``stored`` is the indicator."""

    area_code: str = ""
    area_title: str = ""
    area_marks: Decimal | None = None
    activity_code: str = ""
    activity_title: str = ""
    indicator_code: str = ""
    indicator_title: str = ""
    unit: scoring.Unit | None = None
    weight: Decimal | None = None
    calc_method: scoring.CalcMethod | None = None
    scoring_method: scoring.ScoringMethod | None = None
    direction: scoring.Direction | None = None
    target_100: Decimal | datetime.date | None = None
    target_90: Decimal | datetime.date | None = None
    target_80: Decimal | datetime.date | None = None
    target_70: Decimal | datetime.date | None = None
    target_60: Decimal | datetime.date | None = None
    stored: Indicator | None = None

    @classmethod
    def of(cls, indicator: Indicator) -> PlanLine:
        activity, area = indicator.activity, indicator.activity.area
        return cls(
            area_code=area.code,
            area_title=area.title,
            area_marks=area.marks,
            activity_code=activity.code,
            activity_title=activity.title,
            indicator_code=indicator.code,
            indicator_title=indicator.title,
            unit=scoring.Unit(indicator.unit),
            weight=indicator.weight,
            calc_method=scoring.CalcMethod(indicator.calc_method),
            scoring_method=scoring.ScoringMethod(indicator.scoring_method),
            direction=scoring.Direction(indicator.direction),
            **{f"target_{level}": indicator.target(level) for level in scoring.LEVEL_PERCENTS},
            stored=indicator,
        )

    @property
    def key(self) -> str:
        return self.indicator_code


@dataclasses.dataclass(eq=False)
class ProgressLine(_Line):
    """One line of the progress sheet: an indicator's quarter (value and remark), or, with no quarter listed or
    the indicator marked not applicable, the indicator's applicability (the remark is then the reason).
    ``stored`` is the quarter's progress or the indicator; ``unit`` and ``applicable`` are the indicator's."""

    indicator_code: str = ""
    quarter: int | None = None
    value: Decimal | datetime.date | None = None
    remark: str = ""
    applicability: bool | None = None  # as the line writes it; None for a blank cell
    about_quarter: bool = False
    unit: scoring.Unit | None = None
    applicable: bool = True
    stored: Progress | Indicator | None = None

    @classmethod
    def of_progress(cls, progress: Progress) -> ProgressLine:
        indicator = progress.indicator
        return cls(
            indicator_code=indicator.code,
            quarter=progress.quarter,
            value=progress.value,
            remark=progress.remark,
            about_quarter=True,
            unit=scoring.Unit(indicator.unit),
            applicable=indicator.applicable,
            stored=progress,
        )

    @classmethod
    def of_applicability(cls, indicator: Indicator) -> ProgressLine:
        return cls(
            indicator_code=indicator.code,
            remark=indicator.not_applicable_reason,
            applicability=indicator.applicable,
            unit=scoring.Unit(indicator.unit),
            applicable=indicator.applicable,
            stored=indicator,
        )

    @property
    def key(self) -> tuple[str, int | None]:
        return self.indicator_code, self.quarter if self.about_quarter else None

    def unchanged_from(self, before: ProgressLine) -> bool:
        if self.about_quarter:
            # 'প্রযোজ্য' beside a quarter changes nothing of an indicator that is applicable already.
            same_quarter = (self.value, self.remark) == (before.value, before.remark)
            return same_quarter and self.applicability in (None, self.applicable)
        return (self.applicability, self.remark) == (before.applicability, before.remark)


class LinesBefore(BaseInstanceLoader):
    """Finds the line a row describes as it was before the import (the service has already written the sheet,
    in ``before_import``), so that the library compares the row with it."""

    def get_instance(self, row: dict) -> _Line | None:
        return self.resource.lines_before.get(self.resource.line_key(row))


# ---------------------------------------------------------------------------------------------------------
# Resources


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

    def before_import(self, dataset: tablib.Dataset, **kwargs: Any) -> None:
        """Give the sheet's columns the fields' names, and write the whole sheet through the service inside the
        library's transaction, or keep the service's refusal."""
        self.sheet = dataset_sheet(dataset)
        self.lines_before: dict[Any, _Line] = {}
        self.stored_after: dict[Any, Any] = {}
        self.outcome: Any = None
        self.refusal: DomainError | None = None
        self.problems: dict[int | None, list[ImportProblem]] = {}
        # The headers as the fields name them ("Data manipulation on import"), whichever aliases the sheet uses.
        headers = [_text(header) for header in dataset.headers or []]
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

    def skip_row(self, instance: _Line, original: _Line, row: dict, import_validation_errors=None) -> bool:
        # Nothing of a refused sheet is imported (DESIGN.md §7: all or nothing); its problems are its result.
        if self.refusal is not None:
            return True
        return super().skip_row(instance, original, row, import_validation_errors)

    def do_instance_save(self, instance: _Line, is_create: bool) -> None:
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


class PlanSheetResource(SheetResource):
    """The plan sheet (one line per indicator) of one office's plan for one fiscal year."""

    kind = "plan"
    absent_columns_blank = True

    area_code = Field("area_code", "ক্ষেত্র নং", _code(1))
    area_title = Field("area_title", "কর্মসম্পাদন ক্ষেত্র", CellWidget(parsing.clean_text))
    area_marks = Field("area_marks", "ক্ষেত্রের মান", CellWidget(parsing.parse_weight, _sheet_number))
    activity_code = Field("activity_code", "কার্যক্রম নং", _code(2))
    activity_title = Field("activity_title", "কার্যক্রম", CellWidget(parsing.clean_text))
    indicator_code = Field("indicator_code", "সূচক নং", _code(3))
    indicator_title = Field("indicator_title", "কর্মসম্পাদন সূচক", CellWidget(parsing.clean_text))
    unit = Field("unit", "একক", CellWidget(parsing.parse_unit, UNIT_WORDS.__getitem__))
    weight = Field("weight", "সূচকের মান", CellWidget(parsing.parse_weight, _sheet_number))
    calc_method = Field("calc_method", "গণনা পদ্ধতি", CalcMethodWidget(unit_column="একক"))
    scoring = Field(
        "scoring_method", "নম্বর পদ্ধতি", CellWidget(parsing.parse_scoring_method, SCORING_WORDS.__getitem__)
    )
    direction = Field("direction", "দিক", CellWidget(parsing.parse_direction, DIRECTION_WORDS.__getitem__))
    target_100 = _target(100, "অসাধারণ")
    target_90 = _target(90, "অতি উত্তম")
    target_80 = _target(80, "উত্তম")
    target_70 = _target(70, "চলতি মান")
    target_60 = _target(60, "চলতি মানের নিম্নে")

    class Meta:
        model = Indicator
        name = _("কর্মপরিকল্পনার ছক (প্রতি সারিতে একটি সূচক)")

    def import_sheet(
        self,
        sheet: Sheet,
        *,
        office=None,
        fiscal_year_code: str = "",
        replace: bool = False,
        user=None,
        **kwargs: Any,
    ) -> PlanImportResult:
        if office is None or not fiscal_year_code:
            raise DomainError(
                "দপ্তর ও অর্থবছর বেছে নিন।", "Choose the office and the fiscal year to import the plan into."
            )
        fiscal_year = fiscal_year_get_or_create(code=fiscal_year_code)
        existing = ActionPlan.objects.filter(office=office, fiscal_year=fiscal_year).first()
        if existing is not None:
            indicators = existing.indicators.select_related("activity__area")
            self.lines_before = {i.code: PlanLine.of(i) for i in indicators}
        # The admin's user, so that the history names who imported (django-import-export passes it).
        outcome = plan_import(office=office, fiscal_year=fiscal_year, sheet=sheet, replace=replace, user=user)
        self.stored_after = {i.code: i for i in outcome.plan.indicators.all()}
        return outcome

    def line_key(self, row: dict) -> str | None:
        try:
            return parsing.parse_code(_text(row.get(self.fields["indicator_code"].column_name)), depth=3)
        except parsing.CellError:
            return None

    def init_instance(self, row: dict | None = None) -> PlanLine:
        return PlanLine()

    def after_import(self, dataset: tablib.Dataset, result: SheetImportResult, **kwargs: Any) -> None:
        super().after_import(dataset, result, **kwargs)
        if self.outcome is None:
            return
        # The indicators a replacing sheet no longer lists are removed with it; shown as the sheet wrote them.
        for code, line in self.lines_before.items():
            if code in self.stored_after:
                continue
            row_result = self.get_row_result_class()()
            row_result.import_type = RowResult.IMPORT_TYPE_DELETE
            row_result.instance = line
            row_result.add_instance_info(line)
            row_result.diff = [field.export(line) for field in self.get_import_fields()]
            result.append_row_result(row_result)
            result.increment_row_result_total(row_result)

    def describe(self, outcome: PlanImportResult, *, done: bool) -> str:
        plan = outcome.plan
        verb = {
            (True, False): "তৈরি হবে",
            (True, True): "তৈরি হয়েছে",
            (False, False): "প্রতিস্থাপিত হবে",
            (False, True): "প্রতিস্থাপিত হয়েছে",
        }[(outcome.created, done)]
        removed = (
            f", {to_bangla_digits(outcome.removed_indicators)}টি সূচক বাদ" if outcome.removed_indicators else ""
        )
        return (
            f"{plan.office.name_bn}-এর {plan.fiscal_year} অর্থবছরের কর্মপরিকল্পনা {verb}: "
            f"{to_bangla_digits(outcome.areas)}টি ক্ষেত্র, {to_bangla_digits(outcome.activities)}টি কার্যক্রম, "
            f"{to_bangla_digits(outcome.indicators)}টি সূচক{removed}।"
        )

    def filter_export(self, queryset: QuerySet, **kwargs: Any) -> list[PlanLine]:
        # The whole plan of the listed (or selected) indicators, in its order: the sheet is the plan.
        plan = self.single_plan(ActionPlan.objects.filter(pk__in=queryset.values("plan_id")))
        return [PlanLine.of(indicator) for indicator in plan_indicators(plan)]


def progress_value_text(unit: str, value: Decimal | datetime.date | None) -> str:
    """A value as the progress sheet writes it (as the plan sheet writes targets), blank for none."""
    return "" if value is None else sheet_value(unit, value)


class ProgressSheetResource(SheetResource):
    """The quarterly progress sheet of one plan."""

    kind = "progress"

    indicator_code = Field("indicator_code", "সূচক নং", _code(3))
    quarter = Field("quarter", "ত্রৈমাসিক", CellWidget(_or_blank(parsing.parse_quarter), to_bangla_digits))
    value = UnitValueField("value", "অর্জন", UnitValueWidget(blank=""))
    remark = Field("remark", "মন্তব্য", CellWidget(parsing.clean_text))
    applicability = Field(
        "applicability", "প্রযোজ্যতা", CellWidget(_or_blank(parsing.parse_applicability), _applicability_word)
    )

    class Meta:
        model = Progress
        name = _("ত্রৈমাসিক অগ্রগতির ছক")

    def import_sheet(self, sheet: Sheet, *, plan: ActionPlan | None = None, user=None, **kwargs: Any):
        if plan is None:
            raise DomainError("কর্মপরিকল্পনা বেছে নিন।", "Choose the plan to import the progress into.")
        self.plan = plan
        self.lines_before = self._lines(plan)
        outcome = progress_import(plan=plan, sheet=sheet, user=user)
        self.stored_after = {key: line.stored for key, line in self._lines(plan).items()}
        return outcome

    @staticmethod
    def _lines(plan: ActionPlan) -> dict[tuple[str, int | None], ProgressLine]:
        """Every quarter recorded and every indicator's applicability, by line key."""
        lines = {(i.code, None): ProgressLine.of_applicability(i) for i in plan.indicators.all()}
        recorded = Progress.objects.filter(indicator__plan=plan).recorded().select_related("indicator")
        lines.update({(p.indicator.code, p.quarter): ProgressLine.of_progress(p) for p in recorded})
        return lines

    def line_key(self, row: dict) -> tuple[str, int | None] | None:
        """``(code, quarter)`` of a quarter's line, ``(code, None)`` of a line that only marks its indicator
        applicable or not — as ``progress_import`` reads the row; None for a row that cannot be read."""

        def cell(name: str) -> str:
            return _text(row.get(self.fields[name].column_name))

        try:
            code = parsing.parse_code(cell("indicator_code"), depth=3)
            applicable = _or_blank(parsing.parse_applicability)(cell("applicability"))
            listed = not (
                parsing.is_blank(cell("quarter"))
                and parsing.is_blank(cell("value"))
                and not parsing.clean_text(cell("remark"))
            )
            if applicable is False or (applicable is True and not listed):
                return code, None
            return code, parsing.parse_quarter(cell("quarter"))
        except parsing.CellError:
            return None

    def init_instance(self, row: dict | None = None) -> ProgressLine:
        # A quarter not recorded yet, of an indicator whose unit and applicability its own line carries.
        key = self.line_key(row or {})
        marking = self.lines_before.get((key[0], None)) if key else None
        if marking is None:
            return ProgressLine()
        return ProgressLine(
            indicator_code=key[0],
            quarter=key[1],
            about_quarter=key[1] is not None,
            unit=marking.unit,
            applicable=marking.applicable,
        )

    def for_delete(self, row: dict, instance: ProgressLine) -> bool:
        """A quarter listed with neither value nor remark is cleared; a column the sheet does not have keeps
        what is stored."""
        if self.refusal is not None or not instance.about_quarter:
            return False
        value, remark = self.fields["value"].column_name, self.fields["remark"].column_name
        no_value = parsing.is_blank(_text(row[value])) if value in row else instance.value is None
        no_remark = not parsing.clean_text(_text(row[remark])) if remark in row else not instance.remark
        return no_value and no_remark

    def delete_instance(self, instance: ProgressLine, row: dict, **kwargs: Any) -> None:
        # The service has cleared the quarter; its row stays, empty, so that its version counts on (DESIGN.md §4).
        pass

    def skip_row(
        self, instance: ProgressLine, original: ProgressLine, row: dict, import_validation_errors=None
    ) -> bool:
        if self.refusal is not None or import_validation_errors:
            return super().skip_row(instance, original, row, import_validation_errors)
        return instance.unchanged_from(original)

    def describe(self, outcome: ProgressImportResult, *, done: bool) -> str:
        will = "" if done else " হবে"
        return (
            f"{self.plan} — অগ্রগতি: {to_bangla_digits(outcome.saved)}টি সংরক্ষিত{will}, "
            f"{to_bangla_digits(outcome.cleared)}টি মুছে ফেলা{will}; "
            f"{to_bangla_digits(outcome.not_applicable)}টি সূচক প্রযোজ্য নয়।"
        )

    def filter_export(self, queryset: QuerySet, **kwargs: Any) -> list[ProgressLine]:
        # The listed quarters and every not-applicable indicator of their plan, in the plan's order.
        plan = self.single_plan(ActionPlan.objects.filter(pk__in=queryset.values("indicator__plan_id")))
        progress = queryset.select_related("indicator").order_by()
        lines = [ProgressLine.of_progress(p) for p in progress if p.value is not None or p.remark]
        lines += [ProgressLine.of_applicability(i) for i in plan.indicators.filter(applicable=False)]
        positions = dict(plan.indicators.values_list("code", "position"))
        return sorted(lines, key=lambda line: (positions[line.indicator_code], line.quarter or 0))
