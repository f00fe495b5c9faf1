"""Saved filters of list pages (我的视图): each user's own named query strings of a page.

A list page registers itself once (`register_page`, in its app's `AppConfig.ready()`: core
cannot import the apps above it) with a key and the name of its URL; the page's view wears
`applies_default(key)`, and its filter bar shows the `{% saved_filters key %}` control.

A saved filter keeps only the query string, never rows: opening it runs the page's own
FilterSet on the page's own scoped selector, so a filter that no longer validates (a region
now outside the user's scope, a list since removed) shows the form's errors and never a row
outside the user's scope.

The reserved parameter `view` names the saved filter a page was opened from (its id), or
`none` for the list without any (the chip's 清除): a page opened with no parameters at all
takes the user's default, if any, by a redirect to it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from tiaodu.core import audit
from tiaodu.core.models import SavedFilter
from tiaodu.core.scoping import Actor, Someone

# The reserved parameter naming the saved filter a page shows ("none": no saved filter).
VIEW = "view"
NONE = "none"
# Parameters a saved filter leaves out: where the list was paged, and the reserved one.
NOT_KEPT = frozenset({"page", "per_page", VIEW})
MAX_PER_PAGE = 30
MAX_QUERY = 2000


@dataclass(frozen=True)
class FilterPage:
    """A list page whose filters can be saved: its key, its name, its URL's name."""

    key: str
    label: str | Promise
    url_name: str

    def url(self) -> str:
        return reverse(self.url_name)


_pages: dict[str, FilterPage] = {}


def register_page(page: FilterPage) -> None:
    """Add (or replace, by key) a list page whose filters users can save."""
    _pages[page.key] = page


def page_of(key: str) -> FilterPage | None:
    return _pages.get(key)


def registered_pages() -> list[FilterPage]:
    return list(_pages.values())


# ---------------------------------------------------------------------------- reads


def clean_query(query: str) -> str:
    """The query string as a saved filter keeps it: without paging and `view`, its
    parameters in their order, empty values kept (an empty select is a choice too)."""
    data = QueryDict(query.lstrip("?"), mutable=True)
    for name in NOT_KEPT:
        data.pop(name, None)
    return data.urlencode()


def saved_filters_of(actor: Someone, page: str | None = None) -> QuerySet[SavedFilter]:
    """The actor's own saved filters (of one page, if given), by page and name."""
    pk = getattr(actor, "pk", None)
    if pk is None or not getattr(actor, "is_authenticated", False):
        return SavedFilter.objects.none()
    mine = SavedFilter.objects.filter(user_id=pk)
    return mine.filter(page=page) if page is not None else mine


def saved_filter_for(actor: Someone, pk: int) -> SavedFilter:
    """One of the actor's saved filters; 404 for anybody else's, so none can be found."""
    return get_object_or_404(saved_filters_of(actor), pk=pk)


def default_of(actor: Someone, page: str) -> SavedFilter | None:
    return saved_filters_of(actor, page).filter(is_default=True).first()


def open_url(saved: SavedFilter) -> str:
    """The page with the saved query string and `view` naming the saved filter."""
    page = page_of(saved.page)
    if page is None:
        raise Http404
    query = f"{saved.query}&" if saved.query else ""
    return f"{page.url()}?{query}{VIEW}={saved.pk}"


def shown_filter(actor: Someone, page: str, params: QueryDict) -> SavedFilter | None:
    """The saved filter a page was opened from (`view=<id>`), if it is the actor's."""
    value = params.get(VIEW, "")
    if not value.isdigit():
        return None
    return saved_filters_of(actor, page).filter(pk=int(value)).first()


def applies_default(
    page: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a list page's view: opened with no parameters at all, the page goes to the
    user's default saved filter of `page`, if there is one."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.GET and request.method == "GET":
                default = default_of(request.user, page)
                if default is not None and page_of(page) is not None:
                    return HttpResponseRedirect(open_url(default))
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


# ---------------------------------------------------------------------------- writes


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the view a name.")})
    if len(name) > 60:
        raise ValidationError({"name": _("A view's name has at most 60 characters.")})
    return name


def _check_free(actor: Actor, page: str, name: str, exclude: int | None = None) -> None:
    taken = saved_filters_of(actor, page).filter(name=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationError(
            {"name": _("You already have a view named “%(name)s” here.") % {"name": name}}
        )


def _clear_default(actor: Actor, page: str, keep: int | None = None) -> None:
    others = saved_filters_of(actor, page).filter(is_default=True)
    if keep is not None:
        others = others.exclude(pk=keep)
    for other in others:
        before = audit.snapshot(other)
        other.is_default = False
        other.save(update_fields=["is_default", "updated_at"])
        audit.record_update(actor=actor, instance=other, before=before)


def save_filter(
    *, actor: Actor, page: str, name: str, query: str, default: bool = False
) -> SavedFilter:
    """Save the page's filters under a name for the actor alone; as the page's default if
    asked (the previous default stops being one). Refuses an unknown page, an empty or
    taken name, a query string too long, a page with already 30 views."""
    if page_of(page) is None:
        raise ValidationError(_("This page has no saved views."))
    name = _clean_name(name)
    query = clean_query(query)
    if len(query) > MAX_QUERY:
        raise ValidationError(_("These filters are too long to save as a view."))
    with transaction.atomic():
        if saved_filters_of(actor, page).count() >= MAX_PER_PAGE:
            raise ValidationError(
                _("You have %(count)d views on this page already; delete one first.")
                % {"count": MAX_PER_PAGE}
            )
        _check_free(actor, page, name)
        if default:
            _clear_default(actor, page)
        saved = SavedFilter(user_id=actor.pk, page=page, name=name, query=query)
        saved.is_default = default
        saved.full_clean()
        saved.save()
        audit.record_create(actor=actor, instance=saved)
    return saved


def rename_filter(*, actor: Actor, saved: SavedFilter, name: str) -> SavedFilter:
    """Give one of the actor's saved filters another name (free on its page)."""
    saved = saved_filter_for(actor, saved.pk)
    name = _clean_name(name)
    with transaction.atomic():
        _check_free(actor, saved.page, name, exclude=saved.pk)
        before = audit.snapshot(saved)
        saved.name = name
        saved.save(update_fields=["name", "updated_at"])
        audit.record_update(actor=actor, instance=saved, before=before)
    return saved


def set_default_filter(*, actor: Actor, saved: SavedFilter, default: bool) -> SavedFilter:
    """Make one of the actor's saved filters its page's default (the only one), or not."""
    saved = saved_filter_for(actor, saved.pk)
    with transaction.atomic():
        if default:
            _clear_default(actor, saved.page, keep=saved.pk)
        before = audit.snapshot(saved)
        saved.is_default = default
        saved.save(update_fields=["is_default", "updated_at"])
        audit.record_update(actor=actor, instance=saved, before=before)
    return saved


def delete_filter(*, actor: Actor, saved: SavedFilter) -> None:
    """Delete one of the actor's saved filters."""
    saved = saved_filter_for(actor, saved.pk)
    with transaction.atomic():
        audit.record_delete(actor=actor, instance=saved)
        saved.delete()
