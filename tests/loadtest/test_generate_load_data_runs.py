"""`generate_load_data` runs from scratch: refusals, determinism, failure without traces, the demo beside it,
and the office tree's shape at national and small sizes (pure, no database)."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from evidence.models import Evidence
from indicators.models import (
    FiscalYear,
    HistoryEntry,
    Indicator,
    Office,
    PeriodState,
    PeriodTransition,
    Progress,
    ReportingPeriod,
)
from loadtest.loadgen.generate import MAX_OFFICES
from loadtest.loadgen.office_plan import office_plan_write
from loadtest.loadgen.shared_file import shared_evidence_store
from loadtest.loadgen.tree import PREFIX, ROOT_CODE, office_tree, tree_sizes

BASE_DIR = Path(__file__).resolve().parents[2]
YEAR = "2023-24"


def generate(**options) -> str:
    out = io.StringIO()
    call_command("generate_load_data", year=YEAR, stdout=out, **options)
    return out.getvalue()


def fingerprint() -> dict:
    """Everything a run decides, by codes and usernames (not ids)."""
    generated = {"plan__office__code__startswith": PREFIX}
    return {
        "offices": list(
            Office.objects.filter(code__startswith=PREFIX)
            .order_by("code")
            .values_list("code", "name_bn", "kind", "parent__code", "address_bn")
        ),
        "users": list(
            get_user_model()
            .objects.filter(office_memberships__office__code__startswith=PREFIX)
            .order_by("username")
            .values_list("username", "office_memberships__office__code", "office_memberships__role")
        ),
        "indicators": list(
            Indicator.objects.filter(**generated)
            .order_by("plan__office__code", "position")
            .values_list(
                "plan__office__code",
                "code",
                "weight",
                "applicable",
                *(f"target_{level}_{kind}" for level in (100, 90, 80, 70, 60) for kind in ("number", "date")),
            )
        ),
        "progress": list(
            Progress.objects.filter(indicator__plan__office__code__startswith=PREFIX)
            .order_by("indicator__plan__office__code", "indicator__code", "quarter")
            .values_list(
                "indicator__plan__office__code",
                "indicator__code",
                "quarter",
                "value_number",
                "value_date",
                "remark",
                "recorded_by__username",
                "recorded_at",
            )
        ),
        "periods": list(
            ReportingPeriod.objects.filter(**generated)
            .order_by("plan__office__code", "quarter")
            .values_list("plan__office__code", "quarter", "state", "version", "score_snapshot")
        ),
        "transitions": list(
            PeriodTransition.objects.order_by(
                "period__plan__office__code", "period__quarter", "at"
            ).values_list(
                "period__plan__office__code", "period__quarter", "to_state", "user__username", "at", "comment"
            )
        ),
        "evidence": list(
            Evidence.objects.order_by(
                "indicator__plan__office__code", "indicator__code", "position"
            ).values_list(
                "indicator__plan__office__code", "indicator__code", "quarter", "title", "uploaded_at"
            )
        ),
        "history": Counter(
            HistoryEntry.objects.values_list("kind", "indicator_code", "quarter", "after", "at")
        ),
    }


def run_and_roll_back(**options) -> dict:
    with transaction.atomic():
        generate(**options)
        result = fingerprint()
        transaction.set_rollback(True)
    return result


# --- arguments --------------------------------------------------------------------------------------------


def test_bad_arguments_exit_1_with_a_bangla_message_before_touching_the_database(tmp_path):
    """`--offices 0`, a malformed year and a production site (DJANGO_DEBUG=0) stop the command with exit
    status 1 and a Bangla message on stderr; the database file is not even created."""
    database = tmp_path / "never.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "PYTHONPATH": str(BASE_DIR)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    production = {
        **env,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "apa.example.gov.bd",
    }
    for args, message, environment in (
        (["--offices", "0", "--year", YEAR], "--offices ১ থেকে", env),
        (["--offices", "10", "--year", "2023-25"], "অর্থবছর ভুল", env),
        # Known passwords and a Cabinet Division reviewer have no place on a real site.
        (["--offices", "10", "--year", YEAR], "উৎপাদন সাইটে (DJANGO_DEBUG=0) চালানো যায় না", production),
    ):
        result = subprocess.run(
            [sys.executable, "manage.py", "generate_load_data", *args],
            cwd=BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 1, result.stderr
        assert message in result.stderr
    assert not database.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("offices", "year", "message"),
    [
        (0, YEAR, "--offices ১ থেকে ১০০০০০-এর মধ্যে"),
        (MAX_OFFICES + 1, YEAR, "--offices ১ থেকে ১০০০০০-এর মধ্যে"),
        (10, "২০২৩", "অর্থবছর বোঝা যায়নি"),
    ],
)
def test_refused_arguments_write_nothing(offices, year, message):
    """A refused office count or year raises CommandError with the Bangla reason and writes nothing."""
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("generate_load_data", offices=offices, year=year, stdout=io.StringIO())
    assert not Office.objects.exists() and not FiscalYear.objects.exists()


# --- determinism and failure -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    """Two runs with --seed 3 write identical offices, users, plans, values, states, times, evidence and
    history; --seed 4 writes different ones."""
    first = run_and_roll_back(offices=40, seed=3)
    assert first["progress"] and first["transitions"]
    assert run_and_roll_back(offices=40, seed=3) == first
    other = run_and_roll_back(offices=40, seed=4)
    assert other["offices"] != first["offices"] and other["progress"] != first["progress"]


@pytest.mark.django_db
def test_a_failure_half_way_leaves_nothing_behind(monkeypatch):
    """If writing fails after several chunks were written, no office, user, plan, fiscal year or stored file is
    left: the whole run is one transaction and the shared evidence file is removed again."""
    stored = []

    def store():
        shared = shared_evidence_store()
        stored.append(shared)
        return shared

    calls = 0

    def fail_on_the_thirtieth(*args):
        nonlocal calls
        calls += 1
        if calls == 30:
            raise RuntimeError("disk full")
        return office_plan_write(*args)

    monkeypatch.setattr("loadtest.loadgen.generate.shared_evidence_store", store)
    monkeypatch.setattr("loadtest.loadgen.office_plan.office_plan_write", fail_on_the_thirtieth)
    with pytest.raises(RuntimeError, match="disk full"):
        generate(offices=60)
    assert calls == 30 and stored and stored[0].stored_now
    assert not Office.objects.exists()
    assert not get_user_model().objects.exists()
    assert not FiscalYear.objects.exists()
    assert not HistoryEntry.objects.exists() and not Evidence.objects.exists()
    assert not default_storage.exists(stored[0].name)


# --- beside the demo -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_generated_tree_hangs_under_the_demos_cabinet_division(client):
    """After `load_demo`, the generated ministries hang under the demo's Cabinet Division (one root), the
    demo's cabinet.reviewer sees their sent periods in /review/, and `load_demo` still runs afterwards."""
    call_command("load_demo", password="test-pass-123", stdout=io.StringIO())
    generate(offices=30, seed=5)
    assert list(Office.objects.filter(parent=None).values_list("code", flat=True)) == ["cabinet"]
    children = set(Office.objects.filter(parent__code="cabinet").values_list("code", flat=True))
    assert {"mofa", "msw", "sid"} <= children and any(c.startswith(PREFIX) for c in children)
    sent = (
        ReportingPeriod.objects.filter(
            state__in=[PeriodState.SENT, PeriodState.ACCEPTED], plan__office__parent__code="cabinet"
        )
        .select_related("plan__office")
        .first()
    )
    client.force_login(get_user_model().objects.get(username="cabinet.reviewer"))
    body = client.get("/review/", {"year": YEAR}).content.decode()
    assert sent.plan.office.name_bn in body
    call_command("load_demo", password="test-pass-123", stdout=io.StringIO())
    assert Office.objects.filter(code__startswith=PREFIX).count() == 30


