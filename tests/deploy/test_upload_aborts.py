"""Uploads that never finish, against gunicorn as deployed: no temporary file stays behind (issue 11 point 7).

A signed-in officer starts an evidence upload of 10 MB over a raw socket and sends half of it; Django is
writing the file to the temporary folder (TMPDIR of the server, a folder of the test's own). Then the client
either resets the connection, or stops sending until gunicorn's timeout aborts the worker. Before
``AbandonedUploadsMiddleware`` the reset left the 5 MB file until the garbage collector happened to run,
and the aborted worker left it for good.
"""

from __future__ import annotations

import socket
import struct
import time
from pathlib import Path

import pytest

from tests.deploy.servers import (
    demo_load,
    free_port,
    gunicorn_start,
    gunicorn_stop,
    production_environment,
    sign_in,
)

UPLOAD_PATH = "/plans/mofa/2022-23/indicators/1.2.2/evidence/"
BOUNDARY = "----apa-deploy-upload"
DECLARED = 10 * 1024 * 1024  # over FILE_UPLOAD_MAX_MEMORY_SIZE (a temporary file), under the 20 MB limit
SENT = 5 * 1024 * 1024
WORKER_TIMEOUT = 2  # seconds (APA_TIMEOUT)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """gunicorn with one worker and a short timeout on a demo-loaded SQLite file; temporary files in a folder
    of the test's own. Yields the base URL, the port, the temporary folder and the log."""
    folder = tmp_path_factory.mktemp("upload-site")
    temporary = folder / "tmp"
    temporary.mkdir()
    port = free_port()
    environment = {
        **production_environment(folder, port=port, workers=1),
        "DJANGO_SECURE_COOKIES": "0",  # plain HTTP on loopback: the session cookie must come back
        "APA_TIMEOUT": str(WORKER_TIMEOUT),
        "TMPDIR": str(temporary),  # where Python's tempfile, and so Django's upload handler, writes
    }
    demo_load(environment)
    log = folder / "gunicorn.log"
    process = gunicorn_start(environment, port=port, log=log)
    yield f"http://127.0.0.1:{port}", port, temporary, log
    gunicorn_stop(process)


def upload_started(port: int, cookie: str, token: str, temporary: Path) -> socket.socket:
    """A connection that has sent the headers and half the file, once the server is writing it to disk."""
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\nস্ক্যান\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="scan.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    request = (
        f"POST {UPLOAD_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\nX-CSRFToken: {token}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {len(head) + DECLARED}\r\n\r\n"
    ).encode()
    connection = socket.create_connection(("127.0.0.1", port))
    connection.sendall(request + head + b"%PDF-1.4\n" + b"0" * SENT)
    wait_for(lambda: sum(p.stat().st_size for p in temporary.iterdir()) >= SENT - 64 * 1024, "file written")
    return connection


def wait_for(condition, what: str, seconds: float = 30) -> None:
    """Wait for the server to get somewhere (a wait for progress, not a timing assertion)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting: {what}")
        time.sleep(0.05)


def answered(log: Path, count: int) -> bool:
    """Whether gunicorn has logged ``count`` answers to the upload address (it logs after answering)."""
    return log.read_text().count(f"POST {UPLOAD_PATH}") >= count


def test_an_upload_reset_by_the_client_leaves_no_temporary_file(site):
    """The client resets the connection mid-file (RST): by the time the request is answered, the half
    written temporary file is gone."""
    base, port, temporary, log = site
    officer = sign_in(base, "mofa.officer")
    before = log.read_text().count(f"POST {UPLOAD_PATH}")
    connection = upload_started(port, officer.cookie_header(), officer.csrf_token, temporary)
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close = RST
    connection.close()
    wait_for(lambda: answered(log, before + 1), "the upload answered")
    assert list(temporary.iterdir()) == []


def test_an_upload_stalled_until_the_worker_timeout_leaves_no_temporary_file(site):
    """The client stops sending: gunicorn aborts the worker at its timeout (SystemExit in the request), and
    the temporary file is deleted on the way out, not left for good."""
    base, port, temporary, log = site
    officer = sign_in(base, "mofa.officer")
    before = log.read_text().count("WORKER TIMEOUT")
    connection = upload_started(port, officer.cookie_header(), officer.csrf_token, temporary)
    try:
        wait_for(lambda: log.read_text().count("WORKER TIMEOUT") > before, "the worker timeout")
        wait_for(lambda: "Booting worker" in log.read_text().rsplit("WORKER TIMEOUT", 1)[1], "a new worker")
        assert list(temporary.iterdir()) == []
    finally:
        connection.close()
