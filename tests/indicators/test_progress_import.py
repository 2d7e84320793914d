"""Progress sheets (`progress_import`, `import_progress`): DESIGN.md §7 and §8."""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from indicators.models import ActionPlan, FiscalYear, Indicator, Office, Progress
from indicators.problems import ImportFailed, ImportProblem
from indicators.services.progress import progress_import
from indicators.sheets import Sheet, read_sheet_bytes
from tests.factories import UserFactory

HEADERS = ["সূচক নং", "ত্রৈমাসিক", "অর্জন", "মন্তব্য", "প্রযোজ্যতা"]
BANGLA = re.compile("[\u0980-\u09ff]")
ENGLISH = re.compile("[A-Za-z]{3,}")


def sheet_of(rows: list[list[str]], headers: list[str] = HEADERS) -> Sheet:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([headers, *rows])
    return read_sheet_bytes(buffer.getvalue().encode("utf-8"), name="progress.csv")


def progress_of(plan: ActionPlan, code: str) -> dict[int, tuple]:
    """The quarters that hold a value or a remark (a cleared quarter keeps an empty row for its version)."""
    return {
        p.quarter: (p.value, p.remark)
        for p in Progress.objects.filter(indicator__plan=plan, indicator__code=code)
        if p.value is not None or p.remark
    }


def db_dump() -> dict[str, list[dict]]:
    models = [Office, FiscalYear, ActionPlan, Indicator, Progress]
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


def failure_of(plan: ActionPlan, rows: list[list[str]], headers: list[str] = HEADERS) -> ImportFailed:
    before = db_dump()
    with pytest.raises(ImportFailed) as caught:
        progress_import(plan=plan, sheet=sheet_of(rows, headers))
    assert db_dump() == before
    return caught.value


def find_problem(failure: ImportFailed, *, row: int, column: str) -> ImportProblem:
    matches = [p for p in failure.problems if p.row == row and p.column == column]
    assert matches, f"no problem at row {row}, column {column!r}; got {failure.problems}"
    problem = matches[0]
    assert BANGLA.search(problem.message_bn) and ENGLISH.search(problem.message_en), problem
    return problem


# --- the demo progress -------------------------------------------------------------------------------


def test_demo_progress_dates_percents_numbers_and_remarks_land(demo):
    """The demo progress sheet: dates, percents, numbers and remarks in the right indicator and quarter."""
    assert progress_of(demo, "1.1.1") == {
        4: (datetime.date(2023, 5, 8), "পররাষ্ট্র মন্ত্রণালয়ের জন্য ডিজিটাল আর্কাইভ সিস্টেম চালু করা হয়েছে।")
    }
    assert progress_of(demo, "1.2.2")[4][0] == datetime.date(2023, 5, 20)
    assert progress_of(demo, "1.3.1") == {
        1: (Decimal(80), ""),
        2: (Decimal(82), ""),
        3: (Decimal(83), ""),
        4: (Decimal(83), "ই-নথি কার্যক্রমের বার্ষিক প্রতিবেদন অনুযায়ী।"),
    }
    assert {q: v for q, (v, _r) in progress_of(demo, "1.4.2").items()} == {2: 1, 3: 1, 4: 1}
    assert {q: v for q, (v, _r) in progress_of(demo, "2.2.2").items()} == {1: 10, 2: 25, 3: 40, 4: 50}
    assert progress_of(demo, "2.2.5")[3][1] == (
        'প্রবাসীদের ওয়ানস্টপ সেবা প্রদানের জন্য ডিজিটাল সেন্টার "প্রবাসী হেল্প ডেস্ক" পরিদর্শন।'
    )
    assert Progress.objects.filter(indicator__plan=demo).count() == 25


def test_demo_progress_uses_the_typed_value_columns(demo):
    """Date indicators store value_date only, percent/number indicators value_number only."""
    date_row = Progress.objects.get(indicator__plan=demo, indicator__code="1.2.2", quarter=4)
    percent_row = Progress.objects.get(indicator__plan=demo, indicator__code="1.3.1", quarter=2)
    assert (date_row.value_date, date_row.value_number) == (datetime.date(2023, 5, 20), None)
    assert (percent_row.value_date, percent_row.value_number) == (None, Decimal(82))


