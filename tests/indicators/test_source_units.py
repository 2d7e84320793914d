"""Only an indicator of a unit its record can give is bound to it (issue 16.4): a record gives a date or a count,
never a percent (a meetings count written into a percent indicator would read as a share). The rule is one
service check (``sources.source_unit_check``) asked by every door that binds an indicator — the indicator page,
the admin — and by every door that changes a bound indicator's unit — the plan sheet import (command, admin,
browser) and the plan editor, both through ``plan_import``."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from base.errors import DomainError
from indicators.models import DataSource, HistoryEntry, Indicator, Progress
from indicators.plan_draft import plan_draft
from indicators.services.plan_edit import PlanEditFailed, plan_edit_save, plan_version
from indicators.services.sources import indicator_set_source, source_fill, source_unit_check
from tests.indicators.test_admin import _change_form_data
from tests.indicators.test_plan_edit import find
from tests.indicators.test_plan_import import db_dump, demo_row_index, demo_table, refused_import_stderr

pytestmark = pytest.mark.django_db

SOURCES = [s for s in DataSource.values if s]


def user(username: str):
    return get_user_model().objects.get(username=username)


@pytest.mark.parametrize("source", SOURCES)
def test_a_date_or_a_number_takes_any_source_a_percent_none(demo, source):
    officer = user("mofa.officer")
    percent = demo.indicators.get(code="1.3.1")  # %, average
    with pytest.raises(DomainError) as refused:
        indicator_set_source(indicator=percent, source=source, user=officer)
    assert "[১.৩.১]" in refused.value.message_bn and "%" in refused.value.message_bn
    assert "1.3.1" in refused.value.message_en and "percent" in refused.value.message_en
    percent.refresh_from_db()
    assert percent.data_source == ""
    assert not HistoryEntry.objects.filter(indicator=percent, after__contains="মানের উৎস").exists()
    for code in ("1.2.2", "1.4.2"):  # a date, a number
        bound = indicator_set_source(indicator=demo.indicators.get(code=code), source=source, user=officer)
        assert bound.data_source == source
    indicator_set_source(indicator=percent, source="", user=officer)  # unbinding is always allowed


def test_a_percent_indicator_chosen_by_hand_gets_no_value(demo):
    """The review of child offices and the minutes may be kept as evidence of any indicator chosen by hand; a
    percent one gets the PDF, never a value."""
    percent = demo.indicators.get(code="1.3.1")
    before = list(Progress.objects.filter(indicator=percent).values_list("quarter", "value_number"))
    Progress.objects.filter(indicator=percent, quarter=4).delete()
    assert (
        source_fill(indicator=percent, day=datetime.date(2023, 5, 1), user=user("mofa.cio"), source_label="x")
        is None
    )
    assert not Progress.objects.filter(indicator=percent, quarter=4).exists()
    assert before  # it had values: not touched


def test_the_indicator_page_says_why_and_keeps_the_binding(demo):
    client = Client()
    client.force_login(user("mofa.officer"))
    url = reverse("workflow:indicator_source", args=["mofa", "2022-23", "1.3.1"])
    response = client.post(url, {"source": DataSource.MEETINGS_HELD}, follow=True)
    assert response.status_code == 200
    assert "[১.৩.১]-এর একক" in response.content.decode()
    assert demo.indicators.get(code="1.3.1").data_source == ""
    client.post(
        reverse("workflow:indicator_source", args=["mofa", "2022-23", "1.4.2"]), {"source": "meetings_held"}
    )
    assert demo.indicators.get(code="1.4.2").data_source == DataSource.MEETINGS_HELD


def admin_post_source(demo, code: str, source: str):
    client = Client()
    client.force_login(user("admin"))
    indicator = demo.indicators.get(code=code)
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    data = _change_form_data(client.get(url))
    data["data_source"] = source
    return client.post(url, data)


def test_the_admin_binds_through_the_service_and_refuses_a_percent(demo):
    refused = admin_post_source(demo, "1.3.1", DataSource.SMART_PLAN_APPROVED)
    assert refused.status_code == 200  # the form again, the message at the field
    assert "[১.৩.১]-এর একক" in refused.content.decode()
    assert demo.indicators.get(code="1.3.1").data_source == ""

    saved = admin_post_source(demo, "1.2.2", DataSource.SMART_PLAN_APPROVED)
    assert saved.status_code == 302
    bound = demo.indicators.get(code="1.2.2")
    assert bound.data_source == DataSource.SMART_PLAN_APPROVED
    entry = HistoryEntry.objects.filter(indicator=bound, after__contains="মানের উৎস").get()
    assert entry.user == user("admin")  # through indicator_set_source: its history entry


def test_the_plan_import_refuses_a_percent_unit_for_a_bound_indicator(demo, tmp_path):
    """[২.২.৪] (a date, no progress) may become a number — but not a percent while it is bound."""
    indicator_set_source(
        indicator=demo.indicators.get(code="2.2.4"),
        source=DataSource.CHILDREN_REVIEW,
        user=user("mofa.officer"),
    )
    headers, rows = demo_table()
    row = rows[demo_row_index(rows, "[২.২.৪]")]
    row[7], row[9], row[10:14] = "%", "গড়", ["৯০", "৮০", "৭০", "৬০"]
    before = db_dump()
    err = refused_import_stderr(tmp_path, headers, rows, replace=True)
    assert "[২.২.৪]" in err and "2.2.4" in err and "percent" in err
    assert db_dump() == before


def test_the_plan_editor_refuses_a_percent_unit_for_a_bound_indicator(demo):
    indicator_set_source(
        indicator=demo.indicators.get(code="2.2.4"),
        source=DataSource.CHILDREN_REVIEW,
        user=user("mofa.officer"),
    )
    draft = plan_draft(demo)
    edited = find(draft, "[২.২.৪]")
    edited.unit_kind, edited.unit_label, edited.calc_method = "percent", "%", ""
    edited.targets = {100: "৯০", 90: "৮০", 80: "৭০", 70: "৬০", 60: ""}
    with pytest.raises(PlanEditFailed) as failed:
        plan_edit_save(plan=demo, draft=draft, expected_version=plan_version(demo), user=user("mofa.officer"))
    assert any("[২.২.৪]" in p.message_bn and "উৎস" in p.message_bn for p in failed.value.problems)
    assert Indicator.objects.get(plan=demo, code="2.2.4").unit == "date"


def test_the_check_itself():
    source_unit_check(source="", unit="percent", code="1.1.1")  # no source: any unit
    source_unit_check(source=DataSource.MEETINGS_HELD, unit="number", code="1.1.1")
    with pytest.raises(DomainError):
        source_unit_check(source=DataSource.HALF_YEARLY_SENT, unit="percent", code="1.1.1")
