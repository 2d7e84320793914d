"""The next year in a real browser (issue 13): the MoFA officer starts 2023-24 from the demo plan with the
button on the plan page, confirms, and lands on the new draft plan, which says where it came from and switches
back to 2022-23; then the Cabinet Division's template gives a plan whose missing targets are shown.

Screenshots: var/screenshots/test_start_next_year_from_the_demo_plan/ and …_from_the_template/.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from indicators.models import ActionPlan, PlanOrigin, PlanTemplate
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

PLAN = "/plans/mofa/2022-23/"
NEW_PLAN = "/plans/mofa/2023-24/"


@pytest.fixture
def demo_live(transactional_db):
    call_command("load_demo", password="test-pass-123", stdout=io.StringIO())
    return ActionPlan.objects.get(office__code="mofa")


def test_start_next_year_from_the_demo_plan(demo_live, new_page, shots):
    officer = new_page()
    sign_in(officer, "mofa.officer")
    officer.goto(PLAN)
    button = officer.get_by_role("link", name="২০২৩-২৪ শুরু করুন এই পরিকল্পনা থেকে")
    assert button.is_visible()
    shots(officer, "plan-with-next-year-button", full_page=False)
    button.click()
    officer.wait_for_url(re.compile(r"/next-year/$"))
    assert officer.get_by_text("যা অনুলিপি হবে").is_visible()
    shots(officer, "confirm")
    assert not ActionPlan.objects.filter(office__code="mofa", fiscal_year__start_year=2023).exists()
    officer.click("#confirm-start")
    officer.wait_for_url(re.compile(NEW_PLAN + "$"))
    assert officer.locator("h1").inner_text().startswith("পররাষ্ট্র মন্ত্রণালয়: ২০২৩-২৪")
    assert officer.get_by_text("২০২২-২৩ অর্থবছরের কর্মপরিকল্পনা থেকে অনুলিপি").is_visible()
    assert officer.locator("tbody.indicator").count() == 12
    assert officer.locator("#foot-total").inner_text().startswith("০.০০")  # no progress copied
    shots(officer, "new-plan")
    plan = ActionPlan.objects.get(office__code="mofa", fiscal_year__start_year=2023)
    assert plan.origin == PlanOrigin.COPY and plan.origin_plan == demo_live

    # The year switch goes back to 2022-23, which is as it was.
    officer.locator("nav.years").get_by_role("link", name="২০২২-২৩").click()
    officer.wait_for_url(re.compile(PLAN + "$"))
    assert officer.get_by_text("এটি পূর্ববর্তী অর্থবছরের কর্মপরিকল্পনা।").is_visible()
    assert officer.locator("#foot-total").inner_text().startswith("৪৪.৭৭")
    shots(officer, "earlier-year")


def test_start_next_year_from_the_template(demo_live, new_page, shots):
    """The Cabinet Division's reviewer publishes the 2023-24 template on the templates page; the MoFA officer
    finds it on the home page and starts the plan from it: every indicator waits for its targets."""
    reviewer = new_page()
    sign_in(reviewer, "cabinet.reviewer")
    reviewer.get_by_role("link", name="আওতাধীন দপ্তরের জন্য বছরের টেমপ্লেট").click()
    reviewer.wait_for_url(re.compile(r"/templates/$"))
    reviewer.select_option("#id_source", label="পররাষ্ট্র মন্ত্রণালয় — ২০২২-২৩")
    assert reviewer.input_value("#id_year") == "২০২৩-২৪"
    shots(reviewer, "templates-page")
    reviewer.click("#publish-template")
    reviewer.wait_for_url(re.compile(r"/templates/$"))
    assert reviewer.locator("table.templates tbody tr").count() == 1
    shots(reviewer, "template-published")
    assert PlanTemplate.objects.get().office.code == "cabinet"

    officer = new_page()
    sign_in(officer, "mofa.officer")
    shots(officer, "home-with-template", full_page=False)
    officer.get_by_role("link", name="২০২৩-২৪ শুরু করুন টেমপ্লেট থেকে").click()
    officer.wait_for_url(re.compile(r"/from-template/$"))
    shots(officer, "confirm-template")
    officer.click("#confirm-start")
    officer.wait_for_url(re.compile(NEW_PLAN + "$"))
    assert officer.get_by_text("মন্ত্রিপরিষদ বিভাগ-এর ২০২৩-২৪ অর্থবছরের টেমপ্লেট থেকে").is_visible()
    assert officer.locator(".incomplete").is_visible()
    assert officer.locator(".no-targets").count() == 12
    shots(officer, "incomplete-plan")