def test_demo_not_applicable_indicator_has_its_reason_and_no_progress(demo):
    """[২.২.৪] is marked প্রযোজ্য নয় with its reason from the remark, and has no progress rows."""
    indicator = demo.indicators.get(code="2.2.4")
    assert indicator.applicable is False
    assert indicator.not_applicable_reason == "আওতাধীন কোনো দপ্তর/সংস্থা নেই।"
    assert progress_of(demo, "2.2.4") == {}
    assert demo.indicators.filter(applicable=False).count() == 1


# --- quarters ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "quarter"),
    [("1", 1), ("Q1", 1), ("১", 1), ("q২", 2), ("Q3", 3), ("৪", 4), ("৩য়", 3), ("Quarter 2", 2)],
)
def test_quarter_forms_are_understood(demo, raw, quarter):
    """Quarters may be written 1, Q1, ১, q২, ৩য়, 'Quarter 2': all land in the same quarter."""
    progress_import(plan=demo, sheet=sheet_of([["1.4.2", raw, "7", "", ""]]))
    assert progress_of(demo, "1.4.2")[quarter] == (Decimal(7), "")


@pytest.mark.parametrize("raw", ["5", "0", "Q5", "৫", "-1", "", "প্রথমার্ধ"])
def test_quarter_outside_one_to_four_is_refused(demo, raw):
    """A quarter that is not 1–4 is reported at its row in the quarter column; nothing is written."""
    failure = failure_of(demo, [["[১.৪.২]", "1", "1", "", ""], ["[১.৪.২]", raw, "1", "", ""]])
    problem = find_problem(failure, row=3, column="ত্রৈমাসিক")
    assert problem.value == raw


# --- refusals ----------------------------------------------------------------------------------------


def test_unknown_indicator_is_refused(demo):
    """A code the plan does not have is refused with its row, column and the code as typed."""
    failure = failure_of(demo, [["[৯.৯.৯]", "1", "1", "", ""]])
    problem = find_problem(failure, row=2, column="সূচক নং")
    assert problem.value == "[৯.৯.৯]"
    assert "9.9.9" in problem.message_en


@pytest.mark.parametrize(
    ("code", "value"),
    [
        ("[১.৩.১]", "১০/০৫/২০২৩"),  # a date for a percent indicator
        ("[১.৩.১]", "ভালো"),  # text for a percent indicator
        ("[১.৪.২]", "৩%"),  # a percent for a number indicator
        ("[১.৪.২]", "three"),
        ("[১.২.২]", "৫"),  # a number for a date indicator
        ("[১.২.২]", "৩১/০২/২০২৩"),  # an impossible date
        ("[২.২.২]", "-১০%"),  # negative
    ],
)
def test_value_of_the_wrong_type_for_the_unit_is_refused(demo, code, value):
    """A value that does not fit the indicator's unit is reported at its row in the value column."""
    failure = failure_of(demo, [[code, "2", value, "", ""]])
    assert find_problem(failure, row=2, column="অর্জন").value == value


def test_duplicate_indicator_and_quarter_is_refused(demo):
    """The same indicator and quarter twice (even written differently) is refused at the second row."""
    failure = failure_of(demo, [["[১.৩.১]", "১", "৯০%", "", ""], ["1.3.1", "Q1", "91", "", ""]])
    problem = find_problem(failure, row=3, column="ত্রৈমাসিক")
    assert problem.value == "Q1"
    assert "2" in problem.message_en


def test_not_applicable_without_a_reason_is_refused(demo):
    """Marking an indicator প্রযোজ্য নয় needs the reason in the remark column."""
    failure = failure_of(demo, [["[১.৪.২]", "", "", "", "প্রযোজ্য নয়"]])
    find_problem(failure, row=2, column="মন্তব্য")
    assert demo.indicators.get(code="1.4.2").applicable is True


def test_not_applicable_with_a_value_is_refused(demo):
    """A not-applicable indicator cannot have an achievement, in the same row or another row."""
    failure = failure_of(
        demo,
        [
            ["[১.৪.২]", "1", "2", "কারণ", "n/a"],
            ["[২.১.১]", "", "", "কারণ", "n/a"],
            ["[২.১.১]", "2", "1", "", ""],
        ],
    )
    find_problem(failure, row=2, column="অর্জন")
    find_problem(failure, row=4, column="অর্জন")


