from django.http import HttpRequest

from indicators import permissions
from indicators.models import Role


def navigation(request: HttpRequest) -> dict:
    """What the navigation bar needs: whether the user reviews child offices' reports."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_is_reviewer": bool(permissions.offices_with_role(user, [Role.REVIEWER]))}
