"""Project format modules (``FORMAT_MODULE_PATH``): how dates and numbers are written and read per language.

Django's own ``bn`` formats write dates as "j F, Y" / "j M, Y", accept only day-first input without ISO,
and group numbers in threes; its ``en`` formats read "05/07/2023" as 7 May.  This office writes
``০৫/০৭/২০২৩`` in tables and groups numbers the South-Asian way (``১২,৩৪,৫৬৭.৫০``), in both languages.

Django localizes separators and grouping but never digits: Bangla digits come from
``base.bangla.to_bangla_digits`` (template filters ``bn_digits``, ``bn_number``...), and form fields read
Bangla digits through ``base.forms``.
"""
