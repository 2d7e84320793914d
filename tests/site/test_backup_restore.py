"""Backups (issue 5): `manage.py backup` writes the database and every stored file into one archive, and
`manage.py restore` brings it back into a fresh, migrated database with identical scores, identical approved
PDFs (same bytes, same SHA-256, same downloads), identical history; it refuses a database that holds data, an
archive of another migration state and a damaged archive, with nothing written.

The backup runs in-process (it reads through the test's own connection, which sees the test's uncommitted
data); the restore runs in subprocesses against a new database — a new SQLite file, or on the PostgreSQL run a
new PostgreSQL database — and a new files folder, exactly as an operator would run it.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from apa_tracker.backup import backup_models, referenced_files
from evidence.models import Evidence
from evidence.services import evidence_attach
from indicators.models import HistoryEntry
from reports.models import ApprovedReport
from tests.files import pdf_bytes
from tests.reports.test_report_downloads import move
from tests.storage import conftest as s3_fixtures

# moto's S3 server and a fresh bucket as the default storage (tests/storage/conftest.py)
s3_server = s3_fixtures.s3_server
s3_bucket = s3_fixtures.s3_bucket

MANAGE = Path(django_settings.BASE_DIR) / "manage.py"
REPORTS = ["quarterly-2", "half-yearly", "quarterly-4", "annual", "cover-letter"]

# Run inside the restored site: download every approved report as the CIO, list the history, and add one entry
# (on PostgreSQL this fails if the restore left the id sequence behind the restored rows).
RESTORED_SITE_CHECK = f"""
import hashlib, json
from django.contrib.auth import get_user_model
from django.test import Client
from indicators.models import ActionPlan, HistoryEntry
client = Client()
client.force_login(get_user_model().objects.get(username="mofa.cio"))
downloads = {{}}
for name in {REPORTS!r}:
    response = client.get(f"/plans/mofa/2022-23/reports/{{name}}.pdf", HTTP_HOST="localhost")
    assert response.status_code == 200, (name, response.status_code)
    downloads[name] = hashlib.sha256(b"".join(response.streaming_content)).hexdigest()
history = [
    [e.pk, e.kind, e.indicator_code, e.quarter, e.before, e.after, e.reason, e.user_id, e.at.isoformat()]
    for e in HistoryEntry.objects.order_by("pk")
]
last = history[-1][0]
added = HistoryEntry.objects.create(plan=ActionPlan.objects.get(office__code="mofa"), kind="remark", after="x")
print(json.dumps({{"downloads": downloads, "history": history, "next_id_ok": added.pk > last}}))
"""


def history_rows() -> list[list]:
    return [
        [e.pk, e.kind, e.indicator_code, e.quarter, e.before, e.after, e.reason, e.user_id, e.at.isoformat()]
        for e in HistoryEntry.objects.order_by("pk")
    ]


def command_output(name: str, *args: str) -> str:
    out = io.StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def fresh_database(tmp_path) -> Iterator[str]:
    """A DATABASE_URL for a database nobody has used: a new SQLite file, or a new PostgreSQL database on the
    server the tests run on (dropped afterwards)."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg2

    params = connection.settings_dict
    server = {
        "host": params["HOST"] or None,
        "port": params["PORT"] or None,
        "user": params["USER"] or None,
        "password": params["PASSWORD"] or None,
    }
    name = f"apa_restore_{secrets.token_hex(4)}"
    admin = psycopg2.connect(dbname="postgres", **server)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        auth = server["user"] + (f":{server['password']}" if server["password"] else "") + "@"
        yield f"postgres://{auth}{server['host'] or 'localhost'}:{server['port'] or 5432}/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(MANAGE), *args],
        env=env,
        cwd=MANAGE.parent,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture
def approved_year(demo, settings):
    """MoFA 2022-23 with evidence in Q2, Q4 and undated, and Q2 and Q4 approved: five PDFs kept at approval."""
    settings.REPORT_JOBS_MODE = "inline"
    indicators = list(demo.indicators.order_by("position")[:2])
    evidence_attach(
        indicator=indicators[0], title="সভার কার্যবিবরণী", data=pdf_bytes(), original_name="a.pdf", quarter=2
    )
    evidence_attach(
        indicator=indicators[1], title="প্রশিক্ষণ", data=pdf_bytes(2), original_name="b.pdf", quarter=4
    )
    evidence_attach(indicator=indicators[1], title="সারা বছরের তালিকা", data=pdf_bytes(), original_name="c.pdf")
    move(demo, 2, "submit", "approve")
    move(demo, 4, "submit", "approve")
    assert ApprovedReport.objects.filter(approval__period__plan=demo).count() == len(REPORTS)
    return demo


