"""Who may see and do what (DESIGN.md §1, §4). Every view and service asks here; nothing else decides.

Roles are held per office. Members of an office (any role) see its plans; officers and the CIO edit
progress while a period is open; only the CIO returns, approves and sends; reviewers of the parent office
see a child office's periods from "sent" on and accept or return them. Superusers administer through
/admin/ and get no extra rights in the application.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from indicators.models import ActionPlan, Office, OfficeMembership, Role

User = AbstractBaseUser | AnonymousUser


def roles_by_office(user: User) -> dict[int, set[str]]:
    """{office id: roles} for the user, read once per request and cached on the user object."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_apa_roles_by_office", None)
    if cached is None:
        cached = {}
        for office_id, role in OfficeMembership.objects.filter(user=user).values_list("office_id", "role"):
            cached.setdefault(office_id, set()).add(role)
        user._apa_roles_by_office = cached
    return cached


def roles_in(user: User, office: Office | int) -> set[str]:
    office_id = office if isinstance(office, int) else office.pk
    return roles_by_office(user).get(office_id, set())


def offices_with_role(user: User, roles: Iterable[str]) -> set[int]:
    wanted = set(roles)
    return {office_id for office_id, held in roles_by_office(user).items() if held & wanted}


def is_member(user: User, plan: ActionPlan) -> bool:
    return bool(roles_in(user, plan.office_id))


def is_reviewer_of(user: User, plan: ActionPlan) -> bool:
    """A reviewer of the office the plan's office reports to (its parent)."""
    parent_id = plan.office.parent_id
    return parent_id is not None and Role.REVIEWER in roles_in(user, parent_id)


def can_view_plan(user: User, plan: ActionPlan) -> bool:
    return is_member(user, plan) or is_reviewer_of(user, plan)


def can_edit_progress(user: User, plan: ActionPlan) -> bool:
    return bool(roles_in(user, plan.office_id) & {Role.OFFICER, Role.CIO})


def can_import_plan(user: User, office: Office) -> bool:
    """An officer or the CIO of the office imports its plan from a document (issue 13), while the plan's
    quarters allow it (the service decides that)."""
    return bool(roles_in(user, office) & {Role.OFFICER, Role.CIO})


def is_cio(user: User, plan: ActionPlan) -> bool:
    return Role.CIO in roles_in(user, plan.office_id)


def can_start_plan(user: User, office: Office) -> bool:
    """Officers and the CIO of an office start its plan of a new year (from last year's or a template)."""
    return bool(roles_in(user, office) & {Role.OFFICER, Role.CIO})


def can_publish_template(user: User, office: Office) -> bool:
    """Members of a higher office (officers, CIO, reviewers) publish its template for the offices below."""
    return bool(roles_in(user, office) & {Role.OFFICER, Role.CIO, Role.REVIEWER})


def administers(user: AbstractBaseUser | None, permission: str) -> bool:
    """An administrator acting through /admin/ with the model permission for the change."""
    return bool(user is not None and user.is_active and user.is_staff and user.has_perm(permission))
