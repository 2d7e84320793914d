"""Reads of the reports a page lists."""

from __future__ import annotations

from indicators import permissions
from indicators.models import (
    EDITABLE_STATES,
    VISIBLE_TO_REVIEWER_STATES,
    ActionPlan,
    HistoryEntry,
    PeriodState,
)
from indicators.selectors import office_year_plan
from reports.models import ApprovedReport, ReportJob, ReportKind
from reports.naming import REPORT_NAMES
from reports.signing import stored_report_signature


def plan_reports(plan: ActionPlan, user) -> list[dict]:
    """For the plan page: per period, the reports it has, the copies of its standing approval and the latest
    draft job."""
    periods = {p.quarter: p for p in plan.periods.all()}
    approved = {
        (r.approval.period.quarter, r.kind): r
        for r in ApprovedReport.objects.filter(
            approval__period__plan=plan, approval__superseded_at__isnull=True
        ).select_related("approval__period")
    }
    latest_jobs: dict[tuple[int, str], ReportJob] = {}
    for job in ReportJob.objects.filter(plan=plan, approval__isnull=True).order_by("created_at"):
        latest_jobs[(job.quarter, job.kind)] = job
    # The rendering of the standing approval's copy, while it is not kept yet: its row shows the progress
    # and refreshes itself until the copy is there (issue 14.9).
    approval_jobs: dict[tuple[int, str], ReportJob] = {}
    for job in ReportJob.objects.filter(
        plan=plan, approval__isnull=False, approval__superseded_at__isnull=True
    ).order_by("created_at"):
        approval_jobs[(job.quarter, job.kind)] = job
    is_member = permissions.is_member(user, plan)
    rows = []
    for name, (kind, quarter) in REPORT_NAMES.items():
        period = periods.get(quarter)
        if period is None or (not is_member and period.state not in VISIBLE_TO_REVIEWER_STATES):
            continue
        rows.append(
            {
                "name": name,
                "kind": kind,
                "label": ReportKind(kind).label,
                "quarter": quarter,
                "period": period,
                "approved": approved.get((quarter, kind)),
                "signature": (
                    stored_report_signature(approved[(quarter, kind)])
                    if (quarter, kind) in approved
                    else None
                ),
                "job": latest_jobs.get((quarter, kind)) if is_member else None,
                "approval_job": approval_jobs.get((quarter, kind)) if is_member else None,
                "can_draft": is_member and period.state in (*EDITABLE_STATES, PeriodState.SUBMITTED),
            }
        )
    return rows


def document_history(office, fiscal_year, document: str) -> list[HistoryEntry]:
    """A document's entries in the history of the office's plan of the year (``HistoryEntry.document``),
    newest first; none while the office has no plan."""
    plan = office_year_plan(office, fiscal_year)
    if plan is None:
        return []
    return list(HistoryEntry.objects.filter(plan=plan, document=document).select_related("user"))
