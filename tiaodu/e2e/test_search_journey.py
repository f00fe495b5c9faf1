"""The top bar's search and the library's saved views, in the browser.

alice (city dispatcher) types in the top bar, picks a project with the keyboard and lands on
it; she saves the library's new starts as a view, leaves it and opens it again. dora (黄岛区
dispatcher) searches on a phone from the search icon and never finds 崂山区.
"""

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tiaodu.core.models import SavedFilter
from tiaodu.testing import DESKTOP, PHONE, sign_in


def test_alice_finds_a_project_by_keyboard_and_reopens_a_saved_view(
    page: Page, world: Any, screenshots: Path
) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in(page, "alice")
    box = page.get_by_role("combobox", name="搜索项目、问题、通知")
    box.click()
    box.press_sequentially("港湾", delay=40)
    results = page.get_by_role("listbox", name="搜索结果")
    expect(results).to_be_visible()
    options = results.get_by_role("option")
    # 港湾物流园仓储中心 begins with the words; p1's owner unit (青岛港湾建设) matches too.
    expect(options).to_have_count(3)
    expect(options.nth(0)).to_contain_text("港湾物流园仓储中心")
    expect(options.nth(1)).to_contain_text("黄岛港区集装箱码头三期")
    box.press("ArrowDown")
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", "td-search-projects-2")
    box.press("ArrowUp")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    page.screenshot(path=screenshots / "search-dropdown.png")
    box.press("Escape")
    expect(results).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press("ArrowDown")
    expect(results).to_be_visible()
    box.press("Enter")
    project = world.projects["p6"]
    expect(page).to_have_url(re.compile(rf"/projects/{project.pk}/$"))
    expect(page.locator("h2.page-title")).to_have_text("港湾物流园仓储中心")

    # The library's new starts (p1, p3, p5) saved as a view and opened again.
    page.goto("/projects/")
    rows = page.locator("#results table tbody tr")
    expect(rows).to_have_count(6)
    page.select_option("#id_nature", "new_start")
    expect(rows).to_have_count(3)
    expect(page).to_have_url(re.compile(r"nature=new_start"))
    page.get_by_test_id("saved-filters-toggle").click()
    page.get_by_placeholder("例如：黄岛区滞后项目").fill("全市新开工")
    page.screenshot(path=screenshots / "saved-view-save.png")
    page.get_by_test_id("save-view").click()
    expect(page.get_by_test_id("view-chip")).to_contain_text("视图：全市新开工")
    expect(rows).to_have_count(3)
    saved = SavedFilter.objects.get()
    assert (saved.user, saved.name) == (world.alice, "全市新开工")
    assert "nature=new_start" in saved.query and "view" not in saved.query

    page.get_by_test_id("view-clear").click()
    expect(rows).to_have_count(6)
    expect(page.get_by_test_id("view-chip")).to_have_count(0)
    page.get_by_test_id("saved-filters-toggle").click()
    page.get_by_test_id("saved-filter").filter(has_text="全市新开工").click()
    expect(rows).to_have_count(3)
    expect(page.get_by_test_id("view-chip")).to_be_visible()
    expect(page.locator("#id_nature")).to_have_value("new_start")
    page.screenshot(path=screenshots / "saved-view-open.png", full_page=True)


def test_dora_searches_on_a_phone_and_never_finds_laoshan(
    page: Page, world: Any, screenshots: Path
) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, "dora")
    box = page.get_by_role("combobox", name="搜索项目、问题、通知")
    expect(box).to_be_hidden()
    page.get_by_test_id("search-toggle").click()
    expect(box).to_be_focused()
    box.press_sequentially("崂山", delay=40)
    expect(page.get_by_test_id("suggest-none")).to_have_text("没有找到与“崂山”相关的结果。")
    box.fill("")
    box.press_sequentially("黄岛", delay=40)
    options = page.get_by_role("listbox", name="搜索结果").get_by_role("option")
    expect(options).to_have_count(3)  # p1, p2 and 全部结果
    page.screenshot(path=screenshots / "search-phone.png")
    box.press("Enter")  # no option chosen: the results page
    expect(page).to_have_url(re.compile(r"/search/\?q=%E9%BB%84%E5%B2%9B$"))
    expect(page.get_by_test_id("search-count-projects")).to_have_text("2")
    page.screenshot(path=screenshots / "search-results-phone.png", full_page=True)
