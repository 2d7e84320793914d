"""Bangla (Bangladesh) formats; they replace ``django.conf.locale.bn.formats`` (``FORMAT_MODULE_PATH``).

The format strings use Django's date syntax; Django fills in month and day names from the ``bn``
catalog ("জুলাই") but writes digits in ASCII, so templates pass dates through ``bn_digits`` (or use
``bn_date``) to get ``০৫/০৭/২০২৩``.
"""

# Output (Django date syntax). Letters and tables: DESIGN.md §6.
DATE_FORMAT = "d F Y"  # 05 জুলাই 2023 -> with bn_digits: ০৫ জুলাই ২০২৩
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"  # 05/07/2023 -> ০৫/০৭/২০২৩ (tables)
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 6  # Saturday, as on Bangladeshi calendars (and Django's bn)

# Input (Python strptime syntax), tried in order; the first one is also how date inputs show a value
# (and what the admin calendar writes). Bangla digits are turned into ASCII before these are tried
# (base.forms).
DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # 05/07/2023
    "%d-%m-%Y",  # 05-07-2023
    "%d.%m.%Y",  # 05.07.2023
    "%Y-%m-%d",  # 2023-07-05 (ISO, also what <input type="date"> sends)
]
TIME_INPUT_FORMATS = [
    "%H:%M:%S",  # 14:30:59
    "%H:%M:%S.%f",  # 14:30:59.000200
    "%H:%M",  # 14:30
]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
]

# Numbers: 12,34,567.50 (lakh/crore grouping: the last three digits, then groups of two).
# Grouping only shows where it is asked for (USE_THOUSAND_SEPARATOR or floatformat's "g"); it stays off
# site-wide so that years and codes are never written "2,022".
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = (3, 2, 0)
