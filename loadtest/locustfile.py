"""Deadline-day load test (issue 6, BENCHMARKS.md): officers entering progress while reviewers browse.

Run against gunicorn serving the national data set (`generate_load_data`), from the repository root, with
the same environment as the servers (DATABASE_URL …) so that this file can pick the accounts and check the
writes afterwards:

    locust -f loadtest/locustfile.py --headless -u 50 -r 10 -t 60s --host http://127.0.0.1:8001 \
        --csv var/loadtest/run --only-summary

Each officer user signs in as the officer of a different generated office whose fourth quarter is still
open (draft or returned), so no two users write the same value; each save goes the way the browser's in-place
editor does it (GET the form with HX-Request, POST it with the version it was loaded with). Reviewers open the
inbox (first and a later page), the national summary and a child office's plan.

When the run stops, every save that the server answered as stored is looked up in the database: the last value
each user stored for an indicator must be the value there. Any mismatch, or any failed request, makes locust
exit with status 1. The result is also written to var/loadtest/verify.json.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
from decimal import Decimal
from pathlib import Path

import django
from locust import HttpUser, between, events, task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apa_tracker.settings")
django.setup()

from indicators.models import Indicator, OfficeMembership, Progress, ReportingPeriod  # noqa: E402

YEAR = os.environ.get("LOADTEST_YEAR", "2023-24")
PASSWORD = os.environ.get("LOADTEST_PASSWORD", "apa-load-test-1")
OFFICE_PREFIX = os.environ.get("LOADTEST_OFFICE_PREFIX", "lg-")
OUT = Path(os.environ.get("LOADTEST_OUT", "var/loadtest"))
QUARTER = 4  # the deadline being met: the annual report's quarter

VERSION_RE = re.compile(r'name="version" value="(\d*)"')
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

_lock = threading.Lock()
_stored: dict[tuple[str, str], Decimal] = {}  # (office, indicator) → last value the server said it stored
_counts = {"saves": 0, "conflicts": 0}


def _officer_pool(limit: int = 400) -> list[tuple[str, list[str]]]:
    """Offices whose fourth quarter can still be edited, each with its applicable numeric indicators."""
    start_year = int(YEAR[:4])
    plan_ids = list(
        ReportingPeriod.objects.filter(
            quarter=QUARTER,
            state__in=["draft", "returned"],
            plan__fiscal_year__start_year=start_year,
            plan__office__code__startswith=OFFICE_PREFIX,
        )
        .order_by("plan__office__code")
        .values_list("plan_id", flat=True)[:limit]
    )
    codes: dict[int, list[str]] = {}
    offices: dict[int, str] = {}
    rows = (
        Indicator.objects.filter(plan_id__in=plan_ids, applicable=True)
        .exclude(unit="date")
        .values_list("plan_id", "plan__office__code", "code")
    )
    for plan_id, office, code in rows:
        codes.setdefault(plan_id, []).append(code)
        offices[plan_id] = office
    return [(offices[p], codes[p]) for p in plan_ids if codes.get(p)]


def _reviewer_pool() -> list[str]:
    """Reviewers of offices with children: the Cabinet Division's and the ministries' and departments'."""
    names = list(
        OfficeMembership.objects.filter(role="reviewer", office__code__startswith=OFFICE_PREFIX)
        .order_by("office__code")
        .values_list("user__username", flat=True)[:200]
    )
    cabinet = OfficeMembership.objects.filter(role="reviewer", office__parent__isnull=True).values_list(
        "user__username", flat=True
    )
    return [*cabinet.filter(user__username__startswith=OFFICE_PREFIX), *names]


OFFICERS = _officer_pool()
REVIEWERS = _reviewer_pool()
_next_officer = itertools.count()
_next_reviewer = itertools.count()


class SignedIn(HttpUser):
    abstract = True
    username = ""

    def sign_in(self) -> None:
        page = self.client.get("/accounts/login/", name="login form")
        token = CSRF_RE.search(page.text).group(1)
        with self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in of {self.username} answered {response.status_code}")


class Officer(SignedIn):
    """An ICT officer entering the fourth quarter's progress, one indicator after another."""

    weight = 4
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.office, self.codes = OFFICERS[next(_next_officer) % len(OFFICERS)]
        self.username = f"{self.office}.officer"
        self.base = f"/plans/{self.office}/{YEAR}/"
        self.sign_in()
        self.client.get(self.base, name="plan page")

    @task(5)
    def save_progress(self) -> None:
        code = random.choice(self.codes)
        url = f"{self.base}indicators/{code}/q{QUARTER}/"
        form = self.client.get(url, headers={"HX-Request": "true"}, name="progress form")
        version = VERSION_RE.search(form.text)
        token = CSRF_RE.search(form.text)
        if not (version and token):
            return
        value = Decimal(random.randint(1, 100))
        with self.client.post(
            url,
            {
                "value": str(value),
                "remark": "",
                "version": version.group(1),
                "csrfmiddlewaretoken": token.group(1),
            },
            headers={"HX-Request": "true"},
            name="progress save",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or 'class="error"' in response.text:
                response.failure(f"save refused for {self.office} {code}")
                return
            with _lock:
                _stored[(self.office, code)] = value
                _counts["saves"] += 1

    @task(1)
    def plan_page(self) -> None:
        self.client.get(self.base, name="plan page")


class Reviewer(SignedIn):
    """A higher office's reviewer browsing the inbox and the national summary."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.username = REVIEWERS[next(_next_reviewer) % len(REVIEWERS)]
        self.sign_in()

    @task(3)
    def inbox(self) -> None:
        self.client.get("/review/", name="inbox")

    @task(1)
    def inbox_later_page(self) -> None:
        self.client.get("/review/?page=2", name="inbox page 2")

    @task(2)
    def summary(self) -> None:
        self.client.get("/review/summary/", name="national summary")


@events.test_start.add_listener
def _announce(environment, **kwargs) -> None:
    print(f"load test: {len(OFFICERS)} open offices to write to, {len(REVIEWERS)} reviewers, year {YEAR}")
    if not OFFICERS or not REVIEWERS:
        raise SystemExit("no generated data: run `manage.py generate_load_data` first")


@events.quitting.add_listener
def _verify(environment, **kwargs) -> None:
    """Every value the server said it stored is in the database (the last one per indicator)."""
    stored = {
        (office, code): value
        for office, code, value in Progress.objects.filter(
            quarter=QUARTER,
            indicator__plan__fiscal_year__start_year=int(YEAR[:4]),
            indicator__plan__office__code__in={office for office, _ in _stored},
        ).values_list("indicator__plan__office__code", "indicator__code", "value_number")
    }
    missing = [
        {
            "office": office,
            "indicator": code,
            "expected": str(value),
            "found": str(stored.get((office, code))),
        }
        for (office, code), value in sorted(_stored.items())
        if stored.get((office, code)) != value
    ]
    stats = environment.stats.total
    result = {
        "saves_acknowledged": _counts["saves"],
        "values_checked": len(_stored),
        "values_missing_or_different": len(missing),
        "examples": missing[:10],
        "requests": stats.num_requests,
        "failures": stats.num_failures,
        "requests_per_second": round(stats.total_rps, 1),
        "median_ms": stats.get_response_time_percentile(0.5),
        "p95_ms": stats.get_response_time_percentile(0.95),
        "p99_ms": stats.get_response_time_percentile(0.99),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "verify.json").write_text(json.dumps(result, indent=2))
    print("write check:", json.dumps(result))
    if missing or stats.num_failures:
        environment.process_exit_code = 1
