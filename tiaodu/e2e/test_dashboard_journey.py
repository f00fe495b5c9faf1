"""A city leader signs in: the home page is the dashboard, as of the last closed day (31
October on 5 November). On /dashboard/ the leader clicks 黄岛区's bar in the regions'
ranking and lands on 黄岛区's projects; the dashboard reads on a phone too."""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tiaodu.core.roles import Role
from tiaodu.projects import services as project_services
from tiaodu.testing import DESKTOP, PHONE, make_user, sign_in, state_ytd

OCTOBER_END = dt.date(2026, 10, 31)


def progress(world: Any) -> None:
    """Year-to-date investment as of 31 October: 黄岛区 low, 崂山区 and 市南区 higher."""
    state_ytd(
        world, {"p1": "300", "p2": "500", "p3": "4000", "p4": "6000", "p5": "7000"}, OCTOBER_END
    )


def click_bar(page: Page, chart: str, label: str) -> None:
    """Click the bar of `label` in a horizontal bar chart, where ECharts draws it."""
    holder = page.get_by_test_id(f"chart-{chart}").locator(".td-chart")
    expect(holder.locator("canvas")).to_have_count(1)
    point = holder.evaluate(
        """(element, label) => {
            const chart = element.tiaoduChart;
            const option = chart.getOption();
            const index = option.yAxis[0].data.indexOf(label);
            const value = option.series[0].data[index].value;
            return chart.convertToPixel({ seriesIndex: 0 }, [value / 2, index]);
        }""",
        label,
    )
    box = holder.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])


def test_the_leader_clicks_a_districts_bar_and_lands_on_its_projects(
    page: Page, world: Any, on_thursday: None, screenshots: Path
) -> None:
    progress(world)
    make_user("lily", Role.LEADER, world.city)
    page.set_viewport_size(DESKTOP)
    sign_in(page, "lily")
    page.goto("/")
    expect(page.get_by_test_id("home-dashboard")).to_contain_text("2026-10-31")
    expect(page.get_by_test_id("chart-regions")).to_be_visible()

    page.goto("/dashboard/")
    expect(page.get_by_test_id("dashboard-scope")).to_contain_text("2026-10-31")
    expect(page.locator('[data-figure="projects"] [data-value]')).to_have_text("6")
    for chart in ("trend", "regions", "new_starts"):
        expect(page.get_by_test_id(f"chart-{chart}").locator("canvas")).to_have_count(1)
    # No problem and no notice in this city yet: said, not drawn empty.
    expect(page.get_by_test_id("chart-problems-empty")).to_contain_text("2026-10-31")
    expect(page.get_by_test_id("chart-notices-empty")).to_be_visible()
    page.screenshot(path=screenshots / "dashboard.png", full_page=True)

    click_bar(page, "regions", "黄岛区")
    expect(page).to_have_url(re.compile(r"/projects/\?.*region="))
    expect(page.get_by_role("link", name="黄岛港区集装箱码头三期")).to_be_visible()
    expect(page.get_by_role("link", name="崂山科创园一期")).to_have_count(0)

    page.set_viewport_size(PHONE)
    page.goto("/dashboard/")
    expect(page.get_by_test_id("chart-trend").locator("canvas")).to_have_count(1)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    page.screenshot(path=screenshots / "dashboard-phone.png", full_page=True)


def test_after_a_change_the_dashboard_shows_its_kept_figures_then_offers_the_new_ones(
    page: Page, world: Any, on_thursday: None, screenshots: Path
) -> None:
    """A project is added while the leader reads: the next load shows the figures kept
    from before, says when they are of, and offers the new ones once the site has computed
    them; the reload shows them, without the notice."""
    progress(world)
    make_user("lily", Role.LEADER, world.city)
    page.set_viewport_size(DESKTOP)
    sign_in(page, "lily")
    page.goto("/dashboard/")
    projects = page.locator('[data-figure="projects"] [data-value]')
    expect(projects).to_have_text("6")
    notice = page.locator(".td-stale-notice")
    expect(notice).to_have_count(0)

    project_services.create_project(
        actor=world.alice,
        name="黄岛区新建物流中心",
        region=world.huangdao,
        owner_unit=world.unit_a,
        responsible_unit=world.housing_bureau,
        total_investment=Decimal(20000),
        plan={"year": 2026, "nature": "new_start", "level": "municipal",
              "planned_investment": Decimal(5000), "planned_start": dt.date(2026, 3, 1)},
    )  # fmt: skip
    page.goto("/dashboard/")
    expect(notice).to_contain_text("本页部分数字截至")
    expect(notice).to_contain_text("为最近一次变动之前的数字")
    expect(projects).to_have_text("6")
    expect(notice.locator("[data-refreshed-waiting]")).to_have_text("新的数字正在计算……")
    ready = notice.locator("[data-refreshed-ready]")
    expect(ready).to_be_visible(timeout=20_000)
    expect(ready).to_have_text("新的数字已算好，点此刷新本页")
    expect(notice.locator("[data-refreshed-waiting]")).to_be_hidden()
    page.screenshot(path=screenshots / "dashboard-kept-figures.png")
    ready.click()
    expect(projects).to_have_text("7")
    expect(notice).to_have_count(0)
