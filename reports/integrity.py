"""Tamper evidence for stored files (DESIGN.md §4, §5): every approved report and every evidence file keeps
the SHA-256 it had when it was stored; ``stored_files_verify`` reads each file back and compares.

Files are read through the storage API only (``FieldFile.storage``), in chunks, so the check works the same on
local disk and on S3-compatible object storage, and a large evidence file never sits in memory whole.

Every evidence file is checked, not only the evidence of locked (submitted, approved, sent, accepted)
periods: the application never rewrites an evidence file's bytes (a change is a removal and a new upload,
each in the history), so a mismatch anywhere is tampering or damage; evidence of an open quarter is also what
the next approved report will embed. Each evidence problem says whether its quarter is locked, which is what
decides how serious it is: a locked quarter's evidence can no longer be replaced, and from approval on it is
inside an approved report.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field

from django.core.files.storage import Storage

from evidence.models import Evidence
from indicators.models import EDITABLE_STATES
from indicators.selectors import fiscal_year_start, office_get
from reports.models import ApprovedReport, Meeting, SmartPlan
from reports.signing import SignatureStatus, signature_status

CHUNK_BYTES = 1024 * 1024


class Problem:
    MISMATCH = "mismatch"
    MISSING = "missing"
    UNREADABLE = "unreadable"
    SIGNATURE = "signature"  # an approved report (or kept document) whose digital signature does not validate


#: How the commands name each problem.
PROBLEM_TEXT = {
    Problem.MISMATCH: "হ্যাশ মেলেনি / hash mismatch",
    Problem.MISSING: "ফাইল নেই / file missing",
    Problem.UNREADABLE: "ফাইল পড়া যায়নি / file unreadable",
    Problem.SIGNATURE: "ডিজিটাল স্বাক্ষর বৈধ নয় / digital signature not valid",
}


@dataclass(frozen=True)
class FileProblem:
    """One stored file whose bytes are not the ones recorded: changed, missing or unreadable."""

    type: str  # "report" or "evidence"
    id: int
    office: str
    year: str
    quarter: int | None
    kind: str  # the report kind; "" for evidence
    title: str  # the evidence title; "" for a report
    indicator: str  # the evidence's indicator code; "" for a report
    file: str
    problem: str  # Problem.*
    expected_sha256: str
    actual_sha256: str | None
    locked: bool  # the period is submitted, approved, sent or accepted (always true for an approved report)
    error: str = ""

    def as_json(self) -> dict:
        return asdict(self)

    @property
    def label(self) -> str:
        """How the command names the file: office, year and report kind, or the evidence's indicator and title."""
        quarter = f" Q{self.quarter}" if self.quarter else ""
        if self.type in ("report", "document"):
            return f"{self.office} {self.year} {self.kind}{quarter}"
        return f"{self.office} {self.year} [{self.indicator}]{quarter} «{self.title}»"


@dataclass
class VerifyResult:
    reports_checked: int = 0
    evidence_checked: int = 0
    problems: list[FileProblem] = field(default_factory=list)
    signatures_valid: int = 0  # approved reports whose signature validates (reports.signing)
    unsigned_reports: int = 0  # approved before reports were signed, or with signing off
    #: The kept copies of issue 16's documents (minutes, Smart Bangladesh plan, review of child offices):
    #: signed at approval, stored as evidence (``document_copy``).
    document_signatures_valid: int = 0
    unsigned_documents: int = 0
    documents_checked: int = 0  # approved minutes and Smart Bangladesh plans kept on the document  # imported (the demo's), kept before they were signed, or with signing off

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_json(self) -> dict:
        return {
            "ok": self.ok,
            "reports_checked": self.reports_checked,
            "evidence_checked": self.evidence_checked,
            "documents_checked": self.documents_checked,
            "signatures_valid": self.signatures_valid,
            "unsigned_reports": self.unsigned_reports,
            "document_signatures_valid": self.document_signatures_valid,
            "unsigned_documents": self.unsigned_documents,
            "problems": [problem.as_json() for problem in self.problems],
        }


@dataclass(frozen=True)
class FileDigest:
    sha256: str | None  # None: the file could not be read
    problem: str = ""  # Problem.MISSING or Problem.UNREADABLE when sha256 is None
    error: str = ""


