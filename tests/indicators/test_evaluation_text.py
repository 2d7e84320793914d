"""An indicator's evaluation method and expected evidence (issue 17): from the plan sheet to the indicator page,
back out in the export, edited in the admin with its history."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from indicators.models import ActionPlan, HistoryEntry, Indicator
from indicators.problems import ImportFailed
from indicators.selectors import plan_sheet_rows
from indicators.services.offices import fiscal_year_get_or_create
from indicators.services.plans import plan_import
from indicators.sheets import read_sheet_bytes
from tests.factories import DEMO_DIR
from tests.indicators.test_admin import _change_form_data

EVALUATION = "কর্মপরিকল্পনার ছকে উল্লেখিত লক্ষ্যমাত্রা ভিত্তিক সমানুপাতিক হারে নম্বর প্রাপ্ত হবে"
EXPECTED = "প্রমাণক: নোটিশ, উপস্থিতি পত্র ও স্থিরচিত্র"


def demo_sheet_with_descriptions(evaluation: str = EVALUATION, expected: str = EXPECTED) -> bytes:
    """The demo plan with the two columns as the Cabinet Division's template words them, filled for [১.৩.১]."""
    with (DEMO_DIR / "plan.csv").open(encoding="utf-8-sig", newline="") as handle:
        headers, *rows = list(csv.reader(handle))
    code_column = headers.index("সূচক নং")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*headers, "মূল্যায়ন পদ্ধতি", "প্রমাণক"])
    for row in rows:
        filled = row[code_column] == "[১.৩.১]"
        writer.writerow([*row, evaluation if filled else "", expected if filled else ""])
    return out.getvalue().encode("utf-8")


@pytest.fixture
def msw_plan(demo) -> ActionPlan:
    """The demo plan imported for the Ministry of Social Welfare (whose officer is a demo user), 2023-24."""
    return plan_import(
        office=demo.office.__class__.objects.get(code="msw"),
        fiscal_year=fiscal_year_get_or_create(code="2023-24"),
        sheet=read_sheet_bytes(demo_sheet_with_descriptions(), name="plan.csv"),
    ).plan


def test_the_sheet_columns_reach_the_indicator_page_beside_the_upload(client, msw_plan):
    """End to end: the columns of an imported sheet are shown on the indicator page, the expected evidence
    in the evidence panel above the upload form."""
    indicator = msw_plan.indicators.get(code="1.3.1")
    assert (indicator.evaluation, indicator.evidence_expected) == (EVALUATION, EXPECTED)
    assert msw_plan.indicators.exclude(code="1.3.1").filter(evaluation="").count() == 11
    client.force_login(get_user_model().objects.get(username="msw.officer"))
    page = client.get(reverse("workflow:indicator", args=["msw", "2023-24", "1.3.1"])).content.decode()
    assert EVALUATION in page
    panel = page[page.index('id="evidence"') :]
    assert 0 < panel.index(EXPECTED) < panel.index('class="evidence-upload')
    other = client.get(reverse("workflow:indicator", args=["msw", "2023-24", "1.1.1"])).content.decode()
    assert "মূল্যায়ন পদ্ধতি" not in other and "যে প্রমাণক চাওয়া হয়েছে" not in other


def test_the_export_writes_the_columns_back_and_reimports_the_same(msw_plan):
    """Export → import stays lossless with the two columns (DESIGN.md §7)."""
    headers, rows = plan_sheet_rows(msw_plan)
    assert headers[-2:] == ["মূল্যায়ন পদ্ধতি", "প্রমাণক"]
    by_code = {row[5]: row for row in rows}
    assert by_code["[১.৩.১]"][-2:] == [EVALUATION, EXPECTED]
    out = io.StringIO()
    csv.writer(out).writerows([headers, *rows])
    again = plan_import(
        office=msw_plan.office,
        fiscal_year=fiscal_year_get_or_create(code="2024-25"),
        sheet=read_sheet_bytes(out.getvalue().encode("utf-8"), name="again.csv"),
    ).plan
    assert plan_sheet_rows(again) == (headers, rows)


def test_a_text_longer_than_its_column_is_a_listed_problem_and_nothing_is_written(demo):
    """2,001 characters of evaluation are refused with the row and column; no plan is created."""
    before = ActionPlan.objects.count()
    with pytest.raises(ImportFailed) as caught:
        plan_import(
            office=demo.office,
            fiscal_year=fiscal_year_get_or_create(code="2023-24"),
            sheet=read_sheet_bytes(demo_sheet_with_descriptions(evaluation="ক" * 2001), name="long.csv"),
        )
    assert [(p.column, p.message_en) for p in caught.value.problems] == [
        ("মূল্যায়ন পদ্ধতি", "The text is too long: at most 2000 characters.")
    ]
    assert ActionPlan.objects.count() == before


def test_the_command_import_keeps_the_columns(demo, tmp_path):
    """`import_plan` takes the same columns (the command and the admin share the import)."""
    path = tmp_path / "plan.csv"
    path.write_bytes(demo_sheet_with_descriptions())
    call_command("import_plan", str(path), office="msw", year="2023-24", stdout=io.StringIO())
    indicator = Indicator.objects.get(plan__office__code="msw", code="1.3.1")
    assert indicator.evidence_expected == EXPECTED


def test_the_admin_edits_the_texts_and_the_history_says_so(client, msw_plan):
    """The admin's indicator page edits both texts through the service; the change is in the history."""
    client.force_login(get_user_model().objects.get(username="admin"))
    indicator = msw_plan.indicators.get(code="1.3.1")
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    data = _change_form_data(client.get(url))
    data["evidence_expected"] = "প্রমাণক: প্রতিবেদন"
    assert client.post(url, data).status_code == 302
    indicator.refresh_from_db()
    assert (indicator.evaluation, indicator.evidence_expected) == (EVALUATION, "প্রমাণক: প্রতিবেদন")
    entry = HistoryEntry.objects.filter(indicator=indicator).latest("pk")
    assert EXPECTED in entry.before and "প্রমাণক: প্রতিবেদন" in entry.after
    assert entry.user.username == "admin"
