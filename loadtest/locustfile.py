"""Deadline-day load test (issue 6, BENCHMARKS.md): officers entering progress while reviewers browse.

Run against gunicorn serving the national data set (`generate_load_data`), from the repository root, with
the same environment as the servers (DATABASE_URL …) so that this file can pick the accounts and check the
writes afterwards:

    locust -f loadtest/locustfile.py --headless -u 50 -r 10 -t 60s --stop-timeout 10 \
        --host http://127.0.0.1:8001 --csv var/loadtest/run --only-summary

Four users in five are officers: each signs in as the officer of a different generated office whose fourth
quarter is still open (draft or returned), so no two users write the same value, and saves progress the way
the browser's in-place editor does (GET the form with HX-Request, POST it back with the version and the remark
it was loaded with). The others are reviewers of offices that have offices below them (the Cabinet Division
first: the whole country): they open the inbox (its first and second page) and the national summary.

Several app servers (docs/deployment.md): ``LOADTEST_HOSTS=http://127.0.0.1:8001,http://127.0.0.1:8002`` gives
the users to the servers in turn, each user keeping its server (and its session there) for the whole run; the
figures are then the deployment's, and ``per_host`` in verify.json splits them by server.

When the run stops, every save that the server answered as stored is looked up in the database: the last value
each user stored for an indicator must be the value there. A save still in flight when the run was stopped
(none with ``--stop-timeout``) may or may not have been stored: for those the value before or the value sent
both count. Any mismatch, or any failed request, makes locust exit with status 1. The result is also written
to var/loadtest/verify.json (``LOADTEST_OUT``).
"""

from __future__ import annotations

import csv
import html
import itertools
import json
import math
import os
import random
import re
import resource
import threading
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import django
from locust import HttpUser, between, events, task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apa_tracker.settings")
django.setup()

from django.db.models import Exists, OuterRef  # noqa: E402

from indicators import scoring  # noqa: E402
from indicators.models import (  # noqa: E402
    EDITABLE_STATES,
    Indicator,
    Office,
    OfficeMembership,
    Progress,
    ReportingPeriod,
    Role,
)
from indicators.selectors import fiscal_year_start  # noqa: E402
from loadtest.loadgen.generate import DEFAULT_PASSWORD  # noqa: E402
from loadtest.loadgen.tree import PREFIX  # noqa: E402

YEAR = os.environ.get("LOADTEST_YEAR", "2023-24")
START_YEAR = fiscal_year_start(YEAR)
PASSWORD = os.environ.get("LOADTEST_PASSWORD", os.environ.get("APA_LOAD_PASSWORD", DEFAULT_PASSWORD))
OFFICE_PREFIX = os.environ.get("LOADTEST_OFFICE_PREFIX", PREFIX)
OUT = Path(os.environ.get("LOADTEST_OUT", "var/loadtest"))
#: Seconds each user waits between tasks, "min,max": 1–3 s as a person does; "0,0" asks for the servers'
#: saturation throughput (BENCHMARKS.md, capacity with one and two app servers).
WAIT = tuple(float(part) for part in os.environ.get("LOADTEST_WAIT", "1,3").split(","))
HOSTS = [host.strip().rstrip("/") for host in os.environ.get("LOADTEST_HOSTS", "").split(",") if host.strip()]
QUARTER = 4  # the deadline being met: the annual report's quarter

VERSION_RE = re.compile(r'name="version" value="(\d*)"')
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REMARK_RE = re.compile(r'<textarea[^>]*name="remark"[^>]*>(.*?)</textarea>', re.S)
#: What a stored save answers: the indicator's row (its <tbody id="ind-…">) and the totals, no form.
ROW_RE = re.compile(r'<tbody id="ind-')

_lock = threading.Lock()
_stored: dict[tuple[str, str], Decimal] = {}  # (office, indicator) → last value the server said it stored
_in_flight: dict[tuple[str, str], Decimal] = {}  # sent, not answered yet (the run may stop in between)
_counts = {"saves": 0}
#: Every request as (start, name, milliseconds, failed, server), start in seconds since the test started:
#: for the figures after the sign-ins (below) and var/loadtest/requests.csv.
Row = tuple[float, str, float, bool, str]
_requests: list[Row] = []
_started = [time.time()]
SIGN_IN_NAMES = ("login form", "login")


