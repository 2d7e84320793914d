"""The next year's plan (issue 13, DESIGN.md §8 ``copy_plan``): a plan copied to a later year as a draft, a
higher office's template published, a plan started from the parent's template without targets (incomplete:
no marks, no submission), and every refusal leaving the data as it was."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st

from base.errors import DomainError, PermissionDeniedError
from indicators import scoring
from indicators.models import (
    ActionPlan,
    DataSource,
    FiscalYear,
    HistoryEntry,
    Indicator,
    PeriodState,
    PlanOrigin,
    PlanTemplate,
    Progress,
    Role,
)
from indicators.periods import periods_ensure
from indicators.scores import plan_score
from indicators.services.next_year import (
    _shift_date,
    plan_copy,
    plan_start_from_template,
    template_publish,
)
from indicators.services.progress import indicator_set_applicability
from indicators.services.structure import IndicatorChanges, indicator_update
from tests.factories import (
    ActivityFactory,
    AreaFactory,
    DateIndicatorFactory,
    IndicatorFactory,
    MembershipFactory,
    OfficeFactory,
    PlanFactory,
    ProgressFactory,
)
from workflow.transitions import period_transition

COPIED_FIELDS = (
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
    "target_100_number",
    "target_90_number",
    "target_80_number",
    "target_70_number",
    "target_60_number",
)


def _run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _plan_snapshot(plan: ActionPlan) -> list[tuple]:
    """Everything of a plan a failed command must leave as it was."""
    plan.refresh_from_db()
    rows = [(plan.origin, plan.origin_plan_id, plan.updated_at)]
    rows += list(plan.areas.order_by("code").values_list("code", "title", "marks"))
    rows += list(plan.indicators.order_by("code").values_list(*COPIED_FIELDS, "applicable"))
    rows += list(
        Progress.objects.filter(indicator__plan=plan).order_by("pk").values_list("pk", "value_number")
    )
    return rows


@pytest.fixture
def rich_plan(db) -> ActionPlan:
    """A 2022-23 plan with scale units, methods, direction, evaluation texts, progress and a not-applicable
    indicator."""
    office = OfficeFactory(code="rich")
    plan = PlanFactory(office=office)
    area = AreaFactory(plan=plan, code="এম.1", marks=Decimal(20))
    activity = ActivityFactory(area=area, code="এম.1.1")
    IndicatorFactory(
        activity=activity,
        code="এম.1.1.1",
        unit_label="কোটি টাকা",
        scoring_method="proportional",
        direction="lower",
        target_100_number=Decimal(6),
        target_90_number=Decimal(7),
        target_80_number=Decimal(8),
        target_70_number=Decimal(9),
        target_60_number=Decimal(10),
        evaluation="অর্থ বিভাগের প্রতিবেদন অনুযায়ী",
        evidence_expected="প্রতিবেদনের কপি",
        data_source=DataSource.MEETINGS_HELD,
        position=0,
    )
    dated = DateIndicatorFactory(activity=activity, code="এম.1.1.2", position=1, unit_label="তারিখ")
    ProgressFactory(indicator=plan.indicators.get(code="এম.1.1.1"), quarter=1, value_number=Decimal(5))
    indicator_set_applicability(indicator=dated, applicable=False, reason="এ বছর নেই", user=None)
    return plan


def test_copy_plan_copies_structure_weights_targets_and_texts_as_a_draft(rich_plan):
    """Every setting that decides the marks and every word of the plan is copied; progress, applicability and
    states are not; the new plan says where it came from and has it in its history."""
    out, _err = _run("copy_plan", "--office", "rich", "--from-year", "2022-23", "--to-year", "2023-24")
    assert "2023-24" in out
    new = ActionPlan.objects.get(office__code="rich", fiscal_year__start_year=2023)
    assert new.origin == PlanOrigin.COPY and new.origin_plan == rich_plan
    assert list(new.areas.values_list("code", "title", "marks")) == list(
        rich_plan.areas.values_list("code", "title", "marks")
    )
    assert list(new.activities.values_list("code", "title", "area__code")) == list(
        rich_plan.activities.values_list("code", "title", "area__code")
    )
    assert list(new.indicators.order_by("position").values_list(*COPIED_FIELDS)) == list(
        rich_plan.indicators.order_by("position").values_list(*COPIED_FIELDS)
    )
    # Not copied: progress, evidence, applicability, states.
    assert not Progress.objects.filter(indicator__plan=new).exists()
    assert new.indicators.filter(applicable=False).count() == 0
    assert {p.state for p in periods_ensure(new)} == {PeriodState.DRAFT}
    assert HistoryEntry.objects.filter(plan=new, indicator__isnull=False).count() == 2
    assert HistoryEntry.objects.filter(plan=new, indicator__isnull=True, reason__contains="2022-23").exists()


def test_copy_plan_moves_date_targets_into_the_new_year(rich_plan):
    """A date target of 2022-23 becomes the same day of 2023-24 (it would be outside the year otherwise)."""
    _run("copy_plan", "--office", "rich", "--from-year", "2022-23", "--to-year", "2023-24")
    copied = Indicator.objects.get(plan__fiscal_year__start_year=2023, code="এম.1.1.2")
    assert copied.target(100) == datetime.date(2024, 5, 10)
    assert copied.target(70) == datetime.date(2024, 5, 31)
    assert copied.target(60) is None


def test_copied_plan_scores_like_the_source_from_its_own_progress(demo):
    """The copy of the demo plan has the same total weight and starts at zero marks (no progress)."""
    _run("copy_plan", "--office", "mofa", "--from-year", "2022-23", "--to-year", "2023-24")
    new = ActionPlan.objects.get(office__code="mofa", fiscal_year__start_year=2023)
    before, after = plan_score(demo), plan_score(new)
    assert after.total_weight == before.total_weight == Decimal(50)
    assert after.achieved_marks == 0 and after.is_complete
    assert [i.code for i in after.indicators] == [i.code for i in before.indicators]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from-year", "2022-23", "--to-year", "2023-24"), "আগেই আছে"),
        (("--from-year", "2022-23", "--to-year", "2022-23"), "পরে হতে হবে"),
        (("--from-year", "2022-23", "--to-year", "2021-22"), "পরে হতে হবে"),
        (("--from-year", "2019-20", "--to-year", "2030-31"), "কোনো কর্মপরিকল্পনা নেই"),
        (("--from-year", "2022-23", "--to-year", "২০৩০-৩২"), ""),
    ],
)
def test_copy_plan_refusals_are_in_bangla_and_write_nothing(demo, args, message):
    """A refused copy exits non-zero with a Bangla message and changes nothing: not the plans, not the years."""
    _run("copy_plan", "--office", "mofa", "--from-year", "2022-23", "--to-year", "2023-24")
    target = ActionPlan.objects.get(office__code="mofa", fiscal_year__start_year=2023)
    before = (
        _plan_snapshot(demo),
        _plan_snapshot(target),
        ActionPlan.objects.count(),
        FiscalYear.objects.count(),
    )
    with pytest.raises(CommandError) as error:
        _run("copy_plan", "--office", "mofa", *args)
    assert message in str(error.value)
    assert any("\u0980" <= ch <= "\u09ff" for ch in str(error.value))  # Bangla
    after = (
        _plan_snapshot(demo),
        _plan_snapshot(target),
        ActionPlan.objects.count(),
        FiscalYear.objects.count(),
    )
    assert after == before


def test_copy_plan_of_an_unknown_office_exits_with_status_1(db):
    """The command's error is a CommandError with exit status 1 (Django prints it to stderr and exits)."""
    with pytest.raises(CommandError) as error:
        _run("copy_plan", "--office", "nope", "--from-year", "2022-23", "--to-year", "2023-24")
    assert error.value.returncode == 1
    assert "'nope' দপ্তরের 2022-23 অর্থবছরের কোনো কর্মপরিকল্পনা নেই" in str(error.value)
    assert not FiscalYear.objects.filter(start_year=2023).exists()


