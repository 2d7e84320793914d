"""An office's plan imported from its own document in the browser (issue 13): upload → preview → confirm.

An officer or the CIO of the office uploads the plan as the office keeps it (CSV, XLSX or Word; this site's
sheet or the Cabinet Division's table). The preview shows how each row was read, with the layout, notices and
warnings; nothing is written until the officer confirms. Between the two the file stays on the server
(``indicators.plan_uploads``: private storage, a signed token in the page). Bad input shows every problem with
its row, in Bangla, and nothing is written. Anyone else gets 404, as for an office they may not see.

Each view: check permission → validate → call one service (``plan_import_document``) → render or redirect.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from base.bangla import fiscal_year_label, to_bangla_digits
from base.errors import DomainError
from base.uploadhandlers import UploadLimit, declared_too_large
from indicators import parsing, permissions
from indicators.models import Office
from indicators.plan_preview import plan_preview
from indicators.plan_uploads import plan_upload_discard, plan_upload_keep, plan_upload_take
from indicators.problems import ImportFailed
from indicators.services.plans import PlanImportResult, plan_import_document
from indicators.uploads import sheet_too_large


class PlanUploadForm(forms.Form):
    file = forms.FileField(error_messages={"required": gettext_lazy("একটি ফাইল বেছে নিন।")})
    replace = forms.BooleanField(required=False)


class PlanConfirmForm(forms.Form):
    token = forms.CharField(max_length=4000)


def _office_and_year(request: HttpRequest, office: str, year: str) -> tuple[Office, str]:
    """The office (if the user may import its plan) and the year's code, or 404."""
    found = Office.objects.filter(code=office).first()
    if found is None or not permissions.can_import_plan(request.user, found):
        raise Http404(_("এই দপ্তরের কর্মপরিকল্পনা আপনি আমদানি করতে পারেন না।"))
    try:
        start, _end = parsing.parse_fiscal_year(year)
    except parsing.CellError as error:
        raise Http404(error.message_bn) from error
    return found, fiscal_year_label(start, bangla=False)


def _summary(result: PlanImportResult, *, done: bool) -> str:
    verb = {
        (True, False): _("তৈরি হবে"),
        (True, True): _("তৈরি হয়েছে"),
        (False, False): _("প্রতিস্থাপিত হবে"),
        (False, True): _("প্রতিস্থাপিত হয়েছে"),
    }[(result.created, done)]
    removed = (
        _(", %(count)sটি সূচক বাদ") % {"count": to_bangla_digits(result.removed_indicators)}
        if result.removed_indicators
        else ""
    )
    return _(
        "কর্মপরিকল্পনা %(verb)s: %(areas)sটি ক্ষেত্র, %(activities)sটি কার্যক্রম, %(indicators)sটি সূচক%(removed)s।"
    ) % {
        "verb": verb,
        "areas": to_bangla_digits(result.areas),
        "activities": to_bangla_digits(result.activities),
        "indicators": to_bangla_digits(result.indicators),
        "removed": removed,
    }


def _page(request: HttpRequest, office: Office, year: str, **context) -> HttpResponse:
    context = {
        "office": office,
        "year": year,
        "year_bn": to_bangla_digits(year),
        "has_plan": office.plans.filter(fiscal_year__start_year=int(year[:4])).exists(),
        **context,
    }
    return render(request, "workflow/plan_import.html", context)


def _failure_context(failure: DomainError) -> dict:
    return {
        "error": failure.user_message,
        "problems": failure.problems if isinstance(failure, ImportFailed) else [],
    }


@csrf_exempt  # checked in _post, once the size limit is in place (an upload handler must come first)
@login_required
@require_http_methods(["GET", "POST"])
def plan_import_page(request: HttpRequest, office: str, year: str) -> HttpResponse:
    found, year_code = _office_and_year(request, office, year)
    if request.method == "GET":
        return _page(request, found, year_code, form=PlanUploadForm())
    if declared_too_large(request, settings.SHEET_MAX_BYTES):
        # Nothing is read, kept or changed, so no CSRF token is needed to say so.
        return _page(request, found, year_code, form=PlanUploadForm(), error=sheet_too_large().user_message)
    limit = UploadLimit(request, max_bytes=settings.SHEET_MAX_BYTES)
    request.upload_handlers.insert(0, limit)
    return _post(request, found, year_code, limit)


@csrf_protect
def _post(request: HttpRequest, office: Office, year: str, limit: UploadLimit) -> HttpResponse:
    if "token" in request.POST:
        return _confirm(request, office, year)
    form = PlanUploadForm(request.POST, request.FILES)
    refusal = limit.refusal(too_large=sheet_too_large().user_message)
    if refusal or not form.is_valid():
        error = refusal or " ".join(str(m) for errors in form.errors.values() for m in errors)
        return _page(request, office, year, form=PlanUploadForm(), error=error)
    upload = form.cleaned_data["file"]
    data, name, replace = b"".join(upload.chunks()), upload.name or "", form.cleaned_data["replace"]
    try:
        result = plan_import_document(
            office=office,
            year_code=year,
            data=data,
            name=name,
            replace=replace,
            user=request.user,
            preview=True,
        )
    except DomainError as failure:
        return _page(
            request, office, year, form=PlanUploadForm(), file_name=name, **_failure_context(failure)
        )
    token = plan_upload_keep(
        data=data, name=name, replace=replace, user_id=request.user.pk, office_id=office.pk, year=year
    )
    return _page(
        request,
        office,
        year,
        preview=plan_preview(result.parsed),
        summary=_summary(result, done=False),
        token=token,
        file_name=name,
        replace=replace,
    )


def _confirm(request: HttpRequest, office: Office, year: str) -> HttpResponse:
    form = PlanConfirmForm(request.POST)
    if not form.is_valid():
        return _page(request, office, year, form=PlanUploadForm(), error=_("ফাইলটি আবার দিন।"))
    kept = None
    try:
        kept = plan_upload_take(
            token=form.cleaned_data["token"], user_id=request.user.pk, office_id=office.pk, year=year
        )
        result = plan_import_document(
            office=office,
            year_code=year,
            data=kept.data,
            name=kept.name,
            replace=kept.replace,
            user=request.user,
        )
    except DomainError as failure:
        # Something changed since the preview (a quarter submitted, the plan imported by someone else): nothing
        # was written; the file goes, and the officer starts again with the reason in hand.
        return _page(request, office, year, form=PlanUploadForm(), **_failure_context(failure))
    finally:
        if kept is not None:
            plan_upload_discard(kept.storage_name)
    messages.success(request, _summary(result, done=True))
    return redirect(reverse("workflow:plan", args=[office.code, year]))