def _officer_pool(limit: int = 400) -> list[tuple[str, list[str]]]:
    """Offices whose fourth quarter can still be edited, each with its applicable numeric indicators."""
    plan_ids = list(
        ReportingPeriod.objects.filter(
            quarter=QUARTER,
            state__in=EDITABLE_STATES,
            plan__fiscal_year__start_year=START_YEAR,
            plan__office__code__startswith=OFFICE_PREFIX,
        )
        .order_by("plan__office__code")
        .values_list("plan_id", flat=True)[:limit]
    )
    codes: dict[int, list[str]] = {}
    offices: dict[int, str] = {}
    rows = (
        Indicator.objects.filter(plan_id__in=plan_ids)
        .applicable()
        .exclude(unit=scoring.Unit.DATE)
        .values_list("plan_id", "plan__office__code", "code")
    )
    for plan_id, office, code in rows:
        codes.setdefault(plan_id, []).append(code)
        offices[plan_id] = office
    return [(offices[p], codes[p]) for p in plan_ids if codes.get(p)]


def _reviewer_pool(limit: int = 200) -> list[str]:
    """Generated reviewers of offices with offices below them: the Cabinet Division's first (the whole
    country in the summary), then the ministries', departments' and divisional offices'."""
    has_children = Exists(Office.objects.filter(parent_id=OuterRef("office_id")))
    reviewers = (
        OfficeMembership.objects.filter(role=Role.REVIEWER, user__username__startswith=OFFICE_PREFIX)
        .filter(has_children)
        .order_by("office__code", "user__username")
    )
    roots = reviewers.filter(office__parent__isnull=True).values_list("user__username", flat=True)
    others = reviewers.filter(office__parent__isnull=False).values_list("user__username", flat=True)
    return [*roots, *others[:limit]]


OFFICERS = _officer_pool()
REVIEWERS = _reviewer_pool()
_next_officer = itertools.count()
_next_reviewer = itertools.count()
_next_host = itertools.count()


class SignedIn(HttpUser):
    abstract = True
    username = ""

    def on_start(self) -> None:
        if HOSTS:
            self.client.base_url = HOSTS[next(_next_host) % len(HOSTS)]

    def sign_in(self) -> None:
        with self.client.get("/accounts/login/", name="login form", catch_response=True) as page:
            token = CSRF_RE.search(page.text)
            if page.status_code != 200 or token is None:
                page.failure(f"sign-in form answered {page.status_code} without a CSRF token")
                return
        with self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in of {self.username} answered {response.status_code}")


class Officer(SignedIn):
    """An ICT officer entering the fourth quarter's progress, one indicator after another."""

    weight = 4
    wait_time = between(*WAIT)

    def on_start(self) -> None:
        super().on_start()
        self.office, self.codes = OFFICERS[next(_next_officer) % len(OFFICERS)]
        self.username = f"{self.office}.officer"
        self.base = f"/plans/{self.office}/{YEAR}/"
        self.sign_in()
        self.plan_page()

    @task(5)
    def save_progress(self) -> None:
        code = random.choice(self.codes)
        url = f"{self.base}indicators/{code}/q{QUARTER}/"
        with self.client.get(
            url, headers={"HX-Request": "true"}, name="progress form", catch_response=True
        ) as form:
            version = VERSION_RE.search(form.text)
            token = CSRF_RE.search(form.text)
            remark = REMARK_RE.search(form.text)
            if form.status_code != 200 or not (version and token and remark):
                form.failure(f"no editor for {self.office} {code} ({form.status_code})")
                return
        value = Decimal(random.randint(1, 100))
        key = (self.office, code)
        with _lock:
            _in_flight[key] = value
        with self.client.post(
            url,
            {
                "value": str(value),
                "remark": html.unescape(remark.group(1)),
                "version": version.group(1),
                "csrfmiddlewaretoken": token.group(1),
            },
            headers={"HX-Request": "true"},
            name="progress save",
            catch_response=True,
        ) as response:
            stored = (
                response.status_code == 200
                and ROW_RE.search(response.text)
                and "progress-form" not in response.text
            )
            with _lock:
                _in_flight.pop(key, None)
                if stored:
                    _stored[key] = value
                    _counts["saves"] += 1
            if not stored:
                response.failure(f"save refused for {self.office} {code} ({response.status_code})")

    @task(1)
    def plan_page(self) -> None:
        self.client.get(self.base, name="plan page")


class Reviewer(SignedIn):
    """A higher office's reviewer browsing the inbox and the national summary."""

    weight = 1
    wait_time = between(*WAIT)

    def on_start(self) -> None:
        super().on_start()
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


@events.request.add_listener
def _record(request_type, name, response_time, exception=None, start_time=None, url="", **kwargs) -> None:
    started = (start_time or time.time()) - _started[0]
    _requests.append((started, name, response_time, exception is not None, urlsplit(url).netloc))


