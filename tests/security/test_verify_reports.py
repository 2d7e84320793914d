"""`verify_reports` (issue 5, tamper evidence): every approved report and evidence file is read back through
the storage and its SHA-256 compared with the one recorded when it was stored; any difference or missing file
is named (office, year, report kind or evidence title, expected and actual hash) and the exit status is 1."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from evidence.models import Evidence
from evidence.services import evidence_attach
from indicators.models import Office
from reports.integrity import stored_files_verify
from reports.models import ApprovedReport, ReportKind
from tests.factories import IndicatorFactory
from tests.files import pdf_bytes
from tests.reports.test_report_downloads import move
from tests.storage import conftest as s3_fixtures

# moto's S3 server and a fresh bucket as the default storage (tests/storage/conftest.py)
s3_server = s3_fixtures.s3_server
s3_bucket = s3_fixtures.s3_bucket


@pytest.fixture
def approved_q1(demo, settings):
    """MoFA 2022-23 with two evidence files in Q1 and one undated, Q1 submitted and approved: the quarterly
    report is rendered at once and kept with its SHA-256."""
    settings.REPORT_JOBS_MODE = "inline"
    indicator = demo.indicators.order_by("position").first()
    evidence_attach(
        indicator=indicator, title="সভার কার্যবিবরণী", data=pdf_bytes(), original_name="a.pdf", quarter=1
    )
    evidence_attach(
        indicator=indicator, title="প্রশিক্ষণের ছবি", data=pdf_bytes(2), original_name="b.pdf", quarter=1
    )
    evidence_attach(indicator=indicator, title="সারা বছরের তালিকা", data=pdf_bytes(), original_name="c.pdf")
    move(demo, 1, "submit", "approve")
    assert ApprovedReport.objects.filter(approval__period__plan=demo, kind=ReportKind.QUARTERLY).count() == 1
    return demo


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_reports", *args, stdout=out, stderr=err)
    except CommandError as error:
        return 1, out.getvalue(), str(error)
    return 0, out.getvalue(), err.getvalue()


def run_json(*args: str) -> tuple[int, dict]:
    status, out, _err = run(*args, "--json")
    return status, json.loads(out)


def rewrite(name: str, data: bytes) -> None:
    """Replace a stored file's bytes through the storage, keeping its name (as someone with bucket access could)."""
    report = ApprovedReport.objects.first()
    storage = report.file.storage
    storage.delete(name)
    assert storage.save(name, ContentFile(data)) == name


def test_all_files_match_exits_0_and_says_what_was_checked(approved_q1):
    """With nothing touched, every approved report and every evidence file matches: exit status 0, a summary
    in Bangla and English with the numbers checked."""
    status, out, _ = run()
    assert status == 0
    assert "অনুমোদিত প্রতিবেদন 1টি, প্রমাণক 3টি" in out
    assert "checked 1 approved reports, 3 evidence files" in out
    assert "all files match" in out
    status, data = run_json()
    assert (status, data) == (
        0,
        {
            "ok": True,
            "reports_checked": 1,
            "evidence_checked": 3,
            "documents_checked": 0,  # the demo's minutes and Smart plan were approved on paper: no copy here
            "signatures_valid": 1,  # the approved copy is signed (issue 15.2)
            "unsigned_reports": 0,
            "document_signatures_valid": 0,
            "unsigned_documents": 0,
            "problems": [],
            "approvals_checked": 1,
            "approval_problems": [],
        },
    )


