"""The map page, its outlines and the project page's point: each reader sees its own scope,
and the districts carry the figure set's own numbers."""

import datetime as dt
import json
from typing import Any

import pytest
from django.urls import reverse

from tiaodu.analytics.figures import compute, default_as_of, resolve_scope
from tiaodu.maps.tests.boundaries import DISTRICTS
from tiaodu.testing import PASSWORD

PAGE = reverse("maps:map")
OUTLINES = reverse("maps:boundaries")


def opened(client: Any, user: Any, url: str = PAGE, **params: str) -> Any:
    client.login(username=user.username, password=PASSWORD)
    return client.get(url, params)


def drawn(response: Any) -> dict[str, Any]:
    assert response.status_code == 200
    return response.context["map_data"]


def points(data: dict[str, Any]) -> dict[int, str]:
    """Each point's project and colour key."""
    return {point[2]: point[4] for point in data["points"]}


def test_the_city_dispatcher_sees_every_district_and_placed_project(client, mapped):
    response = opened(client, mapped.alice, year="2026")
    data = drawn(response)
    assert [area["name"] for area in data["areas"]] == [name for name, _c, _p in DISTRICTS]
    p = mapped.projects
    # Cards of October, the figure set's month: the final colour after an appeal.
    assert points(data) == {
        p["p1"].pk: "red",
        p["p2"].pk: "none",
        p["p3"].pk: "yellow",
        p["p5"].pk: "none",
    }
    assert response.context["unplaced"] == 2
    assert data["boundaries"].startswith(OUTLINES + "?v=")
    text = response.content.decode()
    assert 'data-testid="project-map"' in text
    assert "测试边界" in text


def test_the_districts_carry_the_figure_sets_numbers(client, mapped):
    alice = mapped.alice
    scope = resolve_scope(actor=alice, year=2026, as_of=default_as_of(2026))
    by_region = compute(actor=alice, scope=scope).data["by_region"]
    for figure, read in (
        ("completion_rate", lambda f: f["completion_rate"]),
        ("new_start_rate", lambda f: f["new_start"]["rate"]),
        ("red_cards", lambda f: f["cards"]["red"]),
        ("yellow_cards", lambda f: f["cards"]["yellow"]),
    ):
        data = drawn(opened(client, alice, year="2026", figure=figure))
        for area in data["areas"]:
            expected = read(by_region[area["code"]])
            assert area["value"] == (None if expected is None else float(expected)), (figure, area)
    data = drawn(opened(client, alice, year="2026", figure="red_cards"))
    values = {area["name"]: area["value"] for area in data["areas"]}
    assert (values["黄岛区"], values["崂山区"], values["市南区"]) == (1.0, 0.0, 0.0)
    huangdao = next(area for area in data["areas"] if area["name"] == "黄岛区")
    assert huangdao["url"] == (f"/projects/?year=2026&as_of=2026-10-31&region={mapped.huangdao.pk}")


def test_points_may_be_coloured_by_nature(client, mapped):
    data = drawn(opened(client, mapped.alice, year="2026", colour="nature"))
    p = mapped.projects
    assert points(data) == {
        p["p1"].pk: "new_start", p["p2"].pk: "continuing", p["p3"].pk: "new_start", p["p5"].pk: "new_start",
    }  # fmt: skip
    assert set(data["legend"]) == {"new_start", "continuing", "completing", "reserve"}


@pytest.mark.parametrize(
    ("persona", "districts", "projects"),
    [("dora", ["黄岛区"], ["p1", "p2"]), ("lena", ["崂山区"], ["p3"])],
)
def test_a_district_reader_sees_its_own_district_only(client, mapped, persona, districts, projects):
    data = drawn(opened(client, mapped.users[persona], year="2026"))
    assert [area["name"] for area in data["areas"]] == districts
    assert sorted(points(data)) == sorted(mapped.projects[key].pk for key in projects)
    outlines = opened(client, mapped.users[persona], OUTLINES).json()
    assert [feature["properties"]["name"] for feature in outlines["features"]] == districts