def test_unknown_applicability_word_is_refused(demo):
    """Only প্রযোজ্য / প্রযোজ্য নয় / n/a (and synonyms) are understood in the applicability column."""
    failure = failure_of(demo, [["[১.৪.২]", "1", "1", "", "হয়তো"]])
    assert find_problem(failure, row=2, column="প্রযোজ্যতা").value == "হয়তো"


def test_several_problems_are_all_listed(demo):
    """Unknown code, bad quarter and bad value in three rows: three problems, in row order."""
    failure = failure_of(
        demo,
        [
            ["[১.৩.১]", "1", "৫০%", "", ""],
            ["[৯.৯.৯]", "1", "1", "", ""],
            ["[১.৩.১]", "৫", "৫০%", "", ""],
            ["[১.৩.১]", "2", "ভালো", "", ""],
        ],
    )
    assert [(p.row, p.column) for p in failure.problems] == [
        (3, "সূচক নং"),
        (4, "ত্রৈমাসিক"),
        (5, "অর্জন"),
    ]


def test_missing_indicator_column_is_refused(demo):
    """A progress sheet without the indicator column is refused on the header row."""
    failure = failure_of(demo, [["1", "5"]], headers=["quarter", "value"])
    assert failure.problems[0].row == 1
    assert "indicator_code" in failure.problems[0].message_en


def test_failed_import_writes_nothing_even_for_valid_rows(demo):
    """All-or-nothing: valid rows before and after a bad row are not written either."""
    before = db_dump()
    with pytest.raises(ImportFailed):
        progress_import(
            plan=demo,
            sheet=sheet_of(
                [
                    ["[১.৩.১]", "1", "৯৯%", "নতুন", ""],
                    ["[২.২.৪]", "", "", "", "প্রযোজ্য"],
                    ["[১.৩.১]", "2", "ভালো", "", ""],
                    ["[১.৪.২]", "1", "", "", ""],
                ]
            ),
        )
    assert db_dump() == before


def test_value_too_large_for_the_database_is_reported_as_an_import_problem(demo):
    """A number the value column cannot hold (13 integer digits) is a listed problem, not a crash."""
    before = db_dump()
    with pytest.raises(ImportFailed) as caught:
        progress_import(plan=demo, sheet=sheet_of([["[১.৪.২]", "1", "1234567890123", "", ""]]))
    assert find_problem(caught.value, row=2, column="অর্জন").value == "1234567890123"
    assert db_dump() == before


# --- updates -----------------------------------------------------------------------------------------


def test_later_import_updates_listed_quarters_and_leaves_the_others(demo):
    """Re-importing Q1 of [১.৩.১] changes only that value; its other quarters and other indicators stay."""
    others_before = list(Progress.objects.exclude(indicator__code="1.3.1", quarter=1).order_by("pk").values())
    user = UserFactory()
    result = progress_import(plan=demo, sheet=sheet_of([["[১.৩.১]", "Q1", "৯০%", "সংশোধিত", ""]]), user=user)
    assert (result.saved, result.cleared) == (1, 0)
    row = Progress.objects.get(indicator__plan=demo, indicator__code="1.3.1", quarter=1)
    assert (row.value, row.remark, row.recorded_by) == (Decimal(90), "সংশোধিত", user)
    assert (
        list(Progress.objects.exclude(indicator__code="1.3.1", quarter=1).order_by("pk").values())
        == others_before
    )
    assert demo.indicators.get(code="2.2.4").applicable is False


def test_new_quarter_is_added_beside_existing_ones(demo):
    """A quarter not yet reported is created; the existing quarters keep their rows."""
    pks = set(Progress.objects.filter(indicator__code="1.4.2").values_list("pk", flat=True))
    progress_import(plan=demo, sheet=sheet_of([["১.৪.২", "১", "২", "", ""]]))
    assert progress_of(demo, "1.4.2")[1] == (Decimal(2), "")
    assert pks <= set(Progress.objects.filter(indicator__code="1.4.2").values_list("pk", flat=True))


