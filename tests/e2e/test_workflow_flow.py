"""The main flow in a real browser: officer enters progress and evidence → submits → the CIO returns it with a
comment → the officer corrects → the CIO approves and sends → the Cabinet Division's reviewer finds it.

Screenshots of every step: var/screenshots/test_officer_cio_reviewer_flow/.
"""

from __future__ import annotations

import hashlib
import io
import re
import time

import pytest
from django.core.management import call_command

from indicators.models import ActionPlan, PeriodState, ReportingPeriod
from reports.models import ApprovedReport
from tests.e2e.conftest import sign_in
from tests.files import pdf_bytes

pytestmark = pytest.mark.e2e

PLAN = "/plans/mofa/2022-23/"


@pytest.fixture
def demo_live(transactional_db, settings):
    # As in `make run`: approval renders the reports in a background thread of the web process.
    settings.REPORT_JOBS_MODE = "thread"
    call_command("load_demo", password="test-pass-123", stdout=io.StringIO())
    return ActionPlan.objects.get(office__code="mofa")


def wait_for_approved_report(plan, quarter: int, seconds: float = 60) -> None:
    """The approval's rendering runs in a background thread; wait until its copy is kept."""
    deadline = time.monotonic() + seconds
    while not ApprovedReport.objects.filter(
        approval__period__plan=plan, approval__period__quarter=quarter
    ).exists():
        assert time.monotonic() < deadline, "the approved report was not rendered in time"
        time.sleep(0.5)


def open_editor(page, cell: str) -> None:
    """Opens a quarter's editor in place and waits until it has the focus: htmx gives the autofocus field the
    focus when the swap settles, so text typed into another field before that would land in the value."""
    page.click(cell)
    page.wait_for_selector("form.progress-form input[name=value]:focus")


def confirm(page) -> None:
    """The step's confirmation page (issue 14.7): its summary, then the confirming button."""
    page.wait_for_url(re.compile(r".*/confirm/"))
    page.click("form.period-confirm button[type=submit]")
    page.wait_for_url(re.compile(r".*/plans/mofa/2022-23/"))


def q1_state() -> str:
    return ReportingPeriod.objects.get(plan__office__code="mofa", quarter=1).state


def test_officer_cio_reviewer_flow(demo_live, new_page, shots, tmp_path):
    """Every step of the quarterly workflow works in the browser, in Bangla, and each user sees their part."""
    officer = new_page()
    sign_in(officer, "mofa.officer")
    shots(officer, "officer-home")
    officer.get_by_role("link", name="পররাষ্ট্র মন্ত্রণালয়").first.click()
    officer.wait_for_url(re.compile(PLAN))

    # Enter Q1 of [১.৩.১] in place: the row and the totals change without a reload.
    open_editor(officer, "#ind-1-3-1 td.quarter >> nth=0 >> a")
    officer.fill("#ind-1-3-1 input[name=value]", "৮৪")
    officer.fill("#ind-1-3-1 textarea[name=remark]", "ই-নথি প্রতিবেদন অনুযায়ী")
    shots(officer, "officer-editing-q1", full_page=False)
    officer.click("#ind-1-3-1 button[type=submit]")
    officer.wait_for_selector("#ind-1-3-1 form", state="detached")
    assert "৮৪%" in officer.inner_text("#ind-1-3-1")
    # average of 84, 82, 83, 83 = 83 → 90 + 10 × 3/5 = 96 → 7.68; plan 44.77 − 7.52 + 7.68 = 44.93
    assert "৪৪.৯৩" in officer.inner_text("#plan-totals")
    shots(officer, "officer-saved-q1")

    # Upload evidence on the indicator page.
    pdf = tmp_path / "enothi.pdf"
    pdf.write_bytes(pdf_bytes())
    officer.click("#ind-1-3-1 th a >> nth=0")
    officer.fill("#evidence-title-input", "ই-নথি কার্যক্রমের প্রতিবেদন")
    officer.select_option("#evidence-quarter-input", "1")
    officer.set_input_files("#evidence-file-input", str(pdf))
    officer.click("form.evidence-upload button[type=submit]")
    officer.wait_for_selector("text=ই-নথি কার্যক্রমের প্রতিবেদন")
    assert "ই-নথি কার্যক্রমের প্রতিবেদন" in officer.inner_text("#evidence")
    shots(officer, "officer-evidence-uploaded")

    # Submit Q1.
    officer.goto(PLAN)
    officer.click("#period-1 form.action-submit button[type=submit]")
    confirm(page=officer)
    officer.wait_for_selector("#period-1 .badge.state")
    assert q1_state() == PeriodState.SUBMITTED
    assert "দাখিল" in officer.inner_text("#period-1")
    # Submitted data is locked: Q1 cells are no longer editable.
    assert officer.locator("#ind-1-3-1 td.quarter.editable").count() == 3
    shots(officer, "officer-submitted")

    # The CIO sees it waiting, returns it with a comment.
    cio = new_page()
    sign_in(cio, "mofa.cio")
    assert "আপনার সিদ্ধান্তের অপেক্ষায়" in cio.inner_text("main")
    shots(cio, "cio-home-waiting")
    cio.goto(PLAN)
    cio.fill("#period-1 form.action-return textarea[name=comment]", "১.৩.১-এর মন্তব্য আরও স্পষ্ট করুন")
    cio.click("#period-1 form.action-return button[type=submit]")
    cio.wait_for_selector("#period-1 .timeline")
    assert q1_state() == PeriodState.RETURNED
    shots(cio, "cio-returned")

    # The officer sees the comment on the timeline, corrects and submits again.
    officer.goto(PLAN)
    assert "১.৩.১-এর মন্তব্য আরও স্পষ্ট করুন" in officer.inner_text("#period-1")
    shots(officer, "officer-sees-return")
    open_editor(officer, "#ind-1-3-1 td.quarter >> nth=0 >> a")
    officer.fill("#ind-1-3-1 textarea[name=remark]", "ই-নথি কার্যক্রমের প্রথম ত্রৈমাসিক প্রতিবেদন অনুযায়ী")
    officer.click("#ind-1-3-1 button[type=submit]")
    officer.wait_for_selector("#ind-1-3-1 form", state="detached")
    officer.click("#period-1 form.action-submit button[type=submit]")
    confirm(page=officer)
    officer.wait_for_selector("#period-1 .badge.state")
    assert q1_state() == PeriodState.SUBMITTED

    # The CIO approves and sends it to the Cabinet Division.
    cio.goto(PLAN)
    cio.click("#period-1 form.action-approve button[type=submit]")
    confirm(page=cio)
    cio.wait_for_selector("#period-1 form.action-send")
    assert q1_state() == PeriodState.APPROVED
    shots(cio, "cio-approved")
    cio.click("#period-1 form.action-send button[type=submit]")
    confirm(page=cio)
    cio.wait_for_selector("#period-1 .badge.state")
    assert q1_state() == PeriodState.SENT
    wait_for_approved_report(demo_live, 1)
    shots(cio, "cio-sent")

    # The reviewer finds it in the inbox and opens it: only the sent quarter's values are shown.
    reviewer = new_page()
    sign_in(reviewer, "cabinet.reviewer")
    reviewer.goto("/review/")
    assert "পররাষ্ট্র মন্ত্রণালয়" in reviewer.inner_text("main")
    shots(reviewer, "reviewer-inbox")
    reviewer.get_by_role("link", name=re.compile("খুলুন|দেখুন|পররাষ্ট্র মন্ত্রণালয়")).first.click()
    reviewer.wait_for_url(re.compile(PLAN))
    row = reviewer.inner_text("#ind-1-3-1")
    assert "৮৪%" in row and "৮২%" not in row  # Q2's value was never sent
    shots(reviewer, "reviewer-opens-plan")

    # The approved quarterly report, rendered once at approval, is in the inbox with its SHA-256.
    approved = ApprovedReport.objects.get(
        approval__period__plan=demo_live, approval__period__quarter=1, kind="quarterly"
    )
    reviewer.goto("/review/")
    assert approved.sha256[:12] in reviewer.inner_text("main")
    response = reviewer.request.get("/plans/mofa/2022-23/reports/quarterly-1.pdf")
    assert response.ok and response.headers["x-report-sha256"] == approved.sha256
    assert hashlib.sha256(response.body()).hexdigest() == approved.sha256
    shots(reviewer, "reviewer-inbox-with-pdf")


