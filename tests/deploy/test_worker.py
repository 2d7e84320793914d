"""Report jobs through the task queue and `manage.py report_worker` (DESIGN.md §10, docs/deployment.md).

In "worker" mode (the tests' default, tests/conftest.py) a job is queued as a django-tasks task in the
database and nothing renders until a worker runs; here the worker runs in-process with `--batch` (run what
is queued, then exit).
"""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import os
import signal
import threading
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from indicators.periods import periods_ensure
from reports import jobs
from reports.models import ApprovedReport, JobStatus, ReportJob
from reports.rendering import RenderedReport
from reports.tasks import report_job_run
from tests.factories import PlanFactory, accept_earlier_quarters
from workflow.transitions import period_transition


def approve(plan, quarter: int) -> None:
    """The officer submits the quarter, the CIO approves it (the demo's users)."""
    users = get_user_model().objects
    accept_earlier_quarters(plan, quarter, only_open=True)
    for action, username in (("submit", "mofa.officer"), ("approve", "mofa.cio")):
        period = periods_ensure(plan)[quarter - 1]
        period_transition(
            period=period, action=action, user=users.get(username=username), expected_version=period.version
        )


def run_worker(*args: str) -> str:
    out = io.StringIO()
    call_command("report_worker", "--batch", *args, stdout=out, stderr=out)
    return out.getvalue()


class FakeRender:
    """Stands in for reports.rendering.render_report: records each call, fails for the kinds in `fail`."""

    def __init__(self):
        self.calls: list[tuple[int, str, int]] = []
        self.fail: set[str] = set()
        self.before = None  # called with the plan before rendering (the parallel test waits there)
        self.lock = threading.Lock()

    def __call__(self, plan, kind, quarter, *, draft, signed=False, on_progress=None):
        with self.lock:
            self.calls.append((plan.pk, kind, quarter))
        if self.before is not None:
            self.before(plan)
        if kind in self.fail:
            raise RuntimeError("প্রমাণক ফাইলটি পড়া যায়নি")
        if on_progress:
            on_progress(50, "টেবিল")
        pdf = f"%PDF-1.4 {kind} {quarter} {'draft' if draft else 'final'}".encode()
        return RenderedReport(pdf=pdf, pages=1, sha256=hashlib.sha256(pdf).hexdigest())


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    """The worker closes "old" database connections between tasks, as a long-running process must
    (Django's close_old_connections); Django takes a connection inside a transaction for one of them, which
    would end the test's own transaction on PostgreSQL. A real worker runs in autocommit."""
    for conn in connections.all():
        monkeypatch.setattr(conn, "close_if_unusable_or_obsolete", lambda: None)


@pytest.fixture
def fake_render(monkeypatch) -> FakeRender:
    fake = FakeRender()
    monkeypatch.setattr("reports.rendering.render_report", fake)
    return fake


@pytest.fixture
def plan(db):
    plan = PlanFactory()
    periods_ensure(plan)
    return plan


def tasks_for(job_ids) -> list[DBTaskResult]:
    return [task for task in DBTaskResult.objects.all() if task.args_kwargs["args"][0] in set(job_ids)]


@pytest.mark.parametrize(("quarter", "kinds"), [(1, ["quarterly"]), (2, ["half-yearly", "quarterly"])])
def test_approval_queues_one_task_per_report_and_renders_nothing(demo, quarter, kinds):
    """Approving a quarter queues one job and one task per report of APPROVAL_KINDS; until a worker runs,
    the jobs stay queued and no approved copy exists."""
    approve(demo, quarter)
    queued = ReportJob.objects.filter(plan=demo, quarter=quarter)
    assert sorted(queued.values_list("kind", flat=True)) == kinds
    assert set(queued.values_list("status", flat=True)) == {JobStatus.QUEUED}
    tasks = DBTaskResult.objects.filter(task_path="reports.tasks.report_job_run")
    assert sorted(task.args_kwargs["args"][0] for task in tasks) == sorted(
        queued.values_list("pk", flat=True)
    )
    assert {task.status for task in tasks} == {"READY"}
    assert not ApprovedReport.objects.exists()


def test_worker_renders_the_queued_approval_reports(demo):
    """`report_worker --batch` renders each queued approval report once: the ApprovedReport keeps the
    bytes with their SHA-256, the job is done, the task successful, and the log names each job."""
    approve(demo, 1)
    job = ReportJob.objects.get(plan=demo, quarter=1)

    output = run_worker()

    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.progress == 100 and job.started_at is not None
    approved = ApprovedReport.objects.get(
        approval__period__plan=demo, approval__period__quarter=1, kind="quarterly"
    )
    data = approved.file.read()
    assert data.startswith(b"%PDF-")
    assert approved.sha256 == hashlib.sha256(data).hexdigest() == job.sha256
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert f"picked job {job.pk}" in output and f"job {job.pk} quarterly done in" in output


