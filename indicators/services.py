"""Every write to offices, plans and progress.

Imports are all-or-nothing (DESIGN.md §7): a sheet is parsed and checked completely first; any problem
raises ``ImportFailed`` listing every problem with its row, column and value, and nothing is written.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction

from base.bangla import format_code, to_bangla_digits
from base.errors import DomainError
from indicators import parsing, scoring
from indicators.models import (
    EDITABLE_STATES,
    ActionPlan,
    Activity,
    FiscalYear,
    HistoryKind,
    Indicator,
    Office,
    OfficeKind,
    PerformanceArea,
    Progress,
)
from indicators.parsing import plain_number
from indicators.sheets import Sheet
from indicators.workflow import (
    REASON_MAX_CHARS,
    REMARK_MAX_CHARS,
    history_progress_change,
    history_record,
    history_text,
    periods_ensure,
    periods_lock,
    quarter_locked_message,
    text_within,
)

T = TypeVar("T")

# ---------------------------------------------------------------------------------------------------------
# Problems and the error that carries them


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


class _Problems:
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


def _check_fits(
    problems: _Problems, row: int, column: str, raw: str, value: object, field: models.Field
) -> bool:
    """Refuse, as a listed problem, a value the database column cannot hold (instead of failing on save)."""
    if isinstance(field, models.DecimalField) and isinstance(value, Decimal):
        try:
            parsing.check_fits(value, max_digits=field.max_digits, decimal_places=field.decimal_places)
        except parsing.CellError as error:
            problems.add(row, column, raw, error.message_bn, error.message_en)
            return False
    if isinstance(field, models.CharField) and isinstance(value, str) and len(value) > field.max_length:
        problems.add(
            row,
            column,
            raw,
            f"লেখাটি অনেক লম্বা: সর্বোচ্চ {to_bangla_digits(field.max_length)} অক্ষর।",
            f"The text is too long: at most {field.max_length} characters.",
        )
        return False
    return True


def _field(model: type[models.Model], name: str) -> models.Field:
    return model._meta.get_field(name)


@dataclass
class _Rows:
    """A sheet's rows as {canonical field: cell text}, with the column headers as the user wrote them."""

    rows: list[tuple[int, dict[str, str]]]
    column_names: dict[str, str]

    def has(self, canonical: str) -> bool:
        """Whether the sheet has this column at all (a partial sheet leaves absent fields alone)."""
        return canonical in self.column_names


def _sheet_rows(kind: str, sheet: Sheet) -> _Rows:
    mapping, errors = parsing.map_headers(kind, sheet.headers)
    if errors:
        raise ImportFailed(
            [ImportProblem(sheet.header_row, None, "", e.message_bn, e.message_en) for e in errors]
        )
    column_names = {canonical: sheet.headers[index].strip() for index, canonical in mapping.items()}
    rows = [
        (number, {canonical: parsing.clean_text(cells[index]) for index, canonical in mapping.items()})
        for number, cells in sheet.rows
    ]
    return _Rows(rows, column_names)


# ---------------------------------------------------------------------------------------------------------
# Fiscal years and offices


def fiscal_year_get_or_create(*, code: str) -> FiscalYear:
    from indicators.selectors import fiscal_year_start

    fiscal_year, _created = FiscalYear.objects.get_or_create(start_year=fiscal_year_start(code))
    return fiscal_year


@dataclass(frozen=True)
class OfficeImportResult:
    created: int
    updated: int


OFFICE_KIND_WORDS = {parsing.normalize_header(value): value for value in OfficeKind.values} | {
    parsing.normalize_header(str(label)): value for value, label in OfficeKind.choices
}


def _parse_office_kind(raw: str) -> str:
    kind = OFFICE_KIND_WORDS.get(parsing.normalize_header(raw))
    if kind is None:
        accepted = ", ".join(OfficeKind.values)
        raise parsing.CellError(
            f"অজানা দপ্তরের ধরন '{raw}'; গ্রহণযোগ্য: {accepted}",
            f"Unknown office kind '{raw}'; accepted: {accepted}",
        )
    return kind


