"""Indicators the system already knows (issue 16.4), through a whole fiscal year: one plan with an indicator
bound to each source — the review meetings held (a count, and the first meeting's date), the half-yearly
report's sending, the review of child offices kept, the Smart Bangladesh plan's approval — walked from Q1 to Q4
with the real services and pages as the office would use them, on the days they would do it.

After every step: which quarter got which value, the record kept as evidence, the history, that a quarter
already submitted is never changed by a later record (the value goes to the first open quarter, DESIGN.md §4),
that the officer's correction stays, that the marks follow, and at the end that the approved Q4 record agrees
with the data.
"""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal
from unittest import mock

import pytest
from django.test import Client

from evidence.models import Evidence
from indicators.models import (
    ActionPlan,
    Activity,
    Approval,
    DataSource,
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
from indicators.periods import periods_ensure
from indicators.scores import plan_score, plan_score_json
from indicators.services.sources import AUTO_REASON, indicator_set_source
from reports import meetings, smart_plan
from reports.approvals import approval_problems
from reports.models import MeetingState
from tests.factories import UserFactory
from tests.files import pdf_bytes
from workflow import transitions

pytestmark = pytest.mark.django_db

DHAKA = zoneinfo.ZoneInfo("Asia/Dhaka")
COUNT, FIRST, HALF, CHILDREN, SMART = "1.1.1", "1.1.2", "2.1.1", "2.1.2", "2.1.3"


def d(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, day)


class Year:
    """The ministry's plan of 2022-23 and its people; ``on(day)`` runs what follows on that day."""

    def __init__(self):
        self.fiscal_year, _ = FiscalYear.objects.get_or_create(start_year=2022)
        cabinet = Office.objects.create(code="cab", name_bn="মন্ত্রিপরিষদ বিভাগ", kind=OfficeKind.DIVISION)
        self.office = Office.objects.create(
            code="min", name_bn="মন্ত্রণালয়", kind=OfficeKind.MINISTRY, parent=cabinet
        )
        Office.objects.create(code="dep", name_bn="অধিদপ্তর", kind=OfficeKind.DEPARTMENT, parent=self.office)
        self.plan = ActionPlan.objects.create(office=self.office, fiscal_year=self.fiscal_year)
        meetings_area = PerformanceArea.objects.create(plan=self.plan, code="1", title="সভা", marks=6)
        reports_area = PerformanceArea.objects.create(
            plan=self.plan, code="2", title="প্রতিবেদন", marks=9, position=1
        )
        held = Activity.objects.create(plan=self.plan, area=meetings_area, code="1.1", title="পর্যালোচনা সভা")
        sent = Activity.objects.create(plan=self.plan, area=reports_area, code="2.1", title="প্রতিবেদন প্রেরণ")

        def number(activity, code, title, weight, targets):
            levels = dict(zip((100, 90, 80, 70), targets, strict=True))
            return Indicator.objects.create(
                plan=self.plan, activity=activity, code=code, title=title, unit="number", calc_method="sum",
                weight=weight, position=len(self.indicators),
                **{f"target_{level}_number": Decimal(value) for level, value in levels.items()},
            )  # fmt: skip

        def date(activity, code, title, weight, targets):
            return Indicator.objects.create(
                plan=self.plan, activity=activity, code=code, title=title, unit="date", calc_method="date",
                weight=weight, position=len(self.indicators),
                **{f"target_{level}_date": value for level, value in zip((100, 90, 80, 70), targets, strict=True)},
            )  # fmt: skip

        self.indicators: dict[str, Indicator] = {}
        self.indicators[COUNT] = number(held, COUNT, "পর্যালোচনা সভা আয়োজিত", 4, (6, 5, 4, 3))
        self.indicators[FIRST] = date(
            held,
            FIRST,
            "প্রথম পর্যালোচনা সভা",
            2,
            (d(2022, 8, 15), d(2022, 8, 31), d(2022, 9, 15), d(2022, 9, 30)),
        )
        self.indicators[HALF] = date(
            sent, HALF, "অর্ধবার্ষিক প্রতিবেদন প্রেরিত", 3, (d(2023, 1, 15), d(2023, 1, 22), d(2023, 1, 31), d(2023, 2, 15))
        )  # fmt: skip
        self.indicators[CHILDREN] = date(
            sent, CHILDREN, "আওতাধীন দপ্তরের প্রতিবেদন পর্যালোচিত", 3, (d(2022, 10, 31), d(2022, 11, 15), d(2022, 11, 30), d(2022, 12, 15))
        )  # fmt: skip
        self.indicators[SMART] = date(
            sent, SMART, "স্মার্ট বাংলাদেশ কর্মপরিকল্পনা অনুমোদিত", 3, (d(2022, 11, 30), d(2022, 12, 10), d(2022, 12, 20), d(2022, 12, 31))
        )  # fmt: skip
        periods_ensure(self.plan)
        self.officer = UserFactory(username="min.officer")
        self.cio = UserFactory(username="min.cio")
        self.reviewer = UserFactory(username="cab.reviewer")
        for user, office, role in (
            (self.officer, self.office, Role.OFFICER),
            (self.cio, self.office, Role.CIO),
            (self.reviewer, cabinet, Role.REVIEWER),
        ):
            OfficeMembership.objects.create(user=user, office=office, role=role)
        for code, source in (
            (COUNT, DataSource.MEETINGS_HELD),
            (FIRST, DataSource.MEETINGS_HELD),
            (HALF, DataSource.HALF_YEARLY_SENT),
            (CHILDREN, DataSource.CHILDREN_REVIEW),
            (SMART, DataSource.SMART_PLAN_APPROVED),
        ):
            indicator_set_source(indicator=self.indicators[code], source=source, user=self.officer)

    # -- the calendar

    def on(self, day: datetime.date):
        moment = datetime.datetime.combine(day, datetime.time(11, 0), tzinfo=DHAKA)
        return mock.patch("django.utils.timezone.now", return_value=moment)

    # -- what the office does

    def meeting(self, held_on: datetime.date, approved_on: datetime.date) -> meetings.Meeting:
        with self.on(held_on):
            meeting = meetings.meeting_create(
                office=self.office, fiscal_year=self.fiscal_year, user=self.officer, held_on=held_on, chair_name="সভাপতি"
            )  # fmt: skip
        with self.on(approved_on):
            meetings.meeting_approve(
                meeting=meeting, user=self.cio, expected_version=meeting.version, pdf=pdf_bytes()
            )
        meeting.refresh_from_db()
        assert meeting.state == MeetingState.APPROVED  # a record never fails because of its indicators
        return meeting

    def move(self, quarter: int, action: str, day: datetime.date, comment: str = "") -> None:
        user = {"submit": self.officer, "accept": self.reviewer, "review_return": self.reviewer}.get(
            action, self.cio
        )
        period = ReportingPeriod.objects.get(plan=self.plan, quarter=quarter)
        with self.on(day):
            transitions.period_transition(
                period=period, action=action, user=user, comment=comment, expected_version=period.version
            )

    def through(self, quarter: int, day: datetime.date, *, until: str = "accept") -> None:
        for step, action in enumerate(("submit", "approve", "send", "accept")):
            self.move(quarter, action, day + datetime.timedelta(days=step))
            if action == until:
                return

    def client(self, user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def keep_children_review(self, quarter: int, day: datetime.date, chosen: str = CHILDREN):
        with self.on(day):
            return self.client(self.officer).post(
                f"/review/children/min/2022-23/q{quarter}/", {"indicator": self.indicators[chosen].pk}
            )

    # -- what is stored

    def values(self, code: str) -> dict[int, object]:
        return {
            p.quarter: p.value
            for p in Progress.objects.filter(indicator=self.indicators[code]).order_by("quarter")
            if p.value is not None
        }

    def evidence(self, code: str) -> list[tuple[int, str]]:
        return list(
            Evidence.objects.filter(indicator=self.indicators[code])
            .order_by("pk")
            .values_list("quarter", "title")
        )

    def value_history(self, code: str) -> list[tuple[int, str, str, str]]:
        return list(
            HistoryEntry.objects.filter(indicator=self.indicators[code], kind=HistoryKind.VALUE)
            .order_by("pk")
            .values_list("quarter", "before", "after", "reason")
        )

    def marks(self) -> dict[str, str]:
        score = plan_score_json(self.plan, plan_score(self.plan))
        return {row["code"]: row["achieved_marks"] for row in score["indicators"]}

    def states(self) -> dict[int, str]:
        return dict(ReportingPeriod.objects.filter(plan=self.plan).values_list("quarter", "state"))


def auto(label: DataSource) -> str:
    return f"{AUTO_REASON} — উৎস: {label.label}"


def test_the_bound_indicators_through_a_whole_year():
    year = Year()
    meetings_reason = auto(DataSource.MEETINGS_HELD)

    # Q1. The first meeting, approved the day it was held: the count and the first meeting's date in Q1, the
    # minutes as the evidence of both, and the value's history says it was filled from the meetings held.
    year.meeting(d(2022, 8, 10), d(2022, 8, 10))
    assert year.values(COUNT) == {1: Decimal(1)}
    assert year.values(FIRST) == {1: d(2022, 8, 10)}
    assert [q for q, _title in year.evidence(COUNT)] == [1] and [q for q, _t in year.evidence(FIRST)] == [1]
    assert "কার্যবিবরণী" in year.evidence(COUNT)[0][1]
    assert year.value_history(COUNT) == [(1, "", "1", meetings_reason)]
    assert year.value_history(FIRST) == [(1, "", "2022-08-10", meetings_reason)]
    progress = Progress.objects.get(indicator=year.indicators[COUNT], quarter=1)
    assert progress.remark == f"উৎস: {DataSource.MEETINGS_HELD.label}"
    assert year.marks()[COUNT] == "0.00"  # 1 of 6 is below the lowest level
    assert year.marks()[FIRST] == "2.00"  # 10 August, before the 100% date

    # The second meeting of Q1: the quarter's count becomes 2; the first meeting's date stays, unwritten.
    year.meeting(d(2022, 9, 20), d(2022, 9, 21))
    assert year.values(COUNT) == {1: Decimal(2)}
    assert year.values(FIRST) == {1: d(2022, 8, 10)}
    assert len(year.value_history(FIRST)) == 1
    assert [q for q, _t in year.evidence(COUNT)] == [1, 1]

    # Q1 goes through: submitted, approved, sent, accepted.
    year.through(1, d(2022, 10, 5))
    assert year.states()[1] == "accepted"

    # A meeting held in Q1 but approved after Q1 was submitted: Q1 is not touched (locked); the meeting
    # counts in Q2, the first open quarter — once (not Q1's two meetings again), and the first meeting's
    # date, already reported in Q1, is not written again.
    year.meeting(d(2022, 9, 28), d(2022, 10, 20))
    assert year.values(COUNT) == {1: Decimal(2), 2: Decimal(1)}
    assert year.values(FIRST) == {1: d(2022, 8, 10)}
    assert [q for q, _t in year.evidence(COUNT)] == [1, 1, 2]

    # The review of the child offices' Q1 reports, kept on 25 October from its page: Q1 is locked, so the PDF
    # and the date go to Q2 (the quarter the review was kept in).
    response = year.keep_children_review(1, d(2022, 10, 25))
    assert response.status_code == 302
    assert year.values(CHILDREN) == {2: d(2022, 10, 25)}
    assert year.evidence(CHILDREN) and year.evidence(CHILDREN)[0][0] == 2
    assert year.value_history(CHILDREN) == [(2, "", "2022-10-25", auto(DataSource.CHILDREN_REVIEW))]
    assert year.marks()[CHILDREN] == "3.00"

    # A Q2 meeting: Q2's count is the late Q1 meeting and this one.
    year.meeting(d(2022, 11, 15), d(2022, 11, 16))
    assert year.values(COUNT) == {1: Decimal(2), 2: Decimal(2)}
    assert year.marks()[COUNT] == "3.20"  # 4 meetings: the 80% level of weight 4

    # The Smart Bangladesh plan: written by the officer, approved by the CIO on 1 December.
    with year.on(d(2022, 11, 20)):
        plan = smart_plan.smart_plan_get_or_create(
            office=year.office, fiscal_year=year.fiscal_year, user=year.officer
        )
        plan = smart_plan.smart_plan_update(
            smart_plan=plan, user=year.officer, expected_version=plan.version,
            initiatives=[{"name": "ই-নথি শতভাগ", "term": "short"}],
        )  # fmt: skip
    with year.on(d(2022, 12, 1)):
        approved = smart_plan.smart_plan_approve(
            smart_plan=plan, user=year.cio, expected_version=plan.version, pdf_bytes=pdf_bytes()
        )
    assert approved.filled_value == d(2022, 12, 1)
    assert year.values(SMART) == {2: d(2022, 12, 1)}
    assert [q for q, _t in year.evidence(SMART)] == [2]
    assert year.marks()[SMART] == "2.97"  # a day after the 100% date: 99% of 3

    # The officer corrects it (the letter went on 30 November) with the reason in the remark, through the
    # in-place editor: kept, in the history under the officer's name, shown on the indicator page; the marks
    # follow.
    stored = Progress.objects.get(indicator=year.indicators[SMART], quarter=2)
    officer = year.client(year.officer)
    with year.on(d(2022, 12, 5)):
        response = officer.post(
            f"/plans/min/2022-23/indicators/{SMART}/q2/",
            {"value": "30/11/2022", "remark": "সংশোধন: চিঠি ৩০/১১/২০২২ তারিখে জারি", "version": stored.version},
        )
    assert response.status_code == 302
    assert year.values(SMART) == {2: d(2022, 11, 30)}
    correction = HistoryEntry.objects.filter(indicator=year.indicators[SMART], kind=HistoryKind.VALUE).first()
    assert (correction.before, correction.after, correction.user) == (
        "2022-12-01",
        "2022-11-30",
        year.officer,
    )
    page = officer.get(f"/plans/min/2022-23/indicators/{SMART}/").content.decode()
    assert "সংশোধন: চিঠি ৩০/১১/২০২২ তারিখে জারি" in page and str(DataSource.SMART_PLAN_APPROVED.label) in page
    assert year.marks()[SMART] == "3.00"

    # The officer also corrects Q2's meetings (a third meeting's minutes are on paper); a later Q2 meeting
    # does not overwrite the correction: it is the officer's now.
    stored = Progress.objects.get(indicator=year.indicators[COUNT], quarter=2)
    with year.on(d(2022, 12, 10)):
        response = officer.post(
            f"/plans/min/2022-23/indicators/{COUNT}/q2/",
            {"value": "3", "remark": "একটি সভার কার্যবিবরণী কাগজে", "version": stored.version},
        )
    assert response.status_code == 302
    history_before = len(year.value_history(COUNT))
    year.meeting(d(2022, 12, 20), d(2022, 12, 21))
    assert year.values(COUNT) == {1: Decimal(2), 2: Decimal(3)}
    assert len(year.value_history(COUNT)) == history_before
    assert (
        Progress.objects.get(indicator=year.indicators[COUNT], quarter=2).remark == "একটি সভার কার্যবিবরণী কাগজে"
    )

    # Q2 and the half-yearly report: sent on 10 January, a Q3 day; Q2 is locked then, so the date goes to Q3.
    year.through(2, d(2023, 1, 8), until="send")
    assert year.values(HALF) == {3: d(2023, 1, 10)}
    assert year.value_history(HALF) == [(3, "", "2023-01-10", auto(DataSource.HALF_YEARLY_SENT))]
    assert year.marks()[HALF] == "3.00"
    # Returned by the Cabinet Division and sent again on 16 January: the date it was last sent, filled by the
    # system each time.
    year.move(2, "review_return", d(2023, 1, 12), comment="ভূমিকা অসম্পূর্ণ")
    year.through(2, d(2023, 1, 14), until="send")
    assert year.values(HALF) == {3: d(2023, 1, 16)}
    assert [(before, after) for _q, before, after, _r in year.value_history(HALF)] == [
        ("", "2023-01-10"),
        ("2023-01-10", "2023-01-16"),
    ]
    assert year.marks()[HALF] == "2.96"  # a day after the 100% date of a week's step: 98.57% of 3
    year.move(2, "accept", d(2023, 1, 20))
    # Nothing of Q1 and Q2 changed since they were submitted.
    assert year.values(COUNT)[1] == Decimal(2) and year.values(SMART) == {2: d(2022, 11, 30)}

    # Q3: a meeting in February, then Q3 goes through.
    year.meeting(d(2023, 2, 10), d(2023, 2, 10))
    assert year.values(COUNT) == {1: Decimal(2), 2: Decimal(3), 3: Decimal(1)}
    year.through(3, d(2023, 4, 5))

    # Q4: a meeting in May (counted in Q4), and the review of the child offices' Q3 reports on 10 May: its PDF
    # is Q4's evidence, but its date is not written — the date indicator takes the earliest date, and Q2
    # reports 25 October already.
    year.meeting(d(2023, 5, 5), d(2023, 5, 6))
    assert year.values(COUNT) == {1: Decimal(2), 2: Decimal(3), 3: Decimal(1), 4: Decimal(1)}
    assert year.keep_children_review(3, d(2023, 5, 10)).status_code == 302
    assert year.values(CHILDREN) == {2: d(2022, 10, 25)}
    assert [q for q, _t in year.evidence(CHILDREN)] == [2, 4]
    assert year.marks()[CHILDREN] == "3.00"
    assert year.marks()[COUNT] == "4.00"  # 7 meetings: beyond the 100% level

    # Q4 submitted and approved: the annual record.
    year.through(4, d(2023, 6, 10), until="approve")
    approval = Approval.objects.standing().get(period__plan=year.plan, period__quarter=4)
    before = {code: year.values(code) for code in year.indicators}
    evidence_before = Evidence.objects.filter(indicator__plan=year.plan).count()
    history_before = HistoryEntry.objects.filter(plan=year.plan, kind=HistoryKind.VALUE).count()

    # A meeting after every quarter is locked, and a child-office review: the minutes are approved all the
    # same, and nothing of the plan changes — no value, no evidence, no history.
    year.meeting(d(2023, 6, 20), d(2023, 6, 21))
    response = year.keep_children_review(4, d(2023, 6, 25))
    assert response.status_code == 200  # the page says why: the quarter is locked
    assert {code: year.values(code) for code in year.indicators} == before
    assert Evidence.objects.filter(indicator__plan=year.plan).count() == evidence_before
    assert HistoryEntry.objects.filter(plan=year.plan, kind=HistoryKind.VALUE).count() == history_before

    # The approved Q4 record agrees with the data: its marks are the marks computed now, from the values above.
    approval.refresh_from_db()
    assert approval_problems(approval) == []
    snapshot = {row["code"]: row["achieved_marks"] for row in approval.score_snapshot["indicators"]}
    assert (
        snapshot
        == year.marks()
        == {
            COUNT: "4.00",
            FIRST: "2.00",
            HALF: "2.96",
            CHILDREN: "3.00",
            SMART: "3.00",
        }
    )
    assert approval.score_snapshot["achieved_marks"] == "14.96"
