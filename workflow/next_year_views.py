"""The next year in the browser (issue 13): an office's officer or CIO starts its plan of the next year from
this year's plan, or from the parent office's template of the year. Both ask for confirmation first (a page
saying what is copied), then call one service and open the new plan.

A higher office publishes its template of a year on the templates page: the structure of one of its own
plans or of a plan of an office below it, without targets.

Isolation: someone who may not start the office's plans gets 404, like for a plan that does not exist.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from base.bangla import fiscal_year_label
from base.errors import DomainError, localized
from indicators import permissions, selectors
from indicators.http import plan_or_404, plan_url
from indicators.models import ActionPlan
from indicators.services.next_year import (
    plan_start_from_template,
    plan_start_next_year,
    template_publish_year,
)


@login_required
@require_http_methods(["GET", "POST"])
def plan_next_year(request: HttpRequest, office: str, year: str) -> HttpResponse:
    """ "Start 2023-24 from this plan": the confirmation page, and on confirmation the copy."""
    plan = plan_or_404(request, office, year)
    if not permissions.can_start_plan(request.user, plan.office):
        raise Http404(_("এই দপ্তরের কর্মপরিকল্পনা আপনি শুরু করতে পারেন না।"))
    plans = selectors.office_plans(plan)
    next_year = selectors.next_year_for(plan, request.user, plans)
    if next_year is None:  # the next year's plan exists: open it
        existing = next(p for p in plans if p.fiscal_year.start_year == plan.fiscal_year.start_year + 1)
        messages.info(request, _("পরের অর্থবছরের কর্মপরিকল্পনা আগেই আছে।"))
        return redirect(plan_url(existing))
    if request.method == "POST":
        try:
            new_plan = plan_start_next_year(source=plan, user=request.user)
        except DomainError as failure:
            messages.error(request, failure.user_message)
            return redirect(plan_url(plan))
        messages.success(request, _("নতুন অর্থবছরের কর্মপরিকল্পনা খসড়া হিসেবে তৈরি হয়েছে।"))
        return redirect(plan_url(new_plan))
    return render(
        request,
        "workflow/plan_start.html",
        {
            "source": plan,
            "office": plan.office,
            "next_year": next_year,
            "areas": plan.areas.count(),
            "indicators": plan.indicators.count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_from_template(request: HttpRequest, office: str, year: str) -> HttpResponse:
    """Start the office's plan of ``year`` from its parent office's template of that year."""
    try:
        office_row, fiscal_year, template = selectors.template_for_office(office_code=office, year_code=year)
    except DomainError as error:
        raise Http404(error.user_message) from error
    if not permissions.can_start_plan(request.user, office_row):
        raise Http404(_("এই দপ্তরের কর্মপরিকল্পনা আপনি শুরু করতে পারেন না।"))
    existing = ActionPlan.objects.filter(office=office_row, fiscal_year=fiscal_year).first()
    if existing is not None:
        messages.info(request, _("এই অর্থবছরের কর্মপরিকল্পনা আগেই আছে।"))
        return redirect(plan_url(existing))
    if request.method == "POST":
        try:
            new_plan = plan_start_from_template(office=office_row, fiscal_year=fiscal_year, user=request.user)
        except DomainError as failure:
            messages.error(request, failure.user_message)
            return redirect("workflow:home")
        messages.success(request, _("টেমপ্লেট থেকে কর্মপরিকল্পনা তৈরি হয়েছে; এখন প্রতিটি সূচকের লক্ষ্যমাত্রা লিখুন।"))
        return redirect(plan_url(new_plan))
    return render(
        request,
        "workflow/plan_start.html",
        {"office": office_row, "template": template, "fiscal_year": fiscal_year},
    )


class TemplatePublishForm(forms.Form):
    office = forms.TypedChoiceField(coerce=int, label=_("প্রকাশকারী দপ্তর"))
    year = forms.CharField(max_length=16, label=_("টেমপ্লেটের অর্থবছর"), help_text=_("যেমন: ২০২৩-২৪"))
    source = forms.TypedChoiceField(coerce=int, label=_("যে কর্মপরিকল্পনার কাঠামো থেকে"))

    def __init__(self, *args, desk: selectors.TemplateDesk, **kwargs):
        super().__init__(*args, **kwargs)
        self.desk = desk
        self.fields["office"].choices = [(o.pk, o.name_bn) for o in desk.offices]
        self.fields["source"].choices = [
            (p.pk, f"{p.office.name_bn} — {p.fiscal_year}") for p in desk.sources
        ]

    def clean_year(self) -> int:
        try:
            return selectors.fiscal_year_start(self.cleaned_data["year"])
        except DomainError as error:
            raise forms.ValidationError(localized(error.message_bn, error.message_en)) from error


@login_required
@require_http_methods(["GET", "POST"])
def templates_page(request: HttpRequest) -> HttpResponse:
    """The templates a higher office published, and the form to publish the year's template."""
    desk = selectors.template_desk(request.user)
    if not desk.offices:
        raise Http404(_("আপনি কোনো টেমপ্লেট প্রকাশ করতে পারেন না।"))
    latest = desk.sources[0].fiscal_year.start_year + 1 if desk.sources else None
    initial = {"year": fiscal_year_label(latest)} if latest else {}
    form = TemplatePublishForm(request.POST or None, desk=desk, initial=initial)
    if request.method == "POST" and form.is_valid():
        office = next(o for o in desk.offices if o.pk == form.cleaned_data["office"])
        source = next(p for p in desk.sources if p.pk == form.cleaned_data["source"])
        try:
            template_publish_year(
                office=office, start_year=form.cleaned_data["year"], source=source, user=request.user
            )
        except DomainError as failure:
            messages.error(request, failure.user_message)
        else:
            messages.success(
                request, _("টেমপ্লেট প্রকাশিত হয়েছে; আওতাধীন দপ্তর এখন এখান থেকে কর্মপরিকল্পনা শুরু করতে পারবে।")
            )
            return redirect("workflow:templates")
    return render(request, "workflow/templates.html", {"desk": desk, "form": form})
