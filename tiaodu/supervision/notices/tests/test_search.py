"""The global search over the three kinds, per persona, and the notices by 文号.

The city of tiaodu.testing with three notices issued by alice:
- 督办〔2026〕1号 to unit A about p1 and p6 (黄岛区): 黄岛港区项目投资进度滞后
- 提醒〔2026〕1号 to unit B about p3 (崂山区): 崂山科创园一期开工滞后
- 督办〔2026〕2号 to 市住建局 (here the responsible unit of p4) about p4 (崂山区):
  污水处理厂扩建进度滞后
and a problem of p3, 施工用电未接通. dora (黄岛区) never finds anything of 崂山区; rita
(unit A) and bob (unit B) find their units' only; sysadmin finds nothing and has no box.
"""

import re
from typing import Any

import pytest
from django.test import Client

from tiaodu.problems import services as problem_services
from tiaodu.problems.choices import ProblemCategory
from tiaodu.projects.models import Project
from tiaodu.supervision.notices.choices import NoticeKind
from tiaodu.supervision.notices.search import find_notices
from tiaodu.supervision.notices.tests.conftest import issue


@pytest.fixture
def notices(world: Any) -> None:
    issue(world)
    issue(
        world,
        kind=NoticeKind.REMINDER,
        recipient_unit=world.unit_b,
        projects=[world.projects["p3"]],
        subject="崂山科创园一期开工滞后",
    )
    # A notice names only projects within its recipient's reach.
    Project.objects.filter(pk=world.projects["p4"].pk).update(responsible_unit=world.housing_bureau)
    issue(
        world,
        recipient_unit=world.housing_bureau,
        projects=[world.projects["p4"]],
        subject="污水处理厂扩建进度滞后",
    )
    problem_services.raise_problem(
        actor=world.alice,
        project=world.projects["p3"],
        category=ProblemCategory.UTILITIES,
        title="施工用电未接通",
    )


def numbers(world: Any, persona: str, words: str) -> set[str]:
    return {notice.number_label for notice in find_notices(world.users[persona], words)}


@pytest.mark.parametrize(
    ("persona", "words", "expected"),
    [
        ("alice", "滞后", {"督办〔2026〕1号", "提醒〔2026〕1号", "督办〔2026〕2号"}),
        ("dora", "滞后", {"督办〔2026〕1号"}),
        ("rita", "滞后", {"督办〔2026〕1号"}),
        ("bob", "滞后", {"提醒〔2026〕1号"}),
        ("hank", "滞后", {"督办〔2026〕2号"}),
        ("lena", "滞后", {"提醒〔2026〕1号", "督办〔2026〕2号"}),
        ("sysadmin", "滞后", set()),
        ("auditor", "滞后", set()),
        # By 文号, whole or begun, with any brackets; by the number's word.
        ("alice", "督办〔2026〕2号", {"督办〔2026〕2号"}),
        ("alice", "督办[2026]2", {"督办〔2026〕2号"}),
        ("alice", "督办〔2026〕", {"督办〔2026〕1号", "督办〔2026〕2号"}),
        ("alice", "〔2026〕1号", {"督办〔2026〕1号", "提醒〔2026〕1号"}),
        ("alice", "提醒", {"提醒〔2026〕1号"}),
        ("alice", "警示〔2026〕1号", set()),
        ("dora", "督办〔2026〕2号", set()),
        ("bob", "督办", set()),
        # The recipient's and the projects' names, as the notice list's search.
        ("alice", "住房和城乡建设局", {"督办〔2026〕2号"}),
        ("dora", "崂山", set()),
    ],
)
def test_each_persona_finds_only_the_notices_in_its_scope(
    world: Any, notices: None, persona: str, words: str, expected: set[str]
) -> None:
    assert numbers(world, persona, words) == expected


def test_the_notice_list_searches_by_document_number(world: Any, notices: None) -> None:
    client = Client()
    client.force_login(world.alice)
    page = client.get("/supervision/notices/", {"q": "督办〔2026〕2号"}).content.decode()
    assert re.findall(r'data-testid="notice-number">([^<]+)<', page) == ["督办〔2026〕2号"]


