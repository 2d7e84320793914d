"""The reviewer's inbox `/review/`: child offices' periods from "sent" on, filters, sorts, counts, chart."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from base.bangla import format_date_short, to_bangla_digits
from indicators.models import (
    Office,
    OfficeKind,
    PeriodState,
    PeriodTransition,
    ReportingPeriod,
    Role,
)
from indicators.periods import periods_ensure
from tests.factories import FiscalYearFactory, MembershipFactory, OfficeFactory, PlanFactory, UserFactory
from workflow.transitions import period_transition

INBOX = "/review/"
MOFA_PLAN_URL = "/plans/mofa/2022-23/"


def user(username: str):
    return get_user_model().objects.get(username=username)


def act(period: ReportingPeriod, action: str, username: str, comment: str = "") -> ReportingPeriod:
    """One workflow step through the real service, as the browser would do it."""
    period.refresh_from_db()
    return period_transition(
        period=period, action=action, user=user(username), comment=comment, expected_version=period.version
    )


def send_mofa_quarter(demo, quarter: int = 1) -> ReportingPeriod:
    """MoFA's officer submits, its CIO approves and sends the quarter to the Cabinet Division."""
    period = periods_ensure(demo)[quarter - 1]
    act(period, "submit", "mofa.officer")
    act(period, "approve", "mofa.cio")
    return act(period, "send", "mofa.cio")


def snapshot(percent: str, total: str = "50.00") -> dict:
    scaled = (Decimal(percent) * Decimal(total) / 100).quantize(Decimal("0.01"))
    return {"percent": percent, "scaled_marks": str(scaled), "total_weight": total}


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def child_period(
    parent: Office,
    *,
    office: Office | None = None,
    kind: str = OfficeKind.MINISTRY,
    year: int = 2022,
    quarter: int = 1,
    state: str = PeriodState.SENT,
    percent: str = "80.00",
    submitted: datetime.date = datetime.date(2022, 10, 10),
    sent: datetime.date = datetime.date(2022, 10, 12),
    deadline: datetime.date = datetime.date(2022, 10, 15),
) -> ReportingPeriod:
    """A child office's period already through the workflow, written directly (fast, for many offices)."""
    office = office or OfficeFactory(parent=parent, kind=kind)
    plan = office.plans.filter(fiscal_year__start_year=year).first() or PlanFactory(
        office=office, fiscal_year=FiscalYearFactory(start_year=year)
    )
    period = ReportingPeriod.objects.create(
        plan=plan,
        quarter=quarter,
        state=state,
        deadline=deadline,
        version=3,
        score_snapshot=snapshot(percent),
    )
    actor = UserFactory(username="workflow.actor")
    steps = [
        (PeriodState.DRAFT, PeriodState.SUBMITTED, submitted),
        (PeriodState.SUBMITTED, PeriodState.APPROVED, submitted),
        (PeriodState.APPROVED, PeriodState.SENT, sent),
    ]
    if state == PeriodState.ACCEPTED:
        steps.append((PeriodState.SENT, PeriodState.ACCEPTED, sent + datetime.timedelta(days=1)))
    for from_state, to_state, day in steps:
        transition = PeriodTransition.objects.create(
            period=period, from_state=from_state, to_state=to_state, user=actor
        )
        PeriodTransition.objects.filter(pk=transition.pk).update(at=at(day))
    return period


def rows(response) -> list:
    return response.context["page"].rows


def row_offices(response) -> list[str]:
    return [row.office.code for row in rows(response)]


# ---------------------------------------------------------------------------------------------------------
# Who sees what


