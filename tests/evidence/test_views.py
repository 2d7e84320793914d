"""Evidence in the browser (DESIGN.md §4, §5): upload, list, download and remove, checked on the server.

Permissions walk anonymous → another office → own office → the parent office's reviewer for every view.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from evidence.models import Evidence
from evidence.selectors import file_size_bn
from evidence.services import evidence_attach, evidence_upload
from evidence.validators import EvidenceRejected
from indicators.models import HistoryEntry, HistoryKind
from indicators.periods import periods_ensure
from tests.files import image_bytes as _image
from tests.files import pdf_bytes as _pdf
from workflow.transitions import period_transition

OFFICE, YEAR, CODE = "mofa", "2022-23", "1.2.2"
UPLOAD_URL = f"/plans/{OFFICE}/{YEAR}/indicators/{CODE}/evidence/"
PAGE_URL = f"/plans/{OFFICE}/{YEAR}/indicators/{CODE}/"


# --- helpers ---------------------------------------------------------------------------------------


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _login(client: Client, username: str) -> None:
    client.force_login(_user(username))


def _stored_files() -> list[Path]:
    root = Path(django_settings.STORAGES["default"]["OPTIONS"]["location"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _indicator(plan):
    return plan.indicators.get(code=CODE)


def _attach(plan, *, quarter: int | None = 1, title: str = "সভার কার্যবিবরণী", data: bytes | None = None):
    return evidence_attach(
        indicator=_indicator(plan),
        title=title,
        data=data if data is not None else _pdf(),
        original_name="minutes.pdf",
        quarter=quarter,
        user=_user("mofa.officer"),
    )


def _post_upload(client: Client, name: str, data: bytes, *, title="সেবা চালুর আদেশ", quarter="1", **extra):
    fields = {"title": title, "file": SimpleUploadedFile(name, data)}
    if quarter is not None:
        fields["quarter"] = quarter
    return client.post(UPLOAD_URL, fields, **extra)


def _move(plan, quarter: int, *actions: str) -> None:
    """Move a period on as the real users do: the officer submits, the CIO approves and sends."""
    actor = {"submit": "mofa.officer", "approve": "mofa.cio", "send": "mofa.cio"}
    for action in actions:
        period = periods_ensure(plan)[quarter - 1]
        period_transition(
            period=period, action=action, user=_user(actor[action]), expected_version=period.version
        )


def _send(plan, quarter: int) -> None:
    _move(plan, quarter, "submit", "approve", "send")


def _page(client: Client) -> str:
    response = client.get(PAGE_URL)
    assert response.status_code == 200
    return response.content.decode()


def _body(response) -> bytes:
    # The test client closes the response once its content is read, with Django's connection handling
    # switched off; closing it here again would fire request_finished and close the database connection
    # (a real one on PostgreSQL).
    return b"".join(response.streaming_content)


# --- who may do what ---------------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["upload", "download", "remove"])
def test_every_evidence_view_sends_anonymous_visitors_to_sign_in(client, demo, view):
    """Without signing in, no evidence view does anything but redirect to the sign-in page."""
    evidence = _attach(demo)
    response = {
        "upload": lambda: _post_upload(client, "a.pdf", _pdf()),
        "download": lambda: client.get(f"/evidence/{evidence.pk}/download/"),
        "remove": lambda: client.post(f"/evidence/{evidence.pk}/remove/"),
    }[view]()
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert Evidence.objects.count() == 1


@pytest.mark.parametrize("view", ["upload", "download", "remove"])
def test_every_evidence_view_answers_404_to_another_office(client, demo, view):
    """An officer of another ministry gets 404 from every evidence view, and nothing changes."""
    evidence = _attach(demo)
    files_before = _stored_files()
    _login(client, "msw.officer")
    response = {
        "upload": lambda: _post_upload(client, "a.pdf", _pdf()),
        "download": lambda: client.get(f"/evidence/{evidence.pk}/download/"),
        "remove": lambda: client.post(f"/evidence/{evidence.pk}/remove/"),
    }[view]()
    assert response.status_code == 404
    assert list(Evidence.objects.values_list("pk", flat=True)) == [evidence.pk]
    assert _stored_files() == files_before


@pytest.mark.parametrize("username", ["mofa.officer", "mofa.cio"])
def test_officer_and_cio_upload_pdf_and_see_it_in_the_panel(client, demo, username):
    """A PDF upload by an officer or the CIO is stored and listed with its title, pages, size and hash."""
    data = _pdf(3)
    _login(client, username)
    response = _post_upload(client, "order.pdf", data, quarter="2")
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE_URL}#evidence"
    evidence = Evidence.objects.get()
    assert (evidence.quarter, evidence.page_count, evidence.uploaded_by.username) == (2, 3, username)
    body = _page(client)
    assert "সেবা চালুর আদেশ" in body and "যুক্ত হয়েছে" in body
    assert evidence.sha256[:12] in body
    assert file_size_bn(len(data)) in body
    assert f'href="/evidence/{evidence.pk}/download/"' in body


@pytest.mark.parametrize(("kind", "content_type"), [("JPEG", "image/jpeg"), ("PNG", "image/png")])
def test_jpeg_and_png_uploads_are_accepted(client, demo, kind, content_type):
    """Images are accepted as one-page evidence with their own content type."""
    _login(client, "mofa.officer")
    response = _post_upload(client, f"photo.{kind.lower()}", _image(kind))
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.content_type, evidence.page_count) == (content_type, 1)
    assert "photo" in _page(client)


def test_upload_without_quarter_goes_to_first_open_quarter(client, demo):
    """With Q1 submitted, an upload that names no quarter is filed under Q2."""
    _move(demo, 1, "submit")
    _login(client, "mofa.officer")
    _post_upload(client, "a.pdf", _pdf(), quarter=None)
    assert Evidence.objects.get().quarter == 2


def test_png_named_pdf_is_accepted_by_its_content(client, demo):
    """The content decides: a PNG called .pdf is stored as a PNG and downloads with a .png name."""
    _login(client, "mofa.officer")
    _post_upload(client, "scan.pdf", _image("PNG"))
    evidence = Evidence.objects.get()
    assert evidence.content_type == "image/png"
    response = client.get(f"/evidence/{evidence.pk}/download/")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="scan.png"'
    _body(response)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("report.pdf", b"<!DOCTYPE html><html><body><h1>report</h1></body></html>", "শুধু PDF, JPEG বা PNG"),
        ("empty.pdf", b"", "ফাইলটি খালি"),
        ("broken.png", _image("PNG")[:60], "ছবিটি খোলা যায়নি"),
    ],
    ids=["html-named-pdf", "empty", "truncated-png"],
)
def test_refused_upload_says_why_in_bangla_and_leaves_nothing(client, demo, name, data, reason):
    """A refused file gives its Bangla reason on the page and leaves no row, no file and no history."""
    _login(client, "mofa.officer")
    response = _post_upload(client, name, data, follow=True)
    assert reason in response.content.decode()
    assert not Evidence.objects.exists()
    assert _stored_files() == []
    assert not HistoryEntry.objects.filter(kind=HistoryKind.EVIDENCE_ADDED).exists()


def test_oversize_upload_is_refused_with_the_limit_in_bangla(client, demo, settings):
    """A file over EVIDENCE_MAX_BYTES is refused before it is kept, saying the limit in Bangla digits."""
    settings.EVIDENCE_MAX_BYTES = 2048
    _login(client, "mofa.officer")
    response = _post_upload(client, "big.pdf", _pdf() + b"%" * 4096, follow=True)
    assert "ফাইলটি অনেক বড়: সর্বোচ্চ ২ KB গ্রহণযোগ্য।" in response.content.decode()
    assert not Evidence.objects.exists()
    assert _stored_files() == []


def test_service_checks_declared_size_before_reading(demo, settings):
    """evidence_upload refuses an oversize upload from its declared size, without reading a byte."""

    class Unreadable(SimpleUploadedFile):
        def chunks(self, chunk_size=None):
            raise AssertionError("the file was read")

    settings.EVIDENCE_MAX_BYTES = 10
    upload = Unreadable("big.pdf", b"x" * 11)
    with pytest.raises(EvidenceRejected, match="ফাইলটি অনেক বড়"):
        evidence_upload(
            indicator=_indicator(demo), title="t", upload=upload, quarter=1, user=_user("mofa.officer")
        )


def test_refusal_is_shown_next_to_the_form_for_htmx(client, demo):
    """With htmx, a refused upload returns the panel with the reason beside the form and the title kept."""
    _login(client, "mofa.officer")
    response = _post_upload(client, "x.pdf", b"not a pdf", title="আমার শিরোনাম", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section class="card evidence-panel" id="evidence"')
    assert 'role="alert">শুধু PDF, JPEG বা PNG' in body
    assert 'value="আমার শিরোনাম"' in body


def test_upload_without_csrf_token_is_refused(demo):
    """The upload view checks the CSRF token itself (it installs the size limit first): no token, no file."""
    client = Client(enforce_csrf_checks=True)
    _login(client, "mofa.officer")
    response = _post_upload(client, "a.pdf", _pdf())
    assert response.status_code == 403
    assert not Evidence.objects.exists()


def test_upload_to_a_submitted_quarter_is_refused_on_the_server(client, demo):
    """POSTing straight to a submitted quarter stores nothing and says the quarter is locked."""
    _move(demo, 1, "submit")
    _login(client, "mofa.officer")
    response = _post_upload(client, "a.pdf", _pdf(), quarter="1", follow=True)
    assert "এখন বদলানো যাবে না" in response.content.decode()
    assert not Evidence.objects.exists()
    assert _stored_files() == []


def test_upload_form_offers_only_open_quarters_and_states_the_rules(client, demo):
    """The form has labelled fields, Bangla help with the size limit, and no locked quarter."""
    _move(demo, 1, "submit", "approve")
    _login(client, "mofa.officer")
    body = _page(client)
    assert '<label for="evidence-file-input">' in body and '<label for="evidence-title-input">' in body
    assert "PDF, JPEG বা PNG; প্রতিটি সর্বোচ্চ ২০ MB, একবারে সর্বোচ্চ ১০টি" in body
    assert '<option value="1"' not in body
    assert '<option value="2"' in body and '<option value="4"' in body


def test_reviewer_and_other_members_get_no_upload_form_and_no_upload(client, demo):
    """The parent office's reviewer sees no upload form, and a direct POST answers 404."""
    _attach(demo)
    _send(demo, 1)
    _login(client, "cabinet.reviewer")
    assert 'name="file"' not in _page(client)
    assert _post_upload(client, "a.pdf", _pdf(), quarter="2").status_code == 404
    assert Evidence.objects.count() == 1


