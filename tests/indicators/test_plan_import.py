"""Plan sheets in (`plan_import`, `import_plan`) and out (`export_plan`): DESIGN.md §3.5, §7, §8."""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import os
import re
import sqlite3
import subprocess
import sys
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from base.bangla import to_bangla_digits
from evidence.models import Evidence
from evidence.services import evidence_attach
from indicators.models import (
    ActionPlan,
    Activity,
    CalcMethod,
    FiscalYear,
    Indicator,
    Office,
    OfficeMembership,
    PerformanceArea,
    Progress,
    Unit,
)
from indicators.problems import ImportFailed, ImportProblem
from indicators.selectors import PLAN_SHEET_HEADERS, plan_sheet_rows
from indicators.services.plans import plan_import
from indicators.sheets import Sheet, read_sheet, read_sheet_bytes, write_sheet
from tests.factories import DEMO_DIR, FiscalYearFactory, OfficeFactory
from tests.files import pdf_bytes

BASE_DIR = Path(__file__).resolve().parents[2]
DEMO_PLAN = DEMO_DIR / "plan.csv"
TARGET_COLUMNS = [f"target_{level}_{kind}" for level in (100, 90, 80, 70, 60) for kind in ("number", "date")]
BANGLA = re.compile("[\u0980-\u09ff]")
ENGLISH = re.compile("[A-Za-z]{3,}")

PLAN_FIELDS = [
    "area_code",
    "area_title",
    "area_marks",
    "activity_code",
    "activity_title",
    "indicator_code",
    "indicator_title",
    "unit",
    "weight",
    "calc_method",
    "scoring",
    "direction",
    "target_100",
    "target_90",
    "target_80",
    "target_70",
    "target_60",
]

# A small valid plan with English headers: rows 2, 3 and 4 of the sheet.
SMALL = [
    {
        "area_code": "1",
        "area_title": "Area one",
        "area_marks": "10",
        "activity_code": "1.1",
        "activity_title": "Activity one",
        "indicator_code": "1.1.1",
        "indicator_title": "Workshops held",
        "unit": "number",
        "weight": "6",
        "calc_method": "sum",
        "scoring": "",
        "direction": "",
        "target_100": "10",
        "target_90": "9",
        "target_80": "8",
        "target_70": "7",
        "target_60": "6",
    },
    {
        "area_code": "1",
        "area_title": "Area one",
        "area_marks": "10",
        "activity_code": "1.1",
        "activity_title": "Activity one",
        "indicator_code": "1.1.2",
        "indicator_title": "Policy approved",
        "unit": "date",
        "weight": "4",
        "calc_method": "date",
        "scoring": "threshold",
        "direction": "",
        "target_100": "10/05/2023",
        "target_90": "15/05/2023",
        "target_80": "--",
        "target_70": "",
        "target_60": "—",
    },
    {
        "area_code": "2",
        "area_title": "Area two",
        "area_marks": "5",
        "activity_code": "2.1",
        "activity_title": "Activity two",
        "indicator_code": "2.1.1",
        "indicator_title": "Notes settled in e-files",
        "unit": "percent",
        "weight": "5",
        "calc_method": "average",
        "scoring": "step",
        "direction": "lower",
        "target_100": "5%",
        "target_90": "10",
        "target_80": "---",
        "target_70": "20%",
        "target_60": "",
    },
]


# --- helpers -------------------------------------------------------------------------------------------


