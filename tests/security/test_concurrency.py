"""Simultaneous requests (DESIGN.md §4): progress saves and period transitions under concurrency.

Each test releases several threads at once (a ``threading.Barrier``); every thread has its own
``django.test.Client`` and so its own database connection, and sends real requests through the URLs, views
and services. What must hold: nothing is lost, no transition happens twice, no memo number is given twice,
nothing lands in a quarter after it left draft, and no request ends in a server error (the test client
re-raises a view's exception, which fails the test).

PostgreSQL only: SQLite serialises writers (one write transaction at a time, the others wait or fail with
"database is locked"), so these races cannot happen there and the row locks under test are no-ops.
"""

from __future__ import annotations

import io
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.db import connection, transaction
from django.test import Client

from evidence.models import Evidence
from indicators.models import (
    ActionPlan,
    Approval,
    HistoryEntry,
    HistoryKind,
    Indicator,
    PeriodState,
    PeriodTransition,
    Progress,
    ReportingPeriod,
    Role,
)
from indicators.periods import periods_ensure
from indicators.services.progress import indicator_set_applicability
from reports.letter import cover_letter_for, memo_number, memo_serial_take
from reports.models import CoverLetter, MemoSerial, ReportJob, ReportKind
from tests.factories import (
    ActivityFactory,
    AreaFactory,
    IndicatorFactory,
    MembershipFactory,
    OfficeFactory,
    PlanFactory,
    UserFactory,
    accept_earlier_quarters,
)
from tests.files import pdf_bytes
from workflow.transitions import period_transition

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL only: SQLite serialises writers, so concurrent requests cannot race there "
        "(run with DATABASE_URL=postgres://…)",
    ),
    pytest.mark.django_db(transaction=True),
]

DEMO = "/plans/mofa/2022-23/"
CROWD = "/plans/crowd/2022-23/"
CROWD_SIZE = 16

# What the views answer (Bangla, the default language), matched as parts of the page or message.
PROGRESS_CONFLICT = "অন্য কেউ এই মানটি"  # ConflictError of progress_record (changed or entered meanwhile)
PERIOD_CONFLICT = "ইতিমধ্যে বদলে গেছে"  # ConflictError of period_transition (stale version)
LOCKED = "এখন বদলানো যাবে না"  # LockedError: the quarter is no longer draft/returned


@dataclass(frozen=True)
class Answer:
    status: int
    text: str
    messages: tuple[str, ...]

    @property
    def saved(self) -> bool:
        """Stored: a progress save (without htmx) redirects only on success; an evidence upload redirects
        either way, with a refusal as its message."""
        return self.status == 302 and not any(LOCKED in m or PROGRESS_CONFLICT in m for m in self.messages)


def answer(response) -> Answer:
    return Answer(
        status=response.status_code,
        text=response.content.decode(),
        messages=tuple(str(m) for m in get_messages(response.wsgi_request)),
    )


def run_together(count: int, work: Callable[[int], object]) -> list:
    """Run ``work(0) … work(count - 1)`` in ``count`` threads released at the same moment; their results.

    Each thread closes its own database connection at the end. Any exception in a thread (a server error
    re-raised by the test client, a broken barrier) fails the test with that exception.
    """
    barrier = threading.Barrier(count)
    results: list = [None] * count
    failures: list[tuple[int, BaseException]] = []

    def target(index: int) -> None:
        try:
            barrier.wait(timeout=60)
            results[index] = work(index)
        except BaseException as exc:  # reported in the main thread below
            failures.append((index, exc))
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,), name=f"race-{i}") for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (deadlock?)"
    if failures:
        raise failures[0][1]
    return results


