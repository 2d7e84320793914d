"""The embedded default is the product (DESIGN.md §10, issue 14.3): the site's own Bangla error pages, never
Django's technical pages; a generated local secret; debugging only when asked for (DJANGO_DEBUG=1)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import path

from apa_tracker.settings import local_secret_key
from indicators.models import Role
from tests.factories import MembershipFactory, OfficeFactory, PlanFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]


def broken_view(request):
    raise RuntimeError("boom")


urlpatterns = [path("broken/", broken_view)]


@pytest.fixture
def officer_client(db):
    own = OfficeFactory(code="own")
    user = UserFactory(username="own.officer")
    MembershipFactory(user=user, office=own, role=Role.OFFICER)
    client = Client()
    client.force_login(user)
    return client


def test_another_offices_plan_answers_the_sites_own_404(officer_client):
    """Isolation holds and is said in Bangla on the site's page: no URLconf, no list of patterns, no DEBUG."""
    other = PlanFactory(office=OfficeFactory(code="other"))
    response = officer_client.get(f"/plans/{other.office.code}/{other.fiscal_year.code}/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "পাতাটি পাওয়া যায়নি" in body
    assert "URLconf" not in body and "DEBUG" not in body and "Using the" not in body
    # The page is the site's: the header with the way home.
    assert 'class="site-header"' in body and "আমার কাজে ফিরে যান" in body


def test_an_address_that_does_not_exist_answers_the_same_page(officer_client):
    response = officer_client.get("/no/such/page/")
    assert response.status_code == 404
    assert "পাতাটি পাওয়া যায়নি" in response.content.decode()


def test_a_stale_form_answers_the_bangla_csrf_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "ফর্মটি আর বৈধ নেই" in body and "CSRF verification failed" not in body


@override_settings(ROOT_URLCONF=__name__)
def test_a_crash_answers_the_standalone_500_page(db):
    """The 500 page needs no request context (Django renders it with none) and says nothing was lost."""
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "সাময়িক সমস্যা হয়েছে" in body and "Traceback" not in body and "boom" not in body


def test_the_local_secret_is_made_once_private_and_kept(tmp_path):
    path = tmp_path / "var" / "secret_key"
    first = local_secret_key(path)
    assert len(first) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert local_secret_key(path) == first  # read back, not remade: sessions survive a restart


def run_settings(env_extra: dict[str, str], tmp_path: Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "APA_", "AWS_"))}
    env.update(DJANGO_SETTINGS_MODULE="apa_tracker.settings", APA_SECRET_KEY_FILE=str(tmp_path / "key"))
    env.update(env_extra)
    code = "import django; from django.conf import settings as s; django.setup(); print(s.DEBUG, s.PRODUCTION, len(s.SECRET_KEY))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_debug_is_on_only_when_asked_for(tmp_path):
    """No variable (`make run`): the product, DEBUG off, a generated secret; DJANGO_DEBUG=1 (`make dev`): debug."""
    assert run_settings({}, tmp_path) == "False False 50"
    assert (tmp_path / "key").exists()
    assert run_settings({"DJANGO_DEBUG": "1"}, tmp_path) == "True False 50"