@pytest.mark.django_db
def test_inbox_sends_anonymous_visitors_to_sign_in(client):
    """Nobody sees the inbox without signing in."""
    response = client.get(INBOX)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_inbox_tells_an_officer_that_they_review_no_office(client, demo):
    """An officer of MoFA (no reviewer role) gets a page saying so, and no other office's period."""
    cabinet = Office.objects.get(code="cabinet")
    child_period(cabinet, office=Office.objects.get(code="msw"))
    client.force_login(user("mofa.officer"))
    response = client.get(INBOX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "আপনি কোনো দপ্তরের পর্যালোচক নন" in body
    assert rows(response) == []
    assert "সমাজকল্যাণ মন্ত্রণালয়" not in body and "/plans/" not in body


def test_reviewer_sees_mofa_period_only_once_sent(client, demo):
    """Cabinet's reviewer sees nothing of MoFA's quarter while draft, submitted or approved; once sent it
    is listed with its approved marks in Bangla digits and a link to the plan."""
    client.force_login(user("cabinet.reviewer"))
    period = periods_ensure(demo)[0]
    assert MOFA_PLAN_URL not in client.get(INBOX).content.decode()  # draft
    for action, username in [("submit", "mofa.officer"), ("approve", "mofa.cio")]:
        act(period, action, username)
        response = client.get(INBOX)
        assert rows(response) == [], f"visible after {action}"
        assert MOFA_PLAN_URL not in response.content.decode()

    act(period, "send", "mofa.cio")
    response = client.get(INBOX)
    body = response.content.decode()
    period.refresh_from_db()
    assert [(r.office.code, r.period.quarter, r.period.state) for r in rows(response)] == [
        ("mofa", 1, "sent")
    ]
    assert f'href="{MOFA_PLAN_URL}#period-1"' in body
    assert "পররাষ্ট্র মন্ত্রণালয়" in body and "১ম" in body and "২০২২-২৩" in body
    marks = period.score_snapshot["scaled_marks"]
    assert to_bangla_digits(marks) in body and marks not in body
    assert f'action="{MOFA_PLAN_URL}periods/1/accept/confirm/"' in body
    assert f'action="{MOFA_PLAN_URL}periods/1/review_return/"' in body


def test_period_returned_by_reviewer_stays_listed_as_returned_until_sent_again(client, demo):
    """A period the reviewer returns stays in the inbox as returned, with the reviewer's comment and no action
    or link into its data (the office holds it again); the state filter finds it; sent again, it is sent."""
    period = send_mofa_quarter(demo)
    act(period, "review_return", "cabinet.reviewer", comment="প্রমাণক যুক্ত করুন")
    client.force_login(user("cabinet.reviewer"))
    response = client.get(INBOX)
    body = response.content.decode()
    assert [(r.office.code, r.period.state, r.actions) for r in rows(response)] == [("mofa", "returned", [])]
    assert rows(response)[0].return_comment == "প্রমাণক যুক্ত করুন"
    assert "প্রমাণক যুক্ত করুন" in body and f'href="{MOFA_PLAN_URL}#period-1"' not in body
    assert response.context["page"].counts.returned == 1
    assert row_offices(client.get(INBOX + "?state=returned")) == ["mofa"]
    assert row_offices(client.get(INBOX + "?state=sent")) == []

    for action, username in [("submit", "mofa.officer"), ("approve", "mofa.cio"), ("send", "mofa.cio")]:
        act(period, action, username)
    response = client.get(INBOX)
    assert [(r.office.code, r.period.state) for r in rows(response)] == [("mofa", "sent")]
    assert row_offices(client.get(INBOX + "?state=returned")) == []


def test_quarter_returned_by_its_cio_before_sending_is_not_listed(client, demo):
    """A quarter the CIO returned (never sent) is the office's own business: not in the inbox."""
    period = periods_ensure(demo)[0]
    act(period, "submit", "mofa.officer")
    act(period, "return", "mofa.cio", comment="ঠিক করুন")
    client.force_login(user("cabinet.reviewer"))
    response = client.get(INBOX + "?state=returned")
    assert rows(response) == [] and response.context["page"].counts.returned == 0


def test_accepted_period_stays_listed_without_actions(client, demo):
    """After acceptance the period is still listed, as accepted, with no accept or return form."""
    period = send_mofa_quarter(demo)
    act(period, "accept", "cabinet.reviewer")
    client.force_login(user("cabinet.reviewer"))
    response = client.get(INBOX)
    body = response.content.decode()
    assert [(r.office.code, r.period.state, r.actions) for r in rows(response)] == [("mofa", "accepted", [])]
    assert "periods/1/accept/" not in body and "periods/1/review_return/" not in body


def test_accept_from_inbox_goes_through_workflow_and_back(client, demo):
    """The accept form of a row posts the period's version to the workflow and comes back to the inbox."""
    period = send_mofa_quarter(demo)
    client.force_login(user("cabinet.reviewer"))
    response = client.post(f"{MOFA_PLAN_URL}periods/1/accept/", {"version": period.version, "confirmed": "1"})
    assert response.status_code == 302 and response["Location"] == INBOX
    period.refresh_from_db()
    assert period.state == PeriodState.ACCEPTED


def test_reviewer_of_another_office_does_not_see_mofa(client, demo):
    """A reviewer of the Statistics Division sees its child BBS, not MoFA (a child of the Cabinet)."""
    send_mofa_quarter(demo)
    sid = Office.objects.get(code="sid")
    child_period(sid, office=Office.objects.get(code="bbs"))
    MembershipFactory(user=UserFactory(username="sid.reviewer"), office=sid, role=Role.REVIEWER)
    client.force_login(user("sid.reviewer"))
    response = client.get(INBOX)
    assert row_offices(response) == ["bbs"]
    assert MOFA_PLAN_URL not in response.content.decode()


def test_reviewer_sees_only_direct_children(client, demo):
    """Cabinet's reviewer sees MoFA (a child), not BBS (a child of SID, a grandchild of the Cabinet)."""
    send_mofa_quarter(demo)
    child_period(Office.objects.get(code="sid"), office=Office.objects.get(code="bbs"))
    client.force_login(user("cabinet.reviewer"))
    assert row_offices(client.get(INBOX)) == ["mofa"]


# ---------------------------------------------------------------------------------------------------------
# Filters, sorts, counts, lateness


@pytest.fixture
def reviewer_inbox(db, client):
    """A reviewer of a division with four child offices and periods in different years, quarters, states."""
    parent = OfficeFactory(code="parent", kind=OfficeKind.DIVISION)
    reviewer = UserFactory(username="parent.reviewer")
    MembershipFactory(user=reviewer, office=parent, role=Role.REVIEWER)
    child_period(parent, office=OfficeFactory(code="a-ministry", name_bn="ক মন্ত্রণালয়", parent=parent), percent="90.00",
                 sent=datetime.date(2022, 10, 1), submitted=datetime.date(2022, 9, 30))  # fmt: skip
    child_period(parent, office=OfficeFactory(code="b-dept", name_bn="খ অধিদপ্তর", parent=parent, kind=OfficeKind.DEPARTMENT),
                 percent="70.50", sent=datetime.date(2022, 10, 20), submitted=datetime.date(2022, 10, 18),
                 state=PeriodState.ACCEPTED)  # fmt: skip
    child_period(parent, office=OfficeFactory(code="c-ministry", name_bn="গ মন্ত্রণালয়", parent=parent), quarter=2,
                 percent="95.25", sent=datetime.date(2023, 1, 10), submitted=datetime.date(2023, 1, 9),
                 deadline=datetime.date(2023, 1, 15))  # fmt: skip
    child_period(parent, office=OfficeFactory(code="d-ministry", name_bn="ঘ মন্ত্রণালয়", parent=parent), year=2023,
                 percent="60.00", sent=datetime.date(2023, 10, 5), submitted=datetime.date(2023, 10, 2),
                 deadline=datetime.date(2023, 10, 15))  # fmt: skip
    client.force_login(reviewer)
    return client


def test_filters_by_year_quarter_state_and_office_kind(reviewer_inbox):
    """Each filter narrows the rows, and filters combine."""
    get = reviewer_inbox.get
    assert sorted(row_offices(get(INBOX))) == ["a-ministry", "b-dept", "c-ministry", "d-ministry"]
    assert sorted(row_offices(get(INBOX, {"year": "2023-24"}))) == ["d-ministry"]
    assert sorted(row_offices(get(INBOX, {"quarter": "2"}))) == ["c-ministry"]
    assert sorted(row_offices(get(INBOX, {"state": "accepted"}))) == ["b-dept"]
    assert sorted(row_offices(get(INBOX, {"kind": "department"}))) == ["b-dept"]
    combined = {"year": "2022-23", "quarter": "1", "state": "sent", "kind": "ministry"}
    assert row_offices(get(INBOX, combined)) == ["a-ministry"]


def test_filter_form_is_labelled_and_keeps_the_choice(reviewer_inbox):
    """The filter form has a label for every field and shows the chosen values selected."""
    body = reviewer_inbox.get(INBOX, {"quarter": "2", "kind": "department"}).content.decode()
    for name in ("year", "quarter", "state", "kind", "sort"):
        assert f'<label for="id_{name}">' in body
    assert '<option value="2" selected>২য় (অর্ধবার্ষিক)</option>' in body
    assert '<option value="department" selected>' in body


def test_invalid_filter_value_is_reported_and_ignored(reviewer_inbox):
    """An unknown quarter is reported beside the field and does not hide every row."""
    response = reviewer_inbox.get(INBOX, {"quarter": "9", "kind": "department"})
    assert response.status_code == 200
    assert response.context["form"].errors["quarter"]
    assert row_offices(response) == ["b-dept"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("score-desc", ["c-ministry", "a-ministry", "b-dept", "d-ministry"]),
        ("score-asc", ["d-ministry", "b-dept", "a-ministry", "c-ministry"]),
        ("sent-desc", ["d-ministry", "c-ministry", "b-dept", "a-ministry"]),
        ("sent-asc", ["a-ministry", "b-dept", "c-ministry", "d-ministry"]),
    ],
)
def test_sorts_by_score_and_sent_time(reviewer_inbox, sort, expected):
    """Score high→low and low→high, sent time newest and oldest first."""
    assert row_offices(reviewer_inbox.get(INBOX, {"sort": sort})) == expected