def backends_waiting_for_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # else the view is read once per transaction
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def held_open(hold: Callable[[], object], meanwhile: Callable[[], object], *, waiters: int = 1) -> tuple:
    """Run ``hold()`` in a transaction of another thread and keep that transaction open (as a slow request
    would) while ``meanwhile()`` runs here; commit it as soon as ``waiters`` connections wait for a lock or
    ``meanwhile()`` has returned. Returns (what ``meanwhile()`` returned, whether it had to wait).

    Both ways end without a timeout: a request that needs a lock ``hold()`` took waits, the holder sees it
    waiting and commits; a request that does not finishes, and the holder commits after it.
    """
    opened, finished = threading.Event(), threading.Event()
    waited: list[bool] = []
    failures: list[BaseException] = []

    def holder() -> None:
        try:
            with transaction.atomic():
                hold()
                opened.set()
                for _ in range(1200):  # at most a minute: then something else is wrong
                    if backends_waiting_for_a_lock() >= waiters:
                        waited.append(True)
                        break
                    if finished.is_set():
                        waited.append(False)
                        break
                    time.sleep(0.05)
        except BaseException as exc:  # reported in the main thread below
            failures.append(exc)
        finally:
            opened.set()
            connection.close()

    thread = threading.Thread(target=holder, name="held-open")
    thread.start()
    assert opened.wait(timeout=60)
    try:
        result = meanwhile()
    finally:
        finished.set()
        thread.join(timeout=120)
    if failures:
        raise failures[0]
    assert len(waited) == 1, "the held transaction saw neither a waiting request nor an answer"
    return result, waited[0]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def user(username: str):
    return get_user_model().objects.get(username=username)


def act(period: ReportingPeriod, action: str, username: str) -> ReportingPeriod:
    period.refresh_from_db()
    return period_transition(
        period=period, action=action, user=user(username), expected_version=period.version
    )


def period_of(plan: ActionPlan, quarter: int) -> ReportingPeriod:
    return periods_ensure(plan)[quarter - 1]


def value_history(indicator: Indicator, quarter: int):
    return HistoryEntry.objects.filter(indicator=indicator, quarter=quarter, kind=HistoryKind.VALUE)


def state_entries(plan: ActionPlan, quarter: int, to_state: str):
    return HistoryEntry.objects.filter(plan=plan, quarter=quarter, kind=HistoryKind.STATE, after=to_state)


@dataclass
class Crowd:
    """A plan of 16 number indicators ``1.1.1`` … ``1.1.16`` with 16 officers and a CIO."""

    plan: ActionPlan
    indicators: list[Indicator]
    officers: list
    cio: object


@pytest.fixture
def crowd(transactional_db) -> Crowd:
    office = OfficeFactory(code="crowd", memo_prefix="০৪.০০.০০০০")
    plan = PlanFactory(office=office)
    activity = ActivityFactory(area=AreaFactory(plan=plan, code="1", marks=Decimal(CROWD_SIZE)), code="1.1")
    indicators = [
        IndicatorFactory(activity=activity, code=f"1.1.{n}", weight=Decimal("1"))
        for n in range(1, CROWD_SIZE + 1)
    ]
    officers = [
        MembershipFactory(
            office=office, role=Role.OFFICER, user=UserFactory(username=f"crowd.officer{n}")
        ).user
        for n in range(CROWD_SIZE)
    ]
    cio = MembershipFactory(office=office, role=Role.CIO, user=UserFactory(username="crowd.cio")).user
    periods_ensure(plan)
    return Crowd(plan=plan, indicators=indicators, officers=officers, cio=cio)


# ---------------------------------------------------------------------------------------------------------
# Progress saves


def test_sixteen_saves_of_different_indicators_at_once_are_all_stored(crowd):
    """16 officers save the first value of 16 different indicators at the same moment: every value is
    stored with version 1 and one history entry by its officer; none is lost or refused."""
    clients = [client_for(officer) for officer in crowd.officers]

    def save(i: int) -> Answer:
        url = f"{CROWD}indicators/1.1.{i + 1}/q1/"
        return answer(clients[i].post(url, {"value": str(i + 1), "remark": f"দল {i}", "version": ""}))

    answers = run_together(CROWD_SIZE, save)

    assert [a.status for a in answers] == [302] * CROWD_SIZE
    stored = {
        p.indicator.code: (p.value, p.remark, p.version, p.recorded_by_id)
        for p in Progress.objects.filter(indicator__plan=crowd.plan, quarter=1).select_related("indicator")
    }
    assert stored == {
        f"1.1.{i + 1}": (Decimal(i + 1), f"দল {i}", 1, crowd.officers[i].pk) for i in range(CROWD_SIZE)
    }
    for i, indicator in enumerate(crowd.indicators):
        assert list(value_history(indicator, 1).values_list("after", "user_id")) == [
            (str(i + 1), crowd.officers[i].pk)
        ]


