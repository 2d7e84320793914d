"""Mail (DESIGN.md §10, issue 14.4): each transition mails the people who act next, in Bangla, after commit;
a failing mail server is logged, never raised; users can turn mails off; a real SMTP server on loopback."""

from __future__ import annotations

import logging
import socket
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction

from indicators.models import MailPreference, OfficeMembership, PeriodState, Role
from indicators.periods import periods_ensure
from indicators.services.preferences import mail_preference_set
from workflow.transitions import period_transition

pytestmark = pytest.mark.django_db


def user(username):
    return get_user_model().objects.get(username=username)


def q1(plan):
    periods_ensure(plan)
    return plan.periods.get(quarter=1)


def act(period, action, username, comment=""):
    period.refresh_from_db()
    return period_transition(
        period=period, action=action, user=user(username), comment=comment, expected_version=period.version
    )


def test_submit_mails_the_cio_in_bangla_with_plan_quarter_comment_and_an_absolute_link(
    demo, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://apa.example.gov.bd"
    with django_capture_on_commit_callbacks(execute=True):
        act(q1(demo), "submit", "mofa.officer", "সব সূচকের অগ্রগতি লেখা হয়েছে")
    assert [m.to for m in mail.outbox] == [["mofa.cio@demo.apa.example"]]
    message = mail.outbox[0]
    assert "পররাষ্ট্র মন্ত্রণালয়" in message.subject and "১ম ত্রৈমাসিক" in message.subject
    assert "পর্যালোচনা ও অনুমোদনের জন্য দাখিল" in message.body
    assert "২০২২-২৩" in message.body
    assert "সব সূচকের অগ্রগতি লেখা হয়েছে" in message.body
    assert "https://apa.example.gov.bd/plans/mofa/2022-23/#period-1" in message.body
    assert "https://apa.example.gov.bd/profile/" in message.body  # how to turn it off


def test_each_transition_mails_the_people_who_act_next_and_never_the_actor(
    demo, django_capture_on_commit_callbacks
):
    period = q1(demo)
    expected = [
        ("submit", "mofa.officer", "", ["mofa.cio"]),
        ("return", "mofa.cio", "প্রমাণক নেই", ["mofa.officer"]),
        ("submit", "mofa.officer", "", ["mofa.cio"]),
        ("approve", "mofa.cio", "", ["cabinet.reviewer"]),
        ("send", "mofa.cio", "", ["cabinet.reviewer"]),
        ("review_return", "cabinet.reviewer", "লক্ষ্যমাত্রা মেলেনি", ["mofa.officer", "mofa.cio"]),
        ("submit", "mofa.cio", "", []),  # the CIO submits: the only CIO is the actor
        ("approve", "mofa.cio", "", ["cabinet.reviewer"]),
        ("send", "mofa.cio", "", ["cabinet.reviewer"]),
        ("accept", "cabinet.reviewer", "", ["mofa.officer", "mofa.cio"]),
    ]
    for action, actor, comment, recipients in expected:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            act(period, action, actor, comment)
        got = sorted(address for m in mail.outbox for address in m.to)
        assert got == sorted(f"{name}@demo.apa.example" for name in recipients), action
        for message in mail.outbox:
            assert len(message.to) == 1  # nobody sees the others' addresses
            # Reviewers see a quarter from "sent" on: an approval's mail links to their inbox, not the plan.
            link = "/review/" if action == "approve" else "/plans/mofa/2022-23/#period-1"
            assert f"http://127.0.0.1:8000{link}" in message.body, action
            if comment:
                assert comment in message.body
    # Another ministry's officer hears nothing of MoFA.
    assert not any("msw.officer" in a for m in mail.outbox for a in m.to)


def test_the_mail_goes_only_after_commit_and_not_at_all_after_a_rollback(
    demo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        act(q1(demo), "submit", "mofa.officer")
    assert mail.outbox == [] and len(callbacks) == 1  # written, waiting for the commit

    class Undo(Exception):
        pass

    period = q1(demo)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Undo), transaction.atomic():
            act(period, "return", "mofa.cio", "ফেরত")
            raise Undo
    assert callbacks == [] and mail.outbox == []


def test_users_who_turned_mails_off_or_have_no_address_are_not_mailed(
    demo, django_capture_on_commit_callbacks
):
    mail_preference_set(user=user("mofa.cio"), mail_enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        act(q1(demo), "submit", "mofa.officer")
    assert mail.outbox == []
    mail_preference_set(user=user("mofa.cio"), mail_enabled=True)
    get_user_model().objects.filter(username="mofa.officer").update(email="")
    with django_capture_on_commit_callbacks(execute=True):
        act(q1(demo), "return", "mofa.cio", "আবার দেখুন")
    assert mail.outbox == []


def test_a_failing_mail_server_is_logged_and_the_transition_stands(
    demo, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _free_port(), 2
    with caplog.at_level(logging.ERROR, logger="workflow.mail"):
        with django_capture_on_commit_callbacks(execute=True):
            period = act(q1(demo), "submit", "mofa.officer")
    period.refresh_from_db()
    assert period.state == PeriodState.SUBMITTED
    assert any(
        "mail not sent" in r.message and "mofa.cio@demo.apa.example" in r.message for r in caplog.records
    )


def test_a_real_smtp_server_on_loopback_receives_the_bangla_mail(
    demo, settings, django_capture_on_commit_callbacks
):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Keep(Message):
        def handle_message(self, message):
            received.append(message)

    controller = Controller(Keep(), hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.DEFAULT_FROM_EMAIL = "APA Tracker <apa@example.gov.bd>"
        with django_capture_on_commit_callbacks(execute=True):
            act(q1(demo), "submit", "mofa.officer", "দয়া করে দেখুন")
        deadline = time.monotonic() + 5
        while not received and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        controller.stop()
    assert len(received) == 1
    message = received[0]
    assert message["To"] == "mofa.cio@demo.apa.example"
    assert message["X-RcptTo"] == "mofa.cio@demo.apa.example"
    from email.header import decode_header, make_header

    assert "১ম ত্রৈমাসিক" in str(make_header(decode_header(message["Subject"])))
    body = message.get_payload(decode=True).decode(message.get_content_charset())
    assert "দয়া করে দেখুন" in body and "/plans/mofa/2022-23/#period-1" in body


def test_mail_preference_is_per_user_and_defaults_to_on(demo):
    assert not MailPreference.objects.exists()
    mail_preference_set(user=user("mofa.cio"), mail_enabled=False)
    assert MailPreference.objects.get(user=user("mofa.cio")).mail_enabled is False
    assert MailPreference.objects.count() == 1
    assert OfficeMembership.objects.filter(user__username="mofa.cio", role=Role.CIO).exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
