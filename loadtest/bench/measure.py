"""How a benchmark is measured: a prepared ``Scenario``, its warm-up, its query count and its timed runs in
one rolled-back transaction, and the figures of the JSON object (DESIGN.md §8).

Memory: ``peak_rss_mb`` is the process's high-water mark (``getrusage``), warm-up and set-up included;
``run_peak_rss_mb`` the highest resident size during any one timed run (the kernel's high-water mark,
reset before each run; where that cannot be reset, the resident size sampled every few milliseconds). Each
timed run starts after a garbage collection, so that the garbage of the run before does not count in it.
"""

from __future__ import annotations

import gc
import math
import re
import resource
import statistics
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import connection, reset_queries, transaction
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext, override_settings

from indicators.models import ActionPlan
from indicators.selectors import plan_get, plan_year_code


def nothing() -> None:
    """What a scenario's hooks do unless it sets them."""
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
    before_run: Callable[[], None] = nothing
    after_run: Callable[[], None] = nothing
    describe: Callable[[Any], dict] = _response_figures
    steps: list[tuple[float, str]] | None = None
    cleanup: Callable[[], None] = nothing
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


def on_plan(prepare: Callable[[ActionPlan, str | None], Scenario]) -> Callable[[Target], Scenario]:
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


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value with at least ``fraction`` of the values at or below."""
    return sorted_values[max(0, math.ceil(fraction * len(sorted_values)) - 1)]


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def status_mb(name: str, *, pid: int | str = "self") -> float | None:
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
        self.cleared_mb = status_mb("VmHWM")
        try:
            with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
                clear.write("5")
        except OSError:
            if status_mb("VmRSS") is not None:
                self._thread = threading.Thread(target=self._sample, daemon=True)
                self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.is_set():
            self._sampled = max(self._sampled, status_mb("VmRSS") or 0.0)
            self._stop.wait(0.002)

    def __exit__(self, *exc) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self.mb = max(self._sampled, status_mb("VmRSS") or 0.0)
        else:
            self.mb = status_mb("VmHWM")


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


def scenario_measure(name: str, prepare: Callable[[Target], Scenario], target: Target, repeat: int) -> dict:
    """Prepare the scenario, warm it up, count its queries, time ``repeat`` runs; all in one transaction
    that is rolled back (see the package's docstring). The JSON object of DESIGN.md §8."""
    scenario: Scenario | None = None
    # The test client's host name; the view code is the same as behind any other host.
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        try:
            with transaction.atomic():
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
                process_peaks = [peak_rss_mb()]
                rss_before_runs = status_mb("VmRSS")
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
        "p95_ms": round(percentile(ordered, 0.95), 2),
        "min_ms": round(ordered[0], 2),
        "max_ms": round(ordered[-1], 2),
        "peak_rss_mb": round(max(peak_rss_mb(), *process_peaks), 1),
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
