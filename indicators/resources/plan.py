"""The plan sheet (DESIGN.md §7) as a resource: one line per indicator, written by ``plan_import``."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from typing import Any

import tablib
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field
from import_export.results import RowResult

from base.bangla import to_bangla_digits
from base.errors import DomainError
from indicators import parsing, scoring
from indicators.models import ActionPlan, Indicator
from indicators.plan_layouts import LAYOUT_OWN, plan_layout_read
from indicators.resources.base import SheetLine, SheetResource
from indicators.resources.results import SheetImportResult
from indicators.resources.widgets import (
    CalcMethodWidget,
    CellWidget,
    UnitWidget,
    cell_text,
    code_widget,
    sheet_number,
    target_field,
)
from indicators.scores import plan_indicators
from indicators.selectors import DIRECTION_WORDS, SCORING_WORDS
from indicators.services.offices import fiscal_year_get_or_create
from indicators.services.plans import PlanImportResult, plan_import
from indicators.sheets import Sheet


@dataclasses.dataclass(eq=False)
class PlanLine(SheetLine):
    """One line of the plan sheet: an indicator with its activity and area; ``stored`` is the indicator."""

    area_code: str = ""
    area_title: str = ""
    area_marks: Decimal | None = None
    activity_code: str = ""
    activity_title: str = ""
    indicator_code: str = ""
    indicator_title: str = ""
    unit_label: parsing.UnitLabel | None = None
    weight: Decimal | None = None
    calc_method: scoring.CalcMethod | None = None
    scoring_method: scoring.ScoringMethod | None = None
    direction: scoring.Direction | None = None
    target_100: Decimal | datetime.date | None = None
    target_90: Decimal | datetime.date | None = None
    target_80: Decimal | datetime.date | None = None
    target_70: Decimal | datetime.date | None = None
    target_60: Decimal | datetime.date | None = None
    evaluation: str = ""
    evidence_expected: str = ""
    stored: Indicator | None = None

    @classmethod
    def of(cls, indicator: Indicator) -> PlanLine:
        activity, area = indicator.activity, indicator.activity.area
        return cls(
            area_code=area.code,
            area_title=area.title,
            area_marks=area.marks,
            activity_code=activity.code,
            activity_title=activity.title,
            indicator_code=indicator.code,
            indicator_title=indicator.title,
            unit_label=parsing.UnitLabel(scoring.Unit(indicator.unit), indicator.unit_text, True),
            weight=indicator.weight,
            calc_method=scoring.CalcMethod(indicator.calc_method),
            scoring_method=scoring.ScoringMethod(indicator.scoring_method),
            direction=scoring.Direction(indicator.direction),
            **{f"target_{level}": indicator.target(level) for level in scoring.LEVEL_PERCENTS},
            evaluation=indicator.evaluation,
            evidence_expected=indicator.evidence_expected,
            stored=indicator,
        )

    @property
    def unit(self) -> scoring.Unit | None:
        """The kind of value of the line's cells (its targets are read and written in it)."""
        return None if self.unit_label is None else self.unit_label.kind

    @property
    def key(self) -> str:
        return self.indicator_code


