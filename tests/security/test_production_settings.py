"""Production settings (DESIGN.md §10, issue 5): with DJANGO_DEBUG=0 the site refuses to start without a secret key
and allowed hosts, passes Django's deployment checks, and every page carries the browser protections.

The start-up tests run ``manage.py`` in a subprocess with a clean environment, as a server would start. The header
tests evaluate settings.py afresh under a production environment and apply its security settings to the test
site, so they test the values production computes, not values written into the test.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from unittest import mock

import pytest
from django.core.management.utils import get_random_secret_key
from django.test import Client, override_settings

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
HOST = "apa.example.gov.bd"

# The settings that decide what the browser is told; applied from the production evaluation of settings.py.
SECURITY_SETTINGS = [
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "CONTENT_SECURITY_POLICY",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_AGE",
    "SESSION_EXPIRE_AT_BROWSER_CLOSE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
]


def clean_environment(**variables: str) -> dict[str, str]:
    """The test process's environment without any DJANGO_*/APA_* setting, plus ``variables``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "APA_", "AWS_"))}
    env["DJANGO_SETTINGS_MODULE"] = "apa_tracker.settings"
    env.update(variables)
    return env


def production_environment(**variables: str) -> dict[str, str]:
    return clean_environment(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=get_random_secret_key(),  # 50 random characters, as `startproject` makes
        DJANGO_ALLOWED_HOSTS=HOST,
        **variables,
    )


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )


def settings_under(env: dict[str, str]) -> ModuleType:
    """settings.py evaluated afresh (as a separate module) with exactly the environment ``env``."""
    spec = importlib.util.spec_from_file_location("settings_under_test", ROOT / "apa_tracker" / "settings.py")
    module = importlib.util.module_from_spec(spec)
    with mock.patch.dict(os.environ, env, clear=True):
        spec.loader.exec_module(module)
    return module


# --- start-up ------------------------------------------------------------------------------------------------


def test_production_environment_passes_the_deployment_checks():
    """DEBUG off, a 50-character random secret key and the allowed hosts: `check --deploy` finds nothing, not
    even a warning."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_environment())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("weakening", "check_id"),
    [
        ({"DJANGO_SECURE_COOKIES": "0"}, "security.W012"),
        ({"DJANGO_HSTS_SECONDS": "0"}, "security.W004"),
        ({"DJANGO_SECURE_SSL_REDIRECT": "0"}, "security.W008"),
    ],
    ids=["insecure-cookies", "no-hsts", "no-https-redirect"],
)
def test_the_deployment_check_fails_when_a_protection_is_switched_off(weakening, check_id):
    """The check above has teeth: switching off one protection in production makes it fail, naming the issue."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_environment(**weakening))
    assert result.returncode != 0
    assert check_id in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    """DEBUG off and no DJANGO_SECRET_KEY: the management command stops at once and names the variable."""
    env = production_environment()
    del env["DJANGO_SECRET_KEY"]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    """DEBUG off and no DJANGO_ALLOWED_HOSTS: refused, naming the variable (Django would otherwise answer 400
    to everything, or anything at all if someone set ALLOWED_HOSTS=*)."""
    env = production_environment()
    del env["DJANGO_ALLOWED_HOSTS"]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_the_embedded_default_needs_no_environment():
    """Without any variable (`make run`) the settings load as the product: DEBUG off (the site's own error
    pages), not production, local hosts, no HTTPS-only protections."""
    embedded = settings_under(clean_environment())
    assert embedded.DEBUG is False and embedded.PRODUCTION is False
    assert embedded.ALLOWED_HOSTS == ["127.0.0.1", "localhost"]
    assert embedded.SECURE_HSTS_SECONDS == 0
    assert embedded.SESSION_COOKIE_SECURE is False
    assert embedded.SECURE_SSL_REDIRECT is False


# --- what the browser is told ----------------------------------------------------------------------------------


@pytest.fixture
def production_site():
    """The test site with the security settings production computes from its environment."""
    production = settings_under(production_environment())
    assert production.DEBUG is False
    with override_settings(**{name: getattr(production, name) for name in SECURITY_SETTINGS}):
        yield production


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
def test_production_pages_carry_the_browser_protections(production_site):
    """Over HTTPS, a real page (the sign-in page) says: only our own scripts and styles, no inline code, no eval,
    never in a frame, no referrer outside the site, no type sniffing, HTTPS only for a year (HSTS)."""
    response = Client().get("/accounts/login/", secure=True, headers={"host": HOST})
    assert response.status_code == 200

    csp = csp_directives(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]

    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.django_db
def test_production_cookies_are_secure_and_hidden_from_scripts(production_site):
    """The CSRF cookie and, after signing in, the session cookie are sent only over HTTPS (Secure), are not
    readable by scripts (HttpOnly), stay on same-site requests (SameSite=Lax) and go when the browser closes."""
    UserFactory(username="officer.one")
    client = Client()
    page = client.get("/accounts/login/", secure=True, headers={"host": HOST})
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] is True and csrf["httponly"] is True

    signed_in = client.post(
        "/accounts/login/",
        {"username": "officer.one", "password": "test-pass-123"},
        secure=True,
        headers={"host": HOST},
    )
    assert signed_in.status_code == 302
    session = signed_in.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert session["max-age"] == "" and session["expires"] == ""


