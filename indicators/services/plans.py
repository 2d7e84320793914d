"""A plan created or replaced from a plan sheet (``plan_import``; the sheet read by ``indicators.plan_sheet``):
all-or-nothing, indicators matched by code so that kept indicators keep their progress, refused while any
quarter is submitted (the plan decides every quarter's marks), every change in the history.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from base.bangla import format_code
from base.errors import DomainError
from indicators import scoring
from indicators.history import history_record, history_text
from indicators.models import (
    EDITABLE_STATES,
    ActionPlan,
    Activity,
    FiscalYear,
    HistoryKind,
    Indicator,
    Office,
    PerformanceArea,
    PlanOrigin,
)
from indicators.parsing import plain_number
from indicators.periods import (
    periods_ensure,
    periods_lock,
    quarter_locked_message,
)
from indicators.plan_sheet import ParsedPlan, plan_sheet_parse
from indicators.problems import ImportFailed, ImportProblem
from indicators.services.offices import fiscal_year_get_or_create
from indicators.services.sources import source_fits_unit, source_unit_check
from indicators.sheets import Sheet, read_sheet_bytes


@dataclass(frozen=True)
class PlanImportResult:
    plan: ActionPlan
    created: bool
    areas: int
    activities: int
    indicators: int
    removed_indicators: int
    warnings: list[ImportProblem]
    # How each row was read (the preview, ``indicators.plan_preview``), and what reading the layout did.
    parsed: ParsedPlan | None = None
    notices: list[ImportProblem] = field(default_factory=list)


class _PreviewDone(Exception):
    """Leaves the preview's transaction, rolling back what the import wrote, with what it would have done."""

    def __init__(self, result: PlanImportResult):
        super().__init__("preview")
        self.result = result


def plan_import_document(
    *,
    office: Office,
    year_code: str,
    data: bytes,
    name: str = "",
    replace: bool = False,
    user: AbstractBaseUser | None = None,
    preview: bool = False,
) -> PlanImportResult:
    """A plan document as uploaded (CSV, XLSX or Word; our sheet or the Cabinet Division's table) imported into
    an office's plan for a year. With ``preview`` everything is checked and done as the import does it, and
    then rolled back: the result says how each row was read and what the import would do, and nothing is
    written (issue 13: every import shows its preview and writes only on confirmation)."""
    try:
        with transaction.atomic():
            sheet = read_sheet_bytes(data, name=name)
            fiscal_year = fiscal_year_get_or_create(code=year_code)
            result = plan_import(
                office=office, fiscal_year=fiscal_year, sheet=sheet, replace=replace, user=user
            )
            if preview:
                raise _PreviewDone(result)
    except _PreviewDone as done:
        return done.result
    return result