def test_a_return_and_a_new_approval_make_a_second_version(demo_live, new_page, shots):
    """Q1 approved and sent; the reviewer returns it; the officer corrects a value on the editor's own page
    (the page that a new tab or a browser without scripts opens) and the CIO approves and sends again: the
    period's timeline lists both versions, the first marked superseded; the reviewer downloads the new copy
    and can still open the first (DESIGN.md §4)."""
    officer, cio, reviewer = new_page(), new_page(), new_page()
    sign_in(officer, "mofa.officer")
    sign_in(cio, "mofa.cio")
    sign_in(reviewer, "cabinet.reviewer")

    def period_step(page, action: str, comment: str = "") -> None:
        page.goto(PLAN)
        form = page.locator(f"#period-1 form.action-{action}")
        if comment:
            form.locator("textarea").fill(comment)
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        if action in ("submit", "approve", "send", "accept"):  # confirmed on a page of their own
            with page.expect_navigation():
                page.click("form.period-confirm button[type=submit]")

    period_step(officer, "submit")
    period_step(cio, "approve")
    period_step(cio, "send")
    wait_for_approved_report(demo_live, 1)
    first = ApprovedReport.objects.get(approval__period__plan=demo_live, approval__number=1, kind="quarterly")
    period_step(reviewer, "review_return", "১.৩.১-এর মান আবার দেখুন")
    assert q1_state() == PeriodState.RETURNED

    officer.goto(f"{PLAN}indicators/1.3.1/q1/")
    officer.fill("input[name=value]", "৭০")
    officer.get_by_role("button", name="সংরক্ষণ").click()
    officer.wait_for_url(re.compile(rf"{PLAN}#ind-1-3-1$"))
    assert "৭০%" in officer.inner_text("#ind-1-3-1")
    period_step(officer, "submit")
    period_step(cio, "approve")
    period_step(cio, "send")
    deadline = time.monotonic() + 60
    while not ApprovedReport.objects.filter(approval__period__plan=demo_live, approval__number=2).exists():
        assert time.monotonic() < deadline, "the second approval's copy was not rendered in time"
        time.sleep(0.5)
    second = ApprovedReport.objects.get(
        approval__period__plan=demo_live, approval__number=2, kind="quarterly"
    )
    assert second.sha256 != first.sha256

    cio.goto(PLAN)
    cio.locator("#period-1 details.versions").evaluate("details => details.open = true")
    versions = cio.inner_text("#period-1 details.versions")
    assert "সংস্করণ ১" in versions and "সংস্করণ ২" in versions and "বাতিল" in versions
    cio.locator("#period-1").screenshot(path=str(shots.folder / "versions.png"))
    response = reviewer.request.get(f"{PLAN}reports/quarterly-1.pdf")
    assert response.headers["x-report-sha256"] == second.sha256
    old = reviewer.request.get(f"{PLAN}reports/quarterly-1/versions/1.pdf")
    assert old.ok and hashlib.sha256(old.body()).hexdigest() == first.sha256
