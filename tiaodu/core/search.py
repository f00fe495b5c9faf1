"""The global search of the top bar: kinds of things that apps register (core cannot import
them), each searched within the actor's scope by the app's own scoped selector.

An app registers a `Searcher` in its AppConfig.ready(): a key, a label, whether an actor may
search that kind at all (`allowed`: the roles without business data never may), a function
`(actor, words) -> QuerySet` built on its scoped selector, a function turning one found row
into a `Hit`, and the URL of its list filtered by the same words, when the actor may open
that list. The search page and the top bar's dropdown read only this registry.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise

from tiaodu.core.scoping import Someone

# The shortest and longest words searched: one character finds too much, and a pasted page
# is no query.
MIN_LENGTH = 1
MAX_LENGTH = 100


@dataclass(frozen=True)
class Hit:
    """One found thing as the results show it: a title, a line under it, its page."""

    title: str
    url: str
    detail: str = ""
    badge: str = ""


@dataclass(frozen=True)
class Searcher:
    key: str
    label: str | Promise
    icon: str
    allowed: Callable[[Someone], bool]
    # (actor, words) -> the scoped rows matching the words, in the order to show them.
    find: Callable[[Any, str], QuerySet[Any]]
    hit: Callable[[Any], Hit]
    # (actor, words) -> the URL of the kind's list filtered by the words, or "" when the
    # actor cannot open that list.
    list_url: Callable[[Any, str], str] = field(default=lambda actor, words: "")
    order: int = 100


@dataclass(frozen=True)
class Group:
    """The hits of one kind: how many there are in all, and the first few."""

    searcher: Searcher
    count: int
    hits: list[Hit]
    list_url: str

    @property
    def key(self) -> str:
        return self.searcher.key

    @property
    def label(self) -> str | Promise:
        return self.searcher.label

    @property
    def more(self) -> bool:
        return self.count > len(self.hits)


_searchers: dict[str, Searcher] = {}


def register_searcher(searcher: Searcher) -> None:
    """Add (or replace, by key) a kind of thing the global search finds."""
    _searchers[searcher.key] = searcher


def searchers_for(actor: Someone) -> list[Searcher]:
    """The kinds the actor may search, in their order (none for the administrators)."""
    chosen = sorted(_searchers.values(), key=lambda s: (s.order, s.key))
    return [searcher for searcher in chosen if searcher.allowed(actor)]


def searcher_for(actor: Someone, key: str) -> Searcher | None:
    return next((s for s in searchers_for(actor) if s.key == key), None)


def clean_words(query: str) -> str:
    """The words searched: spaces collapsed; "" when too short, cut when too long."""
    words = " ".join(query.split())[:MAX_LENGTH]
    return words if len(words) >= MIN_LENGTH else ""


def group_of(searcher: Searcher, actor: Someone, words: str, limit: int) -> Group:
    """The count and the first `limit` hits of one kind."""
    found = searcher.find(actor, words)
    rows = list(found[:limit])
    count = len(rows) if len(rows) < limit else found.count()
    return Group(
        searcher=searcher,
        count=count,
        hits=[searcher.hit(row) for row in rows],
        list_url=searcher.list_url(actor, words),
    )


def search(actor: Someone, query: str, *, limit: int = 5) -> list[Group]:
    """Each kind the actor may search with its count and first hits; kinds without a hit
    left out. Nothing for empty words."""
    words = clean_words(query)
    if not words:
        return []
    groups = [group_of(searcher, actor, words, limit) for searcher in searchers_for(actor)]
    return [group for group in groups if group.count]
