"""The plan's pages (DESIGN.md §9, §4): who may see and do what on every view of `indicators/urls.py`, what
a reviewer sees, in-place progress entry, query counts, and what waits for each user on the home page."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from base.bangla import format_marks, format_percent
from evidence.services import evidence_attach
from indicators.models import HistoryEntry, PeriodState, Progress, ReportingPeriod, Role
from indicators.periods import periods_ensure
from indicators.scores import plan_score
from tests.factories import (
    ActivityFactory,
    AreaFactory,
    DateIndicatorFactory,
    IndicatorFactory,
    MembershipFactory,
    OfficeFactory,
    PlanFactory,
    ProgressFactory,
)
from tests.files import pdf_bytes
from workflow.transitions import period_transition

PLAN = "/plans/mofa/2022-23/"
LOGIN = "/accounts/login/"


def user(username: str):
    return get_user_model().objects.get(username=username)


def login(client, username: str) -> None:
    client.force_login(user(username))


def act(period: ReportingPeriod, action: str, username: str, comment: str = "") -> ReportingPeriod:
    period.refresh_from_db()
    return period_transition(
        period=period, action=action, user=user(username), comment=comment, expected_version=period.version
    )


def send_quarter(plan, quarter: int) -> None:
    period = periods_ensure(plan)[quarter - 1]
    act(period, "submit", "mofa.officer")
    act(period, "approve", "mofa.cio")
    act(period, "send", "mofa.cio")


def stored_state(plan) -> tuple:
    """Everything a write could change: progress, applicability, periods, history."""
    return (
        list(
            Progress.objects.filter(indicator__plan=plan)
            .order_by("indicator__code", "quarter")
            .values_list("indicator__code", "quarter", "value_number", "value_date", "remark", "version")
        ),
        list(plan.indicators.order_by("code").values_list("code", "applicable", "not_applicable_reason")),
        list(plan.periods.order_by("quarter").values_list("quarter", "state", "version")),
        HistoryEntry.objects.count(),
    )


def q1_version(plan) -> int:
    return Progress.objects.get(indicator__plan=plan, indicator__code="1.3.1", quarter=1).version


def quarter_cells(body: str, dom_id: str) -> list[str]:
    """The text of the four quarter cells of an indicator's row on the plan page."""
    row = re.search(rf'<tbody id="ind-{dom_id}".*?</tbody>', body, re.S).group(0)
    cells = re.findall(r'<td class="num quarter[^"]*"[^>]*>(.*?)</td>', row, re.S)
    return [re.sub(r"<[^>]+>|✎", "", cell).strip() for cell in cells]


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# ---------------------------------------------------------------------------------------------------------
# Every view: anonymous → other office → own office


def _q1_value(plan) -> Decimal:
    return Progress.objects.get(indicator__plan=plan, indicator__code="1.3.1", quarter=1).value_number


VIEWS = {
    # name: (method, path, data(plan), check of the own office's response and effect)
    "plan": ("get", PLAN, None, lambda r, plan: r.status_code == 200 and "[১.৩.১]" in r.content.decode()),
    "indicator": (
        "get",
        PLAN + "indicators/1.3.1/",
        None,
        lambda r, plan: r.status_code == 200 and "ই-ফাইলে নোট নিষ্পত্তিকৃত" in r.content.decode(),
    ),
    "row": (
        "get",
        PLAN + "indicators/1.3.1/row/",
        None,
        lambda r, plan: r.status_code == 200 and 'id="ind-1-3-1"' in r.content.decode(),
    ),
    "progress-get": (
        "get",
        PLAN + "indicators/1.3.1/q1/",
        None,
        lambda r, plan: r.status_code == 200 and 'name="value" value="80"' in r.content.decode(),
    ),
    "progress-post": (
        "post",
        PLAN + "indicators/1.3.1/q1/",
        lambda plan: {"value": "৮৫", "remark": "", "version": str(q1_version(plan))},
        lambda r, plan: r.status_code == 302 and _q1_value(plan) == Decimal("85"),
    ),
    "applicability-post": (
        "post",
        PLAN + "indicators/2.2.4/applicability/",
        lambda plan: {"applicable": "1"},
        lambda r, plan: r.status_code == 302 and plan.indicators.get(code="2.2.4").applicable,
    ),
    "period-action-post": (
        "post",
        PLAN + "periods/1/submit/",
        lambda plan: {"version": str(periods_ensure(plan)[0].version), "comment": "", "confirmed": "1"},
        lambda r, plan: r.status_code == 302 and plan.periods.get(quarter=1).state == PeriodState.SUBMITTED,
    ),
    "period-confirm-get": (
        "get",
        PLAN + "periods/1/submit/confirm/",
        None,
        lambda r, plan: r.status_code == 200 and b'name="confirmed" value="1"' in r.content,
    ),
}


