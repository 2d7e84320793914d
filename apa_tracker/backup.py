"""One-file backups of the database and the stored files, and their restore into a fresh database
(issue 5; how to run them, and the production way with pg_dump and the bucket, is in docs/backup.md).

The archive is a ``.tar.gz`` holding:
- ``data.jsonl``: every row of every model, as Django fixtures (JSON Lines, loadable by ``loaddata``), primary
  keys kept, content types and permissions referred to by natural keys;
- ``files/<name>``: every stored file a row refers to (evidence, approved reports, report jobs), read through
  the storage API so that S3 works as well as a local folder, under the name the row holds;
- ``manifest.json``: when and by which version it was made, the migration state, the number of rows per
  model, and the size and SHA-256 of the data and of every file.

Not in a backup, on purpose: content types and permissions (``migrate`` creates them again), sign-in sessions
(after a restore everyone signs in again) and django-axes' lockout counters and sign-in log (security state of
the running site, not the offices' data).
"""

from __future__ import annotations

import datetime
import hashlib
import importlib.metadata
import io
import json
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from django.apps import apps
from django.core import serializers
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from base.errors import DomainError
from reports.integrity import CHUNK_BYTES, FileDigest, Problem, file_sha256, stored_files_verify

FORMAT = 1
MANIFEST = "manifest.json"
DATA = "data.jsonl"
FILES = "files/"

EXCLUDED_APPS = {"contenttypes", "sessions", "axes"}
EXCLUDED_MODELS = {"auth.permission"}


class FullPrecisionEncoder(DjangoJSONEncoder):
    """Timestamps to the microsecond: Django's encoder cuts them to milliseconds (ECMA-262), which would move
    every recorded time of the history and the workflow in a restore."""

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


def backup_models() -> list[type[models.Model]]:
    """Every model whose rows a backup holds, in an order ``loaddata`` can follow."""
    chosen = [
        model
        for app_config in apps.get_app_configs()
        if app_config.label not in EXCLUDED_APPS
        for model in app_config.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in EXCLUDED_MODELS
    ]
    return serializers.sort_dependencies([(None, chosen)], allow_cycles=True)


def migration_state() -> dict[str, list[str]]:
    """The migrations applied to the database, per app."""
    state: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        state.setdefault(app_label, []).append(name)
    return state


@dataclass(frozen=True)
class StoredFile:
    name: str
    expected_sha256: str  # what the row recorded; "" when it records none


def referenced_files() -> list[StoredFile]:
    """Every stored file a row refers to, each name once."""
    from evidence.models import Evidence
    from reports.models import ApprovedReport, ReportJob

    found: dict[str, str] = {}
    for queryset in (
        Evidence.objects.values_list("file", "sha256"),
        ApprovedReport.objects.values_list("file", "sha256"),
        ReportJob.objects.exclude(file="").values_list("file", "sha256"),
    ):
        for name, sha256 in queryset.order_by("pk").iterator(chunk_size=2000):
            if name:
                found.setdefault(name, sha256)
    return [StoredFile(name, sha256) for name, sha256 in sorted(found.items())]


def _app_version() -> str:
    try:
        return importlib.metadata.version("apa-tracker")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


class _HashingReader:
    """Passes a stored file's bytes to tarfile and hashes them on the way."""

    def __init__(self, raw: IO[bytes]):
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), mtime, 0o600
    tar.addfile(info, io.BytesIO(data))


# ---------------------------------------------------------------------------------------------------------
# Backup


@dataclass
class BackupSummary:
    path: Path
    counts: dict[str, int]
    files: int
    bytes: int
    problems: list[dict] = field(default_factory=list)


