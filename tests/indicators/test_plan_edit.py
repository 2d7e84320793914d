"""The plan edited in the browser (issue 13 point 4): the draft, its buttons, and ``plan_edit_save`` — the
sheet import's validation (the same messages for the same cells), the lock of a submitted quarter, the
version check of two forms loaded together, permissions, and every change in the history."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from base.errors import ConflictError, LockedError, PermissionDeniedError
from evidence.services import evidence_attach
from indicators.models import HistoryEntry, HistoryKind, PeriodState, Progress, ReportingPeriod
from indicators.periods import periods_ensure
from indicators.plan_draft import (
    DraftActionError,
    DraftIndicator,
    PlanDraft,
    draft_apply,
    plan_draft,
    plan_version,
)
from indicators.plan_sheet import plan_sheet_parse
from indicators.problems import ImportFailed
from indicators.scores import plan_score
from indicators.selectors import plan_sheet_rows
from indicators.services.plan_edit import (
    EDIT_REASON,
    PlanEditFailed,
    plan_edit_refusal,
    plan_edit_save,
)
from indicators.sheets import Sheet
from tests.factories import MembershipFactory, OfficeFactory, UserFactory
from tests.files import pdf_bytes


def user(username: str):
    return get_user_model().objects.get(username=username)


def find(draft: PlanDraft, code: str) -> DraftIndicator:
    for area in draft.areas:
        for activity in area.activities:
            for indicator in activity.indicators:
                if indicator.code == code:
                    return indicator
    raise AssertionError(code)


def save(plan, draft, *, username="mofa.officer", version=None):
    return plan_edit_save(
        plan=plan,
        draft=draft,
        expected_version=plan_version(plan) if version is None else version,
        user=user(username),
    )


# ---------------------------------------------------------------------------------------------------------
# The draft and its buttons


def test_the_saved_plan_comes_back_unchanged_and_saving_it_records_nothing(demo):
    """A draft read from the plan and saved as it is changes nothing: no history entry, the same version."""
    version, entries = plan_version(demo), HistoryEntry.objects.count()
    result = save(demo, plan_draft(demo))
    assert result.indicators == demo.indicators.count() == 12
    assert HistoryEntry.objects.count() == entries
    assert plan_version(demo) == version


def test_buttons_add_move_and_remove_items_with_the_next_codes(demo):
    draft = plan_draft(demo)
    draft_apply(draft, "add-indicator:0.3")
    activity = draft.areas[0].activities[3]
    assert [i.code for i in activity.indicators] == ["[১.৪.১]", "[১.৪.২]", "[১.৪.৩]"]
    assert not activity.indicators[2].saved
    draft_apply(draft, "up:0.3.2")
    assert [i.code for i in activity.indicators] == ["[১.৪.১]", "[১.৪.৩]", "[১.৪.২]"]
    draft_apply(draft, "down:0.3.0")
    assert [i.code for i in activity.indicators] == ["[১.৪.৩]", "[১.৪.১]", "[১.৪.২]"]
    draft_apply(draft, "up:0.3.0")  # the first stays first
    assert activity.indicators[0].code == "[১.৪.৩]"
    draft_apply(draft, "remove:0.3.0")
    assert [i.code for i in activity.indicators] == ["[১.৪.১]", "[১.৪.২]"]
    draft_apply(draft, "add-activity:1")
    assert draft.areas[1].activities[-1].code == "[২.৩]"
    assert [i.code for i in draft.areas[1].activities[-1].indicators] == ["[২.৩.১]"]
    draft_apply(draft, "add-area")
    assert draft.areas[-1].code == "[৩]"
    assert draft.areas[-1].activities[0].indicators[0].code == "[৩.১.১]"


@pytest.mark.parametrize(
    "action", ["remove:9", "up:0.9", "add-indicator:0", "explode:0", "remove:", "down:x"]
)
def test_a_button_that_names_no_item_is_refused(demo, action):
    with pytest.raises(DraftActionError):
        draft_apply(plan_draft(demo), action)


# ---------------------------------------------------------------------------------------------------------
# The same validation as the sheet import

WEIGHT_COLUMN, TARGET_COLUMNS = 8, {100: 12, 90: 13, 80: 14, 70: 15, 60: 16}
CELL_TEXTS = [
    "",
    "--",
    "—",
    "abc",
    "-1",
    "0",
    "৩",
    "3",
    "২.৫",
    "2.5",
    "১২৩৪৫৬৭৮৯০১২৩৪৫৬৭",
    "৫%",
    "10/05/2023",
    "৩১/০৫/২০২৩",
]


def import_messages(plan, code: str, column: int, text: str) -> set[str]:
    """What the sheet import says of the exported plan with one cell of one indicator's row changed."""
    headers, rows = plan_sheet_rows(plan)
    for row in rows:
        if row[5] == code:
            row[column] = text
    try:
        plan_sheet_parse(
            Sheet(headers, [(n + 2, r) for n, r in enumerate(rows)]), fiscal_year=plan.fiscal_year
        )
    except ImportFailed as failed:
        return {p.message_bn for p in failed.problems}
    return set()


