"""The append-only history (DESIGN.md §4): every change of progress, applicability, evidence, the plan and
the periods' states, with before and after, who, when and why; shown on the indicator page.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser

from indicators.models import (
    ActionPlan,
    HistoryEntry,
    HistoryKind,
    Indicator,
)
from indicators.parsing import plain_number


def history_text(value: object) -> str:
    """How a value is kept in the history: ISO dates, plain numbers, text as it is."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return plain_number(value)
    if isinstance(value, bool):
        return "প্রযোজ্য" if value else "প্রযোজ্য নয়"
    return str(value)


def history_record(
    *,
    plan: ActionPlan,
    kind: str,
    before: object = None,
    after: object = None,
    user: AbstractBaseUser | None = None,
    indicator: Indicator | None = None,
    quarter: int | None = None,
    reason: str = "",
    document: str = "",
) -> HistoryEntry:
    return HistoryEntry.objects.create(
        plan=plan,
        document=document,
        indicator=indicator,
        indicator_code=indicator.code if indicator is not None else "",
        quarter=quarter,
        kind=kind,
        before=history_text(before),
        after=history_text(after),
        reason=reason,
        user=user if user is not None and user.is_authenticated else None,
    )


def history_progress_change(
    *,
    indicator: Indicator,
    quarter: int,
    before: tuple[Decimal | datetime.date | None, str],
    after: tuple[Decimal | datetime.date | None, str],
    user: AbstractBaseUser | None,
    reason: str = "",
) -> None:
    """Record a quarter's (value, remark) change: one entry for the value, one for the remark, each only if
    it changed. Every write path of progress (browser, sheet import, admin) records through here."""
    for kind, old, new in (
        (HistoryKind.VALUE, before[0], after[0]),
        (HistoryKind.REMARK, before[1], after[1]),
    ):
        if old != new:
            history_record(
                plan=indicator.plan,
                kind=kind,
                before=old,
                after=new,
                user=user,
                indicator=indicator,
                quarter=quarter,
                reason=reason,
            )
