"""What waits for each user (the header's count and /waiting/), the profile page (mails on or off) and
``send_reminders`` (DESIGN.md §8): permissions anonymous → other office → own office, idempotent per day."""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from indicators.models import MailPreference, PeriodState, ReminderSent
from indicators.periods import periods_ensure
from workflow.waiting import waiting_count, waiting_items

pytestmark = pytest.mark.django_db


def user(username):
    return get_user_model().objects.get(username=username)


def login(client, username):
    client.force_login(user(username))
    return client


def set_states(plan, **states):
    periods_ensure(plan)
    for quarter, state in states.items():
        plan.periods.filter(quarter=int(quarter[1])).update(state=state)


# --- what waits --------------------------------------------------------------------------------------------


def test_the_next_quarter_to_submit_waits_for_the_office_and_a_submission_for_its_cio(demo):
    set_states(demo, q1=PeriodState.ACCEPTED, q2=PeriodState.SUBMITTED)
    officer = [(i.period.quarter, i.period.state) for i in waiting_items(user("mofa.officer"))]
    assert officer == [(3, PeriodState.DRAFT)]  # not Q4: Q3 goes first
    cio = sorted((i.period.quarter, i.period.state) for i in waiting_items(user("mofa.cio")))
    assert cio == [(2, PeriodState.SUBMITTED), (3, PeriodState.DRAFT)]
    assert waiting_count(user("cabinet.reviewer")) == 0  # nothing sent yet
    assert waiting_count(user("msw.officer")) == 0  # no MoFA period ever waits for another ministry


def test_a_sent_quarter_waits_for_the_parent_reviewer_and_a_returned_one_shows_the_comment(demo):
    from indicators.models import PeriodTransition

    set_states(demo, q1=PeriodState.SENT, q2=PeriodState.RETURNED)
    PeriodTransition.objects.create(
        period=demo.periods.get(quarter=2),
        from_state="submitted",
        to_state="returned",
        user=user("mofa.cio"),
        comment="প্রমাণক যোগ করুন",
    )
    assert [(i.period.quarter, i.todo) for i in waiting_items(user("cabinet.reviewer"))] == [
        (1, "পর্যালোচনা করে গ্রহণ বা ফেরত দিন")
    ]
    (item,) = waiting_items(user("mofa.officer"))
    assert item.period.quarter == 2 and item.comment == "প্রমাণক যোগ করুন"


