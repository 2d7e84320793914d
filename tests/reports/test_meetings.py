"""Review meetings and their minutes (issue 16.1): the demo's seed 004 meeting, the services' rules (who, versions,
read-only once approved, all or nothing at approval), the minutes PDF and command, the pages and their
permissions."""

from __future__ import annotations

import datetime
import io
import subprocess
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from base.errors import ConflictError, DomainError, PermissionDeniedError
from evidence.models import Evidence
from indicators.models import HistoryEntry, PeriodState, Progress, ReportingPeriod, Role
from indicators.periods import periods_ensure
from reports import meetings, minutes
from reports.models import Meeting, MeetingState
from tests.factories import IndicatorFactory, MembershipFactory, OfficeFactory, PlanFactory, UserFactory

pytestmark = pytest.mark.django_db


def pdftotext(data: bytes, tmp_path) -> str:
    path = tmp_path / "m.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def demo_meeting(db):
    call_command("load_demo", password="test-pass-123", stdout=io.StringIO())
    return Meeting.objects.get(office__code="sid", number=1)


def test_the_demo_carries_seed_004_as_sids_approved_meeting_1(demo_meeting, tmp_path):
    assert demo_meeting.state == MeetingState.APPROVED
    items = list(demo_meeting.items.all())
    assert len(items) == 13
    assert [i.indicator_code for i in items[:3]] == ["1.1.1", "1.2.1", "1.2.2"]
    assert items[-1].indicator_code == ""  # the seed's 13th item is the BBS review, not an indicator
    text = pdftotext(minutes.render_minutes(demo_meeting).pdf, tmp_path)
    for words in (
        "পর্যালোচনা সভার কার্যবিবরণী",
        "শেখ মোঃ কাবেদুল ইসলাম",
        "সম্মেলনকক্ষ (ব্লক-বি)",
        "০৮/১০/২০২২",
        "ক্রম",
        "সিদ্ধান্ত",
        "বাস্তবায়নে",
        "[১.১.১]",
        "২৫ আশ্বিন ১৪২৯",  # the Bangla-calendar date of 10 October 2022 (DESIGN.md §6)
        "১০ অক্টোবর ২০২২",
        "৫২.০০.০০০০.০২২.০৫.০০১.২২-৭৮",
        "(৭) অফিস কপি।",
    ):
        assert words in text, words
    assert "খসড়া তালিকা" in text and text.count("খসড়া") == 1  # the item's own word; no draft mark
    # load_demo again keeps the meeting as it is.
    call_command("load_demo", password="test-pass-123", stdout=io.StringIO())
    assert Meeting.objects.filter(office__code="sid").count() == 1


def test_render_report_minutes_command(demo_meeting, tmp_path):
    out = tmp_path / "minutes.pdf"
    call_command(
        "render_report",
        "--office",
        "sid",
        "--year",
        "2022-23",
        "--kind",
        "minutes",
        "--meeting",
        "১",
        "--out",
        str(out),
        stdout=io.StringIO(),
    )
    assert out.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(("meeting", "message"), [("7", "৭ নম্বর সভা নেই"), (None, "সভার নম্বর দিন")])
def test_render_report_minutes_refuses_in_bangla(demo_meeting, tmp_path, meeting, message):
    from django.core.management.base import CommandError

    out = tmp_path / "minutes.pdf"
    args = ["--office", "sid", "--year", "2022-23", "--kind", "minutes", "--out", str(out)]
    if meeting:
        args += ["--meeting", meeting]
    with pytest.raises(CommandError, match=message):
        call_command("render_report", *args, stdout=io.StringIO())
    assert not out.exists()


# --- the services ------------------------------------------------------------------------------------------


@pytest.fixture
def office_plan(db):
    office = OfficeFactory(code="own")
    plan = PlanFactory(office=office)
    meetings_indicator = IndicatorFactory(
        plan=plan, activity__area__plan=plan, title="পর্যালোচনা সভা আয়োজিত", calc_method="sum"
    )
    periods_ensure(plan)
    users = {}
    for role in (Role.OFFICER, Role.CIO, Role.REVIEWER):
        users[role] = UserFactory(username=f"own.{role}")
        MembershipFactory(user=users[role], office=office, role=role)
    return office, plan, meetings_indicator, users