@pytest.mark.parametrize("first_value", [True, False], ids=["first-value", "existing-value"])
def test_twelve_saves_of_the_same_quarter_from_the_same_version_only_one_wins(crowd, first_value):
    """12 requests save the same indicator and quarter, all loaded at the same version (no value yet, or
    version 1): exactly one is stored; the 11 others are refused with the "changed meanwhile" answer
    (the form again, status 200); the version moves on once and the history has the winner's entry only."""
    indicator = crowd.indicators[0]
    url = f"{CROWD}indicators/1.1.1/q2/"
    loaded = ""
    if not first_value:
        assert client_for(crowd.officers[0]).post(url, {"value": "5", "version": ""}).status_code == 302
        loaded = "1"
    before = set(value_history(indicator, 2).values_list("pk", flat=True))
    clients = [client_for(crowd.officers[i]) for i in range(12)]

    def save(i: int) -> Answer:
        return answer(clients[i].post(url, {"value": str(100 + i), "remark": "", "version": loaded}))

    answers = run_together(12, save)

    winners = [i for i, a in enumerate(answers) if a.status == 302]
    assert len(winners) == 1
    refused = [a for a in answers if a.status != 302]
    assert len(refused) == 11
    assert all(a.status == 200 and PROGRESS_CONFLICT in a.text for a in refused)
    progress = Progress.objects.get(indicator=indicator, quarter=2)
    assert progress.value == Decimal(100 + winners[0])
    assert progress.version == (1 if first_value else 2)
    assert progress.recorded_by_id == crowd.officers[winners[0]].pk
    new = value_history(indicator, 2).exclude(pk__in=before)
    assert list(new.values_list("after", "user_id")) == [
        (str(100 + winners[0]), crowd.officers[winners[0]].pk)
    ]


def test_read_modify_write_increments_with_retries_lose_nothing(crowd):
    """8 officers each add 1 to the same quarter's value 5 times, reading the value and its version first
    and trying again when told it changed meanwhile: the value ends at 40, the version at 40, and the
    history holds each of 1 … 40 exactly once (no lost update, no increment applied twice)."""
    threads, increments = 8, 5
    indicator = crowd.indicators[0]
    url = f"{CROWD}indicators/1.1.1/q3/"
    clients = [client_for(crowd.officers[i]) for i in range(threads)]

    def add_ones(i: int) -> dict:
        done, conflicts = 0, 0
        while done < increments:
            assert conflicts < 500, "no progress after 500 conflicts"
            current = Progress.objects.filter(indicator=indicator, quarter=3).first()
            value = int(current.value or 0) + 1 if current else 1
            version = str(current.version) if current else ""
            reply = answer(clients[i].post(url, {"value": str(value), "remark": "", "version": version}))
            if reply.status == 302:
                done += 1
            else:
                assert reply.status == 200 and PROGRESS_CONFLICT in reply.text, reply.text[:500]
                conflicts += 1
        return {"conflicts": conflicts}

    run_together(threads, add_ones)

    total = threads * increments
    progress = Progress.objects.get(indicator=indicator, quarter=3)
    assert (progress.value, progress.version) == (Decimal(total), total)
    afters = Counter(value_history(indicator, 3).values_list("after", flat=True))
    assert afters == Counter(str(n) for n in range(1, total + 1))


def test_saves_racing_a_submit_land_before_it_or_are_refused(crowd):
    """8 officers keep saving their own indicator's Q1 value while the CIO submits Q1: each save either
    landed before the submit (its history entry precedes the state change) or was refused as locked; after
    the first refusal nothing lands; what is stored is exactly the last accepted value of each officer."""
    savers = 8
    clients = [client_for(crowd.officers[i]) for i in range(savers)]
    cio = client_for(crowd.cio)
    version = period_of(crowd.plan, 1).version
    first_saved = threading.Event()

    def work(i: int):
        if i == savers:  # the submitter waits until saves are landing, so the two really interleave
            assert first_saved.wait(timeout=60)
            return answer(cio.post(f"{CROWD}periods/1/submit/", {"version": str(version), "confirmed": "1"}))
        url = f"{CROWD}indicators/1.1.{i + 1}/q1/"
        accepted: list[int] = []
        for attempt in range(1, 2001):
            current = Progress.objects.filter(indicator=crowd.indicators[i], quarter=1).first()
            reply = answer(
                clients[i].post(
                    url,
                    {"value": str(attempt), "remark": "", "version": str(current.version) if current else ""},
                )
            )
            if reply.status == 302:
                accepted.append(attempt)
                first_saved.set()
                continue
            assert reply.status == 200 and LOCKED in reply.text, reply.text[:500]
            return accepted
        raise AssertionError("the submit never took effect")

    results = run_together(savers + 1, work)

    submitted = results[savers]
    assert submitted.status == 302 and not any(PERIOD_CONFLICT in m for m in submitted.messages)
    period = period_of(crowd.plan, 1)
    assert period.state == PeriodState.SUBMITTED
    assert PeriodTransition.objects.filter(period=period).count() == 1
    [state_entry] = state_entries(crowd.plan, 1, PeriodState.SUBMITTED)
    assert any(results[:savers]), "no save landed before the submit"
    for i in range(savers):
        accepted = results[i]
        indicator = crowd.indicators[i]
        stored = Progress.objects.filter(indicator=indicator, quarter=1).first()
        assert (stored.value if stored else None) == (Decimal(accepted[-1]) if accepted else None)
        entries = value_history(indicator, 1)
        assert sorted(entries.values_list("after", flat=True), key=int) == [str(n) for n in accepted]
        assert all(e.pk < state_entry.pk and e.at <= state_entry.at for e in entries)


