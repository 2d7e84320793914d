"""`bench SCENARIO [--repeat N] --json` (DESIGN.md §8): time a page or an action on the current database; the
scenarios and how they are measured are in `loadtest.bench`."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from base.errors import DomainError
from loadtest.bench.measure import Target, scenario_measure
from loadtest.bench.report_jobs import report_jobs
from loadtest.bench.scenarios import REPORT_JOBS, SCENARIOS
from reports.naming import REPORT_NAMES


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
        target = Target(
            office=options["office"],
            year=options["year"],
            user=options["user"],
            quarter=options.get("quarter"),
        )
        try:
            result = scenario_measure(name, prepare, target, repeat)
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
