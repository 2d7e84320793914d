"""The higher office's inbox `/review/` (DESIGN.md §9): child offices' periods from "sent" on; and the
summary `/review/summary/` of every office below the reviewer's offices, per office tier.

Each view: check permission → validate the input → call one selector → render. Accepting and returning
are the workflow's own actions (``indicators:period_action``); the inbox only shows their forms.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from base.bangla import fiscal_year_label
from indicators.models import OfficeKind, PeriodState
from indicators.selectors import fiscal_year_start
from indicators.sheets import csv_bytes
from workflow import inbox as reads
from workflow import summary

ALL = ("", _("সব"))


def _year_choices() -> list[tuple[str, str]]:
    return [ALL, *((year.code, str(year)) for year in reads.fiscal_years())]


class InboxFilterForm(forms.Form):
    """The filters and the sort of the inbox, read from the query string; an invalid value is reported
    beside its field and that filter is left out."""

    year = forms.ChoiceField(label=_("অর্থবছর"), required=False)
    quarter = forms.TypedChoiceField(
        label=_("ত্রৈমাসিক"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[ALL, *((q, reads.quarter_short_label(q)) for q in (1, 2, 3, 4))],
    )
    state = forms.ChoiceField(
        label=_("অবস্থা"),
        required=False,
        choices=[
            ALL,
            (PeriodState.SENT.value, _("প্রেরিত (পর্যালোচনার অপেক্ষায়)")),
            (PeriodState.ACCEPTED.value, PeriodState.ACCEPTED.label),
            (PeriodState.RETURNED.value, _("দপ্তরে ফেরত পাঠানো")),
        ],
    )
    kind = forms.ChoiceField(label=_("দপ্তরের ধরন"), required=False, choices=[ALL, *OfficeKind.choices])
    sort = forms.ChoiceField(
        label=_("সাজানো"),
        required=False,
        choices=[
            (reads.SORT_SENT_NEWEST, _("প্রেরণের সময়: নতুন আগে")),
            (reads.SORT_SENT_OLDEST, _("প্রেরণের সময়: পুরোনো আগে")),
            (reads.SORT_SCORE_HIGHEST, _("নম্বর: বেশি আগে")),
            (reads.SORT_SCORE_LOWEST, _("নম্বর: কম আগে")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read once here: a callable would be called again for validation and for rendering.
        self.fields["year"].choices = _year_choices()

    def filters(self) -> reads.InboxFilters:
        self.is_valid()
        data = self.cleaned_data  # holds only the fields that validated
        year = data.get("year")
        return reads.InboxFilters(
            year=fiscal_year_start(year) if year else None,
            quarter=data.get("quarter"),
            state=data.get("state") or None,
            kind=data.get("kind") or None,
            sort=data.get("sort") or reads.SORT_SENT_NEWEST,
        )


def _page_number(request: HttpRequest) -> int:
    """``?page=N``; anything that is not a positive number is the first page (a page past the last one is
    the last one: the selector knows how many there are)."""
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """Child offices' periods for a reviewer, a page at a time; anyone else gets a page saying they review
    no office."""
    form = InboxFilterForm(request.GET)
    page = reads.inbox_page(request.user, form.filters(), _page_number(request))
    return render(request, "workflow/inbox.html", {"page": page, "form": form})


ALL_QUARTERS = "all"


class SummaryFilterForm(forms.Form):
    """The fiscal year (the newest one unless chosen) and the quarter: unless chosen, the latest one whose
    deadline has passed (``summary.default_quarter``), or all four."""

    year = forms.ChoiceField(label=_("অর্থবছর"), required=False)
    quarter = forms.ChoiceField(
        label=_("ত্রৈমাসিক"),
        required=False,
        choices=[
            *((str(q), reads.quarter_short_label(q)) for q in (1, 2, 3, 4)),
            (ALL_QUARTERS, _("চার ত্রৈমাসিক একসঙ্গে")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = reads.fiscal_years()
        self.fields["year"].choices = [(year.code, str(year)) for year in self.years]

    def filters(self, user) -> summary.SummaryFilters | None:
        """None when there is no fiscal year at all; an invalid value is reported and left out. The values
        taken by default are put in the form, so that it shows what the page shows."""
        if not self.years:
            return None
        self.is_valid()
        year = self.cleaned_data.get("year") or self.years[0].code
        start_year = fiscal_year_start(year)
        quarter = self.cleaned_data.get("quarter") or str(summary.opening_quarter(user, start_year))
        self.data = self.data.copy()
        self.data["year"], self.data["quarter"] = year, quarter
        return summary.SummaryFilters(
            year=start_year, quarter=None if quarter == ALL_QUARTERS else int(quarter)
        )


def _summary(request: HttpRequest) -> tuple[SummaryFilterForm, summary.SummaryPage]:
    # Only reviewers and office administrators see it; for anyone else it does not exist (as a plan of an
    # office they have nothing to do with).
    if not summary.may_see_summary(request.user):
        raise Http404(_("এই পাতাটি কেবল ঊর্ধ্বতন দপ্তরের পর্যালোচকদের জন্য।"))
    form = SummaryFilterForm(request.GET)
    filters = form.filters(request.user)
    page = summary.summary_page(request.user, filters) if filters else summary.SummaryPage([])
    return form, page


@login_required
@require_GET
def summary_view(request: HttpRequest) -> HttpResponse:
    """Per office tier: offices, reports expected, submitted, on time and late, average percent and grade
    distribution, for every office below the user's reviewed offices (the whole country for the Cabinet
    Division)."""
    form, page = _summary(request)
    standings, not_submitted, late = (
        summary.office_standings(request.user, page.filters) if page.filters else ([], 0, 0)
    )
    context = {
        "page": page,
        "form": form,
        "bands": summary.GRADE_BANDS,
        "not_submitted": [s for s in standings if s.status == summary.NOT_SUBMITTED],
        "late_offices": [s for s in standings if s.status == summary.LATE],
        "not_submitted_count": not_submitted,
        "late_count": late,
        "list_limit": summary.OFFICE_LIST_LIMIT,
    }
    return render(request, "workflow/summary.html", context)


@login_required
@require_GET
def summary_csv(request: HttpRequest) -> HttpResponse:
    """The same table as CSV (UTF-8 with a byte-order mark, so that spreadsheet programs read the Bangla)."""
    _form, page = _summary(request)
    year = fiscal_year_label(page.filters.year, bangla=False) if page.filters else "none"
    quarter = f"-q{page.filters.quarter}" if page.filters and page.filters.quarter else ""
    # Written by the sheets' CSV writer, which keeps any cell from reading as a formula (OWASP "CSV Injection").
    rows = [summary.csv_row(tier) for tier in [*page.tiers, *([page.total] if page.total else [])]]
    response = HttpResponse(csv_bytes(summary.CSV_HEADERS, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="apa-summary-{year}{quarter}.csv"'
    return response


@login_required
@require_GET
def summary_offices_csv(request: HttpRequest) -> HttpResponse:
    """Every office of the chosen quarter that has not sent its report, and every one that sent it late, by
    name (the page lists the first ``OFFICE_LIST_LIMIT`` of each)."""
    _form, page = _summary(request)
    if page.filters is None or page.filters.quarter is None:
        standings = []
    else:
        standings, _missing, _late = summary.office_standings(request.user, page.filters, limit=None)
    year = fiscal_year_label(page.filters.year, bangla=False) if page.filters else "none"
    quarter = f"-q{page.filters.quarter}" if page.filters and page.filters.quarter else ""
    rows = [summary.office_csv_row(standing) for standing in standings]
    response = HttpResponse(
        csv_bytes(summary.OFFICE_CSV_HEADERS, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="apa-offices-{year}{quarter}.csv"'
    return response
