"""Homes that say what to do next (issue 14.5): a returned quarter with the comment of whoever sent it back,
on the home of the office's members and of nobody else."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from indicators.periods import periods_ensure
from workflow.transitions import period_transition


def user(username: str):
    return get_user_model().objects.get(username=username)


def act(period, action: str, username: str, comment: str = ""):
    period.refresh_from_db()
    return period_transition(
        period=period, action=action, user=user(username), comment=comment, expected_version=period.version
    )


def test_officer_home_flags_a_quarter_the_cio_returned_with_the_comment(client, demo):
    """Anonymous → sign-in; msw.officer sees nothing of it; mofa.officer sees Q1 returned, by the CIO, with
    the comment and a link to the quarter."""
    period = periods_ensure(demo)[0]
    act(period, "submit", "mofa.officer")
    act(period, "return", "mofa.cio", comment="১.৩.১-এর মন্তব্য লিখুন")
    response = client.get("/")
    assert response.status_code == 302
    client.force_login(user("msw.officer"))
    body = client.get("/").content.decode()
    assert "১.৩.১-এর মন্তব্য লিখুন" not in body and 'id="returned-title"' not in body
    client.force_login(user("mofa.officer"))
    response = client.get("/")
    body = response.content.decode()
    assert [p.quarter for p in response.context["returned"]] == [1]
    assert "১.৩.১-এর মন্তব্য লিখুন" in body and "চিফ ইনোভেশন অফিসার ফেরত পাঠিয়েছেন" in body
    assert 'href="/plans/mofa/2022-23/#period-1"' in body


def test_officer_home_says_the_higher_office_returned_it(client, demo):
    """Returned by the Cabinet reviewer after sending: the home says so, with the reviewer's comment."""
    period = periods_ensure(demo)[0]
    for action, username in [("submit", "mofa.officer"), ("approve", "mofa.cio"), ("send", "mofa.cio")]:
        act(period, action, username)
    act(period, "review_return", "cabinet.reviewer", comment="প্রমাণক দিন")
    client.force_login(user("mofa.officer"))
    body = client.get("/").content.decode()
    assert "ঊর্ধ্বতন দপ্তর ফেরত পাঠিয়েছে" in body and "প্রমাণক দিন" in body
    # Submitted again: no longer waiting on the officer.
    act(period, "submit", "mofa.officer")
    assert client.get("/").context["returned"] == []


def test_approved_quarter_shows_its_marks_beside_the_expected_pace(client, demo):
    """Q1 approved: its period card and the reviewer's inbox row say the marks are progress to date, with
    the pace expected at Q1 (25 %), not a failure (issue 14.6)."""
    period = periods_ensure(demo)[0]
    for action, username in [("submit", "mofa.officer"), ("approve", "mofa.cio"), ("send", "mofa.cio")]:
        act(period, action, username)
    client.force_login(user("mofa.cio"))
    body = client.get("/plans/mofa/2022-23/").content.decode()
    card = body[body.index('id="period-1"') :]
    card = card[: card.index("</article>")]
    assert "এ পর্যন্ত অগ্রগতি; এই ত্রৈমাসিকে প্রত্যাশিত গতি ২৫%" in card
    client.force_login(user("cabinet.reviewer"))
    body = client.get("/review/").content.decode()
    assert 'class="pace-note">প্রত্যাশিত ২৫%' in body
