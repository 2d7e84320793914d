"""`score-all`: every plan of ``--year`` scored from its progress with the scoring service, reading the rows
in chunks of plans (``indicators.scores.year_plan_scores``); nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from indicators import scores
from indicators.models import ReportingPeriod
from indicators.selectors import fiscal_year_start
from loadtest.bench.measure import Scenario, Target
from reports import letter as report_letter


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
                state__in=report_letter.FINAL_STATES,  # approved: the snapshot is the truth
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