def test_default_sort_is_newest_sent_first(reviewer_inbox):
    """Without a choice the most recently sent period comes first."""
    assert row_offices(reviewer_inbox.get(INBOX))[0] == "d-ministry"


def test_counts_total_waiting_accepted_late(reviewer_inbox):
    """Counts at the top: all, waiting (sent), accepted, late; the state filter does not change them."""
    for params in ({}, {"state": "accepted"}):
        response = reviewer_inbox.get(INBOX, params)
        counts = response.context["page"].counts
        assert (counts.total, counts.sent, counts.accepted, counts.late) == (4, 3, 1, 1)
        body = response.content.decode()
        assert '<strong id="count-total">৪</strong>' in body
        assert '<strong id="count-sent">৩</strong>' in body
        assert '<strong id="count-accepted">১</strong>' in body
        assert '<strong id="count-late">১</strong>' in body
    year_counts = reviewer_inbox.get(INBOX, {"year": "2023-24"}).context["page"].counts
    assert (year_counts.total, year_counts.sent, year_counts.late) == (1, 1, 0)


def test_late_is_first_submission_after_deadline(reviewer_inbox):
    """Late means first submitted after the deadline: a period submitted in time, returned and submitted
    again after the deadline stays on time."""
    period = ReportingPeriod.objects.get(plan__office__code="a-ministry")
    actor = user("workflow.actor")
    for from_state, to_state in [("sent", "returned"), ("returned", "submitted"), ("submitted", "approved"),
                                 ("approved", "sent")]:  # fmt: skip
        transition = PeriodTransition.objects.create(
            period=period, from_state=from_state, to_state=to_state, user=actor
        )
        PeriodTransition.objects.filter(pk=transition.pk).update(at=at(datetime.date(2022, 11, 1)))
    response = reviewer_inbox.get(INBOX)
    late = {row.office.code: row.late for row in rows(response)}
    assert late == {"a-ministry": False, "b-dept": True, "c-ministry": False, "d-ministry": False}
    body = response.content.decode()
    assert body.count('<span class="badge late">দেরিতে</span>') == 1
    assert format_date_short(datetime.date(2022, 10, 15)) in body


