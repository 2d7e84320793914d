"""The page scenarios: `plan-page`, `inbox`, `summary` and `progress-save`, through the real stack (URL
routing, middleware, session, view, template) with Django's test client, signed in as a user of the data
being measured. Pages are requested over HTTPS, as behind the production load balancer: with
``DJANGO_DEBUG=0`` a plain-HTTP request would only get the redirect to HTTPS.
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from base.errors import DomainError
from indicators import permissions, scoring
from indicators.models import (
    EDITABLE_STATES,
    ActionPlan,
    Office,
    OfficeMembership,
    Progress,
    Role,
)
from indicators.periods import periods_ensure
from indicators.selectors import fiscal_year_start, office_get, plan_year_code
from indicators.services.progress import progress_record
from loadtest.bench.measure import Scenario, Target
from workflow import inbox as report_selectors
from workflow import summary as report_summary


class _HttpsClient(Client):
    """Every request over HTTPS (see the module's docstring)."""

    def generic(self, *args, **kwargs):
        kwargs["secure"] = True
        return super().generic(*args, **kwargs)


def _signed_in(user) -> Client:
    client = _HttpsClient()
    client.force_login(user)  # the session row and last_login are rolled back with everything else
    return client


def _ok(response: HttpResponse, what: str) -> HttpResponse:
    if response.status_code != 200:
        raise DomainError(
            f"{what}: সার্ভার {response.status_code} উত্তর দিয়েছে, ২০০ নয়।",
            f"{what}: the server answered {response.status_code}, not 200.",
        )
    return response


def _member(plan: ActionPlan, username: str | None, roles: tuple[str, ...]):
    """The named user, or the first user holding the first of ``roles`` that anyone holds in the office."""
    memberships = OfficeMembership.objects.select_related("user").filter(office=plan.office, role__in=roles)
    if username:
        memberships = memberships.filter(user__username=username)
    by_role = {m.role: m for m in memberships.order_by("-user__username")}
    membership = next((by_role[role] for role in roles if role in by_role), None)
    if membership is None:
        raise DomainError(
            f"'{plan.office.code}' দপ্তরে এই কাজের উপযুক্ত কোনো ব্যবহারকারী নেই।",
            f"Office '{plan.office.code}' has no user who may do this.",
        )
    return membership.user


def _page(user, url: str, **figures) -> Scenario:
    """GET ``url`` signed in as ``user``; the figures name both, then ``figures``."""
    client = _signed_in(user)
    return Scenario(
        run=lambda: _ok(client.get(url), url), figures={"url": url, "user": user.username, **figures}
    )


def plan_page(plan: ActionPlan, username: str | None) -> Scenario:
    user = _member(plan, username, (Role.OFFICER, Role.CIO))
    url = reverse("workflow:plan", args=[plan.office.code, plan_year_code(plan)])
    return _page(user, url, indicators=plan.indicators.count(), offices=1)


def _named_user(username: str):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise DomainError(f"'{username}' নামের কোনো ব্যবহারকারী নেই।", f"No user '{username}'.")
    return user


def _codes(office_ids: set[int]) -> str:
    return ",".join(Office.objects.filter(pk__in=office_ids).order_by("code").values_list("code", flat=True))


def _reviewer(office_id: int):
    """The first user (by username) holding the reviewer role in the office, or None."""
    membership = (
        OfficeMembership.objects.select_related("user")
        .filter(office_id=office_id, role=Role.REVIEWER)
        .order_by("user__username")
        .first()
    )
    return None if membership is None else membership.user


def _largest_tree_root() -> int | None:
    """The id of the root office (no parent) with the most offices below it: the Cabinet Division in real
    data."""
    table = connection.ops.quote_name(Office._meta.db_table)
    sql = (
        f"WITH RECURSIVE tree(id, root) AS ("
        f"SELECT id, id FROM {table} WHERE parent_id IS NULL "
        f"UNION ALL SELECT child.id, tree.root FROM {table} child JOIN tree ON child.parent_id = tree.id"
        f") SELECT root FROM tree GROUP BY root ORDER BY COUNT(*) DESC, root LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return None if row is None else row[0]


def inbox(target: Target) -> Scenario:
    """The inbox of ``--user``, or else of a reviewer of the office that ``--office`` reports to (the Cabinet
    Division for the demo), unfiltered: its first page."""
    if target.user:
        user = _named_user(target.user)
    else:
        parent_id = office_get(code=target.office).parent_id
        user = _reviewer(parent_id) if parent_id is not None else None
        if user is None:
            raise DomainError(
                "এই দপ্তরের ঊর্ধ্বতন দপ্তরে কোনো পর্যালোচক নেই।",
                "The office above this office has no reviewer.",
            )
    reviewed = permissions.offices_with_role(user, [Role.REVIEWER])
    if not reviewed:
        raise DomainError(
            f"'{user.username}' কোনো দপ্তরের পর্যালোচক নন।", f"'{user.username}' reviews no office."
        )
    page = report_selectors.inbox_page(user, report_selectors.InboxFilters())
    return _page(
        user,
        reverse("workflow:inbox"),
        office=_codes(reviewed),
        year=None,
        offices=Office.objects.filter(parent_id__in=reviewed).count(),
        rows=len(page.rows),
        total_rows=page.counts.total,
        pages=page.pager.num_pages,
        chart_offices=page.chart.offices,
    )


def summary(target: Target) -> Scenario:
    """The summary `/review/summary/` of ``--year`` as a reviewer opens it (the latest quarter past its
    deadline), as ``--user`` or else as a reviewer of the root office of the largest tree — the Cabinet
    Division, who sees the whole country."""
    if target.user:
        user = _named_user(target.user)
    else:
        root_id = _largest_tree_root()
        user = _reviewer(root_id) if root_id is not None else None
        if user is None:
            raise DomainError(
                "সবচেয়ে বড় দপ্তর-বৃক্ষের শীর্ষ দপ্তরে কোনো পর্যালোচক নেই।",
                "The root office of the largest tree has no reviewer.",
            )
    if not report_summary.may_see_summary(user):
        raise DomainError(
            f"'{user.username}' কোনো দপ্তরের পর্যালোচক বা প্রশাসক নন।",
            f"'{user.username}' is no reviewer or administrator of any office.",
        )
    start_year = fiscal_year_start(target.year)
    # By default the page as a reviewer opens it for the year: its latest quarter past the deadline;
    # ``--quarter`` asks for one quarter or for all four (``all``, the largest aggregate).
    query = {"year": target.year}
    if target.quarter is None:
        quarter: int | str = report_summary.default_quarter(start_year)
    elif target.quarter == "all":
        quarter = query["quarter"] = "all"
    else:
        quarter = int(target.quarter)
        query["quarter"] = str(quarter)
    page = report_summary.summary_page(
        user,
        report_summary.SummaryFilters(year=start_year, quarter=None if quarter == "all" else quarter),
    )
    offices = permissions.offices_with_role(user, report_summary.SUMMARY_ROLES)
    return _page(
        user,
        reverse("workflow:summary") + "?" + urlencode(query),
        office=_codes(offices),
        year=target.year,
        quarter=quarter,
        offices=page.total.offices if page.total else 0,
        tiers=len(page.tiers),
        submitted=page.total.submitted if page.total else 0,
    )


def progress_save(plan: ActionPlan, username: str | None) -> Scenario:
    """Save one quarter's value of the plan's first number or percent indicator through the in-place editor
    (an htmx POST, as the browser sends it); after each run the service puts the old value back."""
    user = _member(plan, username, (Role.OFFICER, Role.CIO))
    open_quarters = [p.quarter for p in periods_ensure(plan) if p.state in EDITABLE_STATES]
    indicator = (
        plan.indicators.applicable()
        .exclude(unit=scoring.Unit.DATE)
        .select_related("plan")
        .order_by("position")
    ).first()
    if not open_quarters or indicator is None:
        raise DomainError(
            "এই কর্মপরিকল্পনায় লেখার মতো খোলা ত্রৈমাসিক বা সংখ্যাভিত্তিক সূচক নেই।",
            "This plan has no open quarter or no number indicator to write to.",
        )
    quarter = open_quarters[0]
    url = reverse("workflow:progress", args=[plan.office.code, plan_year_code(plan), indicator.code, quarter])
    client = _signed_in(user)
    stored = Progress.objects.filter(indicator=indicator, quarter=quarter).first()
    original_value = stored.value if stored else None
    original_remark = stored.remark if stored else ""

    changed = (original_value or Decimal(0)) + 1
    form = {"value": format(changed.normalize(), "f"), "remark": original_remark, "version": ""}

    def current() -> Progress | None:
        return Progress.objects.filter(indicator=indicator, quarter=quarter).first()

    def load_form() -> None:
        progress = current()
        form["version"] = "" if progress is None else str(progress.version)

    def run() -> HttpResponse:
        return _ok(client.post(url, form, headers={"HX-Request": "true"}), url)

    def check_and_restore() -> None:
        saved = current()
        if saved is None or saved.value != changed:
            raise DomainError("মান সংরক্ষিত হয়নি।", f"The value was not saved ({url}).")
        progress_record(
            indicator=indicator,
            quarter=quarter,
            value=original_value,
            remark=original_remark,
            user=user,
            expected_version=saved.version,
        )

    return Scenario(
        run=run,
        before_run=load_form,
        after_run=check_and_restore,
        figures={"url": url, "user": user.username, "indicator": indicator.code, "quarter": quarter},
    )