def _request(client, plan, name: str):
    method, path, data, _check = VIEWS[name]
    return getattr(client, method)(path, data(plan) if data else None)


@pytest.mark.parametrize("name", list(VIEWS))
def test_view_walks_anonymous_then_other_office_then_own_office(client, demo, name):
    """Anonymous → sign-in redirect; msw.officer → 404 with nothing written; mofa.officer → the page or the
    effect."""
    before = stored_state(demo)
    response = _request(client, demo, name)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert stored_state(demo) == before

    login(client, "msw.officer")
    response = _request(client, demo, name)
    assert response.status_code == 404
    assert stored_state(demo) == before

    login(client, "mofa.officer")
    response = _request(client, demo, name)
    assert VIEWS[name][3](response, demo)


def test_home_walks_anonymous_then_other_office_then_own_office(client, demo):
    """Home: anonymous → sign-in; msw.officer sees nothing of MoFA; mofa.officer sees the MoFA plan."""
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    login(client, "msw.officer")
    body = client.get("/").content.decode()
    assert PLAN not in body and "পররাষ্ট্র মন্ত্রণালয়" not in body
    login(client, "mofa.officer")
    body = client.get("/").content.decode()
    assert f'href="{PLAN}"' in body


def test_views_of_an_unknown_plan_or_indicator_answer_404(client, demo):
    """A plan, indicator, quarter or period that does not exist is a 404 like another office's."""
    login(client, "mofa.cio")
    for path in [
        "/plans/nope/2022-23/",
        "/plans/mofa/2030-31/",
        PLAN + "indicators/9.9.9/",
        PLAN + "indicators/not-a-code/",
        PLAN + "indicators/1.3.1/q5/",
    ]:
        assert client.get(path).status_code == 404, path
    assert client.post(PLAN + "periods/5/submit/", {"version": "0"}).status_code == 404
    assert client.post(PLAN + "periods/1/publish/", {"version": "0"}).status_code == 404


# ---------------------------------------------------------------------------------------------------------
# The reviewer of the parent office


def test_reviewer_plan_page_shows_only_sent_quarters_and_scores_them_alone(client, demo):
    """With only Q1 sent, the Cabinet reviewer sees Q1's values, none of Q2–Q4, and marks computed from Q1."""
    send_quarter(demo, 1)
    login(client, "cabinet.reviewer")
    response = client.get(PLAN)
    assert response.status_code == 200
    body = response.content.decode()
    assert quarter_cells(body, "1-3-1") == ["৮০%", "·", "·", "·"]
    assert quarter_cells(body, "2-2-2") == ["১০%", "·", "·", "·"]
    # Q2–Q4 values and remarks that are nowhere else on the page (not targets, not marks)
    for unsent in [
        "২৫%",
        "৪০%",
        "১০/০৩/২০২৩",
        "২০/০৫/২০২৩",
        "০৮/০৫/২০২৩",
        "০৫/০২/২০২৩",
        "Technical Education",
        "ডিজিটাল আর্কাইভ",
    ]:
        # The expected pace of a quarter ("প্রত্যাশিত গতি ২৫%", issue 14.6) is no value of Q2–Q4.
        assert unsent not in re.sub(r"প্রত্যাশিত গতি [০-৯]+%", "", body), unsent
    q1_only = plan_score(demo, up_to_quarter=1)
    totals = re.search(r'<section id="plan-totals".*?</section>', body, re.S).group(0)
    assert format_marks(q1_only.achieved_marks) in totals
    assert format_percent(q1_only.percent) in totals
    assert format_marks(plan_score(demo).achieved_marks) not in totals  # ৪৪.৭৭, the whole year's
    assert 'id="period-1"' in body and 'id="period-2"' not in body


