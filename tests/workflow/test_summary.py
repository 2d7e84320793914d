"""The summary `/review/summary/`: every office below the reviewer's offices, per office tier."""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal
from unittest.mock import patch

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from indicators.models import Office, OfficeKind, PeriodState, PeriodTransition, ReportingPeriod, Role
from tests.factories import FiscalYearFactory, MembershipFactory, OfficeFactory, PlanFactory, UserFactory
from workflow.summary import GRADE_BANDS, default_quarter

SUMMARY = "/review/summary/"
SUMMARY_CSV = "/review/summary.csv"
DEADLINE = datetime.date(2023, 10, 15)  # Q1 of 2023-24
ON_TIME = datetime.date(2023, 10, 10)
LATE = datetime.date(2023, 10, 20)

# The states a period passes through on its way to each state (returned: sent back by the reviewer).
PATHS = {
    PeriodState.DRAFT: [],
    PeriodState.SUBMITTED: [PeriodState.SUBMITTED],
    PeriodState.APPROVED: [PeriodState.SUBMITTED, PeriodState.APPROVED],
    PeriodState.SENT: [PeriodState.SUBMITTED, PeriodState.APPROVED, PeriodState.SENT],
    PeriodState.ACCEPTED: [
        PeriodState.SUBMITTED,
        PeriodState.APPROVED,
        PeriodState.SENT,
        PeriodState.ACCEPTED,
    ],
    PeriodState.RETURNED: [
        PeriodState.SUBMITTED,
        PeriodState.APPROVED,
        PeriodState.SENT,
        PeriodState.RETURNED,
    ],
}


def user(username: str):
    return get_user_model().objects.get(username=username)


def period(
    office: Office,
    *,
    state: str = PeriodState.SENT,
    percent: str | None = "80.00",
    year: int = 2023,
    quarter: int = 1,
    submitted: datetime.date = ON_TIME,
    deadline: datetime.date = DEADLINE,
) -> ReportingPeriod:
    """An office's period in ``state`` with its transitions, the first submission on ``submitted``; a
    snapshot (the approval's) whenever the period went through approval."""
    plan = office.plans.filter(fiscal_year__start_year=year).first() or PlanFactory(
        office=office, fiscal_year=FiscalYearFactory(start_year=year)
    )
    path = PATHS[state]
    approved = PeriodState.APPROVED in path
    snapshot = {"percent": percent, "scaled_marks": percent, "total_weight": "100.00"} if approved else None
    created = ReportingPeriod.objects.create(
        plan=plan, quarter=quarter, state=state, deadline=deadline, score_snapshot=snapshot
    )
    actor = UserFactory(username="workflow.actor")
    before = PeriodState.DRAFT
    for to_state in path:
        transition = PeriodTransition.objects.create(
            period=created, from_state=before, to_state=to_state, user=actor
        )
        at = timezone.make_aware(datetime.datetime.combine(submitted, datetime.time(10)))
        PeriodTransition.objects.filter(pk=transition.pk).update(at=at)
        before = to_state
    return created


