"""The approved record never disagrees with the data (DESIGN.md §4), played as random sequences of every
action of every role through the services — a Hypothesis state machine.

Actions: progress saves (officer, CIO, administrator; some with an outdated version), progress sheet imports
(values and applicability), applicability, evidence (add, remove, move, retitle), plan structure (targets,
titles, weights, a plan sheet replacing the plan), every period transition by every role, and the report
worker making the approved copies (with a fast stand-in renderer that writes into the "PDF" the digest of the
data it was made from).

After every step:
- each standing approval's marks equal the marks recomputed from the data, and its source digest the digest
  of the data now; the period holds that approval's marks, a period holds one exactly when it is approved,
  sent or accepted;
- the stored copy of each standing approval was made from the data as it is;
- quarters are in order (a later quarter is never further on than an earlier one);
- nothing a locked quarter depends on changed in the step (its progress and evidence; the plan's structure
  and applicability while any quarter is locked);
- every change of the step has its history entry.

The suite runs a bounded budget (``APA_STATEFUL_EXAMPLES``, default 12 sequences of up to 30 steps); the
long run is ``make stateful`` (400 sequences, ≥ 10,000 steps), which prints the steps and violations.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from base.errors import DomainError
from evidence.models import Evidence
from evidence.services import evidence_attach, evidence_remove, evidence_update
from indicators import periods
from indicators.models import (
    EDITABLE_STATES,
    TARGET_LEVELS,
    ActionPlan,
    Activity,
    Approval,
    FiscalYear,
    HistoryEntry,
    HistoryKind,
    Indicator,
    Office,
    OfficeKind,
    OfficeMembership,
    PerformanceArea,
    Progress,
    ReportingPeriod,
    Role,
)
from indicators.selectors import plan_sheet_rows
from indicators.services import progress as progress_services
from indicators.services import structure
from indicators.services.plans import indicator_settings, plan_import
from indicators.services.progress import progress_import
from indicators.sheets import csv_bytes, read_sheet_bytes
from reports import rendering
from reports.approval_source import source_digest
from reports.approvals import approval_problems
from reports.job_run import job_run
from reports.models import ApprovedReport, JobStatus, ReportJob
from tests.files import pdf_bytes
from workflow import transitions

EXAMPLES = int(os.environ.get("APA_STATEFUL_EXAMPLES", "12"))
STEPS = int(os.environ.get("APA_STATEFUL_STEPS", "30"))
ROLES = ("officer", "cio", "reviewer", "admin", "outsider")
FAKE_PDF = b"%PDF-1.4 stand-in rendered from source "
FINAL = ("approved", "sent", "accepted")
#: Steps and refusals over every run of the machine in this process (the long run prints them).
TALLY: Counter[str] = Counter()


def fake_render(plan, kind, quarter, *, draft, on_progress=None):
    """The renderer's stand-in: a "PDF" that carries the digest of the data it was made from."""
    digest = source_digest(plan, quarter)
    pdf = FAKE_PDF + digest.encode()
    return rendering.RenderedReport(pdf=pdf, pages=1, sha256=hashlib.sha256(pdf).hexdigest())


def _rank(state: str) -> int:
    return transitions.STATE_RANK[state]


