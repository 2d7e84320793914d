"""GET /healthz: the load balancer's question "can this app server serve?" (apa_tracker/health.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.db import OperationalError, connections

from apa_tracker import health

HEALTHZ = "/healthz"
SECRET = "db.internal.example password=hunter2"


def probe_files(settings) -> list[Path]:
    folder = Path(settings.PRIVATE_FILES_ROOT) / "health"
    return list(folder.iterdir()) if folder.exists() else []


@pytest.fixture(autouse=True)
def _fresh_storage_probe():
    """Each test probes the storage itself (the view keeps a probe's result for a few seconds)."""
    health._storage_probe.clear()


@pytest.mark.django_db
def test_a_flood_of_probes_touches_the_storage_once_per_interval(client, monkeypatch):
    """Anyone may call /healthz: within STORAGE_PROBE_SECONDS the storage is probed once, not per request."""
    probes = []
    real = health.storage_ok
    monkeypatch.setattr(health, "storage_ok", lambda: probes.append(1) or real())
    for _ in range(5):
        assert client.get("/healthz").status_code == 200
    assert probes == [1]


@pytest.mark.django_db
def test_healthy_server_answers_200_with_every_part_ok(client, settings):
    """Without signing in: 200 and JSON saying the database and the storage are fine; the probe file is
    gone afterwards."""
    response = client.get(HEALTHZ)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == body["database"] == body["storage"] == "ok"
    assert set(body) == {"status", "database", "storage", "version"}
    assert probe_files(settings) == []


@pytest.mark.django_db
def test_database_failure_answers_503_naming_the_database_without_details(client, monkeypatch):
    """A database that does not answer makes the check 503 with "database": "error"; the storage is still
    reported, and nothing of the exception (host, password) reaches the response."""

    def broken(*args, **kwargs):
        raise OperationalError(f"could not connect to server {SECRET}")

    with monkeypatch.context() as patch:
        patch.setattr(type(connections["default"]), "cursor", broken)
        response = client.get(HEALTHZ)
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "error",
        "storage": "ok",
        "version": response.json()["version"],
    }
    assert SECRET.encode() not in response.content


@pytest.mark.django_db
def test_storage_that_refuses_writes_answers_503_naming_the_storage(client, monkeypatch):
    """A storage that cannot take the probe (bucket gone, disk full, no permission) makes the check 503."""

    def refuse(*args, **kwargs):
        raise PermissionError(f"Access Denied {SECRET}")

    monkeypatch.setattr(FileSystemStorage, "save", refuse)  # the tests' storage (tests/conftest.py)
    response = client.get(HEALTHZ)
    assert response.status_code == 503
    assert response.json()["storage"] == "error" and response.json()["database"] == "ok"
    assert SECRET.encode() not in response.content


@pytest.mark.django_db
def test_storage_that_cannot_read_back_fails_and_the_probe_is_deleted(client, monkeypatch, settings):
    """Written but not readable: 503, and the probe file written is deleted rather than left behind."""

    def unreadable(*args, **kwargs):
        raise OSError("read failed")

    monkeypatch.setattr(FileSystemStorage, "open", unreadable)
    response = client.get(HEALTHZ)
    assert response.status_code == 503 and response.json()["storage"] == "error"
    assert probe_files(settings) == []


@pytest.mark.django_db
def test_health_answer_is_never_cached(client):
    """A proxy or browser must not keep an old answer: every probe reaches the server."""
    cache_control = client.get(HEALTHZ)["Cache-Control"]
    assert "no-store" in cache_control and "max-age=0" in cache_control


@pytest.mark.django_db
def test_health_takes_get_and_head_only(client):
    """GET and HEAD answer; anything else is 405."""
    assert client.head(HEALTHZ).status_code == 200
    for method in ("post", "put", "delete"):
        response = getattr(client, method)(HEALTHZ)
        assert response.status_code == 405, method
        assert sorted(response["Allow"].split(", ")) == ["GET", "HEAD"]


@pytest.mark.django_db
def test_plain_http_probe_is_not_redirected_when_https_is_enforced(client, settings):
    """In production every page redirects to HTTPS, but the probe (plain HTTP to the app server's port)
    gets its answer."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/accounts/login/").status_code == 301
    assert client.get(HEALTHZ).status_code == 200


@pytest.mark.django_db
def test_probe_must_send_an_allowed_host(client, settings):
    """A Host outside DJANGO_ALLOWED_HOSTS is refused before the check runs (docs/deployment.md: the load
    balancer's probe sends an allowed Host)."""
    settings.ALLOWED_HOSTS = ["apa.example.gov.bd"]
    assert client.get(HEALTHZ, HTTP_HOST="10.0.0.7:8001").status_code == 400
    assert client.get(HEALTHZ, HTTP_HOST="apa.example.gov.bd").status_code == 200
