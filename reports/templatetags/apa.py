"""Small helpers for the plan templates."""

from django import template
from django.utils.translation import get_language

from base.bangla import QUARTER_ORDINALS_BN
from indicators.explain import value_bn as _value_bn
from reports.jobs import report_name as _report_name

register = template.Library()


@register.filter
def dom_id(code: str) -> str:
    """``1.2.2`` → ``1-2-2``: usable in an HTML id and a CSS selector."""
    return str(code).replace(".", "-")


@register.simple_tag
def value_bn(value, unit: str) -> str:
    return _value_bn(value, unit)


@register.filter
def quarter_ordinal(quarter: int) -> str:
    """1 → ১ম, 2 → ২য়, 3 → ৩য়, 4 → ৪র্থ (in English: Q1 … Q4)."""
    if get_language() == "en":
        return f"Q{int(quarter)}"
    return QUARTER_ORDINALS_BN[int(quarter) - 1]


@register.filter
def report_name(kind: str, quarter: int) -> str:
    """(quarterly, 3) → ``quarterly-3``: a report's name in its address (``reports.jobs.report_name``)."""
    return _report_name(kind, int(quarter))
