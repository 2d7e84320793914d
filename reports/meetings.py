"""Progress-review meetings and their minutes (issue 16.1, seed 004): every write of a meeting goes here.

An office's officers and CIO record a meeting — date, time, place, chair, attendees, and per indicator the
discussion, the decision and who is responsible; the items start from the plan's indicators with their
progress so far. The chair (the office's CIO) approves the minutes; approved minutes are read-only. At
approval the minutes can be kept as evidence of the plan's meetings indicator, and that indicator's value
for the quarter is filled from the meetings held (a count, or the date of the first meeting for a date
indicator) through the progress service, with the source in the remark — the officer can still correct it
there, with a reason, like any value.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation

from base.bangla import format_date_short, format_number, to_bangla_digits
from base.errors import ConflictError, DomainError, PermissionDeniedError
from base.text import text_within
from evidence.services import evidence_attach
from evidence.validators import clean_text
from indicators import permissions
from indicators.history import history_record
from indicators.models import (
    ActionPlan,
    DataSource,
    FiscalYear,
    HistoryKind,
    Indicator,
    Office,
    Progress,
    Role,
)
from indicators.scores import plan_score
from indicators.selectors import office_year_plan
from indicators.services.sources import (
    bound_indicators,
    first_open_quarter,
    fiscal_quarter,
    source_fill,
    source_label,
)
from reports.finishing import document_keep
from reports.models import Meeting, MeetingItem, MeetingState

#: The meeting's own fields a form may change while it is a draft.
MEETING_FIELDS = (
    "held_on",
    "time_text",
    "place",
    "chair_name",
    "chair_designation",
    "wing_bn",
    "attendees",
    "opening",
    "closing",
    "memo_number",
    "signed_on",
    "distribution",
)
ITEM_FIELDS = ("indicator_code", "indicator_title", "discussion", "decision", "responsible")
#: Longest text of one field (a whole discussion fits several times over).
TEXT_MAX = 8000

DEFAULT_OPENING = (
    "সভার প্রারম্ভে সভাপতি উপস্থিত সকলকে স্বাগত জানিয়ে সভার কার্যক্রম শুরু করেন। "
    "ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনার সূচকসমূহের অগ্রগতি পর্যায়ক্রমে সভায় উপস্থাপন করা হয়।"
)
DEFAULT_CLOSING = (
    "অতঃপর আর কোনো আলোচনা না থাকায় কর্মসম্পাদন সূচক অনুযায়ী নির্ধারিত সময়ের মধ্যে কর্মসম্পাদনের "
    "পরামর্শ দিয়ে সভাপতি সকলকে ধন্যবাদ জানিয়ে সভার সমাপ্তি ঘোষণা করেন।"
)


def _ensure_team(user: AbstractBaseUser, office: Office) -> None:
    if not permissions.roles_in(user, office) & {Role.OFFICER, Role.CIO}:
        raise PermissionDeniedError(
            "এই দপ্তরের সভার কার্যবিবরণী লেখার অনুমতি আপনার নেই।",
            "You cannot record this office's meetings.",
        )


def _ensure_draft(meeting: Meeting) -> None:
    if meeting.state != MeetingState.DRAFT:
        raise DomainError("অনুমোদিত কার্যবিবরণী আর বদলানো যায় না।", "Approved minutes cannot be changed any more.")


def _clean(field: str, value):
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").strip()
        if len(value) > TEXT_MAX:
            raise DomainError(
                f"'{field}' ঘরে সর্বোচ্চ {to_bangla_digits(TEXT_MAX)} অক্ষর লেখা যায়।",
                f"'{field}' takes at most {TEXT_MAX} characters.",
            )
    return value


def quarter_of(start_year: int, day: datetime.date) -> int:
    """The quarter of fiscal year ``start_year`` (July–June) a day falls in; a day outside the year is
    refused."""
    quarter = fiscal_quarter(start_year, day)
    if quarter is None:
        raise DomainError(
            f"সভার তারিখ {format_date_short(day)} এই অর্থবছরের (১ জুলাই–৩০ জুন) মধ্যে নয়।",
            f"The meeting date {day.isoformat()} is outside the fiscal year (1 July-30 June).",
        )
    return quarter


def _progress_text(value) -> str:
    if value is None:
        return "এখনো কোনো অগ্রগতি লেখা হয়নি।"
    if isinstance(value, datetime.date):
        return f"এ পর্যন্ত অগ্রগতি: {format_date_short(value)}।"
    plain = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return f"এ পর্যন্ত অগ্রগতি: {format_number(plain)}।"


def items_from_plan(plan: ActionPlan) -> list[dict]:
    """One item per indicator, in the plan's order, the discussion started with the progress so far."""
    score = plan_score(plan)
    achieved = {row.code: row.achievement for row in score.indicators}
    indicators = Indicator.objects.filter(plan=plan).order_by(
        "activity__area__position", "activity__position", "position"
    )
    return [
        {
            "indicator_code": indicator.code,
            "indicator_title": indicator.title,
            "discussion": _progress_text(achieved.get(indicator.code)),
        }
        for indicator in indicators
    ]


