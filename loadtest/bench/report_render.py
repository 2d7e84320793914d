"""The report scenarios: `report` and `report-200`, the demo's annual report as a draft, without and with
200 pages of evidence (DESIGN.md §8), through the service every report download and job calls
(``render_report``), its time split by the steps the service reports.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.test.utils import override_settings

from base.errors import DomainError
from evidence.models import Evidence
from evidence.services import evidence_attach
from indicators.models import EDITABLE_STATES, ActionPlan, PeriodState, ReportingPeriod
from loadtest.bench.measure import Scenario, nothing
from reports import rendering
from reports import table as report_table
from reports.annex import evidence_page_count

REPORT_KIND, REPORT_QUARTER = "annual", 4
#: The evidence of `report-200`: a PDF of this many pages (typeset text and scans) and this many phone
#: photos of about 1.3 MB, one page each (``make_sample_evidence``).
REPORT_200_PDF_PAGES = 180
REPORT_200_PHOTOS = 20


def _report_scenario(plan: ActionPlan, figures: dict | None = None, cleanup=nothing) -> Scenario:
    evidence = report_table.report_evidence(plan, REPORT_KIND, REPORT_QUARTER)
    steps: list[tuple[float, str]] = []

    def run() -> rendering.RenderedReport:
        return rendering.render_report(
            plan,
            REPORT_KIND,
            REPORT_QUARTER,
            draft=True,
            on_progress=lambda percent, step: steps.append((time.perf_counter(), step)),
        )

    evidence_pages = sum(evidence_page_count(item) for item in evidence)
    return Scenario(
        run=run,
        describe=lambda rendered: {
            "bytes": len(rendered.pdf),
            "pages": rendered.pages,
            "generated_pages": rendered.pages - evidence_pages,
        },
        steps=steps,
        cleanup=cleanup,
        figures={
            "kind": REPORT_KIND,
            "quarter": REPORT_QUARTER,
            "draft": True,
            "evidence_files": len(evidence),
            "evidence_pages": evidence_pages,
            **(figures or {}),
        },
    )


def report(plan: ActionPlan, username: str | None) -> Scenario:
    """The plan's annual report as a draft, with whatever evidence the plan has (the demo: none)."""
    return _report_scenario(plan)


def report_200(plan: ActionPlan, username: str | None) -> Scenario:
    """The annual report with 200 more evidence pages: ``REPORT_200_PDF_PAGES`` pages of PDF and
    ``REPORT_200_PHOTOS`` photos, attached as undated evidence with ``evidence_attach`` (so the content checks
    and the stored page counts are the real ones) inside the rolled-back transaction. Their files go to a
    temporary storage folder, deleted at the end with the sample files; none of this is timed."""
    folder = tempfile.TemporaryDirectory(prefix="apa-bench-")
    # The plan's own evidence (if it has any) goes into the report too: its files are copied to the
    # temporary storage under their names, read from the project's storage (never written to).
    _copy_plan_evidence(plan, Path(folder.name) / "storage")
    storage = override_settings(
        STORAGES={
            **settings.STORAGES,
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(Path(folder.name) / "storage"), "base_url": None},
            },
        }
    )
    storage.enable()

    def cleanup() -> None:
        storage.disable()
        folder.cleanup()

    try:
        sample = _attach_sample_evidence(plan, Path(folder.name) / "sample")
        return _report_scenario(plan, figures=sample, cleanup=cleanup)
    except BaseException:
        cleanup()
        raise


def _copy_plan_evidence(plan: ActionPlan, target: Path) -> None:
    names = Evidence.objects.filter(indicator__plan=plan).order_by().values_list("file", flat=True).distinct()
    source = storages["default"]
    for name in names:
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        with source.open(name, "rb") as handle, open(destination, "wb") as out:
            shutil.copyfileobj(handle, out)


def _attach_sample_evidence(plan: ActionPlan, folder: Path) -> dict:
    """Make the sample files in a child process (so making them does not count in this process's peak
    memory) and attach them: the PDF to the plan's first indicator, the photos in turn to every indicator."""

    command = [
        sys.executable,
        str(Path(settings.BASE_DIR) / "manage.py"),
        "make_sample_evidence",
        "--skip-checks",
        "--out",
        str(folder),
        "--pages",
        str(REPORT_200_PDF_PAGES),
        "--photos",
        str(REPORT_200_PHOTOS),
    ]
    made = subprocess.run(command, capture_output=True, text=True, cwd=settings.BASE_DIR)
    if made.returncode != 0:
        raise DomainError(
            "নমুনা প্রমাণক তৈরি করা যায়নি।",
            f"Could not make the sample evidence: {made.stderr.strip()[-500:]}",
        )
    # On a database whose quarters are submitted or approved, the sample could not be attached (locked data,
    # DESIGN.md §4): inside the benchmark's transaction, which is always rolled back, the plan's periods are
    # opened again first. Nothing of it outlives the benchmark; the report is rendered as a draft either way.
    reopened = (
        ReportingPeriod.objects.filter(plan=plan)
        .exclude(state__in=EDITABLE_STATES)
        .update(state=PeriodState.DRAFT)
    )
    indicators = list(
        plan.indicators.order_by("activity__area__position", "activity__position", "position", "pk")
    )
    files = [folder / f"sample-{REPORT_200_PDF_PAGES}-pages.pdf"]
    files += [folder / f"photo-{number:02d}.jpg" for number in range(1, REPORT_200_PHOTOS + 1)]
    size = 0
    for number, path in enumerate(files):
        data = path.read_bytes()
        size += len(data)
        evidence_attach(
            indicator=indicators[number % len(indicators)],
            title=f"নমুনা প্রমাণক {number + 1}" if number else f"নমুনা প্রমাণক ({REPORT_200_PDF_PAGES} পৃষ্ঠা)",
            data=data,
            original_name=path.name,
        )
    return {"sample_files": len(files), "sample_bytes": size, "periods_reopened": reopened}