def new_meeting(office, plan, user, day=datetime.date(2022, 8, 10)):
    return meetings.meeting_create(
        office=office, fiscal_year=plan.fiscal_year, user=user, held_on=day, chair_name="সভাপতি"
    )


def test_a_new_meeting_starts_from_the_plans_indicators_with_progress_so_far(office_plan):
    office, plan, indicator, users = office_plan
    Progress.objects.create(indicator=indicator, quarter=1, value_number=Decimal("2"))
    meeting = new_meeting(office, plan, users[Role.OFFICER])
    assert meeting.number == 1 and meeting.state == MeetingState.DRAFT
    [item] = meeting.items.all()
    assert item.indicator_code == indicator.code and "এ পর্যন্ত অগ্রগতি: ২।" in item.discussion
    assert new_meeting(office, plan, users[Role.CIO]).number == 2


def test_a_reviewer_or_another_office_cannot_record_a_meeting(office_plan):
    office, plan, _indicator, users = office_plan
    with pytest.raises(PermissionDeniedError):
        new_meeting(office, plan, users[Role.REVIEWER])
    with pytest.raises(PermissionDeniedError):
        new_meeting(office, plan, UserFactory(username="stranger"))
    assert not Meeting.objects.exists()


def test_a_stale_form_is_refused_and_approved_minutes_are_read_only(office_plan):
    office, plan, _indicator, users = office_plan
    meeting = new_meeting(office, plan, users[Role.OFFICER])
    meetings.meeting_update(meeting=meeting, user=users[Role.OFFICER], expected_version=0, place="কক্ষ ১")
    with pytest.raises(ConflictError):
        meetings.meeting_update(meeting=meeting, user=users[Role.CIO], expected_version=0, place="কক্ষ ২")
    meetings.meeting_approve(meeting=meeting, user=users[Role.CIO], expected_version=1, pdf=b"%PDF-")
    with pytest.raises(DomainError, match="অনুমোদিত কার্যবিবরণী"):
        meetings.meeting_update(meeting=meeting, user=users[Role.CIO], expected_version=2, place="কক্ষ ৩")
    meeting.refresh_from_db()
    assert meeting.place == "কক্ষ ১" and meeting.state == MeetingState.APPROVED


def test_only_the_cio_approves(office_plan):
    office, plan, _indicator, users = office_plan
    meeting = new_meeting(office, plan, users[Role.OFFICER])
    with pytest.raises(PermissionDeniedError, match="সভাপতি"):
        meetings.meeting_approve(meeting=meeting, user=users[Role.OFFICER], expected_version=0, pdf=b"")
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.DRAFT


def test_approval_keeps_the_minutes_as_evidence_and_fills_the_count(office_plan, tmp_path):
    office, plan, indicator, users = office_plan
    first = new_meeting(office, plan, users[Role.OFFICER], datetime.date(2022, 8, 10))
    second = new_meeting(office, plan, users[Role.OFFICER], datetime.date(2022, 9, 20))
    for meeting in (first, second):
        pdf = minutes.render_minutes(meeting, draft=False).pdf
        done = meetings.meeting_approve(
            meeting=meeting, user=users[Role.CIO], expected_version=0, pdf=pdf, indicator=indicator
        )
    assert done.filled_value == Decimal(2)  # two approved meetings in Q1
    progress = Progress.objects.get(indicator=indicator, quarter=1)
    assert progress.value_number == Decimal(2) and "পর্যালোচনা সভা" in progress.remark
    evidence = Evidence.objects.filter(indicator=indicator, quarter=1)
    assert evidence.count() == 2 and all(e.content_type == "application/pdf" for e in evidence)


def test_approval_is_all_or_nothing_when_the_quarter_is_locked(office_plan):
    office, plan, indicator, users = office_plan
    meeting = new_meeting(office, plan, users[Role.OFFICER])
    ReportingPeriod.objects.filter(plan=plan, quarter=1).update(state=PeriodState.SUBMITTED)
    pdf = minutes.render_minutes(meeting, draft=False).pdf
    with pytest.raises(DomainError):
        meetings.meeting_approve(
            meeting=meeting, user=users[Role.CIO], expected_version=0, pdf=pdf, indicator=indicator
        )
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.DRAFT and not Evidence.objects.exists()