# ---------------------------------------------------------------------------------------------------------
# Period transitions


def test_ten_simultaneous_submits_make_one_transition(demo):
    """10 requests (officer and CIO alternately) submit the same Q1 at the same version: one transition,
    one history entry, version + 1; the other 9 are told the state changed meanwhile, none fails."""
    period = period_of(demo, 1)
    loaded = period.version
    clients = [client_for(user("mofa.officer" if i % 2 else "mofa.cio")) for i in range(10)]

    def submit(i: int) -> Answer:
        return answer(clients[i].post(f"{DEMO}periods/1/submit/", {"version": str(loaded), "confirmed": "1"}))

    answers = run_together(10, submit)

    assert all(a.status == 302 for a in answers)
    refused = [a for a in answers if any(PERIOD_CONFLICT in m for m in a.messages)]
    assert len(refused) == 9
    period.refresh_from_db()
    assert (period.state, period.version) == (PeriodState.SUBMITTED, loaded + 1)
    assert list(PeriodTransition.objects.filter(period=period).values_list("from_state", "to_state")) == [
        (PeriodState.DRAFT, PeriodState.SUBMITTED)
    ]
    assert state_entries(demo, 1, PeriodState.SUBMITTED).count() == 1


def test_ten_simultaneous_approvals_make_one_transition_one_set_of_jobs_and_one_memo_serial(demo):
    """10 requests of the CIO approve the submitted Q4 at once: one approval, one snapshot, one queued
    report job per kind of Q4 (quarterly, annual, cover letter) and the memo serial 69 taken once."""
    accept_earlier_quarters(demo, 4)
    period = period_of(demo, 4)
    act(period, "submit", "mofa.officer")
    period.refresh_from_db()
    loaded = period.version
    clients = [client_for(user("mofa.cio")) for _ in range(10)]

    def approve(i: int) -> Answer:
        return answer(
            clients[i].post(f"{DEMO}periods/4/approve/", {"version": str(loaded), "confirmed": "1"})
        )

    answers = run_together(10, approve)

    assert all(a.status == 302 for a in answers)
    assert sum(any(PERIOD_CONFLICT in m for m in a.messages) for a in answers) == 9
    period.refresh_from_db()
    assert (period.state, period.version) == (PeriodState.APPROVED, loaded + 1)
    assert period.score_snapshot
    assert PeriodTransition.objects.filter(period=period, to_state=PeriodState.APPROVED).count() == 1
    assert state_entries(demo, 4, PeriodState.APPROVED).count() == 1
    jobs = Counter(ReportJob.objects.filter(plan=demo, quarter=4).values_list("kind", flat=True))
    assert jobs == {ReportKind.QUARTERLY: 1, ReportKind.ANNUAL: 1, ReportKind.COVER_LETTER: 1}
    assert CoverLetter.objects.get(period=period).memo_serial == 69
    assert MemoSerial.objects.get(office=demo.office, fiscal_year=demo.fiscal_year).last == 69


