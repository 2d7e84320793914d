"""`bench SCENARIO [--repeat N] --json` (DESIGN.md §8): time a page or an action on the current database.

Each scenario goes through the real stack (URL routing, middleware, session, view, template) with Django's
test client, signed in as a user of the data being measured. One untimed warm-up request fills caches and
creates whatever the page creates on first use (the plan's periods); one untimed request counts the
queries; then ``--repeat`` timed runs.

Nothing is left behind: the whole benchmark runs in one transaction that is rolled back at the end. That is
forced by the domain, not only simpler: a progress save writes append-only history (DESIGN.md §4), which
no restore may delete, so a committed save would always leave rows behind. The price is that the
`progress-save` figure measures the save's statements but not the final COMMIT (on SQLite the fsync).
"""

from __future__ import annotations

import json
import math
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries, transaction
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from apa_tracker.errors import DomainError
from indicators import permissions, scoring
from indicators.models import EDITABLE_STATES, ActionPlan, Office, OfficeMembership, Progress, Role
from indicators.selectors import plan_get, plan_year_code
from indicators.workflow import periods_ensure, progress_record
from reports import selectors as report_selectors


def _nothing() -> None:
    return None


@dataclass
class Scenario:
    """A prepared benchmark: only ``run`` is timed (and its queries counted); ``before_run`` and
    ``after_run`` set up and undo each run outside the measurement."""

    run: Callable[[], HttpResponse]
    figures: dict = field(default_factory=dict)
    before_run: Callable[[], None] = _nothing
    after_run: Callable[[], None] = _nothing


def _signed_in(user) -> Client:
    client = Client()
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


def plan_page(plan: ActionPlan, username: str | None) -> Scenario:
    user = _member(plan, username, (Role.OFFICER, Role.CIO))
    url = reverse("indicators:plan", args=[plan.office.code, plan_year_code(plan)])
    client = _signed_in(user)
    return Scenario(
        run=lambda: _ok(client.get(url), url),
        figures={"url": url, "user": user.username, "indicators": plan.indicators.count(), "offices": 1},
    )


def inbox(plan: ActionPlan, username: str | None) -> Scenario:
    """The inbox of the office the plan's office reports to (the Cabinet Division for the demo)."""
    memberships = OfficeMembership.objects.select_related("user").filter(role=Role.REVIEWER)
    if username:
        memberships = memberships.filter(user__username=username)
    else:
        memberships = memberships.filter(office_id=plan.office.parent_id)
    membership = memberships.order_by("user__username").first()
    if membership is None:
        raise DomainError(
            "এই কর্মপরিকল্পনার ঊর্ধ্বতন দপ্তরে কোনো পর্যালোচক নেই।",
            "The office above this plan's office has no reviewer.",
        )
    user = membership.user
    url = reverse("reports:inbox")
    client = _signed_in(user)
    reviewed = permissions.offices_with_role(user, [Role.REVIEWER])
    rows = report_selectors.inbox_page(user, report_selectors.InboxFilters()).rows
    return Scenario(
        run=lambda: _ok(client.get(url), url),
        figures={
            "url": url,
            "user": user.username,
            "offices": Office.objects.filter(parent_id__in=reviewed).count(),
            "rows": len(rows),
        },
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
    url = reverse(
        "indicators:progress", args=[plan.office.code, plan_year_code(plan), indicator.code, quarter]
    )
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


SCENARIOS: dict[str, Callable[[ActionPlan, str | None], Scenario]] = {
    "plan-page": plan_page,
    "inbox": inbox,
    "progress-save": progress_save,
}


def _percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value with at least ``fraction`` of the values at or below."""
    return sorted_values[max(0, math.ceil(fraction * len(sorted_values)) - 1)]


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


class Command(BaseCommand):
    help = "একটি পাতা বা কাজের সময় মাপা — benchmark a page or action on the current database (nothing is kept)"

    def add_arguments(self, parser):
        parser.add_argument("scenario", help=f"one of: {', '.join(SCENARIOS)}")
        parser.add_argument("--repeat", type=int, default=10, help="timed runs (default 10)")
        parser.add_argument("--json", action="store_true", help="print one JSON object (DESIGN.md §8)")
        parser.add_argument(
            "--office", default="mofa", help="office code of the plan (default: the demo, mofa)"
        )
        parser.add_argument("--year", default="2022-23", help="fiscal year of the plan (default 2022-23)")
        parser.add_argument(
            "--user", default=None, help="username to measure as (default: one of the office)"
        )

    def handle(self, *args, **options):
        name = options["scenario"]
        prepare = SCENARIOS.get(name)
        if prepare is None:
            known = ", ".join(SCENARIOS)
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
            self.stdout.write(
                f"{name}: {result['runs']} runs, median {result['median_ms']} ms, p95 {result['p95_ms']} ms, "
                f"{result['queries']} queries, {result['bytes']} bytes, peak RSS {result['peak_rss_mb']} MB"
            )

    def measure(self, name: str, prepare, repeat: int, options) -> dict:
        # The test client's host name; the view code is the same as behind any other host.
        with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]), transaction.atomic():
            plan = plan_get(office_code=options["office"], year_code=options["year"])
            scenario = prepare(plan, options["user"])
            scenario.before_run()
            scenario.run()  # warm-up
            scenario.after_run()
            scenario.before_run()
            with CaptureQueriesContext(connection) as queries:
                response = scenario.run()
            query_count = len(queries)  # now: the log is cleared between the timed runs below
            scenario.after_run()
            timings = []
            for _ in range(repeat):
                scenario.before_run()
                reset_queries()  # DEBUG keeps every query; do not let the log grow across runs
                start = time.perf_counter()
                scenario.run()
                timings.append((time.perf_counter() - start) * 1000)
                scenario.after_run()
            transaction.set_rollback(True)
        ordered = sorted(timings)
        return {
            "scenario": name,
            "runs": repeat,
            "median_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(_percentile(ordered, 0.95), 2),
            "min_ms": round(ordered[0], 2),
            "max_ms": round(ordered[-1], 2),
            "peak_rss_mb": round(_peak_rss_mb(), 1),
            "queries": query_count,
            "bytes": len(response.content),
            "office": plan.office.code,
            "year": plan_year_code(plan),
            **scenario.figures,
            "database": connection.vendor,
            "debug": settings.DEBUG,
            "committed": False,
        }
