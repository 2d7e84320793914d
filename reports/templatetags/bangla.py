"""Template filters that write numbers, marks, percents, codes and dates the Bangla way."""

from django import template

from reports import bangla

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
