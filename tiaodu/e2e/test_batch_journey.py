"""A district's dispatcher creates a groundbreaking batch, ticks its projects among the
candidates, reads the totals and the share started, downloads the ceremony list; a reporter
finds the batch on its project's page, and the statistics page shows the batch."""

import datetime as dt
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tiaodu.campaigns.tests.conftest import new_start
from tiaodu.projects import services as project_services
from tiaodu.testing import DESKTOP, sign_in


def test_a_district_holds_its_spring_batch(
    page: Page, world: Any, on_thursday: None, screenshots: Path
) -> None:
    new_start(world, "p7", "黄岛新能源产业园", total=50000, plan=8000, start=dt.date(2026, 4, 20))
    new_start(world, "p8", "黄岛海洋牧场", total=30000, plan=3000, start=dt.date(2026, 9, 1))
    project_services.update_project(
        actor=world.alice, project=world.projects["p1"], actual_start=dt.date(2026, 4, 10)
    )
    page.set_viewport_size(DESKTOP)
    sign_in(page, "dora")
    page.goto("/campaigns/batches/?year=2026")
    expect(page.locator("h2.page-title")).to_have_text("2026年集中开工批次")
    page.get_by_test_id("new-batch").click()
    page.fill("#id_name", "2026年春季重大项目集中开工")
    page.fill("#id_date", "2026-04-10")
    page.fill("#id_place", "黄岛区新能源产业园")
    page.screenshot(path=screenshots / "batch-form.png", full_page=True)
    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success")).to_contain_text("批次已创建")
    # Within ±30 days of 10 April only p7; widened to 45, p1 (planned 1 March) too.
    expect(page.get_by_test_id("candidate")).to_have_count(1)
    page.fill("#id_days", "45")
    page.get_by_test_id("widen").click()
    expect(page.get_by_test_id("candidate")).to_have_count(2)
    page.get_by_label("黄岛新能源产业园").check()
    page.get_by_label("黄岛港区集装箱码头三期").check()
    page.get_by_test_id("add").click()
    expect(page.locator(".alert-success")).to_contain_text("已将 2 个项目纳入批次")
    expect(page.get_by_test_id("figure-count")).to_have_text("2")
    expect(page.get_by_test_id("figure-total")).to_have_text("60,000.00")
    expect(page.get_by_test_id("figure-started")).to_have_text("50.00%")
    expect(page.locator("tr[data-not-started]")).to_have_attribute(
        "data-project", "黄岛新能源产业园"
    )
    page.screenshot(path=screenshots / "batch-detail.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    assert download.value.suggested_filename == "2026年春季重大项目集中开工项目清单.xlsx"

    page.goto("/campaigns/batches/?year=2026")
    expect(page.get_by_test_id("batch-row")).to_have_count(1)
    page.screenshot(path=screenshots / "batch-list.png", full_page=True)
    page.goto("/analytics/?year=2026")
    expect(page.get_by_test_id("figure-batch")).to_contain_text("50.00%")
    page.get_by_test_id("figure-batches").screenshot(path=screenshots / "batch-statistics.png")

    sign_in(page, "rita")
    page.goto(f"/projects/{world.projects['p1'].pk}/?tab=batch")
    expect(page.get_by_test_id("project-batch")).to_contain_text("2026年春季重大项目集中开工")
    page.screenshot(path=screenshots / "batch-project-tab.png", full_page=True)
