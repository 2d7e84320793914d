"""Issue 11's findings, each reproduced through the door it was found at: every test here failed before the
approved record became versions with one write path (DESIGN.md §4).

1 re-approval kept the first PDF; 2 quarters out of order; 3 applicability after approval; 4 the admin
writing around the rules; 7 server errors on bad input; 8 what a reviewer could learn of unsent quarters.
(5, formulas in exports, and 6, PDFs carrying files, have their own tests in tests/indicators/test_sheets.py,
tests/evidence/test_pdf_check.py and tests/reports/test_annex_active_content.py.)
"""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from base import errors
from base.errors import DomainError
from evidence.models import Evidence
from evidence.services import evidence_attach, evidence_remove
from indicators import periods
from indicators.models import (
    Activity,
    Approval,
    HistoryEntry,
    HistoryKind,
    Indicator,
    PerformanceArea,
    PeriodState,
    Progress,
    ReportingPeriod,
)
from indicators.services import progress as progress_services
from indicators.services.progress import progress_import
from indicators.sheets import csv_bytes, read_sheet_bytes
from reports.models import ApprovedReport
from tests.files import pdf_bytes
from workflow import transitions

PLAN_URL = "/plans/mofa/2022-23/"
Q1_REPORT = "/plans/mofa/2022-23/reports/quarterly-1.pdf"
ACTORS = {
    "submit": "mofa.officer",
    "return": "mofa.cio",
    "approve": "mofa.cio",
    "send": "mofa.cio",
    "accept": "cabinet.reviewer",
    "review_return": "cabinet.reviewer",
}


def user(name: str):
    return get_user_model().objects.get(username=name)


def act(plan, quarter: int, *actions: str, comment: str = "কারণ") -> ReportingPeriod:
    for action in actions:
        period = periods.periods_ensure(plan)[quarter - 1]
        transitions.period_transition(
            period=period,
            action=action,
            user=user(ACTORS[action]),
            comment=comment,
            expected_version=period.version,
        )
    return ReportingPeriod.objects.get(plan=plan, quarter=quarter)


def state(plan, quarter: int) -> str:
    return ReportingPeriod.objects.get(plan=plan, quarter=quarter).state


def verify() -> tuple[int, dict]:
    out = io.StringIO()
    try:
        call_command("verify_reports", json=True, stdout=out)
    except CommandError:
        return 1, json.loads(out.getvalue())
    return 0, json.loads(out.getvalue())


# ---------------------------------------------------------------------------------------------------------
# 1. Re-approval renders and serves its own copy; the first stays, superseded


def test_a_new_approval_serves_its_own_pdf_and_keeps_the_first_as_superseded(client, demo, settings):
    """Q1 approved and sent → returned by the reviewer → evidence removed and a value changed → approved and
    sent again: the reviewer downloads the new copy (not the first one, byte for byte); the first stays
    downloadable as version 1 and the plan page marks it superseded; verify_reports agrees."""
    settings.REPORT_JOBS_MODE = "inline"
    indicator = demo.indicators.get(code="1.3.1")
    evidence = evidence_attach(
        indicator=indicator, title="দুইশো পাতার প্রমাণক", data=pdf_bytes(3), original_name="e.pdf", quarter=1
    )
    act(demo, 1, "submit", "approve", "send")
    first = ApprovedReport.objects.get(approval__period__plan=demo, approval__period__quarter=1)
    client.force_login(user("cabinet.reviewer"))
    first_bytes = b"".join(client.get(Q1_REPORT).streaming_content)
    assert first_bytes == first.file.open("rb").read()

    act(demo, 1, "review_return", comment="মান ঠিক করুন")
    evidence_remove(evidence=evidence, user=user("mofa.officer"), reason="ভুল ফাইল")
    stored = indicator.progress.get(quarter=1)
    progress_services.progress_record(
        indicator=indicator,
        quarter=1,
        value=Decimal("70"),
        remark="",
        user=user("mofa.officer"),
        expected_version=stored.version,
    )
    act(demo, 1, "submit", "approve", "send")

    second = ApprovedReport.objects.get(
        approval__period__plan=demo, approval__period__quarter=1, approval__number=2
    )
    response = client.get(Q1_REPORT)
    assert response["X-Report-SHA256"] == second.sha256 != first.sha256
    assert b"".join(response.streaming_content) != first_bytes
    assert second.pages == first.pages - 3  # the removed evidence's pages are gone
    old = client.get(f"{Q1_REPORT.removesuffix('.pdf')}/versions/1.pdf")
    assert b"".join(old.streaming_content) == first_bytes
    approvals = list(Approval.objects.filter(period__plan=demo, period__quarter=1).order_by("number"))
    assert [a.superseded_at is not None for a in approvals] == [True, False]
    assert approvals[0].score_snapshot != approvals[1].score_snapshot
    client.force_login(user("mofa.officer"))
    page = client.get(PLAN_URL).content.decode()
    assert "বাতিল — ফেরতের পর আর প্রযোজ্য নয়" in page and "/versions/1.pdf" in page and "/versions/2.pdf" in page
    assert verify()[0] == 0