def test_reviewer_sees_nothing_of_a_plan_before_anything_was_sent(client, demo):
    """All quarters in draft: the reviewer's plan page shows no achievement and zero marks."""
    login(client, "cabinet.reviewer")
    body = client.get(PLAN).content.decode()
    assert quarter_cells(body, "1-3-1") == ["·", "·", "·", "·"]
    assert "৪৪.৭৭" not in body
    assert "action-submit" not in body and "action-accept" not in body


def test_reviewer_indicator_page_shows_only_sent_quarters_and_no_history(client, demo):
    """The indicator page for the reviewer: Q1's value and remark only, and no change history."""
    send_quarter(demo, 1)
    login(client, "cabinet.reviewer")
    body = client.get(PLAN + "indicators/1.3.1/").content.decode()
    quarters = re.search(r'<table class="quarters stack">.*?</table>', body, re.S).group(0)
    assert "৮০%" in quarters
    assert "৮২%" not in quarters and "৮৩%" not in quarters
    assert "ই-নথি কার্যক্রমের বার্ষিক প্রতিবেদন" not in body  # Q4's remark
    assert 'id="history"' not in body and "পরিবর্তনের ইতিহাস" not in body


@pytest.mark.parametrize("quarter", [1, 2])
def test_reviewer_cannot_edit_progress_of_a_sent_or_unsent_quarter(client, demo, quarter):
    """The reviewer's progress GET and POST answer 404 and write nothing, sent quarter or not."""
    send_quarter(demo, 1)
    login(client, "cabinet.reviewer")
    before = stored_state(demo)
    path = PLAN + f"indicators/1.3.1/q{quarter}/"
    assert client.get(path).status_code == 404
    assert client.post(path, {"value": "৯৯", "remark": "", "version": "1"}).status_code == 404
    assert client.post(PLAN + "indicators/2.2.4/applicability/", {"applicable": "1"}).status_code == 404
    assert stored_state(demo) == before


def test_reviewer_accepts_a_sent_quarter_from_the_plan_page(client, demo):
    """The reviewer's accept button works (and goes back to the inbox)."""
    send_quarter(demo, 1)
    login(client, "cabinet.reviewer")
    period = demo.periods.get(quarter=1)
    response = client.post(PLAN + "periods/1/accept/", {"version": str(period.version), "confirmed": "1"})
    assert response.status_code == 302 and response["Location"] == "/review/"
    assert demo.periods.get(quarter=1).state == PeriodState.ACCEPTED


def test_officer_cannot_approve_and_is_told_why(client, demo):
    """The officer's approve POST on a submitted quarter leaves it submitted and says, in Bangla, that the
    officer may not do this (an officer of the office sees the plan: a 404 would tell them nothing)."""
    period = periods_ensure(demo)[0]
    act(period, "submit", "mofa.officer")
    period.refresh_from_db()
    login(client, "mofa.officer")
    response = client.post(
        PLAN + "periods/1/approve/", {"version": str(period.version), "confirmed": "1"}, follow=True
    )
    period.refresh_from_db()
    assert (period.state, period.version) == (PeriodState.SUBMITTED, 1)
    assert response.status_code == 200
    assert any("অনুমতি নেই" in m for m in messages_of(response))


