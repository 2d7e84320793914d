from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from indicators.selectors import plan_score, plans_for_user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's home: the plans of their offices with the marks computed so far."""
    plans = [(plan, plan_score(plan)) for plan in plans_for_user(request.user)]
    memberships = request.user.office_memberships.select_related("office").order_by("office__code")
    return render(request, "indicators/home.html", {"plans": plans, "memberships": memberships})
