"""What every app needs, and nothing of any app: the lowest layer (pyproject.toml's import-linter contract).

- ``bangla``: Bangla digits, numbers as people group them (``১২,৩৪,৫৬৭.৫০``), codes (``[১.২.২]``), dates in
  both calendars (the Bangla Academy calendar of DESIGN.md §6), fiscal years and quarters;
- ``errors``: ``DomainError``, the error every service raises, with its Bangla and English message;
- ``forms``: form fields that read Bangla digits as well as ASCII ones;
- ``formats``: Django's date and number formats for Bangla and English (``FORMAT_MODULE_PATH``);
- ``templatetags/bangla``: the template filters every page uses (``bn_digits``, ``bn_date`` …).

Imports only Python and Django.
"""