@pytest.mark.django_db
def test_production_redirects_plain_http_to_https(production_site):
    """A request over plain HTTP is sent to the same address over HTTPS, before anything else happens."""
    response = Client().get("/accounts/login/?next=/", headers={"host": HOST})
    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}/accounts/login/?next=/"


@pytest.mark.django_db
def test_the_embedded_site_has_the_same_content_security_policy_but_no_hsts(client):
    """The policy is the same without HTTPS (so that development shows what production would refuse), but the
    HTTPS-only header (HSTS) is not sent over plain http."""
    response = client.get("/accounts/login/")
    csp = csp_directives(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert "Strict-Transport-Security" not in response
    assert response["X-Frame-Options"] == "DENY"


# --- .env.example ----------------------------------------------------------------------------------------------

ENV_EXAMPLE = ROOT / ".env.example"
# How settings.py reads the environment: os.environ.get("X" …), os.environ["X"], env_bool("X" …),
# env_list("X" …), environ.get("X") in a helper, dj_database_url's env="X".
READ_FROM_ENVIRONMENT = re.compile(
    r"""(?:environ\.get\(|environ\[|env_bool\(|env_list\(|env=)\s*["']([A-Z][A-Z0-9_]*)["']"""
)
# Read by boto3 itself, not by settings.py, but part of configuring the S3 storage.
READ_BY_LIBRARIES = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}


def example_lines() -> tuple[dict[str, str], set[str]]:
    """The example's active assignments, and every variable it documents (active or commented out)."""
    active, documented = {}, set()
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if match := re.fullmatch(r"(#\s*)?([A-Z][A-Z0-9_]*)=(\S*)", line.strip()):
            documented.add(match[2])
            if not match[1]:
                active[match[2]] = match[3]
    return active, documented


def test_env_example_documents_every_variable_settings_reads():
    """Every environment variable settings.py reads is in .env.example (set or shown commented out with its
    default), and the example names nothing that settings.py (or boto3, for S3) does not read."""
    read = set(
        READ_FROM_ENVIRONMENT.findall((ROOT / "apa_tracker" / "settings.py").read_text(encoding="utf-8"))
    )
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "APA_STORAGE", "APA_S3_BUCKET"} <= read  # the pattern works
    _active, documented = example_lines()
    assert sorted(read - documented) == [], "read by settings.py but missing from .env.example"
    assert sorted(documented - read - READ_BY_LIBRARIES) == [], "in .env.example but read by nothing"
    assert READ_BY_LIBRARIES <= documented


def test_env_example_is_a_working_production_configuration():
    """The example's settings, with a secret key filled in, pass the deployment checks; as shipped, with the key
    left empty, the server refuses to start."""
    active, _documented = example_lines()
    assert active["DJANGO_DEBUG"] == "0"
    assert active["DJANGO_SECRET_KEY"] == ""

    refused = manage("check", env=clean_environment(**active))
    assert refused.returncode != 0 and "DJANGO_SECRET_KEY" in refused.stderr

    env = clean_environment(**{**active, "DJANGO_SECRET_KEY": get_random_secret_key()})
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


# --- database connection ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, options",
    [
        ("postgres://apa@db.example/apa", "-c jit=off"),
        ("postgres://apa@db.example/apa?options=-c%20jit%3Don", "-c jit=on"),
        ("sqlite:////tmp/apa.sqlite3", None),
    ],
)
def test_postgresql_connections_turn_jit_off_unless_the_url_says_otherwise(url, options):
    """JIT compiling costs ~20 ms per costly statement and our statements are short (BENCHMARKS.md)."""
    database = settings_under(clean_environment(DATABASE_URL=url)).DATABASES["default"]
    assert database.get("OPTIONS", {}).get("options") == options


@pytest.mark.django_db
def test_the_live_postgresql_connection_has_jit_off():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.parametrize("url", ["sqlite:////tmp/apa.sqlite3", "postgres://apa@db.example/apa"])
def test_sqlite_connections_are_set_for_concurrent_use(url):
    """DESIGN.md §10: on SQLite, transactions take the write lock when they begin (BEGIN IMMEDIATE), wait up to
    20 s for it, and the file is in WAL mode; PostgreSQL gets none of these SQLite-only options."""
    options = settings_under(clean_environment(DATABASE_URL=url)).DATABASES["default"].get("OPTIONS", {})
    sqlite_options = {"transaction_mode", "timeout", "init_command"}
    if url.startswith("sqlite"):
        assert options["transaction_mode"] == "IMMEDIATE"
        assert options["timeout"] == 20
        assert options["init_command"] == "PRAGMA journal_mode=WAL"
    else:
        assert not sqlite_options & set(options)


@pytest.mark.django_db
def test_the_live_sqlite_connection_begins_immediate_and_waits_for_the_lock():
    """The connection the suite runs on really has the options (the in-memory test database cannot be WAL;
    tests/deploy/test_sqlite_concurrency.py checks the file)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20_000
    assert connection.transaction_mode == "IMMEDIATE"
