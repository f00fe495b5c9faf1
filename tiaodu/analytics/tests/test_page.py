"""The statistics page: its figures, its scope, and every count a link to exactly its projects."""

import re
from html import unescape
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.http import QueryDict
from django.urls import reverse

from tiaodu.projects.filters import AnnualPlanFilterSet
from tiaodu.projects.selectors import plans_visible_to
from tiaodu.testing import PASSWORD

PAGE = reverse("analytics:figures")
COUNT_LINK = re.compile(r'<a href="([^"]+)" class="td-count" data-count="(\d+)">')


def page(client: Any, user: Any, **params: str) -> Any:
    client.login(username=user.username, password=PASSWORD)
    return client.get(PAGE, {"year": "2026", "as_of": "2026-08-31", **params})


def links(response: Any) -> dict[str, int]:
    found = COUNT_LINK.findall(response.content.decode())
    assert found
    return {unescape(href): int(count) for href, count in found}


def listed(client: Any, href: str) -> list[str]:
    # The results part of the page, as the page asks for it when a filter changes (htmx): the
    # same view, filters and table, without the menu and the filter form around them.
    response = client.get(href + "&per_page=100", headers={"HX-Request": "true"})
    assert response.status_code == 200
    return sorted(record.project.name for record in response.context["table"].data)


def counted(user: Any, href: str) -> int:
    """How many entries the library lists for a link: its filters applied to the reader's
    plan entries as the library's view applies them (`projects.views._filtered_plans`),
    counted in the database. The links are hundreds a page; drawing each list as a page is
    the business of test_the_links_name_the_projects, which follows a sample."""
    url = urlsplit(href)
    assert url.path == reverse("projects:list"), href
    data = QueryDict(url.query, mutable=True)
    year = int(str(data.get("year")))
    filterset = AnnualPlanFilterSet(data, queryset=plans_visible_to(user), actor=user, year=year)
    assert filterset.is_valid(), (href, filterset.errors)
    return filterset.qs.count()


def test_page_shows_the_figures(client: Any, stats: Any) -> None:
    response = page(client, stats.alice)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-testid="figure-completion-rate">35.00%' in text
    assert "统计分析" in text  # the menu entry
    assert text.count('data-testid="breakdown-') == 4


def test_the_page_says_how_it_counts_without_sending_the_reader_elsewhere(
    client: Any, stats: Any, settings: Any
) -> None:
    settings.TIAODU_LAGGING_MARGIN = 15
    text = page(client, stats.alice).content.decode()
    section = text[text.index('data-testid="definitions"') :]
    assert "统计口径" in section
    assert '<strong class="fw-medium">序时进度</strong>：截至日期所在月份 ÷ 12。' in section
    assert "且完成率低于序时进度超过 15 个百分点的项目。" in section
    assert "docs/" not in text


@pytest.mark.parametrize(
    ("persona", "params"), [("alice", {}), ("dora", {}), ("alice", {"level": "municipal"})]
)
def test_every_count_lists_exactly_its_projects(
    client: Any, stats: Any, persona: str, params: dict[str, str]
) -> None:
    user = stats.users[persona]
    for href, count in links(page(client, user, **params)).items():
        assert counted(user, href) == count, href


def test_links_with_a_scope_list(client: Any, stats: Any) -> None:
    response = page(client, stats.alice, key_list=str(stats.key_list.pk))
    for href, count in links(response).items():
        assert counted(stats.alice, href) == count, href


def test_the_links_name_the_projects(client: Any, stats: Any) -> None:
    by_figure = {}
    for href in links(page(client, stats.alice)):
        if "category" in href or "level=" in href or "list=" in href or "region=" not in href:
            continue
        query = dict(part.split("=", 1) for part in href.split("?", 1)[1].split("&"))
        if query["region"] == str(stats.city.pk) and "reserve_stage" not in query:
            shown = listed(client, href)
            assert len(shown) == counted(stats.alice, href), href  # the page and the count agree
            by_figure[(query.get("figure"), query.get("nature"))] = shown
    names = {key: stats.projects[key].name for key in stats.projects}
    assert by_figure[("should_start", None)] == sorted([names["p3"], names["p5"]])
    assert by_figure[("lagging", None)] == [names["p2"]]
    assert by_figure[("completed", None)] == [names["p4"]]
    assert by_figure[("started", "new_start")] == [names["p1"]]
    assert by_figure[("should_complete", None)] == [names["p2"]]
    assert by_figure[("expected_completion", None)] == [names["p2"]]


def test_library_keeps_the_figure_and_names_it(client: Any, stats: Any) -> None:
    client.login(username="alice", password=PASSWORD)
    response = client.get(
        reverse("projects:list"), {"year": "2026", "as_of": "2026-08-31", "figure": "lagging"}
    )
    text = response.content.decode()
    assert 'data-testid="figure-note"' in text
    assert '<input type="hidden" name="figure" value="lagging">' in text
    assert '<input type="hidden" name="as_of" value="2026-08-31">' in text


def test_dora_sees_her_district(client: Any, stats: Any) -> None:
    response = page(client, stats.dora)
    assert response.context["figures"]["projects"] == 3
    assert response.context["scope"].region == stats.huangdao
    assert all(stats.laoshan.name != row.label for row in response.context["breakdowns"][1][2])


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditor"])
def test_administrators_get_404(client: Any, stats: Any, persona: str) -> None:
    assert page(client, stats.users[persona]).status_code == 404


def test_an_as_of_date_outside_the_year_is_refused_kindly(client: Any, stats: Any) -> None:
    response = page(client, stats.alice, as_of="2025-01-31")
    assert response.status_code == 200
    assert response.context["form"].errors["as_of"]
    assert response.context["figures"]["year"] == 2026


def test_menu_entry_for_business_roles_only(client: Any, stats: Any) -> None:
    client.login(username="rita", password=PASSWORD)
    assert PAGE in client.get(reverse("core:home")).content.decode()
    client.login(username="auditor", password=PASSWORD)
    assert PAGE not in client.get(reverse("core:home")).content.decode()