@pytest.fixture
def tree(db):
    """Cabinet → ministries A and B → their departments → field offices, with reviewers at the Cabinet and
    at ministry A, an officer at ministry A and an office administrator at ministry B."""
    cabinet = OfficeFactory(code="cab", name_bn="মন্ত্রিপরিষদ", kind=OfficeKind.DIVISION)
    a = OfficeFactory(code="a", name_bn="ক মন্ত্রণালয়", kind=OfficeKind.MINISTRY, parent=cabinet)
    b = OfficeFactory(code="b", name_bn="খ মন্ত্রণালয়", kind=OfficeKind.MINISTRY, parent=cabinet)
    a1 = OfficeFactory(code="a1", kind=OfficeKind.DEPARTMENT, parent=a)
    b1 = OfficeFactory(code="b1", kind=OfficeKind.DEPARTMENT, parent=b)
    a1x = OfficeFactory(code="a1x", kind=OfficeKind.DISTRICT, parent=a1)
    a1y = OfficeFactory(code="a1y", kind=OfficeKind.DISTRICT, parent=a1)
    b1x = OfficeFactory(code="b1x", kind=OfficeKind.UPAZILA, parent=b1)
    for username, office, role in [
        ("cab.reviewer", cabinet, Role.REVIEWER),
        ("a.reviewer", a, Role.REVIEWER),
        ("a.officer", a, Role.OFFICER),
        ("b.admin", b, Role.ADMIN),
    ]:
        MembershipFactory(user=UserFactory(username=username), office=office, role=role)

    period(a, state=PeriodState.ACCEPTED, percent="100.00")
    period(b, state=PeriodState.SENT, percent="85.50", submitted=LATE)
    period(a1, state=PeriodState.APPROVED, percent="95.00")  # not sent yet: not counted
    period(b1, state=PeriodState.RETURNED, percent="70.00")  # sent back: not counted
    period(a1x, state=PeriodState.SENT, percent="59.99", submitted=LATE)
    period(a1y, state=PeriodState.DRAFT)
    period(b1x, state=PeriodState.SENT, percent="60.00")
    # Another quarter and another year, counted only when chosen.
    period(a, state=PeriodState.SENT, percent="90.00", quarter=2, deadline=datetime.date(2024, 1, 15))
    period(a, state=PeriodState.ACCEPTED, percent="75.00", year=2022, deadline=datetime.date(2022, 10, 15),
           submitted=datetime.date(2022, 10, 1))  # fmt: skip
    return {"cabinet": cabinet, "a": a, "b": b}


def tiers(response) -> dict[str, tuple]:
    """{tier label: (offices, expected, submitted, on time, late, pending, average)} and the total."""
    page = response.context["page"]
    return {
        tier.kind or "total": (
            tier.offices,
            tier.expected,
            tier.submitted,
            tier.on_time,
            tier.late,
            tier.pending,
            tier.average,
        )
        for tier in [*page.tiers, page.total]
    }


def bands(response, kind: str) -> list[int]:
    page = response.context["page"]
    tier = next(t for t in [*page.tiers, page.total] if (t.kind or "total") == kind)
    return [count.count for count in tier.bands]


# ---------------------------------------------------------------------------------------------------------
# Who sees it


@pytest.mark.django_db
def test_summary_sends_anonymous_visitors_to_sign_in(client):
    """Nobody sees the summary (or its CSV) without signing in."""
    for url in (SUMMARY, SUMMARY_CSV):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_summary_does_not_exist_for_an_officer(client, tree):
    """An officer (no reviewer or administrator role) gets 404, for the page and its CSV alike."""
    client.force_login(user("a.officer"))
    assert client.get(SUMMARY).status_code == 404
    assert client.get(SUMMARY_CSV).status_code == 404


def test_superuser_without_a_role_gets_no_summary(client, tree):
    """Superusers administer through /admin/ and get no extra rights in the application."""
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert client.get(SUMMARY).status_code == 404


def test_cabinet_reviewer_sees_every_office_below_per_tier(client, tree):
    """The Cabinet's reviewer sees ministries, departments and field offices (grandchildren and further
    down, not only children), with submitted = sent or accepted, lateness by the first submission and the
    average of the approval snapshots of the submitted reports."""
    client.force_login(user("cab.reviewer"))
    response = client.get(SUMMARY, {"year": "2023-24", "quarter": "1"})
    assert response.status_code == 200
    # offices, expected, submitted, on time, late, pending, average
    assert tiers(response) == {
        "ministry": (2, 2, 2, 1, 1, 0, Decimal("92.75")),  # A accepted 100 on time, B sent 85.50 late
        "department": (2, 2, 0, 0, 0, 2, None),  # A1 approved (not sent), B1 returned
        "district": (2, 2, 1, 0, 1, 1, Decimal("59.99")),  # A1X sent late, A1Y draft
        "upazila": (1, 1, 1, 1, 0, 0, Decimal("60.00")),
        "total": (7, 7, 4, 2, 2, 3, Decimal("76.37")),  # (100 + 85.50 + 59.99 + 60) / 4 = 76.3725
    }
    assert [tier.label for tier in response.context["page"].tiers] == [
        "মন্ত্রণালয়",
        "অধিদপ্তর/দপ্তর",
        "জেলা কার্যালয়",
        "উপজেলা কার্যালয়",
    ]
    # Q1 is progress to date (issue 14.6): no grade band, but the pace expected at Q1 (25 %): all on pace.
    assert bands(response, "total") == [0, 0, 0, 0, 0, 0]
    total = response.context["page"].total
    assert (total.on_pace, total.behind_pace, total.annual) == (4, 0, 0)
    assert (
        "৬০%-এর নিচে"
        not in response.content.decode().split('<table class="summary-table">')[1].split("</table>")[0]
    )


