"""The projects of the global search: by name, code, owner or responsible unit, each
persona within its scope (tiaodu.testing):

- alice (city dispatcher) finds any project; dora (黄岛区 dispatcher) only p1, p2, p6
- rita (reporter of unit A, 青岛港湾建设有限公司) only p1 and p6; bob (unit B) only p3
- hank (handler of 市住建局) p2, whose responsible unit it is
- sysadmin, secadmin and auditor read no business data: nothing, and no search box
"""

from typing import Any

import pytest
from django.test import Client

from tiaodu.core import search
from tiaodu.projects import services
from tiaodu.projects.search import find_projects


def found(world: Any, persona: str, words: str) -> set[str]:
    names = {project.pk: key for key, project in world.projects.items()}
    return {
        names[pk] for pk in find_projects(world.users[persona], words).values_list("pk", flat=True)
    }


@pytest.mark.parametrize(
    ("persona", "words", "expected"),
    [
        ("alice", "崂山", {"p3", "p4"}),
        ("dora", "崂山", set()),
        ("rita", "崂山", set()),
        ("bob", "崂山", {"p3"}),
        ("lena", "崂山", {"p3", "p4"}),
        ("alice", "黄岛", {"p1", "p2"}),
        ("dora", "黄岛", {"p1", "p2"}),
        # The owner unit's name: unit A's projects (p1, p6), for those who see them.
        ("alice", "港湾建设", {"p1", "p6"}),
        ("rita", "港湾建设", {"p1", "p6"}),
        ("bob", "港湾建设", set()),
        # The responsible unit's name: p2 (市住建局).
        ("dora", "住房和城乡建设局", {"p2"}),
        ("hank", "住房和城乡建设局", {"p2"}),
        ("sysadmin", "黄岛", set()),
        ("secadmin", "黄岛", set()),
        ("auditor", "黄岛", set()),
    ],
)
def test_each_persona_finds_only_the_projects_in_its_scope(
    world: Any, persona: str, words: str, expected: set[str]
) -> None:
    assert found(world, persona, words) == expected


def test_a_project_is_found_by_its_code(world: Any) -> None:
    services.update_project(
        actor=world.alice, project=world.projects["p4"], code="2026-370212-48-01-000044"
    )
    assert found(world, "alice", "370212-48-01-000044") == {"p4"}
    assert found(world, "lena", "000044") == {"p4"}
    assert found(world, "dora", "000044") == set()


def test_names_beginning_with_the_words_come_first(world: Any) -> None:
    # p2 and p1 begin with 黄岛; p6's owner unit (港湾建设) matches 港湾 as p1's does, and
    # p6's name begins with 港湾.
    hits = [project.name for project in find_projects(world.alice, "港湾")]
    assert hits[0] == "港湾物流园仓储中心"
    assert set(hits) == {"港湾物流园仓储中心", "黄岛港区集装箱码头三期"}


def test_the_library_filters_by_the_same_words(world: Any) -> None:
    """The "more" link opens the library with q=: it lists the same projects."""
    client = Client()
    client.force_login(world.rita)
    page = client.get("/projects/", {"year": "2026", "q": "港湾建设"}).content.decode()
    assert "黄岛港区集装箱码头三期" in page and "港湾物流园仓储中心" in page
    assert "共2个项目" in page
    groups = search.search(world.rita, "港湾建设")
    assert [(group.key, group.count, group.list_url) for group in groups] == [
        ("projects", 2, "/projects/?q=%E6%B8%AF%E6%B9%BE%E5%BB%BA%E8%AE%BE")
    ]
