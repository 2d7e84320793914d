"""A plan started from the higher office's template is filled in the browser's editor one indicator at a time
(issue 13.4 with 13.5): an indicator whose five targets are all blank is not yet given — kept, without marks —
while a sheet import still requires the 100 % target, and a half-written set of targets is still refused."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from indicators.models import ActionPlan, FiscalYear, Indicator, Office
from indicators.plan_draft import plan_draft, plan_version
from indicators.services.next_year import plan_start_from_template, template_publish_year
from indicators.services.plan_edit import PlanEditFailed, plan_edit_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def template_plan():
    call_command("load_demo", password="test-pass-123", stdout=io.StringIO())
    template_publish_year(
        office=Office.objects.get(code="cabinet"),
        start_year=2023,
        source=ActionPlan.objects.get(office__code="mofa"),
        user=None,
    )
    officer = get_user_model().objects.get(username="msw.officer")
    plan = plan_start_from_template(
        office=Office.objects.get(code="msw"),
        fiscal_year=FiscalYear.objects.get(start_year=2023),
        user=officer,
    )
    return plan, officer


DATES = {100: "১০/০৫/২০২৪", 90: "১৫/০৫/২০২৪", 80: "২০/০৫/২০২৪", 70: "২৫/০৫/২০২৪", 60: "৩০/০৫/২০২৪"}


def test_one_indicators_targets_are_saved_while_the_others_stay_blank(template_plan):
    plan, officer = template_plan
    draft = plan_draft(plan)
    first = draft.areas[0].activities[0].indicators[0]
    first.targets = dict(DATES)
    result = plan_edit_save(plan=plan, draft=draft, expected_version=plan_version(plan), user=officer)
    assert result.removed_indicators == 0
    indicators = Indicator.objects.filter(plan=plan)
    assert indicators.count() == 12
    assert indicators.filter(target_100_number=None, target_100_date=None).count() == 11


def test_a_half_written_set_of_targets_is_still_refused(template_plan):
    plan, officer = template_plan
    draft = plan_draft(plan)
    draft.areas[0].activities[0].indicators[0].targets[90] = "১৫/০৫/২০২৪"  # 90 % without the 100 %
    with pytest.raises(PlanEditFailed) as failed:
        plan_edit_save(plan=plan, draft=draft, expected_version=plan_version(plan), user=officer)
    assert any("১০০%" in p.message_bn for p in failed.value.problems)
