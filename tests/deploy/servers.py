"""gunicorn as deployed, started by the deploy tests: a subprocess on a free port of 127.0.0.1."""

from __future__ import annotations

import http.cookiejar
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_environment(folder: Path, *, port: int, workers: int = 1) -> dict[str, str]:
    """The environment of a production app server (DJANGO_DEBUG=0) whose SQLite file and private files are
    in ``folder``; the caller's DJANGO_*/APA_* variables are left out, DATABASE_URL is replaced."""
    return {
        **{name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "APA_"))},
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "deploy-test-key-not-a-secret",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback; production terminates TLS in front
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "APA_PRIVATE_FILES_ROOT": str(folder / "private"),
        "APA_STATIC_MANIFEST": "0",
        "APA_BIND": f"127.0.0.1:{port}",
        "APA_WORKERS": str(workers),
    }


DEMO_PASSWORD = "deploy-test-pass-123"


def demo_load(environment: dict[str, str]) -> None:
    """Migrate the environment's database and load the demo, with the commands `make run` uses."""
    for command in (["migrate", "--noinput", "-v0"], ["load_demo", "--password", DEMO_PASSWORD]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=environment,
            check=True,
            capture_output=True,
        )


@dataclass(frozen=True)
class SignedIn:
    opener: urllib.request.OpenerDirector  # sends the session cookie
    csrf_token: str
    cookies: dict[str, str]

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())


def sign_in(base: str, username: str) -> SignedIn:
    """A demo user signed in through the sign-in form (the server must send cookies without TLS:
    DJANGO_SECURE_COOKIES=0)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{base}/accounts/login/", timeout=30).read()
    token = {cookie.name: cookie.value for cookie in jar}["csrftoken"]
    form = {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token}
    opener.open(f"{base}/accounts/login/", data=urllib.parse.urlencode(form).encode(), timeout=30).read()
    cookies = {cookie.name: cookie.value for cookie in jar}
    assert "sessionid" in cookies, f"{username} could not sign in"
    return SignedIn(opener, cookies["csrftoken"], cookies)  # the token is rotated at sign-in


def gunicorn_start(environment: dict[str, str], *, port: int, log: Path) -> subprocess.Popen:
    """gunicorn with gunicorn.conf.py, once it listens on ``port``; its output goes to ``log``."""
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [str(GUNICORN), "--config", "gunicorn.conf.py"],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while True:  # wait until it listens (a start-up wait, not a timing assertion)
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"gunicorn did not start:\n{log.read_text()}")
            time.sleep(0.2)


def gunicorn_stop(process: subprocess.Popen) -> None:
    """Stop gunicorn as a deploy does (SIGTERM), killing it only if it hangs. Killing the master outright
    would leave its workers accepting on the port until they notice, a few seconds later."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
