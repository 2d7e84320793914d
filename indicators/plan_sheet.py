"""A plan sheet read and checked completely (DESIGN.md §7): areas, activities and indicators with their weights,
methods and targets, every problem listed with its row; warnings for plausible mistakes. Nothing is written
here: ``indicators.services.plans`` writes what this reads.
"""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from base.bangla import format_code, to_bangla_digits
from indicators import parsing, scoring
from indicators.models import (
    Activity,
    FiscalYear,
    Indicator,
    PerformanceArea,
)
from indicators.parsing import plain_number
from indicators.plan_layouts import plan_layout_read
from indicators.problems import (
    ImportProblem,
    Problems,
    check_column_fits,
    model_field,
    sheet_rows,
)
from indicators.selectors import CALC_WORDS, SCORING_WORDS
from indicators.sheets import Sheet

#: The calculation method a unit implies when the sheet has none (DESIGN.md §7).
DEFAULT_CALC_METHODS = {
    scoring.Unit.DATE: scoring.CalcMethod.DATE,
    scoring.Unit.PERCENT: scoring.CalcMethod.AVERAGE,
    scoring.Unit.NUMBER: scoring.CalcMethod.SUM,
}


#: The optional columns as our sheet names them, for a warning about a column the document does not have.
OPTIONAL_COLUMN_LABELS = {"calc_method": "গণনা পদ্ধতি", "scoring": "নম্বর পদ্ধতি", "direction": "দিক"}


@dataclass
class ParsedArea:
    code: str
    title: str
    marks: Decimal
    row: int
    raw_marks: str


@dataclass
class ParsedActivity:
    code: str
    title: str
    area_code: str
    row: int


@dataclass
class ParsedIndicator:
    code: str
    title: str
    activity_code: str
    area_code: str
    unit: scoring.Unit
    unit_label: str
    weight: Decimal
    calc_method: scoring.CalcMethod
    scoring_method: scoring.ScoringMethod
    direction: scoring.Direction
    targets: dict[int, Decimal | datetime.date | None]
    row: int
    evaluation: str = ""
    evidence_expected: str = ""
    # Read from the unit (no method column) or from the targets (no direction written): the preview says so.
    calc_from_unit: bool = False
    direction_from_targets: bool = False


@dataclass
class ParsedPlan:
    areas: list[ParsedArea]
    activities: list[ParsedActivity]
    indicators: list[ParsedIndicator]
    warnings: list[ImportProblem] = field(default_factory=list)
    # What reading the document's layout did (``indicators.plan_layouts``), and which layout and file it was.
    notices: list[ImportProblem] = field(default_factory=list)
    layout: str = ""
    source: str = ""


def plan_sheet_parse(
    sheet: Sheet, *, fiscal_year: FiscalYear | None = None, targets_optional: bool = False
) -> ParsedPlan:
    """Parse and check a plan sheet completely, in our format or as the offices keep it
    (``indicators.plan_layouts``); raise ImportFailed listing every problem.

    ``targets_optional``: an indicator whose five targets are all blank is taken as not yet given (a plan
    started from its higher office's template is filled in the browser's editor one indicator at a time;
    such an indicator gets no marks and keeps the plan's quarters from being submitted). A sheet import
    requires them."""
    sheet = plan_layout_read(sheet)
    data = sheet_rows("plan", sheet)
    # A column the sheet does not have (the cabinet table has no method column) is named as our sheet names it.
    problems = Problems({**OPTIONAL_COLUMN_LABELS, **data.column_names})
    notices = [ImportProblem(n.row, None, "", n.message_bn, n.message_en) for n in sheet.notices]
    if sheet.target_year and fiscal_year is not None:
        _check_target_year(problems, sheet, fiscal_year)
    areas: dict[str, ParsedArea] = {}
    activities: dict[str, ParsedActivity] = {}
    indicators: dict[str, ParsedIndicator] = {}

    # Weights are summed from every row whose weight could be read, even if the row has other problems,
    # so that the sum reported is the one the user sees in the sheet.
    weight_sums: dict[str, Decimal] = defaultdict(Decimal)
    for number, cells in data.rows:
        area = _parse_area(problems, number, cells, areas)
        activity = _parse_activity(problems, number, cells, activities, area)
        indicator = _parse_indicator(
            problems, number, cells, indicators, activity, fiscal_year, targets_optional=targets_optional
        )
        if indicator is not None:
            indicators[indicator.code] = indicator
        if area is not None:
            try:
                weight_sums[area.code] += parsing.parse_weight(cells.get("weight", ""))
            except parsing.CellError:
                pass  # reported by _parse_indicator

    if not data.rows:
        problems.add(None, None, "", "ফাইলে কোনো সূচক নেই।", "The sheet has no indicator rows.")

    # DESIGN.md §2: the indicator weights of an area sum to the area's marks.
    for area in areas.values():
        total = weight_sums.get(area.code, Decimal(0))
        if total != area.marks:
            problems.add(
                area.row,
                "area_marks",
                area.raw_marks,
                f"ক্ষেত্র {format_code(area.code)}-এর সূচকগুলোর মানের যোগফল {to_bangla_digits(plain_number(total))}, "
                f"কিন্তু ক্ষেত্রের মান {to_bangla_digits(plain_number(area.marks))}; দুটি সমান হতে হবে।",
                f"The indicator weights of area {area.code} add up to {plain_number(total)}, "
                f"but the area's marks are {plain_number(area.marks)}; they must be equal.",
            )
    problems.raise_if_any()
    return ParsedPlan(
        areas=list(areas.values()),
        activities=list(activities.values()),
        indicators=list(indicators.values()),
        warnings=sorted(problems.warnings, key=lambda p: p.row or 0),
        notices=notices,
        layout=sheet.layout,
        source=sheet.source,
    )