def test_simultaneous_approvals_across_offices_never_share_a_memo_number(demo):
    """MoFA's Q1 and Q1 of four other offices are approved at the same moment (quarters of one plan go
    forward in order, so only different offices' approvals can meet): every approval happens once, each
    office's serial runs on from its last (mofa 69 after its 68, the others 1), and no two letters carry the
    same memo number."""
    plans = [demo]
    for n in (1, 2, 3, 4):
        office = OfficeFactory(code=f"other{n}", memo_prefix=f"০{n}.০০.০০০০")
        plan = PlanFactory(office=office, fiscal_year=demo.fiscal_year)
        IndicatorFactory(
            activity=ActivityFactory(area=AreaFactory(plan=plan, code="1"), code="1.1"), code="1.1.1"
        )
        MembershipFactory(office=office, role=Role.CIO, user=UserFactory(username=f"other{n}.cio"))
        plans.append(plan)
    jobs: list[tuple[ActionPlan, str]] = [(demo, "mofa.cio")] + [
        (p, f"{p.office.code}.cio") for p in plans[1:]
    ]
    loaded = {plan.pk: act(period_of(plan, 1), "submit", cio).version for plan, cio in jobs}
    clients = [client_for(user(cio)) for _, cio in jobs]

    def approve(i: int) -> Answer:
        plan, _ = jobs[i]
        url = f"/plans/{plan.office.code}/2022-23/periods/1/approve/"
        return answer(clients[i].post(url, {"version": str(loaded[plan.pk]), "confirmed": "1"}))

    answers = run_together(len(jobs), approve)

    assert all(a.status == 302 and not any(PERIOD_CONFLICT in m for m in a.messages) for a in answers)
    letters = CoverLetter.objects.filter(period__plan__in=plans, period__quarter=1).select_related(
        "period__plan__office"
    )
    assert letters.count() == len(jobs)
    serials = {letter.period.plan.office.code: letter.memo_serial for letter in letters}
    assert serials == {"mofa": 69, "other1": 1, "other2": 1, "other3": 1, "other4": 1}
    numbers = [memo_number(letter) for letter in letters]
    assert len(set(numbers)) == len(numbers)
    assert PeriodTransition.objects.filter(to_state=PeriodState.APPROVED).count() == len(jobs)


def test_letters_reaching_the_memo_counter_together_take_one_serial_each(demo):
    """MoFA's memo counter is held locked (as by another approval still being written) while four letters
    of the office take their serial at once; when all four wait for it, it is released. Each must then take
    the counter in turn — reading it without its lock would give all four the serial 69 — so the letters get
    69, 70, 71 and 72. (Approvals of one plan go in quarter order; letters of other documents of the office
    share its counter.)"""
    letters = [cover_letter_for(period_of(demo, quarter)) for quarter in (1, 2, 3, 4)]

    def lock_counter() -> None:
        MemoSerial.objects.get_or_create(office=demo.office, fiscal_year=demo.fiscal_year)
        MemoSerial.objects.select_for_update().get(office=demo.office, fiscal_year=demo.fiscal_year)

    def take(i: int) -> int:
        return memo_serial_take(letters[i])

    taken, waited = held_open(lock_counter, lambda: run_together(4, take), waiters=4)

    assert waited
    assert sorted(taken) == [69, 70, 71, 72]
    serials = sorted(CoverLetter.objects.filter(period__plan=demo).values_list("memo_serial", flat=True))
    assert serials == [69, 70, 71, 72]
    assert MemoSerial.objects.get(office=demo.office, fiscal_year=demo.fiscal_year).last == 72