def test_waiting_page_permissions_anonymous_other_office_own_office(client, demo):
    set_states(demo, q1=PeriodState.SUBMITTED)
    response = client.get("/waiting/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    page = login(client, "msw.officer").get("/waiting/").content.decode()
    assert "পররাষ্ট্র" not in page and "এখন আপনার অপেক্ষায় কিছু নেই" in page
    page = login(client, "mofa.cio").get("/waiting/").content.decode()
    assert "/plans/mofa/2022-23/#period-1" in page and "পর্যালোচনা করে অনুমোদন বা ফেরত দিন" in page


def test_the_header_shows_the_count_in_bangla_digits(client, demo):
    set_states(demo, q1=PeriodState.SUBMITTED)
    page = login(client, "mofa.cio").get("/").content.decode()
    assert 'href="/waiting/"' in page
    # Q1 to approve or return, and Q2, the next quarter to submit.
    assert '<span class="count has-items" aria-label="২টি কাজ অপেক্ষায়">২</span>' in page
    page = login(client, "msw.officer").get("/").content.decode()
    assert 'aria-label="০টি কাজ অপেক্ষায়">০</span>' in page


def test_the_header_count_costs_one_query_once_the_roles_are_read(demo, django_assert_num_queries):
    from indicators import permissions

    reviewer = user("cabinet.reviewer")
    permissions.roles_by_office(reviewer)  # read once per request by the navigation already
    with django_assert_num_queries(1):
        waiting_count(reviewer)
    nobody = user_without_roles()
    with django_assert_num_queries(0):
        assert waiting_count(nobody) == 0


def user_without_roles():
    user = get_user_model().objects.create(username="nobody")
    user._apa_roles_by_office = {}
    return user


# --- profile -----------------------------------------------------------------------------------------------


def test_profile_permissions_and_each_user_sets_only_their_own_mail(client, demo):
    response = client.get("/profile/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.post("/profile/", {}).status_code == 302
    assert not MailPreference.objects.exists()  # an anonymous post changed nothing

    login(client, "mofa.cio")
    page = client.get("/profile/").content.decode()
    assert "mofa.cio@demo.apa.example" in page and 'name="mail_enabled"' in page and "checked" in page
    response = client.post("/profile/", {})  # the box unticked
    assert response.status_code == 302 and response["Location"] == "/profile/"
    assert MailPreference.objects.get(user=user("mofa.cio")).mail_enabled is False
    assert not MailPreference.objects.filter(user=user("mofa.officer")).exists()
    assert "checked" not in client.get("/profile/").content.decode().split('name="mail_enabled"')[1][:40]
    client.post("/profile/", {"mail_enabled": "on"})
    assert MailPreference.objects.get(user=user("mofa.cio")).mail_enabled is True


# --- send_reminders ----------------------------------------------------------------------------------------


def remind(today: str) -> str:
    out = io.StringIO()
    call_command("send_reminders", "--today", today, stdout=out)
    return out.getvalue()


def test_reminders_mail_those_with_a_deadline_near_once_a_day(demo):
    periods_ensure(demo)
    q1 = demo.periods.get(quarter=1)
    day = q1.deadline - datetime.timedelta(days=3)
    output = remind(day.isoformat())
    assert "2 user(s)" in output
    assert sorted(m.to[0] for m in mail.outbox) == [
        "mofa.cio@demo.apa.example",
        "mofa.officer@demo.apa.example",
    ]
    message = mail.outbox[0]
    assert "পররাষ্ট্র মন্ত্রণালয় — ২০২২-২৩, ১ম ত্রৈমাসিক" in message.body
    assert "৩ দিন বাকি" in message.body and "/plans/mofa/2022-23/#period-1" in message.body
    assert "২য় ত্রৈমাসিক" not in message.body  # Q2's deadline is months away
    # Idempotent per day: the same day again mails nobody; the next day mails again.
    mail.outbox.clear()
    assert "0 user(s)" in remind(day.isoformat()) and mail.outbox == []
    assert ReminderSent.objects.filter(day=day).count() == 2
    remind((day + datetime.timedelta(days=1)).isoformat())
    assert len(mail.outbox) == 2 and "২ দিন বাকি" in mail.outbox[0].body


def test_reminders_for_the_cio_and_the_reviewer_and_nothing_far_from_a_deadline(demo):
    periods_ensure(demo)
    demo.periods.filter(quarter=1).update(state=PeriodState.SENT)
    demo.periods.filter(quarter=2).update(state=PeriodState.SUBMITTED)
    q2 = demo.periods.get(quarter=2)
    remind((q2.deadline - datetime.timedelta(days=1)).isoformat())
    to = {m.to[0]: m.body for m in mail.outbox}
    assert "পর্যালোচনা করে অনুমোদন বা ফেরত দিন" in to["mofa.cio@demo.apa.example"]
    assert "mofa.officer@demo.apa.example" not in to  # Q3 (the next to submit) is not due yet
    mail.outbox.clear()
    q1 = demo.periods.get(quarter=1)
    remind((q1.deadline + datetime.timedelta(days=2)).isoformat())
    body = {m.to[0]: m.body for m in mail.outbox}["cabinet.reviewer@demo.apa.example"]
    assert "পর্যালোচনা করে গ্রহণ বা ফেরত দিন" in body and "২ দিন দেরি" in body
    mail.outbox.clear()
    remind((q1.deadline - datetime.timedelta(days=60)).isoformat())
    assert mail.outbox == []


def test_reminders_skip_users_who_turned_mails_off_and_refuse_a_bad_date(demo):
    from indicators.services.preferences import mail_preference_set

    mail_preference_set(user=user("mofa.officer"), mail_enabled=False)
    periods_ensure(demo)
    remind((demo.periods.get(quarter=1).deadline - datetime.timedelta(days=1)).isoformat())
    assert [m.to[0] for m in mail.outbox] == ["mofa.cio@demo.apa.example"]
    with pytest.raises(CommandError, match="তারিখ বোঝা যায়নি"):
        call_command("send_reminders", "--today", "25/09/2022", stdout=io.StringIO())