def test_listed_quarter_without_value_or_remark_is_cleared(demo):
    """A row with a quarter but neither value nor remark deletes that quarter's progress."""
    result = progress_import(plan=demo, sheet=sheet_of([["[১.৩.১]", "২", "", "", ""]]))
    assert result.cleared == 1
    assert sorted(progress_of(demo, "1.3.1")) == [1, 3, 4]


def test_remark_without_value_keeps_a_row_without_value(demo):
    """A quarter with only a remark is kept as a remark with no achievement."""
    progress_import(plan=demo, sheet=sheet_of([["[১.৩.১]", "২", "--", "তথ্য আসেনি", ""]]))
    assert progress_of(demo, "1.3.1")[2] == (None, "তথ্য আসেনি")


def test_sheet_without_a_value_column_updates_remarks_and_keeps_values(demo):
    """A remarks-only sheet (no value column) sets the remark of [১.৩.১] Q2 and keeps its value 82 %."""
    progress_import(
        plan=demo,
        sheet=sheet_of([["1.3.1", "2", "নতুন মন্তব্য"]], headers=["indicator_code", "quarter", "remark"]),
    )
    assert progress_of(demo, "1.3.1")[2] == (Decimal(82), "নতুন মন্তব্য")


def test_indicator_can_be_made_applicable_again(demo):
    """`প্রযোজ্য` in the applicability column makes [২.২.৪] applicable again and clears the reason."""
    progress_import(plan=demo, sheet=sheet_of([["[২.২.৪]", "", "", "", "প্রযোজ্য"]]))
    indicator = demo.indicators.get(code="2.2.4")
    assert (indicator.applicable, indicator.not_applicable_reason) == (True, "")


def test_english_headers_and_n_a_mark_an_indicator_not_applicable(demo):
    """English headers work; `n/a` with a remark marks the indicator not applicable with that reason (its
    achievements cleared in the same sheet, since not applicable and achievements exclude each other)."""
    result = progress_import(
        plan=demo,
        sheet=sheet_of(
            [
                ["1.4.2", "2", "", "", ""],
                ["1.4.2", "3", "", "", ""],
                ["1.4.2", "4", "", "", ""],
                ["1.4.2", "", "", "No workshop this year", "n/a"],
            ],
            headers=["indicator_code", "quarter", "value", "remark", "applicability"],
        ),
    )
    assert result.not_applicable == 1
    indicator = demo.indicators.get(code="1.4.2")
    assert (indicator.applicable, indicator.not_applicable_reason) == (False, "No workshop this year")


def test_import_progress_command_reports_counts_and_refuses_with_problems(demo, tmp_path):
    """`import_progress` prints the counts; a bad sheet raises CommandError with each problem on stderr."""
    good = tmp_path / "good.csv"
    good.write_text("সূচক নং,ত্রৈমাসিক,অর্জন\n[১.৪.২],১,২\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_progress", str(good), office="mofa", year="2022-23", stdout=out)
    assert "1 saved" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text("সূচক নং,ত্রৈমাসিক,অর্জন\n[১.৪.২],৫,২\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_progress", str(bad), office="mofa", year="2022-23", stderr=err, stdout=io.StringIO()
        )
    assert "সারি ২, কলাম 'ত্রৈমাসিক', মান '৫'" in err.getvalue()
    assert "row 2, column 'ত্রৈমাসিক', value '৫'" in err.getvalue()


def test_import_progress_for_an_office_without_a_plan_is_refused(demo, tmp_path):
    """No plan for the office and year: CommandError with a Bangla message."""
    path = tmp_path / "p.csv"
    path.write_text("সূচক নং,ত্রৈমাসিক,অর্জন\n[১.৪.২],১,২\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("import_progress", str(path), office="msw", year="2022-23")
    assert "কর্মপরিকল্পনা নেই" in str(caught.value)


def test_not_applicable_is_refused_while_the_indicator_keeps_achievements(demo):
    """`n/a` for an indicator whose achievements stay is refused, naming the quarters; nothing changes."""
    with pytest.raises(ImportFailed) as failure:
        progress_import(plan=demo, sheet=sheet_of([["[১.৪.২]", "", "", "কর্মশালা হয়নি", "প্রযোজ্য নয়"]]))
    assert "২, ৩, ৪" in failure.value.problems[0].message_bn
    assert demo.indicators.get(code="1.4.2").applicable
