"""Sign-in and sessions (issue 5): repeated failed sign-ins are slowed and then locked for a while; sessions end
after a working day and with the browser; a password change signs out every other session of the user.

Everything goes through the real forms with the test client, so django-axes sees the request as in production.
The delays are asserted by replacing ``apa_tracker.signin.sleep``, never by measuring time.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from apa_tracker import signin
from tests.factories import UserFactory

LOGIN = "/accounts/login/"
PASSWORD = "test-pass-123"
WRONG = "not-the-password"
LOCKED_BN = "মিনিটের জন্য বন্ধ রাখা হয়েছে"
WRONG_PASSWORD_BN = "ব্যবহারকারীর নাম বা পাসওয়ার্ড সঠিক নয়"

pytestmark = pytest.mark.django_db


@pytest.fixture
def sleeps(monkeypatch) -> list[float]:
    """The delays the sign-in asked for, in order, instead of waiting them out."""
    delays: list[float] = []
    monkeypatch.setattr(signin, "sleep", delays.append)
    return delays


@pytest.fixture
def officer():
    return UserFactory(username="officer.one")


def sign_in(client: Client, username: str, password: str, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def signed_in_as(client: Client) -> str | None:
    """The user name the client's session belongs to, asked of the site itself (None: signed out)."""
    response = client.get("/")
    if response.status_code == 302:
        assert response["Location"].startswith(LOGIN)
        return None
    assert response.status_code == 200
    return response.wsgi_request.user.get_username()


# --- slowing ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("failures", "maximum", "delay"),
    [
        (0, 2, 0),
        (1, 2, 0.25),
        (2, 2, 0.5),
        (3, 2, 1),
        (4, 2, 2),
        (5, 2, 2),
        (50, 2, 2),
        (10_000, 2, 2),
        (3, 0, 0),
    ],
)
def test_failed_sign_in_delay_doubles_from_a_quarter_second_up_to_the_cap(failures, maximum, delay):
    """0.25 s after the first failure, doubling with each further one, never above the cap; a cap of 0 is off."""
    assert signin.failed_sign_in_delay(failures, maximum=maximum) == delay


def test_a_wrong_password_is_refused_with_a_bangla_message(client, officer, sleeps):
    """The sign-in page says in Bangla that the user name or password is wrong, and nobody is signed in."""
    response = sign_in(client, "officer.one", WRONG)
    assert response.status_code == 200
    assert WRONG_PASSWORD_BN in response.content.decode()
    assert signed_in_as(client) is None


def test_failed_sign_ins_are_slowed_then_locked_even_for_the_right_password(client, officer, sleeps):
    """Failures 1–4 are answered after 0.25, 0.5, 1 and 2 s; the 5th locks the user name at this address with the
    Bangla and English lockout page (HTTP 429); the 6th, with the RIGHT password, is refused the same way."""
    for _ in range(4):
        assert sign_in(client, "officer.one", WRONG).status_code == 200
    assert sleeps == [0.25, 0.5, 1.0, 2.0]

    fifth = sign_in(client, "officer.one", WRONG)
    assert fifth.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in fifth.templates]
    assert sleeps == [0.25, 0.5, 1.0, 2.0], "the lockout page is answered at once"

    sixth = sign_in(client, "officer.one", PASSWORD)
    assert sixth.status_code == 429
    page = sixth.content.decode()
    assert f"৩০ {LOCKED_BN}" in page  # AXES_COOLOFF_TIME 0.5 h, in Bangla digits
    assert "locked from this address for 30 minutes" in page
    assert signed_in_as(client) is None


def test_the_slowing_cap_comes_from_settings_and_zero_turns_it_off(client, officer, sleeps, settings):
    """APA_LOGIN_SLOWDOWN_MAX_SECONDS caps each delay; 0 answers failures at once (the lock still applies)."""
    settings.APA_LOGIN_SLOWDOWN_MAX_SECONDS = 0.6
    for _ in range(4):
        sign_in(client, "officer.one", WRONG)
    assert sleeps == [0.25, 0.5, 0.6, 0.6]

    sleeps.clear()
    settings.APA_LOGIN_SLOWDOWN_MAX_SECONDS = 0
    UserFactory(username="officer.two")
    statuses = [sign_in(client, "officer.two", WRONG).status_code for _ in range(5)]
    assert sleeps == []
    assert statuses == [200, 200, 200, 200, 429]


