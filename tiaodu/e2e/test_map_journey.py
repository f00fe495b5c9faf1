"""The city dispatcher opens the map: the districts of the site's boundary file shaded by
the completion rate, the projects as points by their card; from November's map (no cards
yet) to October's, a group of points zoomed into, a point opened as its project, whose page
shows it on the map; a district's row opens its projects in the library. A district's
dispatcher sees its own district only."""

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tiaodu.maps.services import load_boundaries
from tiaodu.maps.tests.boundaries import as_bytes, cards, feature_collection, place
from tiaodu.testing import DESKTOP, sign_in

DRAWN = "() => echarts.getInstanceByDom(document.getElementById('project-map')).getOption()"


def drawn(page: Page) -> dict[str, Any]:
    """What the map draws: the shaded districts, the points and the groups of points."""
    expect(page.locator("#project-map[data-drawn]")).to_be_attached()
    option = page.evaluate(DRAWN)
    return {
        "map": option["geo"][0]["map"],
        "zoom": option["geo"][0].get("zoom", 1),
        "districts": sorted(region["name"] for region in option["geo"][0]["regions"]),
        "points": option["series"][0]["data"],
        "groups": option["series"][1]["data"],
    }


def settle(page: Page) -> None:
    """Wait until the map's drawing has settled: zrender's animation holds no running
    animator, and two animation frames have passed (what it scheduled has been painted)."""
    page.wait_for_function(
        "() => echarts.getInstanceByDom(document.getElementById('project-map'))"
        ".getZr().animation.isFinished()"
    )
    page.evaluate(
        "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )


def click_on_map(page: Page, series: int, index: int) -> None:
    """Click the map where the series' item is drawn, as a person does: once the chart has
    painted, with the pointer resting on the item before the button goes down.

    ECharts draws in the next animation frame after `data-drawn` is set, and a click before
    it meets no point; a slow machine can still be playing an animation (a point growing
    from nothing meets no click either). The pointer arriving on a point redraws it larger
    (its hover emphasis); on a slow machine that redraw can fall between the button's down
    and up, which then land on two different SVG elements, and the browser sends no click.
    So: wait for the chart to settle, move onto the item, wait again, press and release."""
    settle(page)
    x, y = page.evaluate(
        """([series, index]) => {
          const holder = document.getElementById('project-map');
          const chart = echarts.getInstanceByDom(holder);
          const item = chart.getOption().series[series].data[index];
          const at = chart.convertToPixel({geoIndex: 0}, [item.value[0], item.value[1]]);
          const box = holder.getBoundingClientRect();
          return [box.left + at[0], box.top + at[1]];
        }""",
        [series, index],
    )
    page.mouse.move(x, y)
    settle(page)
    page.mouse.down()
    page.mouse.up()


def test_the_dispatcher_reads_the_map_and_opens_a_project(
    page: Page, world: Any, on_thursday: None, screenshots: Path
) -> None:
    load_boundaries(
        actor=None,
        content=as_bytes(feature_collection()),
        source="青岛市自然资源和规划局 2025",
        approval_number="鲁SG(2025)012号",
    )
    place(world)
    cards(world)
    # The whole map on the screen, so that a click lands on any of its points.
    page.set_viewport_size({**DESKTOP, "height": 1300})
    sign_in(page, "alice")
    page.get_by_role("button", name="统计分析").click()
    page.get_by_role("link", name="项目地图").click()
    expect(page).to_have_url(re.compile(r"/map/$"))
    # 5 November: the map is as of 31 October, the last closed day, with October's cards.
    expect(page.get_by_test_id("map-scope")).to_contain_text("2026-10-31")
    expect(page.get_by_test_id("cards-hint")).to_have_count(0)
    # Today's date asks for November's cards, not computed yet: the map says so and links
    # back to October's.
    page.get_by_label("截至").fill("2026-11-05")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("cards-hint")).to_contain_text("2026-11 的评价尚未计算")
    page.get_by_test_id("cards-hint").get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"as_of=2026-10-31"))
    map_ = drawn(page)
    assert map_["map"] == "tiaodu-outlines"
    assert len(map_["districts"]) == 10
    placed = len(map_["points"]) + sum(group["value"][2] for group in map_["groups"])
    assert placed == 4
    keys = {point["key"] for point in map_["points"]} | {
        key for group in map_["groups"] for key in group["keys"]
    }
    assert keys == {"red", "yellow", "none"}
    expect(page.get_by_test_id("point-legend")).to_contain_text("红牌 1")
    expect(page.get_by_test_id("boundary-source")).to_contain_text("鲁SG(2025)012号")
    page.screenshot(path=screenshots / "map.png", full_page=True)

    # p1 and p2 stand 0.01° apart in 黄岛区: one group, which a click zooms into.
    assert [group["value"][2] for group in map_["groups"]] == [2]
    click_on_map(page, 1, 0)
    page.wait_for_function(f"() => ({DRAWN})().geo[0].zoom > 1")

    # A point opens its project, whose page shows it on the same map.
    page.goto("/map/?year=2026&as_of=2026-10-31")
    map_ = drawn(page)
    single = map_["points"][0]
    click_on_map(page, 0, 0)
    expect(page).to_have_url(re.compile(rf"/projects/{single['id']}/$"))
    expect(page.locator("h2.page-title")).to_have_text(single["name"])
    expect(page.locator("#project-point[data-drawn]")).to_be_attached()
    page.screenshot(path=screenshots / "map-project.png", full_page=True)

    # A district's row opens its projects in the library.
    page.goto("/map/?year=2026&as_of=2026-10-31")
    page.get_by_test_id("map-districts").get_by_role("link", name="黄岛区").click()
    expect(page).to_have_url(re.compile(rf"/projects/\?.*region={world.huangdao.pk}"))
    expect(page.locator("table tbody tr")).to_have_count(3)

    sign_in(page, "dora")
    page.goto("/map/?year=2026&as_of=2026-10-31")
    map_ = drawn(page)
    assert map_["districts"] == ["黄岛区"]
    assert sorted(point["id"] for point in map_["points"]) + [
        group["value"][2] for group in map_["groups"]
    ] in ([2], sorted([world.projects["p1"].pk, world.projects["p2"].pk]))
