"""`manage.py bench SCENARIO --json` (DESIGN.md §8): one JSON object per run, nothing left behind.

No timing assertions: the figures depend on the machine; only their shape and meaning are checked.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from base.errors import DomainError
from evidence.models import Evidence
from indicators.models import HistoryEntry, PeriodTransition, Progress, ReportingPeriod
from indicators.periods import periods_ensure
from indicators.scores import plan_score
from loadtest.bench.report_jobs import WorkerPool
from reports.models import CoverLetter, ReportJob
from tests.factories import accept_earlier_quarters
from tests.workflow.test_inbox import send_mofa_quarter
from workflow.transitions import period_transition

PROJECT_ROOT = Path(__file__).resolve().parents[2]
COMMON_KEYS = {"scenario", "runs", "median_ms", "p95_ms", "peak_rss_mb", "queries", "bytes", "office", "year"}


def bench(scenario: str, *args: str) -> dict:
    out = StringIO()
    call_command("bench", scenario, "--repeat", "2", "--json", *args, stdout=out)
    return json.loads(out.getvalue())  # fails unless the output is exactly one JSON document


def database_state() -> dict:
    """What a benchmark could change: progress values, history, periods, transitions, sessions, logins,
    evidence and cover letters."""
    return {
        "evidence": sorted(Evidence.objects.values_list("pk", "file")),
        "cover_letters": CoverLetter.objects.count(),
        "progress": sorted(
            Progress.objects.values_list("indicator_id", "quarter", "value_number", "version")
        ),
        "history": HistoryEntry.objects.count(),
        "periods": sorted(ReportingPeriod.objects.values_list("plan_id", "quarter", "state", "version")),
        "transitions": PeriodTransition.objects.count(),
        "sessions": Session.objects.count(),
        "last_login": sorted(get_user_model().objects.values_list("username", "last_login")),
    }


def assert_common_shape(result: dict, scenario: str) -> None:
    assert COMMON_KEYS <= result.keys()
    assert (result["scenario"], result["runs"], result["office"], result["year"]) == (
        scenario,
        2,
        "mofa",
        "2022-23",
    )
    assert 0 < result["median_ms"] <= result["p95_ms"]
    assert result["peak_rss_mb"] > 0
    assert result["queries"] > 0 and result["bytes"] > 0


def test_bench_plan_page_reports_queries_bytes_and_indicators(demo):
    """plan-page renders the demo plan for a MoFA member and reports its queries, size and indicators."""
    result = bench("plan-page")
    assert_common_shape(result, "plan-page")
    assert (result["url"], result["user"], result["indicators"]) == (
        "/plans/mofa/2022-23/",
        "mofa.officer",
        12,
    )


def assert_reviewer_shape(result: dict, scenario: str) -> None:
    """The figures of a page a reviewer sees (no plan: the office is the reviewed one)."""
    assert (COMMON_KEYS - {"office", "year"}) <= result.keys()
    assert (result["scenario"], result["runs"], result["committed"]) == (scenario, 2, False)
    assert 0 < result["median_ms"] <= result["p95_ms"]
    assert result["peak_rss_mb"] > 0 and result["queries"] > 0 and result["bytes"] > 0


def test_bench_inbox_measures_the_cabinet_reviewers_inbox(demo):
    """inbox renders /review/ for cabinet.reviewer (the reviewer of MoFA's parent office): its child
    offices, and the rows it really shows."""
    result = bench("inbox")
    assert_reviewer_shape(result, "inbox")
    assert (result["url"], result["user"], result["office"], result["year"]) == (
        "/review/",
        "cabinet.reviewer",
        "cabinet",
        None,
    )
    assert (result["offices"], result["rows"], result["total_rows"], result["pages"]) == (3, 0, 0, 1)

    send_mofa_quarter(demo)
    result = bench("inbox")
    assert (result["rows"], result["total_rows"], result["chart_offices"]) == (1, 1, 1)


def test_bench_inbox_as_a_named_reviewer_needs_no_plan(demo):
    """With --user the inbox is measured without any plan: an office code that has no plan is no error."""
    result = bench("inbox", "--user", "cabinet.reviewer", "--office", "no-such-office", "--year", "2030-31")
    assert (result["user"], result["office"], result["offices"]) == ("cabinet.reviewer", "cabinet", 3)


@pytest.mark.parametrize("scenario", ["inbox", "summary"])
def test_bench_reviewer_pages_refuse_a_user_who_reviews_nothing(demo, scenario):
    """An officer has no inbox and no summary: a Bangla/English error instead of timing an empty page."""
    with pytest.raises(CommandError, match=r"mofa.officer.*(reviews no office|no reviewer)"):
        bench(scenario, "--user", "mofa.officer")


def test_bench_summary_measures_the_whole_tree_as_the_cabinet_reviewer(demo):
    """summary renders /review/summary/ for the year, as it opens (the latest quarter past its deadline), as
    the reviewer of the root of the largest tree (the Cabinet Division in the demo): the four offices below
    it."""
    send_mofa_quarter(demo)
    result = bench("summary")
    assert_reviewer_shape(result, "summary")
    assert (result["url"], result["user"], result["office"], result["year"]) == (
        "/review/summary/?year=2022-23",
        "cabinet.reviewer",
        "cabinet",
        "2022-23",
    )
    assert (result["offices"], result["tiers"], result["quarter"]) == (4, 3, 4)  # 2022-23 is over: Q4
    assert result["submitted"] == 0  # MoFA sent its Q1, not its annual report


@pytest.mark.parametrize(
    ("quarter", "query", "shown"), [("all", "&quarter=all", "all"), ("1", "&quarter=1", 1)]
)
def test_bench_summary_of_a_chosen_quarter_or_all_four(demo, quarter, query, shown):
    """--quarter measures the summary of one quarter or of all four together (the largest aggregate): the
    page is asked for it, and the figures count that quarter's (or all quarters') submitted reports."""
    send_mofa_quarter(demo)
    result = bench("summary", "--quarter", quarter)
    assert (result["url"], result["quarter"]) == (f"/review/summary/?year=2022-23{query}", shown)
    assert result["submitted"] == 1  # MoFA's Q1, in Q1 and in all four


def test_bench_score_all_scores_every_plan_of_the_year(demo):
    """score-all scores the year's plans from their progress: the demo's one plan, its 12 indicators and its
    progress values, with the same percent as the plan page; rates per second of the median run."""
    result = bench("score-all")
    values = Progress.objects.filter(indicator__plan=demo).exclude(value_number=None, value_date=None).count()
    assert (result["scenario"], result["runs"], result["office"], result["year"]) == (
        "score-all",
        2,
        None,
        "2022-23",
    )
    assert (result["plans"], result["indicators"], result["progress_rows"]) == (1, 12, values)
    assert result["mean_percent"] == str(plan_score(demo).percent)
    # The approved annual snapshots, the year's plans, then areas, activities, indicators and progress for
    # the one chunk.
    assert result["queries"] == 1 + 1 + 4
    assert (result["snapshots_compared"], result["snapshots_differing"]) == (0, 0)  # Q4 not approved
    assert result["plans_per_s"] > 0 and result["progress_rows_per_s"] > 0
    assert result["median_s"] == round(result["median_ms"] / 1000, 2)
    assert "bytes" not in result


def test_bench_score_all_compares_with_the_approved_annual_snapshot(demo):
    """With the annual period (Q4) approved, the recomputed percent is compared with its snapshot: equal while
    the data is as approved; a value changed behind the workflow's back shows as one differing snapshot."""
    period = periods_ensure(demo)[3]
    accept_earlier_quarters(demo, 4)
    users = get_user_model().objects
    for action, username in [("submit", "mofa.officer"), ("approve", "mofa.cio")]:
        period.refresh_from_db()
        period_transition(
            period=period, action=action, user=users.get(username=username), expected_version=period.version
        )
    result = bench("score-all")
    assert (result["snapshots_compared"], result["snapshots_differing"]) == (1, 0)

    Progress.objects.filter(indicator__plan=demo, indicator__code="1.3.1", quarter=4).update(value_number=0)
    result = bench("score-all")
    assert (result["snapshots_compared"], result["snapshots_differing"]) == (1, 1)


