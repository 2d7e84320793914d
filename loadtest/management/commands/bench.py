"""`bench SCENARIO [--repeat N] --json` (DESIGN.md §8): time a page or an action on the current database.

The page scenarios go through the real stack (URL routing, middleware, session, view, template) with
Django's test client, signed in as a user of the data being measured; the report scenarios call the
service every report download and job calls (``render_report``). One untimed warm-up run fills caches and
creates whatever is created on first use (the plan's periods, a cover letter); one untimed run counts the
queries; then ``--repeat`` timed runs.

Memory: ``peak_rss_mb`` is the process's high-water mark (``getrusage``), warm-up and set-up included;
``run_peak_rss_mb`` the highest resident size during any one timed run (the kernel's high-water mark,
reset before each run; where that cannot be reset, the resident size sampled every few milliseconds). Each
timed run starts after a garbage collection, so that the garbage of the run before does not count in it.

Nothing is left behind: the whole benchmark runs in one transaction that is rolled back at the end. That is
forced by the domain, not only simpler: a progress save writes append-only history (DESIGN.md §4), which
no restore may delete, so a committed save would always leave rows behind. The price is that the
`progress-save` figure measures the save's statements but not the final COMMIT (on SQLite the fsync).
`report-200` attaches its evidence inside that transaction too, its files in a temporary storage folder
that is deleted afterwards: the project's own storage is never written to.

The national-scale scenarios need no plan: `inbox` and `summary` are a reviewer's pages (`--user`, or by
default the reviewer of the plan office's parent for `inbox`, and of the root office of the largest tree for
`summary`: the Cabinet Division); `score-all` scores every plan of `--year` from its progress with the
scoring service, reading the rows in chunks of plans (``indicators.scores.year_plan_scores``), and writes
nothing. `summary --quarter 1..4|all` asks for one quarter or all four instead of the page's default. Pages
are requested over HTTPS, as behind the production load balancer: with ``DJANGO_DEBUG=0`` a plain-HTTP
request would only get the redirect to HTTPS.

`report-jobs [--jobs N] [--workers K] [--report annual]` is the one scenario that commits: report jobs go
through the database queue to `manage.py report_worker` processes, which cannot see an uncommitted
transaction. It queues N draft jobs once K workers are ready, reports jobs per minute from the queueing to
the last job done, and then deletes everything the jobs made (``report_jobs``). BENCHMARKS.md has the
figures and how to reproduce them.
"""

from __future__ import annotations

import gc
import json
import math
import os
import re
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries, transaction
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from base.errors import DomainError
from indicators import permissions, scores, scoring
from indicators.models import (
    EDITABLE_STATES,
    ActionPlan,
    Office,
    OfficeMembership,
    PeriodState,
    Progress,
    ReportingPeriod,
    Role,
)
from indicators.periods import periods_ensure
from indicators.selectors import fiscal_year_start, office_get, plan_get, plan_year_code
from indicators.services.progress import progress_record
from reports import services as report_services
from reports.jobs import REPORT_NAMES, job_create
from workflow import inbox as report_selectors
from workflow import summary as report_summary


def _nothing() -> None:
    return None


def _response_figures(response: HttpResponse) -> dict:
    return {"bytes": len(response.content)}


@dataclass
class Scenario:
    """A prepared benchmark: only ``run`` is timed (and its queries counted); ``before_run`` and
    ``after_run`` set up and undo each run outside the measurement.

    ``describe`` gives the figures of a run's result (its size …); ``steps``, when not ``None``, is where
    ``run`` notes ``(time.perf_counter(), step)`` as it goes, for the time split per step; ``cleanup``
    runs once at the end, after the rollback, whether the benchmark succeeded or not.
    """

    run: Callable[[], Any]
    figures: dict = field(default_factory=dict)
    before_run: Callable[[], None] = _nothing
    after_run: Callable[[], None] = _nothing
    describe: Callable[[Any], dict] = _response_figures
    steps: list[tuple[float, str]] | None = None
    cleanup: Callable[[], None] = _nothing
    #: False: no untimed warm-up run (the run that counts the queries comes first); for a scenario that
    #: takes tens of seconds and has nothing to warm up.
    warm_up: bool = True
    #: Figures of ``describe`` to give per second of the median run too (``<name>_per_s``).
    per_second: tuple[str, ...] = ()