def test_a_job_enqueued_twice_renders_once(plan, fake_render):
    """The same job reaching the queue twice is rendered by the first task; the second finds it no longer
    queued and skips it."""
    job = jobs.job_create(plan=plan, kind="quarterly", quarter=1)  # enqueued once by job_start
    report_job_run.enqueue(job.pk)  # and once more

    output = run_worker()

    assert fake_render.calls == [(plan.pk, "quarterly", 1)]
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    results = [task.return_value["status"] for task in tasks_for([job.pk])]
    assert sorted(results) == ["done", "skipped"]
    assert f"job {job.pk} skipped" in output


def test_a_failing_render_fails_its_job_with_the_reason_and_the_worker_goes_on(plan, fake_render):
    """A render that raises marks its job failed with the reason; the worker goes on to the next job."""
    fake_render.fail = {"annual"}
    failing = jobs.job_create(plan=plan, kind="annual", quarter=4)
    fine = jobs.job_create(plan=plan, kind="quarterly", quarter=4)

    output = run_worker()

    failing.refresh_from_db()
    fine.refresh_from_db()
    assert failing.status == JobStatus.FAILED
    assert "প্রমাণক ফাইলটি পড়া যায়নি" in failing.error
    assert failing.finished_at is not None and not failing.file
    assert fine.status == JobStatus.DONE and fine.file
    assert len(fake_render.calls) == 2
    assert f"job {failing.pk} failed" in output


def test_worker_does_nothing_when_the_queue_is_empty(db):
    """An empty queue: the batch worker exits at once having run nothing."""
    output = run_worker()
    assert "stopped after 0 tasks" in output


# --- stale jobs -----------------------------------------------------------------------------------------


def _running_since(job: ReportJob, minutes: int) -> None:
    started = timezone.now() - timedelta(minutes=minutes)
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress=40, started_at=started)


def test_worker_fails_a_draft_job_running_past_the_stale_limit(plan, fake_render, settings):
    """A job running longer than REPORT_JOB_STALE_MINUTES (its worker died) is marked failed with a reason
    in Bangla and English; a draft is not rendered again (the user asks again), a recent one is left alone."""
    settings.REPORT_JOB_STALE_MINUTES = 30
    stale = jobs.job_create(plan=plan, kind="quarterly", quarter=1, start=False)
    recent = jobs.job_create(plan=plan, kind="quarterly", quarter=2, start=False)
    _running_since(stale, 31)
    _running_since(recent, 5)

    run_worker()

    stale.refresh_from_db()
    recent.refresh_from_db()
    assert stale.status == JobStatus.FAILED and stale.finished_at is not None
    assert "৩০ মিনিটেও শেষ হয়নি" in stale.error
    assert "did not finish within 30 minutes" in stale.error
    assert recent.status == JobStatus.RUNNING
    assert fake_render.calls == []
    assert ReportJob.objects.count() == 2


def test_stale_approval_copy_is_queued_again_once(demo, fake_render, settings):
    """An approval job that went stale leaves no approved copy, so the worker queues the report again and
    renders it; when that one goes stale as well, it is left failed for a person."""
    settings.REPORT_JOB_STALE_MINUTES = 30
    approve(demo, 1)
    first = ReportJob.objects.get(plan=demo, quarter=1)
    _running_since(first, 45)

    run_worker()

    first.refresh_from_db()
    assert first.status == JobStatus.FAILED
    retry = ReportJob.objects.exclude(pk=first.pk).get(plan=demo, quarter=1, kind="quarterly")
    assert retry.status == JobStatus.DONE
    assert ApprovedReport.objects.filter(
        approval__period__plan=demo, approval__period__quarter=1, kind="quarterly"
    ).exists()

    # The same report stale a second time (its copy gone missing here to make it due again): not retried.
    ApprovedReport.objects.all().delete()
    _running_since(retry, 45)
    run_worker()
    retry.refresh_from_db()
    assert retry.status == JobStatus.FAILED
    assert ReportJob.objects.filter(plan=demo, quarter=1).count() == 2


