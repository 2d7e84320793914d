"""`manage.py report_worker`: run the queued report jobs (DESIGN.md §10; docs/deployment.md).

A thin wrapper around django-tasks-db's worker (the `db_worker` command's Worker): that worker takes one
task at a time from the queue table — `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL, an exclusive
transaction on SQLite — marks it claimed and runs it, so any number of workers share one queue and never run
the same task twice. Around it this command adds what our jobs need: stale jobs (their process died
mid-render) are failed and their approval copies queued again, at start and then every minute; each job is
logged as it is picked and when it is done; SIGTERM or SIGINT lets the job in hand finish, then exits
(a second signal stops at once; the job is then failed as stale later).

    python manage.py report_worker              # run until stopped
    python manage.py report_worker --batch      # run what is queued now, then exit
"""

from __future__ import annotations

import logging
import signal
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands.db_worker import Worker, valid_interval

from reports import jobs

# How often a long-running worker looks for stale jobs (seconds); cheap: one indexed-size query.
STALE_CHECK_SECONDS = 60


class Command(BaseCommand):
    help = "প্রতিবেদন তৈরির সারির কাজগুলো চালায় (report worker: runs the queued report jobs)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run every job queued now, then exit (cron, tests, one-offs).",
        )
        parser.add_argument(
            "--interval",
            type=valid_interval,
            default=1.0,
            help="Seconds to wait before looking again when the queue is empty (default: %(default)s).",
        )
        parser.add_argument(
            "--worker-id",
            default="",
            help="A name for this worker, unique among the workers (default: host-random).",
        )

    def handle(self, *args, batch: bool, interval: float, worker_id: str, verbosity: int, **options):
        if settings.REPORT_JOBS_MODE != "worker":
            self.stderr.write(
                self.style.WARNING(
                    f"সতর্কতা: APA_REPORT_JOBS={settings.REPORT_JOBS_MODE} — ওয়েব প্রক্রিয়া নিজেই প্রতিবেদন "
                    "তৈরি করে, এই কর্মী কিছু পাবে না। কর্মী চালাতে ওয়েব ও কর্মী দুটিতেই APA_REPORT_JOBS=worker দিন।\n"
                    f"Warning: APA_REPORT_JOBS={settings.REPORT_JOBS_MODE} — the web process renders reports "
                    "itself and queues nothing for this worker. Set APA_REPORT_JOBS=worker for the web "
                    "servers and the worker."
                )
            )
        with _logging_to(self.stdout, verbosity):
            run_worker(batch=batch, interval=interval, worker_id=worker_id)


def run_worker(*, batch: bool, interval: float = 1.0, worker_id: str | None = None) -> int:
    """Run the worker loop in this thread; returns how many tasks it ran. Signals are handled only when
    this is the main thread (a test may run two workers in two threads)."""
    worker = Worker(
        queue_names=[DEFAULT_TASK_QUEUE_NAME],
        excluded_queue_names=[],
        interval=interval,
        # Each pass runs every ready task and returns when the queue is empty; this loop then waits.
        batch=True,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id or _worker_id(),
    )
    logger = logging.getLogger("reports.worker")
    logger.info("worker %s started (%s)", worker.worker_id, "batch" if batch else f"every {interval:g} s")
    main_thread = threading.current_thread() is threading.main_thread()
    signals = [signal.SIGINT, signal.SIGTERM] + ([signal.SIGQUIT] if hasattr(signal, "SIGQUIT") else [])
    previous = {sig: signal.getsignal(sig) for sig in signals} if main_thread else {}
    if main_thread:
        # First signal: finish the job in hand, then stop; a second one stops at once (db_worker's handler).
        worker.configure_signals()
    try:
        checked = 0.0
        while worker.running:
            if time.monotonic() - checked >= STALE_CHECK_SECONDS:
                jobs.jobs_fail_stale()
                checked = time.monotonic()
            worker.run()
            if batch or not worker.running:
                break
            time.sleep(interval)
    except SystemExit:
        pass  # the signal handler's way of leaving a sleep: a clean stop
    finally:
        if main_thread:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    logger.info("worker %s stopped after %s tasks", worker.worker_id, worker._run_tasks)
    return worker._run_tasks


def _worker_id() -> str:
    import socket

    return f"{socket.gethostname()[:40]}-{get_random_string(8)}"


class _logging_to:
    """Send the worker's log lines to the command's output for as long as it runs (-v 0 quiet, 1 jobs,
    2 also django-tasks' own lines)."""

    def __init__(self, stream, verbosity: int):
        self.handler = logging.StreamHandler(stream)
        self.handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        self.levels = {
            "reports.worker": logging.INFO if verbosity >= 1 else logging.WARNING,
            "reports.jobs": logging.INFO if verbosity >= 1 else logging.WARNING,
            "django_tasks_db": logging.DEBUG if verbosity >= 2 else logging.WARNING,
            "django_tasks": logging.DEBUG if verbosity >= 2 else logging.WARNING,
        }
        self.saved: dict[str, tuple[int, bool]] = {}

    def __enter__(self):
        for name, level in self.levels.items():
            logger = logging.getLogger(name)
            self.saved[name] = (logger.level, logger.propagate)
            logger.setLevel(level)
            logger.propagate = False  # once, to this command's output, not twice through the root logger
            logger.addHandler(self.handler)
        return self

    def __exit__(self, *exc):
        for name, (level, propagate) in self.saved.items():
            logger = logging.getLogger(name)
            logger.removeHandler(self.handler)
            logger.setLevel(level)
            logger.propagate = propagate
        return False
