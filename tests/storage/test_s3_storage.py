"""Evidence and approved reports in S3-compatible object storage (DESIGN.md §5, §10; docs/storage.md).

Every test runs against moto's S3 server on loopback (tests/storage/conftest.py) through the application's
own paths: the upload and download views, `attach_evidence`, the approval workflow and the report annex.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from pypdf import PdfReader
from storages.backends.s3 import S3Storage

from apa_tracker.settings import private_files_storage
from evidence.models import Evidence
from evidence.services import evidence_attach
from indicators.periods import periods_ensure
from reports.models import ApprovedReport, ReportJob
from reports.rendering import render_report
from tests.factories import accept_earlier_quarters
from tests.files import image_bytes, text_pdf
from workflow.transitions import period_transition

OFFICE, YEAR, CODE = "mofa", "2022-23", "1.2.2"
UPLOAD_URL = f"/plans/{OFFICE}/{YEAR}/indicators/{CODE}/evidence/"
PAGE_URL = f"/plans/{OFFICE}/{YEAR}/indicators/{CODE}/"
QUARTERLY_1 = f"/plans/{OFFICE}/{YEAR}/reports/quarterly-1.pdf"
ORIGINAL_STEM = "gopon-chithi"  # the uploader's file name: must never show up in the object key
BASE_DIR = Path(django_settings.BASE_DIR)


# --- helpers ---------------------------------------------------------------------------------------


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _local_files() -> list[Path]:
    """Files in the local private folder (the `_private_files` fixture's temporary one)."""
    root = Path(django_settings.PRIVATE_FILES_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def _upload(client, name: str, data: bytes, *, quarter: str = "1"):
    fields = {"title": "সেবা চালুর আদেশ", "quarter": quarter, "file": SimpleUploadedFile(name, data)}
    return client.post(UPLOAD_URL, fields)


def _attach(plan, data: bytes, *, title: str, quarter: int = 1, name: str = "minutes.pdf") -> Evidence:
    return evidence_attach(
        indicator=plan.indicators.get(code=CODE),
        title=title,
        data=data,
        original_name=name,
        quarter=quarter,
        user=_user("mofa.officer"),
    )


def _move(plan, quarter: int, *actions: str) -> None:
    """Move a period on as the real users do: the officer submits, the CIO approves."""
    actor = {"submit": "mofa.officer", "approve": "mofa.cio"}
    accept_earlier_quarters(plan, quarter, only_open=True)
    for action in actions:
        period = periods_ensure(plan)[quarter - 1]
        period_transition(
            period=period, action=action, user=_user(actor[action]), expected_version=period.version
        )


def _anonymous_get(url: str) -> int:
    """The status of an unsigned GET, as anybody on the network would send it (straight, no proxy)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as refused:
        return refused.code


# --- the storage in use ------------------------------------------------------------------------------


def test_fixture_makes_the_bucket_the_default_storage_of_every_file_field(s3_bucket):
    """The settings change reaches default_storage and every FileField, which use it lazily: no model
    binds a storage of its own at import time."""
    for model in (Evidence, ApprovedReport, ReportJob):
        assert isinstance(model._meta.get_field("file").storage, S3Storage), model
    assert default_storage.bucket_name == s3_bucket.name
    assert default_storage.location == s3_bucket.prefix


# --- evidence through the browser ----------------------------------------------------------------


def test_browser_upload_is_kept_in_the_bucket_under_a_random_name_and_not_on_disk(client, demo, s3_bucket):
    """An upload becomes one object under the prefix, named at random, with exactly the uploaded bytes;
    nothing is written to the local private folder."""
    data = text_pdf("Signed order")
    client.force_login(_user("mofa.officer"))
    response = _upload(client, f"{ORIGINAL_STEM}.pdf", data)
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    key = s3_bucket.key_of(evidence.file.name)
    assert s3_bucket.keys() == [key]
    assert re.fullmatch(r"apa-tracker/evidence/[0-9a-f]{4}/[A-Za-z0-9_-]{32}\.pdf", key)
    assert ORIGINAL_STEM not in key
    stored = s3_bucket.read(key)
    assert stored == data and hashlib.sha256(stored).hexdigest() == evidence.sha256
    assert _local_files() == []


def test_download_returns_the_bucket_bytes_to_the_own_office_only(client, demo, s3_bucket):
    """The permission-checked view streams the object's bytes as an attachment with nosniff; anonymous
    visitors are sent to sign in and another office's officer gets 404."""
    data = image_bytes("PNG")
    client.force_login(_user("mofa.officer"))
    _upload(client, f"{ORIGINAL_STEM}.png", data)
    evidence = Evidence.objects.get()
    url = f"/evidence/{evidence.pk}/download/"

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == f'attachment; filename="{ORIGINAL_STEM}.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Length"] == str(len(data))
    assert _body(response) == data == s3_bucket.read(s3_bucket.key_of(evidence.file.name))

    client.force_login(_user("msw.officer"))
    assert client.get(url).status_code == 404
    client.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")


def test_download_of_an_object_missing_from_the_bucket_is_404(client, demo, s3_bucket):
    """If the object is gone from the bucket, the download says the file was not found (404), not 500."""
    evidence = _attach(demo, text_pdf("Lost"), title="হারানো ফাইল")
    s3_bucket.client.delete_object(Bucket=s3_bucket.name, Key=s3_bucket.key_of(evidence.file.name))
    client.force_login(_user("mofa.officer"))
    assert client.get(f"/evidence/{evidence.pk}/download/").status_code == 404


def test_removing_evidence_deletes_its_object_once_committed(
    client, demo, s3_bucket, django_capture_on_commit_callbacks
):
    """Removal through the view deletes the object from the bucket after the commit."""
    keep = _attach(demo, text_pdf("Keep"), title="থাকবে")
    gone = _attach(demo, text_pdf("Gone"), title="সরবে")
    assert len(s3_bucket.keys()) == 2
    client.force_login(_user("mofa.officer"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/evidence/{gone.pk}/remove/", {"reason": "ভুল ফাইল"})
    assert response.status_code == 302
    assert s3_bucket.keys() == [s3_bucket.key_of(keep.file.name)]


def test_attach_evidence_command_stores_the_file_in_the_bucket(demo, s3_bucket, tmp_path):
    """`attach_evidence` reads a local file and keeps it in the bucket, checked and hashed as ever."""
    data = text_pdf("One", "Two")
    source = tmp_path / "incoming" / f"{ORIGINAL_STEM}.pdf"
    source.parent.mkdir()
    source.write_bytes(data)
    out = io.StringIO()
    call_command(
        "attach_evidence",
        str(source),
        office=OFFICE,
        year=YEAR,
        indicator="[১.২.২]",
        title="প্রমাণক",
        quarter="1",
        stdout=out,
    )
    evidence = Evidence.objects.get()
    assert evidence.page_count == 2 and evidence.sha256 in out.getvalue()
    assert s3_bucket.keys() == [s3_bucket.key_of(evidence.file.name)]
    assert s3_bucket.read(s3_bucket.key_of(evidence.file.name)) == data
    assert _local_files() == []


# --- reports --------------------------------------------------------------------------------------


def test_approval_keeps_the_report_in_the_bucket_and_downloads_return_its_bytes(
    client, demo, s3_bucket, settings
):
    """At approval the quarterly report is rendered once into the bucket: the object's SHA-256 is the one
    recorded, and the download view returns exactly the object's bytes."""
    settings.REPORT_JOBS_MODE = "inline"
    _move(demo, 1, "submit", "approve")
    approved = ApprovedReport.objects.get(
        approval__period__plan=demo, approval__period__quarter=1, kind="quarterly"
    )
    key = s3_bucket.key_of(approved.file.name)
    assert key.startswith("apa-tracker/reports/approved/")
    stored = s3_bucket.read(key)
    assert stored.startswith(b"%PDF-")
    assert hashlib.sha256(stored).hexdigest() == approved.sha256 and len(stored) == approved.size
    job = ReportJob.objects.get(plan=demo, quarter=1, kind="quarterly")
    assert set(s3_bucket.keys()) == {key, s3_bucket.key_of(job.file.name)}
    assert _local_files() == []

    client.force_login(_user("mofa.cio"))
    response = client.get(QUARTERLY_1)
    assert response.status_code == 200
    assert response["X-Report-SHA256"] == approved.sha256
    assert _body(response) == stored


def test_report_annex_reads_the_evidence_from_the_bucket(demo, s3_bucket):
    """A report with evidence in the bucket carries the evidence in its annex, in index order: both pages
    of the PDF, then the picture on a page of its own."""
    _attach(demo, text_pdf("BUCKET-EVIDENCE-ONE", "BUCKET-EVIDENCE-TWO"), title="দুই পৃষ্ঠার প্রমাণক")
    _attach(demo, image_bytes("PNG"), title="ছবি", name="photo.png")
    assert _local_files() == []
    rendered = render_report(demo, "quarterly", 1, draft=True)
    pages = PdfReader(io.BytesIO(rendered.pdf)).pages
    assert len(pages) == rendered.pages
    assert "BUCKET-EVIDENCE-ONE" in pages[-3].extract_text()
    assert "BUCKET-EVIDENCE-TWO" in pages[-2].extract_text()
    images = [
        xobject
        for xobject in pages[-1]["/Resources"]["/XObject"].values()
        if xobject.get_object()["/Subtype"] == "/Image"
    ]
    assert len(images) == 1 and images[0].get_object()["/Width"] == 48


# --- the bucket is private ------------------------------------------------------------------------


def test_objects_are_private_and_no_page_links_the_bucket(client, demo, s3_bucket, settings):
    """Evidence and approved reports are written without an ACL: an unsigned GET of their object address
    is refused (403) by the server, while the application reads them with its credentials. The indicator
    page links the download view, never the bucket."""
    settings.REPORT_JOBS_MODE = "inline"
    evidence = _attach(demo, text_pdf("Private"), title="গোপন প্রমাণক")
    _move(demo, 1, "submit", "approve")
    approved = ApprovedReport.objects.get(
        approval__period__plan=demo, approval__period__quarter=1, kind="quarterly"
    )
    for name in (evidence.file.name, approved.file.name):
        key = s3_bucket.key_of(name)
        grantees = s3_bucket.client.get_object_acl(Bucket=s3_bucket.name, Key=key)["Grants"]
        assert all(grant["Grantee"]["Type"] == "CanonicalUser" for grant in grantees)
        assert _anonymous_get(f"{s3_bucket.endpoint_url}/{s3_bucket.name}/{key}") == 403
        assert s3_bucket.read(key).startswith(b"%PDF-")  # the objects are there: only the signature lacks
    assert default_storage.default_acl is None

    client.force_login(_user("mofa.officer"))
    page = client.get(PAGE_URL).content.decode()
    assert f"/evidence/{evidence.pk}/download/" in page
    assert s3_bucket.endpoint_url not in page and s3_bucket.name not in page


def test_an_object_made_public_would_be_readable_anonymously(s3_bucket):
    """The check above means something: the same server answers an unsigned GET once an object is
    public-read — so a storage that set such an ACL would fail it."""
    key = s3_bucket.key_of("probe.txt")
    s3_bucket.client.put_object(Bucket=s3_bucket.name, Key=key, Body=b"probe", ACL="public-read")
    assert _anonymous_get(f"{s3_bucket.endpoint_url}/{s3_bucket.name}/{key}") == 200


# --- settings from the environment ----------------------------------------------------------------


def _manage_check(**environment: str) -> subprocess.CompletedProcess:
    env = {name: value for name, value in os.environ.items() if not name.startswith(("APA_", "AWS_"))}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"APA_STORAGE": "s3"}, "APA_S3_BUCKET must be set when APA_STORAGE=s3."),
        ({"APA_STORAGE": "s3", "APA_S3_BUCKET": " "}, "APA_S3_BUCKET must be set when APA_STORAGE=s3."),
        ({"APA_STORAGE": "ftp"}, "APA_STORAGE must be 'local' or 's3', not 'ftp'."),
        (
            {"APA_STORAGE": "s3", "APA_S3_BUCKET": "apa", "APA_S3_ADDRESSING_STYLE": "dns"},
            "APA_S3_ADDRESSING_STYLE must be 'auto', 'path' or 'virtual', not 'dns'.",
        ),
    ],
    ids=["s3-without-bucket", "s3-blank-bucket", "unknown-backend", "unknown-addressing-style"],
)
def test_settings_refuse_to_load_an_incomplete_storage_configuration(environment, message):
    """A storage configuration that cannot work stops `manage.py` at start, saying which variable."""
    result = _manage_check(**environment)
    assert result.returncode != 0
    assert message in result.stderr