def test_an_approval_still_being_written_holds_up_no_other_office_and_no_other_quarter(demo):
    """While MoFA's approval of Q1 is still open (its transaction not committed, as during a slow inline
    rendering), another office's CIO approves that office's Q1 and a MoFA officer saves a Q2 value: neither
    waits. An approval locks its own period (and its letter and memo counter), not the plan, office or
    fiscal year rows that every other office's transitions and every history entry refer to."""
    office = OfficeFactory(code="other1", memo_prefix="০১.০০.০০০০")
    other = PlanFactory(office=office, fiscal_year=demo.fiscal_year)
    IndicatorFactory(
        activity=ActivityFactory(area=AreaFactory(plan=other, code="1"), code="1.1"), code="1.1.1"
    )
    MembershipFactory(office=office, role=Role.CIO, user=UserFactory(username="other1.cio"))
    mofa_q1 = act(period_of(demo, 1), "submit", "mofa.officer")
    other_q1 = act(period_of(other, 1), "submit", "other1.cio")
    q2 = Progress.objects.get(indicator__plan=demo, indicator__code="1.3.1", quarter=2)
    other_cio, officer = client_for(user("other1.cio")), client_for(user("mofa.officer"))

    def approve_mofa_q1() -> None:
        period_transition(
            period=mofa_q1, action="approve", user=user("mofa.cio"), expected_version=mofa_q1.version
        )

    def meanwhile() -> tuple[Answer, Answer]:
        approved = answer(
            other_cio.post(
                "/plans/other1/2022-23/periods/1/approve/",
                {"version": str(other_q1.version), "confirmed": "1"},
            )
        )
        saved = answer(
            officer.post(
                f"{DEMO}indicators/1.3.1/q2/", {"value": "৮৪", "remark": "", "version": str(q2.version)}
            )
        )
        return approved, saved

    (approved, saved), waited = held_open(approve_mofa_q1, meanwhile)

    assert not waited, "the other office's approval or the Q2 save waited for the open approval"
    assert approved.status == 302 and not any(PERIOD_CONFLICT in m for m in approved.messages)
    assert saved.saved
    assert [p.state for p in (period_of(demo, 1), period_of(other, 1))] == [PeriodState.APPROVED] * 2
    assert CoverLetter.objects.get(period__plan=other, period__quarter=1).memo_serial == 1
    assert CoverLetter.objects.get(period__plan=demo, period__quarter=1).memo_serial == 69
    assert Progress.objects.get(pk=q2.pk).value == Decimal("84")


# ---------------------------------------------------------------------------------------------------------
# Evidence and applicability


def test_evidence_uploads_racing_a_submit_land_before_it_or_are_refused(crowd):
    """6 officers keep uploading evidence for Q1 while the CIO submits it: an upload is kept only if it
    landed before the submit (its history entry precedes the state change), the others are refused as
    locked, and a refused upload leaves no file behind."""
    uploaders = 6
    clients = [client_for(crowd.officers[i]) for i in range(uploaders)]
    cio = client_for(crowd.cio)
    version = period_of(crowd.plan, 1).version
    data = pdf_bytes()
    first_saved = threading.Event()

    def work(i: int):
        if i == uploaders:
            assert first_saved.wait(timeout=60)
            return answer(cio.post(f"{CROWD}periods/1/submit/", {"version": str(version), "confirmed": "1"}))
        url = f"{CROWD}indicators/1.1.{i + 1}/evidence/"
        kept = 0
        for attempt in range(1, 501):
            upload = io.BytesIO(data)
            upload.name = f"scan-{i}-{attempt}.pdf"
            reply = answer(
                clients[i].post(url, {"title": f"প্রমাণক {i}-{attempt}", "quarter": "1", "file": upload})
            )
            assert reply.status == 302, reply.text[:500]
            if reply.saved:
                kept += 1
                first_saved.set()
                continue
            assert any(LOCKED in m for m in reply.messages), reply.messages
            return kept
        raise AssertionError("the submit never took effect")

    results = run_together(uploaders + 1, work)

    assert not any(PERIOD_CONFLICT in m for m in results[uploaders].messages)
    [state_entry] = state_entries(crowd.plan, 1, PeriodState.SUBMITTED)
    evidence = Evidence.objects.filter(indicator__plan=crowd.plan)
    assert evidence.count() == sum(results[:uploaders]) > 0
    added = HistoryEntry.objects.filter(plan=crowd.plan, kind=HistoryKind.EVIDENCE_ADDED)
    assert added.count() == evidence.count()
    assert all(e.pk < state_entry.pk for e in added)
    stored_files = [p for p in Path(settings.PRIVATE_FILES_ROOT).rglob("*") if p.is_file()]
    assert len(stored_files) == evidence.count()