def test_a_meeting_outside_the_fiscal_year_cannot_be_kept_as_evidence(office_plan):
    office, plan, indicator, users = office_plan
    meeting = new_meeting(office, plan, users[Role.OFFICER], datetime.date(2024, 1, 5))
    with pytest.raises(DomainError, match="অর্থবছরের"):
        meetings.meeting_approve(
            meeting=meeting, user=users[Role.CIO], expected_version=0, pdf=b"", indicator=indicator
        )


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        ((2022, 7, 1), 1),
        ((2022, 9, 30), 1),
        ((2022, 10, 1), 2),
        ((2022, 12, 31), 2),
        ((2023, 1, 1), 3),
        ((2023, 3, 31), 3),
        ((2023, 4, 1), 4),
        ((2023, 6, 30), 4),
    ],
)
def test_quarter_of_a_meeting_day(day, quarter):
    assert meetings.quarter_of(2022, datetime.date(*day)) == quarter


# --- the pages -----------------------------------------------------------------------------------------------


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_meeting_pages_permissions(office_plan):
    office, plan, _indicator, users = office_plan
    meeting = new_meeting(office, plan, users[Role.OFFICER])
    year = plan.fiscal_year.code
    urls = [
        f"/meetings/own/{year}/",
        f"/meetings/own/{year}/{meeting.number}/",
        f"/meetings/own/{year}/{meeting.number}.pdf",
    ]
    for url in urls:
        assert Client().get(url).status_code == 302  # to sign in
        assert login(UserFactory(username="outsider")).get(url).status_code == 404
        assert login(users[Role.REVIEWER]).get(url).status_code == 200  # a member of the office reads
    # A reviewer of the office reads but neither writes nor approves.
    reviewer = login(users[Role.REVIEWER])
    assert reviewer.post(urls[0], {"held_on": "১০/০৮/২০২২", "chair_name": "x"}).status_code == 404
    assert reviewer.post(urls[1], {"action": "approve", "version": "0"}).status_code == 404
    assert Meeting.objects.count() == 1


def test_an_officer_records_and_the_cio_approves_in_the_browser(office_plan):
    _office, plan, indicator, users = office_plan
    year = plan.fiscal_year.code
    officer = login(users[Role.OFFICER])
    response = officer.post(f"/meetings/own/{year}/", {"held_on": "১০/০৮/২০২২", "chair_name": "সভাপতি"})
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    page = officer.get(response["Location"]).content.decode()
    assert "items-0-discussion" in page and 'value="approve"' not in page  # officers do not approve
    cio = login(users[Role.CIO])
    done = cio.post(
        response["Location"], {"action": "approve", "version": "0", "indicator": str(indicator.pk)}
    )
    assert done.status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.APPROVED and meeting.evidence_id is not None
    # Approved: the page shows the minutes read-only.
    assert "items-0-discussion" not in officer.get(response["Location"]).content.decode()


def test_a_meeting_approved_from_an_english_page_stores_the_source_in_bangla(office_plan):
    """The remark and the history are data: the source is named in Bangla whatever the approver's language."""
    office, plan, indicator, users = office_plan
    meeting = new_meeting(office, plan, users[Role.OFFICER], datetime.date(2022, 8, 10))
    pdf = minutes.render_minutes(meeting, draft=False).pdf
    with translation.override("en"):
        meetings.meeting_approve(
            meeting=meeting, user=users[Role.CIO], expected_version=0, pdf=pdf, indicator=indicator
        )
    progress = Progress.objects.get(indicator=indicator, quarter=1)
    assert "পর্যালোচনা সভা" in progress.remark and "Review meetings" not in progress.remark
    reasons = HistoryEntry.objects.filter(indicator=indicator, quarter=1).values_list("reason", flat=True)
    assert any("পর্যালোচনা সভা" in reason for reason in reasons)
