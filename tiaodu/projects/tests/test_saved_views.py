"""Saved views of the project library: a stored view is only a query string, so opening
one runs the library's own filters on the reader's own scope. dora, the 黄岛区 dispatcher,
sees p1, p2 and p6 whatever her view says."""

from typing import Any

from django.test import Client

from tiaodu.core import saved_filters
from tiaodu.projects.search import LIBRARY

HUANGDAO = ("黄岛港区集装箱码头三期", "黄岛区安置房建设项目", "港湾物流园仓储中心")
ELSEWHERE = ("崂山科创园一期", "崂山区污水处理厂扩建", "市南区老旧小区改造")
INVALID = "选择一个有效的选项： 该选择不在可用的选项中。"


def opened(world: Any, persona: str, query: str) -> str:
    user = world.users[persona]
    view = saved_filters.save_filter(actor=user, page=LIBRARY, name="我的视图一", query=query)
    client = Client()
    client.force_login(user)
    response = client.get(f"/views/{view.pk}/", follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_a_region_now_outside_the_scope_shows_the_error_and_only_rows_in_scope(world: Any) -> None:
    page = opened(world, "dora", f"year=2026&region={world.laoshan.pk}")
    assert f"<div>所属区县：{INVALID}</div>" in page
    assert "共3个项目" in page
    assert all(name in page for name in HUANGDAO)
    assert not any(name in page for name in ELSEWHERE)


def test_a_removed_list_shows_the_error(world: Any) -> None:
    page = opened(world, "dora", "year=2026&list=987654&nature=new_start")
    assert f"<div>重点项目清单：{INVALID}</div>" in page
    # The other filters still apply: the new starts of 黄岛区 (p1).
    assert "共1个项目" in page and "黄岛港区集装箱码头三期" in page


def test_a_view_of_another_year_opens_that_year(world: Any) -> None:
    page = opened(world, "alice", "year=2025")
    assert "2025年度计划" in page and "共0个项目" in page


def test_the_default_view_is_not_applied_to_the_pages_own_requests(world: Any) -> None:
    view = saved_filters.save_filter(
        actor=world.dora, page=LIBRARY, name="新开工", query="nature=new_start", default=True
    )
    client = Client()
    client.force_login(world.dora)
    assert client.get("/projects/")["Location"] == f"/projects/?nature=new_start&view={view.pk}"
    # The filter bar's htmx request always carries its fields: never redirected.
    response = client.get("/projects/", {"year": "2026", "nature": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "共3个项目" in response.content.decode()
    # The export is not the list page: it exports what its query says.
    assert client.get("/projects/export.xlsx").status_code == 200
