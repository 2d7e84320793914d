"""English as written in Bangladesh (en-BD); replaces ``django.conf.locale.en.formats``.

Django's ``en`` formats read "05/07/2023" as 7 May and group numbers in threes; an officer who switches
the interface to English still means 5 July and writes 12,34,567.50. So every format is the Bangla one
(``base.formats.bn.formats``) except the long date, written without a leading zero; digits stay ASCII.
"""

from base.formats.bn.formats import (  # noqa: F401  (Django reads them from this module)
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    DECIMAL_SEPARATOR,
    FIRST_DAY_OF_WEEK,
    MONTH_DAY_FORMAT,
    NUMBER_GROUPING,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
    THOUSAND_SEPARATOR,
    TIME_FORMAT,
    TIME_INPUT_FORMATS,
    YEAR_MONTH_FORMAT,
)

DATE_FORMAT = "j F Y"  # 5 July 2023
DATETIME_FORMAT = "j F Y, H:i"
