"""The Smart Bangladesh action plan in the browser (issue 16.2): `/smart-plan/<office>/<year>/` — members of
the office read it; its officers and CIO start and edit the draft (letter and initiatives); the CIO approves it
and keeps the PDF as evidence of the indicator that asks for it; `/smart-plan/<office>/<year>.pdf` downloads
it. Anyone else gets 404. Each view: check permission → validate the form → call one service → redirect or
render.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.forms import formset_factory
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from base.forms import BanglaDateField
from indicators import permissions
from indicators.models import Role
from reports import smart_plan as service
from reports.finishing import stored_copy
from reports.models import MeetingState, SmartPlan, SmartTerm
from reports.selectors import document_history
from workflow import documents
from workflow.meeting_views import (
    TEAM,
    ApproveForm,
    RequestForm,
    _indicators_of,
    _office_year_or_404,
    approve_with_pdf,
    request_approval,
    save_with_items,
)


class SmartPlanForm(forms.Form):
    memo_number = forms.CharField(label=gettext_lazy("স্মারক নম্বর"), max_length=128, required=False)
    letter_date = BanglaDateField(label=gettext_lazy("পত্রের তারিখ"), required=False)
    subject = forms.CharField(
        label=gettext_lazy("বিষয়"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    body = forms.CharField(
        label=gettext_lazy("পত্রের মূল অংশ"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    signatory_name = forms.CharField(label=gettext_lazy("স্বাক্ষরকারীর নাম"), max_length=255, required=False)
    signatory_lines = forms.CharField(
        label=gettext_lazy("স্বাক্ষরকারীর পদবি ও যোগাযোগ (প্রতিটি লাইন আলাদা)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    recipient = forms.CharField(
        label=gettext_lazy("প্রাপক"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    copies = forms.CharField(
        label=gettext_lazy("অনুলিপি (প্রতিটি প্রাপক আলাদা লাইনে)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class InitiativeForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("স্মার্ট উদ্যোগের নাম"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    description = forms.CharField(
        label=gettext_lazy("সংক্ষিপ্ত ধারণা/বিবরণ"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    implementing_office = forms.CharField(
        label=gettext_lazy("বাস্তবায়নকারী দপ্তর/সংস্থা"), widget=forms.Textarea(attrs={"rows": 1}), required=False
    )
    partners = forms.CharField(
        label=gettext_lazy("সহযোগী/অংশীজন সংস্থা"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    problem = forms.CharField(
        label=gettext_lazy("যে সমস্যার সমাধান হবে"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    beneficiaries = forms.CharField(
        label=gettext_lazy("উপকারভোগী"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    term = forms.ChoiceField(label=gettext_lazy("মেয়াদ"), choices=SmartTerm.choices)
    time_frame = forms.CharField(label=gettext_lazy("বাস্তবায়ন কাল"), max_length=128, required=False)


InitiativeFormSet = formset_factory(InitiativeForm, extra=1, max_num=100, validate_max=True)


@login_required
@require_http_methods(["GET", "POST"])
def smart_plan_page(request: HttpRequest, office: str, year: str) -> HttpResponse:
    found, fiscal_year = _office_year_or_404(request, office, year)
    roles = permissions.roles_in(request.user, found)
    existing = (
        SmartPlan.objects.select_related("approval_requested_by")
        .filter(office=found, fiscal_year=fiscal_year)
        .first()
    )
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "start":
        if not roles & TEAM:
            raise Http404(_("পাতাটি পাওয়া যায়নি।"))
        service.smart_plan_get_or_create(office=found, fiscal_year=fiscal_year, user=request.user)
        return redirect(request.path)
    draft = existing is not None and existing.state == MeetingState.DRAFT
    can_edit = bool(roles & TEAM) and draft
    can_approve = Role.CIO in roles and draft
    form = formset = approve_form = None
    request_form = (
        RequestForm(initial={"version": existing.version})
        if existing is not None and can_edit and not can_approve
        else None
    )
    if existing is not None and can_edit:
        initial = {name: getattr(existing, name) for name in service.PLAN_FIELDS} | {
            "version": existing.version
        }
        rows = [
            {name: getattr(i, name) for name in service.INITIATIVE_FIELDS} for i in existing.initiatives.all()
        ]
        form = SmartPlanForm(initial=initial)
        formset = InitiativeFormSet(initial=rows, prefix="initiatives")
    if existing is not None and can_approve:
        approve_form = ApproveForm(
            initial={"version": existing.version}, indicators=_indicators_of(found, fiscal_year)
        )
    if action == "approve":
        if not can_approve:
            raise Http404(_("পাতাটি পাওয়া যায়নি।"))
        approve_form = ApproveForm(request.POST, indicators=_indicators_of(found, fiscal_year))
        done = approve_with_pdf(
            request,
            approve_form,
            render=lambda: service.render_smart_plan(
                existing, draft=False, signed=True, approver=request.user
            ),
            approve=lambda pdf, **given: documents.smart_plan_approve(
                smart_plan=existing, user=request.user, pdf_bytes=pdf, **given
            ),
            done=_("স্মার্ট বাংলাদেশ কর্মপরিকল্পনা অনুমোদিত হয়েছে।"),
        )
        if done is not None:
            return done
    elif action == "request":
        if not can_edit:
            raise Http404(_("পাতাটি পাওয়া যায়নি।"))
        request_form = RequestForm(request.POST)
        done = request_approval(
            request,
            request_form,
            lambda **given: documents.smart_plan_request(smart_plan=existing, user=request.user, **given),
            _("কর্মপরিকল্পনা চিফ ইনোভেশন অফিসারের অনুমোদনের জন্য পাঠানো হয়েছে।"),
        )
        if done is not None:
            return done
    elif action == "save":
        if not can_edit:
            raise Http404(_("পাতাটি পাওয়া যায়নি।"))
        form = SmartPlanForm(request.POST)
        formset = InitiativeFormSet(request.POST, prefix="initiatives")
        done = save_with_items(
            request,
            form,
            formset,
            lambda items, **given: service.smart_plan_update(
                smart_plan=existing, user=request.user, initiatives=items, **given
            ),
            _("কর্মপরিকল্পনা সংরক্ষিত হয়েছে।"),
        )
        if done is not None:
            return done
    elif action is not None:
        raise Http404(_("পাতাটি পাওয়া যায়নি।"))
    return render(
        request,
        "workflow/smart_plan.html",
        {
            "office": found,
            "fiscal_year": fiscal_year,
            "smart_plan": existing,
            "title": service.smart_plan_title(found, fiscal_year),
            "initiatives": existing.initiatives.all() if existing else [],
            "can_start": existing is None and bool(roles & TEAM),
            "form": form,
            "formset": formset,
            "approve_form": approve_form,
            "request_form": request_form,
            "history": (
                document_history(found, fiscal_year, service.smart_plan_document(existing))
                if existing
                else []
            ),
        },
    )


@login_required
@require_GET
def smart_plan_pdf(request: HttpRequest, office: str, year: str) -> HttpResponse:
    found, fiscal_year = _office_year_or_404(request, office, year)
    existing = SmartPlan.objects.filter(office=found, fiscal_year=fiscal_year).first()
    if existing is None:
        raise Http404(_("পাতাটি পাওয়া যায়নি।"))
    # Approved: the signed copy kept at approval, as it was kept (never rendered again).
    data = stored_copy(existing) if existing.state == MeetingState.APPROVED else None
    response = HttpResponse(data or service.render_smart_plan(existing).pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="smart-plan-{found.code}-{fiscal_year.code}.pdf"'
    return response