@transaction.atomic
def offices_import(*, sheet: Sheet) -> OfficeImportResult:
    """Create or update offices by code; parents may come later in the sheet or exist already."""
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator, validate_slug

    data = _sheet_rows("offices", sheet)
    problems = _Problems(data.column_names)
    parsed: dict[str, dict[str, str]] = {}
    first_row: dict[str, int] = {}
    for number, cells in data.rows:
        code = cells.get("code", "")
        try:
            validate_slug(code)
        except ValidationError:
            problems.add(
                number,
                "code",
                code,
                "কোডে শুধু ইংরেজি অক্ষর, অঙ্ক, '-' ও '_' চলবে।",
                "An office code may contain only letters, digits, '-' and '_'.",
            )
            continue
        if code in parsed:
            problems.add(
                number,
                "code",
                code,
                f"কোডটি সারি {to_bangla_digits(first_row[code])}-এ আগেই আছে।",
                f"Duplicate code, first used in row {first_row[code]}.",
            )
            continue
        if not _check_fits(problems, number, "code", code, code, _field(Office, "code")):
            continue
        if data.has("name_bn") and not cells.get("name_bn"):
            problems.add(number, "name_bn", "", "বাংলা নাম আবশ্যক।", "The Bangla name is required.")
        for name in ("name_bn", "name_en", "website"):
            if data.has(name):
                _check_fits(
                    problems, number, name, cells.get(name, ""), cells.get(name, ""), _field(Office, name)
                )
        kind = problems.cell(number, "kind", cells.get("kind", ""), _parse_office_kind)
        website = cells.get("website", "")
        if website:
            try:
                URLValidator()(website)
            except ValidationError:
                problems.add(
                    number, "website", website, "ওয়েবসাইটের ঠিকানা সঠিক নয়।", "Not a valid web address."
                )
        first_row[code] = number
        parsed[code] = {**cells, "kind": kind or ""}

    # The tree after the import: the database's parent links, overridden by the sheet's.
    parent_of = {
        code: parent_code or "" for code, parent_code in Office.objects.values_list("code", "parent__code")
    }
    if data.has("parent_code"):
        parent_of.update({code: cells.get("parent_code", "") for code, cells in parsed.items()})
    for code, cells in parsed.items():
        parent_code = cells.get("parent_code", "")
        if parent_code and parent_code not in parent_of:
            problems.add(
                first_row[code],
                "parent_code",
                parent_code,
                "এই কোডের কোনো ঊর্ধ্বতন দপ্তর নেই (ফাইলে বা ডাটাবেজে)।",
                "No parent office with this code, in the file or the database.",
            )
        elif _has_cycle(code, parent_of):
            problems.add(
                first_row[code],
                "parent_code",
                parent_code,
                "ঊর্ধ্বতন দপ্তরের সম্পর্কে চক্র তৈরি হয় (দপ্তর নিজেই নিজের ঊর্ধ্বতন হয়ে যায়)।",
                "The parent links form a cycle (the office would be its own ancestor).",
            )
    problems.raise_if_any()

    created = updated = 0
    offices: dict[str, Office] = {}
    for code, cells in parsed.items():
        office = Office.objects.filter(code=code).first()
        if office is None:
            office = Office(code=code)
            created += 1
        else:
            updated += 1
        # A sheet without a column leaves that field as it is (a partial sheet updates only what it lists).
        for name in ("name_bn", "name_en", "kind", "address_bn", "website"):
            if data.has(name):
                setattr(office, name, cells[name])
        office.full_clean(exclude=["parent"])
        office.save()
        offices[code] = office
    for code, cells in parsed.items():
        if not data.has("parent_code"):
            break
        parent_code = cells.get("parent_code", "")
        offices[code].parent = (
            offices.get(parent_code) or Office.objects.get(code=parent_code) if parent_code else None
        )
        offices[code].save(update_fields=["parent"])
    return OfficeImportResult(created=created, updated=updated)


def _has_cycle(code: str, parent_of: dict[str, str]) -> bool:
    seen = {code}
    node = parent_of.get(code, "")
    while node:
        if node in seen:
            return True
        seen.add(node)
        node = parent_of.get(node, "")
    return False


# ---------------------------------------------------------------------------------------------------------
# Plans


@dataclass
class ParsedArea:
    code: str
    title: str
    marks: Decimal
    row: int
    raw_marks: str


@dataclass
class ParsedActivity:
    code: str
    title: str
    area_code: str
    row: int


@dataclass
class ParsedIndicator:
    code: str
    title: str
    activity_code: str
    area_code: str
    unit: scoring.Unit
    weight: Decimal
    calc_method: scoring.CalcMethod
    scoring_method: scoring.ScoringMethod
    direction: scoring.Direction
    targets: dict[int, Decimal | datetime.date | None]
    row: int


@dataclass
class ParsedPlan:
    areas: list[ParsedArea]
    activities: list[ParsedActivity]
    indicators: list[ParsedIndicator]
    warnings: list[ImportProblem] = field(default_factory=list)