def file_sha256(storage: Storage, name: str) -> FileDigest:
    """The SHA-256 of a stored file, read through the storage in chunks."""
    digest = hashlib.sha256()
    try:
        with storage.open(name, "rb") as handle:
            while chunk := handle.read(CHUNK_BYTES):
                digest.update(chunk)
    except FileNotFoundError:
        return FileDigest(None, Problem.MISSING)
    except OSError as error:  # a directory in its place, no permission, a storage error
        return FileDigest(None, Problem.UNREADABLE, f"{type(error).__name__}: {error}")
    return FileDigest(digest.hexdigest())


def _problem(digest: FileDigest, expected: str, **where) -> FileProblem | None:
    if digest.sha256 == expected:
        return None
    return FileProblem(
        problem=digest.problem or Problem.MISMATCH,
        expected_sha256=expected,
        actual_sha256=digest.sha256,
        error=digest.error,
        **where,
    )


def _signature_check(file, result: VerifyResult, *, where: dict, expected_sha256: str, counts: str) -> None:
    """Validate a kept copy's digital signature (reports.signing): one that does not validate is a problem; a
    copy without one is counted, not a problem (kept before copies were signed, imported, or with signing
    off). ``counts``: "report" (approved reports) or "document" (issue 16's documents)."""
    try:
        with file.storage.open(file.name, "rb") as handle:
            status = signature_status(handle.read())
    except OSError as error:
        status = SignatureStatus(signed=True, error=f"{type(error).__name__}: {error}")
    if not status.signed:
        if counts == "report":
            result.unsigned_reports += 1
        else:
            result.unsigned_documents += 1
        return
    if status.ok:
        if counts == "report":
            result.signatures_valid += 1
        else:
            result.document_signatures_valid += 1
        return
    result.problems.append(
        FileProblem(
            **where,
            problem=Problem.SIGNATURE,
            expected_sha256=expected_sha256,
            actual_sha256=None,
            error=status.error or status.text_en,
        )
    )


#: The name the application gives the review of child offices it keeps (``workflow.documents``).
_REVIEW_COPY = re.compile(r"^subordinate-review-\d{4}-\d{2}-q[1-4]\.pdf$")


def document_copies() -> set[str]:
    """The SHA-256 of every approved meeting's and Smart Bangladesh plan's kept copy (one file may be the
    evidence of several indicators: the same bytes)."""
    linked: set[str] = set()
    for model in (
        Meeting,
        SmartPlan,
    ):  # those kept on the document itself are checked there (documents_verify)
        kept_as_evidence_only = model.objects.exclude(evidence=None).filter(approved_file="")
        linked |= set(kept_as_evidence_only.values_list("evidence__sha256", flat=True))
    return linked


def document_copy(item: Evidence, copies: set[str]) -> bool:
    """Whether the evidence is a kept copy of one of issue 16's documents, signed when it was kept."""
    return item.sha256 in copies or bool(_REVIEW_COPY.match(item.original_name))


def _quarters_locked(plan) -> dict[int, bool]:
    """Quarter → whether that quarter's period is locked (submitted, approved, sent or accepted); the plan's
    periods prefetched."""
    return {period.quarter: period.state not in EDITABLE_STATES for period in plan.periods.all()}


def _evidence_locked(quarters: dict[int, bool], quarter: int | None) -> bool:
    # Undated evidence is printed in the annual report only: it is locked with Q4 (evidence.services).
    return quarters.get(4 if quarter is None else quarter, False)


