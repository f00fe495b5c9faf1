"""A supervision order in the browser: the city dispatcher issues one to owner unit A about
two of its projects; the unit's reporter finds it, answers with a rectification plan; the
dispatcher reads the answer and closes it. The order's PDF is rendered to an image (poppler's
pdftoppm) to be looked at. Screenshots: var/screenshots/notice-*.png."""

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageStat
from playwright.sync_api import Page, expect

from tiaodu.supervision.notices.choices import NoticeStatus
from tiaodu.supervision.notices.models import Notice
from tiaodu.testing import DESKTOP, PHONE, sign_in

pytestmark = pytest.mark.usefixtures("on_thursday")


def test_issue_an_order_and_the_unit_answers(page: Page, world, screenshots: Path) -> None:
    page.set_viewport_size(DESKTOP)
    p1, p6 = world.projects["p1"], world.projects["p6"]

    sign_in(page, "alice")
    page.goto(f"/supervision/notices/new/?project={p1.pk}")
    page.get_by_test_id("kind").locator("input[value=supervision_order]").check(force=True)
    page.locator("select[name=recipient_unit]").select_option(str(world.unit_a.pk))
    projects = page.get_by_test_id("project-list")
    expect(projects.locator(f"input[value='{p1.pk}']")).to_be_checked()
    projects.locator(f"input[value='{p6.pk}']").check()
    page.locator("input[name=subject]").fill("黄岛港区项目投资进度滞后")
    page.locator("textarea[name=body]").fill("你单位负责的项目连续两个月投资完成率低于序时进度。")
    page.locator("textarea[name=requirements]").fill("制定整改方案，明确完成时限。")
    page.screenshot(path=screenshots / "notice-issue.png", full_page=True)
    page.get_by_test_id("issue").click()
    # 签发 shows the order as it will be issued first; 确认签发 issues it.
    expect(page.frame_locator("[data-testid=notice-preview]").locator("h1")).to_contain_text(
        "黄岛港区项目投资进度滞后"
    )
    page.screenshot(path=screenshots / "notice-preview.png", full_page=True)
    page.get_by_test_id("confirm-issue").click()
    expect(page.get_by_test_id("notice-number")).to_have_text("督办〔2026〕1号")
    expect(page.get_by_test_id("notice-projects")).to_contain_text(p6.name)

    # The order as printed: the PDF, rendered to an image.
    with page.expect_download() as download:
        page.get_by_test_id("notice-pdf").click()
    pdf = screenshots / "notice-order.pdf"
    download.value.save_as(pdf)
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "poppler-utils (pdftoppm) renders the PDF to look at"
    subprocess.run(
        [pdftoppm, "-r", "80", "-png", "-f", "1", "-l", "1", pdf, screenshots / "notice-pdf"],
        check=True,
    )
    rendered = Image.open(screenshots / "notice-pdf-1.png").convert("L")
    assert rendered.height > rendered.width  # an A4 page, upright
    assert ImageStat.Stat(rendered).extrema[0][0] < 100  # text was drawn, not a blank page

    # The unit's reporter answers on a phone, with the rectification plan.
    page.set_viewport_size(PHONE)
    sign_in(page, "rita")
    page.goto("/supervision/notices/")
    row = page.get_by_test_id("notice-row").filter(has_text="督办〔2026〕1号")
    expect(row).to_have_count(1)
    row.get_by_role("link", name="督办〔2026〕1号").first.click()
    form = page.get_by_test_id("response-form")
    form.locator("textarea[name=text]").fill("已收悉，滞后原因为征地拆迁推进较慢。")
    form.locator("textarea[name=rectification_plan]").fill("倒排工期，月底前追回进度。")
    page.screenshot(path=screenshots / "notice-respond.png", full_page=True)
    page.get_by_test_id("send-response").click()
    expect(page.get_by_test_id("notice-response")).to_contain_text("倒排工期")

    # The dispatcher reads the answer and closes the order.
    page.set_viewport_size(DESKTOP)
    sign_in(page, "alice")
    notice = Notice.objects.get()
    page.goto(f"/supervision/notices/{notice.pk}/")
    expect(page.get_by_test_id("notice-response")).to_contain_text("已收悉")
    page.once("dialog", lambda dialog: dialog.accept())  # "Close this notice?"
    page.get_by_test_id("close-notice").click()
    expect(page.get_by_test_id("close-notice")).to_have_count(0)
    page.screenshot(path=screenshots / "notice-closed.png", full_page=True)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CLOSED
    assert notice.responses.get().responder == world.rita
