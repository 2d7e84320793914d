"""Pages where the team writes the report texts (DESIGN.md §6): the cover letter of each period, the annual
report's introduction and its initiatives tables.

Each view: check who may see it → validate the form → call one service of ``reports.editing`` → redirect or
render. Isolation: a plan the user may not see, and a period a reviewer may not see yet, answer 404 exactly
like ones that do not exist. Once a period is submitted or approved, or for a user who may only read (the
parent office's reviewer), the pages show the texts without forms; the services refuse writes on the server
whatever the page showed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from base.errors import ConflictError, DomainError, LockedError, PermissionDeniedError
from indicators import permissions
from indicators.http import plan_or_404
from indicators.models import ActionPlan
from reports import editing
from reports.document import introduction_blocks
from reports.forms import CoverLetterForm, InitiativeForm, IntroductionForm
from reports.letter import cover_letter_for, memo_number
from reports.models import Initiative


def _access_or_404(request: HttpRequest, plan: ActionPlan, quarter: int) -> editing.TextAccess:
    if quarter not in (1, 2, 3, 4):
        raise Http404
    access = editing.text_access(user=request.user, plan=plan, quarter=quarter)
    if not access.visible:  # a reviewer before the period was sent
        raise Http404(_("এই প্রতিবেদনকাল এখনো পাঠানো হয়নি।"))
    return access


def _initiative_or_404(plan: ActionPlan, pk: int) -> Initiative:
    initiative = plan.initiatives.filter(pk=pk).first()
    if initiative is None:
        raise Http404(_("এই উদ্যোগটি নেই।"))
    initiative.plan = plan  # already loaded with its office and year
    return initiative


def _refused(request: HttpRequest, plan: ActionPlan, failure: DomainError, back: str) -> HttpResponse | None:
    """The answer to a write the service refused for who or when: someone outside the office learns no more
    than a 404; a member is sent back to the (now read-only) page with the reason. None for other errors,
    which the page shows beside the form."""
    if isinstance(failure, PermissionDeniedError) and not permissions.is_member(request.user, plan):
        raise Http404(failure.user_message) from failure
    if isinstance(failure, (PermissionDeniedError, LockedError)):
        messages.error(request, failure.user_message)
        return redirect(back)
    return None


def _read_only(request: HttpRequest, plan: ActionPlan, access: editing.TextAccess, back: str) -> HttpResponse:
    """A write on a page this user may only read, refused before the form is read (the services check again,
    under the period's lock): as ``_refused``, a 404 outside the office, the reason for a member."""
    if not access.is_member:
        raise Http404
    if not access.may_edit:
        messages.error(request, _("আপনি এই দপ্তরের প্রতিবেদনের লেখা বদলাতে পারেন না।"))
    else:
        messages.error(
            request,
            _("প্রতিবেদনকালটি এখন “%(state)s” অবস্থায়, তাই এই লেখা বদলানো যাবে না; ফেরত পাঠানো হলে আবার বদলানো যাবে।")
            % {"state": access.period.get_state_display()},
        )
    return redirect(back)


def _text_url(name: str, plan: ActionPlan, *args: object) -> str:
    return reverse(f"reports:{name}", args=[plan.office.code, plan.fiscal_year.code, *args])


# ---------------------------------------------------------------------------------------------------------
# Cover letter (প্রেরণপত্র), one per reporting period


@login_required
@require_http_methods(["GET", "POST"])
def cover_letter_edit(request: HttpRequest, office: str, year: str, quarter: int) -> HttpResponse:
    plan = plan_or_404(request, office, year)
    access = _access_or_404(request, plan, quarter)
    letter = cover_letter_for(access.period)
    form, error, conflict = None, "", False
    if request.method == "POST" and not access.editable:
        return _read_only(request, plan, access, request.path)
    if request.method == "POST":
        form = CoverLetterForm(request.POST)
        if form.is_valid():
            try:
                editing.cover_letter_update(
                    period=access.period,
                    data=form.cleaned_data,
                    user=request.user,
                    expected_fingerprint=form.cleaned_data["fingerprint"] or None,
                )
            except DomainError as failure:
                if refusal := _refused(request, plan, failure, request.path):
                    return refusal
                error = failure.user_message
                if isinstance(failure, ConflictError):
                    # Show what is stored now beside what this user typed; saving again is a deliberate choice.
                    letter.refresh_from_db()
                    conflict = True
                    data = request.POST.copy()
                    data["fingerprint"] = editing.letter_fingerprint(letter)
                    form = CoverLetterForm(data)
                    form.is_valid()
            else:
                messages.success(request, _("প্রেরণপত্র সংরক্ষিত হয়েছে।"))
                return redirect(request.path)
    elif access.editable:
        initial = {name: getattr(letter, name) for name in editing.COVER_LETTER_FIELDS}
        form = CoverLetterForm(initial={**initial, "fingerprint": editing.letter_fingerprint(letter)})
    return render(
        request,
        "reports/edit_letter.html",
        {
            "plan": plan,
            "access": access,
            "letter": letter,
            "memo_number": memo_number(letter),
            "form": form if access.editable else None,
            "error": error,
            "conflict": conflict,
        },
    )


# ---------------------------------------------------------------------------------------------------------
# Introduction (ভূমিকা) of the annual report


@login_required
@require_http_methods(["GET", "POST"])
def introduction_edit(request: HttpRequest, office: str, year: str) -> HttpResponse:
    plan = plan_or_404(request, office, year)
    access = _access_or_404(request, plan, editing.ANNUAL_QUARTER)
    stored = editing.introduction_text(plan)
    form, error, conflict = None, "", False
    if request.method == "POST" and not access.editable:
        return _read_only(request, plan, access, request.path)
    if request.method == "POST":
        form = IntroductionForm(request.POST)
        if form.is_valid():
            try:
                editing.introduction_update(
                    plan=plan,
                    text=form.cleaned_data["text"],
                    user=request.user,
                    expected_fingerprint=form.cleaned_data["fingerprint"] or None,
                )
            except DomainError as failure:
                if refusal := _refused(request, plan, failure, request.path):
                    return refusal
                error = failure.user_message
                if isinstance(failure, ConflictError):
                    stored = editing.introduction_text(plan)
                    conflict = True
                    data = request.POST.copy()
                    data["fingerprint"] = editing.introduction_fingerprint(stored)
                    form = IntroductionForm(data)
                    form.is_valid()
            else:
                messages.success(request, _("ভূমিকা সংরক্ষিত হয়েছে।"))
                return redirect(f"{request.path}#preview")
    elif access.editable:
        form = IntroductionForm(
            initial={"text": stored, "fingerprint": editing.introduction_fingerprint(stored)}
        )
    return render(
        request,
        "reports/edit_introduction.html",
        {
            "plan": plan,
            "access": access,
            "form": form if access.editable else None,
            "error": error,
            "conflict": conflict,
            # The same reading of the light markup as the annual report's (reports.document).
            "blocks": introduction_blocks(stored),
        },
    )


# ---------------------------------------------------------------------------------------------------------
# Initiatives (উদ্যোগ) of the annual report: ongoing, completed, future


def _initiatives_page(
    request: HttpRequest,
    plan: ActionPlan,
    access: editing.TextAccess,
    form: InitiativeForm | None,
    error: str = "",
) -> HttpResponse:
    if form is None and access.editable:
        form = InitiativeForm(initial={"kind": request.GET.get("kind", "")})
    return render(
        request,
        "reports/edit_initiatives.html",
        {
            "plan": plan,
            "access": access,
            "groups": editing.initiatives_by_kind(plan),
            "form": form if access.editable else None,
            "error": error,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def initiatives(request: HttpRequest, office: str, year: str) -> HttpResponse:
    """The initiatives tables, with a form to add one."""
    plan = plan_or_404(request, office, year)
    access = _access_or_404(request, plan, editing.ANNUAL_QUARTER)
    if request.method == "GET":
        return _initiatives_page(request, plan, access, None)
    if not access.editable:
        return _read_only(request, plan, access, request.path)
    form = InitiativeForm(request.POST)
    if not form.is_valid():
        return _initiatives_page(request, plan, access, form)
    try:
        saved = editing.initiative_save(plan=plan, initiative=None, data=form.cleaned_data, user=request.user)
    except DomainError as failure:
        if refusal := _refused(request, plan, failure, request.path):
            return refusal
        return _initiatives_page(request, plan, access, form, failure.user_message)
    messages.success(request, _("উদ্যোগ যোগ করা হয়েছে।"))
    return redirect(f"{request.path}#initiative-{saved.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def initiative_edit(request: HttpRequest, office: str, year: str, pk: int) -> HttpResponse:
    plan = plan_or_404(request, office, year)
    access = _access_or_404(request, plan, editing.ANNUAL_QUARTER)
    initiative = _initiative_or_404(plan, pk)
    list_url = _text_url("initiatives", plan)
    form, error = None, ""
    if request.method == "POST" and not access.editable:
        return _read_only(request, plan, access, list_url)
    if request.method == "POST":
        form = InitiativeForm(request.POST)
        if form.is_valid():
            try:
                editing.initiative_save(
                    plan=plan, initiative=initiative, data=form.cleaned_data, user=request.user
                )
            except DomainError as failure:
                if refusal := _refused(request, plan, failure, request.path):
                    return refusal
                error = failure.user_message
            else:
                messages.success(request, _("উদ্যোগ সংরক্ষিত হয়েছে।"))
                return redirect(f"{list_url}#initiative-{initiative.pk}")
    elif access.editable:
        form = InitiativeForm(initial={name: getattr(initiative, name) for name in editing.INITIATIVE_FIELDS})
    return render(
        request,
        "reports/edit_initiative.html",
        {
            "plan": plan,
            "access": access,
            "initiative": initiative,
            "form": form if access.editable else None,
            "error": error,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def initiative_delete(request: HttpRequest, office: str, year: str, pk: int) -> HttpResponse:
    """GET asks for confirmation (works without JavaScript); POST deletes."""
    plan = plan_or_404(request, office, year)
    access = _access_or_404(request, plan, editing.ANNUAL_QUARTER)
    initiative = _initiative_or_404(plan, pk)
    list_url = _text_url("initiatives", plan)
    if request.method == "POST" and not access.editable:
        return _read_only(request, plan, access, list_url)
    if request.method == "POST":
        try:
            editing.initiative_delete(initiative=initiative, user=request.user)
        except DomainError as failure:
            if refusal := _refused(request, plan, failure, list_url):
                return refusal
            messages.error(request, failure.user_message)
        else:
            messages.success(request, _("উদ্যোগটি মুছে ফেলা হয়েছে।"))
        return redirect(list_url)
    return render(
        request,
        "reports/edit_initiative_delete.html",
        {"plan": plan, "access": access, "initiative": initiative},
    )


@login_required
@require_POST
def initiative_move(request: HttpRequest, office: str, year: str, pk: int) -> HttpResponse:
    """Move an initiative one place up or down in its table (``direction`` = ``up`` or ``down``)."""
    plan = plan_or_404(request, office, year)
    access = _access_or_404(request, plan, editing.ANNUAL_QUARTER)
    initiative = _initiative_or_404(plan, pk)
    list_url = _text_url("initiatives", plan)
    if not access.editable:
        return _read_only(request, plan, access, list_url)
    step = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if step is None:
        messages.error(request, _("উপরে না নিচে, তা বোঝা যায়নি।"))
        return redirect(list_url)
    try:
        editing.initiative_move(initiative=initiative, step=step, user=request.user)
    except DomainError as failure:
        if refusal := _refused(request, plan, failure, list_url):
            return refusal
        messages.error(request, failure.user_message)
    return redirect(f"{list_url}#initiative-{initiative.pk}")
