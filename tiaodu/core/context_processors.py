"""The top bar: the unread count under the bell, and the global search."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from tiaodu.core.notifications import unread_count
from tiaodu.core.search import searchers_for


def notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}


def search(request: HttpRequest) -> dict[str, Any]:
    """Whether the top bar shows the global search (not to the roles without business
    data: they have nothing to search) and the words of the search page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "global_search": bool(searchers_for(user)),
        "search_query": request.GET.get("q", "") if request.path == reverse("core:search") else "",
    }
