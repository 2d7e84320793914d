"""The period workflow of DESIGN.md §4: every (state × action × role), the timeline, score snapshots,
stale versions, and the locks every write path must respect while a period is under review."""

from __future__ import annotations

import contextlib
import datetime
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from base.errors import ConflictError, DomainError, LockedError, PermissionDeniedError
from evidence.models import Evidence
from evidence.services import evidence_attach
from indicators.models import (
    HistoryEntry,
    HistoryKind,
    Indicator,
    Office,
    OfficeKind,
    OfficeMembership,
    PeriodState,
    PeriodTransition,
    Progress,
    ReportingPeriod,
    Role,
)
from indicators.periods import periods_ensure
from indicators.services.progress import indicator_set_applicability, progress_record
from tests.factories import DEMO_DIR, IndicatorFactory, MembershipFactory, accept_earlier_quarters
from tests.files import pdf_bytes
from workflow.transitions import allowed_actions, period_transition

OFFICE, YEAR = "mofa", "2022-23"
LOCKED_STATES = [PeriodState.SUBMITTED, PeriodState.APPROVED, PeriodState.SENT, PeriodState.ACCEPTED]


def user(username: str):
    return get_user_model().objects.get(username=username)


def act(period: ReportingPeriod, action: str, username: str, comment: str = "") -> ReportingPeriod:
    """One workflow step through the real service, with the version the user's page showed."""
    period.refresh_from_db()
    return period_transition(
        period=period, action=action, user=user(username), comment=comment, expected_version=period.version
    )


def lock(plan, state: str, quarters=(4,)) -> None:
    """Put quarters of the plan in a state directly (the locks, not the transitions, are under test)."""
    periods_ensure(plan)
    ReportingPeriod.objects.filter(plan=plan, quarter__in=quarters).update(state=state)


def score_json(quarter: int) -> dict:
    """``score --json`` as an approval keeps it: the marks, without the words printed beside them
    (``unit_label``; the approval's source digest covers those)."""
    out = io.StringIO()
    call_command("score", office=OFFICE, year=YEAR, json=True, quarter=quarter, stdout=out)
    data = json.loads(out.getvalue())
    for item in data["indicators"]:
        del item["unit_label"]
    return data


def progress_state(plan) -> list[tuple]:
    return list(
        Progress.objects.filter(indicator__plan=plan)
        .order_by("indicator__code", "quarter")
        .values_list("indicator__code", "quarter", "value_number", "value_date", "remark", "version")
    )


# ---------------------------------------------------------------------------------------------------------
# The state machine, exhaustively, on a small office tree: grand → parent → office (and a sibling "other")

ROLES = [
    "officer",
    "cio",
    "parent_reviewer",
    "grandparent_reviewer",
    "own_office_reviewer",
    "other_office_cio",
    "superuser",  # administers through /admin/, no rights in the workflow
]
# The oracle, written out from DESIGN.md §4 rather than taken from the code under test.
TO_STATE = {
    "submit": PeriodState.SUBMITTED,
    "return": PeriodState.RETURNED,
    "approve": PeriodState.APPROVED,
    "send": PeriodState.SENT,
    "review_return": PeriodState.RETURNED,
    "accept": PeriodState.ACCEPTED,
}
FROM_STATES = {
    "submit": {PeriodState.DRAFT, PeriodState.RETURNED},
    "return": {PeriodState.SUBMITTED},
    "approve": {PeriodState.SUBMITTED},
    "send": {PeriodState.APPROVED},
    "review_return": {PeriodState.SENT},
    "accept": {PeriodState.SENT},
}
ACTORS = {
    "submit": {"officer", "cio"},
    "return": {"cio"},
    "approve": {"cio"},
    "send": {"cio"},
    "review_return": {"parent_reviewer"},
    "accept": {"parent_reviewer"},
}


def allowed(state: str, action: str, role: str) -> bool:
    return state in FROM_STATES[action] and role in ACTORS[action]


