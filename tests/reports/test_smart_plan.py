"""The Smart Bangladesh action plan (issue 16.2): the demo's seed 003 plan of msw, the services' rules, the PDF
and command, the page and its permissions, the approval kept as evidence with the indicator's date filled."""

from __future__ import annotations

import datetime
import io
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from base.errors import ConflictError, DomainError, PermissionDeniedError
from evidence.models import Evidence
from indicators.models import FiscalYear, Progress, Role
from indicators.periods import periods_ensure
from reports import smart_plan as service
from reports.models import MeetingState, SmartPlan
from tests.factories import DateIndicatorFactory, MembershipFactory, OfficeFactory, PlanFactory, UserFactory

pytestmark = pytest.mark.django_db


def pdftotext(data: bytes, tmp_path) -> str:
    path = tmp_path / "s.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def demo(db):
    call_command("load_demo", password="test-pass-123", stdout=io.StringIO())
    return SmartPlan.objects.get(office__code="msw")


def test_the_demo_carries_seed_003_with_its_seven_initiatives(demo, tmp_path):
    assert demo.fiscal_year.start_year == 2023 and demo.state == MeetingState.APPROVED
    initiatives = list(demo.initiatives.all())
    assert len(initiatives) == 7
    assert initiatives[0].name == "মন্ত্রণালয়ের সকল ডিজিটাল সার্ভিসের ইন্টিগ্রেটেড স্মার্ট ড্যাশবোর্ড"
    assert [i.term for i in initiatives] == ["short", "short", "medium", "medium", "long", "long", "long"]
    text = pdftotext(service.render_smart_plan(demo).pdf, tmp_path)
    for words in (
        "স্মার্ট বাংলাদেশ বিনির্মাণ বিষয়ক কর্মপরিকল্পনা ২০২৩-২৪",
        "৪১.০০.০০০০.০২২.৯৯.০২৫.১৭.৫৪",
        "১১ চৈত্র ১৪৩০",  # 25 March 2024 in the Bangla calendar (DESIGN.md §6)
        "২৫ মার্চ ২০২৪",
        "স্মার্ট সোশ্যাল সেফটি নেট",
        "মোঃ মাসুদুল হক ভূঁইয়া",
        "জুন ২০২৬",
    ):
        assert words in text, words
    # The summary of the reviews still opens on the year with plans, not on 2023-24 that holds only this.
    from workflow.inbox import fiscal_years

    assert fiscal_years()[0].start_year == 2022


def test_render_report_smart_plan(demo, tmp_path):
    out = tmp_path / "s.pdf"
    call_command(
        "render_report",
        "--office",
        "msw",
        "--year",
        "2023-24",
        "--kind",
        "smart-plan",
        "--out",
        str(out),
        stdout=io.StringIO(),
    )
    assert out.read_bytes().startswith(b"%PDF-")
    with pytest.raises(CommandError, match="স্মার্ট বাংলাদেশ কর্মপরিকল্পনা নেই"):
        call_command(
            "render_report",
            "--office",
            "mofa",
            "--year",
            "2023-24",
            "--kind",
            "smart-plan",
            "--out",
            str(tmp_path / "x.pdf"),
            stdout=io.StringIO(),
        )
    assert not (tmp_path / "x.pdf").exists()


@pytest.fixture
def office(db):
    office = OfficeFactory(code="own")
    year = FiscalYear.objects.get_or_create(start_year=2023)[0]
    plan = PlanFactory(office=office, fiscal_year=year)
    indicator = DateIndicatorFactory(
        plan=plan,
        activity__area__plan=plan,
        title="স্মার্ট বাংলাদেশ কর্মপরিকল্পনা প্রণীত",
        target_100_date=datetime.date(2024, 3, 31),
        target_90_date=datetime.date(2024, 4, 15),
        target_80_date=datetime.date(2024, 4, 30),
        target_70_date=datetime.date(2024, 5, 15),
        target_60_date=datetime.date(2024, 5, 31),
    )
    periods_ensure(plan)
    users = {}
    for role in (Role.OFFICER, Role.CIO, Role.REVIEWER):
        users[role] = UserFactory(username=f"own.{role}")
        MembershipFactory(user=users[role], office=office, role=role)
    return office, year, indicator, users