class PlanSheetResource(SheetResource):
    """The plan sheet (one line per indicator) of one office's plan for one fiscal year."""

    kind = "plan"
    absent_columns_blank = True

    area_code = Field("area_code", "ক্ষেত্র নং", code_widget(1))
    area_title = Field("area_title", "কর্মসম্পাদন ক্ষেত্র", CellWidget(parsing.clean_text))
    area_marks = Field("area_marks", "ক্ষেত্রের মান", CellWidget(parsing.parse_weight, sheet_number))
    activity_code = Field("activity_code", "কার্যক্রম নং", code_widget(2))
    activity_title = Field("activity_title", "কার্যক্রম", CellWidget(parsing.clean_text))
    indicator_code = Field("indicator_code", "সূচক নং", code_widget(3))
    indicator_title = Field("indicator_title", "কর্মসম্পাদন সূচক", CellWidget(parsing.clean_text))
    unit = Field("unit_label", "একক", UnitWidget())
    weight = Field("weight", "সূচকের মান", CellWidget(parsing.parse_weight, sheet_number))
    calc_method = Field("calc_method", "গণনা পদ্ধতি", CalcMethodWidget(unit_column="একক"))
    scoring = Field(
        "scoring_method", "নম্বর পদ্ধতি", CellWidget(parsing.parse_scoring_method, SCORING_WORDS.__getitem__)
    )
    direction = Field("direction", "দিক", CellWidget(parsing.parse_direction, DIRECTION_WORDS.__getitem__))
    target_100 = target_field(100, "অসাধারণ")
    target_90 = target_field(90, "অতি উত্তম")
    target_80 = target_field(80, "উত্তম")
    target_70 = target_field(70, "চলতি মান")
    target_60 = target_field(60, "চলতি মানের নিম্নে")
    evaluation = Field("evaluation", "মূল্যায়ন পদ্ধতি", CellWidget(parsing.clean_text))
    evidence_expected = Field("evidence_expected", "প্রমাণক", CellWidget(parsing.clean_text))

    class Meta:
        model = Indicator
        name = _("কর্মপরিকল্পনার ছক (প্রতি সারিতে একটি সূচক)")

    def import_sheet(
        self,
        sheet: Sheet,
        *,
        office=None,
        fiscal_year_code: str = "",
        replace: bool = False,
        user=None,
        **kwargs: Any,
    ) -> PlanImportResult:
        if office is None or not fiscal_year_code:
            raise DomainError(
                "দপ্তর ও অর্থবছর বেছে নিন।", "Choose the office and the fiscal year to import the plan into."
            )
        fiscal_year = fiscal_year_get_or_create(code=fiscal_year_code)
        existing = ActionPlan.objects.filter(office=office, fiscal_year=fiscal_year).first()
        if existing is not None:
            indicators = existing.indicators.select_related("activity__area")
            self.lines_before = {i.code: PlanLine.of(i) for i in indicators}
        # The admin's user, so that the history names who imported (django-import-export passes it).
        outcome = plan_import(office=office, fiscal_year=fiscal_year, sheet=sheet, replace=replace, user=user)
        self.stored_after = {i.code: i for i in outcome.plan.indicators.all()}
        return outcome

    def prepare_sheet(self, sheet: Sheet, dataset: tablib.Dataset) -> Sheet:
        """A plan as the office keeps it (the Cabinet Division's table, issue 13) read into our columns; the
        dataset is given the rows as read, each keeping its row number in the file (``sheet.rows``)."""
        prepared = plan_layout_read(sheet)
        if prepared.layout not in ("", LAYOUT_OWN):
            dataset.wipe()
            dataset.headers = list(prepared.headers)
            for _number, cells in prepared.rows:
                dataset.append(cells)
            dataset.sheet = prepared
        return prepared

    def line_key(self, row: dict) -> str | None:
        try:
            return parsing.parse_code(cell_text(row.get(self.fields["indicator_code"].column_name)), depth=3)
        except parsing.CellError:
            return None

    def init_instance(self, row: dict | None = None) -> PlanLine:
        return PlanLine()

    def after_import(self, dataset: tablib.Dataset, result: SheetImportResult, **kwargs: Any) -> None:
        super().after_import(dataset, result, **kwargs)
        if self.outcome is None:
            return
        # The indicators a replacing sheet no longer lists are removed with it; shown as the sheet wrote them.
        for code, line in self.lines_before.items():
            if code in self.stored_after:
                continue
            row_result = self.get_row_result_class()()
            row_result.import_type = RowResult.IMPORT_TYPE_DELETE
            row_result.instance = line
            row_result.add_instance_info(line)
            row_result.diff = [field.export(line) for field in self.get_import_fields()]
            result.append_row_result(row_result)
            result.increment_row_result_total(row_result)

    def describe(self, outcome: PlanImportResult, *, done: bool) -> str:
        plan = outcome.plan
        verb = {
            (True, False): "তৈরি হবে",
            (True, True): "তৈরি হয়েছে",
            (False, False): "প্রতিস্থাপিত হবে",
            (False, True): "প্রতিস্থাপিত হয়েছে",
        }[(outcome.created, done)]
        removed = (
            f", {to_bangla_digits(outcome.removed_indicators)}টি সূচক বাদ" if outcome.removed_indicators else ""
        )
        return (
            f"{plan.office.name_bn}-এর {plan.fiscal_year} অর্থবছরের কর্মপরিকল্পনা {verb}: "
            f"{to_bangla_digits(outcome.areas)}টি ক্ষেত্র, {to_bangla_digits(outcome.activities)}টি কার্যক্রম, "
            f"{to_bangla_digits(outcome.indicators)}টি সূচক{removed}।"
        )

    def filter_export(self, queryset: QuerySet, **kwargs: Any) -> list[PlanLine]:
        # The whole plan of the listed (or selected) indicators, in its order: the sheet is the plan.
        plan = self.single_plan(ActionPlan.objects.filter(pk__in=queryset.values("plan_id")))
        return [PlanLine.of(indicator) for indicator in plan_indicators(plan)]