def _percentile(values: list[float], fraction: float) -> float | None:
    """Nearest rank, as bench does (locust's own percentiles are rounded to two significant digits)."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(fraction * len(ordered)) - 1)], 1)


def _figures(rows: list[Row], seconds: float) -> dict:
    times = [row[2] for row in rows]
    return {
        "requests": len(rows),
        "failures": sum(1 for row in rows if row[3]),
        "requests_per_second": round(len(rows) / seconds, 1) if seconds > 0 else None,
        "median_ms": _percentile(times, 0.5),
        "p95_ms": _percentile(times, 0.95),
        "p99_ms": _percentile(times, 0.99),
    }


def request_figures(rows: list[Row], duration: float) -> dict:
    """The whole run, per request name, per server, and the part of the run after the last sign-in was answered (the
    deadline-day traffic itself: every user signed in, saving and browsing), without the sign-ins."""
    names = sorted({row[1] for row in rows})
    hosts = sorted({row[4] for row in rows})
    sign_ins = [row for row in rows if row[1] in SIGN_IN_NAMES]
    settled_at = max((row[0] + row[2] / 1000 for row in sign_ins), default=0.0)
    settled = [row for row in rows if row[0] >= settled_at and row[1] not in SIGN_IN_NAMES]
    return {
        "duration_s": round(duration, 1),
        "total": _figures(rows, duration),
        "per_name": {name: _figures([row for row in rows if row[1] == name], duration) for name in names},
        "per_host": {host: _figures([row for row in rows if row[4] == host], duration) for host in hosts},
        "after_sign_in": {
            "from_s": round(settled_at, 1),
            **_figures(settled, duration - settled_at),
            "per_name": {
                name: _figures([row for row in settled if row[1] == name], duration - settled_at)
                for name in names
                if name not in SIGN_IN_NAMES
            },
        },
    }


@events.test_start.add_listener
def _announce(environment, **kwargs) -> None:
    _started[0] = time.time()
    print(f"load test: {len(OFFICERS)} open offices to write to, {len(REVIEWERS)} reviewers, year {YEAR}")
    if not OFFICERS or not REVIEWERS:
        raise SystemExit("no generated data: run `manage.py generate_load_data` first")


def write_check(acknowledged: dict, in_flight: dict) -> dict:
    """Compare what the server acknowledged with the database: the fourth quarter's value of every indicator
    written to. An unanswered save (``in_flight``) may have been stored or not; either value counts."""
    offices = {office for office, _ in [*acknowledged, *in_flight]}
    found = {
        (office, code): value
        for office, code, value in Progress.objects.filter(
            quarter=QUARTER,
            indicator__plan__fiscal_year__start_year=START_YEAR,
            indicator__plan__office__code__in=offices,
        ).values_list("indicator__plan__office__code", "indicator__code", "value_number")
    }
    missing = [
        {"office": office, "indicator": code, "expected": str(value), "found": str(found.get((office, code)))}
        for (office, code), value in sorted(acknowledged.items())
        if found.get((office, code)) != value and found.get((office, code)) != in_flight.get((office, code))
    ]
    return {
        "values_checked": len(acknowledged),
        "values_missing_or_different": len(missing),
        "saves_in_flight_at_stop": len(in_flight),
        "examples": missing[:10],
    }


@events.quitting.add_listener
def _verify(environment, **kwargs) -> None:
    """Every value the server said it stored is in the database (the last one per indicator)."""
    with _lock:
        acknowledged, in_flight = dict(_stored), dict(_in_flight)
    check = write_check(acknowledged, in_flight)
    stats = environment.stats.total
    usage = resource.getrusage(resource.RUSAGE_SELF)
    rows = list(_requests)
    duration = max((row[0] + row[2] / 1000 for row in rows), default=0.0)
    result = {
        "saves_acknowledged": _counts["saves"],
        **check,
        "requests": stats.num_requests,
        "failures": stats.num_failures,
        "requests_per_second": round(stats.total_rps, 1),
        "median_ms": stats.get_response_time_percentile(0.5),
        "p95_ms": stats.get_response_time_percentile(0.95),
        "p99_ms": stats.get_response_time_percentile(0.99),
        "locust_cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        **request_figures(rows, duration),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "verify.json").write_text(json.dumps(result, indent=2))
    with open(OUT / "requests.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["start_s", "name", "ms", "failed", "server"])
        writer.writerows(
            (round(start, 3), name, round(ms, 1), int(failed), host) for start, name, ms, failed, host in rows
        )
    print(
        "write check:",
        json.dumps({key: result[key] for key in ("saves_acknowledged", *check, "requests", "failures")}),
    )
    print("figures:", json.dumps({key: result[key] for key in ("total", "after_sign_in", "locust_cpu_s")}))
    if check["values_missing_or_different"] or stats.num_failures or not acknowledged:
        environment.process_exit_code = 1