def test_marking_not_applicable_racing_value_saves_never_leaves_a_value_on_a_not_applicable_indicator(crowd):
    """Rounds of: 4 officers save a value of the same indicator (one quarter each) while a fifth marks it
    not applicable. Either the marking comes first and the saves are refused, or a save comes first and the
    marking is refused: a not-applicable indicator never ends up with an achievement."""
    indicator = crowd.indicators[0]
    base = f"{CROWD}indicators/1.1.1/"
    clients = [client_for(crowd.officers[i]) for i in range(5)]
    for round_ in range(6):
        Indicator.objects.filter(pk=indicator.pk).update(applicable=True, not_applicable_reason="")
        Progress.objects.filter(indicator=indicator).update(value_number=None, remark="")
        versions = {p.quarter: str(p.version) for p in Progress.objects.filter(indicator=indicator)}

        def work(i: int, versions=versions) -> Answer:
            if i == 4:
                return answer(
                    clients[i].post(base + "applicability/", {"applicable": "0", "reason": "প্রযোজ্য নয়"})
                )
            quarter = i + 1
            return answer(
                clients[i].post(
                    f"{base}q{quarter}/", {"value": "3", "remark": "", "version": versions.get(quarter, "")}
                )
            )

        answers = run_together(5, work)

        # A save is stored (redirect) or refused because the indicator is now not applicable.
        assert all(a.status == 302 or "প্রযোজ্য নয় হিসেবে চিহ্নিত" in a.text for a in answers[:4])
        indicator.refresh_from_db()
        with_values = Progress.objects.filter(indicator=indicator, value_number__isnull=False).count()
        assert indicator.applicable or with_values == 0, (
            f"round {round_}: not applicable with {with_values} values"
        )


def test_applicability_changes_racing_the_first_submit_land_before_it_or_are_refused(crowd):
    """Rounds of: an officer changes an indicator's applicability while the CIO submits Q1 (applicability
    decides every quarter's marks, so it is frozen once any quarter is submitted). The change either lands
    before the submit (its history entry precedes the state change) or is refused; it never lands on a
    plan with a submitted quarter."""
    indicator = crowd.indicators[-1]
    officer, cio = client_for(crowd.officers[0]), client_for(crowd.cio)
    url = f"{CROWD}indicators/1.1.{CROWD_SIZE}/applicability/"
    for round_ in range(8):
        period = period_of(crowd.plan, 1)
        applicable = round_ % 2 == 1  # not applicable first, then back, …
        before = set(HistoryEntry.objects.filter(kind=HistoryKind.APPLICABILITY).values_list("pk", flat=True))

        def work(i: int, version=period.version, applicable=applicable) -> Answer:
            if i == 0:
                form = {"applicable": "1" if applicable else "0", "reason": "" if applicable else "প্রযোজ্য নয়"}
                return answer(officer.post(url, form))
            return answer(cio.post(f"{CROWD}periods/1/submit/", {"version": str(version), "confirmed": "1"}))

        changed, submitted = run_together(2, work)

        assert not any(PERIOD_CONFLICT in m for m in submitted.messages)
        state_entry = state_entries(crowd.plan, 1, PeriodState.SUBMITTED).order_by("-pk").first()
        entries = HistoryEntry.objects.filter(kind=HistoryKind.APPLICABILITY).exclude(pk__in=before)
        indicator.refresh_from_db()
        if entries:
            [entry] = entries
            assert entry.pk < state_entry.pk, f"round {round_}: applicability changed after the submit"
            assert indicator.applicable is applicable
        else:
            # The refusal is shown beside the form, with the typed reason kept (issue 14.9).
            assert "প্রযোজ্যতা এখন বদলানো যাবে না" in changed.text, changed.messages
            assert indicator.applicable is not applicable
            # Keep the rounds alternating from a known state.
            Indicator.objects.filter(pk=indicator.pk).update(
                applicable=applicable, not_applicable_reason="" if applicable else "প্রযোজ্য নয়"
            )
        period = period_of(crowd.plan, 1)
        period_transition(
            period=period,
            action="return",
            user=crowd.cio,
            comment="আবার দেখুন",
            expected_version=period.version,
        )


def test_a_value_saved_while_the_indicator_is_being_marked_not_applicable_is_refused(crowd):
    """The marking of 1.1.1 as not applicable is still open when an officer saves a Q1 value for it: the
    save waits for the marking, then sees it and is refused. (Trusting the indicator as the view loaded it,
    before the wait, would store a value on an indicator that is not applicable.)"""
    indicator = crowd.indicators[0]
    officer = client_for(crowd.officers[0])

    def mark_not_applicable() -> None:
        indicator_set_applicability(indicator=indicator, applicable=False, reason="প্রযোজ্য নয়", user=crowd.cio)

    def save() -> Answer:
        return answer(
            officer.post(f"{CROWD}indicators/1.1.1/q1/", {"value": "3", "remark": "", "version": ""})
        )

    reply, waited = held_open(mark_not_applicable, save)

    assert waited
    assert reply.status == 200 and "প্রযোজ্য নয় হিসেবে চিহ্নিত" in reply.text
    indicator.refresh_from_db()
    assert not indicator.applicable
    assert not Progress.objects.filter(indicator=indicator).exists()


