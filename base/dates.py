"""Dates as people type them into a form: ``২৫/০৯/২০২২``, ``25/09/2022``, ``25-9-22``, ``25092022``.

One reading for every date box of the site (the quarter cells of the plan page, the report forms, the admin),
so that what the hint says ("দিন/মাস/বছর") is what works, whatever the browser's locale:

* day first, then month, then year, separated by ``/``, ``-``, ``.`` or spaces (the same one twice);
* or the digits alone: ``25092022`` (ddmmyyyy) or ``250922`` (ddmmyy);
* or ISO ``2022-09-25`` (what the site itself and older pages send);
* Bangla or ASCII digits; a two-digit year is this century (``22`` → 2022).

An impossible date (``৩১/০২/২০২৩``) is refused with a Bangla message that names what is wrong; it never
becomes another date. Sheets (DESIGN.md §7) keep their stricter reading (``indicators.parsing.dates``): a
two-digit year in a file is more likely a mistake than a shortcut.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from base.bangla import GREGORIAN_MONTHS_BN, to_ascii_digits, to_bangla_digits
from base.errors import DomainError

MIN_YEAR, MAX_YEAR = 1900, 2100
HINT_BN = "দিন/মাস/বছর লিখুন, যেমন ২৫/০৯/২০২২"
HINT_EN = "write day/month/year, e.g. 25/09/2022"

_SEPARATED = re.compile(r"(\d{1,2})\s*([/.\- ])\s*(\d{1,2})\s*\2\s*(\d{2}|\d{4})", re.ASCII)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_COMPACT = re.compile(r"(\d{2})(\d{2})(\d{2}|\d{4})", re.ASCII)


class DateEntryError(DomainError):
    """What was typed is not a date (the message says why, in Bangla and in English)."""


def _quoted(raw: str) -> str:
    return f"«{raw.strip()}»"


def parse_typed_date(raw: str) -> date:
    """The date a person typed (see the module's docstring); :class:`DateEntryError` when there is none."""
    text = re.sub(r"\s+", " ", to_ascii_digits(raw or "").strip())
    if not text:
        raise DateEntryError(f"তারিখ খালি — {HINT_BN}", f"The date is empty — {HINT_EN}")
    if match := _ISO.fullmatch(text):
        year, month, day = (int(g) for g in match.group(1, 2, 3))
    elif (match := _SEPARATED.fullmatch(text)) or (match := _COMPACT.fullmatch(text)):
        groups = match.groups()
        day, month, year_text = int(groups[0]), int(groups[-2]), groups[-1]
        year = 2000 + int(year_text) if len(year_text) == 2 else int(year_text)
    else:
        raise DateEntryError(
            f"তারিখ বোঝা যায়নি: {_quoted(raw)} — {HINT_BN}", f"Not a date: {_quoted(raw)} — {HINT_EN}"
        )
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateEntryError(
            f"এমন তারিখ হয় না: {_quoted(raw)} — বছর {to_bangla_digits(MIN_YEAR)} থেকে "
            f"{to_bangla_digits(MAX_YEAR)} এর মধ্যে হবে",
            f"No such date: {_quoted(raw)} — the year must be between {MIN_YEAR} and {MAX_YEAR}",
        )
    if not 1 <= month <= 12:
        raise DateEntryError(
            f"এমন তারিখ হয় না: {_quoted(raw)} — মাস ১ থেকে ১২ এর মধ্যে হবে; {HINT_BN}",
            f"No such date: {_quoted(raw)} — the month must be 1 to 12; {HINT_EN}",
        )
    last_day = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last_day:
        raise DateEntryError(
            f"এমন তারিখ হয় না: {_quoted(raw)} — {to_bangla_digits(year)} সালের {GREGORIAN_MONTHS_BN[month - 1]} "
            f"মাসে {to_bangla_digits(last_day)} দিন",
            f"No such date: {_quoted(raw)} — {calendar.month_name[month]} {year} has {last_day} days",
        )
    return date(year, month, day)


def format_typed_date(value: date, *, bangla: bool = True) -> str:
    """A date as the date box shows it: ``২৫/০৯/২০২২`` (``25/09/2022`` with ``bangla=False``)."""
    text = f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    return to_bangla_digits(text) if bangla else text
