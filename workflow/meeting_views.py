"""Review meetings in the browser (issue 16.1): `/meetings/<office>/<year>/` lists an office's meetings of the
year and starts a new one; `/meetings/<office>/<year>/<n>/` edits a draft (officers and the CIO) and lets the
chair — the office's CIO — approve it, keeping the minutes as evidence of a chosen indicator;
`/meetings/<office>/<year>/<n>.pdf` downloads the minutes.

Members of the office see its meetings; anyone else gets 404 (as for a plan of an office they have nothing
to do with). Each view: check permission → validate the form → call one service → redirect or render.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import formset_factory
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from base.errors import DomainError, localized
from base.forms import BanglaDateField
from base.templatetags.bangla import bn_code
from indicators import permissions
from indicators.models import Indicator, Office, Role
from indicators.selectors import fiscal_year_get, office_year_plan
from reports import meetings, minutes
from reports.finishing import stored_copy
from reports.models import Meeting, MeetingState
from reports.selectors import document_history
from workflow import documents

TEAM = {Role.OFFICER, Role.CIO}


def _office_year_or_404(request: HttpRequest, office: str, year: str):
    found = Office.objects.filter(code=office).first()
    if found is None or not permissions.roles_in(request.user, found):
        raise Http404(_("পাতাটি পাওয়া যায়নি।"))
    try:
        return found, fiscal_year_get(year)
    except DomainError as error:
        raise Http404(error.message_bn) from error


def _meeting_or_404(request: HttpRequest, office: str, year: str, number: int) -> Meeting:
    found, fiscal_year = _office_year_or_404(request, office, year)
    meeting = (
        Meeting.objects.select_related("office", "fiscal_year", "evidence", "approval_requested_by")
        .filter(office=found, fiscal_year=fiscal_year, number=number)
        .first()
    )
    if meeting is None:
        raise Http404(_("পাতাটি পাওয়া যায়নি।"))
    return meeting


class NewMeetingForm(forms.Form):
    held_on = BanglaDateField(label=gettext_lazy("সভার তারিখ"))
    chair_name = forms.CharField(label=gettext_lazy("সভাপতির নাম"), max_length=255)
    time_text = forms.CharField(label=gettext_lazy("সময়"), max_length=64, required=False)
    place = forms.CharField(label=gettext_lazy("স্থান"), max_length=255, required=False)


class MeetingForm(NewMeetingForm):
    chair_designation = forms.CharField(
        label=gettext_lazy("সভাপতির পদবি (প্রতিটি লাইন আলাদা)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    attendees = forms.CharField(
        label=gettext_lazy("উপস্থিত কর্মকর্তা — পরিশিষ্ট-ক (প্রতিটি জন আলাদা লাইনে)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    opening = forms.CharField(
        label=gettext_lazy("সূচনা"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    closing = forms.CharField(
        label=gettext_lazy("সমাপ্তি"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    memo_number = forms.CharField(label=gettext_lazy("স্মারক নম্বর"), max_length=128, required=False)
    signed_on = BanglaDateField(label=gettext_lazy("স্বাক্ষরের তারিখ"), required=False)
    distribution = forms.CharField(
        label=gettext_lazy("বিতরণ (প্রতিটি প্রাপক আলাদা লাইনে)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ItemForm(forms.Form):
    indicator_code = forms.CharField(label=gettext_lazy("সূচকের কোড"), max_length=32, required=False)
    indicator_title = forms.CharField(
        label=gettext_lazy("সূচক/বিষয়"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    discussion = forms.CharField(
        label=gettext_lazy("আলোচনা"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    decision = forms.CharField(
        label=gettext_lazy("সিদ্ধান্ত"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    responsible = forms.CharField(
        label=gettext_lazy("বাস্তবায়নে"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


ItemFormSet = formset_factory(ItemForm, extra=1, max_num=200, validate_max=True)


def act_or_show_error(request: HttpRequest, form: forms.Form, act: Callable[[], object], done: str):
    """Call one service; on success say ``done`` and come back to this page (a redirect), on its refusal show
    the Bangla reason on ``form`` and return None (the page is rendered again with what was typed)."""
    try:
        act()
    except DomainError as error:
        form.add_error(None, localized(error.message_bn, error.message_en))
        return None
    messages.success(request, done)
    return redirect(request.path)


def save_with_items(
    request: HttpRequest, form: forms.Form, formset, update: Callable[..., object], done: str
):
    """A document's draft saved from its form and its rows' formset (an empty row is no row): the form's
    fields and the rows to ``update(expected_version=…, items=…, **fields)``."""
    if not (form.is_valid() and formset.is_valid()):
        return None
    fields = dict(form.cleaned_data)
    version = fields.pop("version")
    items = [f.cleaned_data for f in formset.forms if f.cleaned_data]
    return act_or_show_error(
        request, form, lambda: update(expected_version=version, items=items, **fields), done
    )


def approve_with_pdf(request: HttpRequest, form: ApproveForm, render, approve, done: str):
    """A document approved with its final PDF (rendered without the draft mark) and the indicator chosen to
    keep it as evidence."""
    if not form.is_valid():
        return None
    data = form.cleaned_data

    def act():
        approve(pdf=render().pdf, expected_version=data["version"], indicator=data["indicator"])

    return act_or_show_error(request, form, act, done)


class RequestForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("মন্তব্য (ঐচ্ছিক)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


def request_approval(request: HttpRequest, form: RequestForm, send, done: str):
    """A draft sent for approval: the approver is mailed, the draft stays a draft."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    return act_or_show_error(
        request, form, lambda: send(expected_version=data["version"], comment=data["comment"]), done
    )


