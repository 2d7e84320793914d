"""`generate_load_data` (DESIGN.md §8, issue 6): the data set it writes, checked on one run of 120 offices.

The run happens once for the module, inside a transaction that is rolled back when the module is done (each
test's own changes are rolled back to a savepoint by the `db` fixture as usual).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import random
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import override_settings
from pypdf import PdfReader

from evidence.models import Evidence
from indicators import scoring
from indicators.history import history_text
from indicators.models import (
    ActionPlan,
    Approval,
    HistoryEntry,
    HistoryKind,
    Indicator,
    Office,
    OfficeKind,
    PerformanceArea,
    PeriodState,
    PeriodTransition,
    Progress,
    ReportingPeriod,
    default_deadline,
)
from indicators.scores import plan_scores
from loadtest.loadgen.generate import ROOT_REVIEWER
from loadtest.loadgen.plans import SUBORDINATE_REPORTS_INDICATOR, plan_template, quarter_of
from loadtest.loadgen.tree import PREFIX, ROOT_CODE
from reports.approvals import score_snapshot, standing_approvals_verify
from workflow.transitions import STATE_RANK, TRANSITIONS

OFFICES = 120
YEAR = "2023-24"
START_YEAR = 2023
SEED = 7
LEVEL_KINDS = {
    1: {OfficeKind.MINISTRY, OfficeKind.DIVISION},
    2: {OfficeKind.DEPARTMENT, OfficeKind.AGENCY},
    3: {OfficeKind.DIVISIONAL},
    4: {OfficeKind.DISTRICT},
    5: {OfficeKind.UPAZILA},
}


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker, tmp_path_factory) -> dict:
    """One run of the command: its output, the password it printed and the folder of the stored files."""
    folder = tmp_path_factory.mktemp("load") / "private"
    storage = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": folder, "base_url": None},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with (
        django_db_blocker.unblock(),
        override_settings(
            STORAGES=storage,
            PRIVATE_FILES_ROOT=folder,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        transaction.atomic(),
    ):
        name = str(connection.settings_dict["NAME"])
        assert Path(name).name.startswith("test") or "memory" in name, f"not the test database: {name}"
        out = io.StringIO()
        call_command("generate_load_data", offices=OFFICES, year=YEAR, seed=SEED, stdout=out)
        text = out.getvalue()
        password = re.search(r"^পাসওয়ার্ড / password: (.+)$", text, re.MULTILINE)[1]
        yield {"output": text, "password": password, "folder": folder}
        transaction.set_rollback(True)


def generated_offices():
    return Office.objects.filter(code__startswith=PREFIX)


def depth(office: Office, parents: dict[int, int | None]) -> int:
    level, node = 0, office.pk
    while parents[node] is not None:
        node = parents[node]
        level += 1
    return level


# --- the office tree ------------------------------------------------------------------------------------


def test_exactly_the_requested_number_of_offices_hang_under_the_cabinet_division(generated, db):
    """--offices N writes N offices, all below the one root, the Cabinet Division (code `cabinet`)."""
    assert generated_offices().count() == OFFICES
    roots = list(Office.objects.filter(parent=None))
    assert [r.code for r in roots] == [ROOT_CODE]
    assert roots[0].name_bn == "মন্ত্রিপরিষদ বিভাগ"
    assert not generated_offices().filter(parent=None).exists()


def test_each_level_of_the_tree_has_its_kind_and_the_levels_grow(generated, db):
    """Ministries/divisions → departments/agencies → divisional → district → upazila offices, each office of
    the kind of its level, every field office in its own department's network, fewer ministries than
    departments and fewer departments than field offices."""
    parents = dict(Office.objects.values_list("pk", "parent_id"))
    offices = {o.pk: o for o in Office.objects.all()}
    levels: Counter[int] = Counter()
    for office in generated_offices():
        level = depth(office, parents)
        levels[level] += 1
        assert office.kind in LEVEL_KINDS[level], (office.code, level, office.kind)
        if level >= 3:  # a field office: its department (level 2 above it) names it and prefixes its code
            department = office
            for _ in range(level - 2):
                department = offices[parents[department.pk]]
            assert office.code.startswith(f"{department.code}-")
            assert office.name_bn.endswith(f", {department.name_bn}")
    assert set(levels) == {1, 2, 3, 4, 5}
    assert levels[1] < levels[2] < levels[3] + levels[4] + levels[5]


def test_names_are_bangla_and_codes_ascii(generated, db):
    """Offices carry realistic Bangla names (জেলা/উপজেলা কার্যালয় of a department) and ASCII slug codes."""
    names = list(generated_offices().values_list("code", "name_bn", "kind"))
    assert all(re.fullmatch(r"[a-z0-9-]+", code) and len(code) <= 64 for code, _name, _kind in names)
    assert all(re.search(r"[\u0980-\u09ff]", name) for _code, name, _kind in names)
    assert any(kind == OfficeKind.DISTRICT and " জেলা কার্যালয়, " in name for _c, name, kind in names)
    assert any(kind == OfficeKind.UPAZILA and " উপজেলা কার্যালয়, " in name for _c, name, kind in names)


# --- plans ------------------------------------------------------------------------------------------------


def test_the_template_is_a_13_indicator_plan_whose_areas_keep_their_marks():
    """Issue 6 asks for a 13-indicator plan per office: the demo plan's 12 and the Smart Bangladesh action
    plan indicator of the 2023-24 plans, placed at the end of area 1, its marks taken from 1.2.2."""
    template = plan_template(START_YEAR)
    assert [i.code for i in template.indicators] == [
        *("1.1.1", "1.2.1", "1.2.2", "1.3.1", "1.4.1", "1.4.2", "1.5.1"),
        *("2.1.1", "2.2.1", "2.2.2", "2.2.3", "2.2.4", "2.2.5"),
    ]
    weights = {i.code: i.weight for i in template.indicators}
    assert (weights["1.2.2"], weights["1.5.1"]) == (4, 3)
    for area_code, _title, marks in template.areas:
        assert sum(i.weight for i in template.indicators if i.area_code == area_code) == marks
    smart = template.indicators[6]
    assert smart.unit is scoring.Unit.DATE and smart.activity_code == "1.5"
    assert smart.targets[100] == datetime.date(START_YEAR + 1, 3, 31)


def test_every_office_has_one_plan_with_the_template_structure(generated, db):
    """One plan per office for the year, with the demo plan's areas, activities and indicators; in every area
    the indicator weights sum to the area's marks (DESIGN.md §2) and every set of targets passes the checks
    of §3.5 — while weights and targets differ between offices."""
    template = plan_template(START_YEAR)
    plans = ActionPlan.objects.filter(office__code__startswith=PREFIX, fiscal_year__start_year=START_YEAR)
    assert plans.count() == OFFICES
    weight_sums: dict[int, Counter] = defaultdict(Counter)  # area id → summed weights
    area_marks = dict(PerformanceArea.objects.filter(plan__in=plans).values_list("pk", "marks"))
    variants = set()
    indicators = Indicator.objects.filter(plan__in=plans).select_related("activity")
    per_plan = Counter()
    for indicator in indicators:
        per_plan[indicator.plan_id] += 1
        weight_sums[indicator.activity.area_id]["weight"] += indicator.weight
        variants.add((indicator.code, indicator.weight, indicator.target(100)))
        problems = scoring.check_targets(
            unit=indicator.unit,
            calc_method=indicator.calc_method,
            scoring_method=indicator.scoring_method,
            direction=indicator.direction,
            targets=indicator.targets,
        )
        assert not [p for p in problems if p.is_error], (indicator.plan_id, indicator.code, problems)
    assert set(per_plan.values()) == {len(template.indicators)}
    assert len(area_marks) == OFFICES * len(template.areas)
    assert {area: sums["weight"] for area, sums in weight_sums.items()} == area_marks
    assert len(variants) > 3 * len(template.indicators), "targets and weights vary between offices"


def test_subordinate_reports_indicator_is_not_applicable_exactly_without_subordinate_offices(generated, db):
    """The "subordinate offices' reports" indicator is not applicable, with the reason, to offices without
    child offices and applicable to the others; a not-applicable indicator has no progress."""
    with_children = set(Office.objects.exclude(children=None).values_list("pk", flat=True))
    rows = Indicator.objects.filter(
        plan__office__code__startswith=PREFIX, code=SUBORDINATE_REPORTS_INDICATOR
    ).values_list("plan__office_id", "applicable", "not_applicable_reason")
    for office_id, applicable, reason in rows:
        if office_id not in with_children:
            assert (applicable, reason) == (False, "আওতাধীন কোনো দপ্তর/সংস্থা নেই।")
    assert any(applicable for office_id, applicable, _r in rows if office_id in with_children)
    assert not Progress.objects.filter(indicator__applicable=False).exists()


def test_progress_is_entered_for_all_four_quarters(generated, db):
    """The year is over: an average or cumulative indicator that was reported at all has a value in each of
    the four quarters (a few offices reported nothing for some indicators); sums and dates report in some."""
    quarters = defaultdict(set)
    for indicator_id, quarter in Progress.objects.filter(
        indicator__calc_method__in=["average", "cumulative"],
        indicator__plan__office__code__startswith=PREFIX,
        value_number__isnull=False,
    ).values_list("indicator_id", "quarter"):
        quarters[indicator_id].add(quarter)
    applicable = Indicator.objects.filter(
        applicable=True,
        calc_method__in=["average", "cumulative"],
        plan__office__code__startswith=PREFIX,
    ).count()
    assert applicable * 0.8 < len(quarters) <= applicable
    assert all(q == {1, 2, 3, 4} for q in quarters.values())
    dates = Progress.objects.filter(indicator__unit="date", value_date__isnull=False)
    assert dates.exists() and all(quarter_of(p.value_date) == p.quarter for p in dates)


def test_annual_scores_spread_over_the_whole_range(generated, db):
    """Offices score from below 60 % (zero marks for the weak indicators) to excellent, as the scoring service
    computes them from the stored progress."""
    plans = list(ActionPlan.objects.filter(office__code__startswith=PREFIX).select_related("office"))
    percents = sorted(score.percent for score in plan_scores(plans).values())
    assert percents[0] < 60 and percents[-1] >= 95
    assert 5 <= sum(p < 60 for p in percents) <= OFFICES // 2
    assert 70 <= percents[len(percents) // 2] <= 95


# --- workflow ---------------------------------------------------------------------------------------------


def test_states_versions_and_transitions_agree(generated, db):
    """Every period's transitions are allowed steps from draft that end in its state, in time order, made by
    the office's officer or CIO and by the parent office's reviewer; the version counts them; the deadline is
    the default one."""
    parent_code = dict(generated_offices().values_list("code", "parent__code"))
    transitions = defaultdict(list)
    for t in PeriodTransition.objects.select_related("user").order_by("at", "pk"):
        transitions[t.period_id].append(t)
    periods = ReportingPeriod.objects.filter(plan__office__code__startswith=PREFIX).select_related(
        "plan__office"
    )
    assert periods.count() == 4 * OFFICES
    for period in periods:
        code = period.plan.office.code
        steps = transitions[period.pk]
        assert period.deadline == default_deadline(START_YEAR, period.quarter)
        assert period.version == len(steps)
        state = PeriodState.DRAFT
        for step in steps:
            action = next(
                a
                for a, t in TRANSITIONS.items()
                if step.from_state in t.from_states and t.to_state == step.to_state
            )
            assert step.from_state == state
            state = step.to_state
            reviewer = ROOT_REVIEWER if parent_code[code] == "cabinet" else f"{parent_code[code]}.reviewer"
            expected_users = {
                "submit": {f"{code}.officer", f"{code}.cio"},
                "return": {f"{code}.cio"},
                "approve": {f"{code}.cio"},
                "send": {f"{code}.cio"},
                "review_return": {reviewer},
                "accept": {reviewer},
            }[action]
            assert step.user.username in expected_users, (code, action, step.user.username)
            if action in ("return", "review_return"):
                assert step.comment
        assert period.state == state
        assert [s.at for s in steps] == sorted(s.at for s in steps)


def test_the_year_closes_with_a_realistic_mix_of_states(generated, db):
    """Q1–Q3 are mostly accepted; on the annual report's deadline Q4 is a mix of draft, submitted, approved,
    sent and returned; some periods were submitted after their deadline."""
    states = Counter(
        ReportingPeriod.objects.filter(plan__office__code__startswith=PREFIX).values_list("quarter", "state")
    )
    for quarter in (1, 2, 3):
        assert states[(quarter, PeriodState.ACCEPTED)] > OFFICES / 2
    for state in (PeriodState.DRAFT, PeriodState.SUBMITTED, PeriodState.APPROVED, PeriodState.SENT):
        assert states[(4, state)] > 0, state
    assert any(states[(q, PeriodState.RETURNED)] for q in (1, 2, 3, 4))
    late = [
        t
        for t in PeriodTransition.objects.filter(to_state=PeriodState.SUBMITTED).select_related("period")
        if t.at.date() > t.period.deadline
    ]
    assert late


def test_snapshots_are_the_scoring_services_result(generated, db):
    """Every approval is a version with the score snapshot the workflow would have stored (recomputed here
    from the stored rows for a sample); a period holds its standing approval's snapshot exactly when it is
    approved, sent or accepted; the quarters are in order."""
    approvals = Counter(
        PeriodTransition.objects.filter(to_state=PeriodState.APPROVED).values_list("period_id", flat=True)
    )
    assert Counter(Approval.objects.values_list("period_id", flat=True)) == approvals
    periods = list(ReportingPeriod.objects.filter(plan__office__code__startswith=PREFIX))
    final = (PeriodState.APPROVED, PeriodState.SENT, PeriodState.ACCEPTED)
    standing = {a.period_id: a for a in Approval.objects.standing()}
    for period in periods:
        assert (period.score_snapshot is not None) == (period.state in final) == (period.pk in standing)
    sample = random.Random(1).sample([p for p in periods if p.pk in standing], 25)
    for period in sample:
        assert period.score_snapshot == score_snapshot(period) == standing[period.pk].score_snapshot, period
    ranks: dict[int, list[int]] = {}
    for period in sorted(periods, key=lambda p: (p.plan_id, p.quarter)):
        ranks.setdefault(period.plan_id, []).append(STATE_RANK[period.state])
    assert all(r == sorted(r, reverse=True) for r in ranks.values())


# --- evidence and history -------------------------------------------------------------------------------


def test_evidence_rows_share_one_stored_file_with_its_true_hash(generated, db):
    """All evidence rows point at one stored PDF whose bytes match their SHA-256, size and page count, and
    belong to a quarter in which their indicator reported a value."""
    evidence = Evidence.objects.filter(indicator__plan__office__code__startswith=PREFIX)
    assert evidence.count() > OFFICES
    files = set(evidence.values_list("file", "sha256", "size", "page_count"))
    assert len(files) == 1
    name, sha256, size, pages = files.pop()
    data = FileSystemStorage(location=generated["folder"]).open(name).read()
    assert (hashlib.sha256(data).hexdigest(), len(data), len(PdfReader(io.BytesIO(data)).pages)) == (
        sha256,
        size,
        pages,
    )
    with_values = set(
        Progress.objects.exclude(value_number=None, value_date=None).values_list("indicator_id", "quarter")
    )
    assert set(evidence.values_list("indicator_id", "quarter")) <= with_values


def test_history_holds_every_value_evidence_and_transition(generated, db):
    """The append-only history has what the services would have written: an entry per value (its text as
    history_text gives it), per evidence file and per transition, with the same user."""
    history = HistoryEntry.objects.filter(plan__office__code__startswith=PREFIX)
    values = {
        (p.indicator_id, p.quarter): (history_text(p.value), p.recorded_by_id)
        for p in Progress.objects.exclude(value_number=None, value_date=None)
    }
    entries = {
        (h.indicator_id, h.quarter): (h.after, h.user_id) for h in history.filter(kind=HistoryKind.VALUE)
    }
    assert entries == values
    assert history.filter(kind=HistoryKind.EVIDENCE_ADDED).count() == Evidence.objects.count()
    states = Counter(
        history.filter(kind=HistoryKind.STATE).values_list("plan_id", "quarter", "after", "user_id")
    )
    transitions = Counter(
        PeriodTransition.objects.values_list("period__plan_id", "period__quarter", "to_state", "user_id")
    )
    assert states == transitions


# --- users and screens ------------------------------------------------------------------------------------


def test_generated_users_sign_in_with_the_printed_password(generated, db, client):
    """`<office code>.officer` signs in through the login form with the password the command printed."""
    username = f"{generated_offices().order_by('code').first().code}.officer"
    assert f"পাসওয়ার্ড / password: {generated['password']}" in generated["output"]
    response = client.post("/accounts/login/", {"username": username, "password": generated["password"]})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(get_user_model().objects.get(username=username).pk)
    wrong = client.post("/accounts/login/", {"username": username, "password": "not-the-password"})
    assert wrong.status_code == 200


def test_an_officer_sees_their_own_plan_and_not_another_offices(generated, db, client):
    """Anonymous → login page; the officer → their plan (200); another office's plan → 404."""
    own, other = generated_offices().order_by("code")[:2]
    url = f"/plans/{own.code}/{YEAR}/"
    assert client.get(url).status_code == 302
    client.post("/accounts/login/", {"username": f"{own.code}.officer", "password": generated["password"]})
    response = client.get(url)
    assert response.status_code == 200
    assert own.name_bn in response.content.decode()
    assert client.get(f"/plans/{other.code}/{YEAR}/").status_code == 404


