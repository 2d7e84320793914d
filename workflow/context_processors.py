from django.http import HttpRequest

from workflow.waiting import waiting_count


def waiting(request: HttpRequest) -> dict:
    """The count of what waits for the user, shown in the header: read only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cache: dict[str, int] = {}

    def count() -> int:
        if "n" not in cache:
            cache["n"] = waiting_count(user)
        return cache["n"]

    return {"waiting_count": count}
