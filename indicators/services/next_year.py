"""The next year's plan (issue 13, DESIGN.md §8 ``copy_plan``): an office's plan copied from its plan of an
earlier year, a higher office's template of the year published, and a plan started from the parent office's
template.

A new plan is a draft: no progress, no evidence, no states beyond draft, every indicator applicable. What a
plan came from is written on it once (``ActionPlan.origin``) and in its history. All-or-nothing: on any error
nothing is written, and a plan that exists is never touched.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from base.errors import DomainError, PermissionDeniedError
from indicators import permissions
from indicators.history import history_record
from indicators.models import (
    TARGET_LEVELS,
    ActionPlan,
    Activity,
    FiscalYear,
    HistoryKind,
    Indicator,
    Office,
    PerformanceArea,
    PlanOrigin,
    PlanTemplate,
)
from indicators.parsing import plain_number
from indicators.periods import periods_ensure
from indicators.services.plans import indicator_settings

#: What an indicator carries over to the next year (its targets apart, and never its applicability).
_INDICATOR_FIELDS = (
    "code",
    "title",
    "unit",
    "unit_label",
    "evaluation",
    "evidence_expected",
    "data_source",
    "weight",
    "calc_method",
    "scoring_method",
    "direction",
    "position",
)


def may_start_plan(user: AbstractBaseUser | None, office: Office) -> bool:
    """The office's officers and CIO (the browser), administrators (the admin), the command line (None)."""
    return (
        user is None
        or permissions.can_start_plan(user, office)
        or permissions.administers(user, "indicators.add_actionplan")
    )


def may_publish_template(user: AbstractBaseUser | None, office: Office) -> bool:
    return (
        user is None
        or permissions.can_publish_template(user, office)
        or permissions.administers(user, "indicators.add_plantemplate")
    )


def _ensure_may_start(user: AbstractBaseUser | None, office: Office) -> None:
    if not may_start_plan(user, office):
        raise PermissionDeniedError(
            "এই দপ্তরের কর্মপরিকল্পনা আপনি শুরু করতে পারেন না।", "You cannot start a plan for this office."
        )


def _ensure_no_plan(office: Office, fiscal_year: FiscalYear) -> None:
    """The office's row locked until the transaction ends (two starts of one office's plan wait for each
    other), then refuse a plan that exists: it is never overwritten."""
    Office.objects.select_for_update(no_key=True).filter(pk=office.pk).first()
    if ActionPlan.objects.filter(office=office, fiscal_year=fiscal_year).exists():
        raise DomainError(
            f"{office.name_bn}-এর {fiscal_year} অর্থবছরের কর্মপরিকল্পনা আগেই আছে; নতুন করে শুরু করা যাবে না।",
            f"A plan for {office.code} {fiscal_year.code} already exists; it is not overwritten.",
        )


def _shift_date(value: datetime.date, years: int) -> datetime.date:
    """A date target moved by whole years (29 February becomes 28 February)."""
    try:
        return value.replace(year=value.year + years)
    except ValueError:
        return value.replace(year=value.year + years, day=28)


def _new_plan(office: Office, fiscal_year: FiscalYear, **origin) -> ActionPlan:
    plan = ActionPlan(office=office, fiscal_year=fiscal_year, **origin)
    plan.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():  # where rows are not locked (SQLite), two starts meet at the constraint
            plan.save()
    except IntegrityError as error:
        raise DomainError(
            f"{office.name_bn}-এর {fiscal_year} অর্থবছরের কর্মপরিকল্পনা আগেই আছে; নতুন করে শুরু করা যাবে না।",
            f"A plan for {office.code} {fiscal_year.code} already exists; it is not overwritten.",
        ) from error
    return plan


