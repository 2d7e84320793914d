"""Report rendering as jobs (DESIGN.md §6, §10): long reports do not block a page.

`REPORT_JOBS_MODE` decides how a job runs:
- ``thread`` (the embedded default): in a background thread of the web process, started after the
  transaction commits; the browser polls the job's progress;
- ``inline``: at once, in the caller's transaction (tests, and the command line);
- ``worker``: left queued for a separate worker process (`manage.py report_worker`, the scale issue).

At approval the period's reports are rendered once (draft mark off) and kept as ApprovedReport with their
SHA-256; they are never rendered again.
"""

from __future__ import annotations

import hashlib
import logging
import threading

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import close_old_connections, transaction
from django.utils import timezone

from indicators.models import ActionPlan, ReportingPeriod
from reports.models import ApprovedReport, JobStatus, ReportJob, ReportKind

logger = logging.getLogger(__name__)

# Which reports an approval keeps, by quarter (DESIGN.md §4, §6): every quarter its quarterly report;
# Q2 also the half-yearly self-assessment; Q4 also the annual report and its cover letter.
APPROVAL_KINDS = {
    1: [ReportKind.QUARTERLY],
    2: [ReportKind.QUARTERLY, ReportKind.HALF_YEARLY],
    3: [ReportKind.QUARTERLY],
    4: [ReportKind.QUARTERLY, ReportKind.ANNUAL, ReportKind.COVER_LETTER],
}

# The stable report addresses of DESIGN.md §9: /plans/<office>/<year>/reports/<name>.pdf
REPORT_NAMES = {
    "annual": (ReportKind.ANNUAL, 4),
    "half-yearly": (ReportKind.HALF_YEARLY, 2),
    "quarterly-1": (ReportKind.QUARTERLY, 1),
    "quarterly-2": (ReportKind.QUARTERLY, 2),
    "quarterly-3": (ReportKind.QUARTERLY, 3),
    "quarterly-4": (ReportKind.QUARTERLY, 4),
    "cover-letter": (ReportKind.COVER_LETTER, 4),
}


def report_name(kind: str, quarter: int) -> str:
    """(quarterly, 3) → ``quarterly-3``; the file name in the report's address."""
    return f"quarterly-{quarter}" if kind == ReportKind.QUARTERLY else kind


def _mode() -> str:
    return getattr(settings, "REPORT_JOBS_MODE", "thread")


def job_create(*, plan: ActionPlan, kind: str, quarter: int, user=None, start: bool = True) -> ReportJob:
    job = ReportJob.objects.create(plan=plan, kind=kind, quarter=quarter, created_by=user)
    if start:
        job_start(job)
    return job


def job_start(job: ReportJob) -> None:
    mode = _mode()
    if mode == "inline":
        job_run(job.pk)
    elif mode == "thread":
        transaction.on_commit(lambda: _start_thread(job.pk))
    # "worker": a worker process picks it up


def _start_thread(job_id: int) -> None:
    def target() -> None:
        try:
            job_run(job_id)
        finally:
            close_old_connections()

    threading.Thread(target=target, name=f"report-job-{job_id}", daemon=True).start()


def job_run(job_id: int) -> ReportJob:
    """Render one job's report and keep the file; an approval job also keeps it as the ApprovedReport."""
    from reports.services import render_report

    job = ReportJob.objects.select_related("plan__office", "plan__fiscal_year").get(pk=job_id)
    period = ReportingPeriod.objects.get(plan=job.plan, quarter=job.quarter)
    approval = period.state not in ("draft", "submitted", "returned")
    _update(job, status=JobStatus.RUNNING, progress=1, step="শুরু")

    def on_progress(percent: int, step: str) -> None:
        _update(job, progress=max(1, min(99, percent)), step=step[:255])

    try:
        rendered = render_report(job.plan, job.kind, job.quarter, draft=not approval, on_progress=on_progress)
    except Exception as exc:  # the job records why; the page shows it
        logger.exception("report job %s failed", job_id)
        _update(job, status=JobStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
        return job
    name = f"{job.plan.office.code}-{job.plan.fiscal_year.code}-{report_name(job.kind, job.quarter)}.pdf"
    job.file.save(name, ContentFile(rendered.pdf), save=False)
    job.sha256, job.pages = rendered.sha256, rendered.pages
    job.status, job.progress, job.step, job.finished_at = JobStatus.DONE, 100, "সম্পন্ন", timezone.now()
    job.save(update_fields=["file", "sha256", "pages", "status", "progress", "step", "finished_at"])
    if approval:
        approved_report_keep(period, job.kind, rendered.pdf, rendered.pages)
    return job


def _update(job: ReportJob, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    ReportJob.objects.filter(pk=job.pk).update(**fields)


def approved_report_keep(period: ReportingPeriod, kind: str, pdf: bytes, pages: int) -> ApprovedReport:
    """Keep the approved copy once; a second call for the same period and kind keeps the first."""
    existing = ApprovedReport.objects.filter(period=period, kind=kind).first()
    if existing is not None:
        return existing
    report = ApprovedReport(
        period=period, kind=kind, sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf), pages=pages
    )
    plan = period.plan
    name = f"{plan.office.code}-{plan.fiscal_year.code}-{report_name(kind, period.quarter)}.pdf"
    report.file.save(name, ContentFile(pdf), save=False)
    report.save()
    return report


def approval_reports_start(period: ReportingPeriod, user) -> list[ReportJob]:
    """At approval: take the memo serial, date the letter, and render the period's reports once."""
    from reports.services import cover_letter_for, memo_serial_take

    letter = cover_letter_for(period)
    memo_serial_take(letter)
    if letter.letter_date is None:
        letter.letter_date = timezone.localdate()
        letter.save(update_fields=["letter_date", "updated_at"])
    return [
        job_create(plan=period.plan, kind=kind, quarter=period.quarter, user=user)
        for kind in APPROVAL_KINDS[period.quarter]
    ]
