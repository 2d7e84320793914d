"""Mails and history of issue 16's documents (issue 16.5, DESIGN.md §4 and §10): minutes and the Smart Bangladesh
plan sent for approval mail the approver, approved mail the officers; the review of child offices kept mails the
child offices and the reviewing office's CIO. Nobody is mailed who acted, has no address, is inactive or turned
mails off; a rolled-back step mails nobody; a failing mail server is logged and the step stands. Every step
leaves a history row, shown on the document's page."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client

from indicators.models import HistoryEntry, HistoryKind, Role
from indicators.services.preferences import mail_preference_set
from reports import meetings
from reports import smart_plan as smart_service
from reports.models import Meeting, MeetingState, SmartPlan
from tests.factories import MembershipFactory, UserFactory
from tests.reports.test_meetings import new_meeting, office_plan  # noqa: F401 (a fixture)
from tests.reports.test_smart_plan import INITIATIVE
from tests.reports.test_smart_plan import office as smart_office  # noqa: F401 (a fixture)
from tests.reports.test_subordinate_review import tree  # noqa: F401 (a fixture)
from tests.workflow.test_mail import _free_port
from workflow import documents

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _addresses(db):
    """The factories' users get addresses as they are made (the demo's have theirs)."""
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_save

    def give(sender, instance, created, **kwargs):
        if created and not instance.email:
            get_user_model().objects.filter(pk=instance.pk).update(
                email=f"{instance.username}@example.gov.bd"
            )
            instance.email = f"{instance.username}@example.gov.bd"

    model = get_user_model()
    post_save.connect(give, sender=model, weak=False, dispatch_uid="test-addresses")
    yield
    post_save.disconnect(sender=model, dispatch_uid="test-addresses")


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def to(*users) -> list[str]:
    return sorted(u.email for u in users)


def sent() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


# --- minutes ----------------------------------------------------------------------------------------------------


def test_minutes_sent_for_approval_mail_the_chair_and_approved_mail_the_officers(
    office_plan,  # noqa: F811
    settings,
    django_capture_on_commit_callbacks,
):
    settings.SITE_URL = "https://apa.example.gov.bd"
    office, plan, _indicator, users = office_plan
    second_officer = UserFactory(username="own.officer2")
    MembershipFactory(user=second_officer, office=office, role=Role.OFFICER)
    meeting = new_meeting(office, plan, users[Role.OFFICER])

    with django_capture_on_commit_callbacks(execute=True):
        documents.meeting_request(
            meeting=meeting, user=users[Role.OFFICER], expected_version=0, comment="সব সিদ্ধান্ত লেখা হয়েছে"
        )
    assert sent() == to(users[Role.CIO])
    message = mail.outbox[0]
    assert "কার্যবিবরণী" in message.subject and "অনুমোদনের জন্য" in message.subject
    assert "সভাপতি হিসেবে আপনার অনুমোদনের জন্য" in message.body
    assert "সব সিদ্ধান্ত লেখা হয়েছে" in message.body
    url = f"https://apa.example.gov.bd/meetings/own/{plan.fiscal_year.code}/{meeting.number}/"
    assert url in message.body
    assert "https://apa.example.gov.bd/profile/" in message.body
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.DRAFT  # still a draft: the chair may have it corrected

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        documents.meeting_approve(meeting=meeting, user=users[Role.CIO], expected_version=0, pdf=b"%PDF-")
    assert sent() == to(users[Role.OFFICER], second_officer)  # not the chair who approved, not the reviewer
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert "অনুমোদন করেছেন" in mail.outbox[0].body


def test_nobody_is_mailed_who_opted_out_has_no_address_or_is_inactive(
    office_plan,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    office, plan, _indicator, users = office_plan
    quiet, gone, blank = (UserFactory(username=f"own.{n}") for n in ("quiet", "gone", "blank"))
    for officer in (quiet, gone, blank):
        MembershipFactory(user=officer, office=office, role=Role.OFFICER)
    mail_preference_set(user=quiet, mail_enabled=False)
    type(gone).objects.filter(pk=gone.pk).update(is_active=False)
    type(blank).objects.filter(pk=blank.pk).update(email="")
    meeting = new_meeting(office, plan, users[Role.OFFICER])
    with django_capture_on_commit_callbacks(execute=True):
        documents.meeting_approve(meeting=meeting, user=users[Role.CIO], expected_version=0, pdf=b"%PDF-")
    assert sent() == to(users[Role.OFFICER])

    mail.outbox.clear()
    mail_preference_set(user=users[Role.CIO], mail_enabled=False)
    other = new_meeting(office, plan, users[Role.OFFICER])
    with django_capture_on_commit_callbacks(execute=True):
        documents.meeting_request(meeting=other, user=users[Role.OFFICER], expected_version=0)
    assert mail.outbox == []


def test_a_rolled_back_or_refused_step_mails_nobody(office_plan, django_capture_on_commit_callbacks):  # noqa: F811
    office, plan, _indicator, users = office_plan
    meeting = new_meeting(office, plan, users[Role.OFFICER])

    class Undo(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(Undo), transaction.atomic():
            documents.meeting_approve(meeting=meeting, user=users[Role.CIO], expected_version=0, pdf=b"%PDF-")
            raise Undo
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.DRAFT and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(Exception, match="সভাপতি"):
            documents.meeting_approve(meeting=meeting, user=users[Role.OFFICER], expected_version=0, pdf=b"")
        with pytest.raises(Exception, match="অন্য কেউ বদলেছেন"):
            documents.meeting_request(meeting=meeting, user=users[Role.OFFICER], expected_version=7)
    assert mail.outbox == []


def test_a_failing_mail_server_is_logged_and_the_approval_stands(
    office_plan,  # noqa: F811
    settings,
    caplog,
    django_capture_on_commit_callbacks,
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _free_port(), 2
    office, plan, _indicator, users = office_plan
    meeting = new_meeting(office, plan, users[Role.OFFICER])
    with caplog.at_level(logging.ERROR, logger="workflow.mail"):
        with django_capture_on_commit_callbacks(execute=True):
            documents.meeting_approve(meeting=meeting, user=users[Role.CIO], expected_version=0, pdf=b"%PDF-")
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.APPROVED
    assert any(
        "mail not sent" in r.message and users[Role.OFFICER].email in r.message for r in caplog.records
    )


def test_the_meeting_page_sends_for_approval_with_permissions(
    office_plan,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    office, plan, _indicator, users = office_plan
    meeting = new_meeting(office, plan, users[Role.OFFICER])
    url = f"/meetings/own/{plan.fiscal_year.code}/{meeting.number}/"
    data = {"action": "request", "version": "0", "comment": "দেখুন"}
    with django_capture_on_commit_callbacks(execute=True):
        assert Client().post(url, data).status_code == 302  # anonymous: to sign in
        assert "/accounts/login/" in Client().post(url, data)["Location"]
        assert login(UserFactory(username="outsider")).post(url, data).status_code == 404
        assert login(users[Role.REVIEWER]).post(url, data).status_code == 404  # a member who does not write
    assert mail.outbox == []
    officer = login(users[Role.OFFICER])
    assert 'value="request"' in officer.get(url).content.decode()
    assert 'value="request"' not in login(users[Role.CIO]).get(url).content.decode()  # the chair approves
    with django_capture_on_commit_callbacks(execute=True):
        assert officer.post(url, data).status_code == 302
    assert sent() == to(users[Role.CIO])
    # A stale form is refused with the service's message, and mails nobody.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(url, {**data, "version": "5"})
    assert response.status_code == 200 and "অন্য কেউ বদলেছেন" in response.content.decode()
    assert mail.outbox == []


def test_every_step_of_a_meeting_leaves_history_shown_on_its_page(office_plan):  # noqa: F811
    office, plan, _indicator, users = office_plan
    officer, cio = users[Role.OFFICER], users[Role.CIO]
    meeting = new_meeting(office, plan, officer)
    meetings.meeting_update(
        meeting=meeting,
        user=officer,
        expected_version=0,
        place="সম্মেলন কক্ষ",
        items=[{"indicator_code": "1.1.1", "discussion": "আলোচনা হয়েছে", "decision": "সিদ্ধান্ত"}],
    )
    documents.meeting_request(meeting=meeting, user=officer, expected_version=1, comment="অনুমোদন করুন")
    documents.meeting_approve(meeting=meeting, user=cio, expected_version=1, pdf=b"%PDF-")
    rows = list(
        HistoryEntry.objects.filter(plan=plan, document=meetings.meeting_document(meeting)).order_by("pk")
    )
    assert [r.kind for r in rows] == [HistoryKind.MEETING] * 4
    assert [r.user for r in rows] == [officer, officer, officer, cio]
    assert "লেখা হয়েছে" in rows[0].after
    assert "সংশোধিত" in rows[1].after and "স্থান" in rows[1].after and "আলোচ্য বিষয়" in rows[1].after
    assert "অনুমোদনের জন্য পাঠানো" in rows[2].after and rows[2].reason == "অনুমোদন করুন"
    assert "অনুমোদিত" in rows[3].after and rows[3].before == "খসড়া"
    page = login(users[Role.REVIEWER]).get(f"/meetings/own/{plan.fiscal_year.code}/{meeting.number}/")
    text = page.content.decode()
    assert 'id="history"' in text and "অনুমোদনের জন্য পাঠানো" in text and "অনুমোদন করুন" in text
    # Another meeting's page shows only its own history.
    other = new_meeting(office, plan, officer)
    other_page = login(officer).get(f"/meetings/own/{plan.fiscal_year.code}/{other.number}/").content.decode()
    assert "অনুমোদনের জন্য পাঠানো" not in other_page


# --- the Smart Bangladesh plan ----------------------------------------------------------------------------------


def test_the_smart_plan_mails_the_cio_then_the_officers_and_keeps_its_history(
    smart_office,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    found, year, _indicator, users = smart_office
    plan = smart_service.smart_plan_get_or_create(office=found, fiscal_year=year, user=users[Role.OFFICER])
    smart_service.smart_plan_update(
        smart_plan=plan,
        user=users[Role.OFFICER],
        expected_version=0,
        initiatives=[INITIATIVE],
        letter_date=datetime.date(2024, 3, 25),
    )
    url = "/smart-plan/own/2023-24/"
    data = {"action": "request", "version": "1", "comment": ""}
    with django_capture_on_commit_callbacks(execute=True):
        assert Client().post(url, data).status_code == 302
        assert login(UserFactory(username="stranger")).post(url, data).status_code == 404
        assert login(users[Role.REVIEWER]).post(url, data).status_code == 404
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert login(users[Role.OFFICER]).post(url, data).status_code == 302
    assert sent() == to(users[Role.CIO])
    assert "স্মার্ট বাংলাদেশ কর্মপরিকল্পনা" in mail.outbox[0].subject
    assert f"{url}" in mail.outbox[0].body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        documents.smart_plan_approve(
            smart_plan=plan, user=users[Role.CIO], expected_version=1, pdf_bytes=b"%PDF-"
        )
    assert sent() == to(users[Role.OFFICER])
    assert SmartPlan.objects.get(pk=plan.pk).state == MeetingState.APPROVED

    rows = list(HistoryEntry.objects.filter(document=smart_service.smart_plan_document(plan)).order_by("pk"))
    assert [r.kind for r in rows] == [HistoryKind.SMART_PLAN] * 4
    assert "শুরু" in rows[0].after and "উদ্যোগ" in rows[1].after and "পত্রের তারিখ" in rows[1].after
    assert "অনুমোদনের জন্য পাঠানো" in rows[2].after and "অনুমোদিত" in rows[3].after
    page = login(users[Role.OFFICER]).get(url).content.decode()
    assert 'id="history"' in page and "অনুমোদনের জন্য পাঠানো" in page


# --- the review of child offices --------------------------------------------------------------------------------


def test_the_review_kept_mails_each_child_office_its_line_and_the_reviewing_cio(
    tree,  # noqa: F811
    settings,
    django_capture_on_commit_callbacks,
):
    settings.SITE_URL = "https://apa.example.gov.bd"
    people = {}
    for office_key, role in (
        ("parent", Role.OFFICER),
        ("parent", Role.CIO),
        ("parent", Role.REVIEWER),
        ("sent", Role.OFFICER),
        ("sent", Role.CIO),
        ("inside", Role.OFFICER),
        ("stranger", Role.OFFICER),
    ):
        person = UserFactory(username=f"{office_key}.{role}")
        MembershipFactory(user=person, office=tree[office_key], role=role)
        people[(office_key, role)] = person
    url = "/review/children/parent/2022-23/q2/"
    with django_capture_on_commit_callbacks(execute=True):
        response = login(people[("parent", Role.OFFICER)]).post(url, {"indicator": str(tree["own"].pk)})
    assert response.status_code == 302
    assert sent() == to(
        people[("sent", Role.OFFICER)],
        people[("sent", Role.CIO)],
        people[("inside", Role.OFFICER)],
        people[("parent", Role.CIO)],
    )  # not the officer who kept it, not the reviewer, not another office
    by_address = {m.to[0]: m for m in mail.outbox}
    child = by_address[people[("sent", Role.CIO)].email].body
    assert "ক অধিদপ্তর" in child and "৪৫.৫%" in child and "দুর্বল সূচক" in child
    assert "https://apa.example.gov.bd/plans/a-sent/2022-23/#period-2" in child
    inside = by_address[people[("inside", Role.OFFICER)].email].body
    assert "প্রাপ্ত হয়নি" in inside and "৪৫.৫%" not in inside  # its own line only
    cio = by_address[people[("parent", Role.CIO)].email].body
    assert "প্রমাণক" in cio and f"/plans/parent/2022-23/indicators/{tree['own'].code}/" in cio


def test_a_refused_review_keeps_nothing_and_mails_nobody(tree, django_capture_on_commit_callbacks):  # noqa: F811
    from indicators.models import PeriodState, ReportingPeriod

    officer = UserFactory(username="parent.officer")
    MembershipFactory(user=officer, office=tree["parent"], role=Role.OFFICER)
    MembershipFactory(user=UserFactory(username="a.cio"), office=tree["sent"], role=Role.CIO)
    ReportingPeriod.objects.filter(plan=tree["own"].plan, quarter=2).update(state=PeriodState.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(officer).post(
            "/review/children/parent/2022-23/q2/", {"indicator": str(tree["own"].pk)}
        )
    assert response.status_code == 200 and mail.outbox == []
    assert not Meeting.objects.exists()
    from evidence.models import Evidence

    assert not Evidence.objects.exists()