def test_late_flag_from_the_real_workflow(client, demo):
    """MoFA's Q1 submitted now is past its 15 October 2022 deadline (late); Q2 with a future deadline is
    on time."""
    periods_ensure(demo)
    demo.periods.filter(quarter=2).update(deadline=timezone.localdate() + datetime.timedelta(days=30))
    send_mofa_quarter(demo, 1)
    send_mofa_quarter(demo, 2)
    client.force_login(user("cabinet.reviewer"))
    late = {row.period.quarter: row.late for row in rows(client.get(INBOX))}
    assert late == {1: True, 2: False}


def test_times_and_dates_are_in_bangla_digits(reviewer_inbox):
    """Sent and submitted times, deadlines, marks and percents are written in Bangla digits."""
    body = reviewer_inbox.get(INBOX, {"kind": "department"}).content.decode()
    assert "২০/১০/২০২২ ১০:০০" in body  # sent
    assert "১৮/১০/২০২২ ১০:০০" in body  # first submitted
    assert "৩৫.২৫ / ৫০.০০" in body and "৭০.৫%" in body
    table = body[body.index('<table class="inbox-table">') :]
    visible_text = re.sub(r"<[^>]+>", " ", table)
    assert not re.search(r"[0-9]", visible_text), "ASCII digits in the table text"