def test_one_flipped_byte_in_the_approved_pdf_is_found_and_named(approved_q1):
    """A single changed byte in the stored PDF is a mismatch naming office, year and report kind, with the
    recorded and the actual hash; the exit status is 1."""
    report = ApprovedReport.objects.get(approval__period__plan=approved_q1, kind=ReportKind.QUARTERLY)
    with report.file.storage.open(report.file.name, "rb") as handle:
        data = bytearray(handle.read())
    data[len(data) // 2] ^= 0x01
    rewrite(report.file.name, bytes(data))

    status, out, error = run()
    assert status == 1
    assert "mofa 2022-23 quarterly Q1" in out and "hash mismatch" in out
    assert report.sha256 in out and hashlib.sha256(data).hexdigest() in out
    assert "1টি ফাইল" in error and "1 file(s) do not match" in error
    assert "digital signature not valid" in out

    status, result = run_json()
    assert status == 1 and result["ok"] is False
    # The changed byte breaks the hash and, inside the signed range, the signature too.
    problem, signature = result["problems"]
    assert signature["problem"] == "signature" and signature["id"] == report.pk
    assert problem["type"] == "report" and problem["id"] == report.pk
    assert (problem["office"], problem["year"], problem["kind"], problem["quarter"]) == (
        "mofa",
        "2022-23",
        "quarterly",
        1,
    )
    assert problem["problem"] == "mismatch"
    assert problem["expected_sha256"] == report.sha256
    assert problem["actual_sha256"] == hashlib.sha256(data).hexdigest()


def test_a_deleted_evidence_file_is_reported_missing(approved_q1):
    """An evidence file removed from storage behind the application's back is "missing", named by its title,
    and marked as belonging to a locked (approved) quarter."""
    evidence = Evidence.objects.get(title="প্রশিক্ষণের ছবি")
    evidence.file.storage.delete(evidence.file.name)

    status, out, _ = run()
    assert status == 1
    assert "প্রশিক্ষণের ছবি" in out and "file missing" in out and "locked period" in out

    status, result = run_json()
    [problem] = result["problems"]
    assert status == 1
    assert problem["type"] == "evidence" and problem["title"] == "প্রশিক্ষণের ছবি"
    assert problem["problem"] == "missing" and problem["actual_sha256"] is None
    assert problem["expected_sha256"] == evidence.sha256
    assert problem["locked"] is True and problem["quarter"] == 1


def test_undated_evidence_of_a_plan_with_open_quarters_is_not_locked(approved_q1):
    """Undated evidence stays open while any quarter is open: a problem with it says so (locked false)."""
    evidence = Evidence.objects.get(title="সারা বছরের তালিকা")
    rewrite(evidence.file.name, pdf_bytes(3))
    [problem] = run_json()[1]["problems"]
    assert problem["title"] == "সারা বছরের তালিকা" and problem["problem"] == "mismatch"
    assert problem["locked"] is False and problem["quarter"] is None


def test_a_changed_hash_in_the_database_is_a_mismatch(approved_q1):
    """The check works both ways: a SHA-256 edited in the database no longer matches the untouched file."""
    report = ApprovedReport.objects.get(approval__period__plan=approved_q1)
    ApprovedReport.objects.filter(pk=report.pk).update(sha256="0" * 64)
    status, result = run_json()
    [problem] = result["problems"]
    assert status == 1
    assert problem["expected_sha256"] == "0" * 64 and problem["actual_sha256"] == report.sha256


def test_office_and_year_filters_check_only_those_files(approved_q1):
    """--office and --year limit the check: another office's damaged file does not fail it, and an office
    that has nothing to check passes with zero files; an unknown office code is an error."""
    msw_indicator = IndicatorFactory(activity__area__plan__office=Office.objects.get(code="msw"))
    evidence_attach(
        indicator=msw_indicator, title="msw প্রমাণক", data=pdf_bytes(), original_name="m.pdf", quarter=1
    )
    mofa = Evidence.objects.get(title="সভার কার্যবিবরণী")
    mofa.file.storage.delete(mofa.file.name)

    assert run_json("--office", "msw") == (
        0,
        {
            "ok": True,
            "reports_checked": 0,
            "evidence_checked": 1,
            "documents_checked": 0,
            "signatures_valid": 0,
            "unsigned_reports": 0,
            "document_signatures_valid": 0,
            "unsigned_documents": 0,
            "problems": [],
            "approvals_checked": 0,
            "approval_problems": [],
        },
    )
    status, result = run_json("--office", "mofa")
    assert status == 1 and (result["reports_checked"], result["evidence_checked"]) == (1, 3)
    assert [p["title"] for p in result["problems"]] == ["সভার কার্যবিবরণী"]
    status, result = run_json("--office", "mofa", "--year", "2023-24")
    assert (status, result["reports_checked"], result["evidence_checked"]) == (0, 0, 0)
    status, result = run_json("--year", "২০২২-২৩")
    assert status == 1 and result["evidence_checked"] == 4

    status, _out, error = run("--office", "nowhere")
    assert status == 1 and "'nowhere' কোডের কোনো দপ্তর নেই" in error


def test_files_are_read_through_the_storage_api(approved_q1, settings, tmp_path):
    """The check reads via the configured storage, not from a path on disk: pointed at an empty storage
    folder, every file is missing."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "elsewhere", "base_url": None},
        },
    }
    result = stored_files_verify()
    assert (result.reports_checked, result.evidence_checked, result.documents_checked) == (1, 3, 0)
    assert {p.problem for p in result.problems} == {"missing"} and len(result.problems) == 4


def test_verify_reads_the_files_from_s3(demo, s3_bucket, settings):
    """With the files in an S3 bucket, the check reads the objects through the storage: an object whose bytes
    were replaced in the bucket is a mismatch, a deleted object is missing."""
    settings.REPORT_JOBS_MODE = "inline"
    indicator = demo.indicators.order_by("position").first()
    evidence = evidence_attach(
        indicator=indicator, title="বাকেটে", data=pdf_bytes(), original_name="a.pdf", quarter=1
    )
    move(demo, 1, "submit", "approve")
    assert run_json() == (
        0,
        {
            "ok": True,
            "reports_checked": 1,
            "evidence_checked": 1,
            "documents_checked": 0,
            "signatures_valid": 1,
            "unsigned_reports": 0,
            "document_signatures_valid": 0,
            "unsigned_documents": 0,
            "problems": [],
            "approvals_checked": 1,
            "approval_problems": [],
        },
    )

    report = ApprovedReport.objects.get(approval__period__plan=demo)
    key = s3_bucket.key_of(report.file.name)
    data = bytearray(s3_bucket.read(key))
    data[len(data) // 3] ^= 0x80
    s3_bucket.client.put_object(Bucket=s3_bucket.name, Key=key, Body=bytes(data))
    s3_bucket.client.delete_object(Bucket=s3_bucket.name, Key=s3_bucket.key_of(evidence.file.name))

    status, result = run_json()
    assert status == 1
    assert [(p["type"], p["problem"], p["actual_sha256"]) for p in result["problems"]] == [
        ("report", "mismatch", hashlib.sha256(data).hexdigest()),
        ("report", "signature", None),  # the changed byte is inside the signed range
        ("evidence", "missing", None),
    ]