class ApprovedRecord(RuleBasedStateMachine):
    serial = 0

    @initialize()
    def make_plan(self):
        ApprovedRecord.serial += 1
        n = ApprovedRecord.serial
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        year, _ = FiscalYear.objects.get_or_create(start_year=2022)
        parent = Office.objects.create(code=f"m{n}-parent", name_bn="মন্ত্রণালয়", kind=OfficeKind.DIVISION)
        office = Office.objects.create(
            code=f"m{n}-office", name_bn="দপ্তর", kind=OfficeKind.MINISTRY, parent=parent
        )
        other = Office.objects.create(
            code=f"m{n}-other", name_bn="অন্য", kind=OfficeKind.MINISTRY, parent=parent
        )
        self.plan = ActionPlan.objects.create(office=office, fiscal_year=year)
        area1 = PerformanceArea.objects.create(
            plan=self.plan, code="1", title="ক্ষেত্র এক", marks=20, position=0
        )
        area2 = PerformanceArea.objects.create(
            plan=self.plan, code="2", title="ক্ষেত্র দুই", marks=20, position=1
        )
        act1 = Activity.objects.create(plan=self.plan, area=area1, code="1.1", title="কার্যক্রম", position=0)
        act2 = Activity.objects.create(plan=self.plan, area=area2, code="2.1", title="কার্যক্রম", position=1)
        common = {"plan": self.plan, "weight": Decimal(10)}
        Indicator.objects.create(
            **common, activity=act1, code="1.1.1", title="সভা", unit="number", calc_method="sum", position=0,
            target_100_number=10, target_90_number=9, target_80_number=8, target_70_number=7, target_60_number=6,
        )  # fmt: skip
        Indicator.objects.create(
            **common, activity=act1, code="1.1.2", title="ই-নথি", unit="percent", calc_method="average",
            position=1, target_100_number=90, target_90_number=80, target_80_number=70, target_70_number=60,
        )  # fmt: skip
        Indicator.objects.create(
            **common, activity=act2, code="2.1.1", title="দাখিল", unit="date", calc_method="date", position=2,
            target_100_date=datetime.date(2023, 5, 10), target_90_date=datetime.date(2023, 5, 20),
            target_80_date=datetime.date(2023, 5, 31),
        )  # fmt: skip
        Indicator.objects.create(
            **common, activity=act2, code="2.1.2", title="প্রশিক্ষণ", unit="number", calc_method="cumulative",
            position=3, target_100_number=40, target_90_number=30, target_80_number=20,
        )  # fmt: skip
        periods.periods_ensure(self.plan)
        User = get_user_model()
        self.users = {
            "officer": User.objects.create(username=f"m{n}-officer"),
            "cio": User.objects.create(username=f"m{n}-cio"),
            "reviewer": User.objects.create(username=f"m{n}-reviewer"),
            "admin": User.objects.create(username=f"m{n}-admin", is_staff=True, is_superuser=True),
            "outsider": User.objects.create(username=f"m{n}-outsider"),
        }
        for role, where, held in (
            ("officer", office, Role.OFFICER),
            ("cio", office, Role.CIO),
            ("reviewer", parent, Role.REVIEWER),
            ("outsider", other, Role.CIO),
        ):
            OfficeMembership.objects.create(user=self.users[role], office=where, role=held)

    def teardown(self):
        if hasattr(self, "_atomic"):
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

    # -- reading the data the way the invariants compare it

    def indicators(self) -> list[Indicator]:
        return list(
            Indicator.objects.filter(plan=self.plan).select_related("activity__area").order_by("code")
        )

    def capture(self) -> dict:
        states = dict(ReportingPeriod.objects.filter(plan=self.plan).values_list("quarter", "state"))
        progress = {
            (p.indicator.code, p.quarter): (p.value, p.remark)
            for p in Progress.objects.filter(indicator__plan=self.plan).select_related("indicator")
        }
        evidence = {
            e.pk: (e.indicator.code, e.quarter, e.title, e.position, e.sha256)
            for e in Evidence.objects.filter(indicator__plan=self.plan).select_related("indicator")
        }
        indicators = {i.code: i for i in self.indicators()}
        return {
            "states": states,
            "progress": progress,
            "evidence": evidence,
            "settings": {code: indicator_settings(i) for code, i in indicators.items()},
            "titles": {code: (i.title, i.position) for code, i in indicators.items()},
            "applicability": {
                code: (i.applicable, i.not_applicable_reason) for code, i in indicators.items()
            },
            "areas": {
                a.code: (a.title, a.marks, a.position) for a in PerformanceArea.objects.filter(plan=self.plan)
            },
            "activities": {a.code: (a.title, a.position) for a in Activity.objects.filter(plan=self.plan)},
            "history": HistoryEntry.objects.filter(plan=self.plan)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
            or 0,
        }

    def step(self, name: str, call) -> None:
        """One action through a service: a refusal (DomainError) is an allowed outcome; any other error is a
        failure. The step's changes are then checked against the locks and the history."""
        before = self.capture()
        TALLY["steps"] += 1
        try:
            with transaction.atomic():
                call()
        except DomainError:
            TALLY[f"refused {name}"] += 1
        else:
            TALLY[f"done {name}"] += 1
        after = self.capture()
        self.check_locked_unchanged(before, after)
        self.check_history(before, after)

    # -- invariants of a single step

    def check_locked_unchanged(self, before: dict, after: dict) -> None:
        locked = {q for q, state in before["states"].items() if state not in EDITABLE_STATES}
        for key in before["progress"].keys() | after["progress"].keys():
            code, quarter = key
            if quarter in locked:
                assert before["progress"].get(key) == after["progress"].get(key), f"locked Q{quarter} {code}"
        for pk in before["evidence"].keys() | after["evidence"].keys():
            was, now = before["evidence"].get(pk), after["evidence"].get(pk)
            quarters = {4 if item[1] is None else item[1] for item in (was, now) if item}
            if quarters & locked:
                assert was == now, f"evidence {pk} of a locked quarter changed: {was} → {now}"
        if locked:
            for part in ("settings", "titles", "applicability", "areas", "activities"):
                assert before[part] == after[part], f"{part} changed while {sorted(locked)} locked"

    def check_history(self, before: dict, after: dict) -> None:
        entries = list(
            HistoryEntry.objects.filter(plan=self.plan, pk__gt=before["history"]).values_list(
                "kind", "indicator_code", "quarter"
            )
        )
        kinds = Counter(kind for kind, _code, _q in entries)

        def has(kind: str, code: str | None = None, quarter: int | None = None) -> bool:
            return any(
                k == kind and (code is None or c == code) and (quarter is None or q == quarter)
                for k, c, q in entries
            )

        for key in before["progress"].keys() | after["progress"].keys():
            was = before["progress"].get(key, (None, ""))
            now = after["progress"].get(key, (None, ""))
            if was != now:
                code, quarter = key
                assert has(HistoryKind.VALUE, code, quarter) or has(HistoryKind.REMARK, code, quarter), key
        for pk in before["evidence"].keys() | after["evidence"].keys():
            was, now = before["evidence"].get(pk), after["evidence"].get(pk)
            if was is None:
                assert has(HistoryKind.EVIDENCE_ADDED, now[0]), pk
            elif now is None:
                assert has(HistoryKind.EVIDENCE_REMOVED, was[0]), pk
            elif was != now:
                assert has(HistoryKind.EVIDENCE_CHANGED, now[0]), pk
        for code in before["settings"]:
            if before["settings"][code] != after["settings"].get(code):
                assert has(HistoryKind.TARGETS, code), code
            if before["titles"][code] != after["titles"].get(code):
                assert has(HistoryKind.PLAN, code), code
            if before["applicability"][code] != after["applicability"].get(code):
                assert has(HistoryKind.APPLICABILITY, code), code
        for part in ("areas", "activities"):
            if before[part] != after[part]:
                assert kinds[HistoryKind.PLAN], part
        for quarter, state in before["states"].items():
            if after["states"][quarter] != state:
                assert has(HistoryKind.STATE, None, quarter), quarter

    # -- invariants after every step

    @invariant()
    def standing_approvals_agree_with_the_data(self):
        if not hasattr(self, "plan"):
            return
        periods = list(ReportingPeriod.objects.filter(plan=self.plan).order_by("quarter"))
        standing = {a.period_id: a for a in Approval.objects.standing().filter(period__plan=self.plan)}
        for period in periods:
            approval = standing.get(period.pk)
            assert (approval is not None) == (period.state in FINAL), (period.quarter, period.state)
            if approval is None:
                assert period.score_snapshot is None, period.quarter
                continue
            assert approval_problems(approval) == [], approval_problems(approval)
            digest = source_digest(self.plan, period.quarter)
            for report in ApprovedReport.objects.filter(approval=approval):
                with report.file.open("rb") as handle:
                    data = handle.read()
                assert data == FAKE_PDF + digest.encode(), (
                    f"Q{period.quarter} copy not made from the data now"
                )

    @invariant()
    def quarters_are_in_order(self):
        if not hasattr(self, "plan"):
            return
        ranks = [
            _rank(state)
            for state in ReportingPeriod.objects.filter(plan=self.plan)
            .order_by("quarter")
            .values_list("state", flat=True)
        ]
        assert ranks == sorted(ranks, reverse=True), ranks

    # -- the actions

    @rule(
        index=st.integers(0, 3),
        quarter=st.integers(1, 4),
        number=st.one_of(st.none(), st.integers(0, 50)),
        remark=st.sampled_from(["", "ঠিক আছে", "=1+1"]),
        role=st.sampled_from(["officer", "cio", "admin", "outsider"]),
        stale=st.booleans(),
    )
    def record_progress(self, index, quarter, number, remark, role, stale):
        indicator = self.indicators()[index]
        value = None
        if number is not None:
            value = (
                datetime.date(2023, 5, 1) + datetime.timedelta(days=number)
                if indicator.unit == "date"
                else Decimal(number)
            )
        stored = Progress.objects.filter(indicator=indicator, quarter=quarter).first()
        version = stored.version if stored else None
        if stale and version:
            version -= 1
        self.step(
            "progress",
            lambda: progress_services.progress_record(
                indicator=indicator,
                quarter=quarter,
                value=value,
                remark=remark,
                user=self.users[role],
                expected_version=version,
            ),
        )

    @rule(
        rows=st.lists(
            st.tuples(st.integers(0, 3), st.integers(1, 4), st.one_of(st.none(), st.integers(0, 50))),
            min_size=1,
            max_size=4,
        ),
        not_applicable=st.one_of(st.none(), st.integers(0, 3)),
    )
    def import_progress(self, rows, not_applicable):
        indicators = self.indicators()
        lines, seen = [], set()
        for index, quarter, number in rows:
            indicator = indicators[index]
            if (index, quarter) in seen or index == not_applicable:
                continue
            seen.add((index, quarter))
            if number is None:
                text = ""
            elif indicator.unit == "date":
                text = (datetime.date(2023, 5, 1) + datetime.timedelta(days=number)).strftime("%d/%m/%Y")
            else:
                text = str(number)
            lines.append([indicator.code, str(quarter), text, "আমদানি", ""])
        if not_applicable is not None:
            lines.append([indicators[not_applicable].code, "", "", "প্রকল্প বন্ধ", "প্রযোজ্য নয়"])
        sheet = read_sheet_bytes(
            csv_bytes(["সূচক নং", "ত্রৈমাসিক", "অর্জন", "মন্তব্য", "প্রযোজ্যতা"], lines), name="p.csv"
        )
        self.step(
            "import_progress",
            lambda: progress_import(plan=self.plan, sheet=sheet, user=self.users["officer"]),
        )

    @rule(index=st.integers(0, 3), applicable=st.booleans(), role=st.sampled_from(["officer", "admin"]))
    def set_applicability(self, index, applicable, role):
        indicator = self.indicators()[index]
        if not applicable:  # a not-applicable indicator may not keep values: clear them first, as people do
            for progress in Progress.objects.filter(indicator=indicator).with_value():
                self.step(
                    "clear_for_applicability",
                    lambda p=progress: progress_services.progress_record(
                        indicator=indicator,
                        quarter=p.quarter,
                        value=None,
                        remark="",
                        user=self.users["officer"],
                        expected_version=p.version,
                    ),
                )
        self.step(
            "applicability",
            lambda: progress_services.indicator_set_applicability(
                indicator=indicator, applicable=applicable, reason="প্রকল্প বন্ধ", user=self.users[role]
            ),
        )

    @rule(index=st.integers(0, 3), quarter=st.one_of(st.none(), st.integers(1, 4)), pages=st.integers(1, 2))
    def attach_evidence(self, index, quarter, pages):
        indicator = self.indicators()[index]
        self.step(
            "attach_evidence",
            lambda: evidence_attach(
                indicator=indicator,
                title="প্রমাণক",
                data=pdf_bytes(pages),
                original_name="e.pdf",
                quarter=quarter,
                user=self.users["officer"],
            ),
        )

    @rule(pick=st.integers(0, 5), role=st.sampled_from(["officer", "outsider"]))
    def remove_evidence(self, pick, role):
        items = list(Evidence.objects.filter(indicator__plan=self.plan).order_by("pk"))
        if not items:
            return
        item = items[pick % len(items)]
        self.step(
            "remove_evidence", lambda: evidence_remove(evidence=item, user=self.users[role], reason="ভুল")
        )

    @rule(
        pick=st.integers(0, 5),
        quarter=st.one_of(st.none(), st.integers(1, 4)),
        title=st.sampled_from(["নতুন", "প্রমাণক"]),
    )
    def correct_evidence(self, pick, quarter, title):
        items = list(Evidence.objects.filter(indicator__plan=self.plan).order_by("pk"))
        if not items:
            return
        item = items[pick % len(items)]
        self.step(
            "correct_evidence",
            lambda: evidence_update(
                evidence=item, title=title, quarter=quarter, position=item.position, user=self.users["admin"]
            ),
        )

    @rule(index=st.integers(0, 3), shift=st.integers(-1, 1), title=st.sampled_from(["সূচক", "নতুন নাম"]))
    def edit_indicator(self, index, shift, title):
        indicator = self.indicators()[index]
        targets = {level: indicator.target(level) for level in TARGET_LEVELS}
        if indicator.unit == "date":
            targets = {k: v and v + datetime.timedelta(days=shift) for k, v in targets.items()}
        else:
            targets = {k: v and v + shift for k, v in targets.items()}
        changes = structure.IndicatorChanges(
            title=title,
            position=indicator.position,
            calc_method=indicator.calc_method,
            scoring_method=indicator.scoring_method,
            direction=indicator.direction,
            targets=targets,
            evaluation=indicator.evaluation,
            evidence_expected=indicator.evidence_expected,
        )
        self.step(
            "edit_indicator",
            lambda: structure.indicator_update(
                indicator=indicator, changes=changes, user=self.users["admin"]
            ),
        )

    @rule(area=st.sampled_from(["1", "2"]), title=st.sampled_from(["ক্ষেত্র", "নতুন ক্ষেত্র"]))
    def edit_area(self, area, title):
        item = PerformanceArea.objects.get(plan=self.plan, code=area)
        self.step(
            "edit_area",
            lambda: structure.area_update(
                area=item, title=title, position=item.position, user=self.users["admin"]
            ),
        )

    @rule(delta=st.integers(-2, 2))
    def move_weight(self, delta):
        first, second = (i for i in self.indicators() if i.activity.area.code == "1")
        weights = {first.pk: first.weight + delta, second.pk: second.weight - delta}
        self.step(
            "weights",
            lambda: structure.plan_weights_update(plan=self.plan, weights=weights, user=self.users["admin"]),
        )

    @rule(t100=st.integers(10, 14))
    def replace_plan(self, t100):
        headers, rows = plan_sheet_rows(self.plan)
        rows[0][headers.index("অসাধারণ")] = str(t100)
        sheet = read_sheet_bytes(csv_bytes(headers, rows), name="plan.csv")
        self.step(
            "replace_plan",
            lambda: plan_import(
                office=self.plan.office,
                fiscal_year=self.plan.fiscal_year,
                sheet=sheet,
                replace=True,
                user=self.users["officer"],
            ),
        )

    @rule(
        quarter=st.integers(1, 4),
        action=st.sampled_from(list(transitions.TRANSITIONS)),
        role=st.sampled_from(ROLES),
        stale=st.booleans(),
    )
    def transition(self, quarter, action, role, stale):
        period = ReportingPeriod.objects.get(plan=self.plan, quarter=quarter)
        self.step(
            f"transition {action}",
            lambda: transitions.period_transition(
                period=period,
                action=action,
                user=self.users[role],
                comment="কারণ",
                expected_version=period.version - 1 if stale else period.version,
            ),
        )

    # The next step a period's people would take (random transitions rarely hit a whole approval).
    NEXT = {
        "draft": [("submit", "officer")],
        "returned": [("submit", "officer")],
        "submitted": [("approve", "cio"), ("approve", "cio"), ("return", "cio")],
        "approved": [("send", "cio")],
        "sent": [("accept", "reviewer"), ("review_return", "reviewer")],
        "accepted": [],
    }

    @rule(choice=st.integers(0, 2), then_worker=st.booleans())
    def advance_the_earliest_open_quarter(self, choice, then_worker):
        period = (
            ReportingPeriod.objects.filter(plan=self.plan)
            .exclude(state="accepted")
            .order_by("quarter")
            .first()
        )
        if period is not None:
            self.advance(period.quarter, choice)
        if then_worker:
            self.worker_runs_the_queued_jobs()

    @rule(choice=st.integers(0, 2))
    def advance_the_latest_moved_quarter(self, choice):
        period = (
            ReportingPeriod.objects.filter(plan=self.plan).exclude(state="draft").order_by("quarter").last()
        )
        if period is not None:
            self.advance(period.quarter, choice)

    @rule(quarter=st.integers(1, 4), choice=st.integers(0, 2))
    def advance(self, quarter, choice):
        period = ReportingPeriod.objects.get(plan=self.plan, quarter=quarter)
        options = self.NEXT[period.state]
        if not options:
            return
        action, role = options[choice % len(options)]
        self.step(
            f"transition {action}",
            lambda: transitions.period_transition(
                period=period,
                action=action,
                user=self.users[role],
                comment="কারণ",
                expected_version=period.version,
            ),
        )

    @rule()
    def worker_runs_the_queued_jobs(self):
        for job in ReportJob.objects.filter(plan=self.plan, status=JobStatus.QUEUED).order_by("pk"):
            done = job_run(job.pk)
            TALLY[f"job {done.status if done else 'not claimed'}"] += 1


@pytest.mark.django_db
def test_the_approved_record_never_disagrees_with_the_data(monkeypatch):
    """Random sequences of every action of every role: the invariants of the module docstring hold after
    every step."""
    monkeypatch.setattr(rendering, "render_report", fake_render)
    run_state_machine_as_test(
        ApprovedRecord,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            database=None,
        ),
    )
    if os.environ.get("APA_STATEFUL_REPORT"):
        print("\n" + ", ".join(f"{key}: {count}" for key, count in sorted(TALLY.items())))
    assert TALLY["steps"] > 0
    assert re.search("done transition approve", " ".join(TALLY)), "no approval was ever made"