class Org:
    """A plan of `office` with one indicator, its four periods, and one user per role."""

    def __init__(self):
        # Plain ORM calls, not factories: this runs for each of the 42 matrix tests.
        grand = Office.objects.create(code="grand", name_bn="ঊর্ধ্বতন", kind=OfficeKind.DIVISION)
        parent = Office.objects.create(
            code="parent", name_bn="মাতৃ দপ্তর", kind=OfficeKind.MINISTRY, parent=grand
        )
        office = Office.objects.create(
            code="office", name_bn="দপ্তর", kind=OfficeKind.DEPARTMENT, parent=parent
        )
        other = Office.objects.create(
            code="other", name_bn="অন্য দপ্তর", kind=OfficeKind.DEPARTMENT, parent=parent
        )
        self.plan = IndicatorFactory(activity__area__plan__office=office).plan
        self.periods = periods_ensure(self.plan)
        memberships = {
            "officer": (office, Role.OFFICER),
            "cio": (office, Role.CIO),
            "parent_reviewer": (parent, Role.REVIEWER),
            "grandparent_reviewer": (grand, Role.REVIEWER),
            "own_office_reviewer": (office, Role.REVIEWER),
            "other_office_cio": (other, Role.CIO),
        }
        User = get_user_model()
        User.objects.bulk_create(
            [User(username=name) for name in memberships]
            + [User(username="superuser", is_staff=True, is_superuser=True)]
        )
        self.users = {u.username: u for u in User.objects.filter(username__in=ROLES)}
        OfficeMembership.objects.bulk_create(
            [
                OfficeMembership(user=self.users[name], office=where, role=role)
                for name, (where, role) in memberships.items()
            ]
        )

    def period_in(self, state: str, quarter: int = 2) -> ReportingPeriod:
        accept_earlier_quarters(self.plan, quarter)  # the quarter order is tested on its own below
        ReportingPeriod.objects.filter(pk=self.periods[quarter - 1].pk).update(state=state, version=5)
        return ReportingPeriod.objects.select_related("plan__office").get(pk=self.periods[quarter - 1].pk)


@pytest.fixture
def org(db) -> Org:
    return Org()


def recorded(period: ReportingPeriod) -> tuple:
    period = ReportingPeriod.objects.get(pk=period.pk)
    return (
        period.state,
        period.version,
        period.score_snapshot,
        PeriodTransition.objects.filter(period=period).count(),
        HistoryEntry.objects.filter(plan=period.plan).count(),
    )


def check_transition(org: Org, state: str, action: str, role: str) -> None:
    """An allowed (state, action, role) moves the period and records who, when and why; any other raises and
    leaves state, version, snapshot, timeline and history as they were."""
    period = org.period_in(state)
    actor = org.users[role]
    before = recorded(period)
    started = timezone.now()
    if not allowed(state, action, role):
        # The right state but the wrong person is a refusal, not a conflict.
        expected = (
            PermissionDeniedError if state in FROM_STATES[action] else (PermissionDeniedError, ConflictError)
        )
        with pytest.raises(expected):
            period_transition(
                period=period, action=action, user=actor, comment="মন্তব্য এখানে", expected_version=5
            )
        assert recorded(period) == before
        return
    result = period_transition(
        period=period, action=action, user=actor, comment="মন্তব্য এখানে", expected_version=5
    )
    assert result.state == TO_STATE[action]
    stored = ReportingPeriod.objects.get(pk=period.pk)
    assert (stored.state, stored.version) == (TO_STATE[action], 6)
    transition = PeriodTransition.objects.get(period=period)
    assert (transition.from_state, transition.to_state) == (state, TO_STATE[action])
    assert transition.user == actor and transition.comment == "মন্তব্য এখানে"
    assert started <= transition.at <= timezone.now()
    entry = HistoryEntry.objects.get(plan=org.plan)
    assert (entry.kind, entry.before, entry.after) == (HistoryKind.STATE, state, TO_STATE[action])
    assert (entry.user, entry.quarter, entry.reason) == (actor, 2, "মন্তব্য এখানে")