def test_s3_settings_load_without_reaching_the_server():
    """With a bucket named, the settings load and the checks pass; nothing connects at start."""
    result = _manage_check(
        APA_STORAGE="s3", APA_S3_BUCKET="apa-private", APA_S3_ENDPOINT_URL="http://127.0.0.1:9"
    )
    assert result.returncode == 0, result.stderr


def test_storage_settings_from_the_environment():
    """local is the default; s3 takes bucket, endpoint, region, prefix (without slashes), addressing style,
    and never an ACL or overwriting."""
    local = private_files_storage({}, local_root=Path("/srv/private"))
    assert local == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": Path("/srv/private"), "base_url": None},
    }
    s3 = private_files_storage(
        {
            "APA_STORAGE": " S3 ",
            "APA_S3_BUCKET": "apa-private",
            "APA_S3_ENDPOINT_URL": "https://minio.example.gov.bd",
            "APA_S3_REGION": "ap-south-1",
            "APA_S3_PREFIX": "/tracker/",
            "APA_S3_ADDRESSING_STYLE": "path",
        },
        local_root=Path("/unused"),
    )
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    options = s3["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"], options["region_name"]) == (
        "apa-private",
        "https://minio.example.gov.bd",
        "ap-south-1",
    )
    assert (options["location"], options["addressing_style"]) == ("tracker", "path")
    assert options["default_acl"] is None and options["file_overwrite"] is False
