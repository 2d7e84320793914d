"""Report rendering as jobs (DESIGN.md §6, §10): long reports do not block a page.

`REPORT_JOBS_MODE` decides how a job runs:
- ``thread`` (the embedded default): in a background thread of the web process, started after the
  transaction commits; the browser polls the job's progress;
- ``inline``: at once, in the caller's transaction (tests, and the command line);
- ``worker``: queued as a django-tasks task (reports/tasks.py) in the database and run by a separate
  worker process, `manage.py report_worker` — any number of them, on any machine that reaches the database.

The ReportJob row is what users see (status, progress, the file); the task queue only carries the job's id.
Whoever runs a job first claims it (queued → running in one UPDATE), so a job enqueued or started twice is
rendered once. A job still "running" REPORT_JOB_STALE_MINUTES after it was claimed is taken for dead (its
worker or web process was killed mid-render): `jobs_fail_stale` marks it failed, and queues an approval copy
that has no ApprovedReport yet once more (a second stale failure of the same report is left to a person).

At approval the period's reports are rendered once (draft mark off) for that approval (a version,
``reports.approvals``) and kept as its ApprovedReport with their SHA-256; they are never rendered again. A job
carries the approval it renders for: if the approval was superseded before the job ran, or the data it stands
on no longer has the digest recorded at approval, the job fails instead of keeping a copy that would not be
the approved record.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone

from base.bangla import to_bangla_digits
from base.errors import DomainError
from indicators.models import ActionPlan, Approval
from reports import services
from reports.approval_source import source_digest
from reports.models import ApprovedReport, JobStatus, ReportJob, ReportKind

logger = logging.getLogger(__name__)

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


def report_filename(plan: ActionPlan, kind: str, quarter: int) -> str:
    """``mofa-2022-23-quarterly-3.pdf``: the report's file name in storage and in downloads."""
    return f"{plan.office.code}-{plan.fiscal_year.code}-{report_name(kind, quarter)}.pdf"


def _mode() -> str:
    return getattr(settings, "REPORT_JOBS_MODE", "thread")


def job_create(
    *,
    plan: ActionPlan,
    kind: str,
    quarter: int,
    user=None,
    approval: Approval | None = None,
    start: bool = True,
) -> ReportJob:
    """A rendering of a report: a draft, or with ``approval`` the approved copy of that version."""
    job = ReportJob.objects.create(plan=plan, kind=kind, quarter=quarter, created_by=user, approval=approval)
    if start:
        job_start(job)
    return job


def job_start(job: ReportJob) -> None:
    mode = _mode()
    if mode == "inline":
        job_run(job.pk)
    elif mode == "thread":
        transaction.on_commit(lambda: _start_thread(job.pk))
    elif mode == "worker":
        from reports.tasks import report_job_run

        # The queue is a table of the same database, written in the caller's transaction: the task row
        # commits (or rolls back) together with the job, so a worker never sees a task before its job,
        # and a crash between the two cannot leave a job that nobody will ever run.
        report_job_run.enqueue(job.pk)
    else:
        raise ValueError(f"REPORT_JOBS_MODE must be thread, inline or worker, not {mode!r}")


def _start_thread(job_id: int) -> None:
    def target() -> None:
        try:
            job_run(job_id)
        finally:
            close_old_connections()

    threading.Thread(target=target, name=f"report-job-{job_id}", daemon=True).start()


def job_claim(job_id: int) -> bool:
    """Take a queued job for running; False when another worker, thread or an earlier run has it."""
    claimed = ReportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, progress=1, step="শুরু", started_at=timezone.now()
    )
    return claimed == 1


