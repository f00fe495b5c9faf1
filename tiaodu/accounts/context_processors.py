"""The navigation a signed-in user sees, from their roles."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from tiaodu.accounts.navigation import badge_counts, menu_bar, menu_for
from tiaodu.core.context_processors import once_per_request


@once_per_request
def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu of the page, made once a request (its badges cost queries)."""
    user = getattr(request, "user", None)
    items = menu_for(user) if user is not None and user.is_authenticated else []
    # The active entry is the one whose address is the longest prefix of this page's (the
    # home page only on itself, or it would be the prefix of every page).
    matching = [
        item
        for item in items
        if request.path == item.url or (item.url != "/" and request.path.startswith(item.url))
    ]
    active = max(matching, key=lambda item: len(item.url)) if matching else None
    return {
        "site_name": settings.TIAODU_SITE_NAME,
        "nav_items": items,
        "nav_entries": menu_bar(items, badge_counts(user, items)),
        "nav_active": active,
    }
