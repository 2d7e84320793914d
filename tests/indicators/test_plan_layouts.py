"""Plans as the offices keep them (issue 13, DESIGN.md §7): the Cabinet Division's table in XLSX (merged cells,
two header rows, column numbers, codes in the title cells, extra columns), CSV and Word, with Bangla and ASCII
digits, letter-prefixed codes and units with a scale; the warnings for a single target and for targets in order
only if lower is better; and the real defects still refused.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from indicators import scoring
from indicators.models import ActionPlan, FiscalYear, Indicator
from indicators.plan_layouts import LAYOUT_CABINET, LAYOUT_OWN, plan_layout_read, split_code
from indicators.plan_preview import plan_preview, plan_preview_lines
from indicators.plan_sheet import plan_sheet_parse
from indicators.problems import ImportFailed
from indicators.sheets import read_sheet_bytes
from indicators.uploads import SheetUnreadable, check_sheet_bytes
from tests.factories import OfficeFactory
from tests.plan_documents import cabinet_csv, cabinet_docx, cabinet_xlsx, own_csv, plan_rows

DOCUMENTS = {
    "xlsx-bangla": ("plan.xlsx", lambda: cabinet_xlsx(bangla=True)),
    "xlsx-ascii": ("plan.xlsx", lambda: cabinet_xlsx(bangla=False)),
    "csv-bangla": ("plan.csv", lambda: cabinet_csv(bangla=True)),
    "csv-ascii": ("plan.csv", lambda: cabinet_csv(bangla=False)),
    "docx-bangla": ("plan.docx", lambda: cabinet_docx(bangla=True)),
    "docx-ascii": ("plan.docx", lambda: cabinet_docx(bangla=False)),
}
EXPECTED = [
    # code, unit label, kind, weight, calc method, direction, t100
    ("1.1.1", "তারিখ", "date", "10", "date", "higher", datetime.date(2022, 3, 16)),
    ("1.1.2", "%", "percent", "10", "average", "higher", Decimal(80)),
    ("1.2.1", "জনঘন্টা", "number", "10", "sum", "higher", Decimal(40)),
    ("এম.2.1.1", "কোটি টাকা", "number", "5", "sum", "higher", Decimal("2.5")),
    ("এম.2.1.2", "হাজার কোটি টাকা", "number", "5", "sum", "higher", Decimal("1.2")),
    ("এম.2.2.1", "সংখ্যা (হাজার)", "number", "5", "sum", "higher", Decimal(50)),
    ("এম.2.2.2", "সংখ্যা", "number", "5", "sum", "lower", Decimal(3)),
]


def parse(name: str, data: bytes, year: FiscalYear | None = None):
    return plan_sheet_parse(read_sheet_bytes(data, name=name), fiscal_year=year)


@pytest.mark.parametrize("case", list(DOCUMENTS))
def test_cabinet_table_is_read_as_written_in_every_format(db, case):
    """XLSX with merged cells, CSV with the merged cells blank below, Word in two tables: each reads into the
    same plan — codes from the title cells (a letter prefix kept), the unit labels as written with their kind,
    the method taken from the unit, the targets under ``লক্ষ্যমাত্রা ২০২১-২২``."""
    name, make = DOCUMENTS[case]
    parsed = parse(name, make())
    assert parsed.layout == LAYOUT_CABINET
    assert [(a.code, a.marks) for a in parsed.areas] == [("1", Decimal(30)), ("এম.2", Decimal(20))]
    assert [a.code for a in parsed.activities] == ["1.1", "1.2", "এম.2.1", "এম.2.2"]
    got = [
        (
            i.code,
            i.unit_label,
            i.unit.value,
            str(i.weight),
            i.calc_method.value,
            i.direction.value,
            i.targets[100],
        )
        for i in parsed.indicators
    ]
    assert got == EXPECTED
    assert parsed.indicators[0].title == "উদ্ভাবনী ধারণা বাস্তবায়িত"
    assert parsed.areas[1].title == "প্রাতিষ্ঠানিক দক্ষতা বৃদ্ধি"
    assert all(i.calc_from_unit for i in parsed.indicators)
    assert parsed.indicators[2].targets[90] is None  # "--"


def test_extra_columns_and_the_column_numbers_are_ignored_with_a_notice(db):
    """ক্রম, last year's figures and the responsible branch are named in a notice with their column letters;
    the row of column numbers (row 5) is skipped and said; the rows keep the file's numbers (6 to 12)."""
    parsed = parse("plan.xlsx", cabinet_xlsx())
    notices = " ".join(n.message_bn for n in parsed.notices)
    assert "'ক্রম' (A)" in notices and "'প্রকৃত অর্জন ২০২০-২১' (H)" in notices
    assert "'দায়িত্বপ্রাপ্ত শাখা' (N)" in notices
    assert any(n.row == 5 and "ক্রমিক নম্বরের সারি" in n.message_bn for n in parsed.notices)
    assert [i.row for i in parsed.indicators] == [6, 7, 8, 9, 10, 11, 12]