def test_annual_report_keeps_its_grade_bands(client, tree):
    """Q4, the annual report, is judged by the grade bands as before: 100, 90–100, 80–90, 70–80, 60–70, <60."""
    q4 = {"quarter": 4, "deadline": datetime.date(2024, 7, 15)}
    period(tree["a"], state=PeriodState.ACCEPTED, percent="100.00", **q4)
    period(tree["b"], state=PeriodState.SENT, percent="85.50", **q4)
    period(Office.objects.get(code="a1x"), state=PeriodState.SENT, percent="59.99", **q4)
    client.force_login(user("cab.reviewer"))
    response = client.get(SUMMARY, {"year": "2023-24", "quarter": "4"})
    assert bands(response, "ministry") == [1, 0, 1, 0, 0, 0]
    assert bands(response, "district") == [0, 0, 0, 0, 0, 1]
    assert bands(response, "total") == [1, 0, 1, 0, 0, 1]
    body = response.content.decode()
    table = body[body.index('<table class="summary-table">') : body.index("</table>")]
    ministry = table[table.index("মন্ত্রণালয়</th>") :]
    ministry = ministry[: ministry.index("</svg>")]
    widths = [
        Decimal(w)
        for w in re.findall(r'<rect class="band-[0-9]+" x="[0-9.]+" y="0" width="([0-9.]+)"', ministry)
    ]
    assert widths == [Decimal("50.00"), Decimal("50.00")]


def test_ministry_reviewer_sees_only_their_subtree(client, tree):
    """Ministry A's reviewer sees A's department and its field offices: nothing of ministry B's subtree,
    and not ministry A itself."""
    client.force_login(user("a.reviewer"))
    response = client.get(SUMMARY, {"year": "2023-24", "quarter": "1"})
    assert tiers(response) == {
        "department": (1, 1, 0, 0, 0, 1, None),
        "district": (2, 2, 1, 0, 1, 1, Decimal("59.99")),
        "total": (3, 3, 1, 0, 1, 2, Decimal("59.99")),
    }
    body = response.content.decode()
    assert "উপজেলা কার্যালয়" not in body and "খ মন্ত্রণালয়" not in body


def test_office_administrator_sees_their_offices_subtree(client, tree):
    """An office administrator of ministry B sees B's department and upazila office."""
    client.force_login(user("b.admin"))
    response = client.get(SUMMARY, {"year": "2023-24", "quarter": "1"})
    assert response.status_code == 200
    assert tiers(response)["total"] == (2, 2, 1, 1, 0, 1, Decimal("60.00"))


# ---------------------------------------------------------------------------------------------------------
# Filters


def test_newest_year_and_latest_quarter_with_reports_sent_by_default(client, tree):
    """Without a choice: the newest fiscal year (2023-24) and its latest quarter in which a report was sent
    (Q2: ministry A's), even when the year is over — not Q4, which nobody has reached (issue 14.5)."""
    client.force_login(user("cab.reviewer"))
    with patch("workflow.summary.timezone.localdate", return_value=datetime.date(2025, 1, 1)):
        response = client.get(SUMMARY)
    assert (response.context["page"].filters.year, response.context["page"].filters.quarter) == (2023, 2)
    assert tiers(response)["ministry"] == (2, 2, 1, 1, 0, 1, Decimal("90.00"))
    body = response.content.decode()
    assert '<option value="2023-24" selected>' in body and '<option value="2" selected>' in body
    assert "২০২৩-২৪ অর্থবছর, ২য় ত্রৈমাসিক" in body


