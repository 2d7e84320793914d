"""`report-jobs`: report jobs per minute through the worker queue (DESIGN.md §10), with real
``manage.py report_worker`` processes.

The one scenario that commits: the workers, in other processes, cannot see an uncommitted transaction. So
it is no timed ``Scenario``: it queues the jobs once the workers are ready, waits for them, and deletes
everything the jobs made afterwards.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from base.errors import DomainError
from indicators.models import ActionPlan, PeriodState
from indicators.selectors import fiscal_year_start
from loadtest.bench.measure import peak_rss_mb, percentile, status_mb
from reports import letter as report_letter
from reports.jobs import job_create
from reports.models import CoverLetter, JobStatus, ReportJob
from reports.naming import REPORT_NAMES
from reports.tasks import report_job_run

#: Period states in which a job renders a draft (reports.job_run.job_run renders the approved copy, and keeps it
#: for ever, in the final ones).
DRAFT_STATES = tuple(state for state in PeriodState if state not in report_letter.FINAL_STATES)
#: How long a worker process may take to start (import Django, connect) before the benchmark gives up.
WORKER_START_SECONDS = 60
#: How long a stopped worker may take to finish the job in hand and exit before it is killed.
WORKER_STOP_SECONDS = 60


class WorkerPool:
    """``manage.py report_worker`` processes started for the benchmark, with this process's environment
    (database, settings) and ``APA_REPORT_JOBS=worker``. Their output is read as it comes, so a full pipe
    never stops them; it is kept for the error message should one of them die."""

    def __init__(self, count: int, *, interval: float = 0.1) -> None:
        self.processes: list[subprocess.Popen] = []
        self.output: list[list[str]] = []
        self._started: list[threading.Event] = []
        environment = {**os.environ, "APA_REPORT_JOBS": "worker"}
        try:
            for number in range(count):
                self._start(number, environment, interval)
        except BaseException:
            self.stop()  # the ones already started
            raise

    def _start(self, number: int, environment: dict, interval: float) -> None:
        command = [
            sys.executable,
            str(Path(settings.BASE_DIR) / "manage.py"),
            "report_worker",
            "--interval",
            str(interval),
            "--worker-id",
            f"bench-{os.getpid()}-{number + 1}",
            "--verbosity",
            "1",
        ]
        process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            encoding="utf-8",
            errors="replace",
        )
        lines: list[str] = []
        started = threading.Event()
        threading.Thread(target=self._read, args=(process, lines, started), daemon=True).start()
        self.processes.append(process)
        self.output.append(lines)
        self._started.append(started)

    @staticmethod
    def _read(process: subprocess.Popen, lines: list[str], started: threading.Event) -> None:
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if " started (" in line:  # report_worker's first log line: it is about to take tasks
                started.set()
        started.set()  # the output ended: the process exited (poll() says how)

    def wait_ready(self, timeout: float = WORKER_START_SECONDS) -> None:
        deadline = time.monotonic() + timeout
        for started in self._started:
            started.wait(max(0.0, deadline - time.monotonic()))
        self.poll()
        if not all(started.is_set() for started in self._started):
            raise DomainError(
                "প্রতিবেদন-কর্মী সময়মতো চালু হয়নি।",
                f"The report workers did not start within {timeout:g} s.",
            )

    def poll(self) -> None:
        """Raise if a worker has exited: the jobs it would have run would never finish."""
        for process, lines in zip(self.processes, self.output, strict=True):
            if process.poll() is not None:
                tail = "\n".join(lines[-20:])
                raise DomainError(
                    "একটি প্রতিবেদন-কর্মী থেমে গেছে।",
                    f"A report worker exited with status {process.returncode}:\n{tail}",
                )

    def peak_rss_mb(self) -> float | None:
        """The largest high-water mark of resident memory among the workers (Linux), before they stop."""
        peaks = [peak for process in self.processes if (peak := status_mb("VmHWM", pid=process.pid))]
        return round(max(peaks), 1) if peaks else None

    def cpu_seconds(self) -> float | None:
        """The processor time the workers have used so far, user and system (Linux), before they stop."""
        ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        total, known = 0.0, False
        for process in self.processes:
            try:
                with open(f"/proc/{process.pid}/stat", encoding="ascii") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
            known = True
        return round(total, 1) if known else None

    def stop(self) -> None:
        """SIGTERM (each finishes the job in hand), then wait; a worker that does not exit is killed."""
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(WORKER_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def start_report_workers(count: int) -> WorkerPool:
    """The workers of ``report-jobs``; a test replaces this with workers that run in its own process."""
    return WorkerPool(count)


def _job_plans(year: str, quarter: int, count: int) -> list[ActionPlan]:
    """Up to ``count`` plans of the year whose period of ``quarter`` is still a draft (so that a job renders a
    draft and keeps nothing), the offices in code order."""
    plans = list(
        ActionPlan.objects.filter(
            fiscal_year__start_year=fiscal_year_start(year),
            periods__quarter=quarter,
            periods__state__in=DRAFT_STATES,
        )
        .select_related("office", "fiscal_year")
        .order_by("office__code")[:count]
    )
    if not plans:
        raise DomainError(
            f"{year} অর্থবছরে খসড়া অবস্থার কোনো কর্মপরিকল্পনা নেই।",
            f"No plan of {year} whose quarter {quarter} is still a draft.",
        )
    return plans


def report_jobs(*, jobs: int, workers: int, year: str, report: str, timeout: float) -> dict:
    """Queue ``jobs`` draft report jobs (``report``: a name of ``reports.naming.REPORT_NAMES``) for ``jobs``
    plans of ``year`` (fewer plans than jobs: the plans again, in turn) and let ``workers`` worker processes,
    started and ready before the jobs are queued, run them through the database queue.

    ``seconds`` runs from the commit that queued the jobs to the last job finished (the database's times), so
    ``jobs_per_minute`` is the queue's throughput, without the workers' start-up (``startup_s``);
    ``median_ms``/``p95_ms`` are the times of single jobs, from claimed to finished. The jobs are committed —
    workers in other processes cannot see anything else — so everything they leave is deleted afterwards:
    the jobs, their files, their queue rows and the cover letters that rendering created (drafts only, so
    no approved copy is ever kept).
    """
    kind, quarter = REPORT_NAMES[report]
    plans = _job_plans(year, quarter, jobs)
    letters = CoverLetter.objects.filter(period__plan__in=plans, period__quarter=quarter)
    letters_before = set(letters.values_list("pk", flat=True))
    task_path = report_job_run.module_path
    folders_before = _storage_folders()
    job_ids: list[int] = []
    queued_from = timezone.now()
    started = time.monotonic()
    pool = start_report_workers(workers)
    try:
        pool.wait_ready()
        startup = time.monotonic() - started
        with override_settings(REPORT_JOBS_MODE="worker"), transaction.atomic():
            for number in range(jobs):
                job = job_create(plan=plans[number % len(plans)], kind=kind, quarter=quarter)
                job_ids.append(job.pk)
        queued_at = timezone.now()  # committed: the workers see the jobs from here on
        finished = ReportJob.objects.filter(pk__in=job_ids, status__in=[JobStatus.DONE, JobStatus.FAILED])
        while finished.count() < jobs:
            pool.poll()
            if (timezone.now() - queued_at).total_seconds() > timeout:
                raise DomainError(
                    "প্রতিবেদনের কাজগুলো সময়মতো শেষ হয়নি।",
                    f"The report jobs did not finish within {timeout:g} s.",
                )
            time.sleep(0.05)
        worker_peak, worker_cpu = pool.peak_rss_mb(), pool.cpu_seconds()
        rows = list(
            ReportJob.objects.filter(pk__in=job_ids).values_list(
                "status", "started_at", "finished_at", "pages"
            )
        )
    finally:
        pool.stop()
        _report_jobs_cleanup(job_ids, letters, letters_before, DBTaskResult, task_path, queued_from)
        _remove_new_empty_folders(folders_before)
    last = max(row[2] for row in rows)
    seconds = (last - queued_at).total_seconds()
    job_ms = sorted((row[2] - row[1]).total_seconds() * 1000 for row in rows if row[1] is not None)
    done = [row for row in rows if row[0] == JobStatus.DONE]
    return {
        "scenario": "report-jobs",
        "runs": len(job_ms),  # the jobs timed one by one (median_ms, p95_ms)
        "report": report,
        "kind": kind,
        "quarter": quarter,
        "draft": True,
        "year": year,
        "jobs": jobs,
        "plans": len(plans),
        "workers": workers,
        "done": len(done),
        "failed": len(rows) - len(done),
        "seconds": round(seconds, 2),
        "jobs_per_minute": round(jobs / seconds * 60, 1) if seconds > 0 else None,
        "startup_s": round(startup, 2),
        "median_ms": round(statistics.median(job_ms), 1) if job_ms else None,
        "p95_ms": round(percentile(job_ms, 0.95), 1) if job_ms else None,
        "pages": statistics.median([row[3] for row in done]) if done else None,
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "worker_peak_rss_mb": worker_peak,
        # Processor time of all workers (start-up included) per job: against `median_ms`, how much of a
        # job's time the worker computed rather than waited.
        "worker_cpu_s_per_job": round(worker_cpu / jobs, 2) if worker_cpu is not None else None,
        "database": connection.vendor,
        "debug": settings.DEBUG,
        "committed": True,
        "left_behind": _report_jobs_left(job_ids, letters, letters_before),
    }


def _report_jobs_cleanup(job_ids, letters, letters_before, task_model, task_path, queued_from) -> None:
    """Delete what ``report_jobs`` made: the jobs' files and rows, their queue rows, the new cover letters."""
    for job in ReportJob.objects.filter(pk__in=job_ids):
        if job.file:
            job.file.storage.delete(job.file.name)
    ReportJob.objects.filter(pk__in=job_ids).delete()
    ids = set(job_ids)
    tasks = task_model.objects.filter(task_path=task_path, enqueued_at__gte=queued_from)
    task_model.objects.filter(
        pk__in=[task.pk for task in tasks if (task.args_kwargs.get("args") or [None])[0] in ids]
    ).delete()
    letters.exclude(pk__in=letters_before).delete()


def _storage_folders() -> set[Path] | None:
    """The folders in which the jobs' files are saved (``reports/jobs/<year>/`` and the folders above it), as
    they are now, when the default storage is a local folder (None otherwise)."""
    try:
        root = Path(default_storage.path(""))
    except NotImplementedError:  # object storage: no folders to leave behind
        return None
    base = root / str(ReportJob._meta.get_field("file").upload_to).split("%")[0]
    chain = [base, *base.parents[: len(base.relative_to(root).parts) - 1]]
    below = base.rglob("*") if base.is_dir() else []
    return {path for path in [*chain, *below] if path.is_dir()}


def _remove_new_empty_folders(before: set[Path] | None) -> None:
    """Remove the empty folders that saving the jobs' files created (``reports/jobs/<year>/``)."""
    after = _storage_folders()
    if before is None or after is None:
        return
    for folder in sorted(after - before, key=lambda path: len(path.parts), reverse=True):
        try:
            folder.rmdir()  # only if empty
        except OSError:
            pass


def _report_jobs_left(job_ids, letters, letters_before) -> int:
    """What the clean-up missed (0): jobs and cover letters that were not there before."""
    return ReportJob.objects.filter(pk__in=job_ids).count() + letters.exclude(pk__in=letters_before).count()
