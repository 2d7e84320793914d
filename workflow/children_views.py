"""The review of child offices in the browser (issue 16.3): `/review/children/<office>/<year>/q<N>/`.

A member of a parent office (its reviewers, officers, CIO or administrators) sees, for one fiscal year and
quarter, every child office's report as the parent may see it (``reports.subordinate_review``), downloads it
as a PDF with its letter, and — an officer or the CIO, while the quarter of their own plan is open — keeps
that PDF as evidence of one of their own plan's indicators (the `[২.২.৪]`-style indicator that asks for it)
through the evidence service, with its checks, locks and history.

Each view: check permission → validate the form → call one service → redirect or render.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from base.bangla import fiscal_year_label
from base.errors import DomainError
from base.templatetags.bangla import bn_code
from indicators import permissions
from indicators.models import FiscalYear, Indicator, Office, Role
from indicators.selectors import fiscal_year_get, office_year_plan
from reports import subordinate_review as review
from workflow import documents
from workflow.inbox import fiscal_years
from workflow.summary import default_quarter

#: Who of a parent office may read the review of its child offices.
READERS = (Role.REVIEWER, Role.OFFICER, Role.CIO, Role.ADMIN)


def _office_or_404(request: HttpRequest, code: str) -> Office:
    """The parent office, if the user holds a role there; for anyone else it does not exist (as a plan of an
    office they have nothing to do with)."""
    office = Office.objects.filter(code=code).first()
    if office is None or not permissions.roles_in(request.user, office) & set(READERS):
        raise Http404(_("পাতাটি পাওয়া যায়নি।"))
    return office


def _year_or_404(year: str):
    try:
        return fiscal_year_get(year)
    except DomainError as error:
        raise Http404(error.message_bn) from error


def _quarter_or_404(quarter: int) -> int:
    if quarter not in (1, 2, 3, 4):
        raise Http404(_("পাতাটি পাওয়া যায়নি।"))
    return quarter


class AttachForm(forms.Form):
    indicator = forms.ChoiceField(label=gettext_lazy("কোন সূচকের প্রমাণক"))

    def __init__(self, *args, indicators: list[Indicator], **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = {str(i.pk): i for i in indicators}
        self.fields["indicator"].choices = [(str(i.pk), f"{bn_code(i.code)} {i.title}") for i in indicators]

    def clean_indicator(self) -> Indicator:
        return self.indicators[self.cleaned_data["indicator"]]


def _attach_form(request: HttpRequest, office: Office, year, data=None) -> AttachForm | None:
    """The form to keep the PDF as evidence, for an officer or the CIO of the office with a plan that year."""
    plan = office_year_plan(office, year)
    if plan is None or not permissions.can_edit_progress(request.user, plan):
        return None
    indicators = list(
        Indicator.objects.filter(plan=plan).order_by(
            "activity__area__position", "activity__position", "position"
        )
    )
    return AttachForm(data, indicators=indicators) if indicators else None


@dataclass(frozen=True)
class ChildrenReviewLink:
    office: Office
    year_code: str
    year_label: str
    quarter: int


def children_review_links(user, memberships: list) -> list[ChildrenReviewLink]:
    """For the home page: each office where the user may read the review of child offices and which has
    children, in the newest fiscal year with plans and its latest quarter whose deadline has passed. Reads the
    home page's memberships (two queries in all, whatever their number)."""
    readers = {m.office_id for m in memberships if m.role in READERS}
    if not readers:
        return []
    years = fiscal_years()
    if not years:
        return []
    year = years[0]
    quarter = default_quarter(year.start_year)
    parents = set(Office.objects.filter(pk__in=readers, children__isnull=False).values_list("pk", flat=True))
    offices = sorted({m.office for m in memberships if m.office_id in parents}, key=lambda o: o.name_bn)
    return [ChildrenReviewLink(o, year.code, fiscal_year_label(year.start_year), quarter) for o in offices]


def document_links(memberships: list, plans: list) -> list[ChildrenReviewLink]:
    """For the home page: the review meetings and the Smart Bangladesh plan of each office the user belongs
    to, in the year of the office's newest plan on the home page, or else the newest fiscal year (one query)."""
    if not memberships:
        return []
    newest_plan_year: dict[int, FiscalYear] = {}
    for plan in plans:
        known = newest_plan_year.get(plan.office_id)
        if known is None or plan.fiscal_year.start_year > known.start_year:
            newest_plan_year[plan.office_id] = plan.fiscal_year
    newest = None
    if any(m.office_id not in newest_plan_year for m in memberships):
        newest = FiscalYear.objects.order_by("-start_year").first()
    links = []
    for office in sorted({m.office for m in memberships}, key=lambda o: o.name_bn):
        year = newest_plan_year.get(office.pk, newest)
        if year is not None:
            links.append(ChildrenReviewLink(office, year.code, fiscal_year_label(year.start_year), 0))
    return links


@login_required
@require_http_methods(["GET", "POST"])
def children_review(request: HttpRequest, office: str, year: str, quarter: int) -> HttpResponse:
    parent = _office_or_404(request, office)
    fiscal_year = _year_or_404(year)
    quarter = _quarter_or_404(quarter)
    data = review.subordinate_review(parent, fiscal_year, quarter)
    form = _attach_form(request, parent, fiscal_year, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form is None:
            raise Http404(_("পাতাটি পাওয়া যায়নি।"))
        if form.is_valid():
            indicator = form.cleaned_data["indicator"]
            try:
                # The review already read for this page; the copy kept is signed by the office.
                documents.children_review_keep(review=data, indicator=indicator, user=request.user)
            except DomainError as error:
                form.add_error(None, error.message_bn)
            else:
                messages.success(request, _("পর্যালোচনার পিডিএফ সূচকটির প্রমাণক হিসেবে রাখা হয়েছে।"))
                return redirect(
                    "workflow:indicator", office=parent.code, year=fiscal_year.code, code=indicator.code
                )
    return render(
        request,
        "workflow/children_review.html",
        {
            "office": parent,
            "fiscal_year": fiscal_year,
            "year_label": fiscal_year_label(fiscal_year.start_year),
            "quarter": quarter,
            "review": data,
            "title": review.review_title(data),
            "form": form,
            "quarters": [
                (q, reverse("workflow:children_review", args=[parent.code, fiscal_year.code, q]))
                for q in (1, 2, 3, 4)
            ],
        },
    )


@login_required
@require_GET
def children_review_pdf(request: HttpRequest, office: str, year: str, quarter: int) -> HttpResponse:
    parent = _office_or_404(request, office)
    fiscal_year = _year_or_404(year)
    quarter = _quarter_or_404(quarter)
    try:
        rendered = review.render_subordinate_review(parent, fiscal_year, quarter)
    except DomainError as error:
        raise Http404(error.message_bn) from error
    response = HttpResponse(rendered.pdf, content_type="application/pdf")
    name = f"subordinate-review-{parent.code}-{fiscal_year.code}-q{quarter}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Report-SHA256"] = rendered.sha256
    return response
