"""Turn the text of ONE spreadsheet cell into a typed value, or raise :class:`CellError`.

Action plans and quarterly progress arrive as CSV/XLSX sheets typed by people in Bangla or
English. Every function here takes the text of a single cell (or a header row, for
:func:`map_headers`) and either returns a clean value or raises :class:`CellError` carrying a
message in Bangla and in English. The raw value is quoted in messages exactly as the user typed
it (only surrounding whitespace removed); numbers the code itself states (limits, examples) are
written with Bangla digits in the Bangla message.

Words (units, methods, quarters, headers...) are compared after :func:`normalize_header`, which
applies Unicode NFC. Note that NFC *decomposes* the precomposed ড় (U+09DC) and য় (U+09DF) into
ড/য + nukta (U+09BC), so both ways of typing them compare equal.

The modules: ``cells`` (the error, clean-up and comparison of text), ``headers`` (a sheet's header row),
``numbers`` (codes, numbers, weights, fiscal years), ``dates`` (dates, and a value in its unit) and
``keywords`` (units, methods, direction, quarter, applicability). Pure Python, no Django imports.
"""

from indicators.parsing.cells import CellError, clean_text, is_blank, normalize_header
from indicators.parsing.dates import parse_date, parse_target, parse_value
from indicators.parsing.headers import HEADER_ALIASES, REQUIRED_FIELDS, map_headers
from indicators.parsing.keywords import (
    UnitLabel,
    parse_applicability,
    parse_calc_method,
    parse_direction,
    parse_quarter,
    parse_scoring_method,
    parse_unit,
    parse_unit_label,
)
from indicators.parsing.numbers import (
    check_fits,
    code_numbers,
    parse_code,
    parse_decimal,
    parse_fiscal_year,
    parse_weight,
    plain_number,
)

__all__ = [
    "HEADER_ALIASES",
    "REQUIRED_FIELDS",
    "CellError",
    "UnitLabel",
    "check_fits",
    "clean_text",
    "code_numbers",
    "is_blank",
    "map_headers",
    "normalize_header",
    "parse_applicability",
    "parse_calc_method",
    "parse_code",
    "parse_date",
    "parse_decimal",
    "parse_direction",
    "parse_fiscal_year",
    "parse_quarter",
    "parse_scoring_method",
    "parse_target",
    "parse_unit",
    "parse_unit_label",
    "parse_value",
    "parse_weight",
    "plain_number",
]