# --- the tree (pure) -----------------------------------------------------------------------------------------


def test_the_national_tree_has_the_real_proportions():
    """At 24,000 offices: 55 ministries and divisions (58 with the demo's three), 400 departments and
    agencies, the rest field offices over the eight divisions, 64 districts and their upazilas."""
    sizes = tree_sizes(24_000)
    assert (sizes.ministries, sizes.departments, sizes.field_offices) == (55, 400, 23_545)
    tree = office_tree(24_000, seed=1)
    levels = Counter(spec.level for spec in tree)
    assert levels[1] == 55 and levels[2] == 400 and sum(levels[level] for level in (3, 4, 5)) == 23_545
    assert levels[3] < levels[4] < levels[5]
    districts = {spec.code.rsplit("-dist-", 1)[1] for spec in tree if spec.level == 4}
    assert len(districts) == 64


@pytest.mark.parametrize("offices", [1, 2, 7, 120, 2_400])
def test_any_size_gives_exactly_that_many_offices_parents_first(offices):
    """Exactly N offices with unique ASCII codes of at most 64 characters, every parent listed before its
    children (or the root), deterministic for a seed."""
    tree = office_tree(offices, seed=2)
    assert len(tree) == offices
    seen = {ROOT_CODE}
    for spec in tree:
        assert spec.parent in seen, spec
        assert re.fullmatch(r"lg-[a-z0-9-]+", spec.code) and len(spec.code) <= 64
        assert spec.code not in seen
        seen.add(spec.code)
    assert office_tree(offices, seed=2) == tree
