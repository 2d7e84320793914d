"""Every write to offices, plans and progress, one module per family of writes (a reader finds a write by its
name in the file list):

- ``offices``: the offices sheet; fiscal years by code;
- ``plans``: a plan created or replaced from a plan sheet (``plan_import``);
- ``structure``: a plan's structure corrected outside a sheet import (titles, order, targets, weights);
- ``progress``: a quarter's value and remark, applicability, the progress sheet.

Every write checks permission and the locks on the server (``indicators.periods``), is all-or-nothing, and
records history (``indicators.history``). The browser, the admin, the sheet import and the commands all call
these (DESIGN.md §4 "One write path").
"""
