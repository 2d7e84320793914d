"""The confirmation page before submit / approve and sign / send / accept (issue 14.7, 17.2): who may open it,
what it warns about (no value, no evidence with the evidence the indicator expects, no remark), and that the
browser's POST takes the step only from it — the workflow's own checks unchanged."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from evidence.services import evidence_attach
from indicators.models import PeriodState
from indicators.periods import periods_ensure
from tests.files import pdf_bytes
from workflow.confirm import period_summary
from workflow.transitions import period_transition

PLAN = "/plans/mofa/2022-23/"
LOGIN = "/accounts/login/"


def user(username: str):
    return get_user_model().objects.get(username=username)


def act(plan, quarter: int, action: str, username: str):
    period = plan.periods.get(quarter=quarter)
    return period_transition(
        period=period, action=action, user=user(username), expected_version=period.version
    )


@pytest.mark.parametrize(
    ("action", "setup", "own"),
    [
        ("submit", [], "mofa.officer"),
        ("approve", [("submit", "mofa.officer")], "mofa.cio"),
        ("send", [("submit", "mofa.officer"), ("approve", "mofa.cio")], "mofa.cio"),
        (
            "accept",
            [("submit", "mofa.officer"), ("approve", "mofa.cio"), ("send", "mofa.cio")],
            "cabinet.reviewer",
        ),
    ],
)
def test_confirm_page_walks_anonymous_then_other_office_then_who_acts(client, demo, action, setup, own):
    """Anonymous → sign-in; msw.officer → 404; the person who takes the step → the page with its form,
    and nothing changed by opening it."""
    periods_ensure(demo)
    for step, username in setup:
        act(demo, 1, step, username)
    url = f"{PLAN}periods/1/{action}/confirm/"
    before = demo.periods.get(quarter=1).version
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    client.force_login(user("msw.officer"))
    assert client.get(url).status_code == 404
    client.force_login(user(own))
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert f'action="{PLAN}periods/1/{action}/"' in body and 'name="confirmed" value="1"' in body
    assert demo.periods.get(quarter=1).version == before


def test_confirm_page_of_a_step_the_user_may_not_take_has_no_form(client, demo):
    """The officer cannot approve: redirected to the plan with the reason; a reviewer before sending: 404."""
    periods_ensure(demo)
    act(demo, 1, "submit", "mofa.officer")
    client.force_login(user("mofa.officer"))
    response = client.get(f"{PLAN}periods/1/approve/confirm/")
    assert response.status_code == 302 and response["Location"] == f"{PLAN}#period-1"
    client.force_login(user("cabinet.reviewer"))
    assert client.get(f"{PLAN}periods/1/accept/confirm/").status_code == 404
    # Returns are not confirmed on a page (they carry their comment already), nor unknown actions.
    client.force_login(user("mofa.cio"))
    assert client.get(f"{PLAN}periods/1/return/confirm/").status_code == 404
    assert client.get(f"{PLAN}periods/5/submit/confirm/").status_code == 404


def test_a_post_without_the_confirmation_goes_to_the_confirmation_page_and_changes_nothing(client, demo):
    """The plan page's button opens the confirmation (a GET form); a bare POST is sent there, unchanged."""
    period = periods_ensure(demo)[0]
    client.force_login(user("mofa.officer"))
    plan_body = client.get(PLAN).content.decode()
    assert f'method="get" action="{PLAN}periods/1/submit/confirm/"' in plan_body
    response = client.post(f"{PLAN}periods/1/submit/", {"version": str(period.version)})
    assert response.status_code == 302 and response["Location"] == f"{PLAN}periods/1/submit/confirm/"
    assert demo.periods.get(quarter=1).state == PeriodState.DRAFT
    response = client.post(f"{PLAN}periods/1/submit/", {"version": str(period.version), "confirmed": "1"})
    assert response.status_code == 302
    assert demo.periods.get(quarter=1).state == PeriodState.SUBMITTED


def test_summary_lists_what_is_missing_as_warnings(client, demo):
    """Q1 of the demo: 1.1.1 has no Q1 value, 1.3.1 has a value without a remark, 2.1.1 has both; an indicator
    with evidence of the quarter is not listed as missing evidence; one that expects evidence says what."""
    period = periods_ensure(demo)[0]
    ind = demo.indicators.get(code="2.1.1")
    evidence_attach(indicator=ind, title="তথ্য বাতায়ন", data=pdf_bytes(), original_name="a.pdf", quarter=1)
    expecting = demo.indicators.get(code="1.3.1")
    expecting.evidence_expected = "ই-নথির প্রতিবেদন"
    expecting.save(update_fields=["evidence_expected"])

    summary = period_summary(demo, period)
    no_value = {i.code for i in summary.no_value}
    no_remark = {i.code for i in summary.no_remark}
    no_evidence = {m.indicator.code: m.expected for m in summary.no_evidence}
    assert "1.1.1" in no_value and "1.3.1" not in no_value and "2.1.1" not in no_value
    assert "1.3.1" in no_remark and "2.1.1" not in no_remark and "1.1.1" not in no_remark
    assert "2.1.1" not in no_evidence and no_evidence["1.3.1"] == "ই-নথির প্রতিবেদন"
    assert "2.2.4" not in no_value | no_remark | set(no_evidence)  # not applicable: no warning
    assert summary.pace.expected == 25 and summary.pace.is_partial

    client.force_login(user("mofa.officer"))
    body = client.get(f"{PLAN}periods/1/submit/confirm/").content.decode()
    assert "এখনো কোনো প্রমাণক নেই; এই সূচকে প্রত্যাশিত: ই-নথির প্রতিবেদন" in body
    assert "সতর্কতা, বাধা নয়" in body
    assert "প্রত্যাশিত গতি ২৫" in body


def test_confirm_page_reads_a_fixed_number_of_queries(client, demo, django_assert_max_num_queries):
    periods_ensure(demo)
    client.force_login(user("mofa.officer"))
    with django_assert_max_num_queries(20):
        assert client.get(f"{PLAN}periods/1/submit/confirm/").status_code == 200
