"""Evidence of an indicator: upload, download through a permission check, remove while the quarter is open.

Each view: check permission → validate → call one service → redirect, or render the panel when the request
came from htmx. Isolation: evidence, plans and indicators the user may not see answer 404, exactly like ones
that do not exist. Files are never served from MEDIA_URL (DESIGN.md §5): only ``download`` reads them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
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

from base.bangla import to_bangla_digits
from base.errors import DomainError, PermissionDeniedError
from base.uploadhandlers import UploadLimit, declared_too_large
from evidence import selectors, services
from evidence.models import Evidence
from evidence.validators import sanitize_filename
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


@dataclass(frozen=True)
class UploadResult:
    """What became of one file of an upload: kept as ``title``, or refused with ``error``."""

    name: str
    title: str = ""
    error: str = ""


def _answer(
    request: HttpRequest,
    plan: ActionPlan,
    indicator: Indicator,
    *,
    error: str = "",
    notice: str = "",
    form_data: dict | None = None,
    results: list[UploadResult] | None = None,
) -> HttpResponse:
    """htmx: the panel again, with the error next to the form (status 200, so htmx swaps it in).
    Without JavaScript: back to the indicator page, the outcome as a message at its top."""
    results = results or []
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
            "upload_results": results,
        }
        return render(request, "evidence/_panel.html", context)
    for result in results:
        if result.error:
            messages.error(request, f"{result.name}: {result.error}")
        else:
            messages.success(request, _("প্রমাণক “%(title)s” যুক্ত হয়েছে।") % {"title": result.title})
    if error:
        messages.error(request, error)
        return redirect(indicator_url(plan, indicator))
    if notice:
        messages.success(request, notice)
    return redirect(f"{indicator_url(plan, indicator)}#evidence")


# ---------------------------------------------------------------------------------------------------------
# Upload


class EvidenceUploadForm(forms.Form):
    # Optional: without it each file is titled by its name; with several files, the title and the name.
    title = forms.CharField(
        max_length=500,
        required=False,
        error_messages={"max_length": _("শিরোনাম সর্বোচ্চ ৫০০ অক্ষরের হতে পারে।")},
    )
    quarter = forms.TypedChoiceField(
        choices=[(q, q) for q in (1, 2, 3, 4)],
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("ত্রৈমাসিক ১ থেকে ৪ হতে হবে।")},
    )


def file_title(title: str, name: str, *, several: bool) -> str:
    """The index title of one file of an upload: the title typed (one file), the title and the file's name
    without its extension (several files), or that name alone (no title typed)."""
    stem = Path(sanitize_filename(name)).stem.strip() or name
    title = title.strip()
    if not title:
        return stem
    return f"{title} — {stem}" if several else title


@csrf_exempt  # checked in _upload, once the size limit is in place (an upload handler must come first)
@login_required
@require_POST
def upload(request: HttpRequest, office: str, year: str, code: str) -> HttpResponse:
    """An evidence upload of one or several files (at most ``EVIDENCE_MAX_FILES``): refused from its
    declared length before the body is read, and otherwise received through ``UploadLimit`` so that an
    oversize file is never kept whole (the other files of the upload go on)."""
    plan = plan_or_404(request, office, year)
    indicator = indicator_or_404(plan, code)
    if not permissions.can_edit_progress(request.user, plan):
        raise Http404(_("এই দপ্তরের প্রমাণক আপনি যোগ করতে পারেন না।"))
    max_files = settings.EVIDENCE_MAX_FILES
    if declared_too_large(request, settings.EVIDENCE_MAX_BYTES * max_files):
        # Nothing is read, kept or changed, so no CSRF token is needed to say so.
        return _answer(request, plan, indicator, error=services.upload_too_large().user_message)
    limit = UploadLimit(request, max_bytes=settings.EVIDENCE_MAX_BYTES, max_files=max_files)
    request.upload_handlers.insert(0, limit)
    return _upload(request, plan, indicator, limit)


@csrf_protect
def _upload(request: HttpRequest, plan: ActionPlan, indicator: Indicator, limit: UploadLimit) -> HttpResponse:
    form = EvidenceUploadForm(request.POST)
    form_data = {"title": request.POST.get("title", ""), "quarter": request.POST.get("quarter", "")}
    if limit.too_many_files:
        error = _("একবারে সর্বোচ্চ %(n)sটি ফাইল দিন।") % {"n": to_bangla_digits(settings.EVIDENCE_MAX_FILES)}
        return _answer(request, plan, indicator, error=error, form_data=form_data)
    files = request.FILES.getlist("file")
    too_large = services.upload_too_large().user_message
    if not files and not limit.too_large_names:
        return _answer(request, plan, indicator, error=_("একটি ফাইল বেছে নিন।"), form_data=form_data)
    if not form.is_valid():
        error = " ".join(str(message) for messages_ in form.errors.values() for message in messages_)
        return _answer(request, plan, indicator, error=error, form_data=form_data)
    several = len(files) + len(limit.too_large_names) > 1
    results = [UploadResult(name=sanitize_filename(name), error=too_large) for name in limit.too_large_names]
    for upload_file in files:
        # Each file on its own, checked by its content: one refused file leaves the others kept.
        name = sanitize_filename(upload_file.name or "")
        try:
            evidence = services.evidence_upload(
                indicator=indicator,
                title=file_title(form.cleaned_data["title"], upload_file.name or "", several=several),
                upload=upload_file,
                quarter=form.cleaned_data["quarter"],
                user=request.user,
            )
        except PermissionDeniedError as denied:
            raise Http404(denied.user_message) from denied
        except DomainError as failure:
            results.append(UploadResult(name=name, error=failure.user_message))
        else:
            results.append(UploadResult(name=name, title=evidence.title))
    failed = [result for result in results if result.error]
    if len(results) == 1 and failed:
        # One file: its refusal beside the form, as before, with what was typed kept.
        return _answer(request, plan, indicator, error=failed[0].error, form_data=form_data)
    if len(results) == 1:
        notice = _("প্রমাণক “%(title)s” যুক্ত হয়েছে।") % {"title": results[0].title}
        return _answer(request, plan, indicator, notice=notice)
    return _answer(request, plan, indicator, results=results, form_data=form_data if failed else None)


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
