"""The security administrator creates a wall display for the city and copies its pairing
link; the wall's own browser, at 1920×1080 and signed in as nobody, opens the link,
confirms, and shows the big screen: the headline, the charts, no scrollbars, the main panel
turning to the next view. Revoked, the display shows no figures from its next refresh."""

import datetime as dt
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, ViewportSize, expect

from tiaodu.e2e.page_check import PageCheck
from tiaodu.projects import services as project_services
from tiaodu.testing import DESKTOP, sign_in, state_ytd

WALL: ViewportSize = {"width": 1920, "height": 1080}
OCTOBER_END = dt.date(2026, 10, 31)


def progress(world: Any) -> None:
    """Year-to-date investment as of 31 October; p1 and p2 (黄岛区) started in March and
    lagging: 15.00% and 12.50% against time progress 83.33%."""
    for key in ("p1", "p2"):
        project_services.update_project(
            actor=world.alice, project=world.projects[key], actual_start=dt.date(2026, 3, 1)
        )
    state_ytd(
        world, {"p1": "300", "p2": "500", "p3": "4000", "p4": "6000", "p5": "7000"}, OCTOBER_END
    )


def test_a_wall_display_is_paired_shows_the_screen_and_is_revoked(
    page: Page,
    browser: Browser,
    base_url: str,
    world: Any,
    on_thursday: None,
    screenshots: Path,
    page_check: PageCheck,
) -> None:
    progress(world)
    page.set_viewport_size(DESKTOP)
    sign_in(page, "secadmin")
    page.get_by_role("link", name="大屏终端").click()
    page.fill("#id_name", "市发改委调度指挥中心大屏")
    page.select_option("#id_region", label=world.city.name)
    page.get_by_role("button", name="创建并显示配对链接").click()
    link = page.get_by_test_id("pairing-url").inner_text().strip()
    assert "/screen/pair/" in link
    expect(page.get_by_test_id("display-state")).to_contain_text("待配对")

    wall_context = browser.new_context(
        base_url=base_url, viewport=WALL, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    wall = page_check.watch(wall_context.new_page())
    wall.goto(link)
    expect(wall.get_by_test_id("screen-pair")).to_contain_text("市发改委调度指挥中心大屏")
    wall.get_by_test_id("pair").click()
    expect(wall.get_by_test_id("screen")).to_be_visible()
    assert wall.url.endswith("/screen/")
    # No sign-in: the screen reads the city's figures as of 31 October.
    expect(wall.get_by_test_id("screen-scope")).to_have_text("青岛市")
    expect(wall.get_by_test_id("screen-as-of")).to_contain_text("数据截至 2026-10-31")
    headline = wall.get_by_test_id("screen-headline")
    expect(headline.locator("[data-figure=projects] [data-value]")).to_have_text("6")
    expect(headline.locator("[data-figure=lagging] [data-value]")).to_have_text("2")
    # The charts are drawn (an ECharts instance with its canvas in each holder).
    regions = wall.locator("[data-chart=sc-chart-regions]")
    expect(regions.locator("canvas")).to_have_count(1)
    assert regions.evaluate("element => !!echarts.getInstanceByDom(element)")
    expect(wall.locator(".sc-side [data-chart] canvas")).to_have_count(2)
    # 1920×1080 exactly: nothing scrolls.
    size = wall.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert size[0] <= 1920 and size[1] <= 1080, size
    wall.screenshot(path=screenshots / "screen-1920x1080.png")

    # The main panel turns: regions, then the lagging projects (every 2 s here).
    wall.goto("/screen/?rotate=2")
    expect(wall.locator("body")).to_have_attribute("data-current", "regions")
    expect(wall.get_by_test_id("view-regions")).to_have_class("sc-view is-active")
    expect(wall.locator("body")).to_have_attribute("data-current", "lagging", timeout=6000)
    expect(wall.get_by_test_id("lagging-row")).to_have_count(2)
    expect(wall.get_by_test_id("lagging-row").first).to_contain_text("黄岛区安置房建设项目")
    wall.wait_for_timeout(900)  # the fade between the views
    wall.screenshot(path=screenshots / "screen-lagging.png")
    # A key pins a view.
    wall.keyboard.press("3")
    expect(wall.locator("body")).to_have_attribute("data-current", "problems")

    # Revoked: the next refresh (every 5 s here) shows the revoked page, with no figures.
    wall.goto("/screen/?refresh=5")
    expect(wall.get_by_test_id("screen")).to_be_visible()
    page.reload()  # the list after the redirect: reloading creates nothing
    expect(page.get_by_test_id("display-row")).to_have_count(1)
    page.get_by_test_id("revoke").click()
    expect(page.get_by_test_id("display-state")).to_contain_text("已吊销")
    expect(wall.get_by_test_id("screen-ended")).to_contain_text("此大屏已被吊销", timeout=12000)
    expect(wall.locator("[data-figure]")).to_have_count(0)
    wall.reload()
    expect(wall.get_by_test_id("screen-ended")).to_be_visible()
    wall_context.close()
