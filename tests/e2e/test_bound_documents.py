"""The documents that fill bound indicators (issue 16.4), in a real browser.

- The Smart Bangladesh plan: the officer binds an indicator to the plan's approval on the indicator page, starts
  the plan, writes the letter's date and an initiative, saves, edits the initiative and saves again; the CIO
  approves; the PDF downloads; the bound indicator shows the filled date with its source.
- The review of child offices: the Cabinet Division's reviewer renders the review of its ministries for Q1, sees
  which sent their report and which did not, and downloads the PDF; a ministry with a department of its own
  (MoFA, given one here) renders the review of Q1 in November — its own Q1 already sent — keeps the PDF as
  evidence of its bound indicator, which gets the day's date in Q2, with its source.

Screenshots: var/screenshots/test_the_smart_bangladesh_plan_fills_its_bound_indicator/,
var/screenshots/test_the_review_of_child_offices_fills_its_bound_indicator/.
"""

from __future__ import annotations

import datetime
import io
import re
import zoneinfo
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from evidence.models import Evidence
from indicators.models import DataSource, Indicator, Office, OfficeKind, Progress, ReportingPeriod
from indicators.services.progress import indicator_set_applicability
from indicators.services.sources import indicator_set_source
from reports.models import MeetingState, SmartPlan
from tests.e2e.conftest import sign_in
from workflow import transitions

pytestmark = pytest.mark.e2e

SMART_PLAN = "/smart-plan/mofa/2022-23/"


@pytest.fixture
def demo_live(transactional_db):
    call_command("load_demo", password="test-pass-123", stdout=io.StringIO())


def test_the_smart_bangladesh_plan_fills_its_bound_indicator(demo_live, new_page, shots):
    officer = new_page()
    sign_in(officer, "mofa.officer")
    # [১.৪.১] (a date: the 4IR action plan drawn up) takes its value from the Smart plan's approval.
    officer.goto("/plans/mofa/2022-23/indicators/1.4.1/")
    officer.select_option("#data-source-select", DataSource.SMART_PLAN_APPROVED.value)
    officer.get_by_role("button", name="উৎস রাখুন").click()
    officer.wait_for_selector(".messages")
    assert "মানের উৎস রাখা হয়েছে" in officer.inner_text(".messages")
    assert Indicator.objects.get(plan__office__code="mofa", code="1.4.1").data_source == "smart_plan_approved"

    officer.goto(SMART_PLAN)
    officer.get_by_role("button", name="কর্মপরিকল্পনা লেখা শুরু করুন").click()
    officer.wait_for_selector("#id_letter_date")
    officer.fill("#id_letter_date", "১৫/১২/২০২২")
    officer.fill("#id_initiatives-0-name", "মিশন অ্যাক্টিভিটি ট্র্যাকার")
    officer.fill("#id_initiatives-0-description", "মিশনগুলোর কাজের অনলাইন হিসাব")
    shots(officer, "initiative-written", full_page=False)
    officer.click("button[value=save]")
    officer.wait_for_selector(".messages")
    assert "সংরক্ষিত" in officer.inner_text(".messages")
    # Edited: the initiative's name changes, a second one is added in the empty row that came after saving.
    officer.fill("#id_initiatives-0-name", "মিশন অ্যাক্টিভিটি ট্র্যাকার (এমএটি)")
    officer.fill("#id_initiatives-1-name", "ডিজিটাল কন্ট্রোল রুম")
    officer.click("button[value=save]")
    officer.wait_for_selector(".messages")
    smart_plan = SmartPlan.objects.get(office__code="mofa")
    assert [i.name for i in smart_plan.initiatives.order_by("position")] == [
        "মিশন অ্যাক্টিভিটি ট্র্যাকার (এমএটি)",
        "ডিজিটাল কন্ট্রোল রুম",
    ]
    assert officer.locator("button[value=approve]").count() == 0  # the CIO approves
    shots(officer, "saved")

    cio = new_page()
    sign_in(cio, "mofa.cio")
    cio.goto(SMART_PLAN)
    cio.click("button[value=approve]")  # no indicator chosen: the bound one gets it all the same
    cio.wait_for_selector(".messages")
    assert "অনুমোদিত" in cio.inner_text(".messages")
    assert cio.locator("#id_initiatives-0-name").count() == 0  # read-only now
    assert "ডিজিটাল কন্ট্রোল রুম" in cio.inner_text("main table")
    shots(cio, "approved")
    smart_plan.refresh_from_db()
    assert smart_plan.state == MeetingState.APPROVED
    with cio.expect_download() as download:
        cio.get_by_role("link", name=re.compile("কর্মপরিকল্পনার পিডিএফ")).click()
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # The bound indicator: 15 December 2022 in Q2, its source in the remark and on the page, the PDF as evidence.
    indicator = Indicator.objects.get(plan__office__code="mofa", code="1.4.1")
    progress = Progress.objects.get(indicator=indicator, quarter=2)
    assert progress.value_date == datetime.date(2022, 12, 15)
    assert Evidence.objects.filter(indicator=indicator, quarter=2, title__contains="স্মার্ট").exists()
    cio.goto("/plans/mofa/2022-23/indicators/1.4.1/")
    text = cio.inner_text("main")
    source = str(DataSource.SMART_PLAN_APPROVED.label)
    assert "১৫/১২/২০২২" in text and f"উৎস: {source}" in text
    assert source in cio.inner_text("#data-source")
    shots(cio, "indicator-filled")