@dataclass
class Target:
    """What the command line names: the plan's office and year, the user to measure as, and the summary's
    quarter (1–4 or ``all``; ``None``: the page's default)."""

    office: str
    year: str
    user: str | None
    quarter: str | None = None

    @cached_property
    def plan(self) -> ActionPlan:
        return plan_get(office_code=self.office, year_code=self.year)


def _on_plan(prepare: Callable[[ActionPlan, str | None], Scenario]) -> Callable[[Target], Scenario]:
    """A scenario measured on the plan that ``--office`` and ``--year`` name."""

    def prepare_on_plan(target: Target) -> Scenario:
        scenario = prepare(target.plan, target.user)
        scenario.figures = {
            "office": target.plan.office.code,
            "year": plan_year_code(target.plan),
            **scenario.figures,
        }
        return scenario

    return prepare_on_plan


class _HttpsClient(Client):
    """Every request over HTTPS (see the module's docstring)."""

    def generic(self, *args, **kwargs):
        kwargs["secure"] = True
        return super().generic(*args, **kwargs)


def _signed_in(user) -> Client:
    client = _HttpsClient()
    client.force_login(user)  # the session row and last_login are rolled back with everything else
    return client


def _ok(response: HttpResponse, what: str) -> HttpResponse:
    if response.status_code != 200:
        raise DomainError(
            f"{what}: সার্ভার {response.status_code} উত্তর দিয়েছে, ২০০ নয়।",
            f"{what}: the server answered {response.status_code}, not 200.",
        )
    return response


def _member(plan: ActionPlan, username: str | None, roles: tuple[str, ...]):
    """The named user, or the first user holding the first of ``roles`` that anyone holds in the office."""
    memberships = OfficeMembership.objects.select_related("user").filter(office=plan.office, role__in=roles)
    if username:
        memberships = memberships.filter(user__username=username)
    by_role = {m.role: m for m in memberships.order_by("-user__username")}
    membership = next((by_role[role] for role in roles if role in by_role), None)
    if membership is None:
        raise DomainError(
            f"'{plan.office.code}' দপ্তরে এই কাজের উপযুক্ত কোনো ব্যবহারকারী নেই।",
            f"Office '{plan.office.code}' has no user who may do this.",
        )
    return membership.user


def _page(user, url: str, **figures) -> Scenario:
    """GET ``url`` signed in as ``user``; the figures name both, then ``figures``."""
    client = _signed_in(user)
    return Scenario(
        run=lambda: _ok(client.get(url), url), figures={"url": url, "user": user.username, **figures}
    )


def plan_page(plan: ActionPlan, username: str | None) -> Scenario:
    user = _member(plan, username, (Role.OFFICER, Role.CIO))
    url = reverse("workflow:plan", args=[plan.office.code, plan_year_code(plan)])
    return _page(user, url, indicators=plan.indicators.count(), offices=1)


def _named_user(username: str):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise DomainError(f"'{username}' নামের কোনো ব্যবহারকারী নেই।", f"No user '{username}'.")
    return user


def _codes(office_ids: set[int]) -> str:
    return ",".join(Office.objects.filter(pk__in=office_ids).order_by("code").values_list("code", flat=True))


def _reviewer(office_id: int):
    """The first user (by username) holding the reviewer role in the office, or None."""
    membership = (
        OfficeMembership.objects.select_related("user")
        .filter(office_id=office_id, role=Role.REVIEWER)
        .order_by("user__username")
        .first()
    )
    return None if membership is None else membership.user


