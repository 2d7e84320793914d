"""Issue 14 points 5, 7 and 9 in a real browser: the confirmation before each irreversible step with its
warnings, several evidence files at once (the file dialog and drag and drop) with an error per file, the
officer's home after a return, the reviewer's inbox keeping what it sent back, the summary naming offices.

Screenshots: var/screenshots/<test name>/.
"""

from __future__ import annotations

import base64
import io
import re

import pytest
from django.core.management import call_command

from evidence.models import Evidence
from indicators.models import ActionPlan, PeriodState, ReportingPeriod
from tests.e2e.conftest import sign_in
from tests.files import pdf_bytes

pytestmark = pytest.mark.e2e

PLAN = "/plans/mofa/2022-23/"


@pytest.fixture
def demo_live(transactional_db, settings):
    settings.REPORT_JOBS_MODE = "inline"
    call_command("load_demo", password="test-pass-123", stdout=io.StringIO())
    return ActionPlan.objects.get(office__code="mofa")


def q1_state() -> str:
    return ReportingPeriod.objects.get(plan__office__code="mofa", quarter=1).state


def test_every_step_is_confirmed_with_a_summary_of_what_goes(demo_live, new_page, shots):
    """Submit, approve and sign, send and accept each open a page with the marks beside the pace and the
    warnings; going back takes nothing; the confirming button takes the step."""
    demo_live.indicators.filter(code="1.3.1").update(evidence_expected="ই-নথির ত্রৈমাসিক প্রতিবেদন")
    officer = new_page()
    sign_in(officer, "mofa.officer")
    officer.goto(PLAN)
    officer.click("#period-1 form.action-submit button[type=submit]")
    officer.wait_for_url(re.compile(r"periods/1/submit/confirm/"))
    text = officer.inner_text("main")
    assert "প্রত্যাশিত গতি ২৫" in text and "সতর্কতা, বাধা নয়" in text
    assert "মান লেখা হয়নি" in text and "প্রমাণক নেই" in text
    assert "এখনো কোনো প্রমাণক নেই; এই সূচকে প্রত্যাশিত: ই-নথির ত্রৈমাসিক প্রতিবেদন" in text
    shots(officer, "submit-confirmation")
    officer.get_by_role("link", name="ফিরে যান").click()
    officer.wait_for_url(re.compile(rf"{PLAN}#period-1$"))
    assert q1_state() == PeriodState.DRAFT  # nothing taken by going back

    officer.click("#period-1 form.action-submit button[type=submit]")
    officer.fill("#confirm-comment", "প্রথম ত্রৈমাসিক")
    officer.click("form.period-confirm button[type=submit]")
    officer.wait_for_url(re.compile(rf"{PLAN}#periods$"))
    assert q1_state() == PeriodState.SUBMITTED

    cio = new_page()
    sign_in(cio, "mofa.cio")
    for action in ("approve", "send"):
        cio.goto(PLAN)
        cio.click(f"#period-1 form.action-{action} button[type=submit]")
        cio.wait_for_url(re.compile(rf"periods/1/{action}/confirm/"))
        shots(cio, f"{action}-confirmation")
        cio.click("form.period-confirm button[type=submit]")
        cio.wait_for_url(re.compile(rf"{PLAN}#periods$"))
    assert q1_state() == PeriodState.SENT

    reviewer = new_page()
    sign_in(reviewer, "cabinet.reviewer")
    reviewer.goto("/review/")
    shots(reviewer, "inbox-q1-pace")
    assert "প্রত্যাশিত ২৫" in reviewer.inner_text(".score-chart")
    reviewer.click("form.action-accept button[type=submit]")
    reviewer.wait_for_url(re.compile(r"periods/1/accept/confirm/"))
    shots(reviewer, "accept-confirmation")
    reviewer.click("form.period-confirm button[type=submit]")
    reviewer.wait_for_url(re.compile(r"/review/$"))
    assert q1_state() == PeriodState.ACCEPTED


def test_several_evidence_files_at_once_by_dialog_and_by_drop(demo_live, new_page, shots, tmp_path):
    """Three files chosen at once (one of them not a PDF inside): two kept, the third refused by name; then
    two more dropped on the zone. The quarter offered first is the one being worked on."""
    officer = new_page()
    sign_in(officer, "mofa.officer")
    officer.goto(f"{PLAN}indicators/1.3.1/")
    assert officer.locator("#evidence-quarter-input").input_value() == "1"
    paths = []
    for name, data in [("আদেশ.pdf", pdf_bytes()), ("উপস্থিতি.pdf", pdf_bytes(2)), ("ভুল.pdf", b"not a pdf")]:
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(str(path))
    officer.set_input_files("#evidence-file-input", paths)
    assert officer.locator(".chosen-files li").count() == 3
    shots(officer, "three-files-chosen")
    officer.click("form.evidence-upload button[type=submit]")
    officer.wait_for_selector(".upload-results li.error")
    results = officer.inner_text(".upload-results")
    assert "প্রমাণক “আদেশ” যুক্ত হয়েছে।" in results and "প্রমাণক “উপস্থিতি” যুক্ত হয়েছে।" in results
    assert "ভুল.pdf" in officer.inner_text(".upload-results li.error")
    shots(officer, "per-file-results")
    assert sorted(Evidence.objects.filter(indicator__code="1.3.1").values_list("title", flat=True)) == [
        "আদেশ",
        "উপস্থিতি",
    ]

    # Drag and drop: a DataTransfer with two files dropped on the zone, then the upload.
    encoded = base64.b64encode(pdf_bytes()).decode()
    officer.evaluate(
        """(encoded) => {
            const bytes = Uint8Array.from(atob(encoded), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], "ছবি-১.pdf", {type: "application/pdf"}));
            transfer.items.add(new File([bytes], "ছবি-২.pdf", {type: "application/pdf"}));
            const zone = document.querySelector("[data-drop-zone]");
            zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: transfer, bubbles: true, cancelable: true}));
            zone.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
        }""",
        encoded,
    )
    assert officer.locator(".chosen-files li").count() == 2
    officer.fill("#evidence-title-input", "স্থিরচিত্র")
    shots(officer, "two-files-dropped")
    officer.click("form.evidence-upload button[type=submit]")
    officer.wait_for_selector("text=প্রমাণক “স্থিরচিত্র — ছবি-২” যুক্ত হয়েছে।")
    assert Evidence.objects.filter(indicator__code="1.3.1").count() == 4
    shots(officer, "after-drop-upload")


