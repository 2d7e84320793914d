"""Template filters that write numbers, marks, percents, codes and dates the Bangla way.

In the Bangla interface with Bangla digits; in the English one (the language switch) the same forms with ASCII
digits, so that an English page does not mix scripts: ``৪৪.৭৭`` → ``44.77``, ``০৫/০৭/২০২৩`` → ``05/07/2023``.
"""

import re

from django import template
from django.utils.translation import get_language

from base import bangla

register = template.Library()

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
# A text kept in both languages, as the services write reasons: "অগ্রগতি আমদানি / progress import".
_BILINGUAL = re.compile(r"^(?P<bn>.*[\u0980-\u09ff].*?) / (?P<en>[\x20-\x7e]+)$", re.DOTALL)


def english() -> bool:
    return get_language() == "en"


def shown(text: str) -> str:
    """Digits as the interface's language writes them: Bangla, or ASCII in the English interface."""
    return bangla.to_ascii_digits(text) if english() else text


@register.filter
def bn_digits(value: object) -> str:
    return shown(bangla.to_bangla_digits(value))


@register.filter
def bn_marks(value) -> str:
    return "" if value is None else shown(bangla.format_marks(value))


@register.filter
def bn_percent(value) -> str:
    return "" if value is None else shown(bangla.format_percent(value))


@register.filter
def bn_code(value: str) -> str:
    return shown(bangla.format_code(value))


@register.filter
def bn_date(value) -> str:
    return "" if value is None else shown(bangla.format_date_short(value))


@register.filter
def history_value(value: str) -> str:
    """A value as the history keeps it (ISO date, plain number, text) shown the way the pages write it:
    ``2022-09-25`` → ``২৫/০৯/২০২২``, ``1514.5`` → ``১,৫১৪.৫``; text with its digits in the interface's."""
    text = "" if value is None else str(value)
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = match.groups()
        return shown(bangla.to_bangla_digits(f"{day}/{month}/{year}"))
    if _PLAIN_NUMBER.match(text):
        return bn_number(text)
    return bn_digits(text)


@register.filter
def in_language(text: str) -> str:
    """Of a text kept as "Bangla / English", the half in the interface's language; any other text as it is."""
    match = _BILINGUAL.match(str(text or ""))
    if not match:
        return "" if text is None else str(text)
    return match["en"] if english() else match["bn"]


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
        return shown(bangla.format_number(value, decimals=places))
    except (TypeError, ValueError):
        return shown(bangla.to_bangla_digits(value))


@register.filter
def fiscal_year_bn(start_year) -> str:
    """``2023`` → ``২০২৩-২৪``: a fiscal year from its start year."""
    return "" if start_year in (None, "") else shown(bangla.fiscal_year_label(int(start_year)))


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


@register.filter
def quarter_name(quarter: int) -> str:
    """1 → ১ম ত্রৈমাসিক (in English: Q1): a quarter named on its own, without a second "Quarter"."""
    if english():
        return f"Q{int(quarter)}"
    return f"{bangla.QUARTER_ORDINALS_BN[int(quarter) - 1]} ত্রৈমাসিক"


# Digits of a rendered piece of HTML: only in its text (not in tags, so addresses and ids keep theirs, nor in
# character references), and only numbers standing on their own: a user name like "officer2" or an address
# like "x1@…" keeps its digits.
_HTML_PARTS = re.compile(r"(<[^>]*>|&#?\w+;)")
_LONE_NUMBER = re.compile(r"(?<![A-Za-z_@0-9])[0-9]+(?![A-Za-z_@0-9])")


@register.filter(is_safe=True)
def bn_text_digits(html: object) -> str:
    """The numbers in a piece of HTML's text in Bangla digits (the admin's lists, counts and dates); in the
    English interface unchanged. The result is as safe as what came in."""
    from django.utils.safestring import SafeData, mark_safe

    text = "" if html is None else str(html)
    if english():
        return html if isinstance(html, SafeData) else text
    parts = _HTML_PARTS.split(text)
    out = "".join(
        part if i % 2 else _LONE_NUMBER.sub(lambda m: bangla.to_bangla_digits(m.group()), part)
        for i, part in enumerate(parts)
    )
    return mark_safe(out) if isinstance(html, SafeData) else out
