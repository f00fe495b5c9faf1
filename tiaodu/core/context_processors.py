"""The top bar: the unread count under the bell, and the global search.

A page whose parts render with the request's context (django-tables2's `render_table`, an
included form) runs the context processors again for each: `once_per_request` makes a
processor's work (its queries) once a request."""

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from tiaodu.core import stamps
from tiaodu.core.notifications import unread_count
from tiaodu.core.search import searchers_for

type Processor = Callable[[HttpRequest], dict[str, Any]]


def once_per_request(processor: Processor) -> Processor:
    """The processor, run once a request: later renders of the same request get its first
    answer."""

    @functools.wraps(processor)
    def wrapped(request: HttpRequest) -> dict[str, Any]:
        made: dict[Processor, dict[str, Any]] = request.__dict__.setdefault("_tiaodu_context", {})
        if processor not in made:
            made[processor] = processor(request)
        return made[processor]

    return wrapped


@once_per_request
def notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}


@once_per_request
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


def kept_figures(request: HttpRequest) -> dict[str, Any]:
    """The figures the page shows from before a change (`core.stamps`), read when the
    template asks: after the view has computed them (a function, called by the template)."""
    return {"stale_reads": stamps.stale_reads}