def _check_target_year(problems: Problems, sheet: Sheet, fiscal_year: FiscalYear) -> None:
    """The table's target header names a year (``লক্ষ্যমাত্রা ২০২১-২২``): a plan imported for another year is
    probably last year's table."""
    try:
        start, _end = parsing.parse_fiscal_year(sheet.target_year)
    except parsing.CellError:
        return
    if start != fiscal_year.start_year:
        problems.warn(
            sheet.header_row,
            None,
            sheet.target_year,
            f"ছকের লক্ষ্যমাত্রা {to_bangla_digits(sheet.target_year)} অর্থবছরের, কিন্তু কর্মপরিকল্পনাটি "
            f"{to_bangla_digits(fiscal_year.code)} অর্থবছরের জন্য আমদানি হচ্ছে; ঠিক বছরের ছক কিনা দেখে নিন।",
            f"The table's targets are for {parsing.parse_fiscal_year(sheet.target_year)[0]}-"
            f"{str(start + 1)[-2:]}, but the plan is imported for {fiscal_year.code}; check it is the right "
            "year's table.",
        )


def _parse_area(
    problems: Problems, number: int, cells: dict[str, str], areas: dict[str, ParsedArea]
) -> ParsedArea | None:
    raw_code, raw_marks = cells.get("area_code", ""), cells.get("area_marks", "")
    code = problems.cell(number, "area_code", raw_code, parsing.parse_code, depth=1)
    if code is not None and not check_column_fits(
        problems, number, "area_code", raw_code, code, model_field(PerformanceArea, "code")
    ):
        code = None
    title = cells.get("area_title", "")
    marks = problems.cell(number, "area_marks", raw_marks, parsing.parse_weight)
    if marks is not None and not check_column_fits(
        problems, number, "area_marks", raw_marks, marks, model_field(PerformanceArea, "marks")
    ):
        marks = None
    if not title:
        problems.add(number, "area_title", "", "কর্মসম্পাদন ক্ষেত্রের নাম আবশ্যক।", "The area title is required.")
    if code is None or marks is None or not title:
        return areas.get(code) if code else None
    known = areas.get(code)
    if known is None:
        areas[code] = ParsedArea(
            code=code, title=title, marks=marks, row=number, raw_marks=cells.get("area_marks", "")
        )
        return areas[code]
    if known.title != title or known.marks != marks:
        problems.add(
            number,
            "area_title" if known.title != title else "area_marks",
            title if known.title != title else cells.get("area_marks", ""),
            f"ক্ষেত্র {format_code(code)}-এর নাম বা মান সারি {to_bangla_digits(known.row)}-এর সঙ্গে মেলে না।",
            f"The title or marks of area {code} differ from row {known.row}.",
        )
    return known


