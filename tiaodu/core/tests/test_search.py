"""The registry of the global search: the apps register their kinds (core imports none of
them), the search page and the dropdown read only the registry, each kind asked whether the
reader may search it at all. The kinds of the apps are tested in their own tests
(projects, problems, supervision.notices)."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import QuerySet
from django.test import Client

from tiaodu.core import saved_filters, search
from tiaodu.core.models import SavedFilter
from tiaodu.core.scoping import Someone


@pytest.fixture
def registry() -> Iterator[None]:
    """The registry as the apps filled it, given back after the test."""
    kept = dict(search._searchers)
    yield
    search._searchers.clear()
    search._searchers.update(kept)


def my_views(actor: Someone, words: str) -> QuerySet[SavedFilter]:
    return saved_filters.saved_filters_of(actor).filter(name__icontains=words)


VIEWS = search.Searcher(
    key="views",
    label="我的视图",
    icon="bookmarks",
    allowed=lambda actor: getattr(actor, "is_authenticated", False),
    find=my_views,
    hit=lambda view: search.Hit(title=view.name, url=f"/views/{view.pk}/"),
    order=5,
)


def test_the_apps_register_projects_problems_and_notices(world: Any) -> None:
    keys = [searcher.key for searcher in search.searchers_for(world.alice)]
    assert keys == ["projects", "problems", "notices"]
    assert [searcher.key for searcher in search.searchers_for(world.rita)] == keys
    for persona in ("sysadmin", "secadmin", "auditor"):
        assert search.searchers_for(world.users[persona]) == []
    assert search.searchers_for(None) == []


def test_the_page_and_the_dropdown_read_the_registry(world: Any, registry: None) -> None:
    search.register_searcher(VIEWS)
    saved_filters.save_filter(
        actor=world.dora, page="projects.library", name="黄岛区滞后项目", query=""
    )
    saved_filters.save_filter(
        actor=world.alice, page="projects.library", name="黄岛区全部", query=""
    )
    client = Client()
    client.force_login(world.dora)
    groups = search.search(world.dora, "黄岛区")
    assert [(group.key, group.count, [hit.title for hit in group.hits]) for group in groups] == [
        ("views", 1, ["黄岛区滞后项目"]),
        ("projects", 1, ["黄岛区安置房建设项目"]),
    ]
    page = client.get("/search/", {"q": "黄岛区"}).content.decode()
    assert 'data-testid="search-count-views">1<' in page and "黄岛区滞后项目" in page
    assert "黄岛区全部" not in page
    dropdown = client.get("/search/suggest/", {"q": "黄岛区"}).content.decode()
    assert dropdown.index("黄岛区滞后项目") < dropdown.index("黄岛区安置房建设项目")
    # The administrators may search this kind: the box shows for them now.
    assert search.searchers_for(world.sysadmin) == [VIEWS]
    # Registered again under its key, a kind replaces the one before.
    search.register_searcher(search.Searcher(**{**VIEWS.__dict__, "allowed": lambda actor: False}))
    assert [group.key for group in search.search(world.dora, "黄岛区")] == ["projects"]


def test_the_words_searched() -> None:
    assert search.clean_words("  黄岛区   滞后 ") == "黄岛区 滞后"
    assert search.clean_words("   ") == ""
    assert search.clean_words("长" * 150) == "长" * 100


def test_nothing_is_searched_without_words(world: Any) -> None:
    assert search.search(world.alice, "  ") == []
    client = Client()
    client.force_login(world.alice)
    page = client.get("/search/", {"q": ""}).content.decode()
    assert "search-group" not in page and "search-none" not in page