@pytest.mark.parametrize("action", list(TO_STATE))
@pytest.mark.parametrize("state", list(PeriodState.values))
def test_each_role_can_make_exactly_the_allowed_transitions_from_each_state(org, state, action):
    """For every role (each in its own rolled-back savepoint): allowed → moved and recorded; else refused
    with nothing changed."""
    failures = []
    for role in ROLES:
        with transaction.atomic():
            try:
                check_transition(org, state, action, role)
            except (AssertionError, pytest.fail.Exception, DomainError) as error:
                failures.append(f"{role}: {type(error).__name__}: {error}")
            transaction.set_rollback(True)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("state", list(PeriodState.values))
def test_allowed_actions_lists_exactly_what_each_role_may_do_now(org, state):
    """The buttons offered (allowed_actions) are exactly the transitions the service accepts, per role."""
    period = org.period_in(state)
    offered = {role: allowed_actions(org.users[role], period) for role in ROLES}
    expected = {role: [a for a in TO_STATE if allowed(state, a, role)] for role in ROLES}
    assert offered == expected


@pytest.mark.parametrize(
    ("state", "action", "role"),
    [("submitted", "return", "cio"), ("sent", "review_return", "parent_reviewer")],
)
@pytest.mark.parametrize("comment", ["", "   \n "])
def test_returning_without_a_comment_is_refused_and_changes_nothing(org, state, action, role, comment):
    """A return must say why: an empty or blank comment is refused with nothing recorded."""
    period = org.period_in(state)
    before = recorded(period)
    with pytest.raises(DomainError, match="মন্তব্যে"):
        period_transition(
            period=period, action=action, user=org.users[role], comment=comment, expected_version=5
        )
    assert recorded(period) == before


@pytest.mark.parametrize("action", list(TO_STATE))
def test_a_stale_expected_version_is_refused_whatever_the_action(org, action):
    """A page loaded before the period last moved cannot move it: ConflictError, nothing recorded."""
    state = next(iter(sorted(FROM_STATES[action])))
    role = next(iter(sorted(ACTORS[action])))
    period = org.period_in(state)
    before = recorded(period)
    with pytest.raises(ConflictError):
        period_transition(
            period=period, action=action, user=org.users[role], comment="কারণ", expected_version=4
        )
    assert recorded(period) == before


def test_two_cios_acting_on_the_same_period_only_the_first_succeeds(org):
    """Two CIOs looking at the same submitted period: the first approves, the second's return is refused."""
    second_cio = MembershipFactory(user__username="cio2", office=org.plan.office, role=Role.CIO).user
    period = org.period_in(PeriodState.SUBMITTED)
    period_transition(period=period, action="approve", user=org.users["cio"], expected_version=5)
    with pytest.raises(ConflictError):
        period_transition(
            period=period, action="return", user=second_cio, comment="ভুল আছে", expected_version=5
        )
    stored = ReportingPeriod.objects.get(pk=period.pk)
    assert (stored.state, stored.version) == (PeriodState.APPROVED, 6)
    assert list(PeriodTransition.objects.filter(period=period).values_list("user__username", flat=True)) == [
        "cio"
    ]


def test_a_full_round_trip_keeps_the_whole_timeline_in_order(demo):
    """submit → return → submit → approve → send → review_return: every step is on the timeline with its
    user and comment, and in the history as a state change."""
    period = periods_ensure(demo)[0]
    steps = [
        ("submit", "mofa.officer", ""),
        ("return", "mofa.cio", "১.৩.১-এর প্রমাণক দিন"),
        ("submit", "mofa.officer", "প্রমাণক যুক্ত"),
        ("approve", "mofa.cio", ""),
        ("send", "mofa.cio", ""),
        ("review_return", "cabinet.reviewer", "স্বাক্ষর নেই"),
    ]
    for action, username, comment in steps:
        act(period, action, username, comment)
    timeline = list(
        PeriodTransition.objects.filter(period=period).values_list("to_state", "user__username", "comment")
    )
    assert timeline == [(TO_STATE[a], u, c) for a, u, c in steps]
    states = list(
        HistoryEntry.objects.filter(plan=demo, kind=HistoryKind.STATE)
        .order_by("pk")
        .values_list("after", "reason")
    )
    assert states == [(TO_STATE[a], c) for a, _u, c in steps]
    period.refresh_from_db()
    assert period.state == PeriodState.RETURNED and period.version == len(steps)


