"""Sign-in hardening (issue 5): repeated failed sign-ins are slowed, then locked for a while.

django-axes counts the failures per user name and address and, at ``AXES_FAILURE_LIMIT``, locks that pair for
``AXES_COOLOFF_TIME`` (settings.py). Before the lock, each failed sign-in is answered a little later than the one
before: 0.25 s after the first failure, then 0.5 s, 1 s, 2 s …, never more than
``APA_LOGIN_SLOWDOWN_MAX_SECONDS`` (0 turns the slowing off). The count is axes' own, so the slowing leads into
the lock and a successful sign-in resets both. An attempt that axes refuses (the pair is locked, or this failure
reached the limit) is answered at once with the lockout page: waiting would protect nothing more.

It is a middleware so that every sign-in form is slowed alike: ours (/accounts/login/) and the admin's.
The delay holds one app-server worker for at most the cap; the lock bounds how many slowed answers one user name
and address can ask for.
"""

from __future__ import annotations

from collections.abc import Callable
from time import sleep

from django.conf import settings
from django.http import HttpRequest, HttpResponse

FIRST_DELAY_SECONDS = 0.25


def failed_sign_in_delay(failures: int, *, maximum: float) -> float:
    """Seconds to wait before answering the ``failures``-th failed sign-in in a row: 0.25 s × 2^(n−1), capped."""
    if failures < 1 or maximum <= 0:
        return 0.0
    # The exponent is bounded so that a long run of failures cannot overflow the float.
    return min(FIRST_DELAY_SECONDS * 2 ** min(failures - 1, 32), maximum)


class FailedSignInSlowdownMiddleware:
    """Answers a request in which a password check failed after :func:`failed_sign_in_delay` seconds."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # axes' user_login_failed handler (database or cache) records a failed password check and leaves the
        # new count for this user name and address on the request. It stays None when no password was checked
        # in this request, and when axes refused the attempt because the pair is locked.
        failures = getattr(request, "axes_failures_since_start", None)
        if failures and not getattr(request, "axes_locked_out", False):
            delay = failed_sign_in_delay(failures, maximum=settings.APA_LOGIN_SLOWDOWN_MAX_SECONDS)
            if delay:
                sleep(delay)
        return response


def client_ip_address(request: HttpRequest) -> str | None:
    """The client's address as axes should count it (``AXES_CLIENT_IP_CALLABLE``).

    Without proxies (``APA_PROXY_COUNT=0``) it is REMOTE_ADDR. Behind N trusted proxies each appends the address
    it received the request from to X-Forwarded-For, so the client is the N-th entry from the right; anything
    further left was written by the client itself and is not trusted. The header is believed only from the
    proxies' own addresses (``APA_TRUSTED_PROXIES``): a client that reaches an app server directly cannot
    choose a new address for every guess.
    """
    proxies = settings.APA_PROXY_COUNT
    remote_addr = request.META.get("REMOTE_ADDR")
    if proxies <= 0:
        return remote_addr
    if settings.APA_TRUSTED_PROXIES and remote_addr not in settings.APA_TRUSTED_PROXIES:
        return remote_addr
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if len(forwarded) < proxies:
        # Not the chain of proxies that was configured: count by the nearest address rather than guess.
        return remote_addr
    return forwarded[-proxies]
