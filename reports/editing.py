"""Writes (and the few reads they need) of the report texts the team edits in the browser (DESIGN.md §6):
the cover letter (প্রেরণপত্র) of each reporting period, and the annual report's introduction (ভূমিকা) and
initiatives tables (উদ্যোগ).

Every write checks, on the server: the user is an officer or the CIO of the plan's office; and the lock
(DESIGN.md §4: once submitted or approved, the data is read-only until the period is returned):
- a cover letter belongs to its own period, which must be draft or returned;
- the introduction and the initiatives belong to the annual report, i.e. to Q4's period.

Initiative positions are plan-wide (as ``report_contents_load`` below writes them and as the
annual report orders its tables): a new initiative goes after every other; reordering one kind's table
hands that kind's own position values out again in the new order, so the other kinds keep theirs.

History: every saved change is kept as a ``HistoryKind.REPORT_TEXT`` entry (``_history``), like changes of
progress.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from base.bangla import QUARTER_ORDINALS_BN
from base.errors import ConflictError, DomainError, LockedError, PermissionDeniedError
from indicators import permissions
from indicators.history import history_record, history_text
from indicators.models import (
    EDITABLE_STATES,
    VISIBLE_TO_REVIEWER_STATES,
    ActionPlan,
    HistoryKind,
    PeriodState,
    ReportingPeriod,
)
from indicators.periods import period_for
from reports.letter import COVER_LETTER_FIELDS, cover_letter_for
from reports.models import CoverLetter, Initiative, InitiativeKind, Introduction, MemoSerial

INITIATIVE_FIELDS = ("kind", "title", "details", "completion_text", "completion_date")
ANNUAL_QUARTER = 4  # DESIGN.md §4: Q4 carries the annual report, and with it the introduction and initiatives

User = AbstractBaseUser | AnonymousUser


# ---------------------------------------------------------------------------------------------------------
# Reads: who may see and change which text, and the texts themselves


@dataclass(frozen=True)
class TextAccess:
    """What one user may do with the texts of one reporting period."""

    period: ReportingPeriod
    is_member: bool
    may_edit: bool  # officer or CIO of the office (whatever the period's state)

    @property
    def visible(self) -> bool:
        # As on the plan page: members see every period, the parent office's reviewers from "sent" on.
        return self.is_member or self.period.state in VISIBLE_TO_REVIEWER_STATES

    @property
    def locked(self) -> bool:
        return self.period.state not in EDITABLE_STATES

    @property
    def editable(self) -> bool:
        return self.may_edit and not self.locked


def text_access(*, user: User, plan: ActionPlan, quarter: int) -> TextAccess:
    """The access of ``user`` (who may see ``plan``) to the texts of the plan's quarter ``quarter``."""
    return TextAccess(
        period=period_for(plan, quarter),
        is_member=permissions.is_member(user, plan),
        may_edit=permissions.can_edit_progress(user, plan),
    )


def introduction_text(plan: ActionPlan) -> str:
    introduction = Introduction.objects.filter(plan=plan).first()
    return introduction.text if introduction is not None else ""


def initiatives_by_kind(plan: ActionPlan) -> list[tuple[InitiativeKind, list[Initiative]]]:
    """The plan's initiatives grouped by kind (ongoing, completed, future), each group in its order;
    one query whatever their number."""
    groups: dict[str, list[Initiative]] = {kind.value: [] for kind in InitiativeKind}
    for initiative in plan.initiatives.order_by("position", "pk"):
        groups[initiative.kind].append(initiative)
    return [(kind, groups[kind.value]) for kind in InitiativeKind]


