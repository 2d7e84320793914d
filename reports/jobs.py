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

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone

from base.bangla import to_bangla_digits
from base.errors import DomainError
from indicators.models import ActionPlan, Approval
from reports.job_run import job_run
from reports.models import JobStatus, ReportJob
from reports.tasks import report_job_run

logger = logging.getLogger(__name__)


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