@contextmanager
def _snapshot() -> Iterator[None]:
    """One consistent view of the database for the whole backup: on PostgreSQL a REPEATABLE READ, READ ONLY
    transaction, on SQLite a read transaction; inside a caller's transaction (the tests), that one."""
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def backup_write(*, out: Path) -> BackupSummary:
    """Write the database and every stored file a row refers to into one new ``.tar.gz`` archive.

    Written to a temporary name beside ``out`` and renamed when complete: an interrupted backup never leaves
    a file that looks like a backup. A stored file that is missing or does not match its recorded SHA-256 is
    noted in the manifest (and returned as a problem); the backup still holds everything that could be read.
    """
    out = Path(out)
    if out.exists():
        raise DomainError(f"{out} আগে থেকেই আছে; অন্য নাম দিন।", f"{out} already exists; choose another name.")
    if not out.parent.is_dir():
        raise DomainError(f"{out.parent} ফোল্ডারটি নেই।", f"The folder {out.parent} does not exist.")
    partial = out.with_name(out.name + ".partial")
    created = timezone.now()
    mtime = created.timestamp()
    try:
        # The archive holds password hashes and every office's files: readable by its owner only.
        partial.touch(mode=0o600)
        partial.chmod(0o600)
        with _snapshot(), tarfile.open(partial, "w:gz") as tar, tempfile.TemporaryDirectory() as work:
            counts, data_sha256, data_size = _dump_data(Path(work) / DATA)
            tar.add(Path(work) / DATA, arcname=DATA, filter=lambda info: _normalized(info, mtime))
            files, problems = _add_files(tar, mtime)
            manifest = {
                "format": FORMAT,
                "app": "apa-tracker",
                "version": _app_version(),
                "created_at": created.isoformat(),
                "database_vendor": connection.vendor,
                "migrations": migration_state(),
                "counts": counts,
                "data": {"name": DATA, "sha256": data_sha256, "size": data_size},
                "files": files,
                "problems": problems,
            }
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False).encode(), mtime)
        partial.rename(out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupSummary(
        path=out,
        counts=counts,
        files=len(files),
        bytes=sum(item["size"] for item in files) + data_size,
        problems=problems,
    )


def _normalized(info: tarfile.TarInfo, mtime: float) -> tarfile.TarInfo:
    info.mtime, info.mode, info.uid, info.gid, info.uname, info.gname = mtime, 0o600, 0, 0, "", ""
    return info


def _dump_data(path: Path) -> tuple[dict[str, int], str, int]:
    counts: dict[str, int] = {}

    def rows() -> Iterator[models.Model]:
        for model in backup_models():
            counts[model._meta.label_lower] = 0
            for row in model._base_manager.order_by("pk").iterator(chunk_size=2000):
                counts[model._meta.label_lower] += 1
                yield row

    with path.open("w", encoding="utf-8") as stream:
        serializers.serialize(
            "jsonl",
            rows(),
            stream=stream,
            use_natural_foreign_keys=True,
            cls=FullPrecisionEncoder,
            # Every character outside ASCII escaped: no line separator can hide inside a text value.
            ensure_ascii=True,
        )
    with path.open("rb") as handle:
        sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
    return counts, sha256, path.stat().st_size


def _add_files(tar: tarfile.TarFile, mtime: float) -> tuple[list[dict], list[dict]]:
    files: list[dict] = []
    problems: list[dict] = []
    for stored in referenced_files():
        try:
            handle = default_storage.open(stored.name, "rb")
        except FileNotFoundError:
            problems.append(
                {"file": stored.name, "problem": Problem.MISSING, "expected_sha256": stored.expected_sha256}
            )
            continue
        with handle:
            info = tarfile.TarInfo(FILES + stored.name)
            info.size, info.mtime, info.mode = handle.size, mtime, 0o600
            reader = _HashingReader(handle)
            tar.addfile(info, reader)
        sha256 = reader.digest.hexdigest()
        files.append({"name": stored.name, "sha256": sha256, "size": reader.size})
        if stored.expected_sha256 and sha256 != stored.expected_sha256:
            problems.append(
                {
                    "file": stored.name,
                    "problem": Problem.MISMATCH,
                    "expected_sha256": stored.expected_sha256,
                    "actual_sha256": sha256,
                }
            )
    return files, problems


# ---------------------------------------------------------------------------------------------------------
# Restore


@dataclass
class RestoreSummary:
    counts: dict[str, int]
    files_written: int
    files_present: int  # already in the storage with the same bytes (a restore into the same bucket)
    known_problems: list[dict] = field(default_factory=list)


def _refuse(message_bn: str, message_en: str) -> DomainError:
    return DomainError(f"পুনরুদ্ধার করা হয়নি: {message_bn}", f"Nothing restored: {message_en}")


def backup_restore(*, archive: Path) -> RestoreSummary:
    """Load a backup into an empty database of the same migration state, and its files into the storage.

    Everything is checked before anything is written: the archive (every member against the manifest's
    SHA-256), the migration state, that the database holds no data, and that no file in the storage would be
    overwritten with other bytes. The rows are loaded in one transaction; the files are then written under
    their old names, read back and compared, and every approved report and evidence file is verified against
    its recorded SHA-256. On any failure the transaction is rolled back and the files written are removed.
    """
    archive = Path(archive)
    try:
        tar = tarfile.open(archive, "r:gz")
    except (OSError, tarfile.TarError) as error:
        raise _refuse(f"{archive} পড়া যায়নি ({error}).", f"cannot read {archive} ({error}).") from error
    with tar:
        manifest = _read_manifest(tar)
        _check_migrations(manifest)
        _check_archive(tar, manifest)
        _check_empty()
        to_write, present = _check_storage(manifest)
        written: list[str] = []
        try:
            with transaction.atomic(), tempfile.TemporaryDirectory() as work:
                data = Path(work) / DATA
                with tar.extractfile(DATA) as source, data.open("wb") as target:
                    shutil.copyfileobj(source, target, CHUNK_BYTES)
                try:
                    call_command("loaddata", str(data), verbosity=0)
                except Exception as error:  # DeserializationError, IntegrityError …: say which, keep nothing
                    raise _refuse(
                        f"ডেটা লোড করা যায়নি ({error}).", f"the data could not be loaded ({error})."
                    ) from error
                counts = _check_counts(manifest)
                for member in tar:
                    name = member.name.removeprefix(FILES)
                    if member.name.startswith(FILES) and name in to_write:
                        with tar.extractfile(member) as source:
                            saved = default_storage.save(name, File(source, name=name))
                        written.append(saved)
                        if saved != name:
                            raise _refuse(
                                f"ফাইল {name} অন্য নামে ({saved}) রাখা হয়েছে।",
                                f"the storage kept {name} under another name ({saved}).",
                            )
                known = _verify_restored(manifest)
        except BaseException:
            for name in written:
                default_storage.delete(name)
            raise
    return RestoreSummary(
        counts=counts, files_written=len(written), files_present=len(present), known_problems=known
    )


def _read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember(MANIFEST)
        manifest = json.load(tar.extractfile(member))
    except (KeyError, ValueError, OSError, tarfile.TarError) as error:
        raise _refuse(
            "এটি APA Tracker-এর ব্যাকআপ নয় (manifest.json নেই বা পড়া যায় না)।",
            "this is not an APA Tracker backup (manifest.json is missing or unreadable).",
        ) from error
    if manifest.get("app") != "apa-tracker" or manifest.get("format") != FORMAT:
        raise _refuse(
            f"ব্যাকআপের ধরন ({manifest.get('app')}, {manifest.get('format')}) চেনা যায়নি।",
            f"unknown backup format ({manifest.get('app')}, format {manifest.get('format')}).",
        )
    return manifest


def _check_migrations(manifest: dict) -> None:
    here = {(app, name) for app, names in migration_state().items() for name in names}
    there = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    if here == there:
        return
    missing = ", ".join(f"{app}.{name}" for app, name in sorted(there - here)) or "—"
    extra = ", ".join(f"{app}.{name}" for app, name in sorted(here - there)) or "—"
    raise _refuse(
        "ডেটাবেসের মাইগ্রেশন ব্যাকআপের সঙ্গে মেলে না। ব্যাকআপ যে সংস্করণে তৈরি, সেই সংস্করণে `migrate` চালিয়ে "
        f"পুনরুদ্ধার করুন, পরে হালনাগাদ করুন। ব্যাকআপে আছে, এখানে নেই: {missing}; এখানে আছে, ব্যাকআপে নেই: {extra}",
        "the database's migrations differ from the backup's. Run `migrate` with the version that made the "
        f"backup, restore, then upgrade. In the backup, not applied here: {missing}; applied here, not in "
        f"the backup: {extra}",
    )


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


def _check_archive(tar: tarfile.TarFile, manifest: dict) -> None:
    """Every member is expected, a regular file, and has the SHA-256 the manifest gives it."""
    expected = {FILES + item["name"]: item["sha256"] for item in manifest["files"]}
    expected[DATA] = manifest["data"]["sha256"]
    bad_names = [item["name"] for item in manifest["files"] if not _safe_name(item["name"])]
    if bad_names:
        raise _refuse(
            f"ব্যাকআপে অনিরাপদ ফাইলের নাম: {bad_names[0]}", f"unsafe file name in the backup: {bad_names[0]}"
        )
    seen: set[str] = set()
    try:
        for member in tar:
            if member.name == MANIFEST:
                continue
            if member.name not in expected or not member.isfile() or member.name in seen:
                raise _refuse(
                    f"ব্যাকআপে অপ্রত্যাশিত অংশ: {member.name}", f"unexpected member in the backup: {member.name}"
                )
            seen.add(member.name)
            sha256 = hashlib.file_digest(tar.extractfile(member), "sha256").hexdigest()
            if sha256 != expected[member.name]:
                raise _refuse(
                    f"ব্যাকআপের {member.name} নষ্ট বা বদলানো (SHA-256 মেলেনি)।",
                    f"{member.name} in the backup is damaged or changed (SHA-256 differs from the manifest).",
                )
    except (OSError, EOFError, tarfile.TarError) as error:
        raise _refuse(
            f"ব্যাকআপটি অসম্পূর্ণ বা নষ্ট ({error}).", f"the backup is truncated or damaged ({error})."
        ) from error
    absent = sorted(set(expected) - seen)
    if absent:
        raise _refuse(f"ব্যাকআপে {absent[0]} নেই।", f"{absent[0]} is missing from the backup.")


def _check_empty() -> None:
    filled = [model._meta.label_lower for model in backup_models() if model._base_manager.exists()]
    if filled:
        raise _refuse(
            "ডেটাবেস খালি নয় (" + ", ".join(filled[:5]) + ")। নতুন ডেটাবেসে `migrate` চালিয়ে তারপর পুনরুদ্ধার করুন।",
            "the database is not empty (" + ", ".join(filled[:5]) + "). Restore into a new database after "
            "`migrate`.",
        )


def _check_storage(manifest: dict) -> tuple[set[str], set[str]]:
    """Which files to write; a file already stored with the same bytes is left as it is, one with other
    bytes stops the restore (it would be overwritten, or the row would point at the wrong file)."""
    to_write: set[str] = set()
    present: set[str] = set()
    for item in manifest["files"]:
        digest = file_sha256(default_storage, item["name"])
        if digest.sha256 is None and digest.problem == Problem.MISSING:
            to_write.add(item["name"])
        elif digest.sha256 == item["sha256"]:
            present.add(item["name"])
        else:
            raise _refuse(
                f"সংরক্ষণস্থলে {item['name']} নামে অন্য একটি ফাইল আছে।",
                f"the storage already holds a different file named {item['name']}.",
            )
    return to_write, present


def _check_counts(manifest: dict) -> dict[str, int]:
    counts = {}
    for label, expected in manifest["counts"].items():
        model = apps.get_model(label)
        counts[label] = model._base_manager.count()
        if counts[label] != expected:
            raise _refuse(
                f"{label}: ব্যাকআপে {expected}টি সারি, পুনরুদ্ধারে {counts[label]}টি।",
                f"{label}: {expected} rows in the backup, {counts[label]} restored.",
            )
    return counts


def _verify_restored(manifest: dict) -> list[dict]:
    """Read every restored file back, then verify approved reports and evidence against their recorded
    SHA-256; a problem already noted when the backup was made is returned, any other stops the restore."""
    read_back: dict[str, FileDigest] = {}
    for item in manifest["files"]:
        read_back[item["name"]] = digest = file_sha256(default_storage, item["name"])
        if digest.sha256 != item["sha256"]:
            raise _refuse(
                f"{item['name']} লেখার পর পড়ে মেলানো যায়নি।", f"{item['name']} does not read back as written."
            )
    known = {item["file"] for item in manifest.get("problems", [])}
    # The files just read are not read a second time (reports and evidence live in default storage).
    result = stored_files_verify(digests=read_back)
    new = [problem for problem in result.problems if problem.file not in known]
    if new:
        raise _refuse(
            f"{new[0].label}: সংরক্ষিত SHA-256-এর সঙ্গে মেলেনি।",
            f"{new[0].label} does not match its recorded SHA-256.",
        )
    return [problem.as_json() for problem in result.problems]
