"""Constraints the database itself enforces (DESIGN.md §2), bypassing forms and full_clean."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from evidence.models import Evidence
from indicators.models import ActionPlan, Activity, Indicator, Office, PerformanceArea, Progress
from tests.factories import (
    ActivityFactory,
    AreaFactory,
    DateIndicatorFactory,
    FiscalYearFactory,
    IndicatorFactory,
    OfficeFactory,
    PlanFactory,
    ProgressFactory,
)

pytestmark = pytest.mark.django_db


def refused(create) -> None:
    """The statement fails with IntegrityError and the transaction stays usable."""
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def number_indicator_fields(activity: Activity, **overrides) -> dict:
    fields = {
        "plan": activity.plan,
        "activity": activity,
        "code": f"{activity.code}.9",
        "title": "সূচক",
        "unit": "number",
        "weight": Decimal(1),
        "calc_method": "sum",
        "target_100_number": Decimal(10),
    }
    return {**fields, **overrides}


def test_valid_rows_from_the_factories_are_accepted():
    """Baseline: the factories' rows satisfy every constraint (so each refusal below is about its one change)."""
    ProgressFactory()
    ProgressFactory(indicator=DateIndicatorFactory(), value_number=None, value_date=datetime.date(2023, 5, 1))
    assert Progress.objects.count() == 2


def test_two_plans_for_one_office_and_year_are_refused():
    """One plan per office × fiscal year."""
    plan = PlanFactory()
    refused(lambda: ActionPlan.objects.create(office=plan.office, fiscal_year=plan.fiscal_year))
    ActionPlan.objects.create(office=plan.office, fiscal_year=FiscalYearFactory(start_year=2023))
    ActionPlan.objects.create(office=OfficeFactory(), fiscal_year=plan.fiscal_year)


def test_duplicate_area_code_within_a_plan_is_refused():
    """Area codes are unique within a plan, but another plan may reuse them."""
    area = AreaFactory(code="1")
    refused(lambda: PerformanceArea.objects.create(plan=area.plan, code="1", title="x", marks=Decimal(5)))
    PerformanceArea.objects.create(plan=PlanFactory(), code="1", title="x", marks=Decimal(5))


def test_duplicate_activity_code_within_a_plan_is_refused():
    """Activity codes are unique within a plan, even under different areas."""
    activity = ActivityFactory()
    other_area = AreaFactory(plan=activity.plan)
    refused(
        lambda: Activity.objects.create(plan=activity.plan, area=other_area, code=activity.code, title="x")
    )


def test_duplicate_indicator_code_within_a_plan_is_refused():
    """Indicator codes are unique within a plan (bulk_create bypasses full_clean too)."""
    indicator = IndicatorFactory()
    duplicate = Indicator(**number_indicator_fields(indicator.activity, code=indicator.code))
    refused(lambda: Indicator.objects.bulk_create([duplicate]))


def test_two_progress_rows_for_one_indicator_and_quarter_are_refused():
    """One progress row per indicator × quarter."""
    progress = ProgressFactory(quarter=2)
    refused(lambda: Progress.objects.create(indicator=progress.indicator, quarter=2, value_number=Decimal(1)))
    Progress.objects.create(indicator=progress.indicator, quarter=3, value_number=Decimal(1))


@pytest.mark.parametrize("quarter", [0, 5])
def test_progress_quarter_outside_one_to_four_is_refused(quarter):
    """Quarter 0 and 5 are refused by the database."""
    indicator = IndicatorFactory()
    refused(lambda: Progress.objects.create(indicator=indicator, quarter=quarter, value_number=Decimal(1)))


def test_progress_with_both_value_columns_is_refused():
    """A progress row holds a number or a date, never both."""
    indicator = IndicatorFactory()
    refused(
        lambda: Progress.objects.create(
            indicator=indicator, quarter=1, value_number=Decimal(1), value_date=datetime.date(2023, 1, 1)
        )
    )


def test_negative_progress_value_is_refused():
    """Achievements are zero or more."""
    indicator = IndicatorFactory()
    refused(lambda: Progress.objects.create(indicator=indicator, quarter=1, value_number=Decimal(-1)))