INITIATIVE = {"name": "স্মার্ট সেবা", "description": "বিবরণ", "term": "medium", "time_frame": "জুন ২০২৫"}


def test_the_team_writes_and_the_cio_approves_with_evidence_and_the_date(office, tmp_path):
    found, year, indicator, users = office
    plan = service.smart_plan_get_or_create(office=found, fiscal_year=year, user=users[Role.OFFICER])
    assert "স্মার্ট বাংলাদেশ বিনির্মাণ" in plan.subject
    plan = service.smart_plan_update(
        smart_plan=plan,
        user=users[Role.OFFICER],
        expected_version=0,
        initiatives=[INITIATIVE, {}],
        letter_date=datetime.date(2024, 3, 25),
    )
    assert plan.initiatives.count() == 1  # the empty row is no initiative
    with pytest.raises(ConflictError):
        service.smart_plan_update(smart_plan=plan, user=users[Role.CIO], expected_version=0, memo_number="x")
    with pytest.raises(PermissionDeniedError):
        service.smart_plan_approve(
            smart_plan=plan, user=users[Role.OFFICER], expected_version=1, pdf_bytes=b""
        )
    pdf = service.render_smart_plan(plan, draft=False).pdf
    done = service.smart_plan_approve(
        smart_plan=plan, user=users[Role.CIO], expected_version=1, pdf_bytes=pdf, indicator=indicator
    )
    assert done.filled_value == datetime.date(2024, 3, 25)
    progress = Progress.objects.get(indicator=indicator, quarter=3)  # 25 March: Q3 of 2023-24
    assert progress.value_date == datetime.date(2024, 3, 25)
    assert Evidence.objects.filter(indicator=indicator, quarter=3).count() == 1
    with pytest.raises(DomainError, match="অনুমোদিত"):
        service.smart_plan_update(smart_plan=plan, user=users[Role.CIO], expected_version=2, memo_number="x")


def test_a_reviewer_or_stranger_cannot_start_one_and_an_empty_plan_is_not_approved(office):
    found, year, _indicator, users = office
    for user in (users[Role.REVIEWER], UserFactory(username="stranger")):
        with pytest.raises(PermissionDeniedError):
            service.smart_plan_get_or_create(office=found, fiscal_year=year, user=user)
    plan = service.smart_plan_get_or_create(office=found, fiscal_year=year, user=users[Role.CIO])
    with pytest.raises(DomainError, match="অন্তত একটি উদ্যোগ"):
        service.smart_plan_approve(smart_plan=plan, user=users[Role.CIO], expected_version=0, pdf_bytes=b"")


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_page_permissions_and_the_browser_flow(office):
    _found, _year, indicator, users = office
    url, pdf_url = "/smart-plan/own/2023-24/", "/smart-plan/own/2023-24.pdf"
    assert Client().get(url).status_code == 302
    assert login(UserFactory(username="stranger")).get(url).status_code == 404
    reviewer = login(users[Role.REVIEWER])
    assert reviewer.get(url).status_code == 200
    assert reviewer.post(url, {"action": "start"}).status_code == 404
    assert not SmartPlan.objects.exists()
    officer = login(users[Role.OFFICER])
    assert officer.post(url, {"action": "start"}).status_code == 302
    data = {
        "action": "save",
        "version": "0",
        "memo_number": "১২.৩৪",
        "letter_date": "২৫/০৩/২০২৪",
        "initiatives-TOTAL_FORMS": "1",
        "initiatives-INITIAL_FORMS": "0",
        "initiatives-MIN_NUM_FORMS": "0",
        "initiatives-MAX_NUM_FORMS": "100",
        **{f"initiatives-0-{k}": v for k, v in INITIATIVE.items()},
    }
    assert officer.post(url, data).status_code == 302
    assert SmartPlan.objects.get().initiatives.count() == 1
    assert (
        officer.post(url, {"action": "approve", "version": "1"}).status_code == 404
    )  # officers do not approve
    cio = login(users[Role.CIO])
    assert (
        cio.post(url, {"action": "approve", "version": "1", "indicator": str(indicator.pk)}).status_code
        == 302
    )
    assert SmartPlan.objects.get().state == MeetingState.APPROVED
    download = reviewer.get(pdf_url)
    assert download.status_code == 200 and download.content.startswith(b"%PDF-")
