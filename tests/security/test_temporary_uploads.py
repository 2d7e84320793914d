"""Temporary upload files are removed when a request fails (issue 11 point 7, DESIGN.md §5).

Django streams an upload over FILE_UPLOAD_MAX_MEMORY_SIZE into a temporary file, and the admin's sheet import
copies the sheet into import-export's temporary folder for the confirmation. Each test makes a request fail in
one way — the client resets the connection mid-file, the body cannot be decoded, the worker is aborted
(gunicorn's timeout raises SystemExit in the request), the view or the import raises — and then looks in both
folders. The uploads go to folders of the test's own, so anything left behind shows.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

import evidence.services
from evidence.models import Evidence
from indicators.models import ActionPlan, Office
from indicators.resources import PlanSheetResource
from tests.factories import DEMO_DIR
from tests.files import pdf_bytes

UPLOAD_URL = "/plans/mofa/2022-23/indicators/1.2.2/evidence/"
BOUNDARY = "----apa-test-boundary-tmp"
CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"
# A file over FILE_UPLOAD_MAX_MEMORY_SIZE (1 KiB here) and under the limits (64 KiB): a temporary file.
FILE = pdf_bytes() + b"\n" * 40_000


@pytest.fixture(autouse=True)
def _folders(settings, tmp_path, monkeypatch):
    """Uploads over 1 KiB spooled to a folder of the test's own; import-export's copies (it uses
    tempfile.gettempdir()) to another."""
    settings.EVIDENCE_MAX_BYTES = settings.SHEET_MAX_BYTES = 64 * 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    (tmp_path / "upload-tmp").mkdir()
    (tmp_path / "ie-tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "ie-tmp"))


def leftovers(tmp_path: Path) -> list[str]:
    return sorted(p.name for folder in ("upload-tmp", "ie-tmp") for p in (tmp_path / folder).iterdir())


def signed_in(username: str) -> Client:
    """A client that answers a failed request as the server does (a 500 page) instead of raising."""
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username=username))
    return client


def multipart(
    fields: dict[str, str], name: str, data: bytes, *, file_field: str = "file", **headers
) -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    part_headers = "".join(f"{key}: {value}\r\n" for key, value in headers.items())
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{name}"\r\n'
        f"Content-Type: application/octet-stream\r\n{part_headers}\r\n".encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts)


class BrokenBody(io.RawIOBase):
    """The request body as the server reads it from a client that goes away: ``raising`` after ``after``
    bytes — ConnectionResetError for a reset connection (Django turns it into UnreadablePostError),
    SystemExit for gunicorn aborting a worker at its timeout."""

    def __init__(self, data: bytes, *, after: int, raising: BaseException):
        self.data, self.after, self.raising, self.position = data, after, raising, 0

    def read(self, size: int = -1) -> bytes:
        if self.position >= self.after:
            raise self.raising
        end = self.after if size is None or size < 0 else min(self.position + size, self.after)
        chunk = self.data[self.position : end]
        self.position = end
        return chunk


def evidence_body() -> bytes:
    return multipart({"title": "একটি প্রমাণক", "quarter": "1"}, "scan.pdf", FILE)


# --- evidence upload -----------------------------------------------------------------------------------------


def test_an_upload_whose_connection_is_reset_mid_file_leaves_no_temporary_file(demo, tmp_path):
    """The client resets the connection halfway through the file: Django stops reading with
    UnreadablePostError while the temporary file is half written; it is gone when the answer is."""
    body = evidence_body()
    response = signed_in("mofa.officer").post(
        UPLOAD_URL,
        body,
        content_type=CONTENT_TYPE,
        **{"wsgi.input": BrokenBody(body, after=len(body) // 2, raising=ConnectionResetError(104, "reset"))},
    )
    assert response.status_code in (302, 400, 500)
    assert not Evidence.objects.exists()
    assert leftovers(tmp_path) == []


def test_an_upload_aborted_by_the_worker_timeout_leaves_no_temporary_file(demo, tmp_path):
    """gunicorn aborts a worker whose request outlasts the timeout by raising SystemExit in it: the half
    written file is deleted on the way out, before the process ends (and could never be deleted after)."""
    body = evidence_body()
    with pytest.raises(SystemExit):
        signed_in("mofa.officer").post(
            UPLOAD_URL,
            body,
            content_type=CONTENT_TYPE,
            **{"wsgi.input": BrokenBody(body, after=len(body) // 2, raising=SystemExit(1))},
        )
    assert leftovers(tmp_path) == []


def test_an_upload_that_cannot_be_decoded_leaves_no_temporary_file(demo, tmp_path):
    """A base64 part whose last bytes are cut off is refused by Django's parser (400) after the file was
    written: the file goes with the refusal."""
    encoded = __import__("base64").b64encode(FILE) + b"QUJD="[:3]  # 3 stray characters: not base64
    body = multipart(
        {"title": "একটি প্রমাণক", "quarter": "1"},
        "scan.pdf",
        encoded,
        **{"Content-Transfer-Encoding": "base64"},
    )
    response = signed_in("mofa.officer").post(UPLOAD_URL, body, content_type=CONTENT_TYPE)
    assert response.status_code == 400
    assert leftovers(tmp_path) == []


def test_an_upload_whose_view_raises_leaves_no_temporary_file(demo, tmp_path, monkeypatch):
    """The file arrived whole and the service then fails unexpectedly (a 500): the temporary file goes with
    the request (Django closes request.FILES when the answer is closed)."""

    def fails(**kwargs):
        raise RuntimeError("storage unreachable")

    monkeypatch.setattr(evidence.services, "evidence_upload", fails)
    response = signed_in("mofa.officer").post(UPLOAD_URL, evidence_body(), content_type=CONTENT_TYPE)
    assert response.status_code == 500
    assert leftovers(tmp_path) == []


def test_a_file_posted_to_a_page_that_fails_leaves_no_temporary_file(demo, tmp_path):
    """Any address parses a multipart POST (the CSRF check reads it); a reset there leaves nothing either."""
    body = multipart({"value": "৮০", "remark": "", "version": ""}, "scan.pdf", FILE)
    signed_in("mofa.officer").post(
        "/plans/mofa/2022-23/indicators/1.3.1/q1/",
        body,
        content_type=CONTENT_TYPE,
        **{"wsgi.input": BrokenBody(body, after=len(body) - 100, raising=ConnectionResetError(104, "reset"))},
    )
    assert leftovers(tmp_path) == []


# --- the admin's sheet import --------------------------------------------------------------------------------


def plan_sheet_fields() -> dict[str, str]:
    return {
        "resource": "0",
        "office": str(Office.objects.get(code="msw").pk),
        "fiscal_year": "2022-23",
        "format": "0",  # CSV
    }


def test_a_sheet_upload_whose_connection_is_reset_leaves_no_temporary_file(demo, tmp_path):
    """The plan sheet import, reset halfway through the file."""
    body = multipart(
        plan_sheet_fields(), "plan.csv", (DEMO_DIR / "plan.csv").read_bytes(), file_field="import_file"
    )
    signed_in("admin").post(
        reverse("admin:indicators_indicator_import"),
        body,
        content_type=CONTENT_TYPE,
        **{"wsgi.input": BrokenBody(body, after=len(body) // 2, raising=ConnectionResetError(104, "reset"))},
    )
    assert leftovers(tmp_path) == []


def test_a_sheet_check_that_raises_leaves_no_temporary_copy(demo, tmp_path, monkeypatch):
    """import-export copies the sheet into its temporary folder before checking it; when the check fails
    with an exception (a 500, or the worker aborted), there will be no confirmation: the copy goes."""

    def fails(self, *args, **kwargs):
        raise RuntimeError("database unreachable")

    monkeypatch.setattr(PlanSheetResource, "import_data", fails)
    client = signed_in("admin")
    data = {**plan_sheet_fields(), "import_file": io.BytesIO((DEMO_DIR / "plan.csv").read_bytes())}
    data["import_file"].name = "plan.csv"
    response = client.post(reverse("admin:indicators_indicator_import"), data)
    assert response.status_code == 500
    assert leftovers(tmp_path) == []


def test_a_confirmed_import_that_raises_leaves_no_temporary_copy(demo, tmp_path, monkeypatch):
    """The copy kept for the confirmation is removed when the confirmed import fails with an exception, as it
    is when the import succeeds or is refused."""
    client = signed_in("admin")
    data = {**plan_sheet_fields(), "import_file": io.BytesIO((DEMO_DIR / "plan.csv").read_bytes())}
    data["import_file"].name = "plan.csv"
    form = client.post(reverse("admin:indicators_indicator_import"), data).context["confirm_form"]
    assert form is not None and len(leftovers(tmp_path)) == 1

    def fails(self, *args, **kwargs):
        raise RuntimeError("database unreachable")

    monkeypatch.setattr(PlanSheetResource, "import_data", fails)
    confirm = {field.html_name: str(field.value()) for field in form}
    response = client.post(reverse("admin:indicators_indicator_process_import"), confirm)
    assert response.status_code == 500
    assert not ActionPlan.objects.filter(office__code="msw").exists()
    assert leftovers(tmp_path) == []