def test_chart_of_scores_by_office_is_inline_svg_with_text_alternative(reviewer_inbox):
    """One bar per office, longest for the best score, labelled in Bangla digits, with title and desc."""
    response = reviewer_inbox.get(INBOX)
    chart = response.context["page"].chart
    assert [bar.office.code for bar in chart.bars] == ["c-ministry", "a-ministry", "b-dept", "d-ministry"]
    assert chart.bars[0].width > chart.bars[1].width > chart.bars[3].width > 0
    body = response.content.decode()
    svg = body[body.index("<svg") : body.index("</svg>")]
    assert 'role="img"' in svg and 'aria-labelledby="chart-title chart-desc"' in svg
    assert 'viewBox="-16 0 512 200"' in svg  # geometry in ASCII digits, whatever the page's language
    desc = svg[svg.index("<desc") : svg.index("</desc>")]
    assert "৯৫.২৫%" in desc and "৬০%" in desc
    assert svg.count('<rect class="score"') == 4
    assert "<script" not in body.split("</head>")[1]


def test_chart_shows_each_office_once_with_its_latest_period(reviewer_inbox):
    """An office with two periods gets one bar, for its latest quarter."""
    a = Office.objects.get(code="a-ministry")
    child_period(a.parent, office=a, quarter=2, percent="65.00", sent=datetime.date(2023, 1, 12))
    chart = reviewer_inbox.get(INBOX).context["page"].chart
    bars = {bar.office.code: bar for bar in chart.bars}
    assert len(chart.bars) == 4
    assert (bars["a-ministry"].period.quarter, bars["a-ministry"].percent) == (2, Decimal("65.00"))


# ---------------------------------------------------------------------------------------------------------
# Queries


def _inbox_queries(client, params=None) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(INBOX, params or {})
    assert response.status_code == 200
    return len(queries), len(rows(response))


@pytest.fixture
def big_inbox(db, client):
    """A reviewer of a division; ``add(n)`` gives it n more child ministries with two periods each (Q1 sent,
    Q2 accepted), the Q2 percents spread so that each office's latest score is distinct."""
    parent = OfficeFactory(code="parent", kind=OfficeKind.DIVISION)
    reviewer = UserFactory(username="parent.reviewer")
    MembershipFactory(user=reviewer, office=parent, role=Role.REVIEWER)
    client.force_login(reviewer)
    made: list[Office] = []

    def add(n: int) -> list[Office]:
        for _ in range(n):
            number = len(made) + 1
            office = OfficeFactory(code=f"child-{number:03d}", name_bn=f"দপ্তর {number}", parent=parent)
            child_period(parent, office=office, quarter=1, percent="50.00")
            child_period(parent, office=office, quarter=2, state=PeriodState.ACCEPTED,
                         percent=f"{40 + number * 0.75:.2f}")  # fmt: skip
            made.append(office)
        return made

    client.add = add
    return client


# The inbox's queries, whatever the number of child offices: the session and its user, the fiscal years of
# the filter form, the user's roles, the reviewed offices, the counts, one page of rows, their approved
# reports, the grade distribution, the best and the weakest offices of the chart (one query), and the
# header's count of what waits for the user (one COUNT, issue 14).
INBOX_QUERIES = (
    10  # 10 before the main report's SHA-256 became a subquery (issue 11), 9 until the header count
)


def test_query_count_does_not_grow_with_offices_or_periods(big_inbox, django_assert_num_queries):
    """3 or 60 child offices with two periods each: the same number of queries, filtered and sorted too."""
    big_inbox.add(3)
    with django_assert_num_queries(INBOX_QUERIES):
        assert len(rows(big_inbox.get(INBOX))) == 6
    big_inbox.add(57)
    with django_assert_num_queries(INBOX_QUERIES):
        assert len(rows(big_inbox.get(INBOX))) == 50  # one page of 120 rows
    with django_assert_num_queries(INBOX_QUERIES):
        assert len(rows(big_inbox.get(INBOX, {"sort": "score-asc", "kind": "ministry", "page": "3"}))) == 20


# ---------------------------------------------------------------------------------------------------------
# Pages