def plan_sheet_parse(sheet: Sheet, *, fiscal_year: FiscalYear | None = None) -> ParsedPlan:
    """Parse and check a plan sheet completely; raise ImportFailed listing every problem."""
    data = _sheet_rows("plan", sheet)
    problems = _Problems(data.column_names)
    areas: dict[str, ParsedArea] = {}
    activities: dict[str, ParsedActivity] = {}
    indicators: dict[str, ParsedIndicator] = {}

    # Weights are summed from every row whose weight could be read, even if the row has other problems,
    # so that the sum reported is the one the user sees in the sheet.
    weight_sums: dict[str, Decimal] = defaultdict(Decimal)
    for number, cells in data.rows:
        area = _parse_area(problems, number, cells, areas)
        activity = _parse_activity(problems, number, cells, activities, area)
        indicator = _parse_indicator(problems, number, cells, indicators, activity, fiscal_year)
        if indicator is not None:
            indicators[indicator.code] = indicator
        if area is not None:
            try:
                weight_sums[area.code] += parsing.parse_weight(cells.get("weight", ""))
            except parsing.CellError:
                pass  # reported by _parse_indicator

    if not data.rows:
        problems.add(None, None, "", "ফাইলে কোনো সূচক নেই।", "The sheet has no indicator rows.")

    # DESIGN.md §2: the indicator weights of an area sum to the area's marks.
    for area in areas.values():
        total = weight_sums.get(area.code, Decimal(0))
        if total != area.marks:
            problems.add(
                area.row,
                "area_marks",
                area.raw_marks,
                f"ক্ষেত্র {format_code(area.code)}-এর সূচকগুলোর মানের যোগফল {to_bangla_digits(plain_number(total))}, "
                f"কিন্তু ক্ষেত্রের মান {to_bangla_digits(plain_number(area.marks))}; দুটি সমান হতে হবে।",
                f"The indicator weights of area {area.code} add up to {plain_number(total)}, "
                f"but the area's marks are {plain_number(area.marks)}; they must be equal.",
            )
    problems.raise_if_any()
    return ParsedPlan(
        areas=list(areas.values()),
        activities=list(activities.values()),
        indicators=list(indicators.values()),
        warnings=problems.warnings,
    )


def _parse_area(
    problems: _Problems, number: int, cells: dict[str, str], areas: dict[str, ParsedArea]
) -> ParsedArea | None:
    raw_code, raw_marks = cells.get("area_code", ""), cells.get("area_marks", "")
    code = problems.cell(number, "area_code", raw_code, parsing.parse_code, depth=1)
    if code is not None and not _check_fits(
        problems, number, "area_code", raw_code, code, _field(PerformanceArea, "code")
    ):
        code = None
    title = cells.get("area_title", "")
    marks = problems.cell(number, "area_marks", raw_marks, parsing.parse_weight)
    if marks is not None and not _check_fits(
        problems, number, "area_marks", raw_marks, marks, _field(PerformanceArea, "marks")
    ):
        marks = None
    if not title:
        problems.add(number, "area_title", "", "কর্মসম্পাদন ক্ষেত্রের নাম আবশ্যক।", "The area title is required.")
    if code is None or marks is None or not title:
        return areas.get(code) if code else None
    known = areas.get(code)
    if known is None:
        areas[code] = ParsedArea(
            code=code, title=title, marks=marks, row=number, raw_marks=cells.get("area_marks", "")
        )
        return areas[code]
    if known.title != title or known.marks != marks:
        problems.add(
            number,
            "area_title" if known.title != title else "area_marks",
            title if known.title != title else cells.get("area_marks", ""),
            f"ক্ষেত্র {format_code(code)}-এর নাম বা মান সারি {to_bangla_digits(known.row)}-এর সঙ্গে মেলে না।",
            f"The title or marks of area {code} differ from row {known.row}.",
        )
    return known


def _parse_activity(
    problems: _Problems,
    number: int,
    cells: dict[str, str],
    activities: dict[str, ParsedActivity],
    area: ParsedArea | None,
) -> ParsedActivity | None:
    raw_code = cells.get("activity_code", "")
    code = problems.cell(number, "activity_code", raw_code, parsing.parse_code, depth=2)
    if code is not None and not _check_fits(
        problems, number, "activity_code", raw_code, code, _field(Activity, "code")
    ):
        code = None
    title = cells.get("activity_title", "")
    if not title:
        problems.add(number, "activity_title", "", "কার্যক্রমের নাম আবশ্যক।", "The activity title is required.")
    if code is None or area is None or not title:
        return None
    if not code.startswith(area.code + "."):
        problems.add(
            number,
            "activity_code",
            raw_code,
            f"কার্যক্রম {format_code(code)} ক্ষেত্র {format_code(area.code)}-এর অধীন হতে হলে "
            f"এর নম্বর {format_code(area.code + '.')}… দিয়ে শুরু হতে হবে।",
            f"Activity {code} must start with its area's code {area.code}.",
        )
        return None
    known = activities.get(code)
    if known is None:
        activities[code] = ParsedActivity(code=code, title=title, area_code=area.code, row=number)
        return activities[code]
    if known.title != title:
        problems.add(
            number,
            "activity_title",
            title,
            f"কার্যক্রম {format_code(code)}-এর নাম সারি {to_bangla_digits(known.row)}-এর সঙ্গে মেলে না।",
            f"The title of activity {code} differs from row {known.row}.",
        )
    return known