@transaction.atomic
def plan_copy(*, source: ActionPlan, to_year: FiscalYear, user: AbstractBaseUser | None) -> ActionPlan:
    """The office's plan of ``to_year`` copied from ``source`` (its plan of an earlier year): areas,
    activities and indicators with their weights, targets, units and unit labels, methods, direction,
    evaluation, expected evidence and data source (the record it is filled from), as a draft. Not copied:
    progress, evidence, applicability, states. Date targets move by the years between the two (30/06/2023 → 30/06/2024)."""
    office = source.office
    _ensure_may_start(user, office)
    if user is not None and not permissions.can_view_plan(user, source):
        raise PermissionDeniedError("এই কর্মপরিকল্পনা আপনি দেখতে পারেন না।", "You cannot see this plan.")
    from_year = source.fiscal_year
    if to_year.start_year <= from_year.start_year:
        raise DomainError(
            f"নতুন অর্থবছর ({to_year}) আগের অর্থবছর ({from_year})-এর পরে হতে হবে।",
            f"The new fiscal year ({to_year.code}) must come after {from_year.code}.",
        )
    _ensure_no_plan(office, to_year)
    years = to_year.start_year - from_year.start_year
    plan = _new_plan(office, to_year, origin=PlanOrigin.COPY, origin_plan=source)

    areas = {}
    for area in source.areas.order_by("position"):
        areas[area.pk] = PerformanceArea.objects.create(
            plan=plan, code=area.code, title=area.title, marks=area.marks, position=area.position
        )
    activities = {}
    for activity in source.activities.order_by("position"):
        activities[activity.pk] = Activity.objects.create(
            plan=plan,
            area=areas[activity.area_id],
            code=activity.code,
            title=activity.title,
            position=activity.position,
        )
    reason = f"{from_year}-এর কর্মপরিকল্পনা থেকে অনুলিপি / copied from {from_year.code}"
    count = 0
    for old in source.indicators.order_by("position"):
        indicator = Indicator(
            plan=plan,
            activity=activities[old.activity_id],
            **{name: getattr(old, name) for name in _INDICATOR_FIELDS},
        )
        for level in TARGET_LEVELS:
            value = old.target(level)
            indicator.set_target(
                level, _shift_date(value, years) if isinstance(value, datetime.date) else value
            )
        indicator.full_clean(validate_constraints=False)
        indicator.save()
        history_record(
            plan=plan,
            kind=HistoryKind.TARGETS,
            before="",
            after=indicator_settings(indicator),
            user=user,
            indicator=indicator,
            reason=reason,
        )
        count += 1
    history_record(
        plan=plan,
        kind=HistoryKind.PLAN,
        before="",
        after=f"{office.code} {from_year.code} → {to_year.code}: {len(areas)} areas, {count} indicators",
        user=user,
        reason=reason,
    )
    periods_ensure(plan)
    return plan


@transaction.atomic
def plan_start_next_year(*, source: ActionPlan, user: AbstractBaseUser | None) -> ActionPlan:
    """The plan of the year after ``source``'s, copied from it (the plan page's "start next year")."""
    to_year, _created = FiscalYear.objects.get_or_create(start_year=source.fiscal_year.start_year + 1)
    return plan_copy(source=source, to_year=to_year, user=user)


# ---------------------------------------------------------------------------------------------------------
# Templates


def template_structure(plan: ActionPlan) -> dict:
    """A plan's areas, activities and indicators with their weights and settings, without targets: what a
    template keeps (``PlanTemplate.structure``)."""
    indicators: dict[int, list[dict]] = {}
    for indicator in plan.indicators.order_by("position"):
        indicators.setdefault(indicator.activity_id, []).append(
            {
                "code": indicator.code,
                "title": indicator.title,
                "unit": indicator.unit,
                "unit_label": indicator.unit_label,
                "weight": plain_number(indicator.weight),
                "calc_method": indicator.calc_method,
                "scoring_method": indicator.scoring_method,
                "direction": indicator.direction,
                "evaluation": indicator.evaluation,
                "evidence_expected": indicator.evidence_expected,
                "data_source": indicator.data_source,
            }
        )
    activities: dict[int, list[dict]] = {}
    for activity in plan.activities.order_by("position"):
        activities.setdefault(activity.area_id, []).append(
            {"code": activity.code, "title": activity.title, "indicators": indicators.get(activity.pk, [])}
        )
    return {
        "areas": [
            {
                "code": area.code,
                "title": area.title,
                "marks": plain_number(area.marks),
                "activities": activities.get(area.pk, []),
            }
            for area in plan.areas.order_by("position")
        ]
    }