def _largest_tree_root() -> int | None:
    """The id of the root office (no parent) with the most offices below it: the Cabinet Division in real
    data."""
    table = connection.ops.quote_name(Office._meta.db_table)
    sql = (
        f"WITH RECURSIVE tree(id, root) AS ("
        f"SELECT id, id FROM {table} WHERE parent_id IS NULL "
        f"UNION ALL SELECT child.id, tree.root FROM {table} child JOIN tree ON child.parent_id = tree.id"
        f") SELECT root FROM tree GROUP BY root ORDER BY COUNT(*) DESC, root LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return None if row is None else row[0]


def inbox(target: Target) -> Scenario:
    """The inbox of ``--user``, or else of a reviewer of the office that ``--office`` reports to (the Cabinet
    Division for the demo), unfiltered: its first page."""
    if target.user:
        user = _named_user(target.user)
    else:
        parent_id = office_get(code=target.office).parent_id
        user = _reviewer(parent_id) if parent_id is not None else None
        if user is None:
            raise DomainError(
                "এই দপ্তরের ঊর্ধ্বতন দপ্তরে কোনো পর্যালোচক নেই।",
                "The office above this office has no reviewer.",
            )
    reviewed = permissions.offices_with_role(user, [Role.REVIEWER])
    if not reviewed:
        raise DomainError(
            f"'{user.username}' কোনো দপ্তরের পর্যালোচক নন।", f"'{user.username}' reviews no office."
        )
    page = report_selectors.inbox_page(user, report_selectors.InboxFilters())
    return _page(
        user,
        reverse("workflow:inbox"),
        office=_codes(reviewed),
        year=None,
        offices=Office.objects.filter(parent_id__in=reviewed).count(),
        rows=len(page.rows),
        total_rows=page.counts.total,
        pages=page.pager.num_pages,
        chart_offices=page.chart.offices,
    )


def summary(target: Target) -> Scenario:
    """The summary `/review/summary/` of ``--year`` as a reviewer opens it (the latest quarter past its
    deadline), as ``--user`` or else as a reviewer of the root office of the largest tree — the Cabinet
    Division, who sees the whole country."""
    if target.user:
        user = _named_user(target.user)
    else:
        root_id = _largest_tree_root()
        user = _reviewer(root_id) if root_id is not None else None
        if user is None:
            raise DomainError(
                "সবচেয়ে বড় দপ্তর-বৃক্ষের শীর্ষ দপ্তরে কোনো পর্যালোচক নেই।",
                "The root office of the largest tree has no reviewer.",
            )
    if not report_summary.may_see_summary(user):
        raise DomainError(
            f"'{user.username}' কোনো দপ্তরের পর্যালোচক বা প্রশাসক নন।",
            f"'{user.username}' is no reviewer or administrator of any office.",
        )
    start_year = fiscal_year_start(target.year)
    # By default the page as a reviewer opens it for the year: its latest quarter past the deadline;
    # ``--quarter`` asks for one quarter or for all four (``all``, the largest aggregate).
    query = {"year": target.year}
    if target.quarter is None:
        quarter: int | str = report_summary.default_quarter(start_year)
    elif target.quarter == "all":
        quarter = query["quarter"] = "all"
    else:
        quarter = int(target.quarter)
        query["quarter"] = str(quarter)
    page = report_summary.summary_page(
        user,
        report_summary.SummaryFilters(year=start_year, quarter=None if quarter == "all" else quarter),
    )
    offices = permissions.offices_with_role(user, report_summary.SUMMARY_ROLES)
    return _page(
        user,
        reverse("workflow:summary") + "?" + urlencode(query),
        office=_codes(offices),
        year=target.year,
        quarter=quarter,
        offices=page.total.offices if page.total else 0,
        tiers=len(page.tiers),
        submitted=page.total.submitted if page.total else 0,
    )


@dataclass
class _ScoreAllRun:
    figures: scores.BulkScoreFigures
    snapshots_compared: int = 0
    snapshots_differing: int = 0


def score_all(target: Target) -> Scenario:
    """Score every plan of ``--year`` from its progress (annual, all four quarters) with the scoring service,
    as ``indicators.selectors.plan_scores`` does but reading plain rows in chunks of plans; nothing is
    written. Each plan whose annual period (Q4) was approved is compared with the snapshot taken then: the
    same rows scored by the same rules must give the same percent, so ``snapshots_differing`` is 0 unless
    something changed the data or the rules after approval. The figures count what one run read and scored."""
    start_year = fiscal_year_start(target.year)

    def run() -> _ScoreAllRun:
        result = _ScoreAllRun(figures=scores.BulkScoreFigures())
        approved = dict(
            ReportingPeriod.objects.filter(
                plan__fiscal_year__start_year=start_year,
                quarter=4,
                state__in=report_services.FINAL_STATES,  # approved: the snapshot is the truth
                snapshot_percent__isnull=False,
            ).values_list("plan_id", "snapshot_percent")
        )
        for plan_id, score in scores.year_plan_scores(start_year, figures=result.figures):
            snapshot = approved.get(plan_id)
            if snapshot is not None:
                result.snapshots_compared += 1
                result.snapshots_differing += snapshot != score.percent
        return result

    def describe(result: _ScoreAllRun) -> dict:
        figures = result.figures
        mean = figures.mean_percent
        return {
            "plans": figures.plans,
            "indicators": figures.indicators,
            "progress_rows": figures.progress_rows,
            "mean_percent": None if mean is None else str(mean),
            "snapshots_compared": result.snapshots_compared,
            "snapshots_differing": result.snapshots_differing,
        }

    return Scenario(
        run=run,
        describe=describe,
        warm_up=False,
        per_second=("plans", "indicators", "progress_rows"),
        figures={"office": None, "year": target.year, "chunk_plans": scores.SCORE_CHUNK_PLANS},
    )


def progress_save(plan: ActionPlan, username: str | None) -> Scenario:
    """Save one quarter's value of the plan's first number or percent indicator through the in-place editor
    (an htmx POST, as the browser sends it); after each run the service puts the old value back."""
    user = _member(plan, username, (Role.OFFICER, Role.CIO))
    open_quarters = [p.quarter for p in periods_ensure(plan) if p.state in EDITABLE_STATES]
    indicator = (
        plan.indicators.applicable()
        .exclude(unit=scoring.Unit.DATE)
        .select_related("plan")
        .order_by("position")
    ).first()
    if not open_quarters or indicator is None:
        raise DomainError(
            "এই কর্মপরিকল্পনায় লেখার মতো খোলা ত্রৈমাসিক বা সংখ্যাভিত্তিক সূচক নেই।",
            "This plan has no open quarter or no number indicator to write to.",
        )
    quarter = open_quarters[0]
    url = reverse("workflow:progress", args=[plan.office.code, plan_year_code(plan), indicator.code, quarter])
    client = _signed_in(user)
    stored = Progress.objects.filter(indicator=indicator, quarter=quarter).first()
    original_value = stored.value if stored else None
    original_remark = stored.remark if stored else ""

    changed = (original_value or Decimal(0)) + 1
    form = {"value": format(changed.normalize(), "f"), "remark": original_remark, "version": ""}

    def current() -> Progress | None:
        return Progress.objects.filter(indicator=indicator, quarter=quarter).first()

    def load_form() -> None:
        progress = current()
        form["version"] = "" if progress is None else str(progress.version)

    def run() -> HttpResponse:
        return _ok(client.post(url, form, headers={"HX-Request": "true"}), url)

    def check_and_restore() -> None:
        saved = current()
        if saved is None or saved.value != changed:
            raise DomainError("মান সংরক্ষিত হয়নি।", f"The value was not saved ({url}).")
        progress_record(
            indicator=indicator,
            quarter=quarter,
            value=original_value,
            remark=original_remark,
            user=user,
            expected_version=saved.version,
        )

    return Scenario(
        run=run,
        before_run=load_form,
        after_run=check_and_restore,
        figures={"url": url, "user": user.username, "indicator": indicator.code, "quarter": quarter},
    )


# ---------------------------------------------------------------------------------------------------------
# Reports: the demo's annual report as a draft, without and with 200 pages of evidence (DESIGN.md §8)

REPORT_KIND, REPORT_QUARTER = "annual", 4
#: The evidence of `report-200`: a PDF of this many pages (typeset text and scans) and this many phone
#: photos of about 1.3 MB, one page each (``make_sample_evidence``).
REPORT_200_PDF_PAGES = 180
REPORT_200_PHOTOS = 20


def _report_scenario(plan: ActionPlan, figures: dict | None = None, cleanup=_nothing) -> Scenario:
    from reports.annex import evidence_page_count

    evidence = report_services.report_evidence(plan, REPORT_KIND, REPORT_QUARTER)
    steps: list[tuple[float, str]] = []

    def run() -> report_services.RenderedReport:
        return report_services.render_report(
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


def _attach_sample_evidence(plan: ActionPlan, folder: Path) -> dict:
    """Make the sample files in a child process (so making them does not count in this process's peak
    memory) and attach them: the PDF to the plan's first indicator, the photos in turn to every indicator."""
    from evidence.services import evidence_attach

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
    return {"sample_files": len(files), "sample_bytes": size}


# ---------------------------------------------------------------------------------------------------------
# Report jobs per minute: the worker queue (DESIGN.md §10), with real worker processes

#: Period states in which a job renders a draft (reports.jobs.job_run renders the approved copy, and keeps it
#: for ever, in the final ones).
DRAFT_STATES = tuple(state for state in PeriodState if state not in report_services.FINAL_STATES)
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
        peaks = [peak for process in self.processes if (peak := _status_mb("VmHWM", pid=process.pid))]
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
    """Queue ``jobs`` draft report jobs (``report``: a name of ``reports.jobs.REPORT_NAMES``) for ``jobs``
    plans of ``year`` (fewer plans than jobs: the plans again, in turn) and let ``workers`` worker processes,
    started and ready before the jobs are queued, run them through the database queue.

    ``seconds`` runs from the commit that queued the jobs to the last job finished (the database's times), so
    ``jobs_per_minute`` is the queue's throughput, without the workers' start-up (``startup_s``);
    ``median_ms``/``p95_ms`` are the times of single jobs, from claimed to finished. The jobs are committed —
    workers in other processes cannot see anything else — so everything they leave is deleted afterwards:
    the jobs, their files, their queue rows and the cover letters that rendering created (drafts only, so
    no approved copy is ever kept).
    """
    from django_tasks_db.models import DBTaskResult

    from reports.models import CoverLetter, JobStatus, ReportJob
    from reports.tasks import report_job_run

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
        "p95_ms": round(_percentile(job_ms, 0.95), 1) if job_ms else None,
        "pages": statistics.median([row[3] for row in done]) if done else None,
        "peak_rss_mb": round(_peak_rss_mb(), 1),
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
    from reports.models import ReportJob

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
    from django.core.files.storage import default_storage

    from reports.models import ReportJob

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
    from reports.models import ReportJob

    return ReportJob.objects.filter(pk__in=job_ids).count() + letters.exclude(pk__in=letters_before).count()


SCENARIOS: dict[str, Callable[[Target], Scenario]] = {
    "plan-page": _on_plan(plan_page),
    "inbox": inbox,
    "progress-save": _on_plan(progress_save),
    "report": _on_plan(report),
    "report-200": _on_plan(report_200),
    "summary": summary,
    "score-all": score_all,
}
#: Not a timed `Scenario` (it commits, and runs worker processes): see ``report_jobs``.
REPORT_JOBS = "report-jobs"


def _percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value with at least ``fraction`` of the values at or below."""
    return sorted_values[max(0, math.ceil(fraction * len(sorted_values)) - 1)]


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _status_mb(name: str, *, pid: int | str = "self") -> float | None:
    """A memory figure of a process (this one unless ``pid``) from /proc/<pid>/status (Linux), in MB."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            match = re.search(rf"^{name}:\s+(\d+) kB", status.read(), re.M)
    except OSError:
        return None
    return int(match.group(1)) / 1024 if match else None


class _RunPeak:
    """The highest resident size of the process during a block, in MB (``None`` where it cannot be known).

    On Linux the kernel keeps a high-water mark (VmHWM) that writing "5" to /proc/self/clear_refs resets to
    the current size; where that is refused, a thread samples the resident size every 2 ms instead. The
    reset also lowers what ``getrusage`` reports afterwards, so the mark it clears is kept in ``cleared_mb``
    for the process's own peak.
    """

    def __init__(self) -> None:
        self.mb: float | None = None
        self.cleared_mb: float | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._sampled = 0.0

    def __enter__(self) -> _RunPeak:
        self.cleared_mb = _status_mb("VmHWM")
        try:
            with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
                clear.write("5")
        except OSError:
            if _status_mb("VmRSS") is not None:
                self._thread = threading.Thread(target=self._sample, daemon=True)
                self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.is_set():
            self._sampled = max(self._sampled, _status_mb("VmRSS") or 0.0)
            self._stop.wait(0.002)

    def __exit__(self, *exc) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self.mb = max(self._sampled, _status_mb("VmRSS") or 0.0)
        else:
            self.mb = _status_mb("VmHWM")


def _step_split(start: float, end: float, steps: list[tuple[float, str]]) -> dict[str, float]:
    """How long each reported step took (ms): from its report to the next one, the last one to the end."""
    split: dict[str, float] = {}
    for index, (at, step) in enumerate(steps):
        since = start if index == 0 else at
        until = steps[index + 1][0] if index + 1 < len(steps) else end
        split[step] = split.get(step, 0.0) + (until - since) * 1000
    return split


def _median_steps(runs: list[dict[str, float]]) -> list[dict]:
    """Per step, in the order the steps came: its median time over the runs that had it."""
    names = list(dict.fromkeys(name for run in runs for name in run))
    return [
        {
            "step": name,
            "median_ms": round(statistics.median([run[name] for run in runs if name in run]), 2),
            "runs": sum(1 for run in runs if name in run),
        }
        for name in names
    ]


def _per_second(described: dict, names: tuple[str, ...], median_ms: float) -> dict:
    """``<name>_per_s`` for each named figure, over the median run; and the median in seconds."""
    if not names:
        return {}
    seconds = median_ms / 1000
    rates = {f"{name}_per_s": round(described[name] / seconds) if seconds else None for name in names}
    return {"median_s": round(seconds, 2), **rates}


class Command(BaseCommand):
    help = "একটি পাতা বা কাজের সময় মাপা — benchmark a page or action on the current database (nothing is kept)"

    def add_arguments(self, parser):
        parser.add_argument("scenario", help=f"one of: {', '.join([*SCENARIOS, REPORT_JOBS])}")
        parser.add_argument(
            "--repeat", type=int, default=10, help="timed runs (default 10; not for report-jobs)"
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object (DESIGN.md §8)")
        parser.add_argument(
            "--office", default="mofa", help="office code of the plan (default: the demo, mofa)"
        )
        parser.add_argument("--year", default="2022-23", help="fiscal year of the plan (default 2022-23)")
        parser.add_argument(
            "--user", default=None, help="username to measure as (default: one of the office)"
        )
        parser.add_argument(
            "--jobs", type=int, default=12, help="report-jobs: draft report jobs to queue (default 12)"
        )
        parser.add_argument(
            "--workers", type=int, default=1, help="report-jobs: worker processes to run them (default 1)"
        )
        parser.add_argument(
            "--report",
            default="annual",
            choices=list(REPORT_NAMES),
            help="report-jobs: which report each job renders (default annual)",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=900,
            help="report-jobs: seconds to wait for the jobs before giving up (default 900)",
        )
        parser.add_argument(
            "--quarter",
            choices=["1", "2", "3", "4", "all"],
            default=None,
            help="summary: the quarter to show, or all four (default: the page's own, the latest one due)",
        )

    def handle(self, *args, **options):
        name = options["scenario"]
        if name == REPORT_JOBS:
            self.handle_report_jobs(options)
            return
        prepare = SCENARIOS.get(name)
        if prepare is None:
            known = ", ".join([*SCENARIOS, REPORT_JOBS])
            raise CommandError(
                f"অজানা পরিমাপ '{name}'; আছে: {known} / Unknown scenario '{name}'; known: {known}"
            )
        repeat = options["repeat"]
        if repeat < 1:
            raise CommandError("--repeat অন্তত ১ হতে হবে / --repeat must be at least 1")
        try:
            result = self.measure(name, prepare, repeat, options)
        except DomainError as error:
            raise CommandError(error.message) from error
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            size = f", {result['bytes']} bytes" if "bytes" in result else ""
            self.stdout.write(
                f"{name}: {result['runs']} runs, median {result['median_ms']} ms, p95 {result['p95_ms']} ms, "
                f"{result['queries']} queries{size}, peak RSS {result['peak_rss_mb']} MB"
            )

    def handle_report_jobs(self, options) -> None:
        if options["jobs"] < 1 or options["workers"] < 1:
            raise CommandError("--jobs ও --workers অন্তত ১ / --jobs and --workers must be at least 1")
        try:
            result = report_jobs(
                jobs=options["jobs"],
                workers=options["workers"],
                year=options["year"],
                report=options["report"],
                timeout=options["timeout"],
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(
                f"report-jobs: {result['jobs']} {result['report']} drafts, {result['workers']} workers, "
                f"{result['seconds']} s, {result['jobs_per_minute']} jobs/min, {result['failed']} failed, "
                f"job median {result['median_ms']} ms"
            )

    def measure(self, name: str, prepare, repeat: int, options) -> dict:
        scenario: Scenario | None = None
        # The test client's host name; the view code is the same as behind any other host.
        with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            try:
                with transaction.atomic():
                    target = Target(
                        office=options["office"],
                        year=options["year"],
                        user=options["user"],
                        quarter=options.get("quarter"),
                    )
                    scenario = prepare(target)
                    if scenario.warm_up:
                        scenario.before_run()
                        scenario.run()
                        scenario.after_run()
                    scenario.before_run()
                    with CaptureQueriesContext(connection) as queries:
                        result = scenario.run()
                    query_count = len(queries)  # now: the log is cleared between the timed runs below
                    described = scenario.describe(result)
                    del result  # a large PDF is not kept through the timed runs
                    scenario.after_run()
                    timings, run_peaks, step_runs = [], [], []
                    process_peaks = [_peak_rss_mb()]
                    rss_before_runs = _status_mb("VmRSS")
                    for _ in range(repeat):
                        scenario.before_run()
                        reset_queries()  # DEBUG keeps every query; do not let the log grow across runs
                        if scenario.steps is not None:
                            scenario.steps.clear()
                        gc.collect()  # the garbage of the run before is not counted in this one's peak
                        with _RunPeak() as peak:
                            start = time.perf_counter()
                            scenario.run()
                            end = time.perf_counter()
                        timings.append((end - start) * 1000)
                        run_peaks.append(peak.mb)
                        process_peaks += [peak.cleared_mb or 0.0, peak.mb or 0.0]
                        if scenario.steps is not None:
                            step_runs.append(_step_split(start, end, scenario.steps))
                        scenario.after_run()
                    transaction.set_rollback(True)
            finally:
                # After the rollback, inside the settings above (a scenario may have overridden some too).
                if scenario is not None:
                    scenario.cleanup()
        ordered = sorted(timings)
        known_peaks = [peak for peak in run_peaks if peak is not None]
        return {
            "scenario": name,
            "runs": repeat,
            "median_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(_percentile(ordered, 0.95), 2),
            "min_ms": round(ordered[0], 2),
            "max_ms": round(ordered[-1], 2),
            "peak_rss_mb": round(max(_peak_rss_mb(), *process_peaks), 1),
            "run_peak_rss_mb": round(max(known_peaks), 1) if known_peaks else None,
            "rss_before_runs_mb": round(rss_before_runs, 1) if rss_before_runs is not None else None,
            "queries": query_count,
            **described,
            **_per_second(described, scenario.per_second, statistics.median(ordered)),
            **scenario.figures,
            **({"steps": _median_steps(step_runs)} if scenario.steps is not None else {}),
            "database": connection.vendor,
            "debug": settings.DEBUG,
            "committed": False,
        }
