"""Evidence of an indicator: upload, download through a permission check, remove while the quarter is open.

Each view: check permission → validate → call one service → redirect, or render the panel when the request
came from htmx. Isolation: evidence, plans and indicators the user may not see answer 404, exactly like ones
that do not exist. Files are never served from MEDIA_URL (DESIGN.md §5): only ``download`` reads them.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe

from base.errors import DomainError, PermissionDeniedError
from base.uploadhandlers import UploadLimit, declared_too_large
from evidence import selectors, services
from evidence.models import Evidence
from indicators import permissions
from indicators.http import indicator_or_404, is_htmx, plan_or_404
from indicators.models import ActionPlan, Indicator

logger = logging.getLogger(__name__)


def _evidence_or_404(request: HttpRequest, pk: int) -> Evidence:
    try:
        return selectors.evidence_for_user(user=request.user, pk=pk)
    except DomainError as error:
        raise Http404(error.user_message) from error


def indicator_url(plan: ActionPlan, indicator: Indicator) -> str:
    return reverse("workflow:indicator", args=[plan.office.code, plan.fiscal_year.code, indicator.code])


def _answer(
    request: HttpRequest,
    plan: ActionPlan,
    indicator: Indicator,
    *,
    error: str = "",
    notice: str = "",
    form_data: dict | None = None,
) -> HttpResponse:
    """htmx: the panel again, with the error next to the form (status 200, so htmx swaps it in).
    Without JavaScript: back to the indicator page, the outcome as a message at its top."""
    if is_htmx(request):
        access = selectors.panel_access(plan, request.user)
        context = {
            "plan": plan,
            "evidence_access": access,
            "indicator": indicator,
            "evidence": selectors.indicator_evidence(indicator, visible_quarters=access.visible_quarters),
            "upload_error": error,
            "evidence_notice": notice,
            "upload_data": form_data or {},
        }
        return render(request, "evidence/_panel.html", context)
    if error:
        messages.error(request, error)
        return redirect(indicator_url(plan, indicator))
    messages.success(request, notice)
    return redirect(f"{indicator_url(plan, indicator)}#evidence")


# ---------------------------------------------------------------------------------------------------------
# Upload


class EvidenceUploadForm(forms.Form):
    title = forms.CharField(
        max_length=500,
        error_messages={
            "required": _("প্রমাণকের শিরোনাম লিখুন।"),
            "max_length": _("শিরোনাম সর্বোচ্চ ৫০০ অক্ষরের হতে পারে।"),
        },
    )
    quarter = forms.TypedChoiceField(
        choices=[(q, q) for q in (1, 2, 3, 4)],
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("ত্রৈমাসিক ১ থেকে ৪ হতে হবে।")},
    )
    # Empty files reach the service, which refuses them with its own message (one wording everywhere).
    file = forms.FileField(allow_empty_file=True, error_messages={"required": _("একটি ফাইল বেছে নিন।")})


@csrf_exempt  # checked in _upload, once the size limit is in place (an upload handler must come first)
@login_required
@require_POST
def upload(request: HttpRequest, office: str, year: str, code: str) -> HttpResponse:
    """An evidence upload: refused from its declared length before the body is read, and otherwise
    received through ``UploadLimit`` so that an oversize file is never kept whole."""
    plan = plan_or_404(request, office, year)
    indicator = indicator_or_404(plan, code)
    if not permissions.can_edit_progress(request.user, plan):
        raise Http404(_("এই দপ্তরের প্রমাণক আপনি যোগ করতে পারেন না।"))
    if declared_too_large(request, settings.EVIDENCE_MAX_BYTES):
        # Nothing is read, kept or changed, so no CSRF token is needed to say so.
        return _answer(request, plan, indicator, error=services.upload_too_large().user_message)
    limit = UploadLimit(request, max_bytes=settings.EVIDENCE_MAX_BYTES)
    request.upload_handlers.insert(0, limit)
    return _upload(request, plan, indicator, limit)


@csrf_protect
def _upload(request: HttpRequest, plan: ActionPlan, indicator: Indicator, limit: UploadLimit) -> HttpResponse:
    form = EvidenceUploadForm(request.POST, request.FILES)
    form_data = {"title": request.POST.get("title", ""), "quarter": request.POST.get("quarter", "")}
    refusal = limit.refusal(too_large=services.upload_too_large().user_message)
    if refusal:
        return _answer(request, plan, indicator, error=refusal, form_data=form_data)
    if not form.is_valid():
        error = " ".join(str(message) for messages_ in form.errors.values() for message in messages_)
        return _answer(request, plan, indicator, error=error, form_data=form_data)
    try:
        evidence = services.evidence_upload(
            indicator=indicator,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
            quarter=form.cleaned_data["quarter"],
            user=request.user,
        )
    except PermissionDeniedError as denied:
        raise Http404(denied.user_message) from denied
    except DomainError as failure:
        return _answer(request, plan, indicator, error=failure.user_message, form_data=form_data)
    notice = _("প্রমাণক “%(title)s” যুক্ত হয়েছে।") % {"title": evidence.title}
    return _answer(request, plan, indicator, notice=notice)


# ---------------------------------------------------------------------------------------------------------
# Download and removal


def content_disposition(filename: str) -> str:
    """``attachment`` with the file name: plain for ASCII names; for others (Bangla) an ASCII fallback for
    old clients and the real name as RFC 5987 ``filename*``, which every current browser prefers."""
    if filename.isascii() and all(ch.isprintable() and ch not in '"\\' for ch in filename):
        return f'attachment; filename="{filename}"'
    _stem, dot, suffix = filename.rpartition(".")
    fallback = f"evidence.{suffix}" if dot and suffix.isascii() and suffix.isalnum() else "evidence"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


@login_required
@require_safe
def download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = _evidence_or_404(request, pk)
    try:
        handle = evidence.file.storage.open(evidence.file.name, "rb")
    except FileNotFoundError as missing:
        logger.error("Evidence #%s: stored file %s is missing", evidence.pk, evidence.file.name)
        raise Http404(_("প্রমাণকের ফাইলটি পাওয়া যায়নি।")) from missing
    response = FileResponse(handle, content_type=evidence.content_type)
    response["Content-Disposition"] = content_disposition(selectors.download_filename(evidence))
    # The stored type, never a browser's guess; and no shared cache keeps a file only some may see.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _evidence_or_404(request, pk)
    indicator = evidence.indicator
    plan = indicator.plan
    try:
        services.evidence_remove(evidence=evidence, user=request.user, reason=request.POST.get("reason", ""))
    except PermissionDeniedError as denied:
        raise Http404(denied.user_message) from denied
    except DomainError as failure:
        return _answer(request, plan, indicator, error=failure.user_message)
    notice = _("প্রমাণক “%(title)s” সরানো হয়েছে।") % {"title": evidence.title}
    return _answer(request, plan, indicator, notice=notice)