def editor_messages(plan, draft) -> set[str]:
    """What the editor says of the draft; a save that succeeds is rolled back."""
    try:
        with transaction.atomic():
            save(plan, draft)
            raise _RollBack
    except PlanEditFailed as failed:
        return {p.message_bn for p in failed.problems}
    except _RollBack:
        return set()


class _RollBack(Exception):
    pass


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    code=st.sampled_from(["[১.৪.২]", "[১.২.২]", "[১.৩.১]"]),
    column=st.sampled_from(["weight", 100, 90, 80, 70, 60]),
    text=st.sampled_from(CELL_TEXTS) | st.decimals(min_value=-5, max_value=100, places=2).map(str),
)
def test_the_editor_refuses_exactly_what_the_import_refuses_with_its_messages(demo, code, column, text):
    """Invariant: a weight or a target typed in the editor gets the sheet import's verdict and messages
    (weights summing to the area's marks, numbers, dates, the order of the five targets, the 100% target)."""
    draft = plan_draft(demo)
    indicator = find(draft, code)
    if column == "weight":
        indicator.weight = text
        index = WEIGHT_COLUMN
    else:
        indicator.targets[column] = text
        index = TARGET_COLUMNS[column]
    assert editor_messages(demo, draft) == import_messages(demo, code, index, text)


@pytest.mark.parametrize(("column", "text"), [("weight", "abc"), ("weight", "৪"), (80, "৪"), (100, "--")])
def test_cells_the_import_refuses_are_refused_by_the_editor_with_the_same_messages(demo, column, text):
    """The invariant above is not met by two empty answers: these cells are refused by both."""
    draft = plan_draft(demo)
    indicator = find(draft, "[১.৪.২]")
    if column == "weight":
        indicator.weight = text
    else:
        indicator.targets[column] = text
    index = WEIGHT_COLUMN if column == "weight" else TARGET_COLUMNS[column]
    expected = import_messages(demo, "[১.৪.২]", index, text)
    assert expected and editor_messages(demo, draft) == expected


def test_weights_must_still_sum_to_the_area_marks_in_the_imports_words(demo):
    draft = plan_draft(demo)
    find(draft, "[১.৪.২]").weight = "৪"
    with pytest.raises(PlanEditFailed) as failed:
        save(demo, draft)
    (problem,) = failed.value.problems
    assert problem.place == (0,) and problem.field == "area_marks"
    assert "যোগফল ৩১" in problem.message_bn and "ক্ষেত্রের মান ৩০" in problem.message_bn
    assert demo.indicators.get(code="1.4.2").weight == Decimal(3)


def test_falling_targets_are_refused_unless_the_indicator_is_lower_is_better(demo):
    draft = plan_draft(demo)
    indicator = find(draft, "[১.৪.২]")
    indicator.targets = {100: "1", 90: "", 80: "2", 70: "3", 60: ""}
    with pytest.raises(PlanEditFailed) as failed:
        save(demo, draft)
    assert {p.place for p in failed.value.problems} == {(0, 3, 1)}
    assert {p.field for p in failed.value.problems} <= {"target_80", "target_70", "direction"}
    indicator.direction = "lower"
    save(demo, draft)
    saved = demo.indicators.get(code="1.4.2")
    assert (saved.direction, saved.target(100), saved.target(70)) == ("lower", Decimal(1), Decimal(3))


