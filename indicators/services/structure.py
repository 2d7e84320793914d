"""Every write of a plan's structure outside the sheet import: areas, activities and indicators — their titles,
order, methods, targets and weights (DESIGN.md §4 "One write path").

The admin's forms and inlines call these, never ``Model.save``; the sheet import (``services.plan_import``)
replaces a plan as a whole with the same lock rule. The structure decides the marks of every quarter, so it
changes only while no quarter is submitted or beyond (``workflow.ensure_plan_unlocked``); every change goes
into the history with before and after.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from base.bangla import format_code, to_bangla_digits
from base.errors import DomainError, PermissionDeniedError
from base.text import text_within
from indicators import permissions, scoring
from indicators.history import history_record
from indicators.models import (
    TARGET_LEVELS,
    ActionPlan,
    Activity,
    HistoryKind,
    Indicator,
    PerformanceArea,
)
from indicators.parsing import plain_number
from indicators.periods import ensure_plan_unlocked
from indicators.permissions import administers
from indicators.services.plans import history_indicator_settings, indicator_settings

#: Longest title accepted for an area, an activity or an indicator.
TITLE_MAX_CHARS = 2000
#: An indicator's evaluation method and its expected evidence (the model's limit, the sheet's too).
DESCRIPTION_MAX_CHARS = 2000


def _ensure_may_change(user: AbstractBaseUser | None, plan: ActionPlan, permission: str) -> None:
    """Officers and the CIO of the office (the plan in the browser), administrators with the model permission
    (the admin), or the command line (``user`` None)."""
    if user is not None and not (permissions.can_edit_progress(user, plan) or administers(user, permission)):
        raise PermissionDeniedError("আপনি এই কর্মপরিকল্পনা বদলাতে পারেন না।", "You cannot change this plan.")


def _lock(plan: ActionPlan) -> None:
    """The plan's row, then its periods in quarter order (the lock order of every write): two structure
    changes of one plan wait for each other, and no quarter can be submitted while one is made."""
    ActionPlan.objects.select_for_update(no_key=True, of=("self",)).filter(pk=plan.pk).first()
    ensure_plan_unlocked(plan, what_bn="কর্মপরিকল্পনার কাঠামো", what_en="plan's structure")


def _title(text: str, what_bn: str, what_en: str) -> str:
    """A title with its spaces tidied; ``what_bn`` is the genitive (কার্যক্রমের), ``what_en`` the noun."""
    text = " ".join(text.split())
    if not text:
        raise DomainError(f"{what_bn} নাম আবশ্যক।", f"The {what_en} title is required.")
    if len(text) > TITLE_MAX_CHARS:
        raise DomainError(
            f"নামটি অনেক লম্বা: সর্বোচ্চ {to_bangla_digits(TITLE_MAX_CHARS)} অক্ষর।",
            f"The title is too long: at most {TITLE_MAX_CHARS} characters.",
        )
    return text


def _structure_history(
    plan: ActionPlan, user, before: str, after: str, reason: str, indicator: Indicator | None = None
) -> None:
    history_record(
        plan=plan,
        kind=HistoryKind.PLAN,
        before=before,
        after=after,
        user=user,
        indicator=indicator,
        reason=reason,
    )


def _retitle(
    item: PerformanceArea | Activity,
    *,
    title: str,
    position: int,
    user: AbstractBaseUser | None,
    reason: str,
    permission: str,
    what_bn: str,
    what_en: str,
) -> PerformanceArea | Activity:
    """Correct an area's or an activity's title or place, under the plan's lock, with its history entry."""
    plan = item.plan
    _ensure_may_change(user, plan, permission)
    title = _title(title, what_bn, what_en)
    _lock(plan)
    item = type(item).objects.get(pk=item.pk)
    if (item.title, item.position) == (title, position):
        return item
    before = f"[{item.code}] {item.title} #{item.position}"
    item.title, item.position = title, position
    item.full_clean(validate_constraints=False)
    item.save(update_fields=["title", "position"])
    _structure_history(plan, user, before, f"[{item.code}] {item.title} #{item.position}", reason)
    return item


@transaction.atomic
def area_update(
    *, area: PerformanceArea, title: str, position: int, user: AbstractBaseUser | None, reason: str = ""
) -> PerformanceArea:
    """Correct an area's title or its place in the plan."""
    return _retitle(
        area,
        title=title,
        position=position,
        user=user,
        reason=reason,
        permission="indicators.change_performancearea",
        what_bn="কর্মসম্পাদন ক্ষেত্রের",
        what_en="area",
    )


@transaction.atomic
def activity_update(
    *, activity: Activity, title: str, position: int, user: AbstractBaseUser | None, reason: str = ""
) -> Activity:
    """Correct an activity's title or its place in the plan."""
    return _retitle(
        activity,
        title=title,
        position=position,
        user=user,
        reason=reason,
        permission="indicators.change_activity",
        what_bn="কার্যক্রমের",
        what_en="activity",
    )


@dataclass(frozen=True)
class IndicatorChanges:
    """What may change of an indicator outside a sheet import (its unit and weight do not: the unit decides
    the meaning of its values, the weight is changed with its area's other weights)."""

    title: str
    position: int
    calc_method: str
    scoring_method: str
    direction: str
    targets: dict[int, Decimal | datetime.date | None]
    evaluation: str
    evidence_expected: str


