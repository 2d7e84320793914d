"""Report PDFs and render jobs in the browser (DESIGN.md §6, §9).

/plans/<office>/<year>/reports/<name>.pdf — an approved period's report returns the bytes stored for its
standing approval, the latest version (same SHA-256 every time); a period not yet approved (or returned) is
rendered on the fly with the draft mark, for members of the office only. Reviewers see a child office's
reports only from "sent" on.

/plans/<office>/<year>/reports/<name>/versions/<N>.pdf — the copy of approval N, also after it was
superseded by a return and a new approval (never overwritten or deleted): for members of the office, and for
the parent office's reviewers if that version was sent to them.
"""

from __future__ import annotations

import io
import logging

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators import permissions
from indicators.http import plan_or_404
from indicators.models import VISIBLE_TO_REVIEWER_STATES, ActionPlan, Approval, ReportingPeriod
from reports import jobs, naming
from reports.letter import FINAL_STATES
from reports.models import ApprovedReport, JobStatus, ReportJob, ReportKind
from reports.rendering import render_report
from reports.xlsx import assessment_table_xlsx as assessment_table_xlsx_bytes

logger = logging.getLogger(__name__)


def _report_or_404(name: str) -> tuple[str, int]:
    if name not in naming.REPORT_NAMES:
        raise Http404(_("এই নামের কোনো প্রতিবেদন নেই।"))
    return naming.REPORT_NAMES[name]


def _visible_period_or_404(request: HttpRequest, plan: ActionPlan, quarter: int) -> ReportingPeriod:
    """The plan's period of ``quarter`` if this user may see its reports: members always, the parent
    office's reviewers from "sent" on."""
    period = plan.periods.filter(quarter=quarter).first()
    if period is None:
        raise Http404
    if not permissions.is_member(request.user, plan) and period.state not in VISIBLE_TO_REVIEWER_STATES:
        raise Http404(_("এই প্রতিবেদন এখনো পাঠানো হয়নি।"))
    return period


def _pdf_response(data_or_file, *, filename: str, sha256: str, draft: bool) -> HttpResponse:
    response = FileResponse(data_or_file, content_type="application/pdf", filename=filename)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Report-SHA256"] = sha256
    response["Cache-Control"] = "private, no-store" if draft else "private, max-age=300"
    return response


@login_required
def report_pdf(request: HttpRequest, office: str, year: str, name: str) -> HttpResponse:
    plan = plan_or_404(request, office, year)
    kind, quarter = _report_or_404(name)
    period = _visible_period_or_404(request, plan, quarter)
    filename = naming.report_filename(plan, kind, quarter)
    if period.state in FINAL_STATES:
        approved = ApprovedReport.objects.filter(
            approval__period=period, approval__superseded_at__isnull=True, kind=kind
        ).first()
        if approved is not None:
            return _pdf_response(
                _stored(approved.file), filename=filename, sha256=approved.sha256, draft=False
            )
        # Approved, but its one rendering has not finished yet: say so rather than render a second copy.
        response = render(
            request, "reports/report_pending.html", {"plan": plan, "period": period, "name": name}, status=503
        )
        response["Retry-After"] = "5"
        return response
    rendered = render_report(plan, kind, quarter, draft=True)
    return _pdf_response(
        io.BytesIO(rendered.pdf), filename=f"draft-{filename}", sha256=rendered.sha256, draft=True
    )


@login_required
def report_version_pdf(request: HttpRequest, office: str, year: str, name: str, number: int) -> HttpResponse:
    """The stored copy of one approval (version ``number``) of the period, standing or superseded."""
    plan = plan_or_404(request, office, year)
    kind, quarter = _report_or_404(name)
    approval = (
        Approval.objects.filter(period__plan=plan, period__quarter=quarter, number=number)
        .select_related("period")
        .first()
    )
    if approval is None:
        raise Http404
    # A reviewer sees what was sent to them, never an approval the office kept to itself.
    if not permissions.is_member(request.user, plan) and approval.sent_at is None:
        raise Http404
    report = approval.reports.filter(kind=kind).first()
    if report is None:
        raise Http404(_("এই সংস্করণের কপি নেই।"))
    stem = naming.report_filename(plan, kind, quarter).removesuffix(".pdf")
    return _pdf_response(
        _stored(report.file), filename=f"{stem}-v{number}.pdf", sha256=report.sha256, draft=False
    )


@login_required
@require_POST
def report_job_start(request: HttpRequest, office: str, year: str, name: str) -> HttpResponse:
    """Start rendering a draft in the background; the page then polls the job."""
    plan = plan_or_404(request, office, year)
    kind, quarter = _report_or_404(name)
    if not permissions.is_member(request.user, plan):
        raise Http404
    job = jobs.job_create(plan=plan, kind=kind, quarter=quarter, user=request.user)
    if request.headers.get("HX-Request") == "true":
        return render(request, "reports/_job.html", {"job": job, "plan": plan})
    return redirect(reverse("report_pdfs:job", args=[job.pk]))


def _job_for_user(request: HttpRequest, pk: int) -> ReportJob:
    job = get_object_or_404(ReportJob.objects.select_related("plan__office", "plan__fiscal_year"), pk=pk)
    if not permissions.is_member(request.user, job.plan):
        raise Http404
    return job


@login_required
def report_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress (an htmx fragment polled every second while it runs, or a page)."""
    job = _job_for_user(request, pk)
    template = "reports/_job.html" if request.headers.get("HX-Request") == "true" else "reports/job.html"
    return render(request, template, {"job": job, "plan": job.plan})


@login_required
def report_job_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for_user(request, pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404(_("প্রতিবেদন এখনো তৈরি হয়নি।"))
    filename = f"draft-{naming.report_filename(job.plan, job.kind, job.quarter)}"
    return _pdf_response(_stored(job.file), filename=filename, sha256=job.sha256, draft=True)


def _stored(file):
    """The stored PDF opened for reading; a file gone from storage is a 404 and a log line (verify_reports
    names it), not a server error."""
    try:
        return file.storage.open(file.name, "rb")
    except FileNotFoundError as missing:
        logger.error("Stored report %s is missing", file.name)
        raise Http404(_("প্রতিবেদনের সংরক্ষিত ফাইলটি পাওয়া যায়নি।")) from missing


@login_required
def assessment_table_xlsx(request: HttpRequest, office: str, year: str, name: str) -> HttpResponse:
    """The self-assessment table of a report as XLSX: what the PDF's table shows, for the same viewers."""
    plan = plan_or_404(request, office, year)
    kind, quarter = _report_or_404(name)
    if kind == ReportKind.COVER_LETTER:
        raise Http404
    _visible_period_or_404(request, plan, quarter)
    data = assessment_table_xlsx_bytes(plan, kind, quarter)
    filename = naming.report_filename(plan, kind, quarter).removesuffix(".pdf") + "-table.xlsx"
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