def groups_on_page(html: str) -> dict[str, tuple[int, list[str]]]:
    """Each kind on the results page: its count and the titles of its hits."""
    found = {}
    for part in html.split('data-testid="search-group-')[1:]:
        key = part[: part.index('"')]
        count = re.findall(rf'data-testid="search-count-{key}">(\d+)<', part)
        found[key] = (int(count[0]), re.findall(r'<span class="fw-bold">([^<]+)</span>', part))
    return found


def page_of(world: Any, persona: str, words: str) -> str:
    client = Client()
    client.force_login(world.users[persona])
    response = client.get("/search/", {"q": words})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (
            "alice",
            {
                "projects": (2, ["崂山区污水处理厂扩建", "崂山科创园一期"]),
                "problems": (1, ["施工用电未接通"]),
                "notices": (2, ["督办〔2026〕2号", "提醒〔2026〕1号"]),
            },
        ),
        (
            "bob",
            {
                "projects": (1, ["崂山科创园一期"]),
                "problems": (1, ["施工用电未接通"]),
                "notices": (1, ["提醒〔2026〕1号"]),
            },
        ),
        ("dora", {}),
        ("rita", {}),
    ],
)
def test_the_results_page_groups_each_kind_in_the_scope(
    world: Any, notices: None, persona: str, expected: dict[str, Any]
) -> None:
    html = page_of(world, persona, "崂山")
    assert groups_on_page(html) == expected
    if not expected:
        assert "没有找到与“崂山”相关的结果。" in html


def test_the_administrators_find_nothing_and_have_no_search_box(world: Any, notices: None) -> None:
    for persona in ("sysadmin", "secadmin", "auditor"):
        html = page_of(world, persona, "崂山")
        assert "您的角色不查阅业务数据，搜索不会返回任何结果。" in html
        assert "崂山科创园" not in html and "search-group" not in html
        assert 'data-testid="global-search"' not in html
        client = Client()
        client.force_login(world.users[persona])
        suggest = client.get("/search/suggest/", {"q": "崂山"}).content.decode()
        assert "suggest-hit" not in suggest and "崂山科创园" not in suggest
    assert 'data-testid="global-search"' in page_of(world, "rita", "崂山")


def test_one_kind_paged_and_the_link_into_its_list(world: Any, notices: None) -> None:
    html = page_of(world, "alice", "滞后")
    assert groups_on_page(html)["notices"][0] == 3
    assert 'href="/supervision/notices/?q=%E6%BB%9E%E5%90%8E"' in html
    client = Client()
    client.force_login(world.alice)
    kind = client.get("/search/", {"q": "滞后", "kind": "notices"}).content.decode()
    assert 'data-testid="search-count">3<' in kind
    # A kind the reader may not search is the page of every kind.
    sysadmin = Client()
    sysadmin.force_login(world.sysadmin)
    other = sysadmin.get("/search/", {"q": "滞后", "kind": "notices"}).content.decode()
    assert "search-kind-notices" not in other


def suggestions(world: Any, persona: str, words: str) -> str:
    client = Client()
    client.force_login(world.users[persona])
    response = client.get("/search/suggest/", {"q": words}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def test_the_dropdown_lists_five_of_each_kind_as_options(world: Any, notices: None) -> None:
    html = suggestions(world, "bob", "崂山")
    counts = dict(re.findall(r'data-testid="suggest-count-(\w+)">(\d+)<', html))
    assert counts == {"projects": "1", "problems": "1", "notices": "1"}
    assert re.findall(r'<span class="td-search-title">([^<]+)</span>', html) == [
        "崂山科创园一期",
        "施工用电未接通",
        "提醒〔2026〕1号",
    ]
    assert html.count('role="option"') == 4  # three hits and 全部结果
    assert 'href="/search/?q=%E5%B4%82%E5%B1%B1"' in html
    assert "<html" not in html  # a partial, not a page
    nothing = suggestions(world, "dora", "崂山")
    assert "没有找到与“崂山”相关的结果。" in nothing and 'role="option"' in nothing
    assert suggestions(world, "alice", "  ").strip() == ""


def test_the_dropdown_stops_at_five(world: Any, notices: None) -> None:
    for number in range(4):
        issue(world, subject=f"黄岛港区项目第{number}次滞后")
    html = suggestions(world, "alice", "滞后")
    assert 'data-testid="suggest-count-notices">7<' in html
    assert html.count('data-testid="suggest-hit"') == 5