@transaction.atomic
def template_publish(
    *, office: Office, fiscal_year: FiscalYear, source: ActionPlan, user: AbstractBaseUser | None
) -> PlanTemplate:
    """``office`` publishes its template of ``fiscal_year`` for the offices below it: the structure of
    ``source`` with its weights, units, methods and texts, without targets. Published once: a template that
    plans were started from is what they say they were started from, so it is not replaced."""
    if not may_publish_template(user, office):
        raise PermissionDeniedError(
            "এই দপ্তরের টেমপ্লেট আপনি প্রকাশ করতে পারেন না।", "You cannot publish this office's template."
        )
    if user is not None and not permissions.can_view_plan(user, source):
        raise PermissionDeniedError("এই কর্মপরিকল্পনা আপনি দেখতে পারেন না।", "You cannot see this plan.")
    Office.objects.select_for_update(no_key=True).filter(pk=office.pk).first()
    if PlanTemplate.objects.filter(office=office, fiscal_year=fiscal_year).exists():
        raise DomainError(
            f"{office.name_bn} {fiscal_year} অর্থবছরের টেমপ্লেট আগেই প্রকাশ করেছে।",
            f"{office.code} has already published its template for {fiscal_year.code}.",
        )
    structure = template_structure(source)
    if not any(activity["indicators"] for area in structure["areas"] for activity in area["activities"]):
        raise DomainError("কর্মপরিকল্পনায় কোনো সূচক নেই; টেমপ্লেট হয় না।", "The plan has no indicators to publish.")
    template = PlanTemplate(
        office=office,
        fiscal_year=fiscal_year,
        structure=structure,
        source=f"{source.office.code} {source.fiscal_year.code}",
        published_by=user if user is not None and user.is_authenticated else None,
    )
    template.full_clean()
    template.save()
    return template


@transaction.atomic
def template_publish_year(
    *, office: Office, start_year: int, source: ActionPlan, user: AbstractBaseUser | None
) -> PlanTemplate:
    """``template_publish`` for the fiscal year starting in ``start_year`` (the year's row made if missing)."""
    fiscal_year, _created = FiscalYear.objects.get_or_create(start_year=start_year)
    return template_publish(office=office, fiscal_year=fiscal_year, source=source, user=user)


def parent_template(office: Office, fiscal_year: FiscalYear) -> PlanTemplate | None:
    """The template the office's parent published for the year, if any."""
    if office.parent_id is None:
        return None
    return (
        PlanTemplate.objects.select_related("office", "fiscal_year")
        .filter(office_id=office.parent_id, fiscal_year=fiscal_year)
        .first()
    )


@transaction.atomic
def plan_start_from_template(
    *, office: Office, fiscal_year: FiscalYear, user: AbstractBaseUser | None
) -> ActionPlan:
    """The office's plan of the year from its parent office's template: the mandatory areas, activities and
    indicators with their weights, and no targets. Until the office writes an indicator's targets the plan
    is incomplete: the indicator gets no marks and no quarter can be submitted."""
    _ensure_may_start(user, office)
    template = parent_template(office, fiscal_year)
    if template is None:
        parent = office.parent.name_bn if office.parent_id else "ঊর্ধ্বতন দপ্তর"
        raise DomainError(
            f"{parent} {fiscal_year} অর্থবছরের কোনো টেমপ্লেট প্রকাশ করেনি।",
            f"The parent office has published no template for {fiscal_year.code}.",
        )
    _ensure_no_plan(office, fiscal_year)
    plan = _new_plan(office, fiscal_year, origin=PlanOrigin.TEMPLATE, origin_template=template)
    reason = f"{template.office.name_bn}-এর টেমপ্লেট থেকে / from the template of {template.office.code}"
    count = activity_count = 0
    for area_position, item in enumerate(template.structure["areas"]):
        area = PerformanceArea.objects.create(
            plan=plan,
            code=item["code"],
            title=item["title"],
            marks=Decimal(item["marks"]),
            position=area_position,
        )
        for activity_item in item["activities"]:
            activity = Activity.objects.create(
                plan=plan,
                area=area,
                code=activity_item["code"],
                title=activity_item["title"],
                position=activity_count,
            )
            activity_count += 1
            for indicator_item in activity_item["indicators"]:
                indicator = Indicator(
                    plan=plan,
                    activity=activity,
                    position=count,
                    **{
                        # a template published before a field existed has no key for it: its default
                        name: indicator_item.get(name, Indicator._meta.get_field(name).get_default())
                        for name in _INDICATOR_FIELDS
                        if name not in ("weight", "position")
                    },
                    weight=Decimal(indicator_item["weight"]),
                )
                indicator.full_clean(validate_constraints=False)
                indicator.save()
                count += 1
    history_record(
        plan=plan,
        kind=HistoryKind.PLAN,
        before="",
        after=f"{template.office.code} {fiscal_year.code} template: {count} indicators, no targets",
        user=user,
        reason=reason,
    )
    periods_ensure(plan)
    return plan
