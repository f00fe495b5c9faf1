"""The problems of the global search and the ledger's saved views.

Problems (raised by alice, the city dispatcher): 用地指标未落实 of p1 (黄岛区, unit A),
施工用电未接通 of p3 (崂山区, unit B) and 污水管网迁改受阻 of p4 (崂山区). dora (黄岛区)
finds only the first; rita (unit A) only the first, with no link into the ledger, which she
does not read; bob (unit B) only the second; sysadmin nothing.
"""

from typing import Any

import pytest
from django.test import Client

from tiaodu.core import saved_filters, search
from tiaodu.problems import services
from tiaodu.problems.choices import ProblemCategory
from tiaodu.problems.search import LEDGER, find_problems


@pytest.fixture
def problems(world: Any) -> dict[str, Any]:
    def raise_(project: str, title: str) -> Any:
        return services.raise_problem(
            actor=world.alice,
            project=world.projects[project],
            category=ProblemCategory.SITE,
            title=title,
            description="需协调解决。",
        )

    return {
        "land": raise_("p1", "用地指标未落实"),
        "power": raise_("p3", "施工用电未接通"),
        "sewer": raise_("p4", "污水管网迁改受阻"),
    }


def titles(world: Any, persona: str, words: str) -> set[str]:
    return {problem.title for problem in find_problems(world.users[persona], words)}


@pytest.mark.parametrize(
    ("persona", "words", "expected"),
    [
        ("alice", "未", {"用地指标未落实", "施工用电未接通"}),
        ("dora", "未", {"用地指标未落实"}),
        ("rita", "未", {"用地指标未落实"}),
        ("bob", "未", {"施工用电未接通"}),
        ("lena", "受阻", {"污水管网迁改受阻"}),
        ("dora", "受阻", set()),
        # The project's name finds its problems, as the ledger's search does.
        ("alice", "崂山", {"施工用电未接通", "污水管网迁改受阻"}),
        ("dora", "崂山", set()),
        ("sysadmin", "未", set()),
        ("auditor", "未", set()),
    ],
)
def test_each_persona_finds_only_the_problems_in_its_scope(
    world: Any, problems: dict[str, Any], persona: str, words: str, expected: set[str]
) -> None:
    assert titles(world, persona, words) == expected


def test_a_problem_is_found_by_its_number(world: Any, problems: dict[str, Any]) -> None:
    power = problems["power"]
    assert titles(world, "alice", f"#{power.pk}") == {"施工用电未接通"}
    assert titles(world, "bob", str(power.pk)) == {"施工用电未接通"}
    assert titles(world, "dora", f"#{power.pk}") == set()
    # The ledger's own search finds the number too.
    client = Client()
    client.force_login(world.alice)
    page = client.get("/problems/", {"q": f"#{power.pk}"}).content.decode()
    assert "共1个问题" in page and "施工用电未接通" in page


def test_the_more_link_opens_the_ledger_only_for_its_readers(
    world: Any, problems: dict[str, Any]
) -> None:
    [dora] = search.search(world.dora, "未")
    assert (dora.key, dora.count, dora.list_url) == ("problems", 1, "/problems/?q=%E6%9C%AA")
    assert [(hit.title, hit.badge) for hit in dora.hits] == [
        ("用地指标未落实", f"#{problems['land'].pk}")
    ]
    [rita] = search.search(world.rita, "未")
    assert (rita.key, rita.count, rita.list_url) == ("problems", 1, "")


def test_a_ledger_view_outside_the_scope_shows_the_error_and_only_rows_in_scope(
    world: Any, problems: dict[str, Any]
) -> None:
    view = saved_filters.save_filter(
        actor=world.dora, page=LEDGER, name="崂山区问题", query=f"region={world.laoshan.pk}&q="
    )
    client = Client()
    client.force_login(world.dora)
    page = client.get(f"/views/{view.pk}/", follow=True).content.decode()
    assert "所在区域: 选择一个有效的选项： 该选择不在可用的选项中。" in page
    assert "共1个问题" in page and "用地指标未落实" in page
    assert "施工用电未接通" not in page and "污水管网迁改受阻" not in page
    assert "视图：崂山区问题" in page


def test_the_ledger_opens_with_the_default_view(world: Any, problems: dict[str, Any]) -> None:
    view = saved_filters.save_filter(
        actor=world.lena, page=LEDGER, name="受阻", query="q=受阻", default=True
    )
    client = Client()
    client.force_login(world.lena)
    response = client.get("/problems/", follow=True)
    assert response.redirect_chain == [(f"/problems/?q=%E5%8F%97%E9%98%BB&view={view.pk}", 302)]
    page = response.content.decode()
    assert "共1个问题" in page and "污水管网迁改受阻" in page and "视图：受阻" in page