def _parse_indicator(
    problems: _Problems,
    number: int,
    cells: dict[str, str],
    indicators: dict[str, ParsedIndicator],
    activity: ParsedActivity | None,
    fiscal_year: FiscalYear | None,
) -> ParsedIndicator | None:
    raw_code = cells.get("indicator_code", "")
    code = problems.cell(number, "indicator_code", raw_code, parsing.parse_code, depth=3)
    if code is not None and not _check_fits(
        problems, number, "indicator_code", raw_code, code, _field(Indicator, "code")
    ):
        code = None
    title = cells.get("indicator_title", "")
    if not title:
        problems.add(number, "indicator_title", "", "সূচকের নাম আবশ্যক।", "The indicator title is required.")
    unit = problems.cell(number, "unit", cells.get("unit", ""), parsing.parse_unit)
    raw_weight = cells.get("weight", "")
    weight = problems.cell(number, "weight", raw_weight, parsing.parse_weight)
    if weight is not None and not _check_fits(
        problems, number, "weight", raw_weight, weight, _field(Indicator, "weight")
    ):
        weight = None
    raw_calc = cells.get("calc_method", "")
    calc_method: scoring.CalcMethod | None
    if parsing.is_blank(raw_calc) and unit == scoring.Unit.DATE:
        calc_method = scoring.CalcMethod.DATE  # the only method a date indicator can have
    elif parsing.is_blank(raw_calc):
        calc_method = None
        if unit is not None:
            problems.add(
                number,
                "calc_method",
                raw_calc,
                "গণনা পদ্ধতি আবশ্যক (সমষ্টি, গড়, ক্রমপুঞ্জিভূত বা তারিখ)।",
                "The calculation method is required (sum, average, cumulative or date).",
            )
    else:
        calc_method = problems.cell(number, "calc_method", raw_calc, parsing.parse_calc_method)
    scoring_method = problems.cell(number, "scoring", cells.get("scoring", ""), parsing.parse_scoring_method)
    direction = problems.cell(number, "direction", cells.get("direction", ""), parsing.parse_direction)

    targets: dict[int, Decimal | datetime.date | None] = {}
    if unit is not None:
        for level in scoring.LEVEL_PERCENTS:
            column = f"target_{level}"
            raw = cells.get(column, "")
            targets[level] = problems.cell(number, column, raw, parsing.parse_target, unit)
            if isinstance(targets[level], Decimal) and not _check_fits(
                problems, number, column, raw, targets[level], _field(Indicator, f"{column}_number")
            ):
                targets[level] = None
            if level == 100 and parsing.is_blank(raw):
                problems.add(
                    number,
                    column,
                    raw,
                    "অসাধারণ (১০০%) লক্ষ্যমাত্রা আবশ্যক।",
                    "The 100% (outstanding) target is required.",
                )

    if code is not None and code in indicators:
        problems.add(
            number,
            "indicator_code",
            raw_code,
            f"সূচক নম্বরটি সারি {to_bangla_digits(indicators[code].row)}-এ আগেই আছে।",
            f"Duplicate indicator code, first used in row {indicators[code].row}.",
        )
        return None
    if code is not None and activity is not None and not code.startswith(activity.code + "."):
        problems.add(
            number,
            "indicator_code",
            raw_code,
            f"সূচক {format_code(code)} কার্যক্রম {format_code(activity.code)}-এর অধীন হতে হলে "
            f"এর নম্বর {format_code(activity.code + '.')}… দিয়ে শুরু হতে হবে।",
            f"Indicator {code} must start with its activity's code {activity.code}.",
        )
        return None
    if None in (code, activity, unit, weight, calc_method, scoring_method, direction) or not title:
        return None
    if targets.get(100) is None or any(
        targets[level] is None and not parsing.is_blank(cells.get(f"target_{level}", ""))
        for level in scoring.LEVEL_PERCENTS
    ):
        return None

    target_values = scoring.Targets(
        t100=targets[100], t90=targets[90], t80=targets[80], t70=targets[70], t60=targets[60]
    )
    for problem in scoring.check_targets(
        unit=unit,
        calc_method=calc_method,
        scoring_method=scoring_method,
        direction=direction,
        targets=target_values,
        fiscal_year_start=fiscal_year.starts_on if fiscal_year else None,
        fiscal_year_end=fiscal_year.ends_on if fiscal_year else None,
    ):
        column = f"target_{problem.level}" if problem.level else problem.field
        value = cells.get(column, "") if column else ""
        if problem.is_error:
            problems.add(number, column, value, problem.message_bn, problem.message_en)
        else:
            problems.warn(number, column, value, problem.message_bn, problem.message_en)
    return ParsedIndicator(
        code=code,
        title=title,
        activity_code=activity.code,
        area_code=activity.area_code,
        unit=unit,
        weight=weight,
        calc_method=calc_method,
        scoring_method=scoring_method,
        direction=direction,
        targets=targets,
        row=number,
    )


@dataclass(frozen=True)
class PlanImportResult:
    plan: ActionPlan
    created: bool
    areas: int
    activities: int
    indicators: int
    removed_indicators: int
    warnings: list[ImportProblem]