def test_a_ministrys_reviewer_sees_its_departments_sent_periods(generated, db, client):
    """`<ministry>.reviewer` finds the sent periods of the ministry's departments in /review/, and not the
    periods of another ministry's departments."""
    sent = ReportingPeriod.objects.filter(
        state=PeriodState.SENT, plan__office__kind__in=[OfficeKind.DEPARTMENT, OfficeKind.AGENCY]
    ).select_related("plan__office__parent")
    period = sent.first()
    department, ministry = period.plan.office, period.plan.office.parent
    elsewhere = sent.exclude(plan__office__parent=ministry).first()
    client.post(
        "/accounts/login/", {"username": f"{ministry.code}.reviewer", "password": generated["password"]}
    )
    body = client.get("/review/", {"year": YEAR, "state": "sent"}).content.decode()
    assert department.name_bn in body
    if elsewhere is not None:
        assert elsewhere.plan.office.name_bn not in body


def test_a_second_run_is_refused_and_changes_nothing(generated, db):
    """While generated data exists another run stops with a Bangla message (exit status 1) and writes
    nothing."""
    before = (generated_offices().count(), get_user_model().objects.count(), HistoryEntry.objects.count())
    with pytest.raises(CommandError, match="আগেই তৈরি করা লোড-পরীক্ষার তথ্য আছে"):
        call_command("generate_load_data", offices=10, year=YEAR, stdout=io.StringIO())
    assert (
        generated_offices().count(),
        get_user_model().objects.count(),
        HistoryEntry.objects.count(),
    ) == before