def test_a_restored_backup_gives_identical_scores_pdfs_files_and_history(
    approved_year, client, tmp_path, fresh_database
):
    """Backup → migrate and restore into a new database and files folder → the score JSON, every approved
    PDF's SHA-256 and download, every stored file's bytes and the whole history (to the microsecond) are the
    same; verify_reports passes in the restored site; new rows get new ids."""
    score = command_output("score", "--office", "mofa", "--year", "2022-23", "--json")
    client.force_login(get_user_model().objects.get(username="mofa.cio"))
    downloads = {
        name: hashlib.sha256(
            b"".join(client.get(f"/plans/mofa/2022-23/reports/{name}.pdf").streaming_content)
        ).hexdigest()
        for name in REPORTS
    }
    assert sorted(downloads.values()) == sorted(ApprovedReport.objects.values_list("sha256", flat=True))
    files = {stored.name: default_storage.open(stored.name).read() for stored in referenced_files()}
    assert len(files) == 3 + 2 * len(REPORTS)  # evidence, approved copies, the approval jobs' files
    history = history_rows()

    archive = tmp_path / "apa.tar.gz"
    out = command_output("backup", "--out", str(archive))
    assert "backup written" in out and archive.is_file()

    restored_files = tmp_path / "restored-files"
    env = {
        **os.environ,
        "DATABASE_URL": fresh_database,
        "APA_PRIVATE_FILES_ROOT": str(restored_files),
        "APA_STORAGE": "local",
    }
    assert manage(env, "migrate", "--noinput").returncode == 0

    # First an archive whose evidence file was swapped (manifest updated to match, so only the evidence's
    # recorded SHA-256 tells): the restore gets as far as writing the files, then undoes everything.
    swapped = rewritten(archive, tmp_path / "swapped.tar.gz", swap_one_evidence_file())
    refused = manage(env, "restore", str(swapped))
    assert refused.returncode == 1
    assert "does not match its recorded SHA-256" in refused.stderr and "পুনরুদ্ধার করা হয়নি" in refused.stderr
    assert [path for path in restored_files.rglob("*") if path.is_file()] == []

    # The real archive then restores into the same database: the refused attempt left no row behind.
    result = manage(env, "restore", str(archive))
    assert result.returncode == 0, result.stderr
    assert "পুনরুদ্ধার সম্পন্ন / restored" in result.stdout and f"{len(files)} files written" in result.stdout

    restored_score = manage(env, "score", "--office", "mofa", "--year", "2022-23", "--json")
    assert json.loads(restored_score.stdout) == json.loads(score)
    verified = manage(env, "verify_reports", "--json")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert json.loads(verified.stdout) == {
        "ok": True,
        "reports_checked": len(REPORTS),
        "evidence_checked": 3,
        "signatures_valid": len(REPORTS),  # signed at approval, valid after the restore (issue 15.2)
        "unsigned_reports": 0,
        "documents_checked": 0,  # no minutes or Smart plan approved here (the demo's were approved on paper)
        "document_signatures_valid": 0,
        "unsigned_documents": 0,
        "problems": [],
        "approvals_checked": 2,
        "approval_problems": [],
    }
    site = manage(env, "shell", "-v", "0", "-c", RESTORED_SITE_CHECK)
    assert site.returncode == 0, site.stderr
    restored = json.loads(site.stdout)
    assert restored["downloads"] == downloads
    assert restored["history"] == history
    assert restored["next_id_ok"] is True
    for name, data in files.items():
        assert (restored_files / name).read_bytes() == data, name


def test_restore_refuses_a_database_with_data_and_writes_nothing(demo, tmp_path):
    """Restoring over a database that holds data is refused with a Bangla and English message: exit status 1,
    no row added or changed, no file written."""
    evidence_attach(
        indicator=demo.indicators.first(), title="প্রমাণক", data=pdf_bytes(), original_name="a.pdf", quarter=1
    )
    archive = tmp_path / "apa.tar.gz"
    command_output("backup", "--out", str(archive))
    before = {model._meta.label_lower: model._base_manager.count() for model in backup_models()}
    stored_before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), stdout=io.StringIO(), stderr=io.StringIO())
    assert "ডেটাবেস খালি নয়" in str(refused.value) and "the database is not empty" in str(refused.value)
    assert {model._meta.label_lower: model._base_manager.count() for model in backup_models()} == before
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file()) == stored_before


