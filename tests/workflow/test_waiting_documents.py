"""Minutes and Smart Bangladesh plans sent for approval wait for the office's CIO (issue 16.5's follow-up): the
request is recorded (who, when); the CIO's /waiting/, home and header count list it until approval; another
office's CIO never sees it; the documents' pages show "অনুমোদনের অপেক্ষায়" beside the state."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from indicators import permissions
from indicators.models import Role
from reports import meetings
from reports import smart_plan as smart_service
from reports.models import Meeting, MeetingState, SmartPlan
from tests.factories import MembershipFactory, OfficeFactory, UserFactory
from tests.reports.test_meetings import new_meeting, office_plan  # noqa: F401 (a fixture)
from tests.reports.test_smart_plan import INITIATIVE
from tests.reports.test_smart_plan import office as smart_office  # noqa: F401 (a fixture)
from workflow import documents
from workflow.waiting import waiting_count, waiting_requests

pytestmark = pytest.mark.django_db

BADGE = "অনুমোদনের অপেক্ষায় — "


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def other_cio():
    cio = UserFactory(username="other.cio")
    MembershipFactory(user=cio, office=OfficeFactory(code="other"), role=Role.CIO)
    return cio


def requested_meeting(made):
    office, plan, _indicator, users = made
    meeting = new_meeting(office, plan, users[Role.OFFICER])
    before = waiting_count(users[Role.CIO])
    documents.meeting_request(meeting=meeting, user=users[Role.OFFICER], expected_version=meeting.version)
    return Meeting.objects.get(pk=meeting.pk), before


def test_the_request_records_who_and_when_and_an_edit_keeps_it(office_plan):  # noqa: F811
    _office, _plan, _indicator, users = office_plan
    meeting, _before = requested_meeting(office_plan)
    assert meeting.approval_requested_by == users[Role.OFFICER] and meeting.approval_requested_at is not None
    assert meeting.version == 0  # nothing else bumped: the team's open form stays valid
    asked_at = meeting.approval_requested_at
    meetings.meeting_update(meeting=meeting, user=users[Role.CIO], expected_version=0, place="সভাকক্ষ")
    meeting.refresh_from_db()
    assert meeting.approval_requested_at == asked_at and meeting.state == MeetingState.DRAFT
    assert [r.document for r in waiting_requests(users[Role.CIO])] == [meeting]


def test_the_minutes_wait_for_the_cio_not_for_another_office_until_approved(
    office_plan,  # noqa: F811
    django_assert_num_queries,
):
    _office, plan, _indicator, users = office_plan
    cio, stranger = users[Role.CIO], other_cio()
    meeting, before = requested_meeting(office_plan)
    assert waiting_count(cio) == before + 1
    assert waiting_requests(users[Role.OFFICER]) == [] and waiting_requests(stranger) == []
    assert waiting_count(stranger) == 0
    permissions.roles_by_office(cio)
    with django_assert_num_queries(1):  # still one query for the header, documents folded in
        waiting_count(cio)
    link = f"/meetings/own/{plan.fiscal_year.code}/1/"
    for page in (login(cio).get("/waiting/"), login(cio).get("/")):
        body = page.content.decode()
        assert f'href="{link}"' in body and "পর্যালোচনা সভা ১-এর কার্যবিবরণী" in body
        assert users[Role.OFFICER].username in body and "অনুমোদনের জন্য পাঠিয়েছেন" in body
    for page in (login(stranger).get("/waiting/"), login(stranger).get("/")):
        assert link not in page.content.decode()
    # The badge beside the state, on the page and in the list; the other office cannot open them.
    for url in (link, f"/meetings/own/{plan.fiscal_year.code}/"):
        body = login(users[Role.OFFICER]).get(url).content.decode()
        assert BADGE + users[Role.OFFICER].username in body
    assert login(stranger).get(link).status_code == 404

    meetings.meeting_approve(meeting=meeting, user=cio, expected_version=0, pdf=b"%PDF-")
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.APPROVED and meeting.approval_requested_at is not None  # a record
    assert waiting_requests(cio) == [] and waiting_count(cio) == before
    assert link not in login(cio).get("/waiting/").content.decode()
    assert link not in login(cio).get("/").content.decode()
    assert BADGE not in login(cio).get(link).content.decode()


def test_a_draft_never_sent_does_not_wait_and_shows_no_badge(office_plan):  # noqa: F811
    office, plan, _indicator, users = office_plan
    new_meeting(office, plan, users[Role.OFFICER])
    assert waiting_requests(users[Role.CIO]) == []
    assert (
        BADGE not in login(users[Role.CIO]).get(f"/meetings/own/{plan.fiscal_year.code}/1/").content.decode()
    )


def test_the_smart_plan_waits_for_the_cio_until_approved(smart_office):  # noqa: F811
    found, year, _indicator, users = smart_office
    cio, stranger = users[Role.CIO], other_cio()
    plan = smart_service.smart_plan_get_or_create(office=found, fiscal_year=year, user=users[Role.OFFICER])
    smart_service.smart_plan_update(
        smart_plan=plan,
        user=users[Role.OFFICER],
        expected_version=0,
        initiatives=[INITIATIVE],
        letter_date=datetime.date(2024, 3, 25),
    )
    before = waiting_count(cio)
    url = "/smart-plan/own/2023-24/"
    assert login(users[Role.OFFICER]).post(url, {"action": "request", "version": "1"}).status_code == 302
    plan.refresh_from_db()
    assert plan.approval_requested_by == users[Role.OFFICER] and plan.version == 1
    assert waiting_count(cio) == before + 1 and waiting_count(stranger) == 0
    for page in (login(cio).get("/waiting/"), login(cio).get("/")):
        body = page.content.decode()
        assert f'href="{url}"' in body and "স্মার্ট বাংলাদেশ কর্মপরিকল্পনা" in body
    assert url not in login(stranger).get("/waiting/").content.decode()
    assert BADGE + users[Role.OFFICER].username in login(cio).get(url).content.decode()

    documents.smart_plan_approve(smart_plan=plan, user=cio, expected_version=1, pdf_bytes=b"%PDF-")
    found_plan = SmartPlan.objects.get(pk=plan.pk)
    assert found_plan.state == MeetingState.APPROVED and found_plan.approval_requested_at is not None
    assert waiting_requests(cio) == [] and waiting_count(cio) == before
    assert url not in login(cio).get("/waiting/").content.decode()
    assert BADGE not in login(cio).get(url).content.decode()