def test_homes_after_a_return_and_the_summary_naming_offices(demo_live, new_page, shots):
    """Q1 sent: the summary opens on Q1 (the latest quarter with a report) and names who is missing. The
    reviewer returns it: the inbox keeps it as returned; the officer's home shows it with the comment."""
    from django.contrib.auth import get_user_model

    from workflow.transitions import period_transition

    users = get_user_model().objects
    period = ReportingPeriod.objects.get(plan=demo_live, quarter=1)
    for action, username in [("submit", "mofa.officer"), ("approve", "mofa.cio"), ("send", "mofa.cio")]:
        period.refresh_from_db()
        period_transition(
            period=period, action=action, user=users.get(username=username), expected_version=period.version
        )
    reviewer = new_page()
    sign_in(reviewer, "cabinet.reviewer")
    reviewer.goto("/review/summary/")
    assert reviewer.locator("#id_quarter").input_value() == "1"  # the latest quarter with a report sent
    assert "দাখিল হয়নি" in reviewer.inner_text(".summary-offices")
    shots(reviewer, "summary-offices")

    period.refresh_from_db()
    period_transition(
        period=period,
        action="review_return",
        user=users.get(username="cabinet.reviewer"),
        comment="১.৩.১-এর প্রমাণক দিন",
        expected_version=period.version,
    )
    reviewer.goto("/review/?state=returned")
    assert "১.৩.১-এর প্রমাণক দিন" in reviewer.inner_text("main")
    shots(reviewer, "inbox-returned")

    officer = new_page()
    sign_in(officer, "mofa.officer")
    text = officer.inner_text("main")
    assert "ফেরত এসেছে" in text and "১.৩.১-এর প্রমাণক দিন" in text
    shots(officer, "officer-home-returned")


def test_not_applicable_with_values_in_one_confirmed_step(demo_live, new_page, shots):
    """[১.৩.১] has values in every quarter: the first try names the quarters and keeps the typed reason; the
    confirming button clears them and marks the indicator not applicable."""
    officer = new_page()
    sign_in(officer, "mofa.officer")
    officer.goto(f"{PLAN}indicators/1.3.1/")
    officer.fill("#na-reason", "এ বছর ই-নথি কার্যক্রম প্রযোজ্য নয়")
    officer.click("form.applicability button[type=submit]")
    officer.wait_for_selector("#na-clear")
    assert officer.locator("#na-reason").input_value() == "এ বছর ই-নথি কার্যক্রম প্রযোজ্য নয়"
    assert "১, ২, ৩, ৪ ত্রৈমাসিকে অর্জন লেখা আছে" in officer.inner_text("#na-clear")
    shots(officer, "not-applicable-confirm")
    officer.click("form.applicability button.danger")
    officer.wait_for_selector(".badge.na")
    indicator = demo_live.indicators.get(code="1.3.1")
    assert not indicator.applicable
    assert not indicator.progress.filter(value_number__isnull=False).exists()
    shots(officer, "not-applicable-done")


def test_the_approved_reports_row_refreshes_itself_until_ready(demo_live, new_page, shots, settings):
    """After approval, with the rendering in a background thread, the plan page's reports row ends on the
    approved PDF without a reload."""
    from django.contrib.auth import get_user_model

    from workflow.transitions import period_transition

    settings.REPORT_JOBS_MODE = "thread"
    users = get_user_model().objects
    period = ReportingPeriod.objects.get(plan=demo_live, quarter=1)
    for action, username in [("submit", "mofa.officer"), ("approve", "mofa.cio")]:
        period.refresh_from_db()
        period_transition(
            period=period, action=action, user=users.get(username=username), expected_version=period.version
        )
    cio = new_page()
    sign_in(cio, "mofa.cio")
    cio.goto(f"{PLAN}#reports")
    row = cio.locator("#reports tbody tr").filter(has_text="ত্রৈমাসিক").first
    cio.locator("#reports").screenshot(path=str(shots.folder / "reports-row-after-approval.png"))
    row.get_by_role("link", name="অনুমোদিত PDF").wait_for(timeout=90_000)
    cio.locator("#reports").screenshot(path=str(shots.folder / "reports-row-ready.png"))