def test_year_with_nothing_sent_opens_on_the_latest_quarter_past_its_deadline(client, tree):
    """No report sent in the year: the latest quarter whose deadline has passed (``default_quarter``). The
    year is the newest with plans (a year no office has a plan in yet has nothing to review)."""
    PlanFactory(office=OfficeFactory(code="new-2024"), fiscal_year=FiscalYearFactory(start_year=2024))
    client.force_login(user("cab.reviewer"))
    with patch("workflow.summary.timezone.localdate", return_value=datetime.date(2025, 2, 1)):
        response = client.get(SUMMARY)
    assert (response.context["page"].filters.year, response.context["page"].filters.quarter) == (2024, 2)


def test_summary_names_offices_not_submitted_and_late_with_links(client, tree):
    """Q1 of 2023-24: a1 (approved, not sent), b1 (returned), a1y (draft) have not submitted; b and a1x
    sent late. Offices whose parent the user reviews link to their plan; the rest are named with their
    parent office. The offices CSV lists them all."""
    client.force_login(user("cab.reviewer"))
    response = client.get(SUMMARY, {"year": "2023-24", "quarter": "1"})
    missing = [s.code for s in response.context["not_submitted"]]
    late = [s.code for s in response.context["late_offices"]]
    assert sorted(missing) == ["a1", "a1y", "b1"] and sorted(late) == ["a1x", "b"]
    assert response.context["not_submitted_count"] == 3 and response.context["late_count"] == 2
    body = response.content.decode()
    assert 'href="/plans/b/2023-24/#period-1"' in body  # b reports to the Cabinet: the reviewer's to open
    assert 'href="/plans/a1x/2023-24/#period-1"' not in body  # two levels down: named, not linked
    assert "দাখিল হয়নি: ৩টি দপ্তর" in body and "দেরিতে দাখিল: ২টি দপ্তর" in body

    response = client.get("/review/summary/offices.csv", {"year": "2023-24", "quarter": "1"})
    assert response.status_code == 200
    assert 'filename="apa-offices-2023-24-q1.csv"' in response["Content-Disposition"]
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8")[1:])))
    assert table[0][:3] == ["অবস্থা", "দপ্তরের কোড", "দপ্তর"]
    assert sorted((row[0], row[1]) for row in table[1:]) == [
        ("দাখিল হয়নি", "a1"),
        ("দাখিল হয়নি", "a1y"),
        ("দাখিল হয়নি", "b1"),
        ("দেরিতে দাখিল", "a1x"),
        ("দেরিতে দাখিল", "b"),
    ]


def test_offices_csv_walks_anonymous_then_officer_then_reviewer(client, tree):
    """Anonymous → sign-in; an officer (no summary) → 404; ministry A's reviewer → only A's subtree."""
    url = "/review/summary/offices.csv"
    params = {"year": "2023-24", "quarter": "1"}
    response = client.get(url, params)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(user("a.officer"))
    assert client.get(url, params).status_code == 404
    client.force_login(user("a.reviewer"))
    table = list(csv.reader(io.StringIO(client.get(url, params).content.decode("utf-8")[1:])))
    assert sorted(row[1] for row in table[1:]) == ["a1", "a1x", "a1y"]


@pytest.mark.parametrize(
    ("today", "quarter"),
    [
        (datetime.date(2023, 7, 1), 1),  # no deadline passed yet: the first quarter
        (datetime.date(2023, 10, 15), 1),
        (datetime.date(2024, 1, 14), 1),
        (datetime.date(2024, 1, 15), 2),
        (datetime.date(2024, 4, 15), 3),
        (datetime.date(2024, 7, 14), 3),
        (datetime.date(2024, 7, 15), 4),  # the annual report's deadline
        (datetime.date(2030, 1, 1), 4),
    ],
)
def test_default_quarter_is_the_latest_past_its_deadline(today, quarter):
    """Quarterly deadlines 15 Oct, 15 Jan, 15 Apr and 15 July (DESIGN.md §4), for 2023-24."""
    assert default_quarter(2023, today) == quarter