def test_copy_is_refused_to_someone_of_another_office(rich_plan):
    """The service asks who copies: an officer of another office may not, and nothing is created."""
    stranger = MembershipFactory(office=OfficeFactory(code="other"), role=Role.OFFICER).user
    to_year = FiscalYear.objects.get_or_create(start_year=2023)[0]
    with pytest.raises(PermissionDeniedError):
        plan_copy(source=rich_plan, to_year=to_year, user=stranger)
    officer = MembershipFactory(office=rich_plan.office, role=Role.OFFICER).user
    assert plan_copy(source=rich_plan, to_year=to_year, user=officer).origin_plan == rich_plan
    assert ActionPlan.objects.filter(office=rich_plan.office).count() == 2


@given(
    start=st.integers(min_value=2000, max_value=2100),
    offset=st.integers(min_value=0, max_value=365),
    years=st.integers(min_value=1, max_value=10),
)
def test_a_shifted_date_target_stays_in_its_fiscal_year(start, offset, years):
    """Any day of fiscal year S, moved by N years, is a day of fiscal year S+N (29 February included)."""
    day = datetime.date(start, 7, 1) + datetime.timedelta(days=offset)
    if day > datetime.date(start + 1, 6, 30):
        return
    moved = _shift_date(day, years)
    assert datetime.date(start + years, 7, 1) <= moved <= datetime.date(start + years + 1, 6, 30)
    assert (moved.month, moved.day) == (day.month, day.day) or (day.month, day.day) == (2, 29)