@transaction.atomic
def plan_import(
    *,
    office: Office,
    fiscal_year: FiscalYear,
    sheet: Sheet,
    replace: bool = False,
    user: AbstractBaseUser | None = None,
) -> PlanImportResult:
    """Create an office's plan for a year from a plan sheet, or with ``replace`` bring an existing one
    in line with the sheet: indicators are matched by code, so progress of kept indicators stays."""
    # NO KEY UPDATE: two imports of one plan still wait for each other, but a progress save that inserts a
    # history row (whose foreign key takes KEY SHARE on the plan) does not deadlock with this import. The
    # plan's row only (of=self): the default ordering joins the office and the fiscal year, whose rows a lock
    # over the join would hold too, so that imports of other offices' plans for that year would wait.
    plan = (
        ActionPlan.objects.select_for_update(no_key=True, of=("self",))
        .filter(office=office, fiscal_year=fiscal_year)
        .first()
    )
    if plan is not None and not replace:
        raise DomainError(
            f"{office.name_bn}-এর {fiscal_year} অর্থবছরের কর্মপরিকল্পনা আগেই আছে; বদলাতে চাইলে --replace দিন।",
            f"A plan for {office.code} {fiscal_year.code} already exists; use --replace to replace it.",
        )
    parsed = plan_sheet_parse(sheet, fiscal_year=fiscal_year)

    created = plan is None
    if plan is None:
        plan = ActionPlan(office=office, fiscal_year=fiscal_year)
        plan.full_clean()
        plan.save()
    removed = _plan_check_replace(plan, parsed)

    reason = "কর্মপরিকল্পনা আমদানি / plan import"
    # Every change to a plan that existed is in the history (DESIGN.md §4): what each area, activity and
    # indicator was and became.
    lines_before = {} if created else _structure_lines(plan)
    areas = {a.code: a for a in plan.areas.all()}
    for position, parsed_area in enumerate(parsed.areas):
        area = areas.get(parsed_area.code) or PerformanceArea(plan=plan, code=parsed_area.code)
        area.title, area.marks, area.position = parsed_area.title, parsed_area.marks, position
        area.full_clean(validate_constraints=False)
        area.save()
        areas[area.code] = area

    activities = {a.code: a for a in plan.activities.all()}
    for position, parsed_activity in enumerate(parsed.activities):
        activity = activities.get(parsed_activity.code) or Activity(plan=plan, code=parsed_activity.code)
        activity.area = areas[parsed_activity.area_code]
        activity.title, activity.position = parsed_activity.title, position
        activity.full_clean(validate_constraints=False)
        activity.save()
        activities[activity.code] = activity

    indicators = {i.code: i for i in plan.indicators.all()}
    settings_before = {code: indicator_settings(i) for code, i in indicators.items()}
    for position, parsed_indicator in enumerate(parsed.indicators):
        indicator = indicators.get(parsed_indicator.code) or Indicator(plan=plan, code=parsed_indicator.code)
        indicator.activity = activities[parsed_indicator.activity_code]
        indicator.title = parsed_indicator.title
        indicator.unit = parsed_indicator.unit.value
        indicator.weight = parsed_indicator.weight
        indicator.calc_method = parsed_indicator.calc_method.value
        indicator.scoring_method = parsed_indicator.scoring_method.value
        indicator.direction = parsed_indicator.direction.value
        for level, value in parsed_indicator.targets.items():
            indicator.set_target(level, value)
        indicator.position = position
        indicator.full_clean(validate_constraints=False)
        indicator.save()
        if indicator.code in settings_before:
            history_indicator_settings(
                indicator, before=settings_before[indicator.code], user=user, reason=reason
            )

    # Constraints were checked by the parser; the database enforces them once more on save.
    keep_indicators = {i.code for i in parsed.indicators}
    keep_activities = {a.code for a in parsed.activities}
    keep_areas = {a.code for a in parsed.areas}
    removed_indicators = plan.indicators.exclude(code__in=keep_indicators).prefetch_related("progress")
    for indicator in removed_indicators:
        # The removal is itself history: what the indicator was, and every value that goes with it.
        reason = "কর্মপরিকল্পনা আমদানিতে সূচক বাদ / indicator removed by plan import"
        history_record(
            plan=plan,
            kind=HistoryKind.TARGETS,
            before=indicator_settings(indicator),
            after="",
            user=user,
            indicator=indicator,
            reason=reason,
        )
        for progress in indicator.progress.all():
            if progress.value is not None or progress.remark:
                history_record(
                    plan=plan,
                    kind=HistoryKind.VALUE,
                    before=f"{history_text(progress.value)} {progress.remark}".strip(),
                    after="",
                    user=user,
                    indicator=indicator,
                    quarter=progress.quarter,
                    reason=reason,
                )
    removed_indicators.delete()
    plan.activities.exclude(code__in=keep_activities).delete()
    plan.areas.exclude(code__in=keep_areas).delete()
    plan.save(update_fields=["updated_at"])
    if not created:  # a new plan has no history yet: an import to the wrong office can still be deleted
        lines_after = _structure_lines(plan)
        by_code = {i.code: i for i in plan.indicators.all()}
        for key in sorted(lines_before.keys() | lines_after.keys()):
            old_line, new_line = lines_before.get(key, ""), lines_after.get(key, "")
            if old_line != new_line:
                history_record(
                    plan=plan,
                    kind=HistoryKind.PLAN,
                    before=old_line,
                    after=new_line,
                    user=user,
                    indicator=by_code.get(key[1]) if key[0] == "indicator" else None,
                    reason=reason,
                )
    periods_ensure(plan)
    return PlanImportResult(
        plan=plan,
        created=created,
        areas=len(parsed.areas),
        activities=len(parsed.activities),
        indicators=len(parsed.indicators),
        removed_indicators=removed,
        warnings=parsed.warnings,
    )