def test_a_unit_kind_that_its_label_does_not_read_as_is_refused(demo):
    draft = plan_draft(demo)
    indicator = find(draft, "[১.৪.২]")
    indicator.unit_kind, indicator.unit_label = "percent", "জনঘন্টা"
    with pytest.raises(PlanEditFailed) as failed:
        save(demo, draft)
    (problem,) = failed.value.problems
    assert (problem.place, problem.field) == ((0, 3, 1), "unit")
    assert "জনঘন্টা" in problem.message_bn


def test_an_activity_left_without_indicators_is_refused_not_dropped(demo):
    draft = plan_draft(demo)
    draft.areas[1].activities[0].indicators.clear()
    with pytest.raises(PlanEditFailed) as failed:
        save(demo, draft)
    assert (1, 0) in {p.place for p in failed.value.problems}
    assert demo.activities.filter(code="2.1").exists()


# ---------------------------------------------------------------------------------------------------------
# Saving: adding, changing, moving, removing — and the history


def test_an_added_indicator_with_the_weights_rebalanced_is_saved_and_recorded(demo):
    """Bangla and ASCII digits alike; a label of its own (জনঘন্টা, a number); the history says who and why."""
    draft = plan_draft(demo)
    find(draft, "[১.৪.২]").weight = "2"
    draft_apply(draft, "add-indicator:0.3")
    new = find(draft, "[১.৪.৩]")
    new.title = "প্রশিক্ষণ প্রদান"
    new.unit_kind, new.unit_label, new.weight, new.calc_method = "number", "জনঘন্টা", "১", "sum"
    new.targets = {100: "৪০", 90: "36", 80: "৩২", 70: "", 60: ""}
    new.evaluation, new.evidence_expected = "প্রশিক্ষণের সংখ্যা", "হাজিরা"
    result = save(demo, draft)
    indicator = demo.indicators.get(code="1.4.3")
    assert (indicator.unit, indicator.unit_label, indicator.weight) == ("number", "জনঘন্টা", Decimal(1))
    assert [indicator.target(level) for level in (100, 90, 80)] == [Decimal(40), Decimal(36), Decimal(32)]
    assert (indicator.evaluation, indicator.evidence_expected) == ("প্রশিক্ষণের সংখ্যা", "হাজিরা")
    assert result.indicators == 13
    entries = HistoryEntry.objects.filter(plan=demo, reason=EDIT_REASON)
    assert entries.filter(indicator=indicator, kind=HistoryKind.PLAN, before="").exists()
    weight = entries.get(indicator__code="1.4.2", kind=HistoryKind.TARGETS)
    assert "weight=3" in weight.before and "weight=2" in weight.after
    assert {e.user.username for e in entries} == {"mofa.officer"}
    assert plan_score(demo).total_weight == Decimal(50)


def test_an_indicator_is_removed_with_its_progress_recorded(demo):
    draft = plan_draft(demo)
    find(draft, "[২.২.৪]").weight = "৫"
    draft_apply(draft, "remove:1.1.4")  # [২.২.৫]
    removed = demo.indicators.get(code="2.2.5")
    save(demo, draft)
    assert not demo.indicators.filter(code="2.2.5").exists()
    entry = HistoryEntry.objects.get(plan=demo, indicator_code="2.2.5", kind=HistoryKind.TARGETS)
    assert entry.after == "" and "weight=3" in entry.before and entry.reason.startswith(EDIT_REASON)
    assert not Progress.objects.filter(indicator_id=removed.pk).exists()


