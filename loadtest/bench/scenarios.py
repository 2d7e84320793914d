"""The scenarios ``bench`` knows, by the name the command line gives (DESIGN.md §8)."""

from __future__ import annotations

from collections.abc import Callable

from loadtest.bench.measure import Scenario, Target, on_plan
from loadtest.bench.pages import inbox, plan_page, progress_save, summary
from loadtest.bench.report_render import report, report_200
from loadtest.bench.score_all import score_all

SCENARIOS: dict[str, Callable[[Target], Scenario]] = {
    "plan-page": on_plan(plan_page),
    "inbox": inbox,
    "progress-save": on_plan(progress_save),
    "report": on_plan(report),
    "report-200": on_plan(report_200),
    "summary": summary,
    "score-all": score_all,
}
#: Not a timed `Scenario` (it commits, and runs worker processes): see ``report_jobs``.
REPORT_JOBS = "report-jobs"
