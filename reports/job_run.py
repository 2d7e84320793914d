"""Running one report job: claim it, render its report, keep the file; an approval job also keeps it as its
approval's copy (``reports.jobs`` starts jobs; this module is what a thread, ``inline`` mode or the worker's
task runs).

Whoever runs a job first claims it (queued → running in one UPDATE), so a job enqueued or started twice is
rendered once. A job carries the approval it renders for: if the approval was superseded before the job ran,
or the data it stands on no longer has the digest recorded at approval, the job fails instead of keeping a
copy that would not be the approved record.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from base.errors import DomainError
from indicators.models import Approval
from reports import rendering
from reports.approval_source import source_digest
from reports.models import ApprovedReport, JobStatus, ReportJob
from reports.naming import report_filename

logger = logging.getLogger(__name__)


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
        # The bar is a courtesy: a database too busy to take it (SQLite's table lock under another writer)
        # must not cost the rendering itself; the next step's update or the end says where it is.
        try:
            _update(job, progress=max(1, min(99, percent)), step=step[:255])
        except OperationalError as error:
            logger.info("report job %s: progress not recorded (%s)", job_id, error)

    try:
        if job.approval is not None:
            _approval_still_stands(job.approval)  # early: no rendering for a version already superseded
        # An approval's copy is signed with the office's certificate (reports.signing); a draft never is.
        rendered = rendering.render_report(
            job.plan,
            job.kind,
            job.quarter,
            draft=job.approval is None,
            signed=job.approval is not None,
            on_progress=on_progress,
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