def test_bench_score_all_of_a_year_without_plans_scores_nothing(demo):
    """A year with no plans is measured as nothing to do, not an error."""
    result = bench("score-all", "--year", "2030-31")
    assert (result["plans"], result["indicators"], result["progress_rows"], result["mean_percent"]) == (
        0,
        0,
        0,
        None,
    )


def test_bench_progress_save_saves_through_the_view_and_restores(demo):
    """progress-save posts a value to an open quarter and reports the save's queries; the value is back."""

    def stored() -> tuple:
        progress = Progress.objects.get(indicator__plan=demo, indicator__code="1.3.1", quarter=1)
        return progress.value, progress.version

    before = stored()
    result = bench("progress-save")
    assert_common_shape(result, "progress-save")
    assert (result["indicator"], result["quarter"], result["committed"]) == ("1.3.1", 1, False)
    assert result["url"] == "/plans/mofa/2022-23/indicators/1.3.1/q1/"
    assert stored() == before == (80, before[1])


@pytest.mark.parametrize("scenario", ["plan-page", "inbox", "progress-save", "summary", "score-all"])
def test_bench_leaves_nothing_behind(demo, scenario):
    """No progress value, history entry, period, transition, session or last-login time is kept."""
    periods_ensure(demo)  # the plan page would create them on first view; compare like with like
    before = database_state()
    bench(scenario)
    assert database_state() == before