@pytest.mark.parametrize("persona", ["rita", "hank", "sysadmin", "auditor"])
def test_other_roles_have_no_map(client, mapped, persona):
    assert opened(client, mapped.users[persona]).status_code == 404


def test_the_outlines_are_geojson_of_the_readers_regions(client, mapped):
    response = opened(client, mapped.alice, OUTLINES)
    assert response["Content-Type"].startswith("application/geo+json")
    outlines = response.json()
    assert outlines["type"] == "FeatureCollection"
    huangdao = next(f for f in outlines["features"] if f["properties"]["name"] == "黄岛区")
    assert huangdao["properties"]["code"] == "370211"
    assert huangdao["geometry"]["coordinates"][0][0] == [119.97, 35.88]
    # A reporter's project page draws the city's districts too; administrators read nothing.
    assert len(opened(client, mapped.rita, OUTLINES).json()["features"]) == 10
    assert opened(client, mapped.sysadmin, OUTLINES).status_code == 404


def test_without_a_boundary_file_the_points_stand_on_a_plain_background(client, unmapped):
    response = opened(client, unmapped.alice, year="2026")
    data = drawn(response)
    assert (data["boundaries"], data["areas"]) == ("", [])
    assert len(data["points"]) == 4
    assert "如需显示边界，请联系系统管理员载入边界文件。" in response.content.decode()
    assert "docs/" not in response.content.decode()


def test_the_project_page_shows_its_point_instead_of_raw_coordinates(client, mapped):
    p1 = mapped.projects["p1"]
    response = opened(client, mapped.dora, reverse("projects:detail", args=[p1.pk]))
    text = response.content.decode()
    assert 'data-testid="project-point"' in text
    (section,) = response.context["sections"]
    assert section["map_data"]["point"] == [float(p1.longitude), float(p1.latitude)]
    assert section["map_data"]["region"] == "黄岛区"
    assert section["map_data"]["boundaries"].startswith(OUTLINES)
    # Only the overview draws it; a project without coordinates shows no map.
    plans_tab = opened(client, mapped.dora, reverse("projects:detail", args=[p1.pk]), tab="plans")
    assert 'data-testid="project-point"' not in plans_tab.content.decode()
    p6 = opened(client, mapped.dora, reverse("projects:detail", args=[mapped.projects["p6"].pk]))
    assert p6.context["sections"] == []
    assert 'data-testid="project-point"' not in p6.content.decode()


def test_the_menu_offers_the_map_to_its_readers_only(client, mapped):
    assert f'href="{PAGE}"' in opened(client, mapped.alice, reverse("core:home")).content.decode()
    assert (
        f'href="{PAGE}"' not in opened(client, mapped.rita, reverse("core:home")).content.decode()
    )


def test_the_page_data_is_valid_json_in_the_page(client, mapped):
    text = opened(client, mapped.alice, year="2026").content.decode()
    start = text.index('<script id="project-map-data" type="application/json">') + len(
        '<script id="project-map-data" type="application/json">'
    )
    data = json.loads(text[start : text.index("</script>", start)])
    assert len(data["areas"]) == 10


def test_a_month_without_cards_points_to_the_newest_that_has(client, mapped):
    # November has no cards yet (they are computed after a month ends); October has.
    response = opened(client, mapped.alice, year="2026", as_of="2026-11-30")
    assert response.context["cards_link"] == (
        "?year=2026&as_of=2026-10-31&figure=completion_rate&colour=card"
    )
    assert "2026-11 的评价尚未计算；最近一次为 2026-10。" in response.content.decode()
    assert set(points(drawn(response)).values()) == {"none"}
    october = opened(client, mapped.alice, year="2026", as_of="2026-10-31")
    assert "cards_link" not in october.context
    assert 'data-testid="cards-hint"' not in october.content.decode()


def test_a_date_outside_the_year_is_said_beside_its_field(client, mapped):
    response = opened(client, mapped.alice, year="2026", as_of="2025-12-31")
    assert response.context["form"].errors["as_of"] == ["请选择2026年内的日期。"]
    assert response.context["scope"].as_of == dt.date(2026, 10, 31)
