"""Form fields that read Bangla digits as well as ASCII ones: "৮২.৫", "১২,৩৪,৫৬৭", "০৫/০৭/২০২৩".

Django parses numbers and dates with ``int()``, ``Decimal()`` and ``strptime``, which refuse Bangla
digits, and ``<input type="number">`` will not even let anyone type them.  Two ways to use this module:

* declare fields with the classes below (``BanglaDecimalField``, ``BanglaIntegerField``,
  ``BanglaDateField``...), which are Django's fields with the input turned into ASCII digits first;
* or put :class:`BanglaDigitsFormMixin` first in the bases of a form, model form or admin form: every
  integer, decimal, float, date, time and date-time field of the form then reads Bangla digits, including
  the fields a ``ModelForm`` or the admin creates (number inputs become text inputs with ``inputmode``,
  because browsers drop Bangla digits typed into ``type="number"``).

Only the digits change (and, for numbers, commas that group digits correctly, Western ``1,234,567`` or
South-Asian ``12,34,567``); validation, error messages and cleaned values are Django's.  What the user typed
is shown back unchanged when the form has errors.
"""

from __future__ import annotations

import datetime
import re
from functools import cache
from typing import Any

from django import forms
from django.forms.fields import BaseTemporalField

from base.bangla import to_ascii_digits
from base.dates import DateEntryError, format_typed_date, parse_typed_date

__all__ = [
    "BanglaDateField",
    "BanglaDateTimeField",
    "BanglaDecimalField",
    "BanglaDigitsFormMixin",
    "BanglaDigitsMixin",
    "BanglaIntegerField",
    "BanglaNumberMixin",
    "DateEntryInput",
    "accept_bangla_digits",
]

# A number whose integer part is grouped correctly, the Western or the South-Asian way (the same grouping
# indicators.parsing accepts in sheets).  "1,5" or "12,3456" are not grouped numbers and stay as typed,
# so Django refuses them instead of reading 15 or 123456.
_GROUPED_NUMBER = re.compile(
    r"[+-]?(?:[1-9][0-9]{0,2}(?:,[0-9]{3})+|[1-9][0-9]?(?:,[0-9]{2})*,[0-9]{3})(?:\.[0-9]*)?",
    re.ASCII,
)


class BanglaDigitsMixin:
    """Mixin for a form field: Bangla digits in the submitted text are read as ASCII digits."""

    def ascii_input(self, value: Any) -> Any:
        return to_ascii_digits(value) if isinstance(value, str) else value

    def to_python(self, value: Any) -> Any:
        return super().to_python(self.ascii_input(value))  # type: ignore[misc]


class BanglaNumberMixin(BanglaDigitsMixin):
    """Mixin for a number field: Bangla digits, and grouping commas (``১২,৩৪,৫৬৭.৫``) are dropped."""

    def ascii_input(self, value: Any) -> Any:
        value = super().ascii_input(value)
        if isinstance(value, str) and _GROUPED_NUMBER.fullmatch(value.strip()):
            value = value.replace(",", "")
        return value


def _text_input(inputmode: str, attrs: dict[str, Any] | None = None) -> forms.TextInput:
    # Keep the widget's other attributes (e.g. the admin's CSS class); min/max/step mean nothing on text.
    kept = {k: v for k, v in (attrs or {}).items() if k not in {"min", "max", "step"}}
    return forms.TextInput(attrs={**kept, "inputmode": inputmode})


class _NumberTextInput(BanglaNumberMixin):
    inputmode = "decimal"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", _text_input(self.inputmode))
        super().__init__(*args, **kwargs)


class BanglaIntegerField(_NumberTextInput, forms.IntegerField):
    """``forms.IntegerField`` that reads ``১২৩``, ``123`` and ``১,২৩,৪৫৬``; a text input, ``inputmode=numeric``."""

    inputmode = "numeric"


class BanglaDecimalField(_NumberTextInput, forms.DecimalField):
    """``forms.DecimalField`` that reads ``৪৪.৭৭``, ``44.77`` and ``১২,৩৪,৫৬৭.৫০``; ``inputmode=decimal``."""