def test_verify_reports_names_a_standing_approval_whose_data_changed(demo):
    """A value changed behind the workflow's back (a direct database write) under a standing approval:
    verify_reports exits 1 naming the office, the quarter and both figures."""
    act(demo, 1, "submit", "approve")
    assert verify() == (0, verify()[1])
    Progress.objects.filter(indicator__plan=demo, indicator__code="1.3.1", quarter=1).update(value_number=0)
    status, report = verify()
    assert status == 1 and not report["ok"]
    problems = {p["problem"]: p for p in report["approval_problems"]}
    assert set(problems) == {"marks", "source"}
    marks = problems["marks"]
    assert (marks["office"], marks["year"], marks["quarter"], marks["version"]) == ("mofa", "2022-23", 1, 1)
    assert marks["stored"] != marks["now"]


# ---------------------------------------------------------------------------------------------------------
# 2. Quarters in order; a return takes the later quarters with it


def test_a_quarter_cannot_be_submitted_before_the_earlier_ones(client, demo):
    """Q3 while Q1 and Q2 are drafts: refused by the service and in the browser, with the reason in Bangla."""
    period = periods.periods_ensure(demo)[2]
    with pytest.raises(DomainError, match="ক্রমানুসারে"):
        transitions.period_transition(
            period=period, action="submit", user=user("mofa.officer"), expected_version=0
        )
    client.force_login(user("mofa.officer"))
    response = client.post(f"{PLAN_URL}periods/3/submit/", {"version": "0", "confirmed": "1"}, follow=True)
    assert "ত্রৈমাসিকগুলো ক্রমানুসারে এগোয়" in response.content.decode()
    assert state(demo, 3) == PeriodState.DRAFT
    assert "action-submit" not in _period_html(response.content.decode(), 3)


def _period_html(page: str, quarter: int) -> str:
    start = page.index(f'id="period-{quarter}"')
    return page[start : page.index("</article>", start)]


def test_returning_a_quarter_returns_the_later_quarters_too(demo):
    """Q1 and Q2 sent; the reviewer returns Q1: Q2 is returned with it, its approval superseded, and Q2's
    marks can then follow Q1's corrected data without any stored figure disagreeing."""
    act(demo, 1, "submit", "approve", "send")
    act(demo, 2, "submit", "approve", "send")
    act(demo, 1, "review_return", comment="আবার দেখুন")
    assert (state(demo, 1), state(demo, 2)) == (PeriodState.RETURNED, PeriodState.RETURNED)
    q2 = ReportingPeriod.objects.get(plan=demo, quarter=2)
    assert q2.score_snapshot is None and not Approval.objects.standing().filter(period=q2).exists()
    returned = q2.transitions.order_by("-pk").first()
    assert "ফেরতের সঙ্গে" in returned.comment and returned.user == user("cabinet.reviewer")
    assert verify()[0] == 0


# ---------------------------------------------------------------------------------------------------------
# 3. Applicability is frozen while a quarter stands approved