def meeting_document(meeting: Meeting) -> str:
    """The key of a meeting's entries in the history (``HistoryEntry.document``)."""
    return f"meeting:{meeting.pk}"


def _record(
    meeting: Meeting, user: AbstractBaseUser | None, text: str, *, before: str = "", reason: str = ""
) -> None:
    """Every change of a meeting goes into the history of the office's plan of the year (there is none to
    keep it in while the office has no plan)."""
    plan = office_year_plan(meeting.office, meeting.fiscal_year)
    if plan is not None:
        history_record(
            plan=plan,
            kind=HistoryKind.MEETING,
            before=before,
            after=text,
            user=user,
            reason=reason,
            document=meeting_document(meeting),
        )


def changed_labels(model, old: dict, new: dict) -> str:
    """The verbose names of the fields whose values differ, for the history: "স্থান, সময়"."""
    with translation.override("bn"):  # the history is data: in Bangla whatever the page's language
        return ", ".join(
            str(model._meta.get_field(name).verbose_name) for name in new if old.get(name) != new.get(name)
        )


def _items_snapshot(meeting: Meeting) -> list[tuple]:
    return list(meeting.items.order_by("position").values_list(*ITEM_FIELDS))


@transaction.atomic
def meeting_create(
    *,
    office: Office,
    fiscal_year: FiscalYear,
    user: AbstractBaseUser | None,
    held_on: datetime.date,
    chair_name: str,
    items: list[dict] | None = None,
    check_permission: bool = True,
    **fields,
) -> Meeting:
    """A new draft meeting, numbered after the office's last one of the year. Without ``items`` the items
    start from the plan's indicators with their progress so far (none if the office has no plan yet)."""
    if check_permission:
        _ensure_team(user, office)
    chair_name = clean_text(chair_name or "")
    if not chair_name:
        raise DomainError("সভাপতির নাম আবশ্যক।", "The chair's name is required.")
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise ValueError(f"unknown meeting fields: {sorted(unknown)}")
    # Numbered under a lock on the office's row: two meetings recorded at once do not take one number.
    Office.objects.select_for_update().filter(pk=office.pk).first()
    last = Meeting.objects.filter(office=office, fiscal_year=fiscal_year).aggregate(last=Max("number"))[
        "last"
    ]
    meeting = Meeting(
        office=office,
        fiscal_year=fiscal_year,
        number=(last or 0) + 1,
        held_on=held_on,
        chair_name=chair_name,
        **{
            "opening": DEFAULT_OPENING,
            "closing": DEFAULT_CLOSING,
            **{name: _clean(name, value) for name, value in fields.items()},
        },
    )
    meeting.full_clean()
    meeting.save()
    if items is None:
        plan = office_year_plan(office, fiscal_year)
        items = items_from_plan(plan) if plan is not None else []
    _items_write(meeting, items)
    _record(meeting, user, f"পর্যালোচনা সভা {to_bangla_digits(meeting.number)} লেখা হয়েছে")
    return meeting


def _items_write(meeting: Meeting, items: list[dict]) -> None:
    MeetingItem.objects.filter(meeting=meeting).delete()
    rows = []
    for position, item in enumerate(items, start=1):
        values = {name: _clean(name, item.get(name, "") or "") for name in ITEM_FIELDS}
        if not any(values.values()):
            continue  # an empty row of the form is no item
        rows.append(MeetingItem(meeting=meeting, position=position, **values))
    for position, row in enumerate(rows, start=1):
        row.position = position
    MeetingItem.objects.bulk_create(rows)