def test_csv_blank_cells_under_an_area_are_read_from_the_row_above_and_said(db):
    """A CSV has no merged cells: the area, marks and activity written once are read down, and the notice
    lists the rows that took them."""
    parsed = parse("plan.csv", cabinet_csv())
    filled = next(n for n in parsed.notices if "উপরের সারি" in n.message_bn)
    assert "৭, ৮, ১০, ১১, ১২" in filled.message_bn and "7, 8, 10, 11, 12" in filled.message_en


def test_word_table_repeated_on_the_next_page_is_skipped_with_its_rows_said(db):
    """The second Word table repeats the two header rows and the column numbers (rows 7–9 of the document's
    table rows): skipped, and listed."""
    parsed = parse("plan.docx", cabinet_docx())
    skipped = next(n for n in parsed.notices if "বাদ দেওয়া" in n.message_bn and n.row == 7)
    assert "৭, ৮, ৯" in skipped.message_bn
    assert [i.row for i in parsed.indicators] == [4, 5, 6, 10, 11, 12, 13]


def test_single_target_warning_says_what_a_shortfall_scores_and_offers_proportional(db):
    """[১.২.১] has only its 100% target (40 জনঘন্টা): a warning at its row says 30 scores 0% now and 75% with
    proportional scoring; the two figures are the scoring service's."""
    parsed = parse("plan.xlsx", cabinet_xlsx())
    warning = next(w for w in parsed.warnings if "শুধু অসাধারণ" in w.message_bn)
    assert warning.row == 8
    assert "৩০ হলে ০%" in warning.message_bn and "৩০ হলে ৭৫%" in warning.message_bn
    assert "আনুপাতিক" in warning.message_bn and "proportional" in warning.message_en
    targets = scoring.Targets(t100=Decimal(40))
    assert scoring.raw_score(unit=scoring.Unit.NUMBER, targets=targets, achievement=Decimal(30)) == 0
    assert (
        scoring.raw_score(
            unit=scoring.Unit.NUMBER,
            targets=targets,
            achievement=Decimal(30),
            scoring_method=scoring.ScoringMethod.PROPORTIONAL,
        )
        == 75
    )


ROW = ["1", "ক্ষেত্র", "10", "1.1", "কার্যক্রম", "1.1.1", "প্রশিক্ষণ", "সংখ্যা", "10", "সমষ্টি"]


@pytest.mark.parametrize(
    ("scoring_cell", "warned"),
    [("", True), ("রৈখিক", True), ("ধাপভিত্তিক", True), ("আনুপাতিক", False), ("threshold", False)],
)
def test_single_target_warning_only_where_a_shortfall_would_score_zero(db, scoring_cell, warned):
    """Proportional already scores a shortfall; threshold is all-or-nothing on purpose: no warning for them."""
    data = own_csv([[*ROW, scoring_cell, "", "4", "--", "", "", ""]])
    parsed = parse("plan.csv", data)
    assert parsed.layout == LAYOUT_OWN
    assert any("শুধু অসাধারণ" in w.message_bn for w in parsed.warnings) is warned


