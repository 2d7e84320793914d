"""Every write of quarterly progress and applicability: one quarter's value and remark from the browser or the
admin (``progress_record``), an indicator (not) applicable (``indicator_set_applicability``), and a progress
sheet (``progress_import``, all-or-nothing: DESIGN.md §7).

Every write checks permission and the quarter's lock on the server (``indicators.periods``), records history,
and refuses a change based on an outdated version (two people never silently overwrite each other).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from base.bangla import format_code, to_bangla_digits
from base.errors import ConflictError, DomainError, PermissionDeniedError
from base.text import text_within
from indicators import parsing, permissions, scoring
from indicators.history import history_progress_change, history_record
from indicators.models import (
    EDITABLE_STATES,
    ActionPlan,
    HistoryKind,
    Indicator,
    Progress,
)
from indicators.parsing import CellError, check_fits, plain_number
from indicators.periods import (
    ensure_plan_unlocked,
    ensure_quarter_editable,
    indicator_lock,
    periods_ensure,
    quarter_locked_message,
)
from indicators.permissions import administers
from indicators.problems import (
    Problems,
    SheetRows,
    check_column_fits,
    model_field,
    sheet_rows,
)
from indicators.sheets import Sheet

#: Longest remark and not-applicable reason accepted (the browser forms say the same).
REMARK_MAX_CHARS = 4000
REASON_MAX_CHARS = 1000


@dataclass(frozen=True)
class ProgressSaved:
    progress: Progress | None  # None only when nothing was ever stored and nothing was entered
    changed: bool


def progress_check(
    *, indicator: Indicator, quarter: int, value: Decimal | datetime.date | None, remark: str
) -> str:
    """What a quarter's value and remark must be, wherever they come from (the browser, the admin's form);
    returns the remark as it will be stored. Raises DomainError with the reason otherwise."""
    if quarter not in (1, 2, 3, 4):
        raise DomainError("ত্রৈমাসিক ১ থেকে ৪ হতে হবে।", "The quarter must be 1 to 4.")
    if not indicator.applicable and value is not None:
        raise _not_applicable_error()
    _check_value_type(indicator, value)
    return text_within(remark, REMARK_MAX_CHARS, what_bn="মন্তব্য", what_en="remark")


@transaction.atomic
def progress_record(
    *,
    indicator: Indicator,
    quarter: int,
    value: Decimal | datetime.date | None,
    remark: str,
    user: AbstractBaseUser,
    expected_version: int | None,
    reason: str = "",
) -> ProgressSaved:
    """Save one quarter's value and remark (the browser's in-place editor, the admin's progress form).

    ``expected_version`` is the version the user's form was loaded with (None: there was no value yet);
    if the stored row has moved on, nothing is saved and ConflictError says so.
    """
    plan = indicator.plan
    if not (permissions.can_edit_progress(user, plan) or administers(user, "indicators.change_progress")):
        raise PermissionDeniedError(
            "আপনি এই দপ্তরের অগ্রগতি লিখতে পারেন না।", "You cannot edit this office's progress."
        )
    remark = progress_check(indicator=indicator, quarter=quarter, value=value, remark=remark)
    if not indicator.applicable:
        raise _not_applicable_error()
    ensure_quarter_editable(plan, quarter)
    # Applicability again, under a lock on the indicator's row: marking it not applicable takes the same lock
    # before it looks for values, so a value can never land on a not-applicable indicator between the two.
    # Lock order everywhere: period, indicator, progress.
    if (
        not Indicator.objects.select_for_update(no_key=True)
        .values_list("applicable", flat=True)
        .get(pk=indicator.pk)
    ):
        raise _not_applicable_error()

    # The progress row only (of=self): the default ordering joins the indicator, plan, office and fiscal year,
    # and a lock over the join would hold the fiscal year's row, so every save of that year would wait for
    # this one to commit.
    current = (
        Progress.objects.select_for_update(of=("self",)).filter(indicator=indicator, quarter=quarter).first()
    )
    current_version = current.version if current is not None else None
    if current_version != expected_version:
        raise ConflictError(
            "আপনি সম্পাদনা শুরু করার পর অন্য কেউ এই মানটি বদলেছেন। নতুন মানটি দেখে আবার সংরক্ষণ করুন।",
            "Someone else changed this value after you started editing. Review the new value and save again.",
        )
    before_value = current.value if current else None
    before_remark = current.remark if current else ""
    if before_value == value and before_remark == remark:
        return ProgressSaved(progress=current, changed=False)

    # A cleared quarter keeps its row (empty value and remark), so its version keeps counting: a form
    # loaded before the clearing can never match a value entered after it.
    saved = current or Progress(indicator=indicator, quarter=quarter)
    saved.value = value
    saved.remark = remark
    saved.recorded_by = user
    saved.version = (current_version or 0) + 1
    saved.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            saved.save()
    except IntegrityError as exc:  # a row for this quarter was created meanwhile
        raise ConflictError(
            "আপনি সম্পাদনা শুরু করার পর অন্য কেউ এই মানটি লিখেছেন। নতুন মানটি দেখে আবার সংরক্ষণ করুন।",
            "Someone else entered this value after you started editing. Review it and save again.",
        ) from exc

    history_progress_change(
        indicator=indicator,
        quarter=quarter,
        before=(before_value, before_remark),
        after=(value, remark),
        user=user,
        reason=reason,
    )
    return ProgressSaved(progress=saved, changed=True)


def _not_applicable_error() -> DomainError:
    return DomainError(
        "সূচকটি প্রযোজ্য নয় হিসেবে চিহ্নিত; আগে প্রযোজ্য করুন।",
        "The indicator is marked not applicable; make it applicable first.",
    )


def _check_value_type(indicator: Indicator, value: Decimal | datetime.date | None) -> None:
    if value is None:
        return
    is_date_unit = indicator.unit == scoring.Unit.DATE
    if is_date_unit != isinstance(value, datetime.date):
        raise DomainError(
            "এই সূচকের অর্জন তারিখ হিসেবে লিখুন।" if is_date_unit else "এই সূচকের অর্জন সংখ্যায় লিখুন।",
            "Enter a date for this indicator." if is_date_unit else "Enter a number for this indicator.",
        )
    if isinstance(value, Decimal):
        if value < 0:
            raise DomainError("অর্জন ঋণাত্মক হতে পারে না।", "The achievement cannot be negative.")
        column = Progress._meta.get_field("value_number")
        try:
            check_fits(value, max_digits=column.max_digits, decimal_places=column.decimal_places)
        except CellError as error:
            raise DomainError(error.message_bn, error.message_en) from error


def applicability_check(*, applicable: bool, reason: str) -> str:
    """The reason as it will be stored: required (and within its limit) when not applicable, else empty."""
    reason = text_within(reason, REASON_MAX_CHARS, what_bn="কারণ", what_en="reason")
    if not applicable and not reason:
        raise DomainError(
            "প্রযোজ্য নয় কেন, তার কারণ লিখুন।", "Give the reason why the indicator is not applicable."
        )
    return "" if applicable else reason


class ValuesPresentError(DomainError):
    """Not applicable refused because quarters hold values; ``quarters`` says which (the browser offers to
    clear them in the same step)."""

    def __init__(self, quarters: list[int]):
        super().__init__(
            "এই সূচকের অর্জন লেখা আছে; প্রযোজ্য নয় করার আগে অর্জন মুছুন।",
            "This indicator has achievements; clear them before marking it not applicable.",
        )
        self.quarters = quarters


@transaction.atomic
def indicator_set_applicability(
    *,
    indicator: Indicator,
    applicable: bool,
    reason: str,
    user: AbstractBaseUser | None,
    clear_values: bool = False,
) -> Indicator:
    """Mark an indicator (not) applicable; not applicable needs a reason. Quarters with a value refuse it
    (``ValuesPresentError``) unless ``clear_values``: then their values are cleared in the same step, each
    in the history with the reason (remarks stay).

    Applicability decides the marks of every quarter, so it changes only while no quarter is submitted or
    beyond (DESIGN.md §4). ``user`` None: the command line."""
    plan = indicator.plan
    if user is not None and not (
        permissions.can_edit_progress(user, plan) or administers(user, "indicators.change_indicator")
    ):
        raise PermissionDeniedError(
            "আপনি এই দপ্তরের তথ্য বদলাতে পারেন না।", "You cannot change this office's data."
        )
    reason = applicability_check(applicable=applicable, reason=reason)
    if Indicator.objects.filter(
        pk=indicator.pk, applicable=applicable, not_applicable_reason=reason
    ).exists():  # nothing to change, whatever the periods' states
        return indicator
    ensure_plan_unlocked(plan, what_bn="প্রযোজ্যতা", what_en="applicability")
    indicator = indicator_lock(indicator.pk)
    if not applicable:
        with_value = list(
            Progress.objects.select_for_update(of=("self",)).filter(indicator=indicator).with_value()
        )
        if with_value and not clear_values:
            raise ValuesPresentError(sorted(p.quarter for p in with_value))
        for progress in sorted(with_value, key=lambda p: p.quarter):
            _clear_value(progress, indicator=indicator, user=user, reason=reason)
    before = indicator.applicable
    indicator.applicable = applicable
    indicator.not_applicable_reason = reason
    indicator.save(update_fields=["applicable", "not_applicable_reason"])
    history_record(
        plan=plan,
        kind=HistoryKind.APPLICABILITY,
        before=before,
        after=applicable,
        user=user,
        indicator=indicator,
        reason=reason,
    )
    return indicator


def _clear_value(
    progress: Progress, *, indicator: Indicator, user: AbstractBaseUser | None, reason: str
) -> None:
    """A quarter's value cleared on the way to not applicable: the row stays (its version counts on), the
    remark stays, the history keeps the value and the reason."""
    before = progress.value
    progress.value = None
    progress.version += 1
    progress.recorded_by = user
    progress.save()
    history_progress_change(
        indicator=indicator,
        quarter=progress.quarter,
        before=(before, progress.remark),
        after=(None, progress.remark),
        user=user,
        reason=reason,
    )


@dataclass(frozen=True)
class ProgressImportResult:
    saved: int
    cleared: int
    not_applicable: int


@dataclass
class _ProgressRow:
    indicator: Indicator
    quarter: int
    value: Decimal | datetime.date | None
    remark: str


@dataclass
class _ReadSheet:
    """A progress sheet as read: its quarters by (indicator code, quarter) and the applicability it marks by
    code, each with the row number it came from."""

    rows: dict[tuple[str, int], tuple[int, _ProgressRow]] = field(default_factory=dict)
    applicability: dict[str, tuple[int, bool, str]] = field(default_factory=dict)


IMPORT_REASON = "অগ্রগতি আমদানি / progress import"


@transaction.atomic
def progress_import(
    *, plan: ActionPlan, sheet: Sheet, user: AbstractBaseUser | None = None
) -> ProgressImportResult:
    """Record the quarterly values, remarks and applicability a progress sheet lists.

    Quarters the sheet does not list are left as they are; a listed quarter with neither value nor remark
    is cleared; a column the sheet does not have (value or remark) is left as it is. All or nothing: the
    sheet is read and checked completely (``_read_row``, ``_check_applicability``, ``_check_locks``) before
    anything is written (``_write_progress``, ``_write_applicability``)."""
    data = sheet_rows("progress", sheet)
    problems = Problems(data.column_names)
    # The lock order of every progress write (progress_record): the plan's periods in quarter order, then
    # its indicators, then the progress rows. Held to the end, so that no approval can slip in between the
    # lock check below and the writes, and a browser save of the same value waits instead of being
    # overwritten unseen (its version then no longer matches).
    periods_ensure(plan)
    # Locked, so their states below stay as read until the commit.
    states = {p.quarter: p.state for p in plan.periods.select_for_update().order_by("quarter")}
    indicators = {i.code: i for i in plan.indicators.select_for_update(no_key=True).order_by("pk")}
    read = _ReadSheet()
    for number, cells in data.rows:
        _read_row(number, cells, indicators, problems, read)
    _check_applicability(plan, read, problems)
    _check_locks(states, indicators, read, problems)
    problems.raise_if_any()

    saved, cleared = _write_progress(plan, data, read, user)
    not_applicable = _write_applicability(plan, indicators, read, user)
    return ProgressImportResult(saved=saved, cleared=cleared, not_applicable=not_applicable)


def _read_row(
    number: int, cells: dict[str, str], indicators: dict[str, Indicator], problems: Problems, read: _ReadSheet
) -> None:
    """One row of the sheet: its indicator, applicability, quarter, value and remark, each checked."""
    raw_code = cells.get("indicator_code", "")
    code = problems.cell(number, "indicator_code", raw_code, parsing.parse_code, depth=3)
    if code is None:
        return
    indicator = indicators.get(code)
    if indicator is None:
        problems.add(
            number,
            "indicator_code",
            raw_code,
            f"কর্মপরিকল্পনায় {format_code(code)} নম্বরের কোনো সূচক নেই।",
            f"The plan has no indicator {code}.",
        )
        return
    raw_applicability = cells.get("applicability", "")
    applicable = None
    if not parsing.is_blank(raw_applicability):
        applicable = problems.cell(number, "applicability", raw_applicability, parsing.parse_applicability)
        if applicable is None:
            return
    remark = cells.get("remark", "")
    raw_quarter, raw_value = cells.get("quarter", ""), cells.get("value", "")
    # The same limits as the browser's (a not-applicable row's remark is the reason).
    limit = REASON_MAX_CHARS if applicable is False else REMARK_MAX_CHARS
    try:
        remark = text_within(remark, limit, what_bn="মন্তব্য", what_en="remark")
    except DomainError as error:
        problems.add(number, "remark", remark[:40] + "…", error.message_bn, error.message_en)
        return

    if applicable is False:
        if not remark:
            problems.add(
                number,
                "remark",
                "",
                "সূচকটি প্রযোজ্য নয় হলে মন্তব্যে কারণ লিখুন।",
                "Give the reason in the remark when an indicator is not applicable.",
            )
        if not parsing.is_blank(raw_value):
            problems.add(
                number,
                "value",
                raw_value,
                "প্রযোজ্য নয় এমন সূচকের অর্জন থাকতে পারে না।",
                "A not-applicable indicator cannot have an achievement.",
            )
        read.applicability[code] = (number, False, remark)
        return
    if applicable is True:
        read.applicability[code] = (number, True, "")
        if parsing.is_blank(raw_quarter) and parsing.is_blank(raw_value) and not remark:
            return  # a row that only marks the indicator applicable again

    quarter = problems.cell(number, "quarter", raw_quarter, parsing.parse_quarter)
    value = None
    if not parsing.is_blank(raw_value):
        value = problems.cell(number, "value", raw_value, parsing.parse_value, scoring.Unit(indicator.unit))
        if value is None:
            return
        if isinstance(value, Decimal) and not check_column_fits(
            problems, number, "value", raw_value, value, model_field(Progress, "value_number")
        ):
            return
    if quarter is None:
        return
    if (code, quarter) in read.rows:
        first = read.rows[(code, quarter)][0]
        problems.add(
            number,
            "quarter",
            raw_quarter,
            f"সূচক {format_code(code)}-এর এই ত্রৈমাসিক সারি {to_bangla_digits(first)}-এ আগেই আছে।",
            f"Indicator {code} already has this quarter in row {first}.",
        )
        return
    read.rows[(code, quarter)] = (number, _ProgressRow(indicator, quarter, value, remark))


def _check_applicability(plan: ActionPlan, read: _ReadSheet, problems: Problems) -> None:
    """Not applicable and achievements exclude each other, as in the browser: the sheet may not mark an
    indicator not applicable while it keeps values, nor give values to one that stays not applicable."""
    for (code, _quarter), (number, row) in read.rows.items():
        marked = read.applicability.get(code)
        if marked is not None and marked[1] is False and row.value is not None:
            problems.add(
                number,
                "value",
                _display_value(row.value),
                f"সূচক {format_code(code)}-কে সারি {to_bangla_digits(marked[0])}-এ প্রযোজ্য নয় বলা হয়েছে, "
                "তাই এর অর্জন থাকতে পারে না।",
                f"Indicator {code} is marked not applicable in row {marked[0]}, so it cannot have values.",
            )
    stored_values: dict[str, set[int]] = defaultdict(set)
    for code, quarter in (
        Progress.objects.filter(indicator__plan=plan).with_value().values_list("indicator__code", "quarter")
    ):
        stored_values[code].add(quarter)
    for code, (number, is_applicable, _reason) in read.applicability.items():
        cleared_here = {q for (c, q), (_n, row) in read.rows.items() if c == code and row.value is None}
        kept = sorted(stored_values[code] - cleared_here)
        if not is_applicable and kept:
            quarters = ", ".join(map(str, kept))
            problems.add(
                number,
                "applicability",
                "",
                f"সূচক {format_code(code)}-এর {to_bangla_digits(quarters)} ত্রৈমাসিকে অর্জন লেখা আছে; "
                "প্রযোজ্য নয় করার আগে সেগুলো মুছুন।",
                f"Indicator {code} has achievements in quarter(s) {quarters}; "
                "clear them before marking it not applicable.",
            )
    for (code, _quarter), (number, row) in read.rows.items():
        if row.value is not None and not row.indicator.applicable and code not in read.applicability:
            problems.add(
                number,
                "value",
                _display_value(row.value),
                f"সূচক {format_code(code)} প্রযোজ্য নয় হিসেবে চিহ্নিত; এর অর্জন লেখা যাবে না "
                "(প্রযোজ্যতা কলামে 'প্রযোজ্য' লিখে আবার প্রযোজ্য করা যায়)।",
                f"Indicator {code} is marked not applicable, so it cannot have values "
                "(write 'applicable' in the applicability column to change that).",
            )


def _check_locks(
    states: dict[int, str], indicators: dict[str, Indicator], read: _ReadSheet, problems: Problems
) -> None:
    """Locked data stays locked (DESIGN.md §4): no row may touch a submitted or approved quarter, and
    applicability, which decides the marks of every quarter, changes only while none is submitted."""
    for (_code, quarter), (number, _row) in read.rows.items():
        if states[quarter] not in EDITABLE_STATES:
            bn, en = quarter_locked_message(quarter, states[quarter])
            problems.add(number, "quarter", to_bangla_digits(quarter), bn, en)
    locked_quarters = [q for q, state in sorted(states.items()) if state not in EDITABLE_STATES]
    if not locked_quarters:
        return
    quarters = ", ".join(map(str, locked_quarters))
    for code, (number, is_applicable, reason) in read.applicability.items():
        indicator = indicators[code]
        if (indicator.applicable, indicator.not_applicable_reason) != (is_applicable, reason):
            problems.add(
                number,
                "applicability",
                "",
                f"{to_bangla_digits(quarters)} ত্রৈমাসিক দাখিল বা অনুমোদিত হয়েছে; প্রযোজ্যতা এখন বদলানো "
                "যাবে না (আগে সেই ত্রৈমাসিকগুলো ফেরত পাঠাতে হবে)।",
                f"Quarter(s) {quarters} are submitted or approved; applicability cannot change now "
                "(return those quarters first).",
            )


def _write_progress(
    plan: ActionPlan, data: SheetRows, read: _ReadSheet, user: AbstractBaseUser | None
) -> tuple[int, int]:
    """Store the checked quarters, each change in the history; (saved, cleared)."""
    existing = {
        (p.indicator_id, p.quarter): p
        for p in Progress.objects.select_for_update(of=("self",)).filter(indicator__plan=plan).order_by("pk")
    }
    saved = cleared = 0
    for (_code, quarter), (_number, row) in read.rows.items():
        progress = existing.get((row.indicator.pk, quarter))
        # A sheet without the value (or remark) column leaves values (or remarks) as they are.
        value = row.value if data.has("value") else (progress.value if progress else None)
        remark = row.remark if data.has("remark") else (progress.remark if progress else "")
        before_value = progress.value if progress else None
        before_remark = progress.remark if progress else ""
        if before_value == value and before_remark == remark:
            continue
        history_progress_change(
            indicator=row.indicator,
            quarter=quarter,
            before=(before_value, before_remark),
            after=(value, remark),
            user=user,
            reason=IMPORT_REASON,
        )
        if value is None and not remark:
            if progress is None:
                continue
            # The row stays (empty), so its version keeps counting for forms loaded before (DESIGN.md §4).
            cleared += 1
        progress = progress or Progress(indicator=row.indicator, quarter=quarter)
        progress.value = value
        progress.remark = remark
        progress.version += 1
        progress.recorded_by = user
        progress.full_clean(validate_constraints=False)
        progress.save()
        saved += 0 if value is None and not remark else 1
    return saved, cleared


def _write_applicability(
    plan: ActionPlan, indicators: dict[str, Indicator], read: _ReadSheet, user: AbstractBaseUser | None
) -> int:
    """Store the applicability the sheet marks, each change in the history; how many are not applicable."""
    not_applicable = 0
    for code, (_number, is_applicable, reason) in read.applicability.items():
        indicator = indicators[code]
        if (indicator.applicable, indicator.not_applicable_reason) != (is_applicable, reason):
            history_record(
                plan=plan,
                kind=HistoryKind.APPLICABILITY,
                before=indicator.applicable,
                after=is_applicable,
                user=user,
                indicator=indicator,
                reason=reason or IMPORT_REASON,
            )
        indicator.applicable = is_applicable
        indicator.not_applicable_reason = reason
        indicator.save(update_fields=["applicable", "not_applicable_reason"])
        not_applicable += 0 if is_applicable else 1
    return not_applicable


def _display_value(value: Decimal | datetime.date) -> str:
    return value.strftime("%d/%m/%Y") if isinstance(value, datetime.date) else plain_number(value)