def fingerprint(*values: object) -> str:
    """A short digest of what a form was loaded with; a save based on other content is refused."""
    text = "\x1f".join(
        "" if v is None else v.isoformat() if isinstance(v, datetime.date) else str(v) for v in values
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def letter_fingerprint(letter: CoverLetter) -> str:
    return fingerprint(*(getattr(letter, name) for name in COVER_LETTER_FIELDS))


def introduction_fingerprint(text: str) -> str:
    return fingerprint(text)


def normalize_text(text: str) -> str:
    """Newlines as "\\n", no trailing spaces on a line, no blank space at either end."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip()


# ---------------------------------------------------------------------------------------------------------
# Checks shared by the writes


def _ensure_may_edit(user: User, plan: ActionPlan) -> None:
    # DESIGN.md §1: the officers and the CIO of the office write its report texts.
    if not permissions.can_edit_progress(user, plan):
        raise PermissionDeniedError(
            "আপনি এই দপ্তরের প্রতিবেদনের লেখা বদলাতে পারেন না।", "You cannot change this office's report texts."
        )


def _ensure_open(period: ReportingPeriod, *, what_bn: str, what_en: str) -> ReportingPeriod:
    """Lock the period's row and refuse when it is not draft or returned (DESIGN.md §4)."""
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.state not in EDITABLE_STATES:
        quarter_bn, label = QUARTER_ORDINALS_BN[period.quarter - 1], PeriodState(period.state).label
        raise LockedError(
            f"{what_bn} এখন বদলানো যাবে না ({quarter_bn} ত্রৈমাসিকের অবস্থা: {label}); ফেরত পাঠানো হলে আবার বদলানো যাবে।",
            f"{what_en} cannot be changed now (quarter {period.quarter} is {period.state}); "
            "it can again once the period is returned.",
        )
    return period


def _ensure_annual_open(plan: ActionPlan) -> ReportingPeriod:
    return _ensure_open(
        period_for(plan, ANNUAL_QUARTER),
        what_bn="বার্ষিক প্রতিবেদনের ভূমিকা ও উদ্যোগ",
        what_en="The annual report's introduction and initiatives",
    )


def _ensure_unchanged(current: str, expected: str | None) -> None:
    if expected is not None and expected != current:
        raise ConflictError(
            "আপনি সম্পাদনা শুরু করার পর অন্য কেউ এই লেখাটি বদলেছেন। পাতাটি নতুন করে দেখে আবার সংরক্ষণ করুন।",
            "Someone else changed this text after you started editing. Reload the page and save again.",
        )


def _full_clean(instance: Any, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        messages = "; ".join(m for ms in error.message_dict.values() for m in ms)
        raise DomainError(messages, messages) from error


def _history(
    *, plan: ActionPlan, reason: str, before: str, after: str, user: User, quarter: int | None = None
) -> None:
    """Every change of a report text is kept (DESIGN.md §4), like changes of progress."""
    history_record(
        plan=plan,
        kind=HistoryKind.REPORT_TEXT,
        before=before,
        after=after,
        user=user,
        quarter=quarter,
        reason=reason,
    )


# ---------------------------------------------------------------------------------------------------------
# Writes


@transaction.atomic
def cover_letter_update(
    *,
    period: ReportingPeriod,
    data: Mapping[str, Any],
    user: User,
    expected_fingerprint: str | None = None,
) -> CoverLetter:
    """Save the team's changes to the period's cover letter while the period is draft or returned.

    ``data`` holds the fields of ``COVER_LETTER_FIELDS`` (others are ignored; missing ones stay as they are).
    ``expected_fingerprint`` is ``letter_fingerprint`` of the letter the form was loaded with; if the letter
    changed since, nothing is saved (None: no check, for scripts).
    """
    plan = period.plan
    _ensure_may_edit(user, plan)
    period = _ensure_open(period, what_bn="প্রেরণপত্রটি", what_en="The cover letter")
    letter = CoverLetter.objects.select_for_update().get(pk=cover_letter_for(period).pk)
    loaded = letter_fingerprint(letter)
    before = {name: getattr(letter, name) for name in COVER_LETTER_FIELDS}
    for name in COVER_LETTER_FIELDS:
        if name in data:
            value = data[name]
            setattr(letter, name, normalize_text(value) if isinstance(value, str) else value)
    changed = [name for name in COVER_LETTER_FIELDS if getattr(letter, name) != before[name]]
    if not changed:
        return letter  # nothing to save, whatever the form was loaded with
    _ensure_unchanged(loaded, expected_fingerprint)
    _full_clean(letter, exclude=["period"])
    letter.save()
    _history(
        plan=plan,
        reason=f"প্রেরণপত্র, {QUARTER_ORDINALS_BN[period.quarter - 1]} ত্রৈমাসিক",
        before="\n".join(f"{name}: {history_text(before[name])}" for name in changed),
        after="\n".join(f"{name}: {history_text(getattr(letter, name))}" for name in changed),
        user=user,
        quarter=period.quarter,
    )
    return letter


@transaction.atomic
def introduction_update(
    *, plan: ActionPlan, text: str, user: User, expected_fingerprint: str | None = None
) -> Introduction:
    """Save the introduction (ভূমিকা) of the plan's annual report while Q4 is draft or returned.

    ``expected_fingerprint`` is ``introduction_fingerprint`` of the text the form was loaded with.
    """
    _ensure_may_edit(user, plan)
    _ensure_annual_open(plan)
    introduction = Introduction.objects.select_for_update().filter(plan=plan).first()
    before = introduction.text if introduction is not None else ""
    text = normalize_text(text)
    if introduction is not None and text == before:
        return introduction  # nothing to save, whatever the form was loaded with
    _ensure_unchanged(introduction_fingerprint(before), expected_fingerprint)
    introduction = introduction or Introduction(plan=plan)
    introduction.text = text
    _full_clean(introduction, exclude=["plan"])
    introduction.save()
    _history(plan=plan, reason="ভূমিকা", before=before, after=text, user=user)
    return introduction


def _initiative_text(initiative: Initiative) -> str:
    """An initiative as one history value: kind, title, completion."""
    completion = initiative.completion_text or history_text(initiative.completion_date)
    return f"{initiative.get_kind_display()}: {initiative.title} ({completion})"


@transaction.atomic
def initiative_save(
    *, plan: ActionPlan, initiative: Initiative | None, data: Mapping[str, Any], user: User
) -> Initiative:
    """Add an initiative to the plan (``initiative`` None) or change one of the plan's initiatives.

    ``data`` holds the fields of ``INITIATIVE_FIELDS`` (others are ignored). A new initiative, or one moved
    to another kind, goes to the end of its kind's table (after every initiative of the plan).
    """
    _ensure_may_edit(user, plan)
    _ensure_annual_open(plan)
    if initiative is None:
        initiative, before, old_kind = Initiative(plan=plan), "", None
    else:
        initiative = Initiative.objects.select_for_update().filter(pk=initiative.pk, plan=plan).first()
        if initiative is None:
            raise DomainError("উদ্যোগটি আর নেই।", "The initiative no longer exists.")
        before, old_kind = _initiative_text(initiative), initiative.kind
    for name in INITIATIVE_FIELDS:
        if name in data:
            value = data[name]
            setattr(initiative, name, normalize_text(value) if isinstance(value, str) else value)
    if initiative.kind != old_kind:
        last = plan.initiatives.aggregate(last=Max("position"))["last"]
        initiative.position = (last or 0) + 1
    _full_clean(initiative, exclude=["plan"])
    initiative.save()
    _history(plan=plan, reason="উদ্যোগ", before=before, after=_initiative_text(initiative), user=user)
    return initiative


@transaction.atomic
def initiative_delete(*, initiative: Initiative, user: User) -> None:
    """Remove an initiative from the plan's annual report while Q4 is draft or returned."""
    plan = initiative.plan
    _ensure_may_edit(user, plan)
    _ensure_annual_open(plan)
    deleted, _counts = Initiative.objects.filter(pk=initiative.pk, plan=plan).delete()
    if not deleted:
        raise DomainError("উদ্যোগটি আগেই মুছে ফেলা হয়েছে।", "The initiative was already deleted.")
    _history(plan=plan, reason="উদ্যোগ", before=_initiative_text(initiative), after="", user=user)


def _locked_kind(plan: ActionPlan, kind: str, user: User) -> list[Initiative]:
    """After the checks, the plan's initiatives of one kind in their order, their rows locked."""
    _ensure_may_edit(user, plan)
    _ensure_annual_open(plan)
    return list(plan.initiatives.select_for_update().filter(kind=kind).order_by("position", "pk"))


def _renumber(plan: ActionPlan, current: list[Initiative], ordered: list[Initiative], user: User) -> None:
    """Give ``ordered`` the kind's own position values, smallest first (made distinct where two were equal,
    as rows added outside the browser may be), and save the ones that changed."""
    positions: list[int] = []
    for value in sorted(i.position for i in current):
        positions.append(max(value, positions[-1] + 1) if positions else value)
    changed = []
    for position, initiative in zip(positions, ordered, strict=True):
        if initiative.position != position:
            initiative.position = position
            changed.append(initiative)
    if changed:
        Initiative.objects.bulk_update(changed, ["position"])
        _history(
            plan=plan,
            reason="উদ্যোগের ক্রম",
            before=" | ".join(i.title for i in current),
            after=" | ".join(i.title for i in ordered),
            user=user,
        )


@transaction.atomic
def initiatives_reorder(*, plan: ActionPlan, kind: str, order: list[int], user: User) -> list[Initiative]:
    """Put the plan's initiatives of one kind in the order of ``order`` (their ids, each exactly once); a list
    that no longer matches the stored one is refused."""
    current = _locked_kind(plan, kind, user)
    by_id = {initiative.pk: initiative for initiative in current}
    if len(order) != len(by_id) or set(order) != set(by_id):
        raise ConflictError(
            "উদ্যোগের তালিকা এর মধ্যে বদলে গেছে; পাতাটি নতুন করে দেখুন।",
            "The list of initiatives has changed in the meantime; reload the page.",
        )
    ordered = [by_id[pk] for pk in order]
    _renumber(plan, current, ordered, user)
    return ordered


@transaction.atomic
def initiative_move(*, initiative: Initiative, step: int, user: User) -> list[Initiative]:
    """Move an initiative ``step`` places up (negative) or down (positive) within its kind's table
    (no further than its top or bottom)."""
    plan = initiative.plan
    current = _locked_kind(plan, initiative.kind, user)
    ordered = list(current)
    index = next((i for i, item in enumerate(ordered) if item.pk == initiative.pk), None)
    if index is None:
        raise DomainError("উদ্যোগটি আর নেই।", "The initiative no longer exists.")
    ordered.insert(min(max(index + step, 0), len(ordered) - 1), ordered.pop(index))
    _renumber(plan, current, ordered, user)
    return ordered


# ---------------------------------------------------------------------------------------------------------
# Report contents from a file (the demo: apa_tracker/demo/mofa-2022-23/report.json)


@transaction.atomic
def report_contents_load(*, plan: ActionPlan, path: Path) -> None:
    """Cover letters, introduction, initiatives and the memo counter of a plan from a JSON file.

    Keys: ``memo_serial_last`` (the office's last memo serial of the year), ``cover_letters`` (per quarter;
    fields not given keep the defaults of ``cover_letter_for``), ``introduction`` (a list of lines) and
    ``initiatives`` (kind, title, details, completion_text, completion_date). Loading again overwrites the
    letters' given fields and the introduction, and replaces the initiatives.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if "memo_serial_last" in data:
        MemoSerial.objects.update_or_create(
            office_id=plan.office_id,
            fiscal_year_id=plan.fiscal_year_id,
            defaults={"last": int(data["memo_serial_last"])},
        )
    for item in data.get("cover_letters", []):
        item = dict(item)
        letter = cover_letter_for(period_for(plan, int(item.pop("quarter"))))
        for name, value in item.items():
            if name == "letter_date":
                value = datetime.date.fromisoformat(value) if value else None
            elif isinstance(value, list):
                value = "\n".join(value)
            setattr(letter, name, value)
        letter.full_clean()
        letter.save()
    if "introduction" in data:
        text = data["introduction"]
        Introduction.objects.update_or_create(
            plan=plan, defaults={"text": "\n".join(text) if isinstance(text, list) else text}
        )
    if "initiatives" in data:
        Initiative.objects.filter(plan=plan).delete()
        for position, item in enumerate(data["initiatives"], start=1):
            initiative = Initiative(
                plan=plan,
                kind=item["kind"],
                title=item["title"],
                details=item.get("details", ""),
                completion_text=item.get("completion_text", ""),
                completion_date=(
                    datetime.date.fromisoformat(item["completion_date"])
                    if item.get("completion_date")
                    else None
                ),
                position=position,
            )
            initiative.full_clean()
            initiative.save()