def job_run(job_id: int) -> ReportJob | None:
    """Render one job's report and keep the file; an approval job also keeps it as its approval's copy.

    Returns None, and renders nothing, when the job was not queued any more (claimed by someone else,
    already done or failed). A failed rendering marks the job failed with the reason and returns it.
    """
    if not job_claim(job_id):
        logger.info("report job %s not claimed: it is no longer queued", job_id)
        return None
    job = ReportJob.objects.select_related("plan__office", "plan__fiscal_year", "approval__period__plan").get(
        pk=job_id
    )

    def on_progress(percent: int, step: str) -> None:
        _update(job, progress=max(1, min(99, percent)), step=step[:255])

    try:
        if job.approval is not None:
            _approval_still_stands(job.approval)  # early: no rendering for a version already superseded
        rendered = services.render_report(
            job.plan, job.kind, job.quarter, draft=job.approval is None, on_progress=on_progress
        )
        job.file.save(report_filename(job.plan, job.kind, job.quarter), ContentFile(rendered.pdf), save=False)
        if job.approval is not None:
            # Before the job says "done": a finished approval job means its copy is kept. Checked again under
            # the approval's row lock, which a return takes too: if the version was returned while it was
            # rendering, the data may have changed under the rendering, and the copy is not kept.
            with transaction.atomic():
                approval = Approval.objects.select_for_update(of=("self",)).get(pk=job.approval.pk)
                _approval_still_stands(approval)
                approved_report_keep(approval, job.kind, rendered.pdf, rendered.pages)
    except DomainError as refused:
        # Not an error of the system: the approval was returned before its copy was made.
        logger.info("report job %s not kept: %s", job_id, refused.message_en)
        _update(job, status=JobStatus.FAILED, error=str(refused)[:2000], finished_at=timezone.now())
        return job
    except Exception as exc:
        # The job records why (a broken evidence file, the storage unreachable …); the job page shows it.
        logger.exception("report job %s failed", job_id)
        _update(job, status=JobStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
        return job
    job.sha256, job.pages = rendered.sha256, rendered.pages
    job.status, job.progress, job.step, job.finished_at = JobStatus.DONE, 100, "সম্পন্ন", timezone.now()
    job.save(update_fields=["file", "sha256", "pages", "status", "progress", "step", "finished_at"])
    return job


def _approval_still_stands(approval: Approval) -> None:
    """An approval's copy is kept only while the approval stands and its data is what was approved."""
    approval.refresh_from_db(fields=["superseded_at"])
    if approval.superseded_at is not None:
        raise DomainError(
            "অনুমোদনটি কপি তৈরির আগেই ফেরত পাঠানো হয়েছে; এই সংস্করণের কপি তৈরি হবে না।",
            "The approval was returned before its copy was made; no copy is made for this version.",
        )
    period = approval.period
    if approval.source_sha256 and source_digest(period.plan, period.quarter) != approval.source_sha256:
        raise DomainError(
            "অনুমোদনের পর তথ্য বদলেছে; অনুমোদিত কপি তৈরি করা হয়নি। প্রতিবেদনকালটি ফেরত পাঠিয়ে আবার অনুমোদন করুন।",
            "The data changed after the approval; no approved copy was made. Return and approve again.",
        )


def _update(job: ReportJob, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    ReportJob.objects.filter(pk=job.pk).update(**fields)


def stale_error(minutes: int) -> str:

    return str(
        DomainError(
            f"কাজটি {to_bangla_digits(minutes)} মিনিটেও শেষ হয়নি: যে প্রক্রিয়া এটি তৈরি করছিল সেটি সম্ভবত থেমে গেছে। আবার চেষ্টা করুন।",
            f"The job did not finish within {minutes} minutes: the process rendering it probably stopped. "
            "Please try again.",
        )
    )


def jobs_fail_stale(*, now=None) -> list[ReportJob]:
    """Mark jobs running longer than REPORT_JOB_STALE_MINUTES as failed, and queue their approval copies again.

    A job's process can die mid-render (a worker killed by a deploy or out of memory, a web process
    restarted under a thread job); its row would say "running" for ever. An approval copy must exist, so a
    stale approval job without its ApprovedReport is queued once more as a new job; if the same report went
    stale before, it is left failed for a person to look at (the render itself may be what kills the process).
    Returns the jobs marked failed.
    """
    minutes = settings.REPORT_JOB_STALE_MINUTES
    now = now or timezone.now()
    error = stale_error(minutes)
    candidates = list(
        ReportJob.objects.filter(
            status=JobStatus.RUNNING, started_at__lt=now - timedelta(minutes=minutes)
        ).select_related("plan")
    )
    failed = []
    for job in candidates:
        # The status condition again: the job may have finished since it was read.
        if ReportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED, error=error, finished_at=now
        ):
            job.status, job.error, job.finished_at = JobStatus.FAILED, error, now
            failed.append(job)
            logger.warning("report job %s failed as stale (running since %s)", job.pk, job.started_at)
    for job in failed:
        _retry_approval_copy(job, error)
    return failed


def _retry_approval_copy(job: ReportJob, error: str) -> None:
    approval = job.approval
    if approval is None:
        return  # a draft: the user starts another one
    approval.refresh_from_db(fields=["superseded_at"])
    if approval.superseded_at is not None or approval.reports.filter(kind=job.kind).exists():
        return
    same_report = ReportJob.objects.filter(approval=approval, kind=job.kind)
    if same_report.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).exists():
        return  # another rendering of it is on its way
    if same_report.filter(status=JobStatus.FAILED, error=error).count() > 1:
        logger.error(
            "approval copy %s Q%s of %s went stale twice: not queued again", job.kind, job.quarter, job.plan
        )
        return
    retry = job_create(
        plan=job.plan, kind=job.kind, quarter=job.quarter, user=job.created_by, approval=approval
    )
    logger.warning("approval copy of stale job %s queued again as job %s", job.pk, retry.pk)


def approved_report_keep(approval: Approval, kind: str, pdf: bytes, pages: int) -> ApprovedReport:
    """Keep an approval's copy once; a second call for the same approval and kind keeps the first."""
    existing = ApprovedReport.objects.filter(approval=approval, kind=kind).first()
    if existing is not None:
        return existing
    period = approval.period
    report = ApprovedReport(
        approval=approval, kind=kind, sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf), pages=pages
    )
    report.file.save(report_filename(period.plan, kind, period.quarter), ContentFile(pdf), save=False)
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction survives losing the race
            report.save()
    except IntegrityError:
        # Two renderings of one approved report finished together (say two workers): the first one kept
        # stays the copy; this file was never referenced.
        report.file.storage.delete(report.file.name)
        return ApprovedReport.objects.get(approval=approval, kind=kind)
    return report