class DateEntryInput(forms.TextInput):
    """The site's date box: a text input that takes what people type (``base.dates``) and a small calendar
    beside it (static/js/date-entry.js; keyboard: Alt+↓ opens it). Not ``type=date``, which follows the
    browser's locale (mm/dd/yyyy in most) and refuses Bangla digits. A stored date is shown ``২৫/০৯/২০২২``
    in the Bangla UI, ``25/09/2022`` in English; what the user typed is shown back exactly as typed."""

    template_name = "base/widgets/date_entry.html"

    class Media:  # the site's pages load it in base.html; the admin adds each form's media
        js = ("js/date-entry.js",)
        css = {"all": ("css/date-entry.css",)}

    def __init__(self, attrs: dict[str, Any] | None = None):
        css = " ".join(filter(None, ["date-entry", (attrs or {}).get("class", "")]))
        super().__init__(attrs={"size": 12, "autocomplete": "off", **(attrs or {}), "class": css})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, datetime.date):
            from django.utils.translation import get_language

            return format_typed_date(value, bangla=not (get_language() or "bn").startswith("en"))
        return super().format_value(value)


class TypedDateMixin:
    """Mixin for a date field: reads what people type (``base.dates``) — ``২৫/০৯/২০২২``, ``25/09/2022``,
    ``25-9-22``, ``25092022``, ISO; an impossible date is refused with a Bangla message naming why."""

    empty_values = forms.DateField.empty_values

    def to_python(self, value: Any) -> datetime.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_typed_date(str(value))
        except DateEntryError as error:
            raise forms.ValidationError(error.user_message, code="invalid") from error


class BanglaDateField(TypedDateMixin, forms.DateField):
    """``forms.DateField`` that reads what people type (``base.dates``), shown with :class:`DateEntryInput`."""

    widget = DateEntryInput


class BanglaDateTimeField(BanglaDigitsMixin, forms.DateTimeField):
    """``forms.DateTimeField`` that reads ``০৫/০৭/২০২৩ ১৪:৩০``."""


@cache
def _typed_date_class(cls: type[forms.Field]) -> type[forms.Field]:
    """The typed-date variant of a date field class (a subclass: ``isinstance`` checks still hold)."""
    return type(f"TypedDate{cls.__name__}", (TypedDateMixin, cls), {"__module__": __name__})


@cache
def _bangla_class(cls: type[forms.Field]) -> type[forms.Field]:
    """The Bangla-reading variant of a field class: a subclass, so ``isinstance`` checks still hold."""
    mixin = BanglaNumberMixin if issubclass(cls, forms.IntegerField) else BanglaDigitsMixin
    return type(f"BanglaDigits{cls.__name__}", (mixin, cls), {"__module__": __name__})


def accept_bangla_digits(field: forms.Field) -> forms.Field:
    """Make one field instance (a form's own copy) read Bangla digits; other fields are left alone.

    Integer, decimal and float fields (``IntegerField`` and its subclasses), date, time and date-time
    fields, and the parts of a ``MultiValueField`` such as ``SplitDateTimeField``.  A number field shown as
    ``<input type="number">`` gets a text input with the same attributes and an ``inputmode``.
    """
    if isinstance(field, (BanglaDigitsMixin, TypedDateMixin)):
        return field
    if isinstance(field, forms.DateField):
        # Every date box of the site is the same control (the admin's too): typed dates and the picker.
        field.__class__ = _typed_date_class(type(field))
        if isinstance(field.widget, forms.DateInput):
            widget = DateEntryInput(
                {k: v for k, v in field.widget.attrs.items() if k not in {"class", "size"}}
            )
            widget.is_required = field.widget.is_required
            field.widget = widget
        return field
    if isinstance(field, forms.MultiValueField):
        for sub in field.fields:
            accept_bangla_digits(sub)
        return field
    if isinstance(field, forms.IntegerField):  # also DecimalField and FloatField
        field.__class__ = _bangla_class(type(field))
        if isinstance(field.widget, forms.NumberInput):
            mode = "decimal" if isinstance(field, (forms.DecimalField, forms.FloatField)) else "numeric"
            widget = _text_input(mode, field.widget.attrs)
            widget.is_required = field.widget.is_required
            widget.is_localized = field.widget.is_localized
            field.widget = widget
    elif isinstance(field, BaseTemporalField):
        field.__class__ = _bangla_class(type(field))
    return field


class BanglaDigitsFormMixin:
    """Form mixin (put it first in the bases): every number, date and time field reads Bangla digits.

    Works for ``forms.Form``, ``forms.ModelForm`` and admin forms (``ModelAdmin.form``,
    ``InlineModelAdmin.form``), including the fields Django generates from the model.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]  # the form's own deep copies
            accept_bangla_digits(field)