def test_an_empty_password_is_not_counted_or_slowed(client, officer, sleeps):
    """A form refused before any password is checked (empty field) neither counts towards the lock nor waits."""
    for _ in range(6):
        assert client.post(LOGIN, {"username": "officer.one", "password": ""}).status_code == 200
    assert sleeps == []
    assert sign_in(client, "officer.one", PASSWORD).status_code == 302


def test_the_admin_sign_in_is_slowed_and_locked_too(client, sleeps):
    """The admin's own sign-in form goes through the same slowing and the same lock."""
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    statuses = [
        client.post("/admin/login/", {"username": "boss", "password": WRONG, "next": "/admin/"}).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    assert sleeps == [0.25, 0.5, 1.0, 2.0]
    assert client.post("/admin/login/", {"username": "boss", "password": PASSWORD}).status_code == 429


# --- the lock: whom it covers, how long, what resets it ---------------------------------------------------


def lock_out(client: Client, username: str, **extra) -> None:
    for _ in range(5):
        last = sign_in(client, username, WRONG, **extra)
    assert last.status_code == 429


def test_the_lock_covers_one_user_name_at_one_address(officer, sleeps):
    """Another user name from the same address signs in; the locked user name signs in from another address."""
    lock_out(Client(), "officer.one")
    UserFactory(username="colleague")

    same_address = Client()
    assert sign_in(same_address, "colleague", PASSWORD).status_code == 302
    assert signed_in_as(same_address) == "colleague"

    other_address = Client(REMOTE_ADDR="10.9.8.7")
    assert sign_in(other_address, "officer.one", PASSWORD).status_code == 302
    assert signed_in_as(other_address) == "officer.one"

    still_locked = Client()
    assert sign_in(still_locked, "officer.one", PASSWORD).status_code == 429


def test_sign_in_works_again_after_the_cool_off(client, officer, sleeps):
    """The lock lasts AXES_COOLOFF_TIME (30 minutes) from the last failure: at 29 minutes it still holds, at 31 the
    right password signs in. (Time is moved by ageing axes' record of the failures.)"""
    lock_out(client, "officer.one")
    attempts = AccessAttempt.objects.filter(username="officer.one")
    last_failure = attempts.get().attempt_time

    attempts.update(attempt_time=last_failure - timedelta(minutes=29))
    assert sign_in(client, "officer.one", PASSWORD).status_code == 429

    attempts.update(attempt_time=last_failure - timedelta(minutes=31))
    assert sign_in(client, "officer.one", PASSWORD).status_code == 302
    assert signed_in_as(client) == "officer.one"


def test_a_successful_sign_in_resets_the_count(client, officer, sleeps):
    """Four failures, then the right password: the count starts again, so four more failures neither lock nor
    wait longer than the first ones did."""
    for _ in range(4):
        sign_in(client, "officer.one", WRONG)
    assert sign_in(client, "officer.one", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="officer.one").exists()
    client.post("/accounts/logout/")

    sleeps.clear()
    statuses = [sign_in(client, "officer.one", WRONG).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 200]
    assert sleeps == [0.25, 0.5, 1.0, 2.0]
    assert sign_in(client, "officer.one", PASSWORD).status_code == 302


def test_behind_a_proxy_the_client_address_comes_from_x_forwarded_for(officer, sleeps, settings):
    """With APA_PROXY_COUNT=1 every request arrives from the load balancer's address; the lock follows the address
    the balancer appended to X-Forwarded-For, and an address the client wrote there itself does not escape it."""
    settings.APA_PROXY_COUNT = 1
    balancer = {"REMOTE_ADDR": "10.0.0.2"}
    lock_out(Client(**balancer), "officer.one", HTTP_X_FORWARDED_FOR="203.0.113.5")

    elsewhere = Client(**balancer)
    assert sign_in(elsewhere, "officer.one", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 302

    spoofing = Client(**balancer)
    response = sign_in(spoofing, "officer.one", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9, 203.0.113.5")
    assert response.status_code == 429


def test_x_forwarded_for_is_believed_only_from_the_trusted_proxies(officer, sleeps, settings):
    """With APA_TRUSTED_PROXIES set, a client that reaches the app server directly (not from the balancer's
    address) cannot choose a new address for each guess: its own address is counted and it is locked."""
    settings.APA_PROXY_COUNT = 1
    settings.APA_TRUSTED_PROXIES = ["10.0.0.2"]
    direct = {"REMOTE_ADDR": "198.51.100.7"}
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(
            Client(**direct), "officer.one", "wrong-password", HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}"
        )
    response = sign_in(Client(**direct), "officer.one", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert response.status_code == 429

    via_balancer = Client(REMOTE_ADDR="10.0.0.2")
    assert (
        sign_in(via_balancer, "officer.one", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 302
    )


def test_without_proxies_x_forwarded_for_is_ignored(officer, sleeps):
    """With no proxy configured (the default) a client cannot pick its own address with X-Forwarded-For."""
    lock_out(Client(), "officer.one")
    response = sign_in(Client(), "officer.one", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert response.status_code == 429


# --- sessions ----------------------------------------------------------------------------------------------


def test_the_session_ends_with_the_browser_and_after_a_working_day(client, officer, settings):
    """The session cookie has no lifetime of its own (it goes when the browser closes) and the session itself
    expires SESSION_COOKIE_AGE (8 hours) after sign-in."""
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    before = timezone.now()
    response = sign_in(client, "officer.one", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert cookie["httponly"] is True
    assert client.session.get_expire_at_browser_close() is True
    assert client.session.get_expiry_age() == 8 * 60 * 60
    expire_date = Session.objects.get(session_key=cookie.value).expire_date
    assert before + timedelta(hours=8) <= expire_date <= timezone.now() + timedelta(hours=8)


def test_a_session_older_than_the_session_age_is_signed_out(client, officer, monkeypatch):
    """Two minutes before the 8 hours are up the user is still signed in; two minutes after, they are not."""
    assert sign_in(client, "officer.one", PASSWORD).status_code == 302
    real_now = timezone.now

    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(hours=8) - timedelta(minutes=2))
    assert signed_in_as(client) == "officer.one"

    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(hours=8) + timedelta(minutes=2))
    assert signed_in_as(client) is None


# --- password change ----------------------------------------------------------------------------------------


def test_the_user_menu_links_to_the_password_change(client, officer):
    """Every page's user menu offers the password change, in Bangla."""
    sign_in(client, "officer.one", PASSWORD)
    page = client.get("/").content.decode()
    assert 'href="/accounts/password_change/"' in page
    assert "পাসওয়ার্ড বদলান" in page


def test_a_password_change_signs_out_every_other_session_but_keeps_this_one(officer):
    """A and B are signed in as the same user; A changes the password: A stays signed in, B is signed out on its
    next request, and the new password is the one that signs in."""
    a, b = Client(), Client()
    assert sign_in(a, "officer.one", PASSWORD).status_code == 302
    assert sign_in(b, "officer.one", PASSWORD).status_code == 302
    assert signed_in_as(b) == "officer.one"

    form = a.get("/accounts/password_change/")
    assert form.status_code == 200
    assert "registration/password_change_form.html" in [t.name for t in form.templates]
    assert "পাসওয়ার্ড বদলান" in form.content.decode()

    new = "Sturdy-harbour-1971"
    response = a.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/password_change/done/"
    done = a.get(response["Location"])
    assert "পাসওয়ার্ড বদলানো হয়েছে" in done.content.decode()

    assert signed_in_as(a) == "officer.one"
    assert signed_in_as(b) is None
    assert sign_in(Client(), "officer.one", PASSWORD).status_code == 200  # the old password no longer works
    assert sign_in(Client(), "officer.one", new).status_code == 302


@pytest.mark.parametrize(
    ("new_password", "message_bn"),
    [
        ("Ab1-xyz", "পাসওয়ার্ডটি খুব ছোট। এতে অন্তত ১০টি অক্ষর থাকতে হবে।"),
        ("password123", "পাসওয়ার্ডটি খুব প্রচলিত।"),
        ("6103927458112", "পাসওয়ার্ডটি শুধু অঙ্ক দিয়ে তৈরি।"),
        ("officer.one.x", "পাসওয়ার্ডটি সদস্যনাম-এর সঙ্গে খুব মিলে যায়।"),
    ],
    ids=["short", "common", "numeric", "like-the-user-name"],
)
def test_the_password_change_refuses_weak_passwords_in_bangla(client, officer, new_password, message_bn):
    """Short, common, all-digit and user-name-like passwords are refused with the validator's Bangla message, and
    the old password stays."""
    sign_in(client, "officer.one", PASSWORD)
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 200
    assert message_bn in response.content.decode()
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)


def test_the_password_change_needs_the_old_password(client, officer):
    """A wrong old password is refused in Bangla and nothing changes."""
    sign_in(client, "officer.one", PASSWORD)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": WRONG,
            "new_password1": "Sturdy-harbour-1971",
            "new_password2": "Sturdy-harbour-1971",
        },
    )
    assert response.status_code == 200
    assert "আপনার পুরনো পাসওয়ার্ড ঠিকভাবে প্রবেশ করানো হয়নি" in response.content.decode()
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)
