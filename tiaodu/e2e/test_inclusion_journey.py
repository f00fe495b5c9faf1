"""The city dispatcher chases 入统: from the statistics page to the started projects not yet in
the statistics, the longest waiting first, narrowed to one district and to two months or
more, and downloaded; the regions' ranking shows the month's new inclusions; a district's
dispatcher sees its own district's projects only."""

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tiaodu.projects import services as project_services
from tiaodu.scoring.models import Card
from tiaodu.scoring.services import rule_set_in_force
from tiaodu.testing import DESKTOP, PHONE, sign_in

OCTOBER = dt.date(2026, 10, 1)


def dates(world: Any) -> None:
    """p2 started June 2025, p3 on 10 October, p6 on 2 November: none in the statistics. p1
    (started in April) and p4 (started 2024) were included in October."""
    for key, start, included in (
        ("p1", dt.date(2026, 4, 1), dt.date(2026, 10, 9)),
        ("p2", dt.date(2025, 6, 1), None),
        ("p3", dt.date(2026, 10, 10), None),
        ("p4", dt.date(2024, 3, 1), dt.date(2026, 10, 20)),
        ("p6", dt.date(2026, 11, 2), None),
    ):
        project_services.update_project(
            actor=world.alice,
            project=world.projects[key],
            actual_start=start,
            statistics_inclusion=included,
        )
    rule_set = rule_set_in_force(OCTOBER)
    for key, colour, score in (("p1", "blue", "90"), ("p2", "red", "50"), ("p4", "blue", "85")):
        plan = world.plans[key]
        Card.objects.create(
            plan=plan,
            project=plan.project,
            month=OCTOBER,
            rule_set=rule_set,
            colour=colour,
            score=Decimal(score),
            evidence="ledger",
            computed_at=dt.datetime(2026, 11, 3, 2, tzinfo=dt.UTC),
        )


def test_the_dispatcher_chases_the_projects_not_in_the_statistics(
    page: Page, world: Any, on_thursday: None, screenshots: Path
) -> None:
    dates(world)
    page.set_viewport_size(DESKTOP)
    sign_in(page, "alice")
    # On 5 November the figures are as of 31 October: p1 and p4 were included in October.
    page.goto("/analytics/")
    expect(page.get_by_test_id("figure-new-in-period")).to_have_text("2")
    page.screenshot(path=screenshots / "inclusion-statistics.png")
    page.get_by_test_id("chase-link").click()
    expect(page.get_by_role("heading", name="入统跟踪")).to_be_visible()
    # p6 started on 2 November, after the figures' date.
    expect(page.get_by_test_id("result-count")).to_have_text("2 个项目未入统")
    rows = page.locator("[data-testid=chase] tbody tr")
    expect(rows.first).to_have_attribute("data-project", "黄岛区安置房建设项目")
    expect(rows.first.locator("[data-months]")).to_have_text("16")
    page.screenshot(path=screenshots / "inclusion-chase.png", full_page=True)

    page.get_by_label("所属区县").select_option(label="黄岛区")
    page.get_by_label("开工月数不少于").fill("2")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("result-count")).to_have_text("1 个项目未入统")
    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    assert download.value.suggested_filename == "已开工未入统项目（截至 2026-10-31）.xlsx"

    page.goto("/evaluation/rankings/?month=2026-10")
    cells = page.locator("[data-testid=ranking-regions] [data-testid=new-inclusions]")
    expect(page.locator("[data-testid=ranking-regions] th", has_text="本月新入统")).to_be_visible()
    expect(cells).to_have_text(["1", "1"])
    page.screenshot(path=screenshots / "inclusion-rankings.png", full_page=True)


def test_a_district_dispatcher_on_a_phone(
    page: Page, world: Any, on_thursday: None, screenshots: Path
) -> None:
    dates(world)
    page.set_viewport_size(PHONE)
    sign_in(page, "dora")
    page.goto("/analytics/not-in-statistics/")
    expect(page.get_by_test_id("result-count")).to_have_text("1 个项目未入统")
    expect(page.get_by_text("崂山科创园一期")).to_have_count(0)
    page.screenshot(path=screenshots / "inclusion-chase-phone.png", full_page=True)
