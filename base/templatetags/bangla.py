"""Template filters that write numbers, marks, percents, codes and dates the Bangla way."""

from django import template
from django.utils.translation import get_language

from base import bangla

register = template.Library()


@register.filter
def bn_digits(value: object) -> str:
    return bangla.to_bangla_digits(value)


@register.filter
def bn_marks(value) -> str:
    return "" if value is None else bangla.format_marks(value)


@register.filter
def bn_percent(value) -> str:
    return "" if value is None else bangla.format_percent(value)


@register.filter
def bn_code(value: str) -> str:
    return bangla.format_code(value)


@register.filter
def bn_date(value) -> str:
    return "" if value is None else bangla.format_date_short(value)


@register.filter
def bn_number(value, decimals=None) -> str:
    """A number with South-Asian grouping in Bangla digits: ``1234567.5`` → ``১২,৩৪,৫৬৭.৫``.

    ``{{ value|bn_number:2 }}`` rounds half-up to two places (``১২,৩৪,৫৬৭.৫০``).  ``None`` and ``""`` give
    ``""``; anything that is not a number is shown as it is, with its digits in Bangla.
    """
    if value is None or value == "":
        return ""
    places = None if decimals is None or decimals == "" else int(decimals)
    try:
        return bangla.format_number(value, decimals=places)
    except (TypeError, ValueError):
        return bangla.to_bangla_digits(value)


@register.filter
def fiscal_year_bn(start_year) -> str:
    """``2023`` → ``২০২৩-২৪``: a fiscal year from its start year."""
    return "" if start_year in (None, "") else bangla.fiscal_year_label(int(start_year))


@register.filter
def dom_id(code: str) -> str:
    """``1.2.2`` → ``1-2-2``: usable in an HTML id and a CSS selector."""
    return str(code).replace(".", "-")


@register.filter
def quarter_ordinal(quarter: int) -> str:
    """1 → ১ম, 2 → ২য়, 3 → ৩য়, 4 → ৪র্থ (in English: Q1 … Q4)."""
    if get_language() == "en":
        return f"Q{int(quarter)}"
    return bangla.QUARTER_ORDINALS_BN[int(quarter) - 1]
