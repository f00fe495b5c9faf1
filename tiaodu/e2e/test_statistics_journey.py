"""The statistics page on a phone, on paper and in Excel: a district dispatcher on a phone sees
the priority columns of each breakdown and opens the rest with 更多列, with no sideways
scrolling of the page; the city dispatcher prints the page (the filters and menus stay off
the paper, the scope line goes on it) and downloads the workbook of the same scope."""

from io import BytesIO
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tiaodu.testing import DESKTOP, PHONE, sign_in


def test_a_district_dispatcher_reads_the_breakdowns_on_a_phone(
    page: Page, world: Any, on_thursday: None, screenshots: Path
) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, "dora")
    page.goto("/analytics/")
    table = page.get_by_test_id("breakdown-1")
    expect(table.locator("th", has_text="年度计划")).to_be_visible()
    expect(table.locator("th", has_text="完成率")).to_be_visible()
    expect(table.locator("th", has_text="总投资")).to_be_hidden()
    expect(table.locator("th", has_text="应开未开")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=screenshots / "statistics-phone.png", full_page=True)

    toggle = table.get_by_test_id("columns-toggle")
    expect(toggle).to_have_text("更多列")
    toggle.click()
    expect(table.locator("th", has_text="总投资")).to_be_visible()
    expect(table.locator("th", has_text="应开未开")).to_be_attached()
    expect(toggle).to_have_text("收起列")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    # Only this table opened; the page itself still does not scroll sideways.
    expect(page.get_by_test_id("breakdown-2").locator("th", has_text="总投资")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    table.screenshot(path=screenshots / "statistics-phone-more-columns.png")
    toggle.click()
    expect(table.locator("th", has_text="总投资")).to_be_hidden()


def test_the_city_dispatcher_prints_and_exports(
    page: Page, world: Any, on_thursday: None, screenshots: Path
) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in(page, "alice")
    page.goto("/analytics/?year=2026&as_of=2026-10-31")
    projects = page.get_by_test_id("figure-projects").inner_text()
    expect(page.get_by_test_id("print-scope")).to_be_hidden()
    expect(page.get_by_test_id("print")).to_be_visible()

    page.emulate_media(media="print")
    expect(page.get_by_test_id("figure-filters")).to_be_hidden()
    expect(page.get_by_test_id("print")).to_be_hidden()
    expect(page.get_by_test_id("print-scope")).to_contain_text("年度：2026 · 截至：2026-10-31")
    expect(page.get_by_test_id("breakdown-1").locator("th", has_text="应竣未竣")).to_be_visible()
    page.pdf(path=str(screenshots / "statistics-print.pdf"), prefer_css_page_size=True)
    page.emulate_media(media="screen")

    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    assert download.value.suggested_filename == "统计-2026-截至2026-10-31.xlsx"
    book = load_workbook(BytesIO(Path(download.value.path()).read_bytes()))
    assert book.sheetnames[:5] == [
        "主要指标",
        "按项目级别",
        "按区县",
        "按项目类别",
        "按重点项目清单",
    ]
    figures = {row[0]: row[1] for row in book["主要指标"].iter_rows(min_row=9, values_only=True)}
    assert str(figures["项目数"]) == projects