def test_removing_one_generated_evidence_row_keeps_the_file_the_others_share(
    generated, db, settings, django_capture_on_commit_callbacks
):
    """An officer removes evidence of an open quarter through the service: the row goes, the shared file stays
    for every other row (evidence_remove deletes a stored file only with the last row that uses it)."""
    from evidence.services import evidence_remove

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": generated["folder"], "base_url": None},
        },
    }
    open_periods = ReportingPeriod.objects.filter(
        state__in=[PeriodState.DRAFT, PeriodState.RETURNED], plan__office__code__startswith=PREFIX
    )
    evidence = next(
        e
        for p in open_periods.select_related("plan__office")
        for e in Evidence.objects.filter(indicator__plan=p.plan, quarter=p.quarter)[:1]
    )
    officer = get_user_model().objects.get(username=f"{evidence.indicator.plan.office.code}.officer")
    name = evidence.file.name
    with django_capture_on_commit_callbacks(execute=True):
        evidence_remove(evidence=evidence, user=officer, reason="ভুল ফাইল")
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert Evidence.objects.filter(file=name).exists()
    assert FileSystemStorage(location=generated["folder"]).exists(name)


def test_generated_approvals_agree_with_the_generated_data(generated, db):
    """verify_reports' check of standing approvals passes on the generated data: every approval's marks are
    those recomputed from the rows (the data set is what the workflow would have produced)."""
    result = standing_approvals_verify()
    assert result.checked > OFFICES
    assert result.problems == []
