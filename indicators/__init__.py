"""The plan: offices, fiscal years, action plans (areas → activities → indicators with targets), quarterly
progress, the reporting periods and their locks, the history — and the marks computed from them. Imports only
``base`` (pyproject.toml's import-linter contract).

Reading order for a newcomer:
- ``models`` — the tables (DESIGN.md §2); ``scoring`` — DESIGN.md §3, pure functions over Decimal and date;
  ``scores`` — marks from the stored rows (the one builder of the scoring input);
- ``periods`` — the locks every write takes; ``history`` — the append-only history; ``permissions`` — who may
  see and do what;
- ``services/`` — every write (offices, plans, structure, progress), one module per family;
- ``sheets``, ``parsing``, ``plan_sheet``, ``problems``, ``uploads`` — plan and progress sheets read and
  checked (DESIGN.md §7); ``resources`` and ``admin`` — the same sheets and services in /admin/;
- ``selectors`` — reads shared by the apps above (plans for a user, the plan sheet's rows); ``http`` — the plan
  and indicator an address names, or 404.
"""