def _structure_lines(plan: ActionPlan) -> dict[tuple[str, str], str]:
    """Each area, activity and indicator of the plan as one line for the history: where it sits and its
    title (an indicator's marks settings are recorded apart, ``indicator_settings``)."""
    lines = {}
    for area in plan.areas.all():
        lines[("area", area.code)] = (
            f"[{area.code}] {area.title} (মান {plain_number(area.marks)}) #{area.position}"
        )
    for activity in plan.activities.select_related("area"):
        lines[("activity", activity.code)] = f"[{activity.code}] {activity.title} #{activity.position}"
    for indicator in plan.indicators.all():
        lines[("indicator", indicator.code)] = f"[{indicator.code}] {indicator.title} #{indicator.position}"
    return lines


def indicator_settings(indicator: Indicator) -> str:
    """Everything that decides an indicator's marks, as one line for the history."""
    targets = "/".join(history_text(indicator.target(level)) or "--" for level in scoring.LEVEL_PERCENTS)
    return (
        f"unit={indicator.unit}; weight={history_text(indicator.weight)}; calc={indicator.calc_method}; "
        f"scoring={indicator.scoring_method}; direction={indicator.direction}; targets={targets}"
    )


def history_indicator_settings(indicator: Indicator, *, before: str, user, reason: str) -> None:
    """Record a change of what decides an indicator's marks (``indicator_settings`` before and after)."""
    after = indicator_settings(indicator)
    if after != before:
        history_record(
            plan=indicator.plan,
            kind=HistoryKind.TARGETS,
            before=before,
            after=after,
            user=user,
            indicator=indicator,
            reason=reason,
        )


def _plan_check_replace(plan: ActionPlan, parsed: ParsedPlan) -> int:
    """Refuse a replacement that would lose evidence or make kept progress meaningless."""
    if plan.pk is None:
        return 0
    # Locked in quarter order until the import commits, so no quarter is submitted in between.
    locked = next((p for p in periods_lock(plan) if p.state not in EDITABLE_STATES), None)
    if locked is not None:
        # Targets decide the marks of submitted and approved periods: they are locked with them.
        bn, en = quarter_locked_message(locked.quarter, locked.state)
        raise DomainError(f"কর্মপরিকল্পনা বদলানো যাবে না: {bn}", f"The plan cannot be replaced: {en}")
    new_units = {i.code: i.unit.value for i in parsed.indicators}
    problems: list[ImportProblem] = []
    removed = 0
    for indicator in plan.indicators.all():
        if indicator.code not in new_units:
            removed += 1
            if indicator.evidence.exists():
                problems.append(
                    ImportProblem(
                        None,
                        None,
                        format_code(indicator.code),
                        f"সূচক {format_code(indicator.code)} নতুন ফাইলে নেই, কিন্তু এর প্রমাণক আছে; আগে প্রমাণক সরান।",
                        f"Indicator {indicator.code} is missing from the new sheet but has evidence; "
                        "remove the evidence first.",
                    )
                )
        elif new_units[indicator.code] != indicator.unit and indicator.progress.exists():
            problems.append(
                ImportProblem(
                    None,
                    None,
                    format_code(indicator.code),
                    f"সূচক {format_code(indicator.code)}-এর একক বদলেছে, কিন্তু এর অগ্রগতি লেখা আছে; "
                    "আগে অগ্রগতি মুছুন।",
                    f"The unit of indicator {indicator.code} changed but progress exists; "
                    "delete the progress first.",
                )
            )
    if problems:
        raise ImportFailed(problems)
    return removed


# ---------------------------------------------------------------------------------------------------------
# Progress


@dataclass(frozen=True)
class ProgressImportResult:
    saved: int
    cleared: int
    not_applicable: int


@dataclass
class _ProgressRow:
    indicator: Indicator
    quarter: int
    value: Decimal | datetime.date | None
    remark: str