class ApproveForm(forms.Form):
    indicator = forms.ChoiceField(label=gettext_lazy("কার্যবিবরণী কোন সূচকের প্রমাণক হবে"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, indicators: list[Indicator], **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = {str(i.pk): i for i in indicators}
        self.fields["indicator"].choices = [("", _("কোনোটির নয়"))] + [
            (str(i.pk), f"{bn_code(i.code)} {i.title}") for i in indicators
        ]

    def clean_indicator(self) -> Indicator | None:
        return self.indicators.get(self.cleaned_data["indicator"])


def _indicators_of(office: Office, fiscal_year) -> list[Indicator]:
    """The indicators of the office's plan of the year, in the plan's order (none without a plan)."""
    plan = office_year_plan(office, fiscal_year)
    if plan is None:
        return []
    return list(
        Indicator.objects.filter(plan=plan).order_by(
            "activity__area__position", "activity__position", "position"
        )
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_list(request: HttpRequest, office: str, year: str) -> HttpResponse:
    found, fiscal_year = _office_year_or_404(request, office, year)
    is_team = bool(permissions.roles_in(request.user, found) & TEAM)
    form = NewMeetingForm(request.POST or None)
    if request.method == "POST":
        if not is_team:
            raise Http404(_("পাতাটি পাওয়া যায়নি।"))
        if form.is_valid():
            try:
                meeting = meetings.meeting_create(
                    office=found, fiscal_year=fiscal_year, user=request.user, **form.cleaned_data
                )
            except DomainError as error:
                form.add_error(None, localized(error.message_bn, error.message_en))
            else:
                messages.success(request, _("সভাটি লেখা হয়েছে; আলোচনা ও সিদ্ধান্ত লিখুন।"))
                return redirect(
                    "workflow:meeting", office=found.code, year=fiscal_year.code, number=meeting.number
                )
    return render(
        request,
        "workflow/meetings.html",
        {
            "office": found,
            "fiscal_year": fiscal_year,
            "meetings": Meeting.objects.filter(office=found, fiscal_year=fiscal_year)
            .select_related("approval_requested_by")
            .order_by("number"),
            "form": form if is_team else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_page(request: HttpRequest, office: str, year: str, number: int) -> HttpResponse:
    meeting = _meeting_or_404(request, office, year, number)
    roles = permissions.roles_in(request.user, meeting.office)
    can_edit = bool(roles & TEAM) and meeting.state == MeetingState.DRAFT
    can_approve = Role.CIO in roles and meeting.state == MeetingState.DRAFT
    initial = {name: getattr(meeting, name) for name in meetings.MEETING_FIELDS} | {
        "version": meeting.version
    }
    items = [{name: getattr(item, name) for name in meetings.ITEM_FIELDS} for item in meeting.items.all()]
    form = MeetingForm(initial=initial)
    formset = ItemFormSet(initial=items, prefix="items")
    approve_form = (
        ApproveForm(
            initial={"version": meeting.version},
            indicators=_indicators_of(meeting.office, meeting.fiscal_year),
        )
        if can_approve
        else None
    )
    # Sending for approval is for the team members who do not approve themselves.
    request_form = RequestForm(initial={"version": meeting.version}) if can_edit and not can_approve else None
    if request.method == "POST":
        if request.POST.get("action") == "request":
            if not can_edit:
                raise Http404(_("পাতাটি পাওয়া যায়নি।"))
            request_form = RequestForm(request.POST)
            done = request_approval(
                request,
                request_form,
                lambda **given: documents.meeting_request(meeting=meeting, user=request.user, **given),
                _("কার্যবিবরণী সভাপতির অনুমোদনের জন্য পাঠানো হয়েছে।"),
            )
            if done is not None:
                return done
        elif request.POST.get("action") == "approve":
            if not can_approve:
                raise Http404(_("পাতাটি পাওয়া যায়নি।"))
            approve_form = ApproveForm(
                request.POST, indicators=_indicators_of(meeting.office, meeting.fiscal_year)
            )
            done = approve_with_pdf(
                request,
                approve_form,
                render=lambda: minutes.render_minutes(
                    meeting, draft=False, signed=True, approver=request.user
                ),
                approve=lambda **given: documents.meeting_approve(
                    meeting=meeting, user=request.user, **given
                ),
                done=_("কার্যবিবরণী অনুমোদিত হয়েছে।"),
            )
            if done is not None:
                return done
        else:
            if not can_edit:
                raise Http404(_("পাতাটি পাওয়া যায়নি।"))
            form = MeetingForm(request.POST)
            formset = ItemFormSet(request.POST, prefix="items")
            done = save_with_items(
                request,
                form,
                formset,
                lambda **given: meetings.meeting_update(meeting=meeting, user=request.user, **given),
                _("কার্যবিবরণী সংরক্ষিত হয়েছে।"),
            )
            if done is not None:
                return done
    return render(
        request,
        "workflow/meeting.html",
        {
            "meeting": meeting,
            "items": meeting.items.all(),
            "form": form if can_edit else None,
            "formset": formset if can_edit else None,
            "approve_form": approve_form,
            "request_form": request_form,
            "history": document_history(
                meeting.office, meeting.fiscal_year, meetings.meeting_document(meeting)
            ),
        },
    )


@login_required
@require_GET
def meeting_pdf(request: HttpRequest, office: str, year: str, number: int) -> HttpResponse:
    meeting = _meeting_or_404(request, office, year, number)
    # Approved minutes: the signed copy kept at approval, as it was kept (never rendered again).
    data = stored_copy(meeting) if meeting.state == MeetingState.APPROVED else None
    response = HttpResponse(data or minutes.render_minutes(meeting).pdf, content_type="application/pdf")
    name = f"minutes-{meeting.office.code}-{meeting.fiscal_year.code}-{meeting.number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