def test_period_action_with_a_stale_version_changes_nothing_and_says_so(client, demo):
    """Two CIO tabs on one submitted quarter: the first approves; the second tab's return is refused."""
    period = periods_ensure(demo)[0]
    act(period, "submit", "mofa.officer")
    period.refresh_from_db()
    loaded = str(period.version)
    login(client, "mofa.cio")
    assert client.post(PLAN + "periods/1/approve/", {"version": loaded, "confirmed": "1"}).status_code == 302
    response = client.post(PLAN + "periods/1/return/", {"version": loaded, "comment": "ভুল"})
    assert response.status_code == 302
    assert demo.periods.get(quarter=1).state == PeriodState.APPROVED
    assert any("বদলে গেছে" in m for m in messages_of(response))


# ---------------------------------------------------------------------------------------------------------
# Query counts


def _plan_of(size: int):
    """A plan with `size` indicators (every third a date indicator), two quarters of progress each, one
    period submitted, and a CIO."""
    office = OfficeFactory(code=f"size{size}")
    plan = PlanFactory(office=office)
    area = AreaFactory(plan=plan, code="1", marks=Decimal(size))
    for n in range(1, size + 1):
        activity = ActivityFactory(area=area, code=f"1.{n}")
        if n % 3:
            indicator = IndicatorFactory(activity=activity, code=f"1.{n}.1", weight=Decimal(1), position=n)
            values = [{"value_number": Decimal(n % 10)}, {"value_number": Decimal(2)}]
        else:
            indicator = DateIndicatorFactory(
                activity=activity, code=f"1.{n}.1", weight=Decimal(1), position=n
            )
            values = [{"value_number": None, "value_date": datetime.date(2023, 5, 12)}] * 2
        for quarter, value in zip((1, 2), values, strict=True):
            ProgressFactory(indicator=indicator, quarter=quarter, remark=f"মন্তব্য {n}", **value)
    cio = MembershipFactory(office=office, role=Role.CIO).user
    period = periods_ensure(plan)[0]
    period_transition(period=period, action="submit", user=cio, expected_version=0)
    return plan, cio


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_plan_page_queries_do_not_grow_with_the_number_of_indicators(client, db):
    """3 indicators or 30: the plan page costs the same number of queries."""
    counts = {}
    for size in (3, 30):
        plan, cio = _plan_of(size)
        client.force_login(cio)
        counts[size] = _queries(client, f"/plans/{plan.office.code}/2022-23/")
    assert counts[3] == counts[30], counts
    # 13 before issue 13/14; +2 the year switch and the template offer (13.5), +1 the header's count of what
    # waits (14.4), +1 the quarters' pace and returns (14.5/14.6): constant in the number of indicators.
    assert counts[30] <= 17, counts


def test_home_page_queries_do_not_grow_with_the_number_of_plans(client, db):
    """A user with one plan or four: the home page costs the same number of queries."""
    member = MembershipFactory(office=OfficeFactory(code="home0"), role=Role.OFFICER).user
    IndicatorFactory(activity__area__plan__office=member.office_memberships.get().office)
    for plan in member.office_memberships.get().office.plans.all():
        periods_ensure(plan)
    client.force_login(member)
    one = _queries(client, "/")
    for n in range(1, 4):
        office = OfficeFactory(code=f"home{n}")
        MembershipFactory(user=member, office=office, role=Role.OFFICER)
        periods_ensure(IndicatorFactory(activity__area__plan__office=office).plan)
    client.force_login(member)
    four = _queries(client, "/")
    assert four == one, {"one plan": one, "four plans": four}


# ---------------------------------------------------------------------------------------------------------
# Progress entry through the view