def test_all_quarters_together(client, tree):
    """ "All four quarters": 4 reports expected per office; A's Q1 and Q2 both count, 2022-23 never does."""
    client.force_login(user("cab.reviewer"))
    response = client.get(SUMMARY, {"year": "2023-24", "quarter": "all"})
    assert response.context["page"].filters.quarter is None
    assert tiers(response)["ministry"] == (2, 8, 3, 2, 1, 5, Decimal("91.83"))  # (100 + 85.50 + 90) / 3
    body = response.content.decode()
    assert "২০২৩-২৪ অর্থবছর, চার ত্রৈমাসিক" in body and '<option value="all" selected>' in body


def test_year_and_quarter_filters(client, tree):
    """2022-23 holds only A's accepted period; Q2 of 2023-24 only A's sent one."""
    client.force_login(user("cab.reviewer"))
    old = tiers(client.get(SUMMARY, {"year": "2022-23", "quarter": "all"}))
    assert old["ministry"] == (2, 8, 1, 1, 0, 7, Decimal("75.00"))
    q2 = tiers(client.get(SUMMARY, {"year": "2023-24", "quarter": "2"}))
    assert q2["ministry"] == (2, 2, 1, 1, 0, 1, Decimal("90.00"))
    assert q2["total"][2] == 1