@transaction.atomic
def plan_import(
    *,
    office: Office,
    fiscal_year: FiscalYear,
    sheet: Sheet,
    replace: bool = False,
    user: AbstractBaseUser | None = None,
    reason: str = "কর্মপরিকল্পনা আমদানি / plan import",
    targets_optional: bool = False,
) -> PlanImportResult:
    """Create an office's plan for a year from a plan sheet, or with ``replace`` bring an existing one
    in line with the sheet: indicators are matched by code, so progress of kept indicators stays.
    ``reason`` is what the history says of the changes (the browser's editor says it edited the plan)."""
    # NO KEY UPDATE: two imports of one plan still wait for each other, but a progress save that inserts a
    # history row (whose foreign key takes KEY SHARE on the plan) does not deadlock with this import. The
    # plan's row only (of=self): the default ordering joins the office and the fiscal year, whose rows a lock
    # over the join would hold too, so that imports of other offices' plans for that year would wait.
    plan = (
        ActionPlan.objects.select_for_update(no_key=True, of=("self",))
        .filter(office=office, fiscal_year=fiscal_year)
        .first()
    )
    if plan is not None and not replace:
        raise DomainError(
            f"{office.name_bn}-এর {fiscal_year} অর্থবছরের কর্মপরিকল্পনা আগেই আছে; বদলাতে চাইলে --replace দিন।",
            f"A plan for {office.code} {fiscal_year.code} already exists; use --replace to replace it.",
        )
    parsed = plan_sheet_parse(sheet, fiscal_year=fiscal_year, targets_optional=targets_optional)

    created = plan is None
    if plan is None:
        plan = ActionPlan(office=office, fiscal_year=fiscal_year, origin=PlanOrigin.IMPORT)
        plan.full_clean()
        plan.save()
    removed = _plan_check_replace(plan, parsed)

    # Every change to a plan that existed is in the history (DESIGN.md §4): what each area, activity and
    # indicator was and became.
    lines_before = {} if created else _structure_lines(plan)
    areas = {a.code: a for a in plan.areas.all()}
    for position, parsed_area in enumerate(parsed.areas):
        area = areas.get(parsed_area.code) or PerformanceArea(plan=plan, code=parsed_area.code)
        area.title, area.marks, area.position = parsed_area.title, parsed_area.marks, position
        area.full_clean(validate_constraints=False)
        area.save()
        areas[area.code] = area

    activities = {a.code: a for a in plan.activities.all()}
    for position, parsed_activity in enumerate(parsed.activities):
        activity = activities.get(parsed_activity.code) or Activity(plan=plan, code=parsed_activity.code)
        activity.area = areas[parsed_activity.area_code]
        activity.title, activity.position = parsed_activity.title, position
        activity.full_clean(validate_constraints=False)
        activity.save()
        activities[activity.code] = activity

    indicators = {i.code: i for i in plan.indicators.all()}
    settings_before = {code: indicator_settings(i) for code, i in indicators.items()}
    for position, parsed_indicator in enumerate(parsed.indicators):
        indicator = indicators.get(parsed_indicator.code) or Indicator(plan=plan, code=parsed_indicator.code)
        indicator.activity = activities[parsed_indicator.activity_code]
        indicator.title = parsed_indicator.title
        indicator.unit = parsed_indicator.unit.value
        indicator.unit_label = parsed_indicator.unit_label
        indicator.evaluation = parsed_indicator.evaluation
        indicator.evidence_expected = parsed_indicator.evidence_expected
        indicator.weight = parsed_indicator.weight
        indicator.calc_method = parsed_indicator.calc_method.value
        indicator.scoring_method = parsed_indicator.scoring_method.value
        indicator.direction = parsed_indicator.direction.value
        for level, value in parsed_indicator.targets.items():
            indicator.set_target(level, value)
        indicator.position = position
        indicator.full_clean(validate_constraints=False)
        indicator.save()
        if indicator.code in settings_before:
            history_indicator_settings(
                indicator, before=settings_before[indicator.code], user=user, reason=reason
            )

    # Constraints were checked by the parser; the database enforces them once more on save.
    keep_indicators = {i.code for i in parsed.indicators}
    keep_activities = {a.code for a in parsed.activities}
    keep_areas = {a.code for a in parsed.areas}
    removed_indicators = plan.indicators.exclude(code__in=keep_indicators).prefetch_related("progress")
    # The removal is itself history: what the indicator was, and every value that goes with it.
    removed_reason = f"{reason}: সূচক বাদ / indicator removed"
    for indicator in removed_indicators:
        history_record(
            plan=plan,
            kind=HistoryKind.TARGETS,
            before=indicator_settings(indicator),
            after="",
            user=user,
            indicator=indicator,
            reason=removed_reason,
        )
        for progress in indicator.progress.all():
            if progress.value is not None or progress.remark:
                history_record(
                    plan=plan,
                    kind=HistoryKind.VALUE,
                    before=f"{history_text(progress.value)} {progress.remark}".strip(),
                    after="",
                    user=user,
                    indicator=indicator,
                    quarter=progress.quarter,
                    reason=removed_reason,
                )
    removed_indicators.delete()
    plan.activities.exclude(code__in=keep_activities).delete()
    plan.areas.exclude(code__in=keep_areas).delete()
    plan.save(update_fields=["updated_at"])
    if not created:  # a new plan has no history yet: an import to the wrong office can still be deleted
        lines_after = _structure_lines(plan)
        by_code = {i.code: i for i in plan.indicators.all()}
        for key in sorted(lines_before.keys() | lines_after.keys()):
            old_line, new_line = lines_before.get(key, ""), lines_after.get(key, "")
            if old_line != new_line:
                history_record(
                    plan=plan,
                    kind=HistoryKind.PLAN,
                    before=old_line,
                    after=new_line,
                    user=user,
                    indicator=by_code.get(key[1]) if key[0] == "indicator" else None,
                    reason=reason,
                )
    periods_ensure(plan)
    return PlanImportResult(
        plan=plan,
        created=created,
        areas=len(parsed.areas),
        activities=len(parsed.activities),
        indicators=len(parsed.indicators),
        removed_indicators=removed,
        warnings=parsed.warnings,
        parsed=parsed,
        notices=parsed.notices,
    )