def test_rising_targets_without_a_direction_are_read_as_lower_is_better_with_a_warning(db):
    """Targets 3, 4, 5, 6, 7 (days) are out of order for higher-is-better and in order for lower-is-better: the
    indicator is read as lower, with a warning at its row suggesting the direction column — not four errors."""
    parsed = parse("plan.csv", own_csv([[*ROW, "", "", "3", "4", "5", "6", "7"]]))
    indicator = parsed.indicators[0]
    assert indicator.direction == scoring.Direction.LOWER and indicator.direction_from_targets
    [warning] = [w for w in parsed.warnings if w.column == "direction"]
    assert warning.row == 2 and "নিম্নমুখী" in warning.message_bn and "direction column" in warning.message_en
    assert "কম ভালো — লক্ষ্যমাত্রা থেকে" in plan_preview(parsed).rows[0].direction


def test_rising_targets_with_higher_written_stay_errors_with_the_hint(db):
    """A plan that says higher-is-better keeps its order errors, and is told about the direction column."""
    with pytest.raises(ImportFailed) as caught:
        parse("plan.csv", own_csv([[*ROW, "", "ঊর্ধ্বমুখী", "3", "4", "5", "6", "7"]]))
    messages = [p.message_bn for p in caught.value.problems]
    assert any("লক্ষ্যমাত্রার ক্রম ভুল" in m for m in messages)
    assert any("'নিম্নমুখী' লিখুন" in m for m in messages)
    assert all(p.row == 2 for p in caught.value.problems)


def test_a_typo_date_in_the_cabinet_table_is_refused_with_its_row(db):
    """The real plans' defect `07/02/202` is still an error: row 6 of the file, the target column named as the
    document names it; nothing else is read as a plan."""
    rows = plan_rows(bangla=False)
    rows[0][8] = "07/02/202"
    with pytest.raises(ImportFailed) as caught:
        parse("plan.xlsx", cabinet_xlsx(rows=rows))
    [problem] = caught.value.problems
    assert problem.row == 6 and problem.value == "07/02/202"
    assert problem.column == "লক্ষ্যমাত্রা ২০২১-২২ / অসাধারণ"
    assert "তারিখ" in problem.message_bn


def test_a_title_cell_without_a_code_is_an_error_naming_the_cell(db):
    rows = plan_rows()
    rows[1][4] = "ই-নথিতে নোট নিষ্পত্তি"
    with pytest.raises(ImportFailed) as caught:
        parse("plan.csv", cabinet_csv(rows=rows))
    problem = next(p for p in caught.value.problems if p.row == 7)
    assert problem.column == "কর্মসম্পাদন সূচক [নম্বর / code]"
    assert "ই-নথিতে নোট নিষ্পত্তি" in problem.value


def test_the_target_year_of_last_years_table_is_a_warning(db):
    """The table's header says লক্ষ্যমাত্রা ২০২১-২২; imported as 2022-23 it is probably last year's table."""
    year, _ = FiscalYear.objects.get_or_create(start_year=2022)
    rows = plan_rows()
    rows[0][8:13] = ["১৬/০৩/২০২৩", "২৩/০৩/২০২৩", "৩০/০৩/২০২৩", "০৬/০৪/২০২৩", "১৩/০৪/২০২৩"]
    parsed = parse("plan.csv", cabinet_csv(rows=rows), year)
    assert any("২০২১-২২" in w.message_bn and "2022-23" in w.message_en for w in parsed.warnings)
    same, _ = FiscalYear.objects.get_or_create(start_year=2021)
    assert not any(
        "২০২১-২২ অর্থবছরের" in w.message_bn for w in parse("plan.csv", cabinet_csv(), same).warnings
    )


@pytest.mark.parametrize(
    ("cell", "code", "title"),
    [
        ("[১.১.১] সেবা সহজিকরণ", "[১.১.১]", "সেবা সহজিকরণ"),
        ("[এম.১.১.১]\nই-নথি", "[এম.১.১.১]", "ই-নথি"),
        ("1.2 Training", "1.2", "Training"),
        ("M.1.1. Training", "M.1.1", "Training"),
        ("সেবা সহজিকরণ", "সেবা সহজিকরণ", "সেবা সহজিকরণ"),
    ],
)
def test_split_code_takes_the_code_from_the_start_of_a_title_cell(cell, code, title):
    assert split_code(cell) == (code, title)