# --- download ----------------------------------------------------------------------------------------


def test_download_streams_the_exact_bytes_as_an_attachment(client, demo):
    """Download: the stored bytes, the stored type, attachment with the original name, nosniff."""
    data = _pdf(2)
    evidence = _attach(demo, data=data)
    _login(client, "mofa.officer")
    response = client.get(f"/evidence/{evidence.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="minutes.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    body = _body(response)
    assert body == data and hashlib.sha256(body).hexdigest() == evidence.sha256


def test_download_of_a_bangla_file_name_uses_rfc_5987(client, demo):
    """A Bangla file name comes back in filename*=UTF-8'' form, with an ASCII fallback."""
    _login(client, "mofa.officer")
    _post_upload(client, "সভার কার্যবিবরণী.pdf", _pdf())
    evidence = Evidence.objects.get()
    response = client.get(f"/evidence/{evidence.pk}/download/")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="evidence.pdf"; ')
    assert disposition.endswith("filename*=UTF-8''" + quote("সভার কার্যবিবরণী.pdf", safe=""))
    _body(response)


def test_files_are_not_reachable_under_media_url(client, demo):
    """The stored path is not served: only the permission-checked view returns the bytes."""
    evidence = _attach(demo)
    _login(client, "mofa.officer")
    assert client.get(f"/{evidence.file.name}").status_code == 404
    assert client.get(f"/media/{evidence.file.name}").status_code == 404


def test_reviewer_downloads_evidence_only_once_its_quarter_was_sent(client, demo):
    """The parent office's reviewer gets 404 for Q1 evidence until Q1 was sent, then the file."""
    evidence = _attach(demo, quarter=1)
    _login(client, "cabinet.reviewer")
    url = f"/evidence/{evidence.pk}/download/"
    assert client.get(url).status_code == 404
    _move(demo, 1, "submit", "approve")
    assert client.get(url).status_code == 404  # approved is not yet sent
    _move(demo, 1, "send")
    response = client.get(url)
    assert response.status_code == 200
    _body(response)
    assert "সভার কার্যবিবরণী" in _page(client)


def test_reviewer_sees_undated_evidence_only_once_q4_was_sent(client, demo):
    """Undated evidence belongs to the annual report: hidden from the reviewer until Q4 was sent."""
    evidence = _attach(demo, quarter=None, title="বার্ষিক প্রমাণক")
    url = f"/evidence/{evidence.pk}/download/"
    _login(client, "cabinet.reviewer")
    _send(demo, 1)
    assert client.get(url).status_code == 404
    assert "বার্ষিক প্রমাণক" not in _page(client)
    _send(demo, 2)
    _send(demo, 3)
    assert client.get(url).status_code == 404
    _send(demo, 4)
    response = client.get(url)
    assert response.status_code == 200
    _body(response)
    assert "বার্ষিক প্রমাণক" in _page(client)


# --- removal -----------------------------------------------------------------------------------------


def test_officer_removes_evidence_while_the_quarter_is_open(client, demo, django_capture_on_commit_callbacks):
    """Removal deletes the row and, once committed, the stored file; the history keeps title, hash, reason."""
    evidence = _attach(demo)
    path = Path(evidence.file.path)
    _login(client, "mofa.officer")
    assert f'action="/evidence/{evidence.pk}/remove/"' in _page(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/evidence/{evidence.pk}/remove/", {"reason": "ভুল ফাইল"})
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert not path.exists()
    entry = HistoryEntry.objects.get(kind=HistoryKind.EVIDENCE_REMOVED)
    assert entry.before == f"সভার কার্যবিবরণী ({evidence.sha256[:12]})"
    assert (entry.reason, entry.quarter, entry.user.username) == ("ভুল ফাইল", 1, "mofa.officer")


@pytest.mark.parametrize("actions", [("submit",), ("submit", "approve")], ids=["submitted", "approved"])
def test_removal_in_a_locked_quarter_is_refused_and_the_file_remains(
    client, demo, actions, django_capture_on_commit_callbacks
):
    """In a submitted or approved quarter, a direct POST removes nothing and says why; no button is shown."""
    evidence = _attach(demo, quarter=1)
    _move(demo, 1, *actions)
    _login(client, "mofa.officer")
    assert f'action="/evidence/{evidence.pk}/remove/"' not in _page(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/evidence/{evidence.pk}/remove/", follow=True)
    assert "এখন বদলানো যাবে না" in response.content.decode()
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert Path(evidence.file.path).read_bytes()[:5] == b"%PDF-"
    assert not HistoryEntry.objects.filter(kind=HistoryKind.EVIDENCE_REMOVED).exists()


def test_reviewer_cannot_remove_sent_evidence(client, demo):
    """The reviewer may download sent evidence but a removal POST answers 404 and changes nothing."""
    evidence = _attach(demo, quarter=1)
    _send(demo, 1)
    _login(client, "cabinet.reviewer")
    assert client.post(f"/evidence/{evidence.pk}/remove/").status_code == 404
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_removal_with_htmx_returns_the_panel_without_the_file(
    client, demo, django_capture_on_commit_callbacks
):
    """With htmx, a removal answers with the updated panel, which no longer lists the file."""
    evidence = _attach(demo, title="মুছে ফেলার প্রমাণক")
    _login(client, "mofa.officer")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/evidence/{evidence.pk}/remove/", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and 'id="evidence"' in body
    assert f'id="evidence-{evidence.pk}"' not in body
    assert "সরানো হয়েছে" in body


# --- history and cost --------------------------------------------------------------------------------


def test_upload_is_recorded_in_the_history_shown_on_the_page(client, demo):
    """An upload adds an 'evidence added' history entry (title and hash) that the indicator page shows."""
    _login(client, "mofa.officer")
    _post_upload(client, "a.pdf", _pdf(), title="নতুন নির্দেশনা")
    evidence = Evidence.objects.get()
    entry = HistoryEntry.objects.get(kind=HistoryKind.EVIDENCE_ADDED)
    assert entry.after == f"নতুন নির্দেশনা ({evidence.sha256[:12]})"
    assert (entry.user.username, entry.quarter) == ("mofa.officer", 1)
    assert "প্রমাণক যুক্ত" in _page(client)


def test_indicator_page_queries_do_not_grow_with_evidence(client, demo):
    """The indicator page costs the same number of queries with 1 and with 10 evidence files."""
    _attach(demo)
    _login(client, "mofa.officer")
    _page(client)  # warm up: periods are created on first view

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            _page(client)
        return len(queries)

    with_one = count()
    for n in range(9):
        _attach(demo, title=f"প্রমাণক {n}", quarter=(n % 4) + 1)
    with_ten = count()
    assert Evidence.objects.count() == 10
    assert with_ten == with_one


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "০ KB"),
        (1, "১ KB"),
        (1024, "১ KB"),
        (1025, "২ KB"),
        (1536 * 1024, "১.৫ MB"),
        (20 * 1024 * 1024, "২০ MB"),
    ],
)
def test_file_sizes_are_written_in_bangla_digits(size, text):
    """Sizes show as KB (rounded up) below 1 MB and as MB with one decimal above, in Bangla digits."""
    assert file_size_bn(size) == text


