"""The higher office's inbox `/review/` (DESIGN.md §9): child offices' periods from "sent" on.

Each view: check permission → validate the input → call one selector → render. Accepting and returning
are the workflow's own actions (``indicators:period_action``); the inbox only shows their forms.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from indicators.models import OfficeKind, PeriodState
from indicators.selectors import fiscal_year_start
from reports import selectors

ALL = ("", _("সব"))


def _year_choices() -> list[tuple[str, str]]:
    return [ALL, *((year.code, str(year)) for year in selectors.fiscal_years())]


class InboxFilterForm(forms.Form):
    """The filters and the sort of the inbox, read from the query string; an invalid value is reported
    beside its field and that filter is left out."""

    year = forms.ChoiceField(label=_("অর্থবছর"), required=False)
    quarter = forms.TypedChoiceField(
        label=_("ত্রৈমাসিক"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[ALL, *((q, selectors.quarter_short_label(q)) for q in (1, 2, 3, 4))],
    )
    state = forms.ChoiceField(
        label=_("অবস্থা"),
        required=False,
        choices=[
            ALL,
            (PeriodState.SENT.value, _("প্রেরিত (পর্যালোচনার অপেক্ষায়)")),
            (PeriodState.ACCEPTED.value, PeriodState.ACCEPTED.label),
        ],
    )
    kind = forms.ChoiceField(label=_("দপ্তরের ধরন"), required=False, choices=[ALL, *OfficeKind.choices])
    sort = forms.ChoiceField(
        label=_("সাজানো"),
        required=False,
        choices=[
            (selectors.SORT_SENT_NEWEST, _("প্রেরণের সময়: নতুন আগে")),
            (selectors.SORT_SENT_OLDEST, _("প্রেরণের সময়: পুরোনো আগে")),
            (selectors.SORT_SCORE_HIGHEST, _("নম্বর: বেশি আগে")),
            (selectors.SORT_SCORE_LOWEST, _("নম্বর: কম আগে")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read once here: a callable would be called again for validation and for rendering.
        self.fields["year"].choices = _year_choices()

    def filters(self) -> selectors.InboxFilters:
        self.is_valid()
        data = self.cleaned_data  # holds only the fields that validated
        year = data.get("year")
        return selectors.InboxFilters(
            year=fiscal_year_start(year) if year else None,
            quarter=data.get("quarter"),
            state=data.get("state") or None,
            kind=data.get("kind") or None,
            sort=data.get("sort") or selectors.SORT_SENT_NEWEST,
        )


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """Child offices' periods for a reviewer; anyone else gets a page saying they review no office."""
    form = InboxFilterForm(request.GET)
    page = selectors.inbox_page(request.user, form.filters())
    return render(request, "reports/inbox.html", {"page": page, "form": form})