@transaction.atomic
def progress_import(
    *, plan: ActionPlan, sheet: Sheet, user: AbstractBaseUser | None = None
) -> ProgressImportResult:
    """Record the quarterly values, remarks and applicability a progress sheet lists.

    Quarters the sheet does not list are left as they are; a listed quarter with neither value nor remark
    is cleared; a column the sheet does not have (value or remark) is left as it is."""
    data = _sheet_rows("progress", sheet)
    problems = _Problems(data.column_names)
    # The lock order of every progress write (workflow.progress_record): the plan's periods in quarter
    # order, then its indicators, then the progress rows. Held to the end, so that no approval can slip in
    # between the lock check below and the writes, and a browser save of the same value waits instead of
    # being overwritten unseen (its version then no longer matches).
    periods_ensure(plan)
    # Locked, so their states below stay as read until the commit.
    states = {p.quarter: p.state for p in plan.periods.select_for_update().order_by("quarter")}
    indicators = {i.code: i for i in plan.indicators.select_for_update(no_key=True).order_by("pk")}
    rows: dict[tuple[str, int], tuple[int, _ProgressRow]] = {}
    applicability: dict[str, tuple[int, bool, str]] = {}

    for number, cells in data.rows:
        raw_code = cells.get("indicator_code", "")
        code = problems.cell(number, "indicator_code", raw_code, parsing.parse_code, depth=3)
        if code is None:
            continue
        indicator = indicators.get(code)
        if indicator is None:
            problems.add(
                number,
                "indicator_code",
                raw_code,
                f"কর্মপরিকল্পনায় {format_code(code)} নম্বরের কোনো সূচক নেই।",
                f"The plan has no indicator {code}.",
            )
            continue
        raw_applicability = cells.get("applicability", "")
        applicable = None
        if not parsing.is_blank(raw_applicability):
            applicable = problems.cell(
                number, "applicability", raw_applicability, parsing.parse_applicability
            )
            if applicable is None:
                continue
        remark = cells.get("remark", "")
        raw_quarter, raw_value = cells.get("quarter", ""), cells.get("value", "")
        # The same limits as the browser's (a not-applicable row's remark is the reason).
        limit = REASON_MAX_CHARS if applicable is False else REMARK_MAX_CHARS
        try:
            remark = text_within(remark, limit, what_bn="মন্তব্য", what_en="remark")
        except DomainError as error:
            problems.add(number, "remark", remark[:40] + "…", error.message_bn, error.message_en)
            continue

        if applicable is False:
            if not remark:
                problems.add(
                    number,
                    "remark",
                    "",
                    "সূচকটি প্রযোজ্য নয় হলে মন্তব্যে কারণ লিখুন।",
                    "Give the reason in the remark when an indicator is not applicable.",
                )
            if not parsing.is_blank(raw_value):
                problems.add(
                    number,
                    "value",
                    raw_value,
                    "প্রযোজ্য নয় এমন সূচকের অর্জন থাকতে পারে না।",
                    "A not-applicable indicator cannot have an achievement.",
                )
            applicability[code] = (number, False, remark)
            continue
        if applicable is True:
            applicability[code] = (number, True, "")
            if parsing.is_blank(raw_quarter) and parsing.is_blank(raw_value) and not remark:
                continue  # a row that only marks the indicator applicable again

        quarter = problems.cell(number, "quarter", raw_quarter, parsing.parse_quarter)
        value = None
        if not parsing.is_blank(raw_value):
            value = problems.cell(
                number, "value", raw_value, parsing.parse_value, scoring.Unit(indicator.unit)
            )
            if value is None:
                continue
            if isinstance(value, Decimal) and not _check_fits(
                problems, number, "value", raw_value, value, _field(Progress, "value_number")
            ):
                continue
        if quarter is None:
            continue
        if (code, quarter) in rows:
            first = rows[(code, quarter)][0]
            problems.add(
                number,
                "quarter",
                raw_quarter,
                f"সূচক {format_code(code)}-এর এই ত্রৈমাসিক সারি {to_bangla_digits(first)}-এ আগেই আছে।",
                f"Indicator {code} already has this quarter in row {first}.",
            )
            continue
        rows[(code, quarter)] = (number, _ProgressRow(indicator, quarter, value, remark))

    for (code, _quarter), (number, row) in rows.items():
        marked = applicability.get(code)
        if marked is not None and marked[1] is False and row.value is not None:
            problems.add(
                number,
                "value",
                _display_value(row.value),
                f"সূচক {format_code(code)}-কে সারি {to_bangla_digits(marked[0])}-এ প্রযোজ্য নয় বলা হয়েছে, "
                "তাই এর অর্জন থাকতে পারে না।",
                f"Indicator {code} is marked not applicable in row {marked[0]}, so it cannot have values.",
            )
    # Not applicable and achievements exclude each other, as in the browser: the sheet may not mark an
    # indicator not applicable while it keeps values, nor give values to one that stays not applicable.
    stored_values: dict[str, set[int]] = defaultdict(set)
    for code, quarter in (
        Progress.objects.filter(indicator__plan=plan).with_value().values_list("indicator__code", "quarter")
    ):
        stored_values[code].add(quarter)
    for code, (number, is_applicable, _reason) in applicability.items():
        cleared_here = {q for (c, q), (_n, row) in rows.items() if c == code and row.value is None}
        kept = sorted(stored_values[code] - cleared_here)
        if not is_applicable and kept:
            quarters = ", ".join(map(str, kept))
            problems.add(
                number,
                "applicability",
                "",
                f"সূচক {format_code(code)}-এর {to_bangla_digits(quarters)} ত্রৈমাসিকে অর্জন লেখা আছে; "
                "প্রযোজ্য নয় করার আগে সেগুলো মুছুন।",
                f"Indicator {code} has achievements in quarter(s) {quarters}; "
                "clear them before marking it not applicable.",
            )
    for (code, _quarter), (number, row) in rows.items():
        if row.value is not None and not row.indicator.applicable and code not in applicability:
            problems.add(
                number,
                "value",
                _display_value(row.value),
                f"সূচক {format_code(code)} প্রযোজ্য নয় হিসেবে চিহ্নিত; এর অর্জন লেখা যাবে না "
                "(প্রযোজ্যতা কলামে 'প্রযোজ্য' লিখে আবার প্রযোজ্য করা যায়)।",
                f"Indicator {code} is marked not applicable, so it cannot have values "
                "(write 'applicable' in the applicability column to change that).",
            )

    # Locked data stays locked (DESIGN.md §4): no row may touch a submitted or approved quarter.
    for (_code, quarter), (number, _row) in rows.items():
        if states[quarter] not in EDITABLE_STATES:
            bn, en = quarter_locked_message(quarter, states[quarter])
            problems.add(number, "quarter", to_bangla_digits(quarter), bn, en)
    # Applicability decides the marks of every quarter: it changes only while none is submitted or beyond.
    locked_quarters = [q for q, state in sorted(states.items()) if state not in EDITABLE_STATES]
    if locked_quarters:
        for code, (number, is_applicable, reason) in applicability.items():
            indicator = indicators[code]
            if (indicator.applicable, indicator.not_applicable_reason) != (is_applicable, reason):
                quarters = ", ".join(map(str, locked_quarters))
                problems.add(
                    number,
                    "applicability",
                    "",
                    f"{to_bangla_digits(quarters)} ত্রৈমাসিক দাখিল বা অনুমোদিত হয়েছে; প্রযোজ্যতা এখন বদলানো "
                    "যাবে না (আগে সেই ত্রৈমাসিকগুলো ফেরত পাঠাতে হবে)।",
                    f"Quarter(s) {quarters} are submitted or approved; applicability cannot change now "
                    "(return those quarters first).",
                )
    problems.raise_if_any()

    existing = {
        (p.indicator_id, p.quarter): p
        for p in Progress.objects.select_for_update(of=("self",)).filter(indicator__plan=plan).order_by("pk")
    }
    saved = cleared = 0
    for (_code, quarter), (_number, row) in rows.items():
        progress = existing.get((row.indicator.pk, quarter))
        # A sheet without the value (or remark) column leaves values (or remarks) as they are.
        value = row.value if data.has("value") else (progress.value if progress else None)
        remark = row.remark if data.has("remark") else (progress.remark if progress else "")
        before_value = progress.value if progress else None
        before_remark = progress.remark if progress else ""
        if before_value == value and before_remark == remark:
            continue
        history_progress_change(
            indicator=row.indicator,
            quarter=quarter,
            before=(before_value, before_remark),
            after=(value, remark),
            user=user,
            reason="অগ্রগতি আমদানি / progress import",
        )
        if value is None and not remark:
            if progress is None:
                continue
            # The row stays (empty), so its version keeps counting for forms loaded before (DESIGN.md §4).
            cleared += 1
        progress = progress or Progress(indicator=row.indicator, quarter=quarter)
        progress.value = value
        progress.remark = remark
        progress.version += 1
        progress.recorded_by = user
        progress.full_clean(validate_constraints=False)
        progress.save()
        saved += 0 if value is None and not remark else 1

    not_applicable = 0
    for code, (_number, is_applicable, reason) in applicability.items():
        indicator = indicators[code]
        if (indicator.applicable, indicator.not_applicable_reason) != (is_applicable, reason):
            history_record(
                plan=plan,
                kind=HistoryKind.APPLICABILITY,
                before=indicator.applicable,
                after=is_applicable,
                user=user,
                indicator=indicator,
                reason=reason or "অগ্রগতি আমদানি / progress import",
            )
        indicator.applicable = is_applicable
        indicator.not_applicable_reason = reason
        indicator.save(update_fields=["applicable", "not_applicable_reason"])
        not_applicable += 0 if is_applicable else 1
    return ProgressImportResult(saved=saved, cleared=cleared, not_applicable=not_applicable)


def _display_value(value: Decimal | datetime.date) -> str:
    return value.strftime("%d/%m/%Y") if isinstance(value, datetime.date) else plain_number(value)