def rewritten(archive: Path, target: Path, change) -> Path:
    """A copy of an archive with ``change(name, bytes) -> bytes`` applied to every member."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as copy:
        for member in source:
            data = change(member.name, source.extractfile(member).read())
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    return target


def swap_one_evidence_file():
    """A change for ``rewritten``: other bytes for the first evidence file, and a manifest that agrees."""
    swapped: dict = {}

    def change(name: str, data: bytes) -> bytes:
        if name.startswith("files/evidence/") and not swapped:
            data = pdf_bytes(4)
            swapped.update(
                name=name.removeprefix("files/"), sha256=hashlib.sha256(data).hexdigest(), size=len(data)
            )
        elif name == "manifest.json":
            manifest = json.loads(data)
            [item] = [item for item in manifest["files"] if item["name"] == swapped["name"]]
            item["sha256"], item["size"] = swapped["sha256"], swapped["size"]
            data = json.dumps(manifest).encode()
        return data

    return change


@pytest.fixture
def demo_archive(demo, tmp_path) -> Path:
    evidence_attach(
        indicator=demo.indicators.first(), title="প্রমাণক", data=pdf_bytes(), original_name="a.pdf", quarter=1
    )
    archive = tmp_path / "apa.tar.gz"
    command_output("backup", "--out", str(archive))
    return archive


def test_restore_refuses_a_backup_of_another_migration_state(demo_archive, tmp_path):
    """A backup made at other migrations is refused before anything else, naming the difference."""

    def older(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"]["indicators"].append("0099_from_the_future")
        return json.dumps(manifest).encode()

    archive = rewritten(demo_archive, tmp_path / "other.tar.gz", older)
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), stdout=io.StringIO())
    assert "মাইগ্রেশন" in str(refused.value) and "indicators.0099_from_the_future" in str(refused.value)


def test_restore_refuses_a_damaged_archive(demo_archive, tmp_path):
    """One changed byte in a stored file inside the archive is found against the manifest's SHA-256."""

    def damaged(name: str, data: bytes) -> bytes:
        if not name.startswith("files/evidence/"):
            return data
        return data[:10] + bytes([data[10] ^ 1]) + data[11:]

    archive = rewritten(demo_archive, tmp_path / "damaged.tar.gz", damaged)
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), stdout=io.StringIO())
    assert "damaged or changed" in str(refused.value) and "files/evidence/" in str(refused.value)


def test_the_archive_holds_a_manifest_with_counts_migrations_and_hashes(demo_archive):
    """The manifest says what the archive holds: row counts, the migration state, and each file's SHA-256,
    which matches the file's bytes in the archive and the evidence's recorded SHA-256."""
    evidence = Evidence.objects.get()
    with tarfile.open(demo_archive, "r:gz") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        stored = tar.extractfile(f"files/{evidence.file.name}").read()
        data = tar.extractfile("data.jsonl").read()
    assert manifest["counts"]["indicators.historyentry"] == HistoryEntry.objects.count()
    assert (
        "contenttypes.contenttype" not in manifest["counts"] and "sessions.session" not in manifest["counts"]
    )
    assert "0006_history_append_only" in manifest["migrations"]["indicators"]
    assert manifest["files"] == [
        {"name": evidence.file.name, "sha256": evidence.sha256, "size": evidence.size}
    ]
    assert hashlib.sha256(stored).hexdigest() == evidence.sha256
    assert hashlib.sha256(data).hexdigest() == manifest["data"]["sha256"]
    assert manifest["problems"] == []


def test_backup_notes_a_missing_file_and_never_overwrites(demo_archive, tmp_path):
    """A stored file that is gone is a warning and a manifest entry, not a silent gap; an existing archive
    is never overwritten."""
    evidence = Evidence.objects.get()
    default_storage.delete(evidence.file.name)
    err = io.StringIO()
    call_command("backup", "--out", str(tmp_path / "second.tar.gz"), stdout=io.StringIO(), stderr=err)
    assert evidence.file.name in err.getvalue() and "file missing" in err.getvalue()
    with tarfile.open(tmp_path / "second.tar.gz", "r:gz") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["files"] == []
    assert manifest["problems"] == [
        {"file": evidence.file.name, "problem": "missing", "expected_sha256": evidence.sha256}
    ]

    size = demo_archive.stat().st_size
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", "--out", str(demo_archive), stdout=io.StringIO())
    assert demo_archive.stat().st_size == size


def test_backup_and_restore_work_with_s3_storage(demo, s3_bucket, settings, tmp_path, fresh_database):
    """With the files in S3, the backup reads the objects through the storage, and a restore into a new
    database and a new bucket writes them back under the same names with the same bytes."""
    settings.REPORT_JOBS_MODE = "inline"
    indicator = demo.indicators.order_by("position").first()
    evidence_attach(indicator=indicator, title="বাকেটে", data=pdf_bytes(2), original_name="a.pdf", quarter=1)
    move(demo, 1, "submit", "approve")
    names = [stored.name for stored in referenced_files()]
    objects = {name: s3_bucket.read(s3_bucket.key_of(name)) for name in names}
    assert len(objects) == 3  # the evidence, the approved quarterly report, its job's file

    archive = tmp_path / "apa.tar.gz"
    command_output("backup", "--out", str(archive))
    with tarfile.open(archive, "r:gz") as tar:
        assert {name: tar.extractfile(f"files/{name}").read() for name in names} == objects

    new_bucket = f"{s3_bucket.name}-restored"
    s3_bucket.client.create_bucket(Bucket=new_bucket)
    env = {**os.environ, "DATABASE_URL": fresh_database, "APA_STORAGE": "s3", "APA_S3_BUCKET": new_bucket}
    for args in [("migrate", "--noinput"), ("restore", str(archive)), ("verify_reports", "--json")]:
        result = manage(env, *args)
        assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["ok"] is True
    listing = s3_bucket.client.list_objects_v2(Bucket=new_bucket)["Contents"]
    assert sorted(item["Key"] for item in listing) == sorted(s3_bucket.key_of(name) for name in names)
    for name, data in objects.items():
        body = s3_bucket.client.get_object(Bucket=new_bucket, Key=s3_bucket.key_of(name))["Body"].read()
        assert body == data, name