def test_rows_come_fifty_to_a_page_with_counts_over_all_rows(big_inbox):
    """120 rows: pages of 50, 50 and 20 with no row twice; the counts and the caption are over all 120."""
    big_inbox.add(60)
    seen = []
    for number, size in [(1, 50), (2, 50), (3, 20)]:
        response = big_inbox.get(INBOX, {"page": number, "sort": "score-desc"})
        page = response.context["page"]
        assert (page.pager.number, page.pager.num_pages, len(page.rows)) == (number, 3, size)
        assert (page.counts.total, page.counts.sent, page.counts.accepted) == (120, 60, 60)
        seen += [row.period.pk for row in page.rows]
    assert len(seen) == len(set(seen)) == 120
    body = big_inbox.get(INBOX, {"page": 2}).content.decode()
    assert "১২০টি প্রতিবেদনকালের ৫১–১০০" in body


def test_state_filter_pages_over_its_own_rows(big_inbox):
    """With the state filter, the pages cover that state's rows only (60 accepted: pages of 50 and 10)."""
    big_inbox.add(60)
    response = big_inbox.get(INBOX, {"state": "accepted", "page": "2"})
    page = response.context["page"]
    assert (page.pager.count, page.pager.num_pages, len(page.rows)) == (60, 2, 10)
    assert {row.period.state for row in page.rows} == {"accepted"}


def test_pager_is_bangla_and_keeps_the_filters(big_inbox):
    """The pager's links keep the filters and the sort and change only the page; its numbers are in Bangla
    digits and the current page is marked for screen readers. Count links and the filter form start again at
    page 1."""
    big_inbox.add(60)
    body = big_inbox.get(INBOX, {"sort": "score-asc", "kind": "ministry", "page": "2"}).content.decode()
    pager = body[body.index('<nav class="pager"') :]
    pager = pager[: pager.index("</nav>")]
    assert 'href="?sort=score-asc&amp;kind=ministry&amp;page=3" rel="next"' in pager
    assert 'href="?sort=score-asc&amp;kind=ministry&amp;page=1" rel="prev"' in pager
    assert (
        '<span class="current" aria-current="page"><span class="visually-hidden">পৃষ্ঠা </span>২</span>' in pager
    )
    assert "পরের পৃষ্ঠা" in pager and "আগের পৃষ্ঠা" in pager
    assert not re.search(r">[^<]*[0-9][^<]*<", pager), "ASCII digits in the pager's text"
    assert 'href="?sort=score-asc&amp;kind=ministry&amp;state=sent"' in body  # count link, page dropped
    form = body[body.index('<form method="get"') : body.index("</form>")]
    assert 'name="page"' not in form


@pytest.mark.parametrize(("asked", "shown"), [("0", 1), ("-4", 1), ("abc", 1), ("", 1), ("3", 3), ("999", 3)])
def test_page_number_out_of_range_shows_the_nearest_page(big_inbox, asked, shown):
    """A page that does not exist is not an error: nonsense gives the first page, past the end the last."""
    big_inbox.add(60)
    response = big_inbox.get(INBOX, {"page": asked})
    assert response.status_code == 200
    assert response.context["page"].pager.number == shown


def test_no_pager_when_everything_fits_on_one_page(reviewer_inbox):
    """Four rows: no pager at all."""
    assert '<nav class="pager"' not in reviewer_inbox.get(INBOX).content.decode()


# ---------------------------------------------------------------------------------------------------------
# The chart over every office, not the page


def test_chart_draws_the_best_and_the_weakest_of_every_office_not_the_page(big_inbox):
    """60 offices: the chart draws the 10 best and the 10 weakest latest scores among all of them (computed
    in the database, whatever page is shown), says how many are left out between them, and its grade
    distribution counts all 60 offices once each (their latest period, Q2)."""
    big_inbox.add(60)
    for number in (1, 3):
        chart = big_inbox.get(INBOX, {"page": number, "sort": "sent-asc"}).context["page"].chart
        codes = [bar.office.code for bar in chart.bars]
        assert codes == [f"child-{n:03d}" for n in [*range(60, 50, -1), *range(10, 0, -1)]]
        assert {bar.period.quarter for bar in chart.bars} == {2}
        assert chart.offices == 60 and chart.gap.hidden == 40
        assert chart.bars[0].percent == Decimal("85.00") and chart.bars[-1].percent == Decimal("40.75")
        # 40 + 0.75 n: n = 60 → 85 (band 80), n ≤ 26 → below 60, n 27..39 → 60s, 40..53 → 70s, 54..60 → 80s
        # Q2 is progress to date (issue 14.6): no grade bands (they judge the annual report), but the pace
        # expected at Q2, 50 %: 40 + 0.75 n ≥ 50 for n ≥ 14 → 47 offices on pace, 13 behind.
        assert [band.count for band in chart.bands] == [0, 0, 0, 0, 0, 0]
        assert (chart.annual, chart.on_pace, chart.behind_pace) == (0, 47, 13)
    body = big_inbox.get(INBOX).content.decode()
    assert "মাঝের আরও ৪০টি দপ্তর" in body
    assert body.count('<rect class="score"') == 20


