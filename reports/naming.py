"""How reports are named: the stable report addresses of DESIGN.md §9 and the files' names."""

from __future__ import annotations

from indicators.models import ActionPlan
from reports.models import ReportKind

# The stable report addresses of DESIGN.md §9: /plans/<office>/<year>/reports/<name>.pdf
REPORT_NAMES = {
    "annual": (ReportKind.ANNUAL, 4),
    "half-yearly": (ReportKind.HALF_YEARLY, 2),
    "quarterly-1": (ReportKind.QUARTERLY, 1),
    "quarterly-2": (ReportKind.QUARTERLY, 2),
    "quarterly-3": (ReportKind.QUARTERLY, 3),
    "quarterly-4": (ReportKind.QUARTERLY, 4),
    "cover-letter": (ReportKind.COVER_LETTER, 4),
}


def report_name(kind: str, quarter: int) -> str:
    """(quarterly, 3) → ``quarterly-3``; the file name in the report's address."""
    return f"quarterly-{quarter}" if kind == ReportKind.QUARTERLY else kind


def report_filename(plan: ActionPlan, kind: str, quarter: int) -> str:
    """``mofa-2022-23-quarterly-3.pdf``: the report's file name in storage and in downloads."""
    return f"{plan.office.code}-{plan.fiscal_year.code}-{report_name(kind, quarter)}.pdf"
