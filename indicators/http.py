"""What a request names, looked up for the user who sent it: the plan and the indicator of an address, or 404
(isolation: a plan the user may not see answers exactly like a plan that does not exist), and the small
helpers every app's views share.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from base.errors import DomainError
from indicators import parsing, selectors
from indicators.models import ActionPlan, Indicator


def plan_or_404(request: HttpRequest, office: str, year: str) -> ActionPlan:
    try:
        return selectors.plan_for_user(user=request.user, office_code=office, year_code=year)
    except DomainError as error:
        raise Http404(error.user_message) from error


def indicator_or_404(plan: ActionPlan, code: str) -> Indicator:
    try:
        ascii_code = parsing.parse_code(code, depth=3)
    except parsing.CellError as error:
        raise Http404(error.message_bn) from error
    indicator = (
        plan.indicators.select_related("plan__office", "activity__area").filter(code=ascii_code).first()
    )
    if indicator is None:
        raise Http404(_("এই নম্বরের কোনো সূচক নেই।"))
    return indicator


def row_anchor(code: str) -> str:
    """The id of an indicator's row on the plan page (the template's ``dom_id``): ``ind-1-3-1``."""
    return "ind-" + code.replace(".", "-")


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def plan_url(plan: ActionPlan) -> str:
    return reverse("workflow:plan", args=[plan.office.code, selectors.plan_year_code(plan)])