def test_chart_follows_the_filters_state_included(big_inbox):
    """Only sent periods (Q1, all at 50 %): every office's bar is its Q1, and all fall below 60."""
    big_inbox.add(25)
    chart = big_inbox.get(INBOX, {"state": "sent"}).context["page"].chart
    assert chart.offices == 25 and len(chart.bars) == 20
    assert {(bar.period.quarter, bar.percent) for bar in chart.bars} == {(1, Decimal("50.00"))}
    # Q1 at 50 % is ahead of the 25 % expected at Q1: not a failure below 60 (issue 14.6).
    assert [band.count for band in chart.bands] == [0, 0, 0, 0, 0, 0]
    assert (chart.on_pace, chart.behind_pace) == (25, 0)
    body = big_inbox.get(INBOX, {"state": "sent"}).content.decode()
    assert 'class="tick threshold"' not in body and 'class="pace-mark"' in body
    assert "প্রত্যাশিত ২৫" in body


@pytest.mark.parametrize(
    ("percent", "band"),
    [("100.00", "100"), ("99.99", "90"), ("90.00", "90"), ("89.99", "80"), ("80.00", "80"), ("70.00", "70"),
     ("60.00", "60"), ("59.99", "0"), ("0.00", "0")],
)  # fmt: skip
def test_grade_band_boundaries(db, client, percent, band):
    """Each band includes its lower bound and excludes its upper one; 100 % is its own band (অসাধারণ). The
    bands judge the annual report (Q4), as before."""
    parent = OfficeFactory(code="parent", kind=OfficeKind.DIVISION)
    MembershipFactory(user=UserFactory(username="parent.reviewer"), office=parent, role=Role.REVIEWER)
    child_period(parent, percent=percent, quarter=4)
    client.force_login(user("parent.reviewer"))
    bands = {b.band.key: b.count for b in client.get(INBOX).context["page"].chart.bands}
    assert bands == {key: int(key == band) for key in ("100", "90", "80", "70", "60", "0")}


@pytest.mark.parametrize(
    ("quarter", "percent", "on_pace"),
    [(1, "25.00", True), (1, "24.99", False), (2, "50.00", True), (3, "74.99", False), (3, "75.00", True)],
)
def test_a_quarter_before_the_annual_report_is_counted_against_its_pace(
    db, client, quarter, percent, on_pace
):
    """Q1–Q3 are progress to date: at or past 25 % a quarter is on pace, below it behind; no grade band."""
    parent = OfficeFactory(code="parent", kind=OfficeKind.DIVISION)
    MembershipFactory(user=UserFactory(username="parent.reviewer"), office=parent, role=Role.REVIEWER)
    child_period(parent, percent=percent, quarter=quarter)
    client.force_login(user("parent.reviewer"))
    chart = client.get(INBOX).context["page"].chart
    assert (chart.on_pace, chart.behind_pace) == ((1, 0) if on_pace else (0, 1))
    assert sum(b.count for b in chart.bands) == 0 and chart.bars[0].pace.on_pace is on_pace


def test_inbox_links_to_the_summary(reviewer_inbox):
    """The inbox and the navigation bar link to the summary of every office below."""
    body = reviewer_inbox.get(INBOX).content.decode()
    assert body.count('href="/review/summary/"') == 2


@pytest.mark.parametrize(
    ("number", "count", "links"),
    [
        (1, 50, [1]),
        (1, 51, [1, 2]),
        (6, 600, [1, None, 4, 5, 6, 7, 8, None, 12]),
        (1, 600, [1, 2, 3, None, 12]),
        (12, 600, [1, None, 10, 11, 12]),
        (4, 600, [1, 2, 3, 4, 5, 6, None, 12]),
    ],
)
def test_pager_links_the_ends_and_the_pages_around_this_one(number, count, links):
    """The first and the last page, two either side of this one, and a gap (None) where pages are left out."""
    from workflow.inbox import pager

    assert pager(count, number).links == links