def test_worker_warns_when_the_web_process_runs_jobs_itself(db, settings):
    """With APA_REPORT_JOBS other than "worker" nothing is queued for the worker: it says so, in Bangla
    and English."""
    settings.REPORT_JOBS_MODE = "thread"
    output = run_worker()
    assert "সতর্কতা: APA_REPORT_JOBS=thread" in output
    assert "the web process renders reports itself" in output


# --- two workers on PostgreSQL --------------------------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only: workers share the queue through row locks (SELECT … FOR UPDATE SKIP LOCKED); "
    "SQLite has one writer at a time, so its workers never overlap",
)
@pytest.mark.django_db(transaction=True)
def test_two_workers_in_parallel_run_each_job_once(fake_render):
    """Two worker processes started together on one queue of six jobs run every job exactly once between
    them.

    Each worker's first render waits until the other worker is rendering too, so both hold a job at the
    same moment: the queue must have handed them different ones. The workers are processes, as in
    production (a worker's loop handles signals, which only a process's main thread may do); forked from
    this one, they keep the stand-in renderer."""
    plan = PlanFactory()
    periods_ensure(plan)
    queued = [jobs.job_create(plan=plan, kind="quarterly", quarter=1 + i % 4) for i in range(6)]
    forked = multiprocessing.get_context("fork")
    both_rendering = forked.Barrier(2, timeout=60)
    results = forked.Queue()

    def work(name: str) -> None:
        waited = False

        def before(_plan):
            nonlocal waited
            if not waited:
                waited = True
                both_rendering.wait()

        fake_render.before = before
        from reports.management.commands.report_worker import run_worker as worker_loop

        try:
            ran = worker_loop(batch=True, worker_id=name)
            results.put((name, ran, fake_render.calls, None))
        except BaseException as error:  # reported by this test's process
            results.put((name, 0, fake_render.calls, repr(error)))
        finally:
            connections.close_all()

    connections.close_all()  # each worker opens its own connection, none shares this process's
    workers = [forked.Process(target=work, args=(name,)) for name in ("worker-a", "worker-b")]
    for worker in workers:
        worker.start()
    reports = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)

    assert [error for *_, error in reports] == [None, None]
    assert [worker.exitcode for worker in workers] == [0, 0]
    ran = {name: count for name, count, *_ in reports}
    renders = [call for _, _, calls, _ in reports for call in calls]
    assert len(renders) == 6
    assert {job.status for job in ReportJob.objects.filter(pk__in=[job.pk for job in queued])} == {
        JobStatus.DONE
    }
    tasks = tasks_for([job.pk for job in queued])
    assert len(tasks) == 6 and all(len(task.worker_ids) == 1 for task in tasks)
    assert {task.return_value["status"] for task in tasks} == {"done"}
    assert ran["worker-a"] >= 1 and ran["worker-b"] >= 1 and ran["worker-a"] + ran["worker-b"] == 6


# --- stopping -------------------------------------------------------------------------------------------


def test_sigterm_while_rendering_finishes_that_job_then_stops(plan, fake_render, monkeypatch):
    """SIGTERM during a render lets the render finish and its job be done, then the worker stops without
    taking the next job (it stays queued for another worker); the previous signal handlers come back."""
    first = jobs.job_create(plan=plan, kind="quarterly", quarter=1)
    second = jobs.job_create(plan=plan, kind="quarterly", quarter=2)
    fake_render.before = lambda _plan: os.kill(os.getpid(), signal.SIGTERM)
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def no_waiting(seconds):
        raise AssertionError("the worker went on after SIGTERM")

    # The worker's only wait is the pause of the worker loop (db_worker's time.sleep) when the queue is empty.
    monkeypatch.setattr("time.sleep", no_waiting)
    out = io.StringIO()
    call_command(
        "report_worker", "--interval", "5", stdout=out, stderr=out
    )  # not --batch: runs until stopped

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == JobStatus.DONE
    assert second.status == JobStatus.QUEUED
    assert "stopped after 1 tasks" in out.getvalue()
    assert {sig: signal.getsignal(sig) for sig in handlers} == handlers


def test_sigterm_while_idle_stops_at_once(db, monkeypatch):
    """SIGTERM while the worker waits for work ends it cleanly."""

    def signalled_sleep(seconds):
        os.kill(os.getpid(), signal.SIGTERM)
        raise AssertionError("the signal should have stopped the worker")  # not reached: the handler exits

    monkeypatch.setattr("time.sleep", signalled_sleep)  # the worker loop's pause on an empty queue
    out = io.StringIO()
    call_command("report_worker", stdout=out, stderr=out)
    assert "started" in out.getvalue() and "stopped after 0 tasks" in out.getvalue()