def stored_files_verify(
    *,
    office_code: str | None = None,
    year_code: str | None = None,
    digests: dict[str, FileDigest] | None = None,
) -> VerifyResult:
    """Read back every approved report and every evidence file (optionally of one office and/or fiscal year)
    and compare each with the SHA-256 recorded when it was stored. ``digests`` (file name → digest) are files
    the caller has just read itself (a restore): they are not read again."""
    reports = ApprovedReport.objects.select_related(
        "approval__period__plan__office", "approval__period__plan__fiscal_year"
    )
    evidence = Evidence.objects.select_related(
        "indicator__plan__office", "indicator__plan__fiscal_year"
    ).prefetch_related("indicator__plan__periods")  # one query per chunk of the iterator
    if office_code is not None:
        office = office_get(code=office_code)  # an unknown code is an error, not "0 files, all fine"
        reports = reports.filter(approval__period__plan__office=office)
        evidence = evidence.filter(indicator__plan__office=office)
    if year_code is not None:
        start_year = fiscal_year_start(year_code)
        reports = reports.filter(approval__period__plan__fiscal_year__start_year=start_year)
        evidence = evidence.filter(indicator__plan__fiscal_year__start_year=start_year)

    result = VerifyResult()
    # Several rows may share one stored file (the same scan attached to two indicators, or the load-test data
    # set's one sample PDF): each file is read once per run, and each row still compared.
    digests = {} if digests is None else dict(digests)
    reports = reports.order_by(
        "approval__period__plan__office__code",
        "-approval__period__plan__fiscal_year__start_year",
        "approval__period__quarter",
        "approval__number",
        "kind",
        "pk",
    )
    for report in reports.iterator(chunk_size=500):
        plan = report.approval.period.plan
        result.reports_checked += 1
        if report.file.name not in digests:
            digests[report.file.name] = file_sha256(report.file.storage, report.file.name)
        where = {
            "type": "report",
            "id": report.pk,
            "office": plan.office.code,
            "year": plan.fiscal_year.code,
            "quarter": report.approval.period.quarter,
            "kind": report.kind,
            "title": "",
            "indicator": "",
            "file": report.file.name,
            "locked": True,
        }
        problem = _problem(digests[report.file.name], report.sha256, **where)
        if problem is not None:
            result.problems.append(problem)
        if digests[report.file.name].sha256 is not None:  # readable: a changed copy is checked too
            _signature_check(report.file, result, where=where, expected_sha256=report.sha256, counts="report")

    evidence = evidence.order_by(
        "indicator__plan__office__code",
        "-indicator__plan__fiscal_year__start_year",
        "indicator__plan_id",
        "pk",
    )
    locked: dict[int, dict[int, bool]] = {}
    copies = document_copies()
    for item in evidence.iterator(chunk_size=500):
        plan = item.indicator.plan
        if plan.pk not in locked:
            locked[plan.pk] = _quarters_locked(plan)
        result.evidence_checked += 1
        if item.file.name not in digests:
            digests[item.file.name] = file_sha256(item.file.storage, item.file.name)
        where = {
            "type": "evidence",
            "id": item.pk,
            "office": plan.office.code,
            "year": plan.fiscal_year.code,
            "quarter": item.quarter,
            "kind": "",
            "title": item.title,
            "indicator": item.indicator.code,
            "file": item.file.name,
            "locked": _evidence_locked(locked[plan.pk], item.quarter),
        }
        problem = _problem(digests[item.file.name], item.sha256, **where)
        if problem is not None:
            result.problems.append(problem)
        if digests[item.file.name].sha256 is not None and document_copy(item, copies):
            _signature_check(item.file, result, where=where, expected_sha256=item.sha256, counts="document")
    _documents_verify(result, digests, office_code=office_code, year_code=year_code)
    return result


def _documents_verify(
    result: VerifyResult, digests: dict[str, FileDigest], *, office_code: str | None, year_code: str | None
) -> None:
    """The approved minutes' and Smart Bangladesh plans' kept copies: each file against its SHA-256, and its
    signature (an unsigned copy — imported, or kept with signing off — is counted, not a problem)."""
    for model, kind in ((Meeting, "minutes"), (SmartPlan, "smart-plan")):
        documents = model.objects.exclude(approved_file="").select_related("office", "fiscal_year")
        if office_code is not None:
            documents = documents.filter(office__code=office_code)
        if year_code is not None:
            documents = documents.filter(fiscal_year__start_year=fiscal_year_start(year_code))
        for document in documents.order_by("office__code", "fiscal_year__start_year", "pk"):
            name = document.approved_file.name
            if name not in digests:
                digests[name] = file_sha256(document.approved_file.storage, name)
            where = {
                "type": "document",
                "id": document.pk,
                "office": document.office.code,
                "year": document.fiscal_year.code,
                "quarter": None,
                "kind": kind,
                "title": "",
                "indicator": "",
                "file": name,
                "locked": True,
            }
            result.documents_checked += 1
            problem = _problem(digests[name], document.approved_sha256, **where)
            if problem is not None:
                result.problems.append(problem)
            if digests[name].sha256 is not None:
                _signature_check(
                    document.approved_file,
                    result,
                    where=where,
                    expected_sha256=document.approved_sha256,
                    counts="document",
                )
