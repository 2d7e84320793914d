"""The cells of the exchange sheets: widgets that read a cell with a parser of ``indicators.parsing`` and write
it as the exchange sheets do (Bangla digits, codes in brackets, ``--`` for a blank level), and a field for the
cells written in their indicator's unit."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

from import_export.fields import Field
from import_export.widgets import Widget

from base.bangla import format_code, to_bangla_digits
from indicators import parsing, scoring
from indicators.plan_sheet import DEFAULT_CALC_METHODS
from indicators.selectors import CALC_WORDS, sheet_value


def cell_text(value: object) -> str:
    return "" if value is None else str(value)


def sheet_number(value: Decimal) -> str:
    return to_bangla_digits(parsing.plain_number(value))


def or_blank(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    return lambda raw: None if parsing.is_blank(raw) else parse(raw)


class CellWidget(Widget):
    """A cell read by a parser of ``indicators.parsing`` and written by ``write``; ``blank`` stands for none.
    The parser's ``CellError`` is a ``ValueError``: the library lists it against the row's field."""

    def __init__(self, parse: Callable[[str], Any], write: Callable[[Any], str] = str, blank: str = ""):
        super().__init__()
        self.parse, self.write, self.blank = parse, write, blank

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> Any:
        return self.parse(cell_text(value))

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return self.blank if value is None else self.write(value)


class UnitWidget(CellWidget):
    """The unit as the plan writes it (``জনঘন্টা``, ``%``, ``তারিখ`` …) read with the kind of value it takes."""

    def __init__(self):
        super().__init__(parsing.parse_unit_label, lambda unit: unit.label)


class CalcMethodWidget(CellWidget):
    """The method of an indicator; left blank it is the one its unit (in the row's ``unit_column``) implies,
    as the plan import takes it (DESIGN.md §7)."""

    def __init__(self, unit_column: str):
        super().__init__(parsing.parse_calc_method, CALC_WORDS.__getitem__)
        self.unit_column = unit_column

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> scoring.CalcMethod:
        if parsing.is_blank(cell_text(value)):
            try:
                unit = parsing.parse_unit_label(cell_text((row or {}).get(self.unit_column)))
            except parsing.CellError:
                pass  # the unit's own cell says what is wrong; the method is then missing as well
            else:
                return DEFAULT_CALC_METHODS[unit.kind]
        return super().clean(value, row)


class UnitValueWidget(Widget):
    """A target or an achievement in its indicator's unit: a percent with ``%``, a date ``dd/mm/yyyy``, Bangla
    digits; a blank level (``--``, ``—``, empty) is none, written as ``blank``."""

    def __init__(self, blank: str):
        super().__init__()
        self.blank = blank

    def clean(self, value: Any, row: dict | None = None, unit: str | None = None, **kwargs: Any) -> Any:
        return parsing.parse_target(cell_text(value), unit)

    def render(self, value: Any, obj: Any = None, unit: str | None = None, **kwargs: Any) -> str:
        return self.blank if value is None else sheet_value(unit, value)


class UnitValueField(Field):
    """A field whose cell is in the unit of its line's indicator: the widget is given the line's unit."""

    def save(self, instance: Any, row: dict, is_m2m: bool = False, **kwargs: Any) -> None:
        value = self.widget.clean(row[self.column_name], row=row, unit=instance.unit)
        setattr(instance, self.attribute, value)

    def export(self, instance: Any, **kwargs: Any) -> str:
        return self.widget.render(self.get_value(instance), unit=getattr(instance, "unit", None))


def code_widget(depth: int) -> CellWidget:
    return CellWidget(partial(parsing.parse_code, depth=depth), format_code)


def target_field(level: int, column_name: str) -> UnitValueField:
    return UnitValueField(f"target_{level}", column_name, UnitValueWidget(blank="--"))
