"""Saved views (我的视图): each user's own named filters of a list page.

Personas (tiaodu.testing): dora, the 黄岛区 dispatcher, saves and opens views of the project
library; alice, the city dispatcher, has views of her own; neither sees or touches the
other's (404). The pages are named by their URL names and keys only: core imports no app.
"""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tiaodu.core import saved_filters
from tiaodu.core.models import AuditEvent, SavedFilter
from tiaodu.testing import assert_nothing_written

LIBRARY = "projects.library"
LEDGER = "problems.ledger"


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def save(client: Client, name: str, query: str, **extra: str) -> Any:
    data = {"page": LIBRARY, "name": name, "query": query, **extra}
    return client.post(reverse("core:saved_filter_save"), data)


@pytest.fixture
def dora_view(world: Any) -> SavedFilter:
    return saved_filters.save_filter(
        actor=world.dora,
        page=LIBRARY,
        name="黄岛区新开工",
        query=f"year=2026&region={world.huangdao.pk}&nature=new_start&page=3&per_page=50",
    )


def test_saving_keeps_the_filters_without_paging_and_opens_the_view(world: Any) -> None:
    dora = client_of(world.dora)
    query = f"year=2026&region={world.huangdao.pk}&level=&nature=new_start&page=2&view=9"
    response = save(dora, "  黄岛区   新开工 ", query)
    saved = SavedFilter.objects.get()
    assert (saved.user, saved.page, saved.name, saved.is_default) == (
        world.dora,
        LIBRARY,
        "黄岛区 新开工",
        False,
    )
    assert saved.query == f"year=2026&region={world.huangdao.pk}&level=&nature=new_start"
    opened = (
        f"/projects/?year=2026&region={world.huangdao.pk}&level=&nature=new_start&view={saved.pk}"
    )
    assert response.status_code == 302 and response["Location"] == opened
    event = AuditEvent.objects.get(object_type="core.savedfilter")
    assert (event.action, event.actor_name, event.object_id) == ("create", "dora", str(saved.pk))

    page = dora.get(opened).content.decode()
    assert 'data-testid="view-chip"' in page
    assert "视图：黄岛区 新开工" in page
    assert 'href="?view=none"' in page
    # The menu lists it, and opening it again restores exactly the query string.
    assert f'href="/views/{saved.pk}/"' in page
    again = dora.get(f"/views/{saved.pk}/")
    assert again.status_code == 302 and again["Location"] == opened


def test_the_default_view_applies_when_the_page_is_opened_without_filters(
    world: Any, dora_view: SavedFilter
) -> None:
    dora = client_of(world.dora)
    assert dora.get("/projects/").status_code == 200  # no default yet
    dora.post(f"/views/{dora_view.pk}/default/", {"default": "1"})
    dora_view.refresh_from_db()
    assert dora_view.is_default
    response = dora.get("/projects/")
    location = (
        f"/projects/?year=2026&region={world.huangdao.pk}&nature=new_start&view={dora_view.pk}"
    )
    assert response.status_code == 302 and response["Location"] == location
    page = dora.get(location).content.decode()
    assert "视图：黄岛区新开工" in page
    assert 'data-testid="view-chip-default">默认<' in page
    # With any parameter the page is as asked: the chip's 清除, a filter, a page number.
    for query in ("view=none", "nature=", "page=1"):
        assert dora.get(f"/projects/?{query}").status_code == 200
    assert 'data-testid="view-chip"' not in dora.get("/projects/?view=none").content.decode()
    # Another user's page opens without it, and alice's default is hers alone.
    assert client_of(world.alice).get("/projects/").status_code == 200


def test_one_default_per_page(world: Any, dora_view: SavedFilter) -> None:
    other = saved_filters.save_filter(
        actor=world.dora, page=LIBRARY, name="全部续建", query="nature=continuing", default=True
    )
    saved_filters.set_default_filter(actor=world.dora, saved=dora_view, default=True)
    other.refresh_from_db()
    dora_view.refresh_from_db()
    assert (dora_view.is_default, other.is_default) == (True, False)
    ledger = saved_filters.save_filter(
        actor=world.dora, page=LEDGER, name="逾期", query="overdue=yes", default=True
    )
    dora_view.refresh_from_db()
    assert dora_view.is_default and ledger.is_default  # another page keeps its own default
    saved_filters.set_default_filter(actor=world.dora, saved=dora_view, default=False)
    assert saved_filters.default_of(world.dora, LIBRARY) is None


