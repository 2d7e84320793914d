"""Indicators the system already knows (issue 16.4): an indicator bound to a record gets its value when the
record happens — the half-yearly report's sending, the meetings held, the Smart Bangladesh plan's approval, the
child offices' review kept — through the progress service, with the source in the remark; the officer can still
correct it; binding is the office's officers' and CIO's, in the history."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from base.errors import PermissionDeniedError
from evidence.models import Evidence
from indicators.models import DataSource, HistoryEntry, PeriodState, Progress, ReportingPeriod, Role
from indicators.periods import periods_ensure
from indicators.services.sources import fiscal_quarter, indicator_set_source, source_fill
from reports import meetings, minutes
from tests.factories import (
    DateIndicatorFactory,
    IndicatorFactory,
    MembershipFactory,
    OfficeFactory,
    PlanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    office = OfficeFactory(code="own")
    plan = PlanFactory(office=office)
    count = IndicatorFactory(plan=plan, activity__area__plan=plan, code="2.2.3", title="সভা আয়োজিত")
    day = DateIndicatorFactory(plan=plan, activity__area__plan=plan, code="2.2.4", title="প্রতিবেদন প্রেরিত")
    periods_ensure(plan)
    users = {role: UserFactory(username=f"own.{role}") for role in (Role.OFFICER, Role.CIO, Role.REVIEWER)}
    for role, user in users.items():
        MembershipFactory(user=user, office=office, role=role)
    return plan, count, day, users


@pytest.mark.parametrize(
    ("day", "quarter"),
    [((2022, 7, 1), 1), ((2022, 12, 31), 2), ((2023, 1, 1), 3), ((2023, 6, 30), 4), ((2023, 7, 1), None)],
)
def test_fiscal_quarter(day, quarter):
    assert fiscal_quarter(2022, datetime.date(*day)) == quarter


def test_binding_is_the_teams_and_in_the_history(office):
    _plan, count, _day, users = office
    with pytest.raises(PermissionDeniedError):
        indicator_set_source(indicator=count, source=DataSource.MEETINGS_HELD, user=users[Role.REVIEWER])
    indicator_set_source(indicator=count, source=DataSource.MEETINGS_HELD, user=users[Role.OFFICER])
    count.refresh_from_db()
    assert count.data_source == DataSource.MEETINGS_HELD
    assert HistoryEntry.objects.filter(indicator=count, after__contains="মানের উৎস").exists()


def test_a_date_indicator_gets_the_day_and_a_locked_quarter_moves_it_to_the_next_open(office):
    plan, _count, day, users = office
    ReportingPeriod.objects.filter(plan=plan, quarter=2).update(state=PeriodState.SUBMITTED)
    ReportingPeriod.objects.filter(plan=plan, quarter=1).update(state=PeriodState.ACCEPTED)
    quarter = source_fill(
        indicator=day, day=datetime.date(2022, 12, 20), user=users[Role.CIO], source_label="x"
    )
    assert quarter == 3  # Q2 is submitted: the first open quarter after it
    progress = Progress.objects.get(indicator=day, quarter=3)
    assert progress.value_date == datetime.date(2022, 12, 20) and progress.remark == "উৎস: x"


def test_nothing_open_is_logged_not_raised(office):
    plan, count, _day, users = office
    ReportingPeriod.objects.filter(plan=plan).update(state=PeriodState.ACCEPTED)
    assert (
        source_fill(indicator=count, day=datetime.date(2022, 8, 1), user=users[Role.CIO], source_label="x")
        is None
    )
    assert not Progress.objects.filter(indicator=count).exists()


def test_approved_minutes_fill_the_bound_meetings_indicator_and_become_its_evidence(office):
    plan, count, _day, users = office
    indicator_set_source(indicator=count, source=DataSource.MEETINGS_HELD, user=users[Role.OFFICER])
    meeting = meetings.meeting_create(
        office=plan.office,
        fiscal_year=plan.fiscal_year,
        user=users[Role.OFFICER],
        held_on=datetime.date(2022, 8, 10),
        chair_name="সভাপতি",
    )
    pdf = minutes.render_minutes(meeting, draft=False).pdf
    meetings.meeting_approve(meeting=meeting, user=users[Role.CIO], expected_version=0, pdf=pdf)
    assert Progress.objects.get(indicator=count, quarter=1).value_number == Decimal(1)
    assert Evidence.objects.filter(indicator=count, quarter=1).count() == 1


def test_the_half_yearly_sending_fills_the_bound_date_indicator(office):
    from workflow.transitions import period_transition

    plan, _count, day, users = office
    indicator_set_source(indicator=day, source=DataSource.HALF_YEARLY_SENT, user=users[Role.OFFICER])
    ReportingPeriod.objects.filter(plan=plan, quarter=1).update(state=PeriodState.ACCEPTED)
    ReportingPeriod.objects.filter(plan=plan, quarter=2).update(state=PeriodState.APPROVED)
    period = ReportingPeriod.objects.get(plan=plan, quarter=2)
    from unittest import mock

    with mock.patch("workflow.transitions.timezone.localdate", return_value=datetime.date(2023, 1, 10)):
        period_transition(period=period, action="send", user=users[Role.CIO], expected_version=period.version)
    progress = Progress.objects.get(indicator=day, quarter=3)
    assert progress.value_date == datetime.date(2023, 1, 10)
    assert "অর্ধবার্ষিক" in progress.remark


def test_the_source_form_permissions(office):
    plan, count, _day, users = office
    url = f"/plans/own/{plan.fiscal_year.code}/indicators/{count.code}/source/"
    assert Client().post(url, {"source": "meetings_held"}).status_code == 302  # to sign in
    stranger = Client()
    stranger.force_login(UserFactory(username="stranger"))
    assert stranger.post(url, {"source": "meetings_held"}).status_code == 404
    reviewer = Client()
    reviewer.force_login(users[Role.REVIEWER])
    assert reviewer.post(url, {"source": "meetings_held"}).status_code == 404
    officer = Client()
    officer.force_login(users[Role.OFFICER])
    assert officer.post(url, {"source": "meetings_held"}).status_code == 302
    count.refresh_from_db()
    assert count.data_source == "meetings_held"
    page = officer.get(f"/plans/own/{plan.fiscal_year.code}/indicators/{count.code}/").content.decode()
    assert "মানের উৎস" in page and "অনুষ্ঠিত পর্যালোচনা সভা" in page
