"""Indicators the system already knows (issue 16.4): an indicator bound to a record the system holds — the
date the half-yearly report was sent, the review meetings held, the date the child offices' review was kept,
the date the Smart Bangladesh plan was approved — gets its value from that record when it happens.

The value is written by the progress service (``progress_record``: its locks, versions and history), with the
source in the remark and the history's reason, in the quarter the record's day falls in, or the first open
quarter after it when that one is already submitted (a submitted quarter never changes: DESIGN.md §4). A count
is what the quarter adds to what earlier quarters report, so a record that comes after its quarter was
submitted is counted once; a date an earlier quarter reports already (or an earlier one) is not written again.
The officer can still correct a value, with the reason in the remark, like any value; a value written by hand
is the officer's and a later record does not overwrite it. A record never fails because of its indicator: what
cannot be filled (no open quarter, a value the indicator refuses, a hand-written value) is logged and left for
the officer. Only a date or a number can be bound (``source_unit_check``): no record gives a percent.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import translation

from base.bangla import format_code
from base.errors import DomainError, PermissionDeniedError
from indicators import permissions
from indicators.history import history_record
from indicators.models import (
    EDITABLE_STATES,
    ActionPlan,
    CalcMethod,
    DataSource,
    HistoryEntry,
    HistoryKind,
    Indicator,
    Progress,
    ReportingPeriod,
    Unit,
)
from indicators.services.progress import progress_record

logger = logging.getLogger(__name__)

#: The history's reason for a value the system wrote from a record (followed by "— উৎস: <source>").
AUTO_REASON = "স্বয়ংক্রিয়ভাবে পূরণ"


#: The kinds of value each record gives (issue 16.4): a date, or a count (the meetings held; one event for the
#: others). None gives a percent: a share needs a denominator no record holds, so a percent indicator cannot
#: be bound (``source_unit_check``).
SOURCE_UNITS: dict[str, tuple[str, ...]] = {
    DataSource.HALF_YEARLY_SENT: (Unit.DATE, Unit.NUMBER),
    DataSource.MEETINGS_HELD: (Unit.NUMBER, Unit.DATE),
    DataSource.CHILDREN_REVIEW: (Unit.DATE, Unit.NUMBER),
    DataSource.SMART_PLAN_APPROVED: (Unit.DATE, Unit.NUMBER),
}
FILLABLE_UNITS = frozenset(unit for units in SOURCE_UNITS.values() for unit in units)


def source_label(source: str) -> str:
    """The source's name as stored in remarks and history: in Bangla, the data's language, whatever the
    language of the page that made the record."""
    with translation.override("bn"):
        return str(DataSource(source).label)


def source_fits_unit(source: str, unit: str) -> bool:
    return not source or unit in SOURCE_UNITS.get(source, ())


def source_unit_check(*, source: str, unit: str, code: str) -> None:
    """Refuse a binding (or a unit for a bound indicator) the record cannot fill: every door that binds an
    indicator or changes a bound indicator's unit asks here."""
    if source_fits_unit(source, unit):
        return
    label, kind = DataSource(source).label, Unit(unit)
    raise DomainError(
        f"সূচক {format_code(code)}-এর একক '{kind.label}'; '{label}' থেকে এমন মান আসে না "
        "(উৎস থেকে কেবল তারিখ বা সংখ্যা আসে)। উৎস বাদ দিন বা একক বদলান।",
        f"Indicator {code} is of unit '{kind.value}'; the source '{source}' gives no such value (a source gives "
        "a date or a number only). Remove the source or change the unit.",
    )


def fiscal_quarter(start_year: int, day: datetime.date) -> int | None:
    """The quarter of the fiscal year starting 1 July ``start_year`` that ``day`` falls in; None outside."""
    if not datetime.date(start_year, 7, 1) <= day <= datetime.date(start_year + 1, 6, 30):
        return None
    return (day.month - 7) // 3 + 1 if day.month >= 7 else (day.month - 1) // 3 + 3


