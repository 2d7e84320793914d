"""The home page: sign-in required, the user's own offices only, scores in Bangla digits."""

import pytest
from django.contrib.auth import get_user_model

from tests.factories import MembershipFactory, OfficeFactory, UserFactory


def login(client, username: str) -> None:
    client.force_login(get_user_model().objects.get(username=username))


@pytest.mark.django_db
def test_home_sends_anonymous_visitors_to_sign_in(client):
    """Nobody sees anything without signing in."""
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_home_shows_own_plan_with_marks_in_bangla_digits(client, demo):
    """An officer of MoFA sees the MoFA plan with the computed marks written in Bangla digits."""
    login(client, "mofa.officer")
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "পররাষ্ট্র মন্ত্রণালয়" in body
    assert "৪৪.৭৭" in body and "৯৩.২৭%" in body and "৪৬.৬৪" in body
    assert "44.77" not in body


def test_home_shows_nothing_of_another_ministry(client, demo):
    """An officer of the Ministry of Social Welfare sees no MoFA plan or marks."""
    login(client, "msw.officer")
    body = client.get("/").content.decode()
    assert "২০২২-২৩" not in body
    assert "৪৪.৭৭" not in body


def test_home_query_count_does_not_grow_with_memberships(client, demo, django_assert_max_num_queries):
    """Extra roles in offices without plans add no queries per office."""
    user = get_user_model().objects.get(username="mofa.officer")
    for _ in range(5):
        MembershipFactory(user=user, office=OfficeFactory())
    client.force_login(user)
    # 12 before issue 13/14/16; +1 the template offer (13.5), +1 the header's count of what waits (14.4), +1
    # returned quarters (14.5), +3 the document links (16: the years with plans, the offices with child
    # offices, the newest year for offices without a plan); none per membership.
    with django_assert_max_num_queries(16):
        assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_sign_in_page_is_bangla(client):
    """The sign-in page speaks Bangla and has labelled fields."""
    body = client.get("/accounts/login/").content.decode()
    assert "প্রবেশ করুন" in body
    assert '<label for="id_username">' in body and '<label for="id_password">' in body


@pytest.mark.django_db
def test_wrong_password_is_refused_with_bangla_message(client):
    """A wrong password gives a Bangla message, not a session."""
    UserFactory(username="someone")
    response = client.post("/accounts/login/", {"username": "someone", "password": "wrong"})
    assert response.status_code == 200
    assert "সঠিক নয়" in response.content.decode()
    assert "_auth_user_id" not in client.session
