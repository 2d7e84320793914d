"""The review of child offices (issue 16.3): from the data, as the parent may see it; the PDF with its letter;
`render_report --kind subordinate-review --quarter N`; the page, its permissions and the PDF kept as evidence
of the parent's own indicator."""

from __future__ import annotations

import datetime
import subprocess
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from evidence.models import Evidence
from indicators.models import (
    HistoryEntry,
    OfficeKind,
    PeriodState,
    PeriodTransition,
    ReportingPeriod,
    Role,
)
from indicators.periods import periods_ensure
from reports import subordinate_review as review
from reports.management.commands import render_report as command_module
from tests.factories import (
    IndicatorFactory,
    MembershipFactory,
    OfficeFactory,
    PlanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

YEAR = "2022-23"


def snapshot(percent: str, indicators: list[tuple[str, str | None, bool]]) -> dict:
    return {
        "percent": percent,
        "achieved_marks": str(Decimal(percent) / 2),
        "applicable_weight": "50.00",
        "indicators": [
            {"code": code, "raw_score": raw, "applicable": applicable} for code, raw, applicable in indicators
        ],
    }


def put(plan, quarter: int, state: str, *, submitted: datetime.datetime | None, snap=None, comments=()):
    """A period in ``state`` with the transitions that took it there (written directly: the workflow's own
    tests cover the moves; here only what the review reads matters)."""
    periods_ensure(plan)
    actor = UserFactory(username=f"actor.{plan.office.code}")
    period = ReportingPeriod.objects.get(plan=plan, quarter=quarter)
    ReportingPeriod.objects.filter(pk=period.pk).update(state=state, score_snapshot=snap)
    if submitted is not None:
        t = PeriodTransition.objects.create(
            period=period, from_state=PeriodState.DRAFT, to_state=PeriodState.SUBMITTED, user=actor
        )
        PeriodTransition.objects.filter(pk=t.pk).update(at=submitted)
    if state in (PeriodState.SENT, PeriodState.ACCEPTED):
        PeriodTransition.objects.create(
            period=period, from_state=PeriodState.APPROVED, to_state=PeriodState.SENT, user=actor
        )
    for comment in comments:
        PeriodTransition.objects.create(
            period=period,
            from_state=PeriodState.SENT,
            to_state=PeriodState.ACCEPTED,
            comment=comment,
            user=actor,
        )
    return period


@pytest.fixture
def tree():
    parent = OfficeFactory(code="parent", name_bn="ঊর্ধ্বতন মন্ত্রণালয়", kind=OfficeKind.MINISTRY)
    sent = OfficeFactory(code="a-sent", name_bn="ক অধিদপ্তর", kind=OfficeKind.DEPARTMENT, parent=parent)
    inside = OfficeFactory(code="b-inside", name_bn="খ অধিদপ্তর", kind=OfficeKind.DEPARTMENT, parent=parent)
    OfficeFactory(code="c-noplan", name_bn="গ অধিদপ্তর", kind=OfficeKind.DEPARTMENT, parent=parent)
    stranger = OfficeFactory(code="stranger", name_bn="অন্য মন্ত্রণালয়")
    sent_plan = PlanFactory(office=sent)
    weak = IndicatorFactory(plan=sent_plan, activity__area__plan=sent_plan, title="দুর্বল সূচক", code="1.1.1")
    IndicatorFactory(plan=sent_plan, activity__area__plan=sent_plan, title="ভালো সূচক", code="1.1.2")
    periods_ensure(sent_plan)
    q2 = ReportingPeriod.objects.get(plan=sent_plan, quarter=2)
    late_day = timezone.make_aware(
        datetime.datetime.combine(q2.deadline + datetime.timedelta(days=3), datetime.time(11))
    )
    put(
        sent_plan,
        2,
        PeriodState.ACCEPTED,
        submitted=late_day,
        snap=snapshot(
            "45.50", [(weak.code, "40.00", True), ("1.1.2", "95.00", True), ("9.9.9", None, False)]
        ),
        comments=["প্রমাণক যথাযথ।"],
    )
    inside_plan = PlanFactory(office=inside)
    put(inside_plan, 2, PeriodState.APPROVED, submitted=timezone.now(), snap=snapshot("99.00", []))
    parent_plan = PlanFactory(office=parent)
    own = IndicatorFactory(
        plan=parent_plan, activity__area__plan=parent_plan, title="অধীন দপ্তরের প্রতিবেদন পর্যালোচিত"
    )
    periods_ensure(parent_plan)
    return {"parent": parent, "sent": sent, "inside": inside, "stranger": stranger, "own": own, "weak": weak}


def test_the_review_shows_each_child_as_the_parent_may_see_it(tree):
    data = review.subordinate_review(tree["parent"], tree["own"].plan.fiscal_year, 2)
    rows = {row.office.code: row for row in data.rows}
    assert list(rows) == ["a-sent", "b-inside", "c-noplan"]  # by Bangla name: ক, খ, গ
    sent = rows["a-sent"]
    assert sent.received and sent.late is True and sent.timeliness == "বিলম্বে"
    assert sent.percent == "৪৫.৫%" and sent.percent_value == Decimal("45.50")
    # Only the applicable indicator below 60 %, with its title from the plan.
    assert [(w.code, w.title, w.raw_score) for w in sent.weak] == [("১.১.১", "দুর্বল সূচক", "৪০%")]
    assert sent.comments == ["প্রমাণক যথাযথ।"]
    # Approved but not sent: still inside the child office, so neither its state nor its 99 % is shown.
    inside = rows["b-inside"]
    assert (
        not inside.received and inside.state == "প্রাপ্ত হয়নি" and inside.percent == "" and inside.late is None
    )
    assert rows["c-noplan"].state == "পরিকল্পনা নেই"
    assert data.average_percent == Decimal("45.50") and len(data.late) == 1


def test_the_pdf_carries_the_letter_and_the_table_in_words_that_come_back(tree, tmp_path):
    rendered = review.render_subordinate_review(
        tree["parent"], tree["own"].plan.fiscal_year, 2, today=datetime.date(2023, 1, 20)
    )
    assert rendered.pdf.startswith(b"%PDF-") and rendered.pages == 2
    path = tmp_path / "review.pdf"
    path.write_bytes(rendered.pdf)
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for words in ("অর্ধবার্ষিক স্ব-মূল্যায়ন প্রতিবেদন পর্যালোচনা", "ক অধিদপ্তর", "দুর্বল সূচক", "বিলম্বে", "প্রাপ্ত হয়নি"):
        assert words in text
    assert "২০ জানুয়ারি ২০২৩" in text  # the letter's Gregorian date
    assert "৯৯" not in text  # the unsent report's figure stays inside its office


def test_a_quarter_outside_1_to_4_and_an_office_without_children_are_refused(tree):
    year = tree["own"].plan.fiscal_year
    with pytest.raises(review.DomainError, match="ত্রৈমাসিক"):
        review.subordinate_review(tree["parent"], year, 5)
    with pytest.raises(review.DomainError, match="কোনো দপ্তর নেই"):
        review.render_subordinate_review(tree["stranger"], year, 2)


def run_command(*args: str, capsys) -> tuple[int, str, str]:
    command = command_module.Command()
    try:
        command.run_from_argv(["manage.py", "render_report", *args])
        status = 0
    except SystemExit as exit:
        status = exit.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_render_report_writes_the_review(tree, tmp_path, capsys):
    out = tmp_path / "review.pdf"
    args = [
        "--office",
        "parent",
        "--year",
        YEAR,
        "--kind",
        "subordinate-review",
        "--quarter",
        "২",
        "--out",
        str(out),
    ]
    status, printed, _err = run_command(*args, capsys=capsys)
    assert status == 0 and out.read_bytes().startswith(b"%PDF-")
    assert "SHA-256" in printed


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--office", "parent", "--year", YEAR], "ত্রৈমাসিক (১-৪)"),  # no quarter
        (["--office", "stranger", "--year", YEAR, "--quarter", "2"], "কোনো দপ্তর নেই"),
        (["--office", "parent", "--year", "2030-31", "--quarter", "2"], "অর্থবছরটি নেই"),
    ],
)
def test_render_report_refuses_in_bangla_and_writes_nothing(tree, tmp_path, capsys, extra, message):
    out = tmp_path / "review.pdf"
    status, _out, err = run_command(*extra, "--kind", "subordinate-review", "--out", str(out), capsys=capsys)
    assert status == 1 and message in err
    assert not out.exists()