def test_htmx_post_returns_the_row_with_the_new_value_and_out_of_band_totals(client, demo):
    """An htmx save answers the indicator's row (value in Bangla digits) and the totals swapped out of band."""
    login(client, "mofa.officer")
    response = client.post(
        PLAN + "indicators/1.3.1/q1/",
        {"value": "৮৫", "remark": "", "version": str(q1_version(demo))},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<tbody id="ind-1-3-1"')
    row = body.split("</tbody>")[0]
    assert '>৮৫%<span class="visually-hidden">' in row and "85" not in row
    totals = plan_score(demo)
    assert re.search(r'<section id="plan-totals"[^>]*hx-swap-oob="true"', body)
    assert f'<span id="foot-total" hx-swap-oob="true">{format_marks(totals.achieved_marks)} /' in body
    assert format_marks(totals.achieved_marks) != "৪৪.৭৭"  # the totals did move with the new value
    assert "<html" not in body


def test_plain_post_saves_and_redirects_back_to_the_plan(client, demo):
    """Without htmx the save redirects to the plan page with a success message."""
    login(client, "mofa.officer")
    response = client.post(
        PLAN + "indicators/1.3.1/q1/", {"value": "৮৫%", "remark": "", "version": str(q1_version(demo))}
    )
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == PLAN
    assert _q1_value(demo) == Decimal("85")
    assert messages_of(response) == ["সংরক্ষিত হয়েছে।"]


def test_plain_post_redirect_lands_on_the_saved_indicator_row(client, demo):
    """The redirect's #fragment names the id of the saved indicator's row on the plan page."""
    login(client, "mofa.officer")
    response = client.post(
        PLAN + "indicators/1.3.1/q1/", {"value": "৮৫", "remark": "", "version": str(q1_version(demo))}
    )
    fragment = urlsplit(response["Location"]).fragment
    assert fragment
    assert f'id="{fragment}"' in client.get(PLAN).content.decode()


@pytest.mark.parametrize("typed", ["২০/০৫/২০২৩", "2023-05-20", "২০২৩-০৫-২০"])
def test_a_date_is_accepted_in_bangla_or_iso(client, demo, typed):
    """A date indicator takes ২০/০৫/২০২৩ as well as the ISO date a date picker sends."""
    login(client, "mofa.officer")
    response = client.post(PLAN + "indicators/1.2.2/q2/", {"value": typed, "remark": "", "version": ""})
    assert response.status_code == 302
    assert Progress.objects.get(
        indicator__plan=demo, indicator__code="1.2.2", quarter=2
    ).value_date == datetime.date(2023, 5, 20)


@pytest.mark.parametrize(
    ("code", "typed"),
    [("1.3.1", "abc"), ("1.3.1", "-৫"), ("1.3.1", "৮৫/০৫/২০২৩"), ("1.2.2", "৩২/১৩/২০২৩"), ("1.2.2", "৮৫")],
)
def test_a_bad_value_shows_a_bangla_error_and_saves_nothing(client, demo, code, typed):
    """An unreadable value re-shows the form with a Bangla error; nothing is written."""
    login(client, "mofa.officer")
    before = stored_state(demo)
    quarter = 1 if code == "1.3.1" else 2
    version = str(q1_version(demo)) if code == "1.3.1" else ""
    response = client.post(
        PLAN + f"indicators/{code}/q{quarter}/", {"value": typed, "remark": "", "version": version}
    )
    assert response.status_code == 200
    errors = re.findall(r'<p class="error" role="alert">(.*?)</p>', response.content.decode(), re.S)
    assert errors and re.search("[\u0980-\u09ff]", errors[0]), errors
    assert stored_state(demo) == before


def test_a_value_for_a_not_applicable_indicator_is_refused(client, demo):
    """[২.২.৪] is not applicable: a value for it is refused with the reason, and nothing is saved."""
    login(client, "mofa.officer")
    before = stored_state(demo)
    response = client.post(
        PLAN + "indicators/2.2.4/q2/", {"value": "১৫/০২/২০২৩", "remark": "", "version": ""}
    )
    assert response.status_code == 200
    assert "প্রযোজ্য নয়" in response.content.decode()
    assert stored_state(demo) == before


def test_a_stale_form_says_someone_else_changed_it_and_keeps_what_was_typed(client, demo):
    """The CIO saved since the officer's form loaded: the officer sees the message, the CIO's stored value,
    and their own typed value and remark still in the form (with the new version, ready to save again)."""
    loaded = str(q1_version(demo))
    login(client, "mofa.cio")
    assert (
        client.post(
            PLAN + "indicators/1.3.1/q1/", {"value": "৮১", "remark": "", "version": loaded}
        ).status_code
        == 302
    )
    login(client, "mofa.officer")
    response = client.post(
        PLAN + "indicators/1.3.1/q1/", {"value": "৮৭", "remark": "আমার মন্তব্য", "version": loaded}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "অন্য কেউ এই মানটি বদলেছেন" in body
    assert 'name="value" value="৮৭"' in body
    assert ">আমার মন্তব্য</textarea>" in body
    assert f'name="version" value="{q1_version(demo)}"' in body
    assert "সংরক্ষিত মান: ৮১%" in body
    assert _q1_value(demo) == Decimal("81")


def test_two_saves_from_forms_loaded_with_the_same_version_the_second_is_told(client, demo):
    """Officer and CIO open the same quarter; the first save wins, the second is refused (htmx too)."""
    loaded = str(q1_version(demo))
    login(client, "mofa.officer")
    first = client.post(
        PLAN + "indicators/1.3.1/q1/",
        {"value": "৮৪", "remark": "", "version": loaded},
        HTTP_HX_REQUEST="true",
    )
    assert first.status_code == 200 and '>৮৪%<span class="visually-hidden">' in first.content.decode()
    login(client, "mofa.cio")
    second = client.post(
        PLAN + "indicators/1.3.1/q1/",
        {"value": "৯০", "remark": "", "version": loaded},
        HTTP_HX_REQUEST="true",
    )
    assert second.status_code == 200
    assert "অন্য কেউ এই মানটি বদলেছেন" in second.content.decode()
    assert _q1_value(demo) == Decimal("84")


def test_a_locked_quarter_is_not_offered_for_editing_and_a_post_is_refused(client, demo):
    """After submission the plan page has no edit link for Q1, and a POST is refused with the lock message."""
    period = periods_ensure(demo)[0]
    act(period, "submit", "mofa.officer")
    login(client, "mofa.officer")
    body = client.get(PLAN).content.decode()
    assert 'href="/plans/mofa/2022-23/indicators/1.3.1/q1/"' not in body
    assert 'href="/plans/mofa/2022-23/indicators/1.3.1/q2/"' in body
    response = client.post(
        PLAN + "indicators/1.3.1/q1/", {"value": "৯০", "remark": "", "version": str(q1_version(demo))}
    )
    assert response.status_code == 200 and "বদলানো যাবে না" in response.content.decode()
    assert _q1_value(demo) == Decimal("80")


# ---------------------------------------------------------------------------------------------------------
# The home page: what waits for each user


def _deadline_items(body: str) -> dict[int, str]:
    section = re.search(r'<ul class="deadlines">.*?</ul>', body, re.S)
    items = (
        re.findall(r"<li class=\"(late|)\">\s*<a href=\"[^\"]*#period-(\d)\".*?</li>", section.group(0), re.S)
        if section
        else []
    )
    return {int(q): late for late, q in items}


def test_officer_home_lists_open_periods_with_deadlines_and_marks_the_late_ones(client, demo):
    """Open periods with their deadline in Bangla; past deadlines marked late, a future one with days left;
    a submitted period is no longer listed."""
    periods_ensure(demo)
    future = timezone.localdate() + datetime.timedelta(days=10)
    ReportingPeriod.objects.filter(plan=demo, quarter=4).update(deadline=future)
    act(demo.periods.get(quarter=1), "submit", "mofa.officer")
    login(client, "mofa.officer")
    body = client.get("/").content.decode()
    assert _deadline_items(body) == {2: "late", 3: "late", 4: ""}
    assert "১৫/০১/২০২৩" in body and "দিন দেরি" in body
    assert "১০ দিন বাকি" in body


def test_cio_home_lists_submitted_and_approved_periods(client, demo):
    """The CIO is asked to decide on submitted periods and to send approved ones; the officer is not."""
    login(client, "mofa.cio")
    assert "আপনার সিদ্ধান্তের অপেক্ষায়" not in client.get("/").content.decode()
    act(periods_ensure(demo)[0], "submit", "mofa.officer")
    body = client.get("/").content.decode()
    assert f'{PLAN}#period-1"' in body and "পর্যালোচনা করে অনুমোদন বা ফেরত দিন" in body
    act(demo.periods.get(quarter=1), "approve", "mofa.cio")
    body = client.get("/").content.decode()
    assert "অনুমোদিত — ঊর্ধ্বতন দপ্তরে পাঠান" in body
    login(client, "mofa.officer")
    assert "আপনার সিদ্ধান্তের অপেক্ষায়" not in client.get("/").content.decode()


def test_reviewer_home_lists_sent_periods_and_never_drafts(client, demo):
    """The reviewer is told of sent periods only: nothing while MoFA's quarters are drafts, one once sent."""
    login(client, "cabinet.reviewer")
    body = client.get("/").content.decode()
    assert "আওতাধীন দপ্তর থেকে এসেছে" not in body
    assert "পররাষ্ট্র মন্ত্রণালয়" not in body
    send_quarter(demo, 1)
    body = client.get("/").content.decode()
    assert "আওতাধীন দপ্তর থেকে এসেছে" in body
    assert re.search("[1১]টি প্রতিবেদন আপনার পর্যালোচনার অপেক্ষায়", body)
    assert 'href="/review/"' in body
    assert "#period-2" not in body


def test_reviewer_home_counts_the_sent_reports_in_bangla_digits(client, demo):
    """ "১টি প্রতিবেদন …", not "1টি": digits in the Bangla UI are Bangla (DESIGN.md §6)."""
    send_quarter(demo, 1)
    login(client, "cabinet.reviewer")
    body = client.get("/").content.decode()
    assert "১টি প্রতিবেদন আপনার পর্যালোচনার অপেক্ষায়" in body
    assert "1টি" not in body


def test_plan_row_counts_evidence_in_bangla_digits(client, demo):
    """The evidence badge on an indicator's row reads "প্রমাণক ২টি", in Bangla digits."""
    indicator = demo.indicators.get(code="1.2.2")
    for title in ("আদেশ", "বিজ্ঞপ্তি"):
        evidence_attach(
            indicator=indicator,
            title=title,
            data=pdf_bytes(),
            original_name="a.pdf",
            quarter=4,
            user=user("mofa.officer"),
        )
    login(client, "mofa.officer")
    row = re.search(r'<tbody id="ind-1-2-2".*?</tbody>', client.get(PLAN).content.decode(), re.S).group(0)
    assert "প্রমাণক ২টি" in row
    assert "2টি" not in row


def test_the_plan_page_links_its_members_to_the_meetings_and_the_smart_plan(demo, client):
    """An office's own people find the review meetings and the Smart Bangladesh plan from the plan page; a
    reviewer of the parent office (who cannot open them) is not offered the links."""
    client.force_login(get_user_model().objects.get(username="mofa.officer"))
    page = client.get("/plans/mofa/2022-23/").content.decode()
    assert 'href="/meetings/mofa/2022-23/"' in page and 'href="/smart-plan/mofa/2022-23/"' in page
    client.force_login(get_user_model().objects.get(username="cabinet.reviewer"))
    page = client.get("/plans/mofa/2022-23/").content.decode()
    assert "/meetings/mofa/" not in page
