"""Factories for tests: small valid objects, and the demo plan loaded through the real import path."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import factory
from django.contrib.auth import get_user_model

from indicators.models import (
    ActionPlan,
    Activity,
    FiscalYear,
    Indicator,
    Office,
    OfficeKind,
    OfficeMembership,
    PerformanceArea,
    PeriodState,
    Progress,
    ReportingPeriod,
    Role,
)
from indicators.periods import periods_ensure

DEMO_DIR = Path(__file__).resolve().parent.parent / "apa_tracker" / "demo" / "mofa-2022-23"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("test-pass-123")


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"office{n}")
    name_bn = factory.Sequence(lambda n: f"দপ্তর {n}")
    name_en = factory.Sequence(lambda n: f"Office {n}")
    kind = OfficeKind.MINISTRY


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficeMembership

    user = factory.SubFactory(UserFactory)
    office = factory.SubFactory(OfficeFactory)
    role = Role.OFFICER


class FiscalYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FiscalYear
        django_get_or_create = ("start_year",)

    start_year = 2022


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    office = factory.SubFactory(OfficeFactory)
    fiscal_year = factory.SubFactory(FiscalYearFactory)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PerformanceArea

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: str(n + 1))
    title = "কর্মসম্পাদন ক্ষেত্র"
    marks = Decimal("10")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    area = factory.SubFactory(AreaFactory)
    plan = factory.SelfAttribute("area.plan")
    code = factory.LazyAttribute(lambda o: f"{o.area.code}.1")
    title = "কার্যক্রম"


class IndicatorFactory(factory.django.DjangoModelFactory):
    """A number indicator, sum of quarters, targets 10/9/8/7/6."""

    class Meta:
        model = Indicator

    activity = factory.SubFactory(ActivityFactory)
    plan = factory.SelfAttribute("activity.plan")
    code = factory.LazyAttribute(lambda o: f"{o.activity.code}.1")
    title = "কর্মসম্পাদন সূচক"
    unit = "number"
    weight = Decimal("10")
    calc_method = "sum"
    target_100_number = Decimal("10")
    target_90_number = Decimal("9")
    target_80_number = Decimal("8")
    target_70_number = Decimal("7")
    target_60_number = Decimal("6")


class DateIndicatorFactory(IndicatorFactory):
    unit = "date"
    calc_method = "date"
    target_100_number = None
    target_90_number = None
    target_80_number = None
    target_70_number = None
    target_60_number = None
    target_100_date = datetime.date(2023, 5, 10)
    target_90_date = datetime.date(2023, 5, 15)
    target_80_date = datetime.date(2023, 5, 25)
    target_70_date = datetime.date(2023, 5, 31)


class ProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Progress

    indicator = factory.SubFactory(IndicatorFactory)
    quarter = 1
    value_number = Decimal("1")


def accept_earlier_quarters(plan: ActionPlan, quarter: int, *, only_open: bool = False) -> None:
    """Put the quarters before ``quarter`` in "accepted" directly (with ``only_open``, those still draft or
    returned). Quarters go forward in order (DESIGN.md §4): a test about quarter N's own workflow starts from
    earlier quarters that are done."""
    periods_ensure(plan)
    earlier = ReportingPeriod.objects.filter(plan=plan, quarter__lt=quarter)
    if only_open:
        earlier = earlier.filter(state__in=[PeriodState.DRAFT, PeriodState.RETURNED])
    earlier.update(state=PeriodState.ACCEPTED)