# --- the page ------------------------------------------------------------------------------------------------


def client_for(office, role) -> Client:
    user = UserFactory(username=f"{office.code}.{role}")
    MembershipFactory(user=user, office=office, role=role)
    client = Client()
    client.force_login(user)
    return client


def page_url(office="parent", quarter=2) -> str:
    return reverse("workflow:children_review", args=[office, YEAR, quarter])


def pdf_url(office="parent", quarter=2) -> str:
    return reverse("workflow:children_review_pdf", args=[office, YEAR, quarter])


def test_anonymous_users_are_sent_to_sign_in(tree):
    for url in (page_url(), pdf_url()):
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["stranger", "child"])
def test_other_offices_and_the_child_offices_themselves_get_404(tree, who):
    office = tree["stranger"] if who == "stranger" else tree["sent"]
    client = client_for(office, Role.CIO)
    for url in (page_url(), pdf_url()):
        assert client.get(url).status_code == 404
    assert client.post(page_url(), {"indicator": tree["own"].pk}).status_code == 404
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.OFFICER, Role.CIO, Role.ADMIN])
def test_members_of_the_parent_office_read_the_review_and_download_the_pdf(tree, role):
    client = client_for(tree["parent"], role)
    page = client.get(page_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert "ক অধিদপ্তর" in body and "দুর্বল সূচক" in body and "৯৯" not in body
    download = client.get(pdf_url())
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF-")
    # The attach form only for those who edit the office's plan.
    assert ('name="indicator"' in body) == (role in (Role.OFFICER, Role.CIO))


def test_an_unknown_quarter_or_year_is_404(tree):
    client = client_for(tree["parent"], Role.REVIEWER)
    assert client.get(page_url(quarter=5)).status_code == 404
    assert client.get(reverse("workflow:children_review", args=["parent", "2030-31", 2])).status_code == 404


def test_the_officer_keeps_the_pdf_as_evidence_of_an_own_indicator(tree):
    client = client_for(tree["parent"], Role.OFFICER)
    response = client.post(page_url(), {"indicator": tree["own"].pk})
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.indicator == tree["own"] and evidence.quarter == 2
    assert "পর্যালোচনা" in evidence.title
    assert HistoryEntry.objects.filter(indicator=tree["own"]).exists()  # through the evidence service


def test_a_reviewer_who_does_not_edit_the_plan_cannot_attach(tree):
    client = client_for(tree["parent"], Role.REVIEWER)
    assert client.post(page_url(), {"indicator": tree["own"].pk}).status_code == 404
    assert not Evidence.objects.exists()


def test_a_locked_quarter_refuses_the_evidence_with_the_services_message(tree):
    plan = tree["own"].plan
    ReportingPeriod.objects.filter(plan=plan, quarter__lte=2).update(state=PeriodState.SUBMITTED)
    client = client_for(tree["parent"], Role.OFFICER)
    response = client.post(page_url(), {"indicator": tree["own"].pk})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not Evidence.objects.exists()


def test_an_indicator_of_another_plan_is_not_a_choice(tree):
    client = client_for(tree["parent"], Role.OFFICER)
    response = client.post(page_url(), {"indicator": tree["weak"].pk})
    assert response.status_code == 200 and not Evidence.objects.exists()


def test_the_home_page_links_the_review_for_parent_offices_only(tree):
    parent_home = client_for(tree["parent"], Role.REVIEWER).get("/").content.decode()
    assert "children-review-title" in parent_home
    child_home = client_for(tree["sent"], Role.OFFICER).get("/").content.decode()
    assert "children-review-title" not in child_home


def test_the_demo_renders_through_call_command(tree, tmp_path):
    out = tmp_path / "r.pdf"
    call_command(
        "render_report",
        "--office",
        "parent",
        "--year",
        YEAR,
        "--kind",
        "subordinate-review",
        "--quarter",
        "2",
        "--out",
        str(out),
        stdout=__import__("io").StringIO(),
    )
    assert out.stat().st_size > 10_000