def test_applicability_cannot_change_while_a_quarter_is_approved(client, demo):
    """Q1 approved and sent: marking an indicator (not) applicable is refused in the service, the browser and
    the progress sheet; Q1's live marks stay those approved."""
    act(demo, 1, "submit", "approve", "send")
    indicator = demo.indicators.get(code="2.2.4")  # not applicable in the demo
    with pytest.raises(errors.LockedError, match="ফেরত পাঠাতে হবে"):
        progress_services.indicator_set_applicability(
            indicator=indicator, applicable=True, reason="", user=user("mofa.officer")
        )
    client.force_login(user("mofa.officer"))
    response = client.post(
        f"{PLAN_URL}indicators/2.2.4/applicability/", {"applicable": "1", "reason": ""}, follow=True
    )
    assert "প্রযোজ্যতা এখন বদলানো যাবে না" in response.content.decode()
    sheet = read_sheet_bytes(
        csv_bytes(["সূচক নং", "ত্রৈমাসিক", "অর্জন", "মন্তব্য", "প্রযোজ্যতা"], [["2.2.4", "", "", "", "প্রযোজ্য"]]),
        name="p.csv",
    )
    with pytest.raises(DomainError):
        progress_import(plan=demo, sheet=sheet, user=user("mofa.officer"))
    assert not Indicator.objects.get(pk=indicator.pk).applicable
    assert verify()[0] == 0


# ---------------------------------------------------------------------------------------------------------
# 4. The admin goes through the services


@pytest.fixture
def admin_client(client, demo):
    client.force_login(user("admin"))
    return client


def test_admin_cannot_move_evidence_into_a_sent_quarter(admin_client, demo):
    """Evidence of open Q4 moved to sent Q1 in the admin: refused with the reason, nothing saved, no history."""
    evidence = evidence_attach(
        indicator=demo.indicators.get(code="1.3.1"),
        title="প্রমাণক",
        data=pdf_bytes(),
        original_name="e.pdf",
        quarter=4,
    )
    act(demo, 1, "submit", "approve", "send")
    history = HistoryEntry.objects.count()
    response = admin_client.post(
        f"/admin/evidence/evidence/{evidence.pk}/change/",
        {"quarter": "1", "title": evidence.title, "position": evidence.position},
        follow=True,
    )
    assert "১ম ত্রৈমাসিকের তথ্য এখন বদলানো যাবে না" in response.content.decode()
    assert Evidence.objects.get(pk=evidence.pk).quarter == 4
    assert HistoryEntry.objects.count() == history


def test_admin_moves_evidence_between_open_quarters_with_history(admin_client, demo):
    evidence = evidence_attach(
        indicator=demo.indicators.get(code="1.3.1"),
        title="প্রমাণক",
        data=pdf_bytes(),
        original_name="e.pdf",
        quarter=4,
    )
    response = admin_client.post(
        f"/admin/evidence/evidence/{evidence.pk}/change/",
        {"quarter": "3", "title": "নতুন শিরোনাম", "position": evidence.position},
    )
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert (evidence.quarter, evidence.title) == (3, "নতুন শিরোনাম")
    entry = HistoryEntry.objects.get(kind=HistoryKind.EVIDENCE_CHANGED)
    assert "Q4" in entry.before and "Q3" in entry.after and entry.user == user("admin")


@pytest.mark.parametrize(("model", "url"), [(PerformanceArea, "performancearea"), (Activity, "activity")])
def test_admin_titles_are_frozen_with_a_sent_quarter_and_kept_in_history_otherwise(
    admin_client, demo, model, url
):
    """Area and activity titles: refused (403, unchanged) while a quarter is sent; changed with a history
    entry while every quarter is open; also through the plan page's inline."""
    item = model.objects.filter(plan=demo).order_by("position").first()
    data = {"title": "নতুন নাম", "position": item.position}
    response = admin_client.post(f"/admin/indicators/{url}/{item.pk}/change/", data)
    assert response.status_code == 302
    assert model.objects.get(pk=item.pk).title == "নতুন নাম"
    entry = HistoryEntry.objects.filter(kind=HistoryKind.PLAN).latest("pk")
    assert "নতুন নাম" in entry.after and entry.user == user("admin")
    act(demo, 1, "submit", "approve", "send")
    response = admin_client.post(f"/admin/indicators/{url}/{item.pk}/change/", {**data, "title": "আবার"})
    assert response.status_code == 403
    assert model.objects.get(pk=item.pk).title == "নতুন নাম"


