"""Marking an indicator not applicable when it has values (issue 14.9): one confirmed step that clears them,
the reason kept through the refusal and in the history; permissions walked for the view."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from base.errors import DomainError
from indicators.models import HistoryEntry, HistoryKind, Progress
from indicators.services.progress import ValuesPresentError, indicator_set_applicability

PLAN = "/plans/mofa/2022-23/"
URL = PLAN + "indicators/1.3.1/applicability/"
REASON = "এ বছর ই-নথি প্রযোজ্য নয়"


def user(username: str):
    return get_user_model().objects.get(username=username)


def values(demo) -> list:
    return list(
        Progress.objects.filter(indicator__plan=demo, indicator__code="1.3.1")
        .order_by("quarter")
        .values_list("quarter", "value_number", "remark")
    )


def test_service_refuses_with_the_quarters_then_clears_them_when_asked(demo):
    """Without clear_values: ValuesPresentError naming Q1–Q4, nothing changed. With it: values cleared,
    remarks kept, one history entry per cleared quarter with the reason, and the indicator not applicable."""
    indicator = demo.indicators.get(code="1.3.1")
    before = values(demo)
    with pytest.raises(ValuesPresentError) as refused:
        indicator_set_applicability(
            indicator=indicator, applicable=False, reason=REASON, user=user("mofa.officer")
        )
    assert refused.value.quarters == [1, 2, 3, 4] and values(demo) == before

    indicator_set_applicability(
        indicator=indicator, applicable=False, reason=REASON, user=user("mofa.officer"), clear_values=True
    )
    indicator.refresh_from_db()
    assert not indicator.applicable and indicator.not_applicable_reason == REASON
    assert [(q, v) for q, v, _r in values(demo)] == [(1, None), (2, None), (3, None), (4, None)]
    assert [r for _q, _v, r in values(demo)] == [r for _q, _v, r in before]  # remarks stay
    cleared = HistoryEntry.objects.filter(indicator=indicator, kind=HistoryKind.VALUE, reason=REASON)
    assert cleared.count() == 4


def test_clearing_needs_a_reason_and_leaves_values_without_one(demo):
    indicator = demo.indicators.get(code="1.3.1")
    with pytest.raises(DomainError):
        indicator_set_applicability(
            indicator=indicator, applicable=False, reason="", user=user("mofa.officer"), clear_values=True
        )
    assert values(demo)[0][1] == Decimal("80")


def test_view_walks_anonymous_other_office_then_officer_confirms_with_the_reason_kept(client, demo):
    """Anonymous → sign-in; msw.officer → 404; the officer's first POST shows the confirmation with the
    quarters and the typed reason in the box; the second, confirmed, clears and marks."""
    form = {"applicable": "0", "reason": REASON}
    response = client.post(URL, form)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(user("msw.officer"))
    assert client.post(URL, form).status_code == 404
    client.force_login(user("mofa.officer"))
    response = client.post(URL, form)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="clear_values" value="1"' in body and f">{REASON}</textarea>" in body
    assert "১, ২, ৩, ৪ ত্রৈমাসিকে অর্জন লেখা আছে" in body
    assert demo.indicators.get(code="1.3.1").applicable

    response = client.post(URL, {**form, "clear_values": "1"})
    assert response.status_code == 302
    indicator = demo.indicators.get(code="1.3.1")
    assert not indicator.applicable and indicator.not_applicable_reason == REASON
    assert all(v is None for _q, v, _r in values(demo))


def test_a_refusal_keeps_the_typed_reason(client, demo):
    """Too short a reason (or any refusal) shows the error beside the form with what was typed."""
    client.force_login(user("mofa.officer"))
    response = client.post(PLAN + "indicators/1.1.1/applicability/", {"applicable": "0", "reason": "  "})
    body = response.content.decode()
    assert response.status_code == 200 and 'id="na-error"' in body
