"""The page check finds what it is there to find: a serious axe violation, a phone page that
scrolls sideways, a button too small to tap; and passes a page that has none of them. The
pages are static HTML served to a page of its own (not the watched `page`), so that what is
found here is asserted, not reported as the test's own failure."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tiaodu.e2e.page_check import PageCheck
from tiaodu.testing import DESKTOP, PHONE

URL = "http://tiaodu.test/"
PAGE = """<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>检查</title>
<style>body {{ margin: 0; font: 16px/1.5 sans-serif; }} .btn {{ display: inline-block;
padding: 12px 16px; }} .small {{ padding: 2px 8px; }}</style></head>
<body><div class="page-wrapper"><div class="page-header"><h2>页面</h2></div>
<div class="page-body"><main>{body}</main></div></div></body></html>"""
GREY = '<p style="color: #fff; background: #ccc">剩余2个工作日</p>'
CLEAN = (
    '<p>请在<a href="/reports/">填报列表</a>中选择项目。</p>'
    '<a class="btn" href="/reports/" style="color: #fff; background: #1d4e89">填报</a>'
)


@pytest.fixture
def other(browser: Browser) -> Iterator[Page]:
    """A page outside the test's own page check."""
    context = browser.new_context(locale="zh-CN")
    yield context.new_page()
    context.close()


def serve(page: Page, body: str) -> None:
    """Open a static page at URL, its body `body`."""
    html = PAGE.format(body=body)
    page.route(URL, lambda route: route.fulfill(body=html, content_type="text/html"))
    page.goto(URL)


def test_white_text_on_light_grey_is_a_serious_violation(other: Page) -> None:
    other.set_viewport_size(DESKTOP)
    serve(other, GREY)
    check = PageCheck()
    check.check(other)
    assert len(check.findings) == 1
    assert check.findings[0].startswith(
        "http://tiaodu.test/: axe color-contrast (serious: Elements must meet minimum color "
        "contrast ratio thresholds) at p — Fix any of the following: Element has insufficient "
        "color contrast of 1.6 (foreground color: #ffffff, background color: #cccccc"
    )


def test_a_phone_page_wider_than_the_screen_and_a_small_button(other: Page) -> None:
    other.set_viewport_size(PHONE)
    serve(
        other,
        CLEAN + '<div data-testid="wide" style="width: 600px">很宽的表格</div>'
        '<a class="btn small" data-testid="small" href="/x/" style="color: #fff; '
        'background: #1d4e89">小按钮</a>',
    )
    check = PageCheck()
    check.check(other)
    assert check.findings == [
        "http://tiaodu.test/: phone: the page scrolls sideways (600 px wide in a 390 px "
        'window); too wide: div[data-testid="wide"] (600 px)',
        "http://tiaodu.test/: phone: tap target under 44 px tall: "
        'a[data-testid="small"] "小按钮" 28 px',
    ]


def test_a_page_without_faults_passes_on_a_phone_and_on_a_desktop(other: Page) -> None:
    """The inline link of the sentence is exempt from the 44 px; the button is 48 px tall."""
    check = PageCheck()
    other.set_viewport_size(PHONE)
    serve(other, CLEAN)
    check.check(other)
    other.set_viewport_size(DESKTOP)
    serve(other, '<div style="width: 1200px">很宽的表格</div>')
    check.check(other)
    assert check.findings == []
    assert check.pages_checked == [URL, URL]


def test_each_document_is_checked_once_before_the_journey_acts_on_it(other: Page) -> None:
    pages = {URL: PAGE.format(body=CLEAN), URL + "grey/": PAGE.format(body=GREY)}
    other.route(
        URL + "**",
        lambda route: route.fulfill(body=pages[route.request.url], content_type="text/html"),
    )
    check = PageCheck()
    check.watch(other)
    other.set_viewport_size(PHONE)
    other.goto(URL)
    assert check.pages_checked == []
    expect(other.get_by_role("link", name="填报").first).to_be_visible()  # checks the page
    assert check.pages_checked == [URL]
    other.get_by_role("link", name="填报").first.hover()  # the same document: not again
    check.check(other)
    assert check.pages_checked == [URL]
    other.goto(URL + "grey/")
    other.goto(URL)  # leaving the grey page checks it
    assert check.pages_checked == [URL, URL + "grey/"]
    assert [line.split(" (")[0] for line in check.findings] == [
        "http://tiaodu.test/grey/: axe color-contrast"
    ]
    other.set_viewport_size(DESKTOP)  # a change of size checks the page first
    assert check.pages_checked == [URL, URL + "grey/", URL]


def test_a_page_left_before_its_stylesheet_arrives_is_checked_as_shown(other: Page) -> None:
    """A journey may go on as soon as what it asserts is in the DOM; the page's stylesheet
    (here it makes the grey line readable) may still be on its way. The check waits for the
    page's load, so it judges the page with its styles, not the bare HTML."""
    styled = PAGE.format(body=GREY).replace(
        "</head>", '<link rel="stylesheet" href="/late.css"></head>'
    )
    released: list[str] = []

    def late_css(route: Route) -> None:
        other.wait_for_timeout(300)
        released.append(route.request.url)
        route.fulfill(body="p { background: #1d4e89 !important; }", content_type="text/css")

    other.route(URL, lambda route: route.fulfill(body=styled, content_type="text/html"))
    other.route(URL + "late.css", late_css)
    check = PageCheck()
    other.set_viewport_size(DESKTOP)
    other.goto(URL, wait_until="commit")
    check.check(other)
    assert released == [URL + "late.css"]
    assert check.pages_checked == [URL]
    assert check.findings == []


def test_what_the_content_security_policy_refuses_is_a_finding(other: Page) -> None:
    """An inline script and an inline handler, under the site's kind of policy (scripts from
    the site only): each refusal is a finding, as a reviewer would otherwise see it only in
    the browser's console."""
    body = CLEAN + "<script>document.title = '改';</script>"
    html = PAGE.format(body=body)
    other.route(
        URL,
        lambda route: route.fulfill(
            body=html,
            content_type="text/html",
            headers={"Content-Security-Policy": "script-src 'self'"},
        ),
    )
    check = PageCheck()
    check.watch(other)
    other.set_viewport_size(DESKTOP)
    other.goto(URL)
    check.check(other)
    assert [line.split(" (")[0] for line in check.findings] == [
        "http://tiaodu.test/: Content-Security-Policy: script-src-elem refused inline"
    ]