def test_the_first_submit_waits_for_an_applicability_change_in_progress(crowd):
    """An officer's applicability change is still open when the CIO submits Q1. The submit waits until the
    change is committed, so the change lands before the plan is locked (its history entry precedes the
    state change), never after it."""
    indicator = crowd.indicators[-1]
    q1 = period_of(crowd.plan, 1)
    cio = client_for(crowd.cio)

    def mark_not_applicable() -> None:
        indicator_set_applicability(
            indicator=indicator, applicable=False, reason="প্রযোজ্য নয়", user=crowd.officers[0]
        )

    def submit() -> Answer:
        return answer(cio.post(f"{CROWD}periods/1/submit/", {"version": str(q1.version), "confirmed": "1"}))

    submitted, waited = held_open(mark_not_applicable, submit)

    assert waited
    assert not any(PERIOD_CONFLICT in m for m in submitted.messages)
    assert period_of(crowd.plan, 1).state == PeriodState.SUBMITTED
    [changed] = HistoryEntry.objects.filter(plan=crowd.plan, kind=HistoryKind.APPLICABILITY)
    [state_entry] = state_entries(crowd.plan, 1, PeriodState.SUBMITTED)
    assert changed.pk < state_entry.pk


def test_a_progress_import_waits_for_a_submit_in_progress_and_then_refuses_the_locked_quarter(crowd):
    """The CIO's submit of Q1 is still open when a progress sheet for Q1 is imported (admin or command line).
    The import waits for the period lock, then sees Q1 submitted and refuses every row: nothing is written
    after the quarter left draft. (Without the lock it read "draft" and wrote into the submitted quarter.)"""
    from indicators.problems import ImportFailed
    from indicators.services.progress import progress_import
    from tests.indicators.test_progress_import import sheet_of

    def submit() -> None:
        act(period_of(crowd.plan, 1), "submit", "crowd.cio")

    def import_q1() -> str:
        try:
            progress_import(plan=crowd.plan, sheet=sheet_of([["1.1.1", "1", "5", "", ""]]), user=crowd.cio)
        except ImportFailed as refused:
            return str(refused)
        return "stored"

    outcome, waited = held_open(submit, import_q1)

    assert waited
    assert outcome != "stored"
    assert period_of(crowd.plan, 1).state == PeriodState.SUBMITTED
    assert not Progress.objects.filter(indicator__plan=crowd.plan, quarter=1).exists()


# ---------------------------------------------------------------------------------------------------------
# The approved record under races (DESIGN.md §4): a return and a later quarter's approval


def test_a_return_racing_the_next_quarters_approval_never_leaves_that_approval_standing(demo):
    """Rounds of: the reviewer returns sent Q1 while the CIO approves submitted Q2. Whichever comes first,
    Q2 never ends approved on top of a returned Q1: either its approval lands first and the return takes it
    back (superseded), or the approval finds Q1 returned and is refused."""
    reviewer, cio = client_for(user("cabinet.reviewer")), client_for(user("mofa.cio"))
    for round_ in range(5):
        act(period_of(demo, 1), "submit", "mofa.officer")
        act(period_of(demo, 1), "approve", "mofa.cio")
        act(period_of(demo, 1), "send", "mofa.cio")
        act(period_of(demo, 2), "submit", "mofa.officer")
        q1, q2 = period_of(demo, 1), period_of(demo, 2)

        def work(i: int, q1_version=q1.version, q2_version=q2.version, round_=round_) -> Answer:
            if i == 0:
                form = {"version": str(q1_version), "comment": f"ফেরত {round_}"}
                return answer(reviewer.post(f"{DEMO}periods/1/review_return/", form))
            return answer(
                cio.post(f"{DEMO}periods/2/approve/", {"version": str(q2_version), "confirmed": "1"})
            )

        run_together(2, work)

        q1, q2 = period_of(demo, 1), period_of(demo, 2)
        assert q1.state == PeriodState.RETURNED
        assert q2.state in (PeriodState.SUBMITTED, PeriodState.RETURNED), q2.state
        assert q2.score_snapshot is None
        assert not Approval.objects.standing().filter(period__plan=demo).exists()
        if q2.state == PeriodState.SUBMITTED:  # the approval was refused: take Q2 back for the next round
            period_transition(
                period=q2, action="return", user=user("mofa.cio"), comment="আবার", expected_version=q2.version
            )