def _locked(meeting: Meeting, expected_version: int) -> Meeting:
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.version != expected_version:
        raise ConflictError(
            "এই কার্যবিবরণী ইতিমধ্যে অন্য কেউ বদলেছেন; পাতাটি নতুন করে খুলুন।",
            "Someone else changed these minutes meanwhile; reload the page.",
        )
    return locked


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    user: AbstractBaseUser,
    expected_version: int,
    items: list[dict] | None = None,
    **fields,
) -> Meeting:
    """Change a draft meeting's fields and (when given) its items; refused once approved, or when someone
    saved in between (the version the form was loaded with)."""
    _ensure_team(user, meeting.office)
    meeting = _locked(meeting, expected_version)
    _ensure_draft(meeting)
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise ValueError(f"unknown meeting fields: {sorted(unknown)}")
    before = {name: getattr(meeting, name) for name in fields}
    items_before = _items_snapshot(meeting) if items is not None else None
    for name, value in fields.items():
        setattr(meeting, name, _clean(name, value))
    if not clean_text(meeting.chair_name or ""):
        raise DomainError("সভাপতির নাম আবশ্যক।", "The chair's name is required.")
    meeting.version += 1
    meeting.full_clean()
    meeting.save()
    changed = changed_labels(Meeting, before, {name: getattr(meeting, name) for name in fields})
    if items is not None:
        _items_write(meeting, items)
        if _items_snapshot(meeting) != items_before:
            changed = ", ".join(filter(None, [changed, "আলোচ্য বিষয়"]))
    _record(
        meeting,
        user,
        f"পর্যালোচনা সভা {to_bangla_digits(meeting.number)} সংশোধিত"
        + (f": {changed}" if changed else " (কোনো পরিবর্তন নেই)"),
    )
    return meeting


@transaction.atomic
def meeting_approval_request(
    *, meeting: Meeting, user: AbstractBaseUser, expected_version: int, comment: str = ""
) -> Meeting:
    """A member of the team sends the draft to the chair (the office's CIO) for approval. The minutes stay
    a draft — the chair may still have them corrected — and the request is kept in the history (the workflow
    mails the chair)."""
    _ensure_team(user, meeting.office)
    meeting = _locked(meeting, expected_version)
    _ensure_draft(meeting)
    comment = text_within(comment, TEXT_MAX, what_bn="মন্তব্য", what_en="comment")
    # Who asked when: the chair's waiting list shows it until the minutes are approved (the version is not
    # bumped — the form the team has open stays valid).
    meeting.approval_requested_at = timezone.now()
    meeting.approval_requested_by = user
    meeting.save(update_fields=["approval_requested_at", "approval_requested_by"])
    _record(
        meeting,
        user,
        f"পর্যালোচনা সভা {to_bangla_digits(meeting.number)}-এর কার্যবিবরণী সভাপতির অনুমোদনের জন্য পাঠানো হয়েছে",
        reason=comment,
    )
    return meeting


@dataclass(frozen=True)
class MeetingApproved:
    meeting: Meeting
    evidence_id: int | None
    filled_value: Decimal | datetime.date | None


def evidence_to_bound(
    *,
    plan: ActionPlan,
    source: str,
    day: datetime.date,
    skip: Indicator | None,
    title: str,
    data: bytes,
    original_name: str,
    user: AbstractBaseUser,
):
    """A document (minutes, the Smart Bangladesh plan) kept as evidence of every indicator bound to
    ``source`` (issue 16.4), but ``skip`` (chosen by hand, kept already), in the first open quarter from
    ``day``'s; a bound indicator with no open quarter left gets none. Returns the first evidence kept."""
    first = fiscal_quarter(plan.fiscal_year.start_year, day)
    if first is None:
        return None
    quarter = first_open_quarter(plan, first)  # one read of the periods for every bound indicator
    if quarter is None:
        return None
    kept = None
    for bound in bound_indicators(plan, source):
        if skip is not None and bound.pk == skip.pk:
            continue
        attached = evidence_attach(
            indicator=bound, title=title, data=data, original_name=original_name, quarter=quarter, user=user
        )
        kept = kept or attached
    return kept


def meetings_first_day(office: Office, fiscal_year: FiscalYear) -> datetime.date | None:
    """The day of the first approved meeting of the year (what a date indicator bound to the meetings reads)."""
    return (
        Meeting.objects.filter(office=office, fiscal_year=fiscal_year, state=MeetingState.APPROVED)
        .order_by("held_on")
        .values_list("held_on", flat=True)
        .first()
    )


def meetings_held_to(office: Office, fiscal_year: FiscalYear) -> Callable[[int], int]:
    """How many approved meetings of the year were held up to the end of a quarter (a count indicator bound to
    the meetings reads this; ``sources.source_fill`` takes off what earlier quarters already report)."""
    days = list(
        Meeting.objects.filter(
            office=office, fiscal_year=fiscal_year, state=MeetingState.APPROVED
        ).values_list("held_on", flat=True)
    )
    return lambda quarter: sum(1 for day in days if quarter_of(fiscal_year.start_year, day) <= quarter)