def send_q1(plan) -> None:
    """MoFA's Q1 submitted, approved and sent to the Cabinet Division, through the workflow service."""
    users = get_user_model().objects
    for action, username in (("submit", "mofa.officer"), ("approve", "mofa.cio"), ("send", "mofa.cio")):
        period = ReportingPeriod.objects.get(plan=plan, quarter=1)
        transitions.period_transition(
            period=period, action=action, user=users.get(username=username), expected_version=period.version
        )


def test_the_review_of_child_offices_fills_its_bound_indicator(demo_live, new_page, shots):
    mofa = Office.objects.get(code="mofa")
    plan = mofa.plans.get()
    # MoFA gets a department (before its Q1 is submitted: applicability is locked then); its [২.২.৪] (the
    # child offices' reports reviewed) becomes applicable and bound.
    Office.objects.create(
        code="mofa-consular", name_bn="কনস্যুলার অনুবিভাগ", kind=OfficeKind.DEPARTMENT, parent=mofa
    )
    users = get_user_model().objects
    reviewed = plan.indicators.get(code="2.2.4")
    indicator_set_applicability(
        indicator=reviewed, applicable=True, reason="", user=users.get(username="mofa.officer")
    )
    indicator_set_source(
        indicator=reviewed, source=DataSource.CHILDREN_REVIEW, user=users.get(username="mofa.officer")
    )

    send_q1(plan)

    # The Cabinet Division's reviewer: MoFA sent its Q1 report, the other ministries did not.
    reviewer = new_page()
    sign_in(reviewer, "cabinet.reviewer")
    reviewer.goto("/review/children/cabinet/2022-23/q1/")
    rows = reviewer.locator("table.children-review tbody tr")
    assert rows.count() == Office.objects.filter(parent__code="cabinet").count()
    mofa_row = rows.filter(has_text="পররাষ্ট্র মন্ত্রণালয়").inner_text()
    assert "ঊর্ধ্বতন দপ্তরে প্রেরিত" in mofa_row and "৭.২০/৫০.০০" in mofa_row  # sent, with its approved marks
    assert "পরিকল্পনা নেই" in rows.filter(has_text="সমাজকল্যাণ মন্ত্রণালয়").inner_text()  # no plan this year
    assert reviewer.locator("#attach-title").count() == 0  # the Cabinet Division keeps no plan here
    shots(reviewer, "cabinet-review-q1")
    with reviewer.expect_download() as download:
        reviewer.get_by_role("link", name=re.compile("পর্যালোচনার পিডিএফ")).click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # 20 November 2022, a Q2 day: MoFA's officer reviews the department's Q1 and keeps the PDF.
    officer = new_page()
    sign_in(officer, "mofa.officer")
    moment = datetime.datetime(2022, 11, 20, 11, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Dhaka"))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        officer.goto("/review/children/mofa/2022-23/q1/")
        assert "কনস্যুলার অনুবিভাগ" in officer.inner_text("table.children-review")
        with officer.expect_download() as download:
            officer.get_by_role("link", name=re.compile("পর্যালোচনার পিডিএফ")).click()
        with open(download.value.path(), "rb") as handle:
            assert handle.read(5) == b"%PDF-"
        officer.select_option("#id_indicator", str(reviewed.pk))
        shots(officer, "mofa-review-q1")
        officer.get_by_role("button", name="প্রমাণক হিসেবে রাখুন").click()
        officer.wait_for_url(re.compile(r".*/plans/mofa/2022-23/indicators/2\.2\.4/$"))
        officer.wait_for_selector(".messages")
        assert "প্রমাণক" in officer.inner_text(".messages")
        text = officer.inner_text("main")
    shots(officer, "indicator-filled")
    source = str(DataSource.CHILDREN_REVIEW.label)
    assert "২০/১১/২০২২" in text and f"উৎস: {source}" in text
    progress = Progress.objects.get(indicator=reviewed, quarter=2)
    assert progress.value_date == datetime.date(2022, 11, 20)
    assert Evidence.objects.filter(indicator=reviewed, quarter=2).count() == 1  # Q1 is sent: kept in Q2
    assert not Progress.objects.filter(indicator=reviewed, quarter=1).exists()