@pytest.mark.parametrize("weight", [Decimal(0), Decimal("-1")])
def test_indicator_weight_not_positive_is_refused(weight):
    """Weights must be positive."""
    activity = ActivityFactory()
    refused(lambda: Indicator.objects.create(**number_indicator_fields(activity, weight=weight)))


@pytest.mark.parametrize("marks", [Decimal(0), Decimal("-5")])
def test_area_marks_not_positive_are_refused(marks):
    """An area's marks must be positive."""
    plan = PlanFactory()
    refused(lambda: PerformanceArea.objects.create(plan=plan, code="1", title="x", marks=marks))


@pytest.mark.parametrize("calc_method", ["sum", "average", "cumulative"])
def test_date_unit_with_a_non_date_method_is_refused(calc_method):
    """Unit date goes with calculation method date and no other."""
    activity = ActivityFactory()
    fields = number_indicator_fields(
        activity,
        unit="date",
        calc_method=calc_method,
        target_100_number=None,
        target_100_date=datetime.date(2023, 5, 1),
    )
    refused(lambda: Indicator.objects.create(**fields))


def test_date_method_on_a_number_unit_is_refused():
    """Calculation method date goes only with unit date."""
    activity = ActivityFactory()
    refused(lambda: Indicator.objects.create(**number_indicator_fields(activity, calc_method="date")))


def test_proportional_scoring_on_a_date_unit_is_refused():
    """Proportional scoring means nothing for dates."""
    activity = ActivityFactory()
    fields = number_indicator_fields(
        activity,
        unit="date",
        calc_method="date",
        scoring_method="proportional",
        target_100_number=None,
        target_100_date=datetime.date(2023, 5, 1),
    )
    refused(lambda: Indicator.objects.create(**fields))


def test_missing_100_percent_target_is_refused():
    """No lower level without the 100% target (other levels may be blank; all five only in a plan started
    from a template, ``test_next_year``)."""
    activity = ActivityFactory()
    refused(
        lambda: Indicator.objects.create(
            **number_indicator_fields(activity, target_100_number=None, target_90_number=Decimal(9))
        )
    )


def test_number_targets_on_a_date_unit_are_refused():
    """A date indicator keeps its targets in the date columns only."""
    activity = ActivityFactory()
    fields = number_indicator_fields(
        activity,
        unit="date",
        calc_method="date",
        target_100_number=None,
        target_100_date=datetime.date(2023, 5, 1),
        target_90_number=Decimal(9),
    )
    refused(lambda: Indicator.objects.create(**fields))


def test_date_targets_on_a_number_unit_are_refused():
    """A number indicator keeps its targets in the number columns only."""
    activity = ActivityFactory()
    refused(
        lambda: Indicator.objects.create(
            **number_indicator_fields(activity, target_80_date=datetime.date(2023, 5, 1))
        )
    )


def test_not_applicable_without_a_reason_is_refused():
    """An indicator marked not applicable must carry the reason."""
    activity = ActivityFactory()
    refused(lambda: Indicator.objects.create(**number_indicator_fields(activity, applicable=False)))
    Indicator.objects.create(
        **number_indicator_fields(activity, applicable=False, not_applicable_reason="আওতাধীন দপ্তর নেই")
    )


def test_office_as_its_own_parent_is_refused():
    """An office cannot be its own parent."""
    office = OfficeFactory()
    refused(lambda: Office.objects.filter(pk=office.pk).update(parent=office))


@pytest.mark.parametrize("quarter", [0, 5])
def test_evidence_quarter_outside_one_to_four_is_refused(quarter):
    """Evidence quarter is empty or 1..4."""
    indicator = IndicatorFactory()
    refused(
        lambda: Evidence.objects.create(
            indicator=indicator,
            quarter=quarter,
            title="t",
            file="evidence/x.pdf",
            original_name="x.pdf",
            content_type="application/pdf",
            size=1,
            page_count=1,
            sha256="0" * 64,
        )
    )
