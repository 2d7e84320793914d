"""The plan edited in a real browser (issue 13 point 4): the officer adds an indicator, gives it a weight taken
from another, raises nothing but one target of [১.৩.১], saves, and the plan page shows the new indicator and
the new marks. Also at a phone's width (390 px).

Screenshots: var/screenshots/test_officer_adds_an_indicator_and_edits_a_target/.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from base.bangla import format_marks
from indicators.models import ActionPlan
from indicators.scores import plan_score
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

PLAN = "/plans/mofa/2022-23/"


@pytest.fixture
def demo_live(transactional_db):
    call_command("load_demo", password="test-pass-123", stdout=io.StringIO())
    return ActionPlan.objects.get(office__code="mofa")


def test_officer_adds_an_indicator_and_edits_a_target(demo_live, new_page, shots):
    officer = new_page()
    sign_in(officer, "mofa.officer")
    officer.goto(PLAN)
    assert "৪৪.৭৭" in officer.inner_text("#plan-totals")
    officer.get_by_role("link", name="পরিকল্পনা সম্পাদনা").click()
    officer.wait_for_url(re.compile(r".*/edit/$"))
    shots(officer, "editor", full_page=False)

    # Add [১.৪.৩] under activity [১.৪] (htmx swaps the form; nothing is saved yet).
    officer.get_by_role("button", name=re.compile("সূচক যোগ করুন.*১.৪")).click()
    officer.wait_for_selector("#a0-x3-i2-title")
    assert officer.input_value("#a0-x3-i2-code") == "[১.৪.৩]"
    officer.fill("#a0-x3-i2-title", "উদ্ভাবন বিষয়ে প্রশিক্ষণ")
    officer.fill("#a0-x3-i2-unit_label", "জনঘন্টা")
    officer.fill("#a0-x3-i2-weight", "১")
    officer.fill("#a0-x3-i2-t100", "৪০")
    officer.fill("#a0-x3-i2-t90", "৩৬")
    officer.fill("#a0-x3-i1-weight", "২")  # [১.৪.২] gives the new one its weight: area [১] stays at 30
    # [১.৩.১]: the 100% target from 85% down to 82%, which its average of 82 now reaches.
    officer.fill("#a0-x2-i0-t100", "৮২%")
    shots(officer, "editor-filled", full_page=False)

    # A first save with a mistake shows it at its field and keeps what was typed.
    officer.fill("#a0-x3-i2-t80", "৫০")
    officer.click(".editor-actions button[value=save]")
    officer.wait_for_selector("#a0-x3-i2-t80-error")
    assert "সংরক্ষণ হয়নি" in officer.inner_text("#plan-edit-form .error-box")
    assert officer.input_value("#a0-x3-i2-title") == "উদ্ভাবন বিষয়ে প্রশিক্ষণ"
    shots(officer, "editor-error")
    officer.fill("#a0-x3-i2-t80", "")
    officer.click(".editor-actions button[value=save]")
    officer.wait_for_url(re.compile(re.escape(PLAN) + "$"))

    # [১.৩.১] 7.52 → 8.00 (82 reaches the 100% target), [১.৪.২] at 100% of 3 → of 2, [১.৪.৩] nothing yet:
    # 44.77 + 0.48 − 1.00 = 44.25 of 48, the weights of area [১] still 30.
    totals = officer.inner_text("#plan-totals")
    assert format_marks(plan_score(demo_live).achieved_marks) == "৪৪.২৫"
    assert "৪৪.২৫" in totals and "/ ৪৮.০০" in totals
    assert "কর্মপরিকল্পনা সংরক্ষিত হয়েছে" in officer.inner_text(".messages")
    assert "উদ্ভাবন বিষয়ে প্রশিক্ষণ" in officer.inner_text("#ind-1-4-3")
    assert "৮২%" in officer.inner_text("#ind-1-3-1")
    shots(officer, "plan-after")

    phone = new_page(width=390, height=844)
    sign_in(phone, "mofa.officer")
    phone.goto(PLAN + "edit/")
    assert phone.input_value("#a0-x3-i2-title") == "উদ্ভাবন বিষয়ে প্রশিক্ষণ"
    # Nothing wider than the screen: the form wraps its fields.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shots(phone, "editor-390", full_page=False)