@dataclass
class TargetCheck:
    """Problems of an indicator's settings: errors by target level (None: the indicator as a whole)."""

    errors: dict[int | None, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    warnings: list[tuple[str, str]] = field(default_factory=list)


def indicator_changes_check(indicator: Indicator, changes: IndicatorChanges) -> TargetCheck:
    """DESIGN.md §3.5, the same checks as the plan sheet's (``scoring.check_targets``)."""
    result = TargetCheck()
    fiscal_year = indicator.plan.fiscal_year
    if changes.targets.get(100) is None:
        result.errors[100].append(("অসাধারণ (১০০%) লক্ষ্যমাত্রা আবশ্যক।", "The 100% target is required."))
        return result
    for problem in scoring.check_targets(
        unit=indicator.unit,
        calc_method=changes.calc_method,
        scoring_method=changes.scoring_method,
        direction=changes.direction,
        targets=scoring.Targets(*(changes.targets.get(level) for level in TARGET_LEVELS)),
        fiscal_year_start=fiscal_year.starts_on,
        fiscal_year_end=fiscal_year.ends_on,
    ):
        message = (problem.message_bn, problem.message_en)
        if not problem.is_error:
            result.warnings.append(message)
        else:
            result.errors[problem.level].append(message)
    return result


@transaction.atomic
def indicator_update(
    *, indicator: Indicator, changes: IndicatorChanges, user: AbstractBaseUser | None, reason: str = ""
) -> TargetCheck:
    """Change an indicator's title, order, methods, targets and the words on its evaluation and expected
    evidence; returns the warnings of the check."""
    plan = indicator.plan
    _ensure_may_change(user, plan, "indicators.change_indicator")
    title = _title(changes.title, "সূচকের", "indicator")
    evaluation = text_within(
        changes.evaluation, DESCRIPTION_MAX_CHARS, what_bn="মূল্যায়ন পদ্ধতি", what_en="evaluation"
    )
    evidence_expected = text_within(
        changes.evidence_expected, DESCRIPTION_MAX_CHARS, what_bn="প্রত্যাশিত প্রমাণক", what_en="expected evidence"
    )
    check = indicator_changes_check(indicator, changes)
    if check.errors:
        first = next(iter(check.errors.values()))[0]
        raise DomainError(*first)
    _lock(plan)
    indicator = Indicator.objects.select_for_update(no_key=True, of=("self",)).get(pk=indicator.pk)
    settings_before = indicator_settings(indicator)
    title_before = (indicator.title, indicator.position)
    described_before = (indicator.evaluation, indicator.evidence_expected)
    indicator.title, indicator.position = title, changes.position
    indicator.evaluation, indicator.evidence_expected = evaluation, evidence_expected
    indicator.calc_method = changes.calc_method
    indicator.scoring_method = changes.scoring_method
    indicator.direction = changes.direction
    for level in TARGET_LEVELS:
        indicator.set_target(level, changes.targets.get(level))
    indicator.full_clean(validate_constraints=False)
    indicator.save()
    history_indicator_settings(indicator, before=settings_before, user=user, reason=reason)
    if (indicator.title, indicator.position) != title_before:
        _structure_history(
            plan,
            user,
            f"{title_before[0]} #{title_before[1]}",
            f"{indicator.title} #{indicator.position}",
            reason,
            indicator=indicator,
        )
    if (indicator.evaluation, indicator.evidence_expected) != described_before:
        _structure_history(
            plan,
            user,
            _described(*described_before),
            _described(indicator.evaluation, indicator.evidence_expected),
            reason,
            indicator=indicator,
        )
    return check


def _described(evaluation: str, evidence_expected: str) -> str:
    return f"মূল্যায়ন পদ্ধতি: {evaluation or '—'}; প্রমাণক: {evidence_expected or '—'}"


def weights_check(plan: ActionPlan, weights: dict[int, Decimal]) -> list[tuple[str, str]]:
    """DESIGN.md §2: the indicator weights of an area sum to the area's marks, every weight positive.
    ``weights`` gives new weights by indicator id; the others keep theirs."""
    problems = []
    sums: dict[int, Decimal] = defaultdict(Decimal)
    for pk, area_id, weight in plan.indicators.values_list("pk", "activity__area_id", "weight"):
        new = weights.get(pk, weight)
        if new is None or new <= 0:
            problems.append(("সূচকের মান ০-এর বেশি হতে হবে।", "An indicator's weight must be above 0."))
            continue
        sums[area_id] += new
    for area in plan.areas.order_by("position"):
        total = sums.get(area.pk, Decimal(0))
        if total != area.marks:
            problems.append(
                (
                    f"ক্ষেত্র {format_code(area.code)} ({area.title}): সূচকগুলোর মানের যোগফল "
                    f"{to_bangla_digits(plain_number(total))}, কিন্তু ক্ষেত্রের মান "
                    f"{to_bangla_digits(plain_number(area.marks))}; দুটি সমান হতে হবে।",
                    f"Area {area.code}: the indicator weights add up to {plain_number(total)}, but the "
                    f"area's marks are {plain_number(area.marks)}; they must be equal.",
                )
            )
    return problems


@transaction.atomic
def plan_weights_update(
    *, plan: ActionPlan, weights: dict[int, Decimal], user: AbstractBaseUser | None, reason: str = ""
) -> int:
    """Change several indicators' weights together, so that every area still sums to its marks; returns
    how many changed."""
    _ensure_may_change(user, plan, "indicators.change_indicator")
    _lock(plan)
    problems = weights_check(plan, weights)
    if problems:
        raise DomainError(" ".join(bn for bn, _en in problems), " ".join(en for _bn, en in problems))
    changed = 0
    for indicator in (
        plan.indicators.select_for_update(no_key=True, of=("self",))
        .filter(pk__in=list(weights))
        .order_by("pk")
    ):
        if indicator.weight == weights[indicator.pk]:
            continue
        before = indicator_settings(indicator)
        indicator.weight = weights[indicator.pk]
        indicator.full_clean(validate_constraints=False)
        indicator.save(update_fields=["weight"])
        history_indicator_settings(indicator, before=before, user=user, reason=reason)
        changed += 1
    return changed
