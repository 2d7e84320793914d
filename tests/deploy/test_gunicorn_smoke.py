"""The site as deployed: gunicorn with gunicorn.conf.py, DJANGO_DEBUG=0, static files through whitenoise.

gunicorn runs as a subprocess on a free port of 127.0.0.1 against a SQLite file of its own (the test
database lives inside the test's transaction, which another process cannot see). /healthz needs no tables
(a `SELECT 1` and a probe file), so the file is not migrated; static files come from the app folders
(APA_STATIC_MANIFEST=0) because `collectstatic` with compression takes a minute — the hashed, compressed
names are shown in docs/deployment.md instead.
"""

from __future__ import annotations

import json
import signal
import time
import urllib.error
import urllib.request

import pytest

from tests.deploy.servers import ROOT, free_port, gunicorn_start, gunicorn_stop, production_environment


def get(url: str, headers: dict | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn serving the site with the production settings; yields its base URL and its log file."""
    folder = tmp_path_factory.mktemp("gunicorn")
    port = free_port()
    log = folder / "gunicorn.log"
    process = gunicorn_start(production_environment(folder, port=port), port=port, log=log)
    yield f"http://127.0.0.1:{port}", log, process
    gunicorn_stop(process)


def test_gunicorn_serves_healthz_with_production_settings(server):
    """With DJANGO_DEBUG=0 under gunicorn, /healthz answers 200 with the database and storage ok."""
    base, _log, _process = server
    status, headers, body = get(f"{base}/healthz")
    assert status == 200, body
    assert json.loads(body)["status"] == "ok"
    assert "no-store" in headers["Cache-Control"]


def test_whitenoise_serves_static_files_with_cache_headers(server):
    """The app server itself serves static files (whitenoise), cacheable by browsers and proxies."""
    base, _log, _process = server
    status, headers, body = get(f"{base}/static/css/app.css")
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert "max-age=" in headers["Cache-Control"] and "public" in headers["Cache-Control"]
    assert body == (ROOT / "static" / "css" / "app.css").read_bytes()
    assert get(f"{base}/static/css/missing.css")[0] == 404


def test_access_log_ends_with_the_request_time_in_microseconds(server):
    """Each access-log line ends with the request's duration in µs (gunicorn's %(D)s), for the load test."""
    base, log, _process = server
    get(f"{base}/healthz?from=log-test")
    deadline = time.monotonic() + 30
    while True:  # gunicorn writes the line after the response has gone out: wait for it to appear
        lines = [line for line in log.read_text().splitlines() if "/healthz?from=log-test" in line]
        if lines or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert lines, log.read_text()
    assert lines[-1].rsplit(" ", 1)[1].isdigit()


def test_gunicorn_stops_cleanly_on_sigterm(server):
    """SIGTERM (a deploy, systemd stop) ends gunicorn gracefully with exit status 0."""
    _base, log, process = server
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0, log.read_text()
