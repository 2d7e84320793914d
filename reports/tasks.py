"""Background tasks (django-tasks): the transport between the web process and `manage.py report_worker`.

Only report rendering runs here. The other slow-looking work stays where it is on purpose: plan and progress
imports answer the upload with every row error at once and write all or nothing (DESIGN.md §7), so their
result belongs in the response; evidence uploads are checked while the user waits for the same reason.

A task carries nothing but the ReportJob's id; the job row is the record users see (reports/jobs.py).
"""

from __future__ import annotations

import logging
import time

from django_tasks import task

from reports.job_run import job_run
from reports.models import JobStatus

logger = logging.getLogger("reports.worker")


@task()
def report_job_run(job_id: int) -> dict:
    """Render a queued report job. A job that is not queued any more (run by another worker, or enqueued
    twice) is skipped; a failed rendering is recorded on the job and still ends the task normally, so the
    queue row only says that the job was handled."""
    started = time.monotonic()
    logger.info("picked job %s", job_id)
    job = job_run(job_id)
    seconds = round(time.monotonic() - started, 2)
    if job is None:
        logger.info("job %s skipped: it was no longer queued", job_id)
        return {"job": job_id, "status": "skipped", "seconds": seconds}
    if job.status == JobStatus.FAILED:
        logger.warning("job %s failed in %.1f s: %s", job_id, seconds, job.error)
    else:
        logger.info("job %s %s done in %.1f s (%s pages)", job_id, job.kind, seconds, job.pages)
    return {"job": job_id, "status": job.status, "seconds": seconds}
