"""An indicator bound to a record the system holds (issue 16.4): `POST …/indicators/<code>/source/`, for the
office's officers and CIO. Permission → one service → back to the indicator page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from base.errors import DomainError, localized
from indicators import permissions
from indicators.http import indicator_or_404, plan_or_404
from indicators.services.sources import indicator_set_source


@login_required
@require_POST
def indicator_source(request: HttpRequest, office: str, year: str, code: str) -> HttpResponse:
    plan = plan_or_404(request, office, year)
    indicator = indicator_or_404(plan, code)
    if not permissions.can_edit_progress(request.user, plan):
        raise Http404(_("পাতাটি পাওয়া যায়নি।"))
    try:
        indicator_set_source(indicator=indicator, source=request.POST.get("source", ""), user=request.user)
    except DomainError as error:
        messages.error(request, localized(error.message_bn, error.message_en))
    else:
        messages.success(request, _("মানের উৎস রাখা হয়েছে।"))
    return redirect(
        "workflow:indicator", office=plan.office.code, year=plan.fiscal_year.code, code=indicator.code
    )