def test_an_indicator_with_evidence_cannot_be_removed(demo):
    indicator = demo.indicators.get(code="2.2.5")
    evidence_attach(indicator=indicator, title="নোটিশ", data=pdf_bytes(), original_name="a.pdf", quarter=1)
    draft = plan_draft(demo)
    find(draft, "[২.২.৪]").weight = "৫"
    draft_apply(draft, "remove:1.1.4")
    with pytest.raises(PlanEditFailed) as failed:
        save(demo, draft)
    assert any("প্রমাণক" in p.message_bn for p in failed.value.problems)
    assert demo.indicators.filter(code="2.2.5").exists()
    assert demo.indicators.get(code="2.2.4").weight == Decimal(2)


def test_a_new_indicator_cannot_take_the_code_of_a_removed_one(demo):
    """Else the import, which matches by code, would hand the removed indicator's progress to the new one."""
    draft = plan_draft(demo)
    draft_apply(draft, "remove:1.1.4")  # [২.২.৫], which has progress
    draft_apply(draft, "add-indicator:1.1")
    new = draft.areas[1].activities[1].indicators[-1]
    assert new.code == "[২.২.৫]"
    new.title, new.weight, new.targets[100] = "নতুন সূচক", "৩", "৫"
    with pytest.raises(PlanEditFailed) as failed:
        save(demo, draft)
    (problem,) = failed.value.problems
    assert (problem.place, problem.field) == ((1, 1, 4), "indicator_code")
    new.code = "[২.২.৬]"
    save(demo, draft)
    assert set(demo.indicators.filter(activity__code="2.2").values_list("code", flat=True)) == {
        "2.2.1",
        "2.2.2",
        "2.2.3",
        "2.2.4",
        "2.2.6",
    }
    assert not Progress.objects.filter(indicator__code="2.2.6").exists()


def test_moving_an_area_and_an_activity_changes_their_places(demo):
    draft = plan_draft(demo)
    draft_apply(draft, "up:1")
    draft_apply(draft, "down:1.0")  # area [১] is now second: its [১.১] goes below [১.২]
    save(demo, draft)
    assert list(demo.areas.order_by("position").values_list("code", flat=True)) == ["2", "1"]
    activities = demo.activities.filter(area__code="1").order_by("position").values_list("code", flat=True)
    assert list(activities)[:2] == ["1.2", "1.1"]
    assert HistoryEntry.objects.filter(plan=demo, reason=EDIT_REASON, indicator=None).count() >= 2


def test_moving_an_indicator_changes_its_place_and_is_recorded(demo):
    draft = plan_draft(demo)
    draft_apply(draft, "down:0.3.0")
    save(demo, draft)
    order = list(
        demo.indicators.filter(activity__code="1.4").order_by("position").values_list("code", flat=True)
    )
    assert order == ["1.4.2", "1.4.1"]
    assert HistoryEntry.objects.filter(
        plan=demo, indicator__code="1.4.1", kind=HistoryKind.PLAN, reason=EDIT_REASON
    ).exists()
    assert [i.code for i in plan_draft(demo).areas[0].activities[3].indicators] == ["[১.৪.২]", "[১.৪.১]"]


def test_titles_evaluation_and_expected_evidence_changes_are_recorded(demo):
    draft = plan_draft(demo)
    draft.areas[1].title = "প্রাতিষ্ঠানিক সক্ষমতা বৃদ্ধি"
    find(draft, "[২.১.১]").evaluation = "বাতায়নের হালনাগাদ সংখ্যা গণনা"
    save(demo, draft)
    assert demo.areas.get(code="2").title == "প্রাতিষ্ঠানিক সক্ষমতা বৃদ্ধি"
    area = HistoryEntry.objects.get(plan=demo, kind=HistoryKind.PLAN, after__startswith="[2] প্রাতিষ্ঠানিক সক্ষমতা")
    assert area.reason == EDIT_REASON
    described = HistoryEntry.objects.get(plan=demo, indicator__code="2.1.1", after__contains="বাতায়নের হালনাগাদ")
    assert described.before.startswith("মূল্যায়ন পদ্ধতি: —")