# ---------------------------------------------------------------------------------------------------------
# Templates


@pytest.fixture
def template(demo) -> PlanTemplate:
    """The Cabinet Division's 2023-24 template, the structure of the demo plan."""
    return template_publish(
        office=demo.office.parent,
        fiscal_year=FiscalYear.objects.get_or_create(start_year=2023)[0],
        source=demo,
        user=None,
    )


def test_a_template_keeps_structure_weights_and_methods_without_targets(template, demo):
    areas = template.structure["areas"]
    assert [a["code"] for a in areas] == ["1", "2"]
    assert sum(Decimal(a["marks"]) for a in areas) == Decimal(50)
    indicators = [i for a in areas for act in a["activities"] for i in act["indicators"]]
    assert len(indicators) == template.indicator_count == 12
    assert all("target_100_number" not in i and "weight" in i and "calc_method" in i for i in indicators)


def test_a_plan_from_the_template_keeps_the_bindings_and_an_older_template_reads_without_them(template, demo):
    """An indicator bound to a record (issue 16.4) is bound in the plan started from the template too; a
    template published before bindings existed has no key for them and starts unbound, not with an error."""
    meetings = demo.indicators.order_by("position").first()
    template.structure["areas"][0]["activities"][0]["indicators"][0]["data_source"] = DataSource.MEETINGS_HELD
    template.save()
    officer = get_user_model().objects.get(username="mofa.officer")
    plan = plan_start_from_template(office=demo.office, fiscal_year=template.fiscal_year, user=officer)
    assert plan.indicators.get(code=meetings.code).data_source == DataSource.MEETINGS_HELD
    assert plan.indicators.exclude(code=meetings.code).filter(data_source="").count() == 11

    for area in template.structure["areas"]:
        for activity in area["activities"]:
            for item in activity["indicators"]:
                item.pop("data_source")
    template.save()
    sibling = OfficeFactory(code="sibling", parent=demo.office.parent)
    again = plan_start_from_template(office=sibling, fiscal_year=template.fiscal_year, user=None)
    assert set(again.indicators.values_list("data_source", flat=True)) == {""}


def test_a_template_is_published_once(template, demo):
    with pytest.raises(DomainError, match="আগেই প্রকাশ"):
        template_publish(office=template.office, fiscal_year=template.fiscal_year, source=demo, user=None)
    assert PlanTemplate.objects.count() == 1


def test_publishing_needs_a_role_in_the_publishing_office(demo):
    officer = get_user_model().objects.get(username="mofa.officer")
    year = FiscalYear.objects.get_or_create(start_year=2023)[0]
    with pytest.raises(PermissionDeniedError):
        template_publish(office=demo.office.parent, fiscal_year=year, source=demo, user=officer)
    reviewer = get_user_model().objects.get(username="cabinet.reviewer")
    assert template_publish(office=demo.office.parent, fiscal_year=year, source=demo, user=reviewer).pk


def test_a_plan_from_the_template_has_no_targets_and_is_visibly_incomplete(template, demo):
    """Started from the parent's template: the structure and weights, no targets; no indicator scores and the
    plan lists every indicator as missing its targets (not a silent zero)."""
    officer = get_user_model().objects.get(username="mofa.officer")
    plan = plan_start_from_template(office=demo.office, fiscal_year=template.fiscal_year, user=officer)
    assert plan.origin == PlanOrigin.TEMPLATE and plan.origin_template == template
    assert plan.indicators.count() == 12 and not plan.indicators.exclude(target_100_number=None).exists()
    assert list(plan.indicators.order_by("position").values_list("code", "weight")) == list(
        demo.indicators.order_by("position").values_list("code", "weight")
    )
    score = plan_score(plan)
    assert not score.is_complete and len(score.missing_targets) == 12
    assert all(i.raw_score is None and i.achieved_marks is None for i in score.indicators)
    assert score.applicable_weight == Decimal(50)  # a blank target never raises the percent


def test_a_plan_without_targets_cannot_be_submitted_until_they_are_written(template, demo):
    """Submission is refused with the codes that lack targets; once every target is written it goes through."""
    officer = get_user_model().objects.get(username="mofa.officer")
    plan = plan_start_from_template(office=demo.office, fiscal_year=template.fiscal_year, user=officer)
    period = periods_ensure(plan)[0]
    with pytest.raises(DomainError, match="লক্ষ্যমাত্রা লেখা হয়নি"):
        period_transition(period=period, action="submit", user=officer, expected_version=0)
    period.refresh_from_db()
    assert period.state == PeriodState.DRAFT
    for indicator in plan.indicators.order_by("position"):
        value = datetime.date(2024, 5, 10) if indicator.unit == "date" else Decimal(10)
        indicator_update(
            indicator=indicator,
            changes=IndicatorChanges(
                title=indicator.title,
                position=indicator.position,
                calc_method=indicator.calc_method,
                scoring_method=indicator.scoring_method,
                direction=indicator.direction,
                targets={100: value},
                evaluation="",
                evidence_expected="",
            ),
            user=officer,
        )
    assert plan_score(plan).is_complete
    period_transition(period=period, action="submit", user=officer, expected_version=0)
    period.refresh_from_db()
    assert period.state == PeriodState.SUBMITTED