@transaction.atomic
def meeting_approve(
    *,
    meeting: Meeting,
    user: AbstractBaseUser,
    expected_version: int,
    pdf: bytes,
    indicator: Indicator | None = None,
) -> MeetingApproved:
    """The chair (the office's CIO) approves the minutes: they become read-only; with ``indicator`` (of the
    office's plan of that year) the PDF is kept as its evidence in the meeting's quarter and its value for
    that quarter is filled from the meetings held. All or nothing: if the quarter is locked, nothing is
    approved and the service's message says why."""
    if Role.CIO not in permissions.roles_in(user, meeting.office):
        raise PermissionDeniedError(
            "কার্যবিবরণী অনুমোদন করেন সভাপতি — দপ্তরের চিফ ইনোভেশন অফিসার।",
            "The minutes are approved by the chair, the office's Chief Innovation Officer.",
        )
    meeting = _locked(meeting, expected_version)
    _ensure_draft(meeting)
    meeting.state = MeetingState.APPROVED
    meeting.approved_by = user
    meeting.approved_at = timezone.now()
    if meeting.signed_on is None:
        meeting.signed_on = timezone.localdate()
    meeting.version += 1
    name = f"minutes-{meeting.office.code}-{meeting.fiscal_year.code}-{meeting.number}.pdf"
    document_keep(meeting, pdf, name)  # the approved minutes, evidence or not: what the download returns
    filled = None
    plan = office_year_plan(meeting.office, meeting.fiscal_year)
    if indicator is not None and (plan is None or indicator.plan_id != plan.pk):
        raise DomainError(
            "সূচকটি এই দপ্তরের এই অর্থবছরের কর্মপরিকল্পনার নয়।",
            "The indicator is not of this office's plan of this year.",
        )
    if plan is not None:
        quarter = (
            quarter_of(meeting.fiscal_year.start_year, meeting.held_on) if indicator is not None else None
        )
        meeting.save()
        title = f"পর্যালোচনা সভা {to_bangla_digits(meeting.number)}-এর কার্যবিবরণী ({format_date_short(meeting.held_on)})"
        if indicator is not None:
            # Chosen by the chair: its quarter must be open (all or nothing).
            meeting.evidence = evidence_attach(
                indicator=indicator, title=title, data=pdf, original_name=name, quarter=quarter, user=user
            )
        # Issue 16.4: indicators bound to the meetings held get the minutes (in the first open quarter from
        # the meeting's) and their value: the approved meetings of the quarter, or the first one's date.
        attached = evidence_to_bound(
            plan=plan,
            source=DataSource.MEETINGS_HELD,
            day=meeting.held_on,
            skip=indicator,
            title=title,
            data=pdf,
            original_name=name,
            user=user,
        )
        meeting.evidence = meeting.evidence or attached
        meeting.save()
        targets = bound_indicators(plan, DataSource.MEETINGS_HELD)
        if indicator is not None and indicator.pk not in {i.pk for i in targets}:
            targets.append(indicator)
        label = source_label(DataSource.MEETINGS_HELD)
        first_day = meetings_first_day(meeting.office, meeting.fiscal_year)
        counted = meetings_held_to(meeting.office, meeting.fiscal_year)
        in_year = fiscal_quarter(meeting.fiscal_year.start_year, meeting.held_on) is not None
        for target in targets if in_year else []:
            is_date = target.unit == "date"
            written = source_fill(
                indicator=target,
                day=first_day if is_date else meeting.held_on,
                user=user,
                source_label=label,
                counted=None if is_date else counted,
            )
            if written is not None and filled is None:
                filled = Progress.objects.get(indicator=target, quarter=written).value
    meeting.save()
    _record(
        meeting,
        user,
        f"পর্যালোচনা সভা {to_bangla_digits(meeting.number)}-এর কার্যবিবরণী অনুমোদিত",
        before="খসড়া",
    )
    return MeetingApproved(meeting, meeting.evidence_id, filled)


@transaction.atomic
def meeting_import(*, office: Office, fiscal_year: FiscalYear, record: dict) -> Meeting:
    """A meeting held and signed before the office used the system (the demo's seed 004), from its record:
    kept as approved minutes with the dates it was signed on, without an approver in the system."""
    fields = {name: record[name] for name in MEETING_FIELDS if name in record and name != "held_on"}
    for name in ("signed_on",):
        if fields.get(name):
            fields[name] = datetime.date.fromisoformat(fields[name])
    meeting = meeting_create(
        office=office,
        fiscal_year=fiscal_year,
        user=None,
        held_on=datetime.date.fromisoformat(record["held_on"]),
        chair_name=record["chair_name"],
        items=record.get("items", []),
        check_permission=False,
        **{k: v for k, v in fields.items() if k != "chair_name"},
    )
    meeting.state = MeetingState.APPROVED
    meeting.approved_at = timezone.now()
    meeting.save(update_fields=["state", "approved_at"])
    return meeting