# ---------------------------------------------------------------------------------------------------------
# Score snapshots


def test_approving_q4_stores_the_score_json_of_q4_as_the_snapshot(demo):
    """Approval stores what `score --json --quarter 4` prints: the demo plan's 46.64 of 50."""
    period = periods_ensure(demo)[3]
    accept_earlier_quarters(demo, 4)
    act(period, "submit", "mofa.officer")
    approved = act(period, "approve", "mofa.cio")
    approved.refresh_from_db()
    assert approved.score_snapshot == score_json(4)
    assert approved.score_snapshot["scaled_marks"] == "46.64"
    assert approved.score_snapshot["achieved_marks"] == "44.77"


def test_approving_q1_stores_the_score_of_q1_only(demo):
    """A Q1 approval snapshots the marks up to Q1, not the whole year's."""
    period = periods_ensure(demo)[0]
    act(period, "submit", "mofa.cio")
    act(period, "approve", "mofa.cio")
    period.refresh_from_db()
    assert period.score_snapshot == score_json(1)
    assert period.score_snapshot["scaled_marks"] != score_json(4)["scaled_marks"]


def test_the_snapshot_survives_a_return_and_later_edits_until_reapproval(demo):
    """After the reviewer returns Q4, edits change the live score but not the first approval's snapshot (a
    superseded version, no longer the period's); approving again makes a new version with the new score."""
    period = periods_ensure(demo)[3]
    accept_earlier_quarters(demo, 4)
    for action, username, comment in [
        ("submit", "mofa.officer", ""),
        ("approve", "mofa.cio", ""),
        ("send", "mofa.cio", ""),
        ("review_return", "cabinet.reviewer", "ই-নথির হার আবার দেখুন"),
    ]:
        act(period, action, username, comment)
    indicator = demo.indicators.get(code="1.3.1")
    stored = indicator.progress.get(quarter=4)
    progress_record(
        indicator=indicator,
        quarter=4,
        value=Decimal("60"),
        remark="",
        user=user("mofa.officer"),
        expected_version=stored.version,
    )
    period.refresh_from_db()
    assert period.score_snapshot is None  # no approval stands after a return
    assert period.approvals.get().score_snapshot["scaled_marks"] == "46.64"
    assert score_json(4)["scaled_marks"] != "46.64"
    act(period, "submit", "mofa.officer")
    act(period, "approve", "mofa.cio")
    period.refresh_from_db()
    assert period.score_snapshot == score_json(4)
    assert period.score_snapshot["scaled_marks"] != "46.64"
    # Each approval is a version with its own marks (DESIGN.md §4): the first is kept, superseded.
    first, second = period.approvals.order_by("number")
    assert (first.score_snapshot["scaled_marks"], first.superseded_at is not None) == ("46.64", True)
    assert (second.score_snapshot, second.superseded_at) == (period.score_snapshot, None)


# ---------------------------------------------------------------------------------------------------------
# Locks: once a quarter is submitted (or further), every write path refuses its data


@pytest.mark.parametrize("state", LOCKED_STATES)
def test_progress_record_refuses_a_locked_quarter(demo, state):
    """The browser's save of a locked quarter raises LockedError and writes nothing."""
    lock(demo, state)
    indicator = demo.indicators.get(code="1.3.1")
    stored = indicator.progress.get(quarter=4)
    history = HistoryEntry.objects.count()
    with pytest.raises(LockedError):
        progress_record(
            indicator=indicator,
            quarter=4,
            value=Decimal("90"),
            remark="",
            user=user("mofa.officer"),
            expected_version=stored.version,
        )
    assert indicator.progress.get(quarter=4).value_number == Decimal("83")
    assert HistoryEntry.objects.count() == history


