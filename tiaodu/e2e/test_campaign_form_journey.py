"""The city's dispatcher creates a campaign on the form — the lists follow the plan year as it
is changed, a rate over 100 is refused beside its row, a target row is added in the page and
shows its unit — then changes it: a new threshold, a target removed."""

from decimal import Decimal
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, ViewportSize, expect

from tiaodu.campaigns.models import Campaign
from tiaodu.projects import services as project_services
from tiaodu.testing import sign_in

WIDE: ViewportSize = {"width": 1280, "height": 900}


def test_the_dispatcher_sets_up_and_adjusts_a_campaign(
    page: Page, world: Any, on_thursday: None, screenshots: Path
) -> None:
    project_services.create_key_project_list(actor=None, name="省重点项目", year=2027)
    project_services.create_key_project_list(actor=None, name="专项债券项目", year=2026)
    page.set_viewport_size(WIDE)
    sign_in(page, "alice")
    page.goto("/campaigns/")
    page.get_by_test_id("new-campaign").click()
    expect(page.locator("h2.page-title")).to_have_text("新建专项行动")
    page.fill("#id_name", "2026年冬季攻坚行动")
    # Another year: the form is drawn again with that year's lists, the name kept. The form's
    # script hides the "show the lists" button when it takes over the year's change: wait for
    # that before each change, or the change may come before the script listens.
    expect(page.get_by_test_id("reload")).to_be_hidden()
    page.select_option("#id_year", "2027")
    expect(page.get_by_label("省重点项目")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("2026年冬季攻坚行动")
    expect(page.get_by_test_id("reload")).to_be_hidden()
    page.select_option("#id_year", "2026")
    expect(page.get_by_label("市重点项目")).to_be_visible()
    page.fill("#id_start", "2026-11-01")
    page.fill("#id_end", "2026-12-31")
    page.get_by_label("市重点项目").check()
    page.get_by_label("黄岛区").check()
    page.get_by_label("崂山区").check()
    rows = page.get_by_test_id("target-row")
    rows.nth(0).locator("select[name$=indicator]").select_option("start_rate")
    rows.nth(0).locator("input[name$=threshold]").fill("100")
    page.get_by_test_id("add-target").click()
    expect(rows).to_have_count(2)
    rows.nth(1).locator("select[name$=indicator]").select_option("completions")
    expect(rows.nth(1).locator("[data-unit]")).to_have_text("个")
    rows.nth(1).locator("input[name$=threshold]").fill("2")
    page.get_by_test_id("add-target").click()
    rows.nth(2).locator("select[name$=indicator]").select_option("start_rate")
    rows.nth(2).locator("select[name$=subset]").select_option(label="专项债券项目")
    rows.nth(2).locator("input[name$=threshold]").fill("100")
    page.screenshot(path=screenshots / "campaign-form.png", full_page=True)
    rows.nth(0).locator("input[name$=threshold]").fill("120")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("threshold-error")).to_have_text("比率类目标值须在 0 至 100 之间。")
    expect(rows).to_have_count(3)
    page.screenshot(path=screenshots / "campaign-form-refused.png", full_page=True)
    rows.nth(0).locator("input[name$=threshold]").fill("100")
    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success")).to_contain_text("专项行动“2026年冬季攻坚行动”已创建。")
    expect(page.get_by_test_id("target-row")).to_have_count(3)
    page.screenshot(path=screenshots / "campaign-created.png", full_page=True)

    page.get_by_test_id("edit-campaign").click()
    expect(page.locator("h2.page-title")).to_have_text("编辑专项行动")
    expect(page.locator("#id_year")).to_be_disabled()
    rows.nth(0).locator("input[name$=threshold]").fill("95")
    rows.nth(1).locator("[data-remove-row]").click()
    expect(rows.nth(1)).to_be_hidden()
    page.mouse.move(0, 0)
    page.screenshot(path=screenshots / "campaign-edit.png", full_page=True)
    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success")).to_contain_text("修改已保存")
    found = Campaign.objects.get(name="2026年冬季攻坚行动")
    assert [(t.indicator, t.threshold, t.subset) for t in found.targets.all()] == [
        ("start_rate", Decimal(95), ""),
        ("start_rate", Decimal(100), "专项债券项目"),
    ]
