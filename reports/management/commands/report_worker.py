"""`manage.py report_worker`: run the queued report jobs (DESIGN.md §10; docs/deployment.md).

The worker loop is django-tasks-db's own, reached only through what that package documents: its `db_worker`
command (called with the options of its `--help`) and django-tasks' `task_finished` signal. `db_worker`
takes one task at a time from the queue table — `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL, an
exclusive transaction on SQLite — marks it claimed and runs it, so any number of workers share one queue and
never run the same task twice; on SIGTERM or SIGINT it lets the job in hand finish, then returns (a second
signal stops at once; the job is then failed as stale later). Around it this command adds what our jobs
need: stale jobs (their process died mid-render) are failed and their approval copies queued again, at start
and then every minute (in a thread beside the loop, which `db_worker` offers no hook into); each job is
logged as it is picked and when it is done (reports/tasks.py); the signal handlers in place before are put
back when it returns.

    python manage.py report_worker              # run until stopped
    python manage.py report_worker --batch      # run what is queued now, then exit

`db_worker` installs its signal handlers itself, and Python allows that only in a process's main thread: a
worker runs in the main thread of its own process (as in production; the tests start processes too).
"""

from __future__ import annotations

import argparse
import logging
import math
import signal
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_QUEUE_NAME

# django-tasks' signals, the backport of django.tasks.signals (Django 6.0 documents them there).
from django_tasks.signals import task_finished

from reports import jobs

# How often a long-running worker looks for stale jobs (seconds); cheap: one indexed-size query.
STALE_CHECK_SECONDS = 60


def interval_seconds(value: str) -> float:
    """--interval: a finite number of seconds, zero or more."""
    seconds = float(value)
    if not math.isfinite(seconds) or seconds < 0:
        raise argparse.ArgumentTypeError("must be a finite number of seconds, zero or more")
    return seconds


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
            type=interval_seconds,
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
            run_worker(batch=batch, interval=interval, worker_id=worker_id, verbosity=verbosity)


def run_worker(
    *, batch: bool, interval: float = 1.0, worker_id: str | None = None, verbosity: int = 1
) -> int:
    """Run the worker loop in this process's main thread; returns how many tasks it ran."""
    worker_id = worker_id or _worker_id()
    logger = logging.getLogger("reports.worker")
    logger.info("worker %s started (%s)", worker_id, "batch" if batch else f"every {interval:g} s")
    signals = [signal.SIGINT, signal.SIGTERM] + ([signal.SIGQUIT] if hasattr(signal, "SIGQUIT") else [])
    previous = {sig: signal.getsignal(sig) for sig in signals}
    # db_worker sets the level of django-tasks' loggers by its verbosity, and leaves it so: put back after.
    library_loggers = {name: logging.getLogger(name).level for name in ("django_tasks", "django_tasks_db")}
    jobs.jobs_fail_stale()
    ran = _TasksRun()
    stale_checks = None if batch else _StaleChecks(every=STALE_CHECK_SECONDS)
    try:
        arguments = ["--queue-name", DEFAULT_TASK_QUEUE_NAME, "--worker-id", worker_id]
        arguments += ["--interval", repr(interval), "--no-startup-delay", "--no-reload"]
        # Our own log lines say what happens at -v 1; db_worker's INFO lines show only from -v 2 (_logging_to).
        call_command("db_worker", *arguments, *(["--batch"] if batch else []), verbosity=max(verbosity, 1))
    except SystemExit:
        pass  # db_worker's signal handler leaving a sleep: a clean stop
    finally:
        if stale_checks is not None:
            stale_checks.stop()
        ran.disconnect()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for name, level in library_loggers.items():
            logging.getLogger(name).setLevel(level)
    logger.info("worker %s stopped after %s tasks", worker_id, ran.count)
    return ran.count


class _TasksRun:
    """Counts the tasks this thread's worker finishes (successful or failed), from django-tasks' signal."""

    def __init__(self):
        self.count = 0
        self.thread = threading.get_ident()
        task_finished.connect(self.finished, dispatch_uid=self._uid())

    def _uid(self) -> str:
        return f"report-worker-tasks-run-{id(self)}"

    def finished(self, sender, task_result, **kwargs) -> None:
        if threading.get_ident() == self.thread:
            self.count += 1

    def disconnect(self) -> None:
        task_finished.disconnect(dispatch_uid=self._uid())


class _StaleChecks:
    """`jobs_fail_stale` every `every` seconds in a thread of its own, until stopped: db_worker's loop has
    no place for periodic work of ours, and this way a worker busy with a long queue checks as well."""

    def __init__(self, *, every: float):
        self.every = every
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="report-worker-stale-checks", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stopped.wait(self.every):
            try:
                jobs.jobs_fail_stale()
            except Exception:  # the database away for a moment: the next minute tries again
                logging.getLogger("reports.worker").exception("stale job check failed")
            finally:
                connections.close_all()  # this thread's connections only; none held between checks

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join()


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
        # db_worker sets its loggers' levels by its own verbosity; the handler keeps to ours.
        self.handler.addFilter(self._wanted)

    def _wanted(self, record: logging.LogRecord) -> bool:
        for name, level in self.levels.items():
            if record.name == name or record.name.startswith(name + "."):
                return record.levelno >= level
        return True

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
