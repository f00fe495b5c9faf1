"""The global search: the results page `/search/?q=` (each kind with its count, the first
hits and a link to the kind's list filtered by the same words) and the top bar's dropdown
`/search/suggest/?q=` (five of each kind, an htmx partial). Thin: `core.search` reads the
registry, each kind through its app's scoped selector."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tiaodu.core import search

PAGE_HITS = 10
DROPDOWN_HITS = 5
KIND_PAGE_SIZE = 25


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    """搜索: every kind the user may search, or one kind paged (`kind=`)."""
    query = request.GET.get("q", "")
    words = search.clean_words(query)
    context: dict[str, object] = {
        "q": words,
        "searchable": bool(search.searchers_for(request.user)),
    }
    searcher = search.searcher_for(request.user, request.GET.get("kind", ""))
    if searcher is not None and words:
        found = searcher.find(request.user, words)
        page = Paginator(found, KIND_PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(
            searcher=searcher,
            page=page,
            hits=[searcher.hit(row) for row in page.object_list],
            list_url=searcher.list_url(request.user, words),
        )
    else:
        context["groups"] = search.search(request.user, words, limit=PAGE_HITS)
    return render(request, "core/search.html", context)


@login_required
def search_suggest(request: HttpRequest) -> HttpResponse:
    """The dropdown under the top bar's box: up to five of each kind, as an htmx partial."""
    words = search.clean_words(request.GET.get("q", ""))
    groups = search.search(request.user, words, limit=DROPDOWN_HITS)
    return render(request, "core/_search_suggest.html", {"q": words, "groups": groups})
