"""Offices sheets (`offices_import`, `import_offices`): the office tree of DESIGN.md §1, §7."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from indicators.models import Office
from indicators.problems import ImportFailed, ImportProblem
from indicators.services.offices import offices_import
from indicators.sheets import Sheet, read_sheet, read_sheet_bytes
from tests.factories import DEMO_DIR

HEADERS = ["code", "name_bn", "name_en", "parent_code", "kind", "address_bn", "website"]
BANGLA = re.compile("[\u0980-\u09ff]")
ENGLISH = re.compile("[A-Za-z]{3,}")


def sheet_of(rows: list[list[str]], headers: list[str] = HEADERS) -> Sheet:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([headers, *rows])
    return read_sheet_bytes(buffer.getvalue().encode("utf-8"), name="offices.csv")


def offices_dump() -> list[dict]:
    return list(Office.objects.order_by("pk").values())


def tree() -> dict[str, str | None]:
    return dict(Office.objects.values_list("code", "parent__code"))


def failure_of(rows: list[list[str]], headers: list[str] = HEADERS) -> ImportFailed:
    before = offices_dump()
    with pytest.raises(ImportFailed) as caught:
        offices_import(sheet=sheet_of(rows, headers))
    assert offices_dump() == before
    return caught.value


def find_problem(failure: ImportFailed, *, row: int, column: str) -> ImportProblem:
    matches = [p for p in failure.problems if p.row == row and p.column == column]
    assert matches, f"no problem at row {row}, column {column!r}; got {failure.problems}"
    problem = matches[0]
    assert BANGLA.search(problem.message_bn) and ENGLISH.search(problem.message_en), problem
    return problem


def office(code: str, parent: str = "", kind: str = "ministry", **fields: str) -> list[str]:
    values = {"name_bn": f"দপ্তর {code}", "name_en": "", "address_bn": "", "website": "", **fields}
    return [code, values["name_bn"], values["name_en"], parent, kind, values["address_bn"], values["website"]]


@pytest.fixture
def demo_offices(db) -> None:
    offices_import(sheet=read_sheet(DEMO_DIR / "offices.csv"))


def test_demo_offices_create_the_tree(db):
    """The demo sheet creates five offices: the Cabinet Division at the root, BBS under SID."""
    result = offices_import(sheet=read_sheet(DEMO_DIR / "offices.csv"))
    assert (result.created, result.updated) == (5, 0)
    assert tree() == {"cabinet": None, "mofa": "cabinet", "sid": "cabinet", "bbs": "sid", "msw": "cabinet"}
    mofa = Office.objects.get(code="mofa")
    assert (mofa.name_bn, mofa.name_en, mofa.kind, mofa.website) == (
        "পররাষ্ট্র মন্ত্রণালয়",
        "Ministry of Foreign Affairs",
        "ministry",
        "https://mofa.gov.bd",
    )
    assert Office.objects.get(code="msw").address_bn == "বাংলাদেশ সচিবালয়, ঢাকা-১০০০"
    assert [o.code for o in Office.objects.get(code="bbs").ancestors()] == ["sid", "cabinet"]


def test_child_may_come_before_its_parent_in_the_sheet(db):
    """Parents are resolved after all rows are read, so order in the sheet does not matter."""
    offices_import(sheet=sheet_of([office("dept", parent="min", kind="department"), office("min")]))
    assert tree() == {"dept": "min", "min": None}


def test_reimport_updates_offices_by_code(demo_offices):
    """Re-importing updates names, kind, website and parent of existing codes, creating nothing new."""
    pks = dict(Office.objects.values_list("code", "pk"))
    result = offices_import(
        sheet=sheet_of(
            [
                office(
                    "bbs",
                    parent="cabinet",
                    kind="agency",
                    name_bn="পরিসংখ্যান ব্যুরো",
                    website="https://bbs.gov.bd/",
                ),
                office("sid", parent="cabinet", kind="division"),
            ]
        )
    )
    assert (result.created, result.updated) == (0, 2)
    bbs = Office.objects.get(code="bbs")
    assert (bbs.name_bn, bbs.kind, bbs.parent.code, bbs.website) == (
        "পরিসংখ্যান ব্যুরো",
        "agency",
        "cabinet",
        "https://bbs.gov.bd/",
    )
    assert dict(Office.objects.values_list("code", "pk")) == pks
    assert Office.objects.get(code="mofa").name_en == "Ministry of Foreign Affairs"  # not in the sheet


def test_reimport_without_optional_columns_leaves_those_fields_alone(demo_offices):
    """A sheet with only code, name_bn and kind renames BBS but keeps its parent, English name and website."""
    offices_import(
        sheet=sheet_of([["bbs", "বাংলাদেশ পরিসংখ্যান ব্যুরো (নতুন)", "department"]], ["code", "name_bn", "kind"])
    )
    bbs = Office.objects.get(code="bbs")
    assert bbs.name_bn == "বাংলাদেশ পরিসংখ্যান ব্যুরো (নতুন)"
    assert bbs.parent is not None and bbs.parent.code == "sid"
    assert (bbs.name_en, bbs.website) == ("Bangladesh Bureau of Statistics", "https://bbs.gov.bd")


def test_import_offices_is_idempotent(demo_offices):
    """Importing the same sheet twice changes nothing the second time (same rows, same values)."""
    before = offices_dump()
    result = offices_import(sheet=read_sheet(DEMO_DIR / "offices.csv"))
    assert (result.created, result.updated) == (0, 5)
    assert offices_dump() == before


def test_bangla_kind_label_and_bangla_headers_are_accepted(db):
    """The kind may be its Bangla label (মন্ত্রণালয়) and headers may be the Bangla ones."""
    headers = ["কোড", "নাম (বাংলা)", "নাম (ইংরেজি)", "ঊর্ধ্বতন কোড", "ধরন", "ঠিকানা", "ওয়েবসাইট"]
    offices_import(sheet=sheet_of([office("min", kind="মন্ত্রণালয়")], headers))
    assert Office.objects.get(code="min").kind == "ministry"


def test_unknown_parent_is_refused(demo_offices):
    """A parent code found neither in the sheet nor in the database is refused at its row."""
    failure = failure_of([office("new", parent="nowhere")])
    assert find_problem(failure, row=2, column="parent_code").value == "nowhere"


def test_cycle_within_the_sheet_is_refused(db):
    """a → b → a: both rows are refused, nothing is created."""
    failure = failure_of([office("a", parent="b"), office("b", parent="a")])
    find_problem(failure, row=2, column="parent_code")
    find_problem(failure, row=3, column="parent_code")
    assert Office.objects.count() == 0


def test_office_as_its_own_parent_is_refused(db):
    """An office whose parent is itself is a cycle."""
    failure = failure_of([office("a", parent="a")])
    assert find_problem(failure, row=2, column="parent_code").value == "a"


def test_cycle_through_the_database_is_refused(demo_offices):
    """Making the Cabinet Division a child of MoFA (itself under the Cabinet Division) is refused."""
    failure = failure_of([office("cabinet", parent="mofa", kind="division")])
    assert find_problem(failure, row=2, column="parent_code").value == "mofa"
    assert tree()["cabinet"] is None


@pytest.mark.parametrize(
    ("row", "column", "value"),
    [
        (office("mo fa"), "code", "mo fa"),
        (office("পররাষ্ট্র"), "code", "পররাষ্ট্র"),
        (office("ok", kind="ministryx"), "kind", "ministryx"),
        (office("ok", website="not a url"), "website", "not a url"),
        (office("ok", website="javascript:alert(1)"), "website", "javascript:alert(1)"),
        (office("ok", name_bn=""), "name_bn", ""),
    ],
)
def test_bad_code_kind_website_or_name_is_refused(db, row, column, value):
    """Invalid codes, unknown kinds, bad web addresses and missing Bangla names are refused at their cell."""
    failure = failure_of([office("first"), row])
    assert find_problem(failure, row=3, column=column).value == value
    assert Office.objects.count() == 0


def test_duplicate_code_is_refused(db):
    """The same code twice in one sheet is refused at the second row."""
    failure = failure_of([office("a"), office("a")])
    assert find_problem(failure, row=3, column="code").value == "a"


def test_several_errors_are_all_listed_and_nothing_is_written(demo_offices):
    """All-or-nothing: valid updates are not written when other rows have problems; every problem is listed."""
    before = offices_dump()
    failure = failure_of(
        [
            office("mofa", parent="cabinet", name_bn="নতুন নাম"),
            office("x y"),
            office("new", parent="nowhere"),
            office("k", kind="??"),
        ]
    )
    assert {(p.row, p.column) for p in failure.problems} == {(3, "code"), (4, "parent_code"), (5, "kind")}
    assert offices_dump() == before


def test_code_too_long_for_the_database_is_reported_as_an_import_problem(db):
    """A 65-character code (the column holds 64) is a listed problem, not a crash while saving."""
    code = "a" * 65
    failure = failure_of([office(code)])
    assert find_problem(failure, row=2, column="code").value == code


def test_name_too_long_for_the_database_is_reported_as_an_import_problem(db):
    """A Bangla name longer than 255 characters is a listed problem with its row and column."""
    failure = failure_of([office("a", name_bn="ক" * 256)])
    find_problem(failure, row=2, column="name_bn")


def test_import_offices_command_reports_counts_and_refuses_bad_sheets(db, tmp_path):
    """`import_offices FILE` prints the counts; a bad sheet raises CommandError with problems on stderr."""
    out = io.StringIO()
    call_command("import_offices", str(DEMO_DIR / "offices.csv"), stdout=out)
    assert "5 created" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name_bn,kind\nx y,ক,ministry\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_offices", str(bad), stderr=err, stdout=io.StringIO())
    assert "row 2, column 'code', value 'x y'" in err.getvalue()
    assert "সারি ২" in err.getvalue()
