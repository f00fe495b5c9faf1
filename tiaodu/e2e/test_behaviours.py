"""static/tiaodu/behaviours.js, which stands in for inline handlers under the
Content-Security-Policy: each data attribute does what the templates rely on. The page is
static HTML served to a page of its own with the script file itself and the site's policy."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Dialog, Page, Route, expect

from tiaodu.e2e.page_check import ROOT

URL = "http://tiaodu.test/"
SCRIPT = (ROOT / "static" / "tiaodu" / "behaviours.js").read_text(encoding="utf-8")
PAGE = """<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><title>行为</title>
<script src="/behaviours.js" defer></script></head><body>
<form id="board" action="/board/" method="get">
  <select name="cycle" data-submit-on-change data-clear="period">
    <option value="monthly">月报</option><option value="ten_day">旬报</option></select>
  <input name="period" value="12">
</form>
<form id="remove" action="/remove/" method="get" data-confirm="删除此照片？">
  <button type="submit" data-testid="remove">删除</button></form>
<form id="close" action="/close/" method="get">
  <button type="submit" data-testid="close" data-confirm="关闭此督办单？">关闭</button></form>
<input type="checkbox" data-check-all="report" aria-label="全选" data-testid="all">
<input type="checkbox" name="report" value="1" aria-label="1">
<input type="checkbox" name="report" value="2" aria-label="2">
<button type="button" data-toggle-expanded aria-expanded="false" data-testid="toggle">展开</button>
</body></html>"""
POLICY = "default-src 'self'; script-src 'self'"


@pytest.fixture
def site(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()

    def answer(route: Route) -> None:
        path = route.request.url.removeprefix(URL).split("?")[0]
        if path == "behaviours.js":
            route.fulfill(body=SCRIPT, content_type="text/javascript")
        elif path == "":
            route.fulfill(
                body=PAGE, content_type="text/html", headers={"Content-Security-Policy": POLICY}
            )
        else:
            route.fulfill(body=f"<title>{path}</title>", content_type="text/html")

    page.route(URL + "**", answer)
    page.goto(URL)
    yield page
    context.close()


def test_a_select_submits_its_form_and_empties_the_field_named(site: Page) -> None:
    site.select_option("select[name=cycle]", "ten_day")
    site.wait_for_url("**/board/?cycle=ten_day&period=")


def test_a_form_asks_first_and_a_no_keeps_the_page(site: Page) -> None:
    asked: list[str] = []

    def answer(dialog: Dialog, accept: bool) -> None:
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    site.once("dialog", lambda dialog: answer(dialog, False))
    site.get_by_test_id("remove").click()
    site.once("dialog", lambda dialog: answer(dialog, False))
    site.get_by_test_id("close").click()
    assert site.url == URL
    site.once("dialog", lambda dialog: answer(dialog, True))
    site.get_by_test_id("close").click()
    site.wait_for_url(lambda url: "/close/" in url)
    assert asked == ["删除此照片？", "关闭此督办单？", "关闭此督办单？"]


def test_check_all_and_the_toggle(site: Page) -> None:
    site.get_by_test_id("all").check()
    expect(site.locator("input[name=report]:checked")).to_have_count(2)
    site.get_by_test_id("all").uncheck()
    expect(site.locator("input[name=report]:checked")).to_have_count(0)
    toggle = site.get_by_test_id("toggle")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "false")