def test_our_own_sheet_is_left_as_it_is(db):
    data = own_csv([[*ROW, "", "", "4", "3", "", "", ""]])
    sheet = plan_layout_read(read_sheet_bytes(data, name="plan.csv"))
    assert sheet.layout == LAYOUT_OWN and not sheet.notices


def test_word_document_passes_the_upload_check_and_a_macro_document_does_not():
    assert check_sheet_bytes(cabinet_docx(), name="plan.docx") == "docx"
    assert check_sheet_bytes(cabinet_docx()) == "docx"
    with pytest.raises(SheetUnreadable):
        check_sheet_bytes(cabinet_docx(), name="plan.xlsx")  # a Word file named as a workbook
    data = cabinet_docx()
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(b"document.main+xml", b"document.macroEnabled.main+xml")
            target.writestr(item, content)
    with pytest.raises(SheetUnreadable) as caught:
        check_sheet_bytes(buffer.getvalue(), name="plan.docm")
    assert "ম্যাক্রো" in caught.value.message_bn


# --- the command ------------------------------------------------------------------------------------------


def test_import_plan_prints_the_preview_then_writes_the_word_plan(db, tmp_path):
    """`import_plan plan.docx`: stdout has the layout, the notices and one line per indicator with its row and
    unit label; stderr every warning with its row; the plan is written with the labels and the inferred
    direction."""
    office = OfficeFactory(code="home")
    path = tmp_path / "plan.docx"
    path.write_bytes(cabinet_docx())
    out, err = io.StringIO(), io.StringIO()
    call_command("import_plan", str(path), office="home", year="2021-22", stdout=out, stderr=err)
    printed = out.getvalue()
    assert "মন্ত্রিপরিষদ বিভাগের ছক" in printed and "Word (DOCX)" in printed
    assert "সারি ১১ / row 11: [এম.২.১.২] রাজস্ব আদায় — একক হাজার কোটি টাকা (সংখ্যা)" in printed
    assert "'দায়িত্বপ্রাপ্ত শাখা' (N)" in printed
    assert "সতর্কতা / warning — সারি ৬" in err.getvalue() and "row 13, column 'দিক'" in err.getvalue()
    plan = ActionPlan.objects.get(office=office)
    stored = {i.code: (i.unit_label, i.direction) for i in plan.indicators.all()}
    assert stored["এম.2.2.1"] == ("সংখ্যা (হাজার)", "higher")
    assert stored["এম.2.2.2"][1] == "lower"
    assert Indicator.objects.get(plan=plan, code="1.2.1").unit_label == "জনঘন্টা"


def test_import_plan_refuses_the_typo_date_and_writes_nothing(db, tmp_path):
    OfficeFactory(code="home")
    rows = plan_rows()
    rows[0][8] = "০৭/০২/২০২"
    path = tmp_path / "plan.xlsx"
    path.write_bytes(cabinet_xlsx(rows=rows))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_plan", str(path), office="home", year="2021-22", stdout=io.StringIO(), stderr=err
        )
    assert "সারি ৬" in err.getvalue() and "row 6" in err.getvalue()
    assert not ActionPlan.objects.exists()


def test_preview_lines_carry_every_row_and_warning(db):
    parsed = parse("plan.csv", cabinet_csv(bangla=False))
    lines = plan_preview_lines(plan_preview(parsed))
    assert sum("/ row " in line for line in lines) == 7
    assert sum("সতর্কতা / warning" in line for line in lines) == len(parsed.warnings)


# --- invariants ---------------------------------------------------------------------------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from base.bangla import to_bangla_digits  # noqa: E402
from indicators.plan_sheet import _in_order_only_if_lower  # noqa: E402

_TITLE_WORDS = st.sampled_from(["সেবা", "ই-নথি", "প্রশিক্ষণ", "Training", "ওয়েবসাইট", "১০০%", "(দিন)"])