def _parse_activity(
    problems: Problems,
    number: int,
    cells: dict[str, str],
    activities: dict[str, ParsedActivity],
    area: ParsedArea | None,
) -> ParsedActivity | None:
    raw_code = cells.get("activity_code", "")
    code = problems.cell(number, "activity_code", raw_code, parsing.parse_code, depth=2)
    if code is not None and not check_column_fits(
        problems, number, "activity_code", raw_code, code, model_field(Activity, "code")
    ):
        code = None
    title = cells.get("activity_title", "")
    if not title:
        problems.add(number, "activity_title", "", "কার্যক্রমের নাম আবশ্যক।", "The activity title is required.")
    if code is None or area is None or not title:
        return None
    if not _under(code, area.code):
        problems.add(
            number,
            "activity_code",
            raw_code,
            f"কার্যক্রম {format_code(code)} ক্ষেত্র {format_code(area.code)}-এর অধীন হতে হলে "
            f"এর নম্বর {format_code(area.code + '.')}… দিয়ে শুরু হতে হবে।",
            f"Activity {code} must start with its area's code {area.code}.",
        )
        return None
    known = activities.get(code)
    if known is None:
        activities[code] = ParsedActivity(code=code, title=title, area_code=area.code, row=number)
        return activities[code]
    if known.title != title:
        problems.add(
            number,
            "activity_title",
            title,
            f"কার্যক্রম {format_code(code)}-এর নাম সারি {to_bangla_digits(known.row)}-এর সঙ্গে মেলে না।",
            f"The title of activity {code} differs from row {known.row}.",
        )
    return known


