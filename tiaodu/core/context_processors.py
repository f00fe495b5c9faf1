"""The unread count under the bell of the top bar."""

from typing import Any

from django.http import HttpRequest

from tiaodu.core.notifications import unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