def test_admin_progress_list_offers_no_delete_and_a_posted_delete_removes_nothing(admin_client, demo):
    """Progress is cleared through the service (history, version), never deleted by the changelist action."""
    page = admin_client.get("/admin/indicators/progress/").content.decode()
    assert 'value="delete_selected"' not in page
    rows = Progress.objects.count()
    pks = list(Progress.objects.values_list("pk", flat=True)[:3])
    admin_client.post("/admin/indicators/progress/", {"action": "delete_selected", "_selected_action": pks})
    assert Progress.objects.count() == rows


def test_admin_progress_save_over_a_newer_value_is_refused(admin_client, demo):
    """The admin's form carries the version it was loaded with: saving over a value the officer changed since
    is refused with the reason, and the officer's value stays."""
    indicator = demo.indicators.get(code="1.3.1")
    progress = indicator.progress.get(quarter=4)
    loaded = progress.version
    progress_services.progress_record(
        indicator=indicator,
        quarter=4,
        value=Decimal("84"),
        remark="",
        user=user("mofa.officer"),
        expected_version=loaded,
    )
    response = admin_client.post(
        f"/admin/indicators/progress/{progress.pk}/change/",
        {"value_number": "50", "value_date": "", "remark": "", "loaded_version": loaded},
        follow=True,
    )
    assert "অন্য কেউ এই মানটি বদলেছেন" in response.content.decode()
    assert indicator.progress.get(quarter=4).value_number == Decimal("84")


# ---------------------------------------------------------------------------------------------------------
# 7. Bad input gets a Bangla message, never a server error


def test_a_value_too_large_for_the_column_is_refused_in_bangla_in_the_browser(client, demo):
    """13 integer digits: the database column holds 12. The in-place editor says so (no 500)."""
    client.force_login(user("mofa.officer"))
    progress = Progress.objects.get(indicator__plan=demo, indicator__code="1.3.1", quarter=4)
    response = client.post(
        f"{PLAN_URL}indicators/1.3.1/q4/",
        {"value": "1234567890123", "remark": "", "version": str(progress.version)},
    )
    assert response.status_code == 200
    assert "সংখ্যাটি অনেক বড়" in response.content.decode()
    assert Progress.objects.get(pk=progress.pk).value_number == progress.value_number


@pytest.mark.parametrize(("action", "length"), [("submit", 2001)])
def test_a_comment_over_its_limit_is_refused(demo, action, length):
    period = periods.periods_ensure(demo)[0]
    with pytest.raises(DomainError, match="অনেক লম্বা"):
        transitions.period_transition(
            period=period, action=action, user=user("mofa.officer"), comment="ক" * length, expected_version=0
        )
    assert state(demo, 1) == PeriodState.DRAFT


def test_a_not_applicable_reason_over_its_limit_is_refused(demo):
    indicator = demo.indicators.get(code="1.3.1")
    with pytest.raises(DomainError, match="অনেক লম্বা"):
        progress_services.indicator_set_applicability(
            indicator=indicator, applicable=False, reason="ক" * 1001, user=user("mofa.officer")
        )


# ---------------------------------------------------------------------------------------------------------
# 8. A reviewer learns nothing of unsent quarters


def test_a_reviewer_posting_to_an_unsent_quarter_gets_404_and_learns_nothing(client, demo):
    act(demo, 1, "submit", "approve")  # approved, not sent
    client.force_login(user("cabinet.reviewer"))
    response = client.post(f"{PLAN_URL}periods/1/accept/", {"version": "2", "confirmed": "1"}, follow=True)
    assert response.status_code == 404
    body = response.content.decode()
    assert "অনুমোদিত" not in body and "approved" not in body
    assert state(demo, 1) == PeriodState.APPROVED


def test_the_reviewers_plan_page_counts_only_evidence_of_sent_quarters(client, demo):
    indicator = demo.indicators.get(code="1.3.1")
    for quarter in (1, 2, 2, None):
        evidence_attach(
            indicator=indicator, title="প্রমাণক", data=pdf_bytes(), original_name="e.pdf", quarter=quarter
        )
    act(demo, 1, "submit", "approve", "send")
    client.force_login(user("cabinet.reviewer"))
    page = client.get(PLAN_URL).content.decode()
    assert "প্রমাণক ১টি" in page and "প্রমাণক ৪টি" not in page
