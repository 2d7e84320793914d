"""Template tags of the plan: a value or target as people write it (``indicators.explain``)."""

from django import template

from base.templatetags.bangla import shown
from indicators.explain import value_bn as _value_bn

register = template.Library()


@register.simple_tag
def value_bn(value, unit: str) -> str:
    return shown(_value_bn(value, unit))