def test_invalid_filter_is_reported_and_left_out(client, tree):
    """An unknown year is reported beside its field; the newest year is shown."""
    client.force_login(user("cab.reviewer"))
    response = client.get(SUMMARY, {"year": "1999-00", "quarter": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors["year"]
    assert response.context["page"].filters.year == 2023


# ---------------------------------------------------------------------------------------------------------
# Page, CSV


def test_summary_is_in_bangla_digits_with_a_distribution_bar_per_tier(client, tree):
    """Counts and percents in Bangla digits; each tier's distribution is an SVG whose segments are sized by
    attributes (no inline style: the CSP forbids it) and add up to the whole bar."""
    client.force_login(user("cab.reviewer"))
    response = client.get(SUMMARY, {"year": "2023-24", "quarter": "1"})
    body = response.content.decode()
    table = body[body.index('<table class="summary-table">') : body.index("</table>")]
    assert "৯২.৭৫%" in table and "৭৬.৩৭%" in table
    text = re.sub(r"<[^>]+>", " ", table)
    assert not re.search(r"[0-9]", text), "ASCII digits in the table's text"
    assert "style=" not in body.split("</head>")[1]
    for band in GRADE_BANDS:
        assert str(band.label) in body


def test_summary_with_no_fiscal_year_says_so(client, db):
    """A reviewer before any plan exists gets a page that says there is nothing yet."""
    office = OfficeFactory(code="lonely", kind=OfficeKind.DIVISION)
    MembershipFactory(user=UserFactory(username="lonely.reviewer"), office=office, role=Role.REVIEWER)
    client.force_login(user("lonely.reviewer"))
    response = client.get(SUMMARY)
    assert response.status_code == 200
    assert "এখনো কোনো অর্থবছরের কর্মপরিকল্পনা নেই" in response.content.decode()


def test_summary_csv_has_the_same_figures(client, tree):
    """The CSV: UTF-8 with a byte-order mark, Bangla headers, one row per tier and the total, numbers in
    ASCII digits (so that a spreadsheet adds them up); the file name names the year and quarter."""
    client.force_login(user("cab.reviewer"))
    response = client.get(SUMMARY_CSV, {"year": "2023-24", "quarter": "1"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="apa-summary-2023-24-q1.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text[1:])))
    assert table[0][:8] == [
        "দপ্তরের স্তর",
        "দপ্তর",
        "প্রত্যাশিত প্রতিবেদন",
        "দাখিল (প্রেরিত/গৃহীত)",
        "সময়মতো",
        "দেরিতে",
        "বাকি",
        "গড় নম্বর (%)",
    ]
    # Q1: no grade band (progress to date), both on pace (issue 14.6).
    assert table[1] == [
        "মন্ত্রণালয়",
        "2",
        "2",
        "2",
        "1",
        "1",
        "0",
        "92.75",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "2",
        "0",
    ]
    assert table[-1][:8] == ["সব স্তর", "7", "7", "4", "2", "2", "3", "76.37"]
    assert len(table) == 1 + 4 + 1


def test_summary_csv_writes_text_that_looks_like_a_formula_after_a_quote(client, tree):
    """The summary CSV goes through the sheets' CSV writer (OWASP "CSV Injection"): a label beginning with
    "=" is written as '=…, while the figures stay plain numbers."""
    client.force_login(user("cab.reviewer"))
    with patch("workflow.summary.csv_row", return_value=["=1+1", 2, -3]):
        response = client.get(SUMMARY_CSV, {"year": "2023-24", "quarter": "1"})
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[1:] and all(row == ["'=1+1", "2", "-3"] for row in table[1:])


def test_nav_links_to_the_summary_for_reviewers_only(client, tree):
    """Reviewers get the summary in the navigation bar; officers do not."""
    client.force_login(user("cab.reviewer"))
    assert 'href="/review/summary/"' in client.get("/").content.decode()
    client.force_login(user("a.officer"))
    assert 'href="/review/summary/"' not in client.get("/").content.decode()


# ---------------------------------------------------------------------------------------------------------
# Scale


# The summary's queries, whatever the size of the tree: the session and its user, the fiscal years of the
# filter form, the user's roles, the reviewed offices, the summary itself (one statement), the offices not
# submitted or late (issue 14.5), and the header's count of what waits for the user (one COUNT, issue 14.4).
SUMMARY_QUERIES = 8


def _grow(parent: Office, departments: int, field_offices: int) -> None:
    for d in range(departments):
        department = OfficeFactory(code=f"{parent.code}-d{d}", kind=OfficeKind.DEPARTMENT, parent=parent)
        period(department, state=PeriodState.ACCEPTED, percent=f"{60 + d}.00")
        for f in range(field_offices):
            field = OfficeFactory(code=f"{department.code}-f{f}", kind=OfficeKind.UPAZILA, parent=department)
            period(field, state=PeriodState.SENT, percent="91.00", submitted=LATE if f % 2 else ON_TIME)


def test_query_count_does_not_grow_with_the_tree(client, tree, django_assert_num_queries):
    """A small tree and one with 60 more offices two and three levels down: the same number of queries,
    and the new offices are all counted."""
    client.force_login(user("cab.reviewer"))
    params = {"year": "2023-24", "quarter": "1"}
    with django_assert_num_queries(SUMMARY_QUERIES):
        assert tiers(client.get(SUMMARY, params))["total"][0] == 7
    _grow(tree["b"], departments=5, field_offices=11)
    with django_assert_num_queries(SUMMARY_QUERIES):
        response = client.get(SUMMARY, params)
    assert tiers(response)["upazila"] == (56, 56, 56, 31, 25, 0, Decimal("90.45"))  # (60 + 55 × 91) / 56
    assert tiers(response)["department"][:3] == (7, 7, 5)


def test_a_cycle_in_the_tree_does_not_hang_the_summary(client, tree):
    """A cycle (possible only by editing the database by hand) ends the recursion: each office once."""
    a = tree["a"]
    Office.objects.filter(pk=a.pk).update(parent=Office.objects.get(code="a1x"))  # a → a1 → a1x → a
    client.force_login(user("a.reviewer"))
    response = client.get(SUMMARY, {"year": "2023-24", "quarter": "1"})
    assert tiers(response)["total"][0] == 4  # a1, a1x, a1y and a itself, each once


# ---------------------------------------------------------------------------------------------------------
# Scoring every plan of a year in bulk (bench score-all)


def _targets(*levels: int) -> dict:
    return {
        f"target_{level}_number": Decimal(value)
        for level, value in zip((100, 90, 80, 70, 60), levels, strict=True)
    }


def _scored_plan(office_code: str, year: int = 2023) -> None:
    """A plan with two areas and one indicator of each kind: sum, average, cumulative, date, lower is
    better, proportional, threshold, step and not applicable; progress with values, a remark only, and none."""
    from tests.factories import (
        ActivityFactory,
        AreaFactory,
        DateIndicatorFactory,
        IndicatorFactory,
        ProgressFactory,
    )

    plan = PlanFactory(office=OfficeFactory(code=office_code), fiscal_year=FiscalYearFactory(start_year=year))
    first = ActivityFactory(
        area=AreaFactory(plan=plan, code="1", marks=Decimal("60"), position=0), code="1.1"
    )
    second = ActivityFactory(
        area=AreaFactory(plan=plan, code="2", marks=Decimal("40"), position=1), code="2.1"
    )
    specs = [
        (first, {"calc_method": "sum"}, {1: "3", 2: "4.5", 3: None}),
        (first, {"calc_method": "average", "unit": "percent"}, {1: "8", 2: "9.7", 4: "10"}),
        (first, {"calc_method": "cumulative"}, {1: "2", 3: "8.25"}),
        (first, {"direction": "lower", **_targets(5, 6, 7, 8, 9)}, {2: "7.5"}),
        (first, {"scoring_method": "proportional"}, {1: "4", 4: "3"}),
        (second, {"scoring_method": "threshold"}, {1: "9.99"}),
        (second, {"scoring_method": "step"}, {2: "8.6"}),
        (second, {"applicable": False, "not_applicable_reason": "নেই"}, {1: "5"}),
        (second, {}, {}),
    ]
    weight = Decimal("10")
    for position, (activity, fields, values) in enumerate(specs):
        indicator = IndicatorFactory(
            activity=activity, code=f"{activity.code}.{position}", position=position, weight=weight, **fields
        )
        for quarter, value in values.items():
            if value is None:
                ProgressFactory(indicator=indicator, quarter=quarter, value_number=None, remark="শুধু মন্তব্য")
            else:
                ProgressFactory(indicator=indicator, quarter=quarter, value_number=Decimal(value))
    day = DateIndicatorFactory(activity=second, code="2.1.99", position=99, weight=weight)
    ProgressFactory(indicator=day, quarter=4, value_number=None, value_date=datetime.date(2023, 5, 20))


def test_bulk_scores_equal_the_plan_pages_scores(db):
    """year_plan_scores gives, plan by plan, exactly what indicators.selectors.plan_scores computes from the
    same rows (areas, indicators, achievements, raw scores, marks, totals), in chunks of any size, and
    leaves out the plans of other years."""
    from indicators.models import ActionPlan
    from indicators.scores import BulkScoreFigures, plan_scores, year_plan_scores

    for code in ("p1", "p2", "p3"):
        _scored_plan(code)
    _scored_plan("old", year=2022)
    plans = list(ActionPlan.objects.filter(fiscal_year__start_year=2023))
    expected = plan_scores(plans)
    assert len(expected) == 3
    for chunk_size in (1, 2, 1000):
        figures = BulkScoreFigures()
        assert dict(year_plan_scores(2023, chunk_size=chunk_size, figures=figures)) == expected
        assert (figures.plans, figures.indicators, figures.progress_rows) == (3, 3 * 10, 3 * 14)
        assert figures.mean_percent == expected[plans[0].pk].percent  # three identical plans
    assert expected[plans[0].pk].percent not in (Decimal(0), Decimal(100))  # a plan worth comparing


def test_bulk_scores_read_progress_in_slices_the_backend_accepts(db, monkeypatch):
    """Where the backend limits query parameters (SQLite), the progress of a chunk's indicators is read in
    slices of that many ids: the same scores."""
    from django.db import connection

    from indicators.models import ActionPlan
    from indicators.scores import plan_scores, year_plan_scores

    for code in ("p1", "p2"):
        _scored_plan(code)
    expected = plan_scores(list(ActionPlan.objects.all()))
    monkeypatch.setattr(connection.features, "max_query_params", 3)
    assert dict(year_plan_scores(2023)) == expected
