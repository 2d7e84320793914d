"""The quarterly progress sheet (DESIGN.md §7) as a resource: a line per quarter or per marking of an indicator
(not) applicable, written by ``progress_import``."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from base.bangla import to_bangla_digits
from base.errors import DomainError
from indicators import parsing, scoring
from indicators.models import ActionPlan, Indicator, Progress
from indicators.resources.base import SheetLine, SheetResource
from indicators.resources.widgets import (
    CellWidget,
    UnitValueField,
    UnitValueWidget,
    cell_text,
    code_widget,
    or_blank,
)
from indicators.selectors import sheet_value
from indicators.services.progress import ProgressImportResult, progress_import
from indicators.sheets import Sheet

NOT_APPLICABLE_WORD = "প্রযোজ্য নয়"


def _applicability_word(applicable: bool) -> str:
    return "" if applicable else NOT_APPLICABLE_WORD


@dataclasses.dataclass(eq=False)
class ProgressLine(SheetLine):
    """One line of the progress sheet: an indicator's quarter (value and remark), or, with no quarter listed or
    the indicator marked not applicable, the indicator's applicability (the remark is then the reason).
    ``stored`` is the quarter's progress or the indicator; ``unit`` and ``applicable`` are the indicator's."""

    indicator_code: str = ""
    quarter: int | None = None
    value: Decimal | datetime.date | None = None
    remark: str = ""
    applicability: bool | None = None  # as the line writes it; None for a blank cell
    about_quarter: bool = False
    unit: scoring.Unit | None = None
    applicable: bool = True
    stored: Progress | Indicator | None = None

    @classmethod
    def of_progress(cls, progress: Progress) -> ProgressLine:
        indicator = progress.indicator
        return cls(
            indicator_code=indicator.code,
            quarter=progress.quarter,
            value=progress.value,
            remark=progress.remark,
            about_quarter=True,
            unit=scoring.Unit(indicator.unit),
            applicable=indicator.applicable,
            stored=progress,
        )

    @classmethod
    def of_applicability(cls, indicator: Indicator) -> ProgressLine:
        return cls(
            indicator_code=indicator.code,
            remark=indicator.not_applicable_reason,
            applicability=indicator.applicable,
            unit=scoring.Unit(indicator.unit),
            applicable=indicator.applicable,
            stored=indicator,
        )

    @property
    def key(self) -> tuple[str, int | None]:
        return self.indicator_code, self.quarter if self.about_quarter else None

    def unchanged_from(self, before: ProgressLine) -> bool:
        if self.about_quarter:
            # 'প্রযোজ্য' beside a quarter changes nothing of an indicator that is applicable already.
            same_quarter = (self.value, self.remark) == (before.value, before.remark)
            return same_quarter and self.applicability in (None, self.applicable)
        return (self.applicability, self.remark) == (before.applicability, before.remark)


def progress_value_text(unit: str, value: Decimal | datetime.date | None) -> str:
    """A value as the progress sheet writes it (as the plan sheet writes targets), blank for none."""
    return "" if value is None else sheet_value(unit, value)


class ProgressSheetResource(SheetResource):
    """The quarterly progress sheet of one plan."""

    kind = "progress"

    indicator_code = Field("indicator_code", "সূচক নং", code_widget(3))
    quarter = Field("quarter", "ত্রৈমাসিক", CellWidget(or_blank(parsing.parse_quarter), to_bangla_digits))
    value = UnitValueField("value", "অর্জন", UnitValueWidget(blank=""))
    remark = Field("remark", "মন্তব্য", CellWidget(parsing.clean_text))
    applicability = Field(
        "applicability", "প্রযোজ্যতা", CellWidget(or_blank(parsing.parse_applicability), _applicability_word)
    )

    class Meta:
        model = Progress
        name = _("ত্রৈমাসিক অগ্রগতির ছক")

    def import_sheet(self, sheet: Sheet, *, plan: ActionPlan | None = None, user=None, **kwargs: Any):
        if plan is None:
            raise DomainError("কর্মপরিকল্পনা বেছে নিন।", "Choose the plan to import the progress into.")
        self.plan = plan
        self.lines_before = self._lines(plan)
        outcome = progress_import(plan=plan, sheet=sheet, user=user)
        self.stored_after = {key: line.stored for key, line in self._lines(plan).items()}
        return outcome

    @staticmethod
    def _lines(plan: ActionPlan) -> dict[tuple[str, int | None], ProgressLine]:
        """Every quarter recorded and every indicator's applicability, by line key."""
        lines = {(i.code, None): ProgressLine.of_applicability(i) for i in plan.indicators.all()}
        recorded = Progress.objects.filter(indicator__plan=plan).recorded().select_related("indicator")
        lines.update({(p.indicator.code, p.quarter): ProgressLine.of_progress(p) for p in recorded})
        return lines

    def line_key(self, row: dict) -> tuple[str, int | None] | None:
        """``(code, quarter)`` of a quarter's line, ``(code, None)`` of a line that only marks its indicator
        applicable or not — as ``progress_import`` reads the row; None for a row that cannot be read."""

        def cell(name: str) -> str:
            return cell_text(row.get(self.fields[name].column_name))

        try:
            code = parsing.parse_code(cell("indicator_code"), depth=3)
            applicable = or_blank(parsing.parse_applicability)(cell("applicability"))
            listed = not (
                parsing.is_blank(cell("quarter"))
                and parsing.is_blank(cell("value"))
                and not parsing.clean_text(cell("remark"))
            )
            if applicable is False or (applicable is True and not listed):
                return code, None
            return code, parsing.parse_quarter(cell("quarter"))
        except parsing.CellError:
            return None

    def init_instance(self, row: dict | None = None) -> ProgressLine:
        # A quarter not recorded yet, of an indicator whose unit and applicability its own line carries.
        key = self.line_key(row or {})
        marking = self.lines_before.get((key[0], None)) if key else None
        if marking is None:
            return ProgressLine()
        return ProgressLine(
            indicator_code=key[0],
            quarter=key[1],
            about_quarter=key[1] is not None,
            unit=marking.unit,
            applicable=marking.applicable,
        )

    def for_delete(self, row: dict, instance: ProgressLine) -> bool:
        """A quarter listed with neither value nor remark is cleared; a column the sheet does not have keeps
        what is stored."""
        if self.refusal is not None or not instance.about_quarter:
            return False
        value, remark = self.fields["value"].column_name, self.fields["remark"].column_name
        no_value = parsing.is_blank(cell_text(row[value])) if value in row else instance.value is None
        no_remark = not parsing.clean_text(cell_text(row[remark])) if remark in row else not instance.remark
        return no_value and no_remark

    def delete_instance(self, instance: ProgressLine, row: dict, **kwargs: Any) -> None:
        # The service has cleared the quarter; its row stays, empty, so that its version counts on (DESIGN.md §4).
        pass

    def skip_row(
        self, instance: ProgressLine, original: ProgressLine, row: dict, import_validation_errors=None
    ) -> bool:
        if self.refusal is not None or import_validation_errors:
            return super().skip_row(instance, original, row, import_validation_errors)
        return instance.unchanged_from(original)

    def describe(self, outcome: ProgressImportResult, *, done: bool) -> str:
        will = "" if done else " হবে"
        return (
            f"{self.plan} — অগ্রগতি: {to_bangla_digits(outcome.saved)}টি সংরক্ষিত{will}, "
            f"{to_bangla_digits(outcome.cleared)}টি মুছে ফেলা{will}; "
            f"{to_bangla_digits(outcome.not_applicable)}টি সূচক প্রযোজ্য নয়।"
        )

    def filter_export(self, queryset: QuerySet, **kwargs: Any) -> list[ProgressLine]:
        # The listed quarters and every not-applicable indicator of their plan, in the plan's order.
        plan = self.single_plan(ActionPlan.objects.filter(pk__in=queryset.values("indicator__plan_id")))
        progress = queryset.select_related("indicator").order_by()
        lines = [ProgressLine.of_progress(p) for p in progress if p.value is not None or p.remark]
        lines += [ProgressLine.of_applicability(i) for i in plan.indicators.filter(applicable=False)]
        positions = dict(plan.indicators.values_list("code", "position"))
        return sorted(lines, key=lambda line: (positions[line.indicator_code], line.quarter or 0))