def _parse_indicator(
    problems: Problems,
    number: int,
    cells: dict[str, str],
    indicators: dict[str, ParsedIndicator],
    activity: ParsedActivity | None,
    fiscal_year: FiscalYear | None,
    *,
    targets_optional: bool = False,
) -> ParsedIndicator | None:
    raw_code = cells.get("indicator_code", "")
    code = problems.cell(number, "indicator_code", raw_code, parsing.parse_code, depth=3)
    if code is not None and not check_column_fits(
        problems, number, "indicator_code", raw_code, code, model_field(Indicator, "code")
    ):
        code = None
    title = cells.get("indicator_title", "")
    if not title:
        problems.add(number, "indicator_title", "", "সূচকের নাম আবশ্যক।", "The indicator title is required.")
    # How the indicator is evaluated and the evidence it expects, as the template words them (issue 17).
    described: dict[str, str] = {}
    for column in ("evaluation", "evidence_expected"):
        text = cells.get(column, "")
        if check_column_fits(problems, number, column, text, text, model_field(Indicator, column)):
            described[column] = text
    raw_unit = cells.get("unit", "")
    unit_label = problems.cell(number, "unit", raw_unit, parsing.parse_unit_label)
    if unit_label is not None and not check_column_fits(
        problems, number, "unit", raw_unit, unit_label.label, model_field(Indicator, "unit_label")
    ):
        unit_label = None
    unit = unit_label.kind if unit_label is not None else None
    if unit_label is not None and not unit_label.known:
        problems.warn(
            number,
            "unit",
            raw_unit,
            f"একক '{unit_label.label}' সংখ্যা হিসেবে পড়া হয়েছে (তারিখ বা শতাংশ হলে তা এককে লিখুন)।",
            f"The unit '{unit_label.label}' was read as a number (write date or % in it if it is one).",
        )
    raw_weight = cells.get("weight", "")
    weight = problems.cell(number, "weight", raw_weight, parsing.parse_weight)
    if weight is not None and not check_column_fits(
        problems, number, "weight", raw_weight, weight, model_field(Indicator, "weight")
    ):
        weight = None
    raw_calc = cells.get("calc_method", "")
    calc_method: scoring.CalcMethod | None
    calc_from_unit = parsing.is_blank(raw_calc) and unit is not None
    if calc_from_unit and unit is not None:
        # DESIGN.md §7: the Cabinet Division's table has no method column; the unit says it, and the import
        # says so (a date is the earliest date, a percent the average, a number the sum of the quarters).
        calc_method = DEFAULT_CALC_METHODS[unit]
        if unit != scoring.Unit.DATE:
            problems.warn(
                number,
                "calc_method",
                "",
                f"গণনা পদ্ধতি লেখা নেই; একক থেকে '{CALC_WORDS[calc_method]}' ধরা হয়েছে।",
                f"No calculation method; '{calc_method.value}' was taken from the unit.",
            )
    elif parsing.is_blank(raw_calc):
        calc_method = None
    else:
        calc_method = problems.cell(number, "calc_method", raw_calc, parsing.parse_calc_method)
    scoring_method = problems.cell(number, "scoring", cells.get("scoring", ""), parsing.parse_scoring_method)
    direction = problems.cell(number, "direction", cells.get("direction", ""), parsing.parse_direction)

    targets: dict[int, Decimal | datetime.date | None] = {}
    if unit is not None:
        for level in scoring.LEVEL_PERCENTS:
            column = f"target_{level}"
            raw = cells.get(column, "")
            targets[level] = problems.cell(number, column, raw, parsing.parse_target, unit)
            if isinstance(targets[level], Decimal) and not check_column_fits(
                problems, number, column, raw, targets[level], model_field(Indicator, f"{column}_number")
            ):
                targets[level] = None
            all_blank = all(
                parsing.is_blank(cells.get(f"target_{lvl}", "")) for lvl in scoring.LEVEL_PERCENTS
            )
            if level == 100 and parsing.is_blank(raw) and not (targets_optional and all_blank):
                problems.add(
                    number,
                    column,
                    raw,
                    "অসাধারণ (১০০%) লক্ষ্যমাত্রা আবশ্যক।",
                    "The 100% (outstanding) target is required.",
                )

    if code is not None and code in indicators:
        problems.add(
            number,
            "indicator_code",
            raw_code,
            f"সূচক নম্বরটি সারি {to_bangla_digits(indicators[code].row)}-এ আগেই আছে।",
            f"Duplicate indicator code, first used in row {indicators[code].row}.",
        )
        return None
    if code is not None and activity is not None and not _under(code, activity.code):
        problems.add(
            number,
            "indicator_code",
            raw_code,
            f"সূচক {format_code(code)} কার্যক্রম {format_code(activity.code)}-এর অধীন হতে হলে "
            f"এর নম্বর {format_code(activity.code + '.')}… দিয়ে শুরু হতে হবে।",
            f"Indicator {code} must start with its activity's code {activity.code}.",
        )
        return None
    if None in (code, activity, unit, weight, calc_method, scoring_method, direction) or not title:
        return None
    not_given = targets_optional and all(targets.get(level) is None for level in scoring.LEVEL_PERCENTS)
    if not not_given and (
        targets.get(100) is None
        or any(
            targets[level] is None and not parsing.is_blank(cells.get(f"target_{level}", ""))
            for level in scoring.LEVEL_PERCENTS
        )
    ):
        return None
    if not_given and any(
        not parsing.is_blank(cells.get(f"target_{lvl}", "")) for lvl in scoring.LEVEL_PERCENTS
    ):
        return None  # a target was written but could not be read: its problem is listed

    target_values = scoring.Targets(
        t100=targets[100], t90=targets[90], t80=targets[80], t70=targets[70], t60=targets[60]
    )
    direction_from_targets = False
    if not not_given and _in_order_only_if_lower(unit, direction, target_values):
        if parsing.is_blank(cells.get("direction", "")):
            # DESIGN.md §7: a plausible mistake is a warning: targets that rise from 100% to 60% are right for
            # an indicator where less is better (days taken, complaints pending), and the plan did not say.
            direction, direction_from_targets = scoring.Direction.LOWER, True
            problems.warn(
                number,
                "direction",
                "",
                "লক্ষ্যমাত্রা ১০০% থেকে ৬০%-এর দিকে বেড়েছে, যা কেবল 'কম ভালো' সূচকে ঠিক; তাই সূচকটি নিম্নমুখী "
                "(কম ভালো) ধরা হয়েছে। তা-ই হলে 'দিক' কলামে 'নিম্নমুখী' লিখে দিন; না হলে লক্ষ্যমাত্রা ঠিক করুন।",
                "The targets rise from the 100% level to the 60% level, which is right only when lower is better; "
                "the indicator was read as lower-is-better. If it is, write 'lower' in the direction column; "
                "otherwise correct the targets.",
            )
        else:
            problems.add(
                number,
                "direction",
                cells.get("direction", ""),
                "লক্ষ্যমাত্রাগুলো 'কম ভালো' সূচক হলে ঠিক ক্রমে থাকত: সূচকটি তেমন হলে 'দিক' কলামে 'নিম্নমুখী' লিখুন।",
                "The targets would be in order if lower were better: if the indicator is so, write 'lower' in "
                "the direction column.",
            )
    if not not_given and calc_method is not None and scoring_method is not None:
        _warn_single_target(problems, number, cells, unit, scoring_method, direction, target_values)
    for problem in (
        []
        if not_given
        else scoring.check_targets(
            unit=unit,
            calc_method=calc_method,
            scoring_method=scoring_method,
            direction=direction,
            targets=target_values,
            fiscal_year_start=fiscal_year.starts_on if fiscal_year else None,
            fiscal_year_end=fiscal_year.ends_on if fiscal_year else None,
        )
    ):
        column = f"target_{problem.level}" if problem.level else problem.field
        value = cells.get(column, "") if column else ""
        if problem.is_error:
            problems.add(number, column, value, problem.message_bn, problem.message_en)
        else:
            problems.warn(number, column, value, problem.message_bn, problem.message_en)
    return ParsedIndicator(
        code=code,
        title=title,
        activity_code=activity.code,
        area_code=activity.area_code,
        unit=unit,
        unit_label=unit_label.label if unit_label is not None else "",
        weight=weight,
        calc_method=calc_method,
        scoring_method=scoring_method,
        direction=direction,
        targets=targets,
        row=number,
        **described,
        calc_from_unit=calc_from_unit,
        direction_from_targets=direction_from_targets,
    )