def test_rename_and_delete(world: Any, dora_view: SavedFilter) -> None:
    dora = client_of(world.dora)
    response = dora.post(
        f"/views/{dora_view.pk}/rename/", {"name": "黄岛区新开工项目", "next": "/views/"}
    )
    assert response.status_code == 302 and response["Location"] == "/views/"
    dora_view.refresh_from_db()
    assert dora_view.name == "黄岛区新开工项目"
    page = dora.get("/views/").content.decode()
    assert "黄岛区新开工项目" in page and "项目库" in page
    event = AuditEvent.objects.filter(object_type="core.savedfilter", action="update").get()
    assert event.changes["name"] == ["黄岛区新开工", "黄岛区新开工项目"]

    dora.post(f"/views/{dora_view.pk}/delete/")
    assert not SavedFilter.objects.exists()
    assert AuditEvent.objects.filter(object_type="core.savedfilter", action="delete").count() == 1
    assert dora.get(f"/views/{dora_view.pk}/").status_code == 404


def test_another_user_can_neither_see_nor_open_nor_change_mine(
    world: Any, dora_view: SavedFilter
) -> None:
    alice = client_of(world.alice)
    assert "黄岛区新开工" not in alice.get("/projects/?year=2026").content.decode()
    assert "黄岛区新开工" not in alice.get("/views/").content.decode()
    # Even with the id in the address, the chip names no view of another user.
    assert (
        'data-testid="view-chip"'
        not in alice.get(f"/projects/?view={dora_view.pk}").content.decode()
    )
    with assert_nothing_written(SavedFilter, AuditEvent):
        assert alice.get(f"/views/{dora_view.pk}/").status_code == 404
        for action, data in (
            ("rename", {"name": "我的"}),
            ("default", {"default": "1"}),
            ("delete", {}),
        ):
            assert alice.post(f"/views/{dora_view.pk}/{action}/", data).status_code == 404


@pytest.mark.parametrize(
    ("page", "name", "message"),
    [
        (LIBRARY, "   ", "请给视图起个名称。"),
        (LIBRARY, "黄岛区新开工", "此页已有名为“黄岛区新开工”的视图。"),
        (LIBRARY, "长" * 61, "视图名称最多60个字。"),
        ("nowhere.page", "任意", "此页面不能保存视图。"),
    ],
)
def test_a_refused_save_says_why_and_writes_nothing(
    world: Any, dora_view: SavedFilter, page: str, name: str, message: str
) -> None:
    dora = client_of(world.dora)
    with assert_nothing_written(SavedFilter, AuditEvent):
        response = dora.post(
            reverse("core:saved_filter_save"),
            {"page": page, "name": name, "query": "nature=continuing", "next": "/projects/?q=x"},
            follow=True,
        )
    assert message in response.content.decode()


def test_at_most_thirty_views_a_page(world: Any) -> None:
    for number in range(30):
        saved_filters.save_filter(actor=world.dora, page=LIBRARY, name=f"视图{number}", query="")
    with assert_nothing_written(SavedFilter, AuditEvent), pytest.raises(Exception) as refused:
        saved_filters.save_filter(actor=world.dora, page=LIBRARY, name="再一个", query="")
    assert "此页已有30个视图，请先删除一个。" in str(refused.value)


def test_the_save_form_sent_twice_saves_one_view(world: Any) -> None:
    """Double submits (core.idempotency): the same form key saves once; the second post is
    sent to the view the first saved, not refused as a taken name."""
    dora = client_of(world.dora)
    assert 'name="idempotency_key"' in dora.get(reverse("projects:list")).content.decode()
    key = {"idempotency_key": "a1b2c3d4e5f60718293a4b5c6d7e8f90"}
    first = save(dora, "我的续建项目", "nature=continuing", **key)
    second = save(dora, "我的续建项目", "nature=continuing", **key)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    saved = SavedFilter.objects.get(user=world.dora)
    assert first["Location"] == saved_filters.open_url(saved)