@given(
    prefix=st.sampled_from(["", "এম.", "M.", "ক."]),
    numbers=st.lists(st.integers(1, 99), min_size=1, max_size=5),
    bangla=st.booleans(),
    bracketed=st.booleans(),
    words=st.lists(_TITLE_WORDS, min_size=1, max_size=6),
)
def test_split_code_gives_back_the_code_and_the_title_as_written(prefix, numbers, bangla, bracketed, words):
    """Whatever the digits, prefix and depth, a title cell ``[code] title`` (or ``code title``) splits into the
    code as written and the title, and the parser reads the code back to its numbers."""
    from indicators import parsing

    code = prefix + ".".join(str(n) for n in numbers)
    code = to_bangla_digits(code) if bangla else code
    title = " ".join(words)
    written = f"[{code}]" if bracketed else code
    got_code, got_title = split_code(f"{written} {title}")
    assert (got_code, got_title) == (written, title)
    assert parsing.code_numbers(parsing.parse_code(got_code)) == tuple(numbers)


@given(st.lists(st.integers(0, 1000), min_size=2, max_size=5, unique=True))
def test_targets_are_read_as_lower_is_better_only_when_they_rise(values):
    """Distinct targets from 100% down to 60% that rise are in order only for lower-is-better; falling ones
    never are; a mix is neither (it stays an order error)."""
    targets = scoring.Targets(*[Decimal(v) for v in values])
    rising, falling = values == sorted(values), values == sorted(values, reverse=True)
    assert _in_order_only_if_lower(scoring.Unit.NUMBER, scoring.Direction.HIGHER, targets) is rising
    if falling:
        assert not _in_order_only_if_lower(scoring.Unit.NUMBER, scoring.Direction.HIGHER, targets)
    assert not _in_order_only_if_lower(scoring.Unit.NUMBER, scoring.Direction.LOWER, targets)


def test_a_semicolon_csv_with_a_title_line_is_read(db):
    """Excel writes ';' in some locales; the title line above the table has none, the table's lines decide."""
    text = cabinet_csv().decode("utf-8")
    import csv

    rows = list(csv.reader(io.StringIO(text)))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    parsed = parse("plan.csv", buffer.getvalue().encode("utf-8"))
    assert [i.code for i in parsed.indicators] == [code for code, *_ in EXPECTED]


def test_word_row_numbers_are_explained(db):
    parsed = parse("plan.docx", cabinet_docx())
    assert parsed.notices[0].row is None and "সারণির সারি" in parsed.notices[0].message_bn


def test_seed_000s_header_as_printed_is_read(db):
    """Seed 000 prints the 60% level in the first header row (merged down) beside the year over the other four,
    and a self-assessment column after the targets: the levels are found in either row, the rest ignored."""
    import csv

    header = ["ক্রম", "কর্মসম্পাদন ক্ষেত্র", "মান", "কার্যক্রম", "কর্মসম্পাদন সূচক", "একক",
              "কর্মসম্পাদন সূচকের মান", "লক্ষ্যমাত্রা ২০২২-২০২৩", "", "", "", "চলতি মানে নিম্নে",
              "ত্রৈমাসিক স্ব-মূল্যায়ন প্রতিবেদন"]  # fmt: skip
    levels = ["", "", "", "", "", "", "", "অসাধারণ", "অতি উত্তম", "উত্তম", "চলতি মান", "", ""]
    numbers = [to_bangla_digits(n) for n in range(1, 14)]
    row = ["১", "[১] ই-গভর্ন্যান্স", "৭", "[১.২] বাস্তবায়ন", "[১.২.২] কার্যক্রম বাস্তবায়িত", "তারিখ", "৭",
           "০৪/০৫/২০২৩", "১৫/০৫/২০২৩", "২৫/০৫/২০২৩", "৩১/০৫/২০২৩", "", "২০/০৫/২০২৩"]  # fmt: skip
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, levels, numbers, row])
    year, _ = FiscalYear.objects.get_or_create(start_year=2022)
    parsed = parse("seed.csv", buffer.getvalue().encode("utf-8"), year)
    [indicator] = parsed.indicators
    assert indicator.code == "1.2.2" and indicator.row == 4
    assert indicator.targets[100] == datetime.date(2023, 5, 4) and indicator.targets[60] is None
    assert "ত্রৈমাসিক স্ব-মূল্যায়ন প্রতিবেদন" in " ".join(n.message_bn for n in parsed.notices)
    assert not any("অর্থবছরের, কিন্তু" in w.message_bn for w in parsed.warnings)  # 2022-2023 is 2022-23