def csv_bytes(headers: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([headers, *rows])
    return buffer.getvalue().encode("utf-8")


def sheet_of(headers: list[str], rows: list[list[str]]) -> Sheet:
    """A sheet as the import sees it, passed through the real CSV reader."""
    return read_sheet_bytes(csv_bytes(headers, rows), name="plan.csv")


def small(changes: dict[int, dict[str, str]] | None = None, extra: list[dict[str, str]] | None = None):
    """The SMALL plan's (headers, rows) with changes by row index and extra rows appended."""
    records = [dict(row) for row in SMALL] + [dict(row) for row in extra or []]
    for index, change in (changes or {}).items():
        records[index].update(change)
    return PLAN_FIELDS, [[record[field] for field in PLAN_FIELDS] for record in records]


def demo_table() -> tuple[list[str], list[list[str]]]:
    with DEMO_PLAN.open(encoding="utf-8-sig", newline="") as handle:
        headers, *rows = list(csv.reader(handle))
    return headers, rows


def demo_row_index(rows: list[list[str]], code: str) -> int:
    return next(i for i, row in enumerate(rows) if row[5] == code)


def db_dump() -> dict[str, list[dict]]:
    """Every row of every table an import may touch, for before/after comparison."""
    models = [
        Office,
        FiscalYear,
        ActionPlan,
        PerformanceArea,
        Activity,
        Indicator,
        Progress,
        Evidence,
        OfficeMembership,
    ]
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


def plan_structure(plan: ActionPlan) -> dict[str, list[tuple]]:
    """Every field of every area, activity and indicator the plan sheet carries, keyed by code."""
    return {
        "areas": [(a.code, a.title, a.marks, a.position) for a in plan.areas.order_by("position")],
        "activities": [
            (a.code, a.title, a.area.code, a.position)
            for a in plan.activities.select_related("area").order_by("position")
        ],
        "indicators": [
            (
                i.code,
                i.title,
                i.activity.code,
                i.unit,
                i.weight,
                i.calc_method,
                i.scoring_method,
                i.direction,
                *(getattr(i, column) for column in TARGET_COLUMNS),
                i.position,
            )
            for i in plan.indicators.select_related("activity").order_by("position")
        ],
    }


def new_office_and_year(code: str = "testoffice"):
    return OfficeFactory(code=code), FiscalYearFactory(start_year=2022)


def import_failure(sheet: Sheet, *, code: str = "testoffice") -> ImportFailed:
    office, fiscal_year = new_office_and_year(code)
    before = db_dump()
    with pytest.raises(ImportFailed) as caught:
        plan_import(office=office, fiscal_year=fiscal_year, sheet=sheet)
    assert db_dump() == before, "a refused import must write nothing"
    return caught.value


def find_problem(failure: ImportFailed, *, row: int | None, column: str | None) -> ImportProblem:
    matches = [p for p in failure.problems if p.row == row and p.column == column]
    assert matches, f"no problem at row {row}, column {column!r}; got {failure.problems}"
    return matches[0]


def assert_bilingual(problem: ImportProblem) -> None:
    assert BANGLA.search(problem.message_bn), problem
    assert ENGLISH.search(problem.message_en), problem
    text = str(problem)
    assert problem.message_bn in text and problem.message_en in text


def run_import_command(tmp_path: Path, headers, rows, *, stderr=None, **options) -> tuple[str, str]:
    path = tmp_path / "plan.csv"
    path.write_bytes(csv_bytes(headers, rows))
    out, err = io.StringIO(), stderr or io.StringIO()
    options = {"office": "mofa", "year": "2022-23", **options}
    call_command("import_plan", str(path), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def refused_import_stderr(tmp_path: Path, headers, rows, **options) -> str:
    """`import_plan` on the sheet, which must refuse it (CommandError): what it wrote on stderr."""
    err = io.StringIO()
    with pytest.raises(CommandError):
        run_import_command(tmp_path, headers, rows, stderr=err, **options)
    return err.getvalue()


# --- the demo sheet ----------------------------------------------------------------------------------


def test_demo_sheet_imports_with_its_structure(db):
    """The demo plan: 2 areas (30 + 20 marks), 6 activities, 12 indicators in sheet order with weights."""
    office, fiscal_year = new_office_and_year()
    result = plan_import(office=office, fiscal_year=fiscal_year, sheet=read_sheet(DEMO_PLAN))
    assert (result.created, result.areas, result.activities, result.indicators) == (True, 2, 6, 12)
    plan = result.plan
    assert [(a.code, a.marks) for a in plan.areas.order_by("position")] == [
        ("1", Decimal("30")),
        ("2", Decimal("20")),
    ]
    assert plan.areas.get(code="2").title == "প্রাতিষ্ঠানিক দক্ষতা বৃদ্ধি"
    assert [(a.code, a.area.code) for a in plan.activities.order_by("position")] == [
        ("1.1", "1"),
        ("1.2", "1"),
        ("1.3", "1"),
        ("1.4", "1"),
        ("2.1", "2"),
        ("2.2", "2"),
    ]
    indicators = list(plan.indicators.order_by("position"))
    assert [i.code for i in indicators] == [
        "1.1.1",
        "1.2.1",
        "1.2.2",
        "1.3.1",
        "1.4.1",
        "1.4.2",
        "2.1.1",
        "2.2.1",
        "2.2.2",
        "2.2.3",
        "2.2.4",
        "2.2.5",
    ]
    assert [int(i.weight) for i in indicators] == [2, 2, 7, 8, 8, 3, 6, 3, 3, 3, 2, 3]
    assert all(i.scoring_method == "interpolate" and i.direction == "higher" for i in indicators)
    assert all(i.applicable for i in indicators)


def test_demo_sheet_units_methods_and_targets_including_blank_levels(db):
    """Units, calculation methods and the five targets land in their typed columns; `--`/`---`/empty are blank."""
    office, fiscal_year = new_office_and_year()
    plan = plan_import(office=office, fiscal_year=fiscal_year, sheet=read_sheet(DEMO_PLAN)).plan
    by_code = {i.code: i for i in plan.indicators.all()}

    def targets(code):
        return [by_code[code].target(level) for level in (100, 90, 80, 70, 60)]

    d = datetime.date
    assert (by_code["1.2.2"].unit, by_code["1.2.2"].calc_method) == ("date", "date")
    assert targets("1.2.2") == [d(2023, 5, 4), d(2023, 5, 15), d(2023, 5, 25), d(2023, 5, 31), None]
    assert (by_code["1.3.1"].unit, by_code["1.3.1"].calc_method) == ("percent", "average")
    assert targets("1.3.1") == [Decimal(85), Decimal(80), Decimal(70), Decimal(60), None]
    assert (by_code["1.4.2"].unit, by_code["1.4.2"].calc_method) == ("number", "sum")
    assert targets("1.4.2") == [Decimal(3), None, Decimal(2), Decimal(1), None]  # `---` is blank
    assert targets("2.1.1") == [Decimal(3), None, Decimal(2), None, None]  # `--` is blank
    assert by_code["2.2.2"].calc_method == "cumulative"
    assert targets("2.2.5") == [d(2023, 6, 30), None, None, None, None]
    # Date indicators keep their number columns empty and the other way round.
    assert by_code["1.2.2"].target_100_number is None
    assert by_code["1.3.1"].target_100_date is None


def test_import_plan_command_creates_the_demo_plan(db, tmp_path):
    """`import_plan FILE --office --year` creates the plan and reports the counts on stdout."""
    call_command("import_offices", str(DEMO_DIR / "offices.csv"), stdout=io.StringIO())
    headers, rows = demo_table()
    out, _err = run_import_command(tmp_path, headers, rows, office="msw", year="২০২২-২৩")
    plan = ActionPlan.objects.get(office__code="msw", fiscal_year__start_year=2022)
    assert plan.indicators.count() == 12
    assert "2 areas, 6 activities, 12 indicators" in out


# --- header and code variants ------------------------------------------------------------------------


def test_english_headers_import_the_same_plan(db):
    """English headers, ASCII digits and codes without brackets import; blank scoring/direction get defaults."""
    office, fiscal_year = new_office_and_year()
    plan = plan_import(office=office, fiscal_year=fiscal_year, sheet=sheet_of(*small())).plan
    structure = plan_structure(plan)
    assert structure["areas"] == [("1", "Area one", Decimal(10), 0), ("2", "Area two", Decimal(5), 1)]
    assert structure["activities"] == [("1.1", "Activity one", "1", 0), ("2.1", "Activity two", "2", 1)]
    first, second, third = plan.indicators.order_by("position")
    assert (first.code, first.unit, first.scoring_method, first.direction) == (
        "1.1.1",
        "number",
        "interpolate",
        "higher",
    )
    assert [first.target(level) for level in (100, 90, 80, 70, 60)] == [Decimal(n) for n in (10, 9, 8, 7, 6)]
    assert (second.scoring_method, second.target_100_date, second.target_80_date) == (
        "threshold",
        datetime.date(2023, 5, 10),
        None,
    )
    assert (third.unit, third.scoring_method, third.direction) == ("percent", "step", "lower")
    assert [third.target(level) for level in (100, 90, 80, 70, 60)] == [
        Decimal(5),
        Decimal(10),
        None,
        Decimal(20),
        None,
    ]


def test_headers_in_odd_case_and_spacing_are_recognised(db):
    """Headers are case-, space-, underscore- and hyphen-insensitive, in English and in Bangla."""
    odd = [
        "  AREA Code ",
        "Area_Title",
        "area-marks",
        "ACTIVITY_CODE",
        "activity   title",
        "Indicator_Code",
        "INDICATOR TITLE",
        "Unit ",
        "WEIGHT",
        "Calc-Method",
        "Scoring",
        " direction",
        "Target_100",
        "TARGET 90",
        "target-80",
        "চলতি   মান",
        " চলতি মানের  নিম্নে ",
    ]
    _fields, rows = small()
    office, fiscal_year = new_office_and_year()
    plan = plan_import(office=office, fiscal_year=fiscal_year, sheet=sheet_of(odd, rows)).plan
    assert plan.indicators.count() == 3
    assert plan.indicators.get(code="1.1.1").target_70_number == Decimal(7)
    assert plan.indicators.get(code="1.1.1").target_60_number == Decimal(6)


def test_codes_with_or_without_brackets_and_in_either_digits_give_the_same_codes(db):
    """`[১.১.১]`, `১.১.১`, `[1.1.2]` and `1.1.2` all name codes stored as ASCII without brackets."""
    headers, rows = small(
        {
            0: {"area_code": "[১]", "activity_code": "১.১", "indicator_code": "[১.১.১]", "weight": "৬"},
            1: {"area_code": "1", "activity_code": "[1.1]", "indicator_code": "[1.1.2]"},
            2: {"area_code": "২", "activity_code": "[২.১]", "indicator_code": "২.১.১"},
        }
    )
    office, fiscal_year = new_office_and_year()
    plan = plan_import(office=office, fiscal_year=fiscal_year, sheet=sheet_of(headers, rows)).plan
    assert sorted(plan.areas.values_list("code", flat=True)) == ["1", "2"]
    assert sorted(plan.activities.values_list("code", flat=True)) == ["1.1", "2.1"]
    assert sorted(plan.indicators.values_list("code", flat=True)) == ["1.1.1", "1.1.2", "2.1.1"]


def test_xlsx_plan_with_typed_cells_imports(db, tmp_path):
    """An XLSX plan with real date cells, percent-formatted cells and numeric weights imports correctly."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(PLAN_FIELDS)
    sheet.append(
        [
            *["[১]", "ক্ষেত্র", 10, "১.১", "কার্যক্রম", "১.১.১", "তারিখ সূচক", "তারিখ", 4.0, "তারিখ", "", ""],
            *[datetime.date(2023, 5, 10), datetime.datetime(2023, 5, 15), None, "--", None],
        ]
    )
    sheet.append(
        [
            *["১", "ক্ষেত্র", 10, "১.১", "কার্যক্রম", "১.১.২", "শতাংশ সূচক", "%", 6, "গড়", "", ""],
            *[0.85, 0.8, 0.7, 0.6, None],
        ]
    )
    for column in "MNOP":
        sheet[f"{column}3"].number_format = "0%"
    path = tmp_path / "plan.xlsx"
    workbook.save(path)
    office, fiscal_year = new_office_and_year()
    plan = plan_import(office=office, fiscal_year=fiscal_year, sheet=read_sheet(path)).plan
    date_indicator = plan.indicators.get(code="1.1.1")
    percent_indicator = plan.indicators.get(code="1.1.2")
    assert (date_indicator.weight, date_indicator.target_100_date, date_indicator.target_90_date) == (
        Decimal(4),
        datetime.date(2023, 5, 10),
        datetime.date(2023, 5, 15),
    )
    assert [percent_indicator.target(level) for level in (100, 90, 80, 70, 60)] == [
        Decimal(85),
        Decimal(80),
        Decimal(70),
        Decimal(60),
        None,
    ]


# --- every error class: row, column, value, both languages ------------------------------------------

ERROR_CASES = {
    # case: (row index in SMALL, changes, sheet row, canonical column, value in the problem)
    "missing-unit": (0, {"unit": ""}, 2, "unit", ""),
    "unknown-calc-method": (0, {"calc_method": "median"}, 2, "calc_method", "median"),
    "unknown-scoring-method": (2, {"scoring": "random"}, 4, "scoring", "random"),
    "unknown-direction": (0, {"direction": "sideways"}, 2, "direction", "sideways"),
    "bad-weight": (0, {"weight": "ছয়"}, 2, "weight", "ছয়"),
    "zero-weight": (0, {"weight": "0"}, 2, "weight", "0"),
    "bad-number-target": (0, {"target_90": "৯x"}, 2, "target_90", "৯x"),
    "percent-sign-on-number-target": (0, {"target_80": "8%"}, 2, "target_80", "8%"),
    "bad-date": (1, {"target_100": "৩১/০২/২০২৩"}, 3, "target_100", "৩১/০২/২০২৩"),
    "number-for-a-date-target": (1, {"target_90": "15"}, 3, "target_90", "15"),
    "missing-100-target": (0, {"target_100": "--"}, 2, "target_100", "--"),
    "empty-100-target": (2, {"target_100": ""}, 4, "target_100", ""),
    "levels-out-of-order": (0, {"target_80": "9.5"}, 2, "target_80", "9.5"),
    "weights-not-summing": (0, {"weight": "7"}, 2, "area_marks", "10"),
    "bad-area-code": (0, {"area_code": "A"}, 2, "area_code", "A"),
    "indicator-not-under-its-activity": (0, {"indicator_code": "1.2.1"}, 2, "indicator_code", "1.2.1"),
    "missing-indicator-title": (0, {"indicator_title": ""}, 2, "indicator_title", ""),
    "proportional-on-date": (1, {"scoring": "proportional"}, 3, "scoring", "proportional"),
    "date-unit-with-sum": (1, {"calc_method": "sum"}, 3, "calc_method", "sum"),
    "date-method-on-number-unit": (0, {"calc_method": "date"}, 2, "calc_method", "date"),
}


@pytest.mark.parametrize("case", list(ERROR_CASES))
def test_each_error_names_row_column_and_value_in_both_languages(db, case):
    """Every error class is reported with the sheet row, the column header as written and the cell value."""
    index, changes, row, column, value = ERROR_CASES[case]
    failure = import_failure(sheet_of(*small({index: changes})))
    problem = find_problem(failure, row=row, column=column)
    assert problem.value == value
    assert_bilingual(problem)
    assert ActionPlan.objects.count() == 0


def test_seed_targets_out_of_order_are_refused(db):
    """DESIGN §3.5: the seed's ১০/০৫, ২৫/০৫, ১৫/০৫, ৩১/০৫ is refused at its 80% level (earlier than 90%)."""
    headers, rows = demo_table()
    index = demo_row_index(rows, "[১.১.১]")
    rows[index][10:15] = ["১০/০৫/২০২৩", "২৫/০৫/২০২৩", "১৫/০৫/২০২৩", "৩১/০৫/২০২৩", ""]
    failure = import_failure(sheet_of(headers, rows))
    problem = find_problem(failure, row=index + 2, column="উত্তম")
    assert problem.value == "১৫/০৫/২০২৩"
    assert_bilingual(problem)
    assert len(failure.problems) == 1


def test_equal_neighbouring_levels_are_accepted(db):
    """Each level must be equal to OR worse than the one above: equal targets are allowed."""
    headers, rows = small({0: {"target_90": "10", "target_80": "8", "target_70": "8"}})
    office, fiscal_year = new_office_and_year()
    plan = plan_import(office=office, fiscal_year=fiscal_year, sheet=sheet_of(headers, rows)).plan
    assert plan.indicators.get(code="1.1.1").target_90_number == Decimal(10)


def test_weights_not_summing_reports_the_sum_and_the_marks(db):
    """The weight-sum problem states the actual sum and the area's marks (in Bangla digits in Bangla)."""
    failure = import_failure(sheet_of(*small({0: {"weight": "7"}})))
    problem = find_problem(failure, row=2, column="area_marks")
    assert "11" in problem.message_en and "10" in problem.message_en
    assert "১১" in problem.message_bn


def test_duplicate_indicator_code_is_refused_at_its_second_row(db):
    """A code used twice: the second row is reported with the raw code and the first row's number."""
    duplicate = {**SMALL[0], "indicator_code": "[1.1.1]", "weight": "1", "indicator_title": "Again"}
    failure = import_failure(sheet_of(*small({0: {"weight": "5"}}, extra=[duplicate])))
    problem = find_problem(failure, row=5, column="indicator_code")
    assert problem.value == "[1.1.1]"
    assert "2" in problem.message_en
    assert_bilingual(problem)


def test_area_with_two_different_titles_is_refused(db):
    """The same area code with a different title in a later row is an error at that row."""
    failure = import_failure(sheet_of(*small({1: {"area_title": "Another title"}})))
    problem = find_problem(failure, row=3, column="area_title")
    assert problem.value == "Another title"
    assert_bilingual(problem)


def test_unknown_header_is_refused_with_its_text(db):
    """An unknown column header is reported on the header row, naming the header and its column letter."""
    headers, rows = small()
    headers = [*headers, "remarks_extra"]
    rows = [[*row, "x"] for row in rows]
    failure = import_failure(sheet_of(headers, rows))
    assert len(failure.problems) == 1
    problem = failure.problems[0]
    assert problem.row == 1
    assert "remarks_extra" in problem.message_bn and "remarks_extra" in problem.message_en
    assert "column R" in problem.message_en
    assert_bilingual(problem)


def test_unknown_header_after_blank_lines_reports_the_header_row(db):
    """When blank lines precede the headers, the header problem names the row the headers are really on."""
    headers, rows = small()
    data = b"\n\n" + csv_bytes([*headers, "remarks_extra"], rows)
    failure = import_failure(read_sheet_bytes(data, name="plan.csv"))
    assert [p.row for p in failure.problems] == [3]


def test_missing_required_column_is_refused(db):
    """Dropping the unit column is reported as a missing required column, in both languages."""
    headers, rows = small()
    drop = headers.index("unit")
    failure = import_failure(
        sheet_of(
            [h for i, h in enumerate(headers) if i != drop],
            [[c for i, c in enumerate(r) if i != drop] for r in rows],
        )
    )
    assert len(failure.problems) == 1
    problem = failure.problems[0]
    assert problem.row == 1
    assert "unit" in problem.message_en and "একক" in problem.message_bn
    assert_bilingual(problem)


def test_sheet_without_indicator_rows_is_refused(db):
    """Headers only: the import fails rather than creating an empty plan."""
    failure = import_failure(sheet_of(PLAN_FIELDS, []))
    assert failure.problems
    assert ActionPlan.objects.count() == 0


def test_sheet_with_several_errors_lists_all_of_them_in_row_order(db):
    """Errors in different rows and columns are all reported, sorted by row, not just the first."""
    headers, rows = small(
        {
            0: {"unit": "", "target_90": "abc"},
            1: {"target_100": "৩১/০২/২০২৩"},
            2: {"scoring": "random", "calc_method": "median"},
        }
    )
    failure = import_failure(sheet_of(headers, rows))
    found = {(p.row, p.column) for p in failure.problems}
    assert {(2, "unit"), (3, "target_100"), (4, "scoring"), (4, "calc_method")} <= found
    assert [p.row for p in failure.problems] == sorted(p.row for p in failure.problems)
    assert str(len(failure.problems)) in failure.message_en
    assert to_bangla_digits(len(failure.problems)) in failure.message_bn


def test_command_prints_every_problem_on_stderr_and_raises(db, tmp_path):
    """`import_plan` raises CommandError and writes each problem (row, column, value, bn + en) to stderr."""
    call_command("import_offices", str(DEMO_DIR / "offices.csv"), stdout=io.StringIO())
    headers, rows = small({0: {"unit": ""}, 1: {"target_100": "৩১/০২/২০২৩"}})
    path = tmp_path / "plan.csv"
    path.write_bytes(csv_bytes(headers, rows))
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_plan", str(path), office="msw", year="2022-23", stderr=err, stdout=io.StringIO())
    assert "কিছুই সংরক্ষণ করা হয়নি" in str(caught.value)
    stderr = err.getvalue()
    for text in (
        "সারি ২, কলাম 'unit': একক আবশ্যক",
        "row 2, column 'unit': The unit is required",
        "সারি ৩, কলাম 'target_100', মান '৩১/০২/২০২৩'",
        "row 3, column 'target_100', value '৩১/০২/২০২৩'",
    ):
        assert text in stderr
    assert ActionPlan.objects.count() == 0


# --- all-or-nothing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["missing-unit", "bad-date", "levels-out-of-order", "weights-not-summing"])
def test_failed_replace_leaves_the_database_exactly_as_before(demo, tmp_path, case):
    """After a refused --replace of the demo plan every table holds exactly the rows it held before."""
    headers, rows = demo_table()
    index = demo_row_index(rows, "[১.৩.১]")
    column, value = {
        "missing-unit": (7, ""),
        "bad-date": (10, "৩২/০৫/২০২৩"),
        "levels-out-of-order": (12, "৯০%"),
        "weights-not-summing": (8, "৯"),
    }[case]
    rows[index][column] = value
    rows[0][1] = "নতুন শিরোনাম"  # a valid change that must not be written either
    before = db_dump()
    with pytest.raises(CommandError):
        run_import_command(tmp_path, headers, rows, replace=True)
    assert db_dump() == before


def test_failed_import_for_a_new_year_leaves_no_fiscal_year_behind(demo, tmp_path):
    """A refused import for a year not yet in the database does not leave that FiscalYear row behind."""
    headers, rows = small({0: {"unit": ""}})
    before = db_dump()
    with pytest.raises(CommandError):
        run_import_command(tmp_path, headers, rows, year="2023-24")
    assert db_dump() == before


def test_value_too_large_for_the_database_is_reported_as_an_import_problem(db):
    """A weight the database cannot hold (5 integer digits) is a listed problem, not a crash mid-write."""
    headers, rows = small({0: {"weight": "99995", "area_marks": "99999"}, 1: {"area_marks": "99999"}})
    office, fiscal_year = new_office_and_year()
    before = db_dump()
    with pytest.raises(ImportFailed) as caught:
        plan_import(office=office, fiscal_year=fiscal_year, sheet=sheet_of(headers, rows))
    assert any(p.row == 2 and p.column in {"weight", "area_marks"} for p in caught.value.problems)
    assert db_dump() == before


def test_code_too_long_for_the_database_is_reported_as_an_import_problem(db):
    """An indicator code longer than the column (16 characters) is a listed problem with its row."""
    long_code = "1.1." + "1" * 20
    failure = import_failure(sheet_of(*small({0: {"indicator_code": long_code}})))
    problem = find_problem(failure, row=2, column="indicator_code")
    assert problem.value == long_code


def test_command_subprocess_exits_1_with_problems_on_stderr(tmp_path):
    """Run as a real process on its own SQLite file: exit status 1, problems on stderr, nothing written."""
    database = tmp_path / "cli.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "PYTHONPATH": str(BASE_DIR)}
    env.pop("DJANGO_SETTINGS_MODULE", None)

    def manage(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert manage("migrate", "--noinput", "-v", "0").returncode == 0
    assert manage("import_offices", str(DEMO_DIR / "offices.csv")).returncode == 0
    headers, rows = small({0: {"unit": ""}, 2: {"scoring": "random"}})
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(headers, rows))
    result = manage("import_plan", str(path), "--office", "mofa", "--year", "2022-23")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "row 2, column 'unit': The unit is required" in result.stderr
    assert "সারি ৪, কলাম 'scoring', মান 'random'" in result.stderr
    assert "কিছুই সংরক্ষণ করা হয়নি" in result.stderr
    with sqlite3.connect(database) as connection:
        for table in ("indicators_actionplan", "indicators_indicator", "indicators_performancearea"):
            assert connection.execute(f"select count(*) from {table}").fetchone() == (0,)


# --- existing plans and --replace -------------------------------------------------------------------


def _progress_dump(plan: ActionPlan) -> list[tuple]:
    return list(
        Progress.objects.filter(indicator__plan=plan)
        .order_by("indicator__code", "quarter")
        .values_list("pk", "indicator__code", "quarter", "value_number", "value_date", "remark")
    )


def test_existing_plan_without_replace_is_refused(demo, tmp_path):
    """Importing over an existing plan without --replace is refused in Bangla, naming --replace."""
    headers, rows = demo_table()
    before = db_dump()
    with pytest.raises(CommandError) as caught:
        run_import_command(tmp_path, headers, rows)
    assert "আগেই আছে" in str(caught.value) and "--replace" in str(caught.value)
    assert db_dump() == before


def test_replace_keeps_progress_of_kept_codes_and_removes_dropped_indicators(demo, tmp_path):
    """--replace: [১.৪.২] dropped (with its progress); kept indicators keep their rows, progress and applicability."""
    headers, rows = demo_table()
    rows[demo_row_index(rows, "[১.৪.১]")][8] = "১১"  # keeps area 1 at 30 marks without [১.৪.২]
    rows[demo_row_index(rows, "[১.৩.১]")][6] = "ই-নথিতে নোট নিষ্পত্তি (হালনাগাদ)"
    del rows[demo_row_index(rows, "[১.৪.২]")]
    kept_before = [p for p in _progress_dump(demo) if p[1] != "1.4.2"]
    indicator_pks = dict(demo.indicators.exclude(code="1.4.2").values_list("code", "pk"))
    out, _err = run_import_command(tmp_path, headers, rows, replace=True)
    assert "1 removed" in out
    assert _progress_dump(demo) == kept_before
    assert dict(demo.indicators.values_list("code", "pk")) == indicator_pks
    assert not demo.indicators.filter(code="1.4.2").exists()
    assert not Progress.objects.filter(indicator__code="1.4.2").exists()
    assert demo.indicators.get(code="1.4.1").weight == Decimal(11)
    assert demo.indicators.get(code="1.3.1").title == "ই-নথিতে নোট নিষ্পত্তি (হালনাগাদ)"
    na = demo.indicators.get(code="2.2.4")
    assert (na.applicable, na.not_applicable_reason) == (False, "আওতাধীন কোনো দপ্তর/সংস্থা নেই।")


def test_replace_removes_activities_and_areas_no_longer_listed(demo, tmp_path):
    """Activities and areas without indicators in the new sheet disappear with it."""
    headers, rows = demo_table()
    rows = [r for r in rows if r[3] != "[১.৪]"]
    rows[demo_row_index(rows, "[১.৩.১]")][8] = "১৯"  # 2 + 2 + 7 + 19 = 30
    run_import_command(tmp_path, headers, rows, replace=True)
    assert list(demo.activities.order_by("position").values_list("code", flat=True)) == [
        "1.1",
        "1.2",
        "1.3",
        "2.1",
        "2.2",
    ]
    assert demo.indicators.count() == 10


def test_replace_refuses_to_drop_an_indicator_with_evidence(demo, tmp_path):
    """Dropping [১.৪.২] while it has evidence is refused, naming the indicator; nothing changes."""
    evidence_attach(
        indicator=demo.indicators.get(code="1.4.2"),
        title="ওয়েবিনার",
        data=pdf_bytes(size=(100, 100)),
        original_name="w.pdf",
    )
    headers, rows = demo_table()
    rows[demo_row_index(rows, "[১.৪.১]")][8] = "১১"
    del rows[demo_row_index(rows, "[১.৪.২]")]
    before = db_dump()
    err = refused_import_stderr(tmp_path, headers, rows, replace=True)
    assert "[১.৪.২]" in err and "1.4.2" in err
    assert "প্রমাণক" in err
    assert db_dump() == before


def test_replace_refuses_a_unit_change_when_progress_exists(demo, tmp_path):
    """[১.৩.১] has progress: changing its unit from % to number is refused and nothing changes."""
    headers, rows = demo_table()
    row = rows[demo_row_index(rows, "[১.৩.১]")]
    row[7], row[10:14] = "সংখ্যা", ["৮৫", "৮০", "৭০", "৬০"]
    before = db_dump()
    err = refused_import_stderr(tmp_path, headers, rows, replace=True)
    assert "[১.৩.১]" in err and "একক" in err
    assert db_dump() == before


def test_replace_allows_a_unit_change_without_progress(demo, tmp_path):
    """[২.২.৪] has no progress: its unit may change from date to number."""
    headers, rows = demo_table()
    row = rows[demo_row_index(rows, "[২.২.৪]")]
    row[7], row[9], row[10:14] = "সংখ্যা", "সমষ্টি", ["৪", "৩", "২", "১"]
    run_import_command(tmp_path, headers, rows, replace=True)
    indicator = demo.indicators.get(code="2.2.4")
    assert (
        indicator.unit,
        indicator.calc_method,
        indicator.target_100_number,
        indicator.target_100_date,
    ) == (
        "number",
        "sum",
        Decimal(4),
        None,
    )


# --- export and round trip ---------------------------------------------------------------------------


def _export(plan_office: str, out: Path) -> bytes:
    call_command("export_plan", office=plan_office, year="2022-23", out=str(out), stdout=io.StringIO())
    return out.read_bytes()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_is_lossless(demo, tmp_path, suffix):
    """The demo plan exported and imported for another office has every field of every row equal."""
    exported = tmp_path / f"demo{suffix}"
    _export("mofa", exported)
    call_command("import_plan", str(exported), office="msw", year="2022-23", stdout=io.StringIO())
    copy = ActionPlan.objects.get(office__code="msw")
    assert plan_structure(copy) == plan_structure(demo)


def test_csv_re_export_is_byte_identical(demo, tmp_path):
    """export → import → export gives the same CSV bytes."""
    first = _export("mofa", tmp_path / "first.csv")
    call_command(
        "import_plan", str(tmp_path / "first.csv"), office="msw", year="2022-23", stdout=io.StringIO()
    )
    second = _export("msw", tmp_path / "second.csv")
    assert first == second
    assert first.startswith(b"\xef\xbb\xbf")


def test_export_uses_bangla_headers_digits_and_bracketed_codes(demo, tmp_path):
    """The export is the §7 plan sheet in Bangla: Bangla headers, `[১.২.২]`, `০৪/০৫/২০২৩`, `৮৫%`, `--`."""
    data = _export("mofa", tmp_path / "plan.csv").decode("utf-8-sig")
    headers, *rows = list(csv.reader(io.StringIO(data)))
    assert headers == PLAN_SHEET_HEADERS
    by_code = {row[5]: row for row in rows}
    assert by_code["[১.২.২]"][12:17] == ["০৪/০৫/২০২৩", "১৫/০৫/২০২৩", "২৫/০৫/২০২৩", "৩১/০৫/২০২৩", "--"]
    assert by_code["[১.৩.১]"][7:9] == ["%", "৮"]
    assert by_code["[১.৩.১]"][12] == "৮৫%"
    assert by_code["[১.৪.২]"][12:17] == ["৩", "--", "২", "১", "--"]


def test_export_to_unknown_extension_is_refused_without_a_file(demo, tmp_path):
    """`export_plan --out x.ods` is refused and writes nothing."""
    with pytest.raises(CommandError):
        call_command("export_plan", office="mofa", year="2022-23", out=str(tmp_path / "x.ods"))
    assert list(tmp_path.iterdir()) == []


def test_xlsx_round_trip_keeps_a_title_starting_with_equals_sign(db, tmp_path):
    """A title such as '=' … survives export to XLSX and import back (text, not a formula)."""
    headers, rows = small({0: {"indicator_title": "=১০০% সেবা অনলাইনে"}})
    office, fiscal_year = new_office_and_year("origin")
    plan = plan_import(office=office, fiscal_year=fiscal_year, sheet=sheet_of(headers, rows)).plan
    path = tmp_path / "plan.xlsx"
    write_sheet(path, *plan_sheet_rows(plan))
    copy_office = OfficeFactory(code="copy")
    copy = plan_import(office=copy_office, fiscal_year=fiscal_year, sheet=read_sheet(path)).plan
    assert copy.indicators.get(code="1.1.1").title == "=১০০% সেবা অনলাইনে"


def _plan_with_formula_like_titles() -> ActionPlan:
    """The SMALL plan with titles a spreadsheet would take for formulas (OWASP "CSV Injection")."""
    headers, rows = small(
        {
            0: {"indicator_title": "=1+1"},
            1: {"indicator_title": "'=already quoted"},
            2: {"area_title": "-ভালো", "activity_title": "+abc", "indicator_title": "@SUM(A1)"},
        }
    )
    office, fiscal_year = new_office_and_year("origin")
    # Built as the reader hands it over, so the titles arrive exactly as written here.
    sheet = Sheet(headers=headers, rows=list(enumerate(rows, start=2)))
    return plan_import(office=office, fiscal_year=fiscal_year, sheet=sheet).plan


def test_export_plan_csv_quotes_formula_like_titles_and_imports_them_back(db, tmp_path):
    """`export_plan` to CSV writes titles beginning with = + - @ after a single quote, so a spreadsheet shows
    them as text; blank levels stay ``--``; `import_plan` takes the quote off and the copy equals the plan."""
    plan = _plan_with_formula_like_titles()
    out = tmp_path / "plan.csv"
    call_command("export_plan", office="origin", year="2022-23", out=str(out), stdout=io.StringIO())
    rows = {row[5]: row for row in csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig")))}
    assert rows["[১.১.১]"][6] == "'=1+1"
    assert rows["[১.১.২]"][6] == "''=already quoted"
    assert rows["[১.১.২]"][14:17] == ["--", "--", "--"]
    assert [rows["[২.১.১]"][column] for column in (1, 4, 6)] == ["'-ভালো", "'+abc", "'@SUM(A1)"]

    OfficeFactory(code="copy")
    call_command("import_plan", str(out), office="copy", year="2022-23", stdout=io.StringIO())
    assert plan_structure(ActionPlan.objects.get(office__code="copy")) == plan_structure(plan)


def test_export_plan_xlsx_stores_formula_like_titles_as_text(db, tmp_path):
    """`export_plan` to XLSX holds those titles as string cells, unchanged, and they import back the same."""
    plan = _plan_with_formula_like_titles()
    out = tmp_path / "plan.xlsx"
    call_command("export_plan", office="origin", year="2022-23", out=str(out), stdout=io.StringIO())
    sheet = load_workbook(out).active
    titles = [(cell.data_type, cell.value) for cell in sheet["G"][1:]]
    assert titles == [("s", "=1+1"), ("s", "'=already quoted"), ("s", "@SUM(A1)")]
    assert [(cell.data_type, cell.value) for cell in (sheet["B4"], sheet["E4"])] == [
        ("s", "-ভালো"),
        ("s", "+abc"),
    ]

    OfficeFactory(code="copy")
    call_command("import_plan", str(out), office="copy", year="2022-23", stdout=io.StringIO())
    assert plan_structure(ActionPlan.objects.get(office__code="copy")) == plan_structure(plan)


def test_csv_round_trip_keeps_a_title_in_single_quotes(db, tmp_path):
    """A title typed as 'ডিজিটাল সেন্টার' (in single quotes) keeps its quotes through export and import."""
    headers, rows = small({0: {"indicator_title": "'ডিজিটাল সেন্টার'"}})
    office, fiscal_year = new_office_and_year("origin")
    plan = plan_import(office=office, fiscal_year=fiscal_year, sheet=sheet_of(headers, rows)).plan
    assert plan.indicators.get(code="1.1.1").title == "'ডিজিটাল সেন্টার'"
    path = tmp_path / "plan.csv"
    write_sheet(path, *plan_sheet_rows(plan))
    copy = plan_import(
        office=OfficeFactory(code="copy"), fiscal_year=fiscal_year, sheet=read_sheet(path)
    ).plan
    assert copy.indicators.get(code="1.1.1").title == "'ডিজিটাল সেন্টার'"


# --- Hypothesis: random valid plans round-trip -------------------------------------------------------

TITLE_ALPHABET = "';=+@কখগঘচছজঝটঠডঢতথদধনপফবভমযরলশসহড়য়ািীুূেৈোৌংঃ্ ABCdefxyz0123456789১২৩৪৫,./()%\"-:"
_titles = st.text(TITLE_ALPHABET, min_size=1, max_size=24).map(lambda t: " ".join(t.split())).filter(bool)
_office_numbers = itertools.count()


@st.composite
def _targets(draw, unit: str, direction: str):
    keep = [True] + [draw(st.booleans()) for _ in range(4)]
    if unit == "date":
        days = sorted(draw(st.lists(st.integers(0, 364), min_size=5, max_size=5)))
        values = [datetime.date(2022, 7, 1) + datetime.timedelta(days=d) for d in days]
    else:
        numbers = draw(
            st.lists(st.decimals(0, 100000, places=draw(st.integers(0, 4))), min_size=5, max_size=5)
        )
        values = sorted(numbers, reverse=direction == "higher")
    return [value if kept else None for value, kept in zip(values, keep, strict=True)]


@st.composite
def _plan_specs(draw):
    areas = []
    for area_number in range(1, draw(st.integers(1, 3)) + 1):
        activities = []
        for activity_number in range(1, draw(st.integers(1, 2)) + 1):
            indicators = []
            for indicator_number in range(1, draw(st.integers(1, 3)) + 1):
                unit = draw(st.sampled_from(["date", "percent", "number"]))
                direction = "higher" if unit == "date" else draw(st.sampled_from(["higher", "lower"]))
                calc = "date" if unit == "date" else draw(st.sampled_from(["sum", "average", "cumulative"]))
                methods = ["interpolate", "threshold", "step"] + ([] if unit == "date" else ["proportional"])
                indicators.append(
                    {
                        "code": f"{area_number}.{activity_number}.{indicator_number}",
                        "title": draw(_titles),
                        "unit": unit,
                        "weight": draw(st.decimals(Decimal("0.01"), 50, places=2)),
                        "calc_method": calc,
                        "scoring_method": draw(st.sampled_from(methods)),
                        "direction": direction,
                        "targets": draw(_targets(unit, direction)),
                    }
                )
            activities.append(
                {"code": f"{area_number}.{activity_number}", "title": draw(_titles), "indicators": indicators}
            )
        areas.append({"code": str(area_number), "title": draw(_titles), "activities": activities})
    return areas


def _spec_rows(spec) -> list[list[str]]:
    rows = []
    for area in spec:
        marks = sum(i["weight"] for a in area["activities"] for i in a["indicators"])
        for activity in area["activities"]:
            for indicator in activity["indicators"]:
                targets = [
                    "--"
                    if value is None
                    else value.strftime("%d/%m/%Y")
                    if isinstance(value, datetime.date)
                    else f"{value}"
                    for value in indicator["targets"]
                ]
                rows.append(
                    [
                        area["code"],
                        area["title"],
                        str(marks),
                        activity["code"],
                        activity["title"],
                        indicator["code"],
                        indicator["title"],
                        indicator["unit"],
                        str(indicator["weight"]),
                        indicator["calc_method"],
                        indicator["scoring_method"],
                        indicator["direction"],
                        *targets,
                    ]
                )
    return rows


@hypothesis_settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=_plan_specs(), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_random_valid_plans_round_trip_through_export_and_import(db, tmp_path, spec, suffix):
    """Any valid plan sheet imports as written, exports, and imports again into the same structure."""
    number = next(_office_numbers)
    fiscal_year = FiscalYearFactory(start_year=2022)
    source = tmp_path / f"source{number}{suffix}"
    write_sheet(source, PLAN_FIELDS, _spec_rows(spec))
    first = plan_import(
        office=OfficeFactory(code=f"hyp{number}a"), fiscal_year=fiscal_year, sheet=read_sheet(source)
    ).plan
    indicators = {i.code: i for i in first.indicators.all()}
    for area in spec:
        for activity in area["activities"]:
            for wanted in activity["indicators"]:
                got = indicators[wanted["code"]]
                assert (
                    got.title,
                    got.unit,
                    got.weight,
                    got.calc_method,
                    got.scoring_method,
                    got.direction,
                ) == (
                    # Import stores text in Unicode NFC (a typed ে + া is ো), by design.
                    unicodedata.normalize("NFC", wanted["title"]),
                    wanted["unit"],
                    wanted["weight"],
                    wanted["calc_method"],
                    wanted["scoring_method"],
                    wanted["direction"],
                )
                assert [got.target(level) for level in (100, 90, 80, 70, 60)] == wanted["targets"]
    exported = tmp_path / f"export{number}{suffix}"
    write_sheet(exported, *plan_sheet_rows(first))
    second = plan_import(
        office=OfficeFactory(code=f"hyp{number}b"), fiscal_year=fiscal_year, sheet=read_sheet(exported)
    ).plan
    assert plan_structure(second) == plan_structure(first)
    if suffix == ".csv":
        again = tmp_path / f"again{number}.csv"
        write_sheet(again, *plan_sheet_rows(second))
        assert again.read_bytes() == exported.read_bytes()


def test_import_plan_command_refuses_a_broken_workbook(db, tmp_path):
    """`import_plan` on a truncated .xlsx is a CommandError naming XLSX; no plan is created."""
    call_command("import_offices", str(DEMO_DIR / "offices.csv"), stdout=io.StringIO())
    good = tmp_path / "good.xlsx"
    write_sheet(good, *small())
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(good.read_bytes()[:300])
    with pytest.raises(CommandError) as caught:
        call_command("import_plan", str(broken), office="mofa", year="2022-23", stdout=io.StringIO())
    assert "XLSX" in str(caught.value)
    assert ActionPlan.objects.count() == 0


def test_date_target_outside_the_fiscal_year_is_a_warning_not_an_error(db, tmp_path):
    """DESIGN §3.5: a date target after 30/06/2023 imports, with a warning naming its row and column."""
    call_command("import_offices", str(DEMO_DIR / "offices.csv"), stdout=io.StringIO())
    headers, rows = small({1: {"target_90": "15/07/2023"}})
    _out, err = run_import_command(tmp_path, headers, rows)
    plan = ActionPlan.objects.get(office__code="mofa")
    assert plan.indicators.get(code="1.1.2").target_90_date == datetime.date(2023, 7, 15)
    assert "সতর্কতা" in err and "warning" in err
    assert "row 3, column 'target_90', value '15/07/2023'" in err
    result = plan_import(
        office=OfficeFactory(code="other"), fiscal_year=plan.fiscal_year, sheet=sheet_of(headers, rows)
    )
    assert [(w.row, w.column) for w in result.warnings] == [(3, "target_90")]


@pytest.mark.parametrize(
    ("office", "year", "words"),
    [("nowhere", "2022-23", "nowhere"), ("mofa", "2022-24", "অর্থবছর"), ("mofa", "last year", "অর্থবছর")],
)
def test_import_plan_unknown_office_or_bad_year_is_a_command_error(db, tmp_path, office, year, words):
    """An unknown office code or a malformed fiscal year is refused in Bangla; no plan is created."""
    call_command("import_offices", str(DEMO_DIR / "offices.csv"), stdout=io.StringIO())
    with pytest.raises(CommandError) as caught:
        run_import_command(tmp_path, *small(), office=office, year=year)
    assert words in str(caught.value)
    assert ActionPlan.objects.count() == 0
    assert FiscalYear.objects.count() == 0


def test_replace_without_an_existing_plan_creates_it(db, tmp_path):
    """--replace on an office without a plan for the year simply creates the plan."""
    call_command("import_offices", str(DEMO_DIR / "offices.csv"), stdout=io.StringIO())
    out, _err = run_import_command(tmp_path, *small(), replace=True)
    assert ActionPlan.objects.get(office__code="mofa").indicators.count() == 3
    assert "3 indicators" in out


@pytest.mark.parametrize(
    ("written", "kind", "warned"),
    [
        ("সংখ্যা", Unit.NUMBER, False),
        ("জনঘন্টা", Unit.NUMBER, False),
        ("কোটি টাকা", Unit.NUMBER, False),
        ("সংখ্যা (হাজার)", Unit.NUMBER, False),
        ("শতকরা হার (%)", Unit.PERCENT, False),
        ("কেজি", Unit.NUMBER, True),
    ],
)
def test_unit_as_the_plan_writes_it_is_kept_and_an_unknown_one_warned(db, written, kind, warned):
    """DESIGN §7: the unit is kept as written (printed in the report) with its kind; a label that names none of
    the kinds imports as a number, with a warning naming its row."""
    headers, rows = small({0: {"unit": written}})
    office, fiscal_year = new_office_and_year()
    result = plan_import(office=office, fiscal_year=fiscal_year, sheet=sheet_of(headers, rows))
    indicator = result.plan.indicators.get(code="1.1.1")
    assert (indicator.unit, indicator.unit_label, indicator.unit_text) == (kind, written, written)
    assert ((2, "unit") in {(w.row, w.column) for w in result.warnings}) is warned


def test_missing_calculation_method_is_taken_from_the_unit_with_a_warning(db):
    """The Cabinet Division's table has no method column: a number sums, a percent averages, a date takes the
    earliest; the import says which it took (no warning for a date: it has only one method)."""
    headers, rows = small({0: {"calc_method": ""}, 1: {"calc_method": ""}})
    office, fiscal_year = new_office_and_year()
    result = plan_import(office=office, fiscal_year=fiscal_year, sheet=sheet_of(headers, rows))
    methods = dict(result.plan.indicators.values_list("code", "calc_method"))
    assert methods["1.1.1"] == CalcMethod.SUM
    assert methods["1.1.2"] == CalcMethod.DATE
    assert [(w.row, w.column) for w in result.warnings] == [(2, "calc_method")]


def test_unit_longer_than_its_column_is_a_listed_problem(db):
    """A unit label longer than the 64 characters kept for it is reported with its row, not a crash."""
    failure = import_failure(sheet_of(*small({0: {"unit": "সংখ্যা " * 20}})))
    assert find_problem(failure, row=2, column="unit")