@pytest.mark.parametrize("state", LOCKED_STATES)
def test_import_progress_refuses_a_sheet_touching_a_locked_quarter_and_writes_nothing(demo, state, tmp_path):
    """`import_progress` with one open and one locked quarter: CommandError, not even the open row is saved."""
    lock(demo, state)
    sheet = tmp_path / "progress.csv"
    sheet.write_text("সূচক নং,ত্রৈমাসিক,অর্জন,মন্তব্য\n[১.৩.১],১,৯৯%,খোলা\n[১.৩.১],৪,৯০%,বন্ধ\n", encoding="utf-8")
    before, history = progress_state(demo), HistoryEntry.objects.count()
    with pytest.raises(CommandError):
        call_command(
            "import_progress",
            str(sheet),
            office=OFFICE,
            year=YEAR,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert progress_state(demo) == before
    assert HistoryEntry.objects.count() == history


def _changed_plan_sheet(tmp_path: Path) -> Path:
    """The demo plan sheet with [১.৩.১]'s 100% target raised from ৮৫% to ৯০%."""
    text = (DEMO_DIR / "plan.csv").read_text(encoding="utf-8")
    assert "%,৮,গড়,৮৫%," in text
    sheet = tmp_path / "plan.csv"
    sheet.write_text(text.replace("%,৮,গড়,৮৫%,", "%,৮,গড়,৯০%,"), encoding="utf-8")
    return sheet


@pytest.mark.parametrize("state", LOCKED_STATES)
def test_plan_replace_is_refused_while_any_period_is_locked(demo, state, tmp_path):
    """`import_plan --replace` with changed targets fails while one quarter is locked; targets stay."""
    lock(demo, state, quarters=(1,))
    sheet = _changed_plan_sheet(tmp_path)
    history = HistoryEntry.objects.count()
    with pytest.raises(CommandError):
        call_command(
            "import_plan",
            str(sheet),
            office=OFFICE,
            year=YEAR,
            replace=True,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert demo.indicators.get(code="1.3.1").target_100_number == Decimal("85")
    assert HistoryEntry.objects.count() == history


@pytest.mark.parametrize("state", LOCKED_STATES)
def test_evidence_attach_refuses_a_locked_quarter(demo, state):
    """Evidence for a locked quarter is refused; no row, no history."""
    lock(demo, state)
    history = HistoryEntry.objects.count()
    with pytest.raises(LockedError):
        evidence_attach(
            indicator=demo.indicators.get(code="1.2.2"),
            title="সেবা চালুর আদেশ",
            data=pdf_bytes(),
            original_name="order.pdf",
            quarter=4,
            user=user("mofa.officer"),
        )
    assert not Evidence.objects.exists()
    assert HistoryEntry.objects.count() == history


@pytest.mark.parametrize("state", LOCKED_STATES)
def test_undated_evidence_is_refused_when_no_period_is_open(demo, state):
    """Evidence without a quarter belongs to the plan: refused once every period is locked."""
    lock(demo, state, quarters=(1, 2, 3, 4))
    with pytest.raises(LockedError):
        evidence_attach(
            indicator=demo.indicators.get(code="1.2.2"),
            title="সাধারণ প্রমাণক",
            data=pdf_bytes(),
            original_name="general.pdf",
            user=user("mofa.officer"),
        )
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("state", LOCKED_STATES)
def test_applicability_cannot_change_when_no_period_is_open(demo, state):
    """Marking an indicator applicable (or not) is refused once every period is locked."""
    lock(demo, state, quarters=(1, 2, 3, 4))
    history = HistoryEntry.objects.count()
    with pytest.raises(LockedError):
        indicator_set_applicability(
            indicator=demo.indicators.get(code="2.2.4"), applicable=True, reason="", user=user("mofa.officer")
        )
    assert demo.indicators.get(code="2.2.4").applicable is False
    assert HistoryEntry.objects.count() == history


def _admin_progress_post(client, progress: Progress, value: str) -> object:
    return client.post(
        f"/admin/indicators/progress/{progress.pk}/change/",
        {
            "indicator": progress.indicator_id,
            "quarter": progress.quarter,
            "value_number": value,
            "value_date": "",
            "remark": progress.remark,
            "loaded_version": progress.version,
        },
    )


@pytest.mark.parametrize("state", LOCKED_STATES)
def test_admin_progress_change_and_add_are_not_saved_for_a_locked_quarter(demo, client, state):
    """The admin's change page refuses a locked quarter's row, and its add page refuses a new row for it."""
    lock(demo, state)
    client.force_login(user("admin"))
    progress = Progress.objects.get(indicator__plan=demo, indicator__code="1.3.1", quarter=4)
    assert _admin_progress_post(client, progress, "90").status_code == 403
    progress.refresh_from_db()
    assert progress.value_number == Decimal("83")
    added = client.post(
        "/admin/indicators/progress/add/",
        {
            "indicator": demo.indicators.get(code="2.2.5").pk,
            "quarter": 4,
            "value_number": "",
            "value_date": "2023-06-01",
            "remark": "",
        },
    )
    assert added.status_code == 200  # the form again, with the error
    assert not Progress.objects.filter(indicator__code="2.2.5", quarter=4).exists()


def test_admin_progress_change_is_saved_while_the_quarter_is_open(demo, client):
    """The same admin change is saved (with history) while the quarter is a draft: the lock, not the form,
    is what refuses it above."""
    client.force_login(user("admin"))
    progress = Progress.objects.get(indicator__plan=demo, indicator__code="1.3.1", quarter=4)
    assert _admin_progress_post(client, progress, "90").status_code == 302
    progress.refresh_from_db()
    assert progress.value_number == Decimal("90")
    assert HistoryEntry.objects.filter(kind=HistoryKind.VALUE, quarter=4, before="83", after="90").exists()


@pytest.mark.parametrize("state", [PeriodState.DRAFT, PeriodState.RETURNED, *LOCKED_STATES])
def test_admin_indicator_change_is_refused_exactly_while_a_period_is_locked(demo, client, state):
    """Targets decide locked marks: the admin indicator page refuses a target change while any period is
    locked, and saves the same change while every period is open."""
    lock(demo, state, quarters=(2,))
    client.force_login(user("admin"))
    indicator = demo.indicators.get(code="1.3.1")
    response = client.post(
        f"/admin/indicators/indicator/{indicator.pk}/change/",
        {
            "title": indicator.title,
            "position": indicator.position,
            "calc_method": indicator.calc_method,
            "scoring_method": indicator.scoring_method,
            "direction": indicator.direction,
            "target_100_number": "90",
            "target_90_number": "80",
            "target_80_number": "70",
            "target_70_number": "60",
            "target_60_number": "",
            "applicable": "on",
            "not_applicable_reason": "",
        },
    )
    target = Indicator.objects.get(pk=indicator.pk).target_100_number
    if state in LOCKED_STATES:
        assert response.status_code == 403
        assert target == Decimal("85")
    else:
        assert response.status_code == 302
        assert target == Decimal("90")
        assert HistoryEntry.objects.filter(indicator=indicator, kind=HistoryKind.TARGETS).exists()


def test_after_the_cio_returns_a_quarter_it_is_editable_again(demo):
    """submit → return: the officer's save, evidence and import of that quarter work again."""
    period = periods_ensure(demo)[3]
    accept_earlier_quarters(demo, 4)
    act(period, "submit", "mofa.officer")
    indicator = demo.indicators.get(code="1.3.1")
    with pytest.raises(LockedError):
        progress_record(
            indicator=indicator,
            quarter=4,
            value=Decimal("90"),
            remark="",
            user=user("mofa.officer"),
            expected_version=indicator.progress.get(quarter=4).version,
        )
    act(period, "return", "mofa.cio", "হার ঠিক করুন")
    progress_record(
        indicator=indicator,
        quarter=4,
        value=Decimal("90"),
        remark="",
        user=user("mofa.officer"),
        expected_version=indicator.progress.get(quarter=4).version,
    )
    evidence_attach(
        indicator=indicator,
        title="ই-নথি প্রতিবেদন",
        data=pdf_bytes(),
        original_name="e.pdf",
        quarter=4,
        user=user("mofa.officer"),
    )
    assert indicator.progress.get(quarter=4).value_number == Decimal("90")
    assert Evidence.objects.filter(indicator=indicator, quarter=4).count() == 1


def test_after_the_reviewer_returns_a_quarter_import_and_replace_work_again(demo, tmp_path):
    """sent → review_return of Q1 (no quarter locked any more): `import_progress` and `import_plan --replace`
    are accepted again."""
    period = periods_ensure(demo)[0]
    for action, username in [("submit", "mofa.officer"), ("approve", "mofa.cio"), ("send", "mofa.cio")]:
        act(period, action, username)
    act(period, "review_return", "cabinet.reviewer", "আবার দেখুন")
    sheet = tmp_path / "progress.csv"
    sheet.write_text("সূচক নং,ত্রৈমাসিক,অর্জন\n[১.৩.১],১,৯০%\n", encoding="utf-8")
    call_command("import_progress", str(sheet), office=OFFICE, year=YEAR, stdout=io.StringIO())
    call_command(
        "import_plan",
        str(_changed_plan_sheet(tmp_path)),
        office=OFFICE,
        year=YEAR,
        replace=True,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    indicator = demo.indicators.get(code="1.3.1")
    assert indicator.progress.get(quarter=1).value_number == Decimal("90")
    assert indicator.target_100_number == Decimal("90")


# ---------------------------------------------------------------------------------------------------------
# Conflicts on progress


def test_progress_record_with_an_outdated_version_is_refused_and_keeps_the_stored_value(demo):
    """Saving on top of a version that moved on raises ConflictError; the other person's value stays."""
    indicator = demo.indicators.get(code="1.3.1")
    loaded = indicator.progress.get(quarter=1).version
    progress_record(
        indicator=indicator,
        quarter=1,
        value=Decimal("81"),
        remark="",
        user=user("mofa.cio"),
        expected_version=loaded,
    )
    history = HistoryEntry.objects.count()
    with pytest.raises(ConflictError):
        progress_record(
            indicator=indicator,
            quarter=1,
            value=Decimal("85"),
            remark="",
            user=user("mofa.officer"),
            expected_version=loaded,
        )
    assert indicator.progress.get(quarter=1).value_number == Decimal("81")
    assert HistoryEntry.objects.count() == history


def test_a_new_value_where_someone_already_entered_one_is_a_conflict(demo):
    """Two forms opened on an empty quarter: the second save (expected_version None) is told."""
    indicator = demo.indicators.get(code="1.2.2")
    progress_record(
        indicator=indicator,
        quarter=2,
        value=datetime.date(2023, 5, 1),
        remark="",
        user=user("mofa.cio"),
        expected_version=None,
    )
    with pytest.raises(ConflictError):
        progress_record(
            indicator=indicator,
            quarter=2,
            value=datetime.date(2023, 5, 9),
            remark="",
            user=user("mofa.officer"),
            expected_version=None,
        )
    assert indicator.progress.get(quarter=2).value_date == datetime.date(2023, 5, 1)


def test_a_form_loaded_before_the_value_was_cleared_and_entered_again_is_told(demo):
    """Officer loads Q1 (version v); the CIO clears it and enters 90; the officer's save with v must be a
    conflict, not a silent overwrite of the CIO's 90."""
    indicator = demo.indicators.get(code="1.3.1")
    loaded = indicator.progress.get(quarter=1).version
    cio = user("mofa.cio")
    progress_record(indicator=indicator, quarter=1, value=None, remark="", user=cio, expected_version=loaded)
    # The CIO's form, reloaded after clearing, carries the cleared row's version.
    cleared = indicator.progress.get(quarter=1).version
    progress_record(
        indicator=indicator, quarter=1, value=Decimal("90"), remark="", user=cio, expected_version=cleared
    )
    with pytest.raises(ConflictError):
        progress_record(
            indicator=indicator,
            quarter=1,
            value=Decimal("85"),
            remark="",
            user=user("mofa.officer"),
            expected_version=loaded,
        )
    assert indicator.progress.get(quarter=1).value_number == Decimal("90")


# ---------------------------------------------------------------------------------------------------------
# Every write path applies the same rule


def _try_import_progress(tmp_path, text: str) -> None:
    """`import_progress` with a sheet of this text; whether it is refused is what the test checks afterwards."""
    sheet = tmp_path / "progress.csv"
    sheet.write_text(text, encoding="utf-8")
    with contextlib.suppress(CommandError):
        call_command(
            "import_progress",
            str(sheet),
            office=OFFICE,
            year=YEAR,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )


def _mark_not_applicable(path: str, demo, client, tmp_path) -> None:
    indicator = demo.indicators.get(code="1.3.1")
    if path == "service":
        with pytest.raises(DomainError):
            indicator_set_applicability(
                indicator=indicator, applicable=False, reason="প্রযোজ্য নয়", user=user("mofa.officer")
            )
    elif path == "import_progress":
        _try_import_progress(tmp_path, "সূচক নং,ত্রৈমাসিক,অর্জন,মন্তব্য,প্রযোজ্যতা\n[১.৩.১],,,ই-নথি নেই,প্রযোজ্য নয়\n")
    else:
        client.force_login(user("admin"))
        client.post(
            f"/admin/indicators/indicator/{indicator.pk}/change/",
            {
                "title": indicator.title,
                "position": indicator.position,
                "calc_method": indicator.calc_method,
                "scoring_method": indicator.scoring_method,
                "direction": indicator.direction,
                "target_100_number": "85",
                "target_90_number": "80",
                "target_80_number": "70",
                "target_70_number": "60",
                "target_60_number": "",
                "not_applicable_reason": "ই-নথি নেই",
            },
        )


@pytest.mark.parametrize("path", ["service", "import_progress", "admin"])
def test_no_write_path_marks_not_applicable_an_indicator_with_achievements(demo, client, tmp_path, path):
    """[১.৩.১] has values in all four quarters: like the browser's service, the progress sheet and the admin
    must refuse to mark it not applicable (its values would silently stop counting)."""
    _mark_not_applicable(path, demo, client, tmp_path)
    indicator = demo.indicators.get(code="1.3.1")
    assert indicator.progress.exclude(value_number=None).count() == 4
    assert indicator.applicable is True


def _value_for_not_applicable(path: str, demo, client, tmp_path) -> None:
    indicator = demo.indicators.get(code="2.2.4")
    if path == "service":
        with pytest.raises(DomainError):
            progress_record(
                indicator=indicator,
                quarter=3,
                value=datetime.date(2023, 2, 15),
                remark="",
                user=user("mofa.officer"),
                expected_version=None,
            )
    elif path == "import_progress":
        _try_import_progress(tmp_path, "সূচক নং,ত্রৈমাসিক,অর্জন\n[২.২.৪],৩,১৫/০২/২০২৩\n")
    else:
        client.force_login(user("admin"))
        client.post(
            "/admin/indicators/progress/add/",
            {
                "indicator": indicator.pk,
                "quarter": 3,
                "value_number": "",
                "value_date": "2023-02-15",
                "remark": "",
            },
        )


@pytest.mark.parametrize("path", ["service", "import_progress", "admin"])
def test_no_write_path_records_a_value_for_a_not_applicable_indicator(demo, client, tmp_path, path):
    """[২.২.৪] is not applicable: the browser's service refuses a value for it, and so must the progress
    sheet (which does not mark it applicable again) and the admin's add page."""
    _value_for_not_applicable(path, demo, client, tmp_path)
    assert not Progress.objects.filter(indicator__plan=demo, indicator__code="2.2.4").exists()
