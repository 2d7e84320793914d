"""A cell's text made comparable, and the error every parser raises (in Bangla and English)."""

from __future__ import annotations

import re
import unicodedata

from base.bangla import to_ascii_digits, to_bangla_digits

# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


class CellError(ValueError):
    """A cell (or header row) could not be understood; carries a Bangla and an English message."""

    def __init__(self, message_bn: str, message_en: str):
        super().__init__(f"{message_bn} / {message_en}")
        self.message_bn = message_bn
        self.message_en = message_en

    def __str__(self) -> str:
        return f"{self.message_bn} / {self.message_en}"

    def __repr__(self) -> str:
        return f"CellError({self.message_bn!r}, {self.message_en!r})"

    def __reduce__(self):  # keep the two messages when pickled (e.g. sent between processes)
        return (type(self), (self.message_bn, self.message_en))


def quote_raw(raw: object) -> str:
    """The user's value as typed, in quotes, for a message (surrounding whitespace/BOM dropped)."""
    text = "" if raw is None else str(raw)
    return "'" + text.replace("\ufeff", "").strip() + "'"


def bn_digits(number: object) -> str:
    return to_bangla_digits(number)


# --------------------------------------------------------------------------------------------
# Text clean-up
# --------------------------------------------------------------------------------------------

# Invisible characters that carry no meaning in a cell: BOM / zero-width no-break space, and the
# zero-width space. ZWJ (U+200D) and ZWNJ (U+200C) are kept: they change how Bangla conjuncts
# render.
_INVISIBLE = str.maketrans({"\ufeff": None, "\u200b": None})
_JOINERS = str.maketrans({"\u200c": None, "\u200d": None})
DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")


def clean_text(raw: str | None) -> str:
    """NFC, BOM and zero-width space dropped, trimmed, internal whitespace runs collapsed to one space.

    ``None`` gives ``""``. ZWJ/ZWNJ are kept. Whitespace includes NBSP, tabs and newlines.
    """
    if raw is None:
        return ""
    text = raw if isinstance(raw, str) else str(raw)
    text = unicodedata.normalize("NFC", text.translate(_INVISIBLE))
    return " ".join(text.split())


def is_blank(raw: str | None) -> bool:
    """True for empty/whitespace cells and for cells holding only dashes ("-", "--", "—", "– –"...)."""
    text = clean_text(raw).replace(" ", "")
    return all(ch in DASHES for ch in text)


_HEADER_SEPARATORS = str.maketrans({"_": " ", "-": " ", "\u2013": " ", "\u2014": " "})
_PAREN_OPEN = re.compile(r"\s*\(\s*")
_PAREN_CLOSE = re.compile(r"\s*\)")


def normalize_header(raw: str | None) -> str:
    """Comparable form of a header or keyword.

    clean_text + casefold; Bangla digits to ASCII; underscores, hyphens and en/em dashes become
    spaces; spacing around parentheses unified ("নাম(বাংলা)" == "নাম (বাংলা)"); ZWJ/ZWNJ dropped
    (invisible, so users cannot tell them apart); trailing ".", ":" and "*" dropped ("নং." ==
    "নং", "code*" == "code").
    """
    text = clean_text(raw).casefold().translate(_JOINERS)
    text = to_ascii_digits(text).translate(_HEADER_SEPARATORS)
    text = _PAREN_OPEN.sub(" (", text)
    text = _PAREN_CLOSE.sub(")", text)
    text = " ".join(text.split()).rstrip(".:* ").lstrip()
    # casefold can in rare cases leave a non-NFC string; normalise again so keys are stable.
    return unicodedata.normalize("NFC", text)
