"""A review meeting recorded and its minutes approved in a real browser (issue 16.1): the officer records the
meeting (its items start from the plan's indicators), writes a decision and saves; the CIO approves as chair and
keeps the minutes as evidence of an indicator; the minutes PDF downloads. Also the demo's seed 004 meeting of
sid, read-only.

Screenshots: var/screenshots/test_officer_records_and_cio_approves_a_meeting/.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from evidence.models import Evidence
from reports.models import Meeting, MeetingState
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

MEETINGS = "/meetings/mofa/2022-23/"


@pytest.fixture
def demo_live(transactional_db):
    call_command("load_demo", password="test-pass-123", stdout=io.StringIO())


def test_officer_records_and_cio_approves_a_meeting(demo_live, new_page, shots):
    officer = new_page()
    sign_in(officer, "mofa.officer")
    officer.get_by_role("link", name=re.compile("পররাষ্ট্র মন্ত্রণালয় — ২০২২-২৩")).last.click()
    officer.wait_for_url(re.compile(r".*/meetings/mofa/2022-23/$"))
    officer.fill("#id_held_on", "১৫/১০/২০২২")
    officer.fill("#id_chair_name", "চিফ ইনোভেশন অফিসার")
    officer.fill("#id_place", "সম্মেলন কক্ষ")
    shots(officer, "new-meeting", full_page=False)
    officer.click("section.card button[type=submit]")
    officer.wait_for_url(re.compile(r".*/meetings/mofa/2022-23/1/$"))
    # The items start from the plan's indicators with the progress so far.
    assert "এ পর্যন্ত অগ্রগতি" in officer.input_value("#id_items-0-discussion")
    officer.fill("#id_items-0-decision", "প্রমাণকসহ দ্রুত বাস্তবায়ন করতে হবে।")
    officer.click("button[value=save]")
    officer.wait_for_selector(".messages")
    assert "সংরক্ষিত" in officer.inner_text(".messages")
    assert officer.locator("button[value=approve]").count() == 0  # the chair approves, not the officer
    shots(officer, "saved", full_page=False)

    cio = new_page()
    sign_in(cio, "mofa.cio")
    cio.goto(MEETINGS + "1/")
    cio.select_option("#id_indicator", index=1)
    cio.click("button[value=approve]")
    cio.wait_for_selector(".messages")
    assert "অনুমোদিত" in cio.inner_text(".messages")
    assert cio.locator("#id_items-0-decision").count() == 0  # read-only now
    shots(cio, "approved")
    meeting = Meeting.objects.get(office__code="mofa")
    assert meeting.state == MeetingState.APPROVED
    assert Evidence.objects.filter(pk=meeting.evidence_id, quarter=2).exists()
    with cio.expect_download() as download:
        cio.get_by_role("link", name="কার্যবিবরণীর পিডিএফ").click()
    assert download.value.suggested_filename == "minutes-mofa-2022-23-1.pdf"


def test_the_seed_004_meeting_reads_as_minutes(demo_live, new_page, shots):
    from django.contrib.auth import get_user_model

    from indicators.models import Office, OfficeMembership, Role

    user = get_user_model().objects.create_user("sid.officer", password="test-pass-123")
    OfficeMembership.objects.create(user=user, office=Office.objects.get(code="sid"), role=Role.OFFICER)
    page = new_page()
    sign_in(page, "sid.officer")
    page.goto("/meetings/sid/2022-23/1/")
    text = page.inner_text("main")
    assert "সভাপতি কর্তৃক অনুমোদিত" in text and "[১.১.১]" in text and "১৩" in text
    shots(page, "sid-meeting-1")
