"""How passwords are stored (apa_tracker/passwords.py): Argon2id with m = 46 MiB, t = 1, p = 1; passwords
stored by earlier hashers keep working and are stored again with Argon2id at the next successful sign-in.

These tests use the site's real PASSWORD_HASHERS (the suite otherwise swaps in MD5 for speed).
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import (
    Argon2PasswordHasher,
    PBKDF2PasswordHasher,
    check_password,
    identify_hasher,
    make_password,
)
from django.test import Client

from apa_tracker import signin
from apa_tracker.settings import PASSWORD_HASHERS as SITE_HASHERS
from tests.factories import UserFactory

LOGIN = "/accounts/login/"
PASSWORD = "a-long-enough-secret-42"
ARGON2ID_PREFIX = "argon2$argon2id$v=19$m=47104,t=1,p=1$"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_hashers(settings, monkeypatch):
    settings.PASSWORD_HASHERS = SITE_HASHERS
    monkeypatch.setattr(signin, "sleep", lambda seconds: None)


def stored(username: str) -> str:
    return get_user_model().objects.get(username=username).password


def test_new_passwords_are_stored_with_argon2id_and_the_owasp_parameters():
    encoded = make_password(PASSWORD)
    assert encoded.startswith(ARGON2ID_PREFIX)
    assert identify_hasher(encoded).algorithm == "argon2"
    assert check_password(PASSWORD, encoded)
    assert not check_password(PASSWORD + "x", encoded)
    assert make_password(PASSWORD) != encoded, "every hash has its own salt"


def test_the_password_change_form_stores_argon2id(client):
    user = UserFactory(username="changer")
    user.set_password(PASSWORD)
    user.save()
    client.force_login(user)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-secret-77",
            "new_password2": "another-long-secret-77",
        },
    )
    assert response.status_code == 302
    assert stored("changer").startswith(ARGON2ID_PREFIX)


@pytest.mark.parametrize(
    "earlier",
    [
        pytest.param(PBKDF2PasswordHasher(), id="pbkdf2-sha256 (Django's default before)"),
        pytest.param(Argon2PasswordHasher(), id="argon2 with Django's parameters"),
    ],
)
def test_an_earlier_hash_signs_in_and_is_stored_again_with_argon2id(earlier):
    user = UserFactory(username="earlier")
    user.password = earlier.encode(PASSWORD, earlier.salt())
    user.save()
    before = stored("earlier")
    assert not before.startswith(ARGON2ID_PREFIX)

    client = Client()
    assert client.post(LOGIN, {"username": "earlier", "password": "wrong-password-1"}).status_code == 200
    assert stored("earlier") == before, "a failed sign-in changes nothing"

    response = client.post(LOGIN, {"username": "earlier", "password": PASSWORD})
    assert response.status_code == 302
    after = stored("earlier")
    assert after.startswith(ARGON2ID_PREFIX)
    assert check_password(PASSWORD, after)
    assert Client().post(LOGIN, {"username": "earlier", "password": PASSWORD}).status_code == 302