def _structure_lines(plan: ActionPlan) -> dict[tuple[str, str], str]:
    """Each area, activity and indicator of the plan as one line for the history: where it sits and its
    title (an indicator's marks settings are recorded apart, ``indicator_settings``)."""
    lines = {}
    for area in plan.areas.all():
        lines[("area", area.code)] = (
            f"[{area.code}] {area.title} (মান {plain_number(area.marks)}) #{area.position}"
        )
    for activity in plan.activities.select_related("area"):
        lines[("activity", activity.code)] = f"[{activity.code}] {activity.title} #{activity.position}"
    for indicator in plan.indicators.all():
        lines[("indicator", indicator.code)] = (
            f"[{indicator.code}] {indicator.title} ({indicator.unit_text}) #{indicator.position}"
        )
    return lines


def indicator_settings(indicator: Indicator) -> str:
    """Everything that decides an indicator's marks, as one line for the history."""
    targets = "/".join(history_text(indicator.target(level)) or "--" for level in scoring.LEVEL_PERCENTS)
    return (
        f"unit={indicator.unit}; weight={history_text(indicator.weight)}; calc={indicator.calc_method}; "
        f"scoring={indicator.scoring_method}; direction={indicator.direction}; targets={targets}"
    )


def history_indicator_settings(indicator: Indicator, *, before: str, user, reason: str) -> None:
    """Record a change of what decides an indicator's marks (``indicator_settings`` before and after)."""
    after = indicator_settings(indicator)
    if after != before:
        history_record(
            plan=indicator.plan,
            kind=HistoryKind.TARGETS,
            before=before,
            after=after,
            user=user,
            indicator=indicator,
            reason=reason,
        )


def _plan_check_replace(plan: ActionPlan, parsed: ParsedPlan) -> int:
    """Refuse a replacement that would lose evidence or make kept progress meaningless."""
    if plan.pk is None:
        return 0
    # Locked in quarter order until the import commits, so no quarter is submitted in between.
    locked = next((p for p in periods_lock(plan) if p.state not in EDITABLE_STATES), None)
    if locked is not None:
        # Targets decide the marks of submitted and approved periods: they are locked with them.
        bn, en = quarter_locked_message(locked.quarter, locked.state)
        raise DomainError(f"কর্মপরিকল্পনা বদলানো যাবে না: {bn}", f"The plan cannot be replaced: {en}")
    new_units = {i.code: i.unit.value for i in parsed.indicators}
    problems: list[ImportProblem] = []
    removed = 0
    for indicator in plan.indicators.all():
        if indicator.code not in new_units:
            removed += 1
            if indicator.evidence.exists():
                problems.append(
                    ImportProblem(
                        None,
                        None,
                        format_code(indicator.code),
                        f"সূচক {format_code(indicator.code)} নতুন ফাইলে নেই, কিন্তু এর প্রমাণক আছে; আগে প্রমাণক সরান।",
                        f"Indicator {indicator.code} is missing from the new sheet but has evidence; "
                        "remove the evidence first.",
                    )
                )
        elif not source_fits_unit(indicator.data_source, new_units[indicator.code]):
            try:
                source_unit_check(
                    source=indicator.data_source, unit=new_units[indicator.code], code=indicator.code
                )
            except DomainError as error:
                problems.append(
                    ImportProblem(None, None, format_code(indicator.code), error.message_bn, error.message_en)
                )
        elif new_units[indicator.code] != indicator.unit and indicator.progress.exists():
            problems.append(
                ImportProblem(
                    None,
                    None,
                    format_code(indicator.code),
                    f"সূচক {format_code(indicator.code)}-এর একক বদলেছে, কিন্তু এর অগ্রগতি লেখা আছে; "
                    "আগে অগ্রগতি মুছুন।",
                    f"The unit of indicator {indicator.code} changed but progress exists; "
                    "delete the progress first.",
                )
            )
    if problems:
        raise ImportFailed(problems)
    return removed
