"""Issue 14 in a real browser: dates typed as people write them, keyboard only, in every date box (the
quarter cells of the plan page, the standalone entry page, the cover letter form), the calendar by keyboard,
an impossible date refused in Bangla with the text kept; and what waits for each user (the header's count
and the list), with the mails the transitions send.

Screenshots: var/screenshots/test_dates_typed_keyboard_only_in_every_date_box/ and
var/screenshots/test_waiting_count_and_list/.
"""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from indicators.models import ActionPlan, PeriodState, Progress
from reports.models import CoverLetter
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

PLAN = "/plans/mofa/2022-23/"
SEPT_25 = datetime.date(2022, 9, 25)


@pytest.fixture
def demo_live(transactional_db, settings):
    settings.REPORT_JOBS_MODE = "worker"  # approvals queue their reports; nothing here waits for them
    call_command("load_demo", password="test-pass-123", stdout=io.StringIO())
    return ActionPlan.objects.get(office__code="mofa")


def stored(code: str, quarter: int):
    return Progress.objects.get(
        indicator__plan__office__code="mofa", indicator__code=code, quarter=quarter
    ).value


def open_cell_by_keyboard(page, code: str, quarter: int):
    """Focus the quarter's cell link and press Enter; the editor opens with the date box focused."""
    row = f"#ind-{code.replace('.', '-')}"
    page.locator(f"{row} td.quarter >> nth={quarter - 1} >> a").focus()
    page.keyboard.press("Enter")
    box = page.locator(f"{row} input[name=value]")
    box.wait_for()
    # Playwright's own assertion (its isolated world): the site's CSP allows no string evaluation.
    expect(box).to_be_focused()
    return row, box


def test_dates_typed_keyboard_only_in_every_date_box(demo_live, new_page, shots):
    officer = new_page()
    sign_in(officer, "mofa.officer")
    officer.goto(PLAN)

    # Each way of writing 25 September 2022, one per quarter of [১.১.১] (a date indicator), keyboard only.
    for quarter, typed in enumerate(["২৫/০৯/২০২২", "25/09/2022", "25-9-22", "25092022"], start=1):
        row, box = open_cell_by_keyboard(officer, "1.1.1", quarter)
        officer.keyboard.press("Control+A")
        officer.keyboard.type(typed)
        if quarter == 1:
            shots(officer, "typed-bangla-digits", full_page=False)
        officer.keyboard.press("Enter")
        officer.wait_for_selector(f"{row} form", state="detached")
        assert stored("1.1.1", quarter) == SEPT_25, typed
        assert "২৫/০৯/২০২২" in officer.inner_text(f"{row} td.quarter >> nth={quarter - 1}")
    shots(officer, "four-forms-saved")

    # An impossible date: refused in Bangla, the typed text kept in the box, nothing saved.
    row, box = open_cell_by_keyboard(officer, "1.2.1", 1)
    officer.keyboard.type("৩১/০২/২০২৩")
    officer.keyboard.press("Enter")
    officer.wait_for_selector(f"{row} .error")
    assert "এমন তারিখ হয় না" in officer.inner_text(f"{row} .error")
    assert "ফেব্রুয়ারি মাসে ২৮ দিন" in officer.inner_text(f"{row} .error")
    assert officer.locator(f"{row} input[name=value]").input_value() == "৩১/০২/২০২৩"
    shots(officer, "impossible-date-refused", full_page=False)

    # The calendar, by keyboard: Alt+↓ opens it at the typed month, → moves a day, Enter picks, Enter saves.
    box = officer.locator(f"{row} input[name=value]")
    box.focus()
    officer.keyboard.press("Control+A")
    officer.keyboard.type("28/02/2023")
    officer.keyboard.press("Alt+ArrowDown")
    officer.wait_for_selector(f"{row} .date-picker")
    assert "ফেব্রুয়ারি ২০২৩" in officer.inner_text(f"{row} .date-picker-month")
    shots(officer, "calendar-open", full_page=False)
    officer.keyboard.press("ArrowRight")  # 1 March 2023: the calendar turns the month itself
    officer.keyboard.press("Enter")
    officer.wait_for_selector(f"{row} .date-picker", state="detached")
    assert box.input_value() == "০১/০৩/২০২৩"
    assert officer.evaluate("document.activeElement.name") == "value"  # focus back in the box
    officer.keyboard.press("Enter")
    officer.wait_for_selector(f"{row} form", state="detached")
    assert stored("1.2.1", 1) == datetime.date(2023, 3, 1)

    # The same box on the entry page without htmx (the address a link or a bookmark opens).
    officer.goto(f"{PLAN}indicators/1.2.1/q2/")
    officer.locator("input[name=value]").focus()
    officer.keyboard.type("1-3-23")
    officer.keyboard.press("Enter")
    officer.wait_for_url(re.compile(r".*/plans/mofa/2022-23/(#.*)?$"))
    assert stored("1.2.1", 2) == datetime.date(2023, 3, 1)

    # The cover letter's date: the same control (typed form, calendar button beside it).
    officer.goto(f"{PLAN}report-text/letter/1/")
    letter_box = officer.locator("input[name=letter_date]")
    assert letter_box.get_attribute("type") == "text"
    assert officer.locator(".date-picker-toggle[data-date-picker-for=id_letter_date]").is_visible()
    letter_box.focus()
    officer.keyboard.press("Control+A")
    officer.keyboard.type("25092022")
    shots(officer, "cover-letter-date-typed", full_page=False)
    with officer.expect_navigation():
        officer.keyboard.press("Enter")
    shots(officer, "cover-letter-saved", full_page=False)
    letter = CoverLetter.objects.get(period__plan__office__code="mofa", period__quarter=1)
    assert letter.letter_date == SEPT_25


def test_waiting_count_and_list(demo_live, new_page, shots, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    officer = new_page()
    sign_in(officer, "mofa.officer")
    assert officer.inner_text(".waiting-link .count") == "১"  # Q1, the next quarter to submit
    officer.goto(PLAN)
    officer.click("#period-1 form.action-submit button[type=submit]")
    # The confirmation with its summary (issue 14.7), then the plan page again.
    officer.wait_for_url(re.compile(r".*/confirm/"))
    officer.click("form.period-confirm button[type=submit]")
    officer.wait_for_selector("#period-1 .badge.state")
    assert demo_live.periods.get(quarter=1).state == PeriodState.SUBMITTED
    assert [m.to for m in mail.outbox] == [["mofa.cio@demo.apa.example"]]
    assert "https://" in mail.outbox[0].body or "http://" in mail.outbox[0].body

    cio = new_page()
    sign_in(cio, "mofa.cio")
    assert cio.inner_text(".waiting-link .count") == "২"  # Q1 to decide, Q2 the next to submit
    shots(cio, "cio-header-count", full_page=False)
    cio.click(".waiting-link")
    cio.wait_for_url(re.compile(r".*/waiting/$"))
    text = cio.inner_text("main")
    assert "পর্যালোচনা করে অনুমোদন বা ফেরত দিন" in text and "১ম ত্রৈমাসিক" in text
    shots(cio, "cio-waiting-list")

    reviewer = new_page()
    sign_in(reviewer, "cabinet.reviewer")
    assert reviewer.inner_text(".waiting-link .count") == "০"
    reviewer.goto("/profile/")
    reviewer.get_by_label("ই-মেইলে জানান").uncheck()
    reviewer.get_by_role("button", name="সংরক্ষণ").click()
    reviewer.wait_for_selector("text=ই-মেইল বন্ধ করা হয়েছে।")
    shots(reviewer, "reviewer-profile-mail-off", full_page=False)
