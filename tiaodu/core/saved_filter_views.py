"""The pages of saved filters (我的视图): save the current filters of a list, open one,
and the user's own list to rename, delete and choose the default. Thin: the writes are
`core.saved_filters`' services; another user's saved filter is not there (404)."""

from typing import cast
from urllib.parse import unquote_plus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaodu.core import idempotency, saved_filters
from tiaodu.core.refusals import refusal
from tiaodu.core.scoping import Actor


def _actor(request: HttpRequest) -> Actor:
    # Behind the sign-in (core cannot name accounts' signed-in request type).
    return cast(Actor, request.user)


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


@login_required
def saved_filter_list(request: HttpRequest) -> HttpResponse:
    """我的视图: the user's saved views, by page, each to open, rename, delete or make default."""
    views = list(saved_filters.saved_filters_of(request.user))
    for view in views:
        view.readable = unquote_plus(view.query)  # type: ignore[attr-defined]
    groups = []
    for page in saved_filters.registered_pages():
        mine = [view for view in views if view.page == page.key]
        if mine:
            groups.append({"page": page, "views": mine})
    return render(
        request,
        "core/saved_filters.html",
        {"groups": groups, "focus": request.GET.get("page", "")},
    )


@login_required
@require_POST
def saved_filter_save(request: HttpRequest) -> HttpResponse:
    """Save the filters a list page shows under a name; then show the page with the view."""
    page = request.POST.get("page", "")

    def save() -> str | None:
        try:
            saved = saved_filters.save_filter(
                actor=_actor(request),
                page=page,
                name=request.POST.get("name", ""),
                query=request.POST.get("query", ""),
                default=request.POST.get("default") == "1",
            )
        except ValidationError as error:
            messages.error(request, refusal(error))
            return None
        messages.success(request, _("The view “%(name)s” is saved.") % {"name": saved.name})
        return saved_filters.open_url(saved)

    # Saved once per the form's key: sent twice, the second is not refused as a taken name
    # but sent to the view the first one saved.
    location = idempotency.form_once(request, "core.saved_filter", save)
    if location is None:
        known = saved_filters.page_of(page)
        return _back(request, known.url() if known else reverse("core:saved_filters"))
    return redirect(location)


@login_required
def saved_filter_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a saved view: its page with exactly the query string it keeps."""
    saved = saved_filters.saved_filter_for(request.user, pk)
    return redirect(saved_filters.open_url(saved))


@login_required
@require_POST
def saved_filter_rename(request: HttpRequest, pk: int) -> HttpResponse:
    saved = saved_filters.saved_filter_for(request.user, pk)
    try:
        saved_filters.rename_filter(
            actor=_actor(request), saved=saved, name=request.POST.get("name", "")
        )
    except ValidationError as error:
        messages.error(request, refusal(error))
    else:
        messages.success(request, _("The view is renamed “%(name)s”.") % {"name": saved.name})
    return _back(request, reverse("core:saved_filters"))


@login_required
@require_POST
def saved_filter_default(request: HttpRequest, pk: int) -> HttpResponse:
    saved = saved_filters.saved_filter_for(request.user, pk)
    default = request.POST.get("default") == "1"
    saved_filters.set_default_filter(actor=_actor(request), saved=saved, default=default)
    if default:
        message = _("“%(name)s” now opens when the page is opened without filters.")
    else:
        message = _("“%(name)s” is no longer the page's default.")
    messages.success(request, message % {"name": saved.name})
    return _back(request, reverse("core:saved_filters"))


@login_required
@require_POST
def saved_filter_delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved = saved_filters.saved_filter_for(request.user, pk)
    name = saved.name
    saved_filters.delete_filter(actor=_actor(request), saved=saved)
    messages.success(request, _("The view “%(name)s” is deleted.") % {"name": name})
    return _back(request, reverse("core:saved_filters"))