@transaction.atomic
def indicator_set_source(*, indicator: Indicator, source: str, user: AbstractBaseUser) -> Indicator:
    """Bind an indicator to a record (or unbind it: ``""``) — the indicator page, the admin. The binding fills
    values only when the record happens; it changes no marks by itself, so it may change at any time; a source
    that cannot give a value of the indicator's unit is refused. In the history."""
    if not (
        permissions.can_edit_progress(user, indicator.plan)
        or permissions.administers(user, "indicators.change_indicator")
    ):
        raise PermissionDeniedError(
            "আপনি এই দপ্তরের তথ্য বদলাতে পারেন না।", "You cannot change this office's data."
        )
    if source not in DataSource.values:
        raise DomainError("অজানা উৎস।", f"Unknown source '{source}'.")
    locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
    source_unit_check(source=source, unit=locked.unit, code=locked.code)
    if locked.data_source == source:
        return locked
    before = source_label(locked.data_source)
    locked.data_source = source
    locked.save(update_fields=["data_source"])
    history_record(
        plan=locked.plan,
        kind=HistoryKind.PLAN,
        before=f"মানের উৎস: {before}",
        after=f"মানের উৎস: {source_label(source)}",
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


def _written_by_hand(indicator: Indicator, quarter: int) -> bool:
    """Was the quarter's value last written by a person (typed, imported, corrected), not from a record?"""
    last = (
        HistoryEntry.objects.filter(indicator=indicator, quarter=quarter, kind=HistoryKind.VALUE)
        .order_by("-pk")
        .values_list("reason", flat=True)
        .first()
    )
    return last is None or not last.startswith(AUTO_REASON)


def _number_value(
    indicator: Indicator, quarter: int, earlier: dict[int, object], counted: Callable[[int], int] | None
) -> Decimal:
    """A count for ``quarter``: the events of the year up to its end (``counted``), less what the quarters
    before it already report — a record that comes after its own quarter was submitted is counted once, in
    the open quarter; a cumulative indicator reports the running total. One event when nothing is counted."""
    if counted is None:
        return Decimal(1)
    to_date = Decimal(counted(quarter))
    if indicator.calc_method == CalcMethod.CUMULATIVE:
        return to_date
    reported = sum((v for v in earlier.values() if isinstance(v, Decimal)), Decimal(0))
    return max(to_date - reported, Decimal(0))


def source_fill(
    *,
    indicator: Indicator,
    day: datetime.date,
    user: AbstractBaseUser,
    source_label: str,
    counted: Callable[[int], int] | None = None,
) -> int | None:
    """Write the record's value into the indicator: ``day`` for a date indicator; for a number, what
    ``_number_value`` counts. Returns the quarter written, or None when nothing was (logged): no open
    quarter, a value the indicator refuses, a date an earlier quarter already reports (it is no better), or a
    value the officer wrote by hand in that quarter (a correction is the officer's, never overwritten)."""
    plan = indicator.plan
    first = fiscal_quarter(plan.fiscal_year.start_year, day)
    if first is None or not indicator.applicable:
        return None
    if (
        indicator.unit not in FILLABLE_UNITS
    ):  # one chosen by hand (``also``) may be a percent: nothing to fill
        logger.info("Not filling %s (%s) from %s", indicator.code, indicator.unit, source_label)
        return None
    quarter = first_open_quarter(plan, first)
    if quarter is None:
        logger.info("No open quarter for %s from %s on %s", indicator.code, source_label, day)
        return None
    rows = {p.quarter: p for p in Progress.objects.filter(indicator=indicator, quarter__lte=quarter)}
    earlier = {q: p.value for q, p in rows.items() if q < quarter and p.value is not None}
    current = rows.get(quarter)
    if indicator.unit == Unit.DATE:
        if any(isinstance(v, datetime.date) and v <= day for v in earlier.values()):
            return None  # the date calculation takes the earliest date: already reported
        value: Decimal | datetime.date = day
    else:
        value = _number_value(indicator, quarter, earlier, counted)
    if current is not None and current.value is not None and _written_by_hand(indicator, quarter):
        logger.info(
            "Not filling %s Q%s from %s: the officer's value stays", indicator.code, quarter, source_label
        )
        return None
    try:
        with transaction.atomic():
            progress_record(
                indicator=indicator,
                quarter=quarter,
                value=value,
                remark=(current.remark if current and current.remark else "") or f"উৎস: {source_label}",
                user=user,
                expected_version=current.version if current else None,
                reason=f"{AUTO_REASON} — উৎস: {source_label}",
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
    also: Indicator | None = None,
) -> list[tuple[Indicator, int | None]]:
    """Fill every indicator of ``plan`` bound to ``source`` (and ``also``, one chosen by hand)."""
    label = source_label(source)
    targets = bound_indicators(plan, source)
    if also is not None and also.pk not in {i.pk for i in targets}:
        targets.append(also)
    return [(i, source_fill(indicator=i, day=day, user=user, source_label=label)) for i in targets]
