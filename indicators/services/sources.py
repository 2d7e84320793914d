"""Indicators the system already knows (issue 16.4): an indicator bound to a record the system holds — the
date the half-yearly report was sent, the review meetings held, the date the child offices' review was kept,
the date the Smart Bangladesh plan was approved — gets its value from that record when it happens.

The value is written by the progress service (``progress_record``: its locks, versions and history), with the
source in the remark and the history's reason, in the quarter the record's day falls in, or the first open
quarter after it when that one is already submitted; the officer can still correct it, with a reason, like any
value. A record never fails because of its indicator: what cannot be filled (no open quarter, a value the
indicator refuses) is logged and left for the officer.
"""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from base.errors import DomainError, PermissionDeniedError
from indicators import permissions
from indicators.history import history_record
from indicators.models import (
    EDITABLE_STATES,
    ActionPlan,
    DataSource,
    HistoryKind,
    Indicator,
    Progress,
    ReportingPeriod,
)
from indicators.services.progress import progress_record

logger = logging.getLogger(__name__)


def fiscal_quarter(start_year: int, day: datetime.date) -> int | None:
    """The quarter of the fiscal year starting 1 July ``start_year`` that ``day`` falls in; None outside."""
    if not datetime.date(start_year, 7, 1) <= day <= datetime.date(start_year + 1, 6, 30):
        return None
    return (day.month - 7) // 3 + 1 if day.month >= 7 else (day.month - 1) // 3 + 3


@transaction.atomic
def indicator_set_source(*, indicator: Indicator, source: str, user: AbstractBaseUser) -> Indicator:
    """Bind an indicator to a record (or unbind it: ``""``). The binding fills values only when the record
    happens; it changes no marks by itself, so it may change at any time. In the history."""
    if not permissions.can_edit_progress(user, indicator.plan):
        raise PermissionDeniedError(
            "আপনি এই দপ্তরের তথ্য বদলাতে পারেন না।", "You cannot change this office's data."
        )
    if source not in DataSource.values:
        raise DomainError("অজানা উৎস।", f"Unknown source '{source}'.")
    locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if locked.data_source == source:
        return locked
    before = DataSource(locked.data_source).label
    locked.data_source = source
    locked.save(update_fields=["data_source"])
    history_record(
        plan=locked.plan,
        kind=HistoryKind.PLAN,
        before=f"মানের উৎস: {before}",
        after=f"মানের উৎস: {DataSource(source).label}",
        user=user,
        indicator=locked,
    )
    return locked


def first_open_quarter(plan: ActionPlan, first: int) -> int | None:
    """The first quarter from ``first`` on whose period is still open (draft or returned), or None."""
    states = dict(ReportingPeriod.objects.filter(plan=plan).values_list("quarter", "state"))
    for quarter in range(first, 5):
        if states.get(quarter, "draft") in EDITABLE_STATES:
            return quarter
    return None


def source_fill(
    *,
    indicator: Indicator,
    day: datetime.date,
    user: AbstractBaseUser,
    source_label: str,
    count: Decimal | None = None,
) -> int | None:
    """Write the record's value into the indicator: ``day`` for a date indicator, ``count`` (or 1) for a
    number. Returns the quarter written, or None when nothing could be (logged)."""
    plan = indicator.plan
    first = fiscal_quarter(plan.fiscal_year.start_year, day)
    if first is None or not indicator.applicable:
        return None
    quarter = first_open_quarter(plan, first)
    if quarter is None:
        logger.info("No open quarter for %s from %s on %s", indicator.code, source_label, day)
        return None
    value = day if indicator.unit == "date" else (count if count is not None else Decimal(1))
    current = Progress.objects.filter(indicator=indicator, quarter=quarter).first()
    try:
        with transaction.atomic():
            progress_record(
                indicator=indicator,
                quarter=quarter,
                value=value,
                remark=(current.remark if current and current.remark else "") or f"উৎস: {source_label}",
                user=user,
                expected_version=current.version if current else None,
                reason=f"স্বয়ংক্রিয়ভাবে পূরণ — উৎস: {source_label}",
            )
    except DomainError as error:
        logger.info("Could not fill %s from %s: %s", indicator.code, source_label, error.message_en)
        return None
    return quarter


def bound_indicators(plan: ActionPlan, source: str) -> list[Indicator]:
    return list(Indicator.objects.filter(plan=plan, data_source=source, applicable=True).order_by("pk"))


def sources_fill(
    *,
    plan: ActionPlan,
    source: str,
    day: datetime.date,
    user: AbstractBaseUser,
    count: Decimal | None = None,
    also: Indicator | None = None,
) -> list[tuple[Indicator, int | None]]:
    """Fill every indicator of ``plan`` bound to ``source`` (and ``also``, one chosen by hand)."""
    label = str(DataSource(source).label)
    targets = bound_indicators(plan, source)
    if also is not None and also.pk not in {i.pk for i in targets}:
        targets.append(also)
    return [
        (i, source_fill(indicator=i, day=day, user=user, source_label=label, count=count)) for i in targets
    ]