def test_starting_from_a_template_is_refused_without_one_or_over_a_plan(template, demo):
    officer = get_user_model().objects.get(username="mofa.officer")
    with pytest.raises(DomainError, match="কোনো টেমপ্লেট"):
        plan_start_from_template(
            office=demo.office, fiscal_year=FiscalYear.objects.create(start_year=2024), user=officer
        )
    template_publish(office=template.office, fiscal_year=demo.fiscal_year, source=demo, user=None)
    with pytest.raises(DomainError, match="আগেই আছে"):
        plan_start_from_template(office=demo.office, fiscal_year=demo.fiscal_year, user=officer)
    stranger = get_user_model().objects.get(username="msw.officer")
    with pytest.raises(PermissionDeniedError):
        plan_start_from_template(office=demo.office, fiscal_year=template.fiscal_year, user=stranger)
    assert ActionPlan.objects.filter(office=demo.office).count() == 1


def test_publish_template_command(demo):
    out, _err = _run(
        "publish_template",
        "--office",
        "cabinet",
        "--year",
        "2023-24",
        "--from-office",
        "mofa",
        "--from-year",
        "2022-23",
    )
    assert "12" in out and PlanTemplate.objects.get().office.code == "cabinet"
    with pytest.raises(CommandError, match="আগেই প্রকাশ"):
        _run(
            "publish_template",
            "--office",
            "cabinet",
            "--year",
            "2023-24",
            "--from-office",
            "mofa",
            "--from-year",
            "2022-23",
        )


def test_score_plan_leaves_indicators_without_targets_out_of_the_marks():
    """Pure scoring: an indicator without a 100% target gets no raw score and no marks, its weight stays
    applicable, and the plan names it as missing its targets."""
    with_targets = scoring.IndicatorInput(
        code="1.1.1",
        area_code="1",
        unit=scoring.Unit.NUMBER,
        weight=Decimal(10),
        calc_method=scoring.CalcMethod.SUM,
        scoring_method=scoring.ScoringMethod.INTERPOLATE,
        direction=scoring.Direction.HIGHER,
        targets=scoring.Targets(Decimal(4)),
        quarterly={1: Decimal(4)},
    )
    without = scoring.IndicatorInput(
        **{**with_targets.__dict__, "code": "1.1.2", "targets": scoring.Targets(None)}
    )
    result = scoring.score_plan([scoring.AreaInput("1", Decimal(20))], [with_targets, without])
    assert result.missing_targets == ("1.1.2",)
    assert result.achieved_marks == Decimal(10) and result.applicable_weight == Decimal(20)
    assert result.indicators[1].raw_score is None and result.indicators[1].achieved_marks is None


@given(
    weights=st.lists(st.integers(min_value=1, max_value=20), min_size=1, max_size=5),
    achieved=st.lists(st.integers(min_value=0, max_value=15), min_size=5, max_size=5),
    blank_weight=st.integers(min_value=1, max_value=20),
)
def test_a_blank_target_never_raises_the_plan_score(weights, achieved, blank_weight):
    """Whatever the plan, adding an indicator whose targets are not written leaves the achieved marks as they
    were, never raises the percent, and names the indicator as missing its targets."""

    def number(code: str, weight: int, value: int, targets: scoring.Targets) -> scoring.IndicatorInput:
        return scoring.IndicatorInput(
            code=code,
            area_code="1",
            unit=scoring.Unit.NUMBER,
            weight=Decimal(weight),
            calc_method=scoring.CalcMethod.SUM,
            scoring_method=scoring.ScoringMethod.INTERPOLATE,
            direction=scoring.Direction.HIGHER,
            targets=targets,
            quarterly={1: Decimal(value)},
        )

    full = [number(f"1.1.{n}", w, achieved[n], scoring.Targets(Decimal(10))) for n, w in enumerate(weights)]
    blank = number("1.2.1", blank_weight, 10, scoring.Targets(None))
    total = Decimal(sum(weights) + blank_weight)
    before = scoring.score_plan([scoring.AreaInput("1", total)], full)
    after = scoring.score_plan([scoring.AreaInput("1", total)], [*full, blank])
    assert after.achieved_marks == before.achieved_marks
    assert after.percent <= before.percent
    assert after.missing_targets == ("1.2.1",) and before.is_complete
