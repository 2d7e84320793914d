"""The user's own pages: what waits for them (the count in the header), and their profile (mail on or off).

Each view: sign-in → validate → one service → redirect or render. Both show the signed-in user's own things
only; nothing here takes another user's or office's id.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from base.errors import DomainError
from indicators.services.preferences import mail_preference_set, mail_wanted
from workflow.waiting import waiting_count, waiting_items, waiting_requests

WAITING_LISTED = 200


@login_required
def waiting_list(request: HttpRequest) -> HttpResponse:
    """Every period waiting for the user, the nearest deadline first, and the documents sent to them for
    approval (the header's count links here)."""
    items = waiting_items(request.user, limit=WAITING_LISTED)
    requests = waiting_requests(request.user)
    listed = len(items) + len(requests)
    total = listed if len(items) < WAITING_LISTED else waiting_count(request.user)
    return render(
        request,
        "workflow/waiting.html",
        {"items": items, "requests": requests, "total": total, "more": total - listed},
    )


class MailPreferenceForm(forms.Form):
    mail_enabled = forms.BooleanField(
        label=gettext_lazy("ই-মেইলে জানান"),
        required=False,
        help_text=gettext_lazy("দাখিল, ফেরত, অনুমোদন, প্রেরণ, গ্রহণ এবং কাছে আসা শেষ তারিখের কথা ই-মেইলে জানানো হবে।"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = MailPreferenceForm(request.POST)
        if form.is_valid():
            try:
                mail_preference_set(user=user, mail_enabled=form.cleaned_data["mail_enabled"])
            except DomainError as failure:
                messages.error(request, failure.user_message)
            else:
                if form.cleaned_data["mail_enabled"]:
                    messages.success(request, _("ই-মেইল চালু করা হয়েছে।"))
                else:
                    messages.success(request, _("ই-মেইল বন্ধ করা হয়েছে।"))
                return redirect("workflow:profile")
    else:
        form = MailPreferenceForm(initial={"mail_enabled": mail_wanted(user)})
    memberships = user.office_memberships.select_related("office").order_by("office__code")
    return render(request, "workflow/profile.html", {"form": form, "memberships": memberships})
