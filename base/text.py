"""Text as people type it into a form or a sheet: line breaks as ``\\n``, no control characters, a length limit
with a Bangla message."""

from __future__ import annotations

import re

from base.bangla import to_bangla_digits
from base.errors import DomainError

# Control characters other than line breaks and tabs: invisible, meaningless in a remark, and refused by the
# XLSX format (a remark holding one could never be exported).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text_within(text: str, limit: int, *, what_bn: str, what_en: str) -> str:
    """``text`` stripped, line breaks as ``\\n`` and control characters removed; a DomainError when it is
    longer than ``limit`` characters."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if len(text) > limit:
        raise DomainError(
            f"{what_bn} অনেক লম্বা: সর্বোচ্চ {to_bangla_digits(format(limit, ','))} অক্ষর।",
            f"The {what_en} is too long: at most {limit} characters.",
        )
    return text