def test_a_new_area_and_activity_are_saved(demo):
    draft = plan_draft(demo)
    draft_apply(draft, "add-area")
    area = draft.areas[-1]
    area.title, area.marks = "উদ্ভাবন", "5"
    activity = area.activities[0]
    activity.title = "উদ্ভাবনী ধারণা"
    indicator = activity.indicators[0]
    indicator.title, indicator.unit_kind, indicator.weight = "ধারণা বাস্তবায়িত", "date", "৫"
    indicator.targets = {100: "৩০/০৩/২০২৩", 90: "15/04/2023", 80: "", 70: "", 60: ""}
    save(demo, draft)
    saved = demo.indicators.get(code="3.1.1")
    assert (saved.unit, saved.calc_method, saved.activity.area.marks) == ("date", "date", Decimal(5))
    assert saved.target(90) == datetime.date(2023, 4, 15)
    assert plan_score(demo).total_weight == Decimal(55)


# ---------------------------------------------------------------------------------------------------------
# Locks, versions, permissions


@pytest.mark.parametrize("state", [PeriodState.SUBMITTED, PeriodState.APPROVED, PeriodState.SENT])
def test_a_plan_with_a_submitted_quarter_is_frozen_with_a_bangla_message(demo, state):
    periods_ensure(demo)
    ReportingPeriod.objects.filter(plan=demo, quarter=1).update(state=state)
    draft = plan_draft(demo)
    find(draft, "[১.৪.২]").title = "নতুন নাম"
    with pytest.raises(LockedError) as locked:
        save(demo, draft)
    assert "কর্মপরিকল্পনা এখন বদলানো যাবে না" in locked.value.message_bn
    assert "১ম ত্রৈমাসিক" in locked.value.message_bn
    assert demo.indicators.get(code="1.4.2").title != "নতুন নাম"
    refusal = plan_edit_refusal(user("mofa.officer"), demo)
    assert isinstance(refusal, LockedError) and "ফেরত" in refusal.message_bn


def test_a_returned_quarter_opens_the_plan_again(demo):
    periods_ensure(demo)
    ReportingPeriod.objects.filter(plan=demo, quarter=1).update(state=PeriodState.RETURNED)
    assert plan_edit_refusal(user("mofa.officer"), demo) is None
    draft = plan_draft(demo)
    find(draft, "[১.৪.২]").title = "নতুন নাম"
    save(demo, draft)
    assert demo.indicators.get(code="1.4.2").title == "নতুন নাম"


def test_of_two_forms_loaded_together_the_second_save_is_refused(demo):
    """Two officers open the editor at once: the first save wins, the second is told and changes nothing."""
    version = plan_version(demo)
    first, second = plan_draft(demo), plan_draft(demo)
    find(first, "[১.৪.২]").title = "প্রথম জনের নাম"
    find(second, "[১.৪.২]").title = "দ্বিতীয় জনের নাম"
    save(demo, first, version=version)
    with pytest.raises(ConflictError) as conflict:
        save(demo, second, username="mofa.cio", version=version)
    assert "এর মধ্যে কর্মপরিকল্পনাটি বদলানো হয়েছে" in conflict.value.message_bn
    assert demo.indicators.get(code="1.4.2").title == "প্রথম জনের নাম"


def test_the_cio_of_the_office_may_edit(demo):
    draft = plan_draft(demo)
    find(draft, "[১.৪.২]").title = "সিআইও-র দেওয়া নাম"
    save(demo, draft, username="mofa.cio")
    assert demo.indicators.get(code="1.4.2").title == "সিআইও-র দেওয়া নাম"


@pytest.mark.parametrize("who", ["msw.officer", "cabinet.reviewer", "other.cio"])
def test_other_offices_people_and_the_reviewer_may_not_edit(demo, who):
    MembershipFactory(user=UserFactory(username="other.cio"), office=OfficeFactory(code="msw"), role="cio")
    draft = plan_draft(demo)
    find(draft, "[১.৪.২]").title = "অন্যের নাম"
    with pytest.raises(PermissionDeniedError):
        save(demo, draft, username=who)
    assert demo.indicators.get(code="1.4.2").title != "অন্যের নাম"
    assert isinstance(plan_edit_refusal(user(who), demo), PermissionDeniedError)