def test_bench_progress_save_refuses_a_plan_with_no_open_quarter(demo):
    """With every quarter submitted there is nothing to save: a Bangla/English error, nothing changed."""
    periods_ensure(demo)
    demo.periods.update(state="submitted")
    with pytest.raises(CommandError, match=r"খোলা ত্রৈমাসিক.*no open quarter"):
        bench("progress-save")


@pytest.mark.django_db
def test_bench_unknown_scenario_is_an_error_in_bangla_and_english():
    """An unknown scenario names the known ones, in Bangla and English."""
    with pytest.raises(CommandError) as raised:
        call_command("bench", "report-9000", "--json", stdout=StringIO())
    message = str(raised.value)
    assert "অজানা পরিমাপ" in message and "Unknown scenario 'report-9000'" in message
    assert "plan-page, inbox, progress-save" in message


@pytest.mark.django_db
def test_bench_repeat_must_be_positive():
    """--repeat 0 is refused rather than printing a median of nothing."""
    with pytest.raises(CommandError, match="--repeat"):
        call_command("bench", "plan-page", "--repeat", "0", stdout=StringIO())


def test_bench_unknown_scenario_exits_1_with_message_on_stderr():
    """From the shell: exit status 1, the message on stderr, nothing on stdout (DESIGN.md §8)."""
    completed = subprocess.run(
        [sys.executable, "manage.py", "bench", "nope", "--json"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 1
    assert "Unknown scenario 'nope'" in completed.stderr and "অজানা পরিমাপ" in completed.stderr
    assert completed.stdout == ""


# --- report and report-200 ----------------------------------------------------------------------------


def files_under(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*")) if folder.exists() else []


def bench_folders() -> set[str]:
    return {path.name for path in Path(tempfile.gettempdir()).glob("apa-bench-*")}


def assert_report_shape(result: dict, scenario: str, evidence_files: int, evidence_pages: int) -> None:
    assert_common_shape(result, scenario)
    assert (result["kind"], result["quarter"], result["draft"]) == ("annual", 4, True)
    assert (result["evidence_files"], result["evidence_pages"]) == (evidence_files, evidence_pages)
    assert result["pages"] == result["generated_pages"] + evidence_pages
    assert result["generated_pages"] >= 5  # cover, letter, table, index, introduction
    # All memory figures are measured; the process's peak (getrusage) takes in every run's, up to the rounding
    # of two different measurements (/proc sampling vs ru_maxrss). RSS may drop between samples, so a run's
    # sampled peak is not compared with the RSS before the runs.
    assert result["rss_before_runs_mb"] > 0 and result["run_peak_rss_mb"] > 0
    assert result["run_peak_rss_mb"] <= result["peak_rss_mb"] + 2
    # The time split: every step of every timed run, in the order render_report reports them.
    steps = result["steps"]
    assert steps and all(step["runs"] <= 2 and step["median_ms"] >= 0 for step in steps)
    assert steps[0]["step"] == "প্রমাণক তালিকা তৈরি হচ্ছে" and steps[-1]["step"] == "সম্পন্ন"
    assert all(step["median_ms"] <= result["max_ms"] for step in steps)


def test_bench_report_renders_the_demo_annual_report(demo, settings):
    """report renders the demo's annual report as a draft (no evidence) and splits its time by step."""
    periods_ensure(demo)
    before = database_state()
    result = bench("report")
    assert_report_shape(result, "report", 0, 0)
    assert "sample_files" not in result
    assert database_state() == before


def test_bench_report_200_attaches_the_sample_evidence_and_leaves_nothing_behind(demo, settings, monkeypatch):
    """report-200 attaches a sample PDF and photos (smaller here: 4 pages and 2 photos) inside the
    rolled-back transaction, with their files in a temporary folder: afterwards no row, no stored file
    and no temporary folder is left, and the settings are the project's again."""
    monkeypatch.setattr("loadtest.bench.report_render.REPORT_200_PDF_PAGES", 4)
    monkeypatch.setattr("loadtest.bench.report_render.REPORT_200_PHOTOS", 2)
    periods_ensure(demo)
    before, folders = database_state(), bench_folders()
    storages, hosts = settings.STORAGES, settings.ALLOWED_HOSTS
    private = Path(settings.STORAGES["default"]["OPTIONS"]["location"])

    result = bench("report-200")

    assert_report_shape(result, "report-200", 3, 4 + 2)
    assert (result["sample_files"], result["committed"]) == (3, False)
    assert result["sample_bytes"] > 2 * 800_000  # the photos are phone-sized
    assert result["bytes"] > result["sample_bytes"] / 2  # the evidence is in the PDF, copied, not redrawn
    steps = [step["step"] for step in result["steps"]]
    # One layout of the generated part, one assembly that stamps as it goes (issue 15.6).
    assert steps == [
        "প্রমাণক তালিকা তৈরি হচ্ছে",
        "প্রতিবেদন তৈরি হচ্ছে",
        "পিডিএফ লেখা হচ্ছে",
        "৩টি প্রমাণক একত্র ও পৃষ্ঠা নম্বর করা হচ্ছে",
        "সম্পন্ন",
    ]
    assert database_state() == before
    assert files_under(private) == [] and bench_folders() == folders
    assert (settings.STORAGES, settings.ALLOWED_HOSTS) == (storages, hosts)


def test_bench_report_200_works_on_a_plan_that_already_has_evidence(demo, settings, monkeypatch):
    """The plan's own evidence (stored in the project's storage) is in the report with the sample's: its
    file is read from the project's storage into the temporary one, which was a FileNotFoundError."""
    from evidence.services import evidence_attach
    from tests.files import text_pdf

    monkeypatch.setattr("loadtest.bench.report_render.REPORT_200_PDF_PAGES", 2)
    monkeypatch.setattr("loadtest.bench.report_render.REPORT_200_PHOTOS", 1)
    periods_ensure(demo)
    evidence_attach(
        indicator=demo.indicators.order_by("pk").first(),
        title="আগের প্রমাণক",
        data=text_pdf("Already there"),
        original_name="already.pdf",
    )
    private = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    stored = files_under(private)
    result = bench("report-200")
    assert_report_shape(result, "report-200", 1 + 2, 1 + 2 + 1)
    assert files_under(private) == stored  # the project's storage untouched


def test_bench_report_200_works_when_the_plans_quarters_are_locked(demo, settings, monkeypatch):
    """With every quarter submitted or approved, the sample is still attached (the periods opened again
    inside the rolled-back transaction) and afterwards the periods are as they were."""
    monkeypatch.setattr("loadtest.bench.report_render.REPORT_200_PDF_PAGES", 2)
    monkeypatch.setattr("loadtest.bench.report_render.REPORT_200_PHOTOS", 1)
    accept_earlier_quarters(demo, 4)
    period = demo.periods.get(quarter=4)
    officer = get_user_model().objects.get(username="mofa.officer")
    period_transition(period=period, action="submit", user=officer, expected_version=period.version)
    before = database_state()
    result = bench("report-200")
    assert_report_shape(result, "report-200", 2, 2 + 1)
    assert result["periods_reopened"] == 4
    assert database_state() == before


def test_bench_report_200_cleans_up_when_the_sample_cannot_be_made(demo, settings, monkeypatch):
    """A failed set-up is an error in Bangla and English, and still leaves nothing behind."""

    def failing(command, **kwargs):
        Path(command[command.index("--out") + 1]).mkdir(parents=True)
        return subprocess.CompletedProcess(command, 1, "", "no space left on device")

    monkeypatch.setattr("loadtest.bench.report_render.subprocess.run", failing)
    before, folders, storages = database_state(), bench_folders(), settings.STORAGES
    with pytest.raises(CommandError, match=r"নমুনা প্রমাণক.*no space left on device"):
        bench("report-200")
    assert database_state() == before
    assert bench_folders() == folders and settings.STORAGES == storages


# --- report-jobs ----------------------------------------------------------------------------------------


class InProcessWorkers:
    """Stands in for the worker processes of report-jobs: each poll runs the queue once in this process
    (`report_worker --batch`'s loop), inside the test's transaction; ``run`` False runs nothing."""

    def __init__(self, count: int, *, run: bool = True, fail: bool = False):
        self.count, self.run, self.fail = count, run, fail
        self.ready = self.stopped = False
        self.polls = 0

    def wait_ready(self) -> None:
        self.ready = True

    def poll(self) -> None:
        from reports.management.commands.report_worker import run_worker

        assert self.ready, "jobs must be queued only once the workers are ready"
        self.polls += 1
        if self.fail:
            raise DomainError("একটি প্রতিবেদন-কর্মী থেমে গেছে।", "A report worker exited with status 1:\nboom")
        if self.run:
            run_worker(batch=True)

    def peak_rss_mb(self) -> None:
        return None

    def cpu_seconds(self) -> None:
        return None

    def stop(self) -> None:
        self.stopped = True


class StartedPools(list):
    """The pools report-jobs started; ``options`` says how the next one behaves (``run``, ``fail``)."""

    def __init__(self):
        super().__init__()
        self.options: dict = {}

    def start(self, count: int) -> InProcessWorkers:
        self.append(InProcessWorkers(count, **self.options))
        return self[-1]


@pytest.fixture
def workers(monkeypatch) -> StartedPools:
    """report-jobs' workers, in this process."""
    pools = StartedPools()
    # The worker closes "old" connections between tasks, as a long-running process must; here that would
    # end the test's own transaction (tests/deploy/test_worker.py does the same).
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    monkeypatch.setattr("loadtest.bench.report_jobs.start_report_workers", pools.start)
    return pools


def jobs_state(private: Path) -> dict:
    """What report-jobs could leave behind: jobs, queue rows, cover letters and stored files."""
    return {
        "jobs": ReportJob.objects.count(),
        "tasks": DBTaskResult.objects.count(),
        "cover_letters": sorted(CoverLetter.objects.values_list("pk", flat=True)),
        "files": files_under(private),
        **database_state(),
    }


def test_bench_report_jobs_runs_queued_drafts_through_the_workers_and_leaves_nothing(demo, settings, workers):
    """report-jobs queues N draft annual reports (the demo's one plan, twice), lets the workers run them
    through the database queue, and reports jobs per minute over the time from queueing to the last one
    done; the jobs, their PDFs, their queue rows and the cover letter rendering created are gone after."""
    periods_ensure(demo)
    CoverLetter.objects.filter(period__plan=demo).delete()  # rendering creates the Q4 letter
    private = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    before = jobs_state(private)

    out = StringIO()
    call_command("bench", "report-jobs", "--jobs", "2", "--workers", "1", "--json", stdout=out)
    result = json.loads(out.getvalue())

    assert [pool.count for pool in workers] == [1] and workers[0].stopped
    assert (result["scenario"], result["report"], result["kind"], result["quarter"]) == (
        "report-jobs",
        "annual",
        "annual",
        4,
    )
    assert {"runs", "median_ms", "p95_ms", "peak_rss_mb"} <= result.keys() and result["runs"] == 2
    assert (result["jobs"], result["plans"], result["workers"], result["done"], result["failed"]) == (
        2,
        1,
        1,
        2,
        0,
    )
    assert result["draft"] is True and result["committed"] is True and result["left_behind"] == 0
    assert result["seconds"] > 0
    assert result["jobs_per_minute"] == pytest.approx(2 / result["seconds"] * 60, rel=0.01)
    assert 0 < result["median_ms"] <= result["p95_ms"] <= result["seconds"] * 1000
    assert result["pages"] >= 5  # the generated part of the annual report: cover, letter, table, index …
    assert jobs_state(private) == before


def test_bench_report_jobs_cleans_up_when_a_worker_dies(demo, settings, workers):
    """A worker that exits is an error in Bangla and English with its last output; the queued jobs and their
    queue rows are still deleted and the workers stopped."""
    periods_ensure(demo)
    private = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    before = jobs_state(private)
    workers.options["fail"] = True
    with pytest.raises(CommandError, match=r"প্রতিবেদন-কর্মী থেমে গেছে.*exited with status 1:\nboom"):
        call_command("bench", "report-jobs", "--jobs", "2", stdout=StringIO())
    assert workers[0].stopped
    assert jobs_state(private) == before


def test_bench_report_jobs_gives_up_after_the_timeout(demo, settings, workers):
    """Jobs that nobody runs end the benchmark after --timeout with an error; nothing is left queued."""
    periods_ensure(demo)
    private = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    before = jobs_state(private)
    workers.options["run"] = False
    with pytest.raises(CommandError, match=r"সময়মতো শেষ হয়নি.*did not finish within 0.2 s"):
        call_command("bench", "report-jobs", "--jobs", "1", "--timeout", "0.2", stdout=StringIO())
    assert workers[0].polls >= 1 and workers[0].stopped
    assert jobs_state(private) == before


def test_bench_report_jobs_renders_drafts_only(demo, workers):
    """Plans whose period is approved would keep an approved copy for ever: they are not used, and with no
    draft left the benchmark refuses before starting any worker."""
    periods_ensure(demo)
    demo.periods.update(state="approved")
    with pytest.raises(CommandError, match=r"খসড়া অবস্থার.*quarter 4 is still a draft"):
        call_command("bench", "report-jobs", "--jobs", "1", stdout=StringIO())
    assert workers == []


@pytest.mark.django_db
@pytest.mark.parametrize("option", ["--jobs", "--workers"])
def test_bench_report_jobs_needs_at_least_one_job_and_worker(option, workers):
    """--jobs 0 or --workers 0 is refused before anything is queued or started."""
    with pytest.raises(CommandError, match="at least 1"):
        call_command("bench", "report-jobs", option, "0", stdout=StringIO())
    assert workers == []


class FakeProcess:
    """A `report_worker` process as subprocess.Popen returns it: prints its start line, runs until signalled."""

    instances: list[FakeProcess] = []

    def __init__(self, command, *, env, stdout, stderr, cwd, **options):
        self.command, self.env = command, env
        self.signals: list[int] = []
        self.returncode = None
        self.stdout = StringIO("worker bench-1 started (every 0.1 s)\n")
        self.pid = 999_999_999  # no such process: its memory is unknown
        FakeProcess.instances.append(self)

    def poll(self):
        return self.returncode

    def send_signal(self, signum):
        self.signals.append(signum)
        self.returncode = 0

    def wait(self, timeout=None):
        return self.returncode

    def kill(self):
        self.returncode = -9


def test_worker_pool_starts_report_workers_with_the_queue_mode_and_stops_them(monkeypatch):
    """The real pool runs `manage.py report_worker` with this environment and APA_REPORT_JOBS=worker, is ready
    once each has printed its start line, and stops them with SIGTERM (each finishes its job first)."""
    import signal

    FakeProcess.instances = []
    monkeypatch.setattr("loadtest.bench.report_jobs.subprocess.Popen", FakeProcess)
    monkeypatch.setenv("APA_REPORT_JOBS", "thread")
    pool = WorkerPool(2)
    pool.wait_ready(timeout=5)
    assert len(FakeProcess.instances) == 2
    for process in FakeProcess.instances:
        assert process.command[1:3] == [str(PROJECT_ROOT / "manage.py"), "report_worker"]
        assert process.env["APA_REPORT_JOBS"] == "worker"
    assert pool.peak_rss_mb() is None and pool.cpu_seconds() is None
    pool.stop()
    assert [process.signals for process in FakeProcess.instances] == [[signal.SIGTERM]] * 2


def test_worker_pool_reports_a_worker_that_exited_with_its_output(monkeypatch):
    """poll() raises, in Bangla and English, with the exit status and the worker's last lines."""
    FakeProcess.instances = []
    monkeypatch.setattr("loadtest.bench.report_jobs.subprocess.Popen", FakeProcess)
    pool = WorkerPool(1)
    pool.wait_ready(timeout=5)
    FakeProcess.instances[0].returncode = 3
    with pytest.raises(DomainError) as raised:
        pool.poll()
    assert "থেমে গেছে" in raised.value.message_bn
    assert "status 3" in raised.value.message_en and "bench-1 started" in raised.value.message_en