def test_working_quarter_is_the_open_one_whose_deadline_comes_next():
    """The upload form offers first the quarter being worked on: the open quarter whose deadline comes
    next; with every open deadline passed (a past year, a late quarter), the first open one."""
    import datetime

    from evidence.selectors import working_quarter
    from indicators.models import ReportingPeriod

    def periods(*quarters):
        deadlines = {1: (2023, 10, 15), 2: (2024, 1, 15), 3: (2024, 4, 15), 4: (2024, 7, 15)}
        return [ReportingPeriod(quarter=q, deadline=datetime.date(*deadlines[q])) for q in quarters]

    assert working_quarter(periods(1, 2, 3, 4), datetime.date(2023, 8, 1)) == 1
    assert working_quarter(periods(1, 2, 3, 4), datetime.date(2023, 11, 1)) == 2
    assert working_quarter(periods(3, 4), datetime.date(2023, 11, 1)) == 3
    assert working_quarter(periods(1, 2, 3, 4), datetime.date(2026, 1, 1)) == 1
    assert working_quarter([], datetime.date(2023, 11, 1)) is None


def test_upload_form_selects_the_quarter_being_worked_on(client, demo):
    """The demo year is over: Q1 submitted, the first open quarter, Q2, is selected; several files may be
    chosen at once."""
    _move(demo, 1, "submit")
    _login(client, "mofa.officer")
    body = _page(client)
    assert '<option value="2" selected>' in body and 'name="file" multiple' in body