def _in_order_only_if_lower(
    unit: scoring.Unit, direction: scoring.Direction, targets: scoring.Targets
) -> bool:
    """Whether targets out of order for higher-is-better would be in order for lower-is-better."""
    values = [value for _percent, value in targets.levels()]
    if unit == scoring.Unit.DATE or direction != scoring.Direction.HIGHER or len(values) < 2:
        return False
    if not all(isinstance(value, Decimal) for value in values):
        return False
    pairs = list(itertools.pairwise(values))
    return any(low > high for high, low in pairs) and all(low >= high for high, low in pairs)


def _warn_single_target(
    problems: Problems,
    number: int,
    cells: dict[str, str],
    unit: scoring.Unit,
    scoring_method: scoring.ScoringMethod,
    direction: scoring.Direction,
    targets: scoring.Targets,
) -> None:
    """DESIGN.md §7: an indicator with only the 100% target scores 0 for any shortfall under the five-level
    methods (below the lowest defined level is zero); say so with an example, and offer proportional scoring
    (the annex plans' own "সমানুপাতিক হারে"). Not for dates (proportional means nothing there) and not for a
    method chosen to be all or nothing (threshold)."""
    if unit == scoring.Unit.DATE or len(targets.levels()) != 1:
        return
    if scoring_method not in (scoring.ScoringMethod.INTERPOLATE, scoring.ScoringMethod.STEP):
        return
    target = targets.t100
    if not isinstance(target, Decimal) or target <= 0:
        return
    # The example: 3 of 4 trainings. A quarter short of the target (a third over it, lower is better).
    short = target * 3 / 4 if direction == scoring.Direction.HIGHER else target * 4 / 3
    short = scoring.round2(short)

    def score(method: scoring.ScoringMethod) -> str:
        raw = scoring.raw_score(
            unit=unit, targets=targets, achievement=short, scoring_method=method, direction=direction
        )
        return plain_number(scoring.round2(raw))

    now, proportional = score(scoring_method), score(scoring.ScoringMethod.PROPORTIONAL)
    t, a = plain_number(target), plain_number(short)
    problems.warn(
        number,
        "target_100",
        cells.get("target_100", ""),
        f"শুধু অসাধারণ (১০০%) লক্ষ্যমাত্রা {to_bangla_digits(t)} দেওয়া আছে: বর্তমান নম্বর পদ্ধতি "
        f"'{SCORING_WORDS[scoring_method]}'-এ লক্ষ্যমাত্রার চেয়ে কম যেকোনো অর্জনে ০ নম্বর (যেমন অর্জন "
        f"{to_bangla_digits(a)} হলে {to_bangla_digits(now)}%)। আংশিক অর্জনে আনুপাতিক নম্বর দিতে 'নম্বর পদ্ধতি' "
        f"কলামে 'আনুপাতিক' লিখুন (তখন অর্জন {to_bangla_digits(a)} হলে {to_bangla_digits(proportional)}%)।",
        f"Only the 100% target {t} is given: with the current scoring method '{scoring_method.value}' any "
        f"shortfall scores 0 (e.g. an achievement of {a} scores {now}%). To score partial achievement "
        f"proportionally, write 'proportional' in the scoring column (an achievement of {a} would then "
        f"score {proportional}%).",
    )


def _under(code: str, parent: str) -> bool:
    """Whether ``code`` sits under ``parent``: its numbers start with all of the parent's and go deeper (a
    letter prefix, ``[এম.১.১]``, is part of how an office writes a code, not of where it sits)."""
    numbers, above = parsing.code_numbers(code), parsing.code_numbers(parent)
    return len(numbers) > len(above) and numbers[: len(above)] == above
