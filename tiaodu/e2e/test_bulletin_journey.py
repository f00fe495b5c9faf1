"""The month's bulletin: alice (the city's dispatcher) builds October's bulletin of 青岛市,
sees the build wait for the worker and finish, writes a commentary paragraph and submits it; lin (a leader
of the city) signs it off; alice issues it, and it carries the year's first number,
通报〔2026〕1号. The issued PDF's first page is rendered with pdftoppm and kept under
var/screenshots to be looked at.
"""

import subprocess
from pathlib import Path

from playwright.sync_api import Page, expect

from tiaodu.core.roles import Role
from tiaodu.testing import DESKTOP, make_user, sign_in

WAIT = 60_000  # ms: waiting for the worker process, on a shared machine


def test_dispatcher_builds_leader_signs_off_dispatcher_issues(
    page: Page, world, task_worker, on_thursday, screenshots: Path, tmp_path: Path
):
    make_user("lin", Role.LEADER, world.city)
    page.set_viewport_size(DESKTOP)

    # alice builds October's bulletin of the city.
    sign_in(page, "alice")
    page.goto("/documents/bulletins/")
    expect(page.get_by_test_id("no-bulletin")).to_be_visible()
    page.get_by_test_id("build-bulletin").click()
    expect(page.locator("h2.page-title")).to_have_text("生成通报")
    page.select_option("#id_month", "2026-10-01")
    page.select_option("#id_region", label="青岛市")
    page.screenshot(path=screenshots / "bulletin-1-build.png", full_page=True)
    # With the worker stopped, the page shows the build waiting in the queue.
    task_worker.stop()
    page.get_by_test_id("build").click()
    expect(page.locator("h2.page-title")).to_have_text("青岛市2026年10月通报")
    expect(page.get_by_test_id("progress-step")).to_have_text("排队等待")
    expect(page.get_by_test_id("download-pdf")).to_have_count(0)
    page.screenshot(path=screenshots / "bulletin-1-progress.png", full_page=True)
    task_worker.start()
    expect(page.get_by_test_id("download-pdf")).to_be_visible(timeout=WAIT)
    expect(page.get_by_test_id("bulletin-status")).to_have_text("草稿")

    # The commentary of the lagging projects, saved and built again.
    page.get_by_test_id("commentary-lagging").fill("滞后项目由各区逐一约谈，月底前报送整改情况。")
    page.get_by_test_id("save-commentary").click()
    expect(page.locator(".alert-success")).to_contain_text("评述已保存")
    expect(page.get_by_test_id("download-pdf")).to_be_visible(timeout=WAIT)
    expect(page.get_by_test_id("commentary-lagging")).to_have_value(
        "滞后项目由各区逐一约谈，月底前报送整改情况。"
    )
    page.screenshot(path=screenshots / "bulletin-2-draft.png", full_page=True)
    page.get_by_test_id("action-submit").click()
    expect(page.get_by_test_id("bulletin-status")).to_have_text("待审签")

    # lin signs it off.
    sign_in(page, "lin")
    page.goto("/documents/bulletins/")
    row = page.get_by_test_id("bulletin-row").filter(has_text="青岛市")
    expect(row).to_contain_text("待审签")
    page.screenshot(path=screenshots / "bulletin-3-list.png", full_page=True)
    row.get_by_role("link", name="青岛市").click()
    expect(page.get_by_test_id("commentary")).to_contain_text("滞后项目由各区逐一约谈")
    page.get_by_test_id("note").fill("同意印发。")
    page.screenshot(path=screenshots / "bulletin-4-sign-off.png", full_page=True)
    page.get_by_test_id("action-sign_off").click()
    expect(page.get_by_test_id("bulletin-status")).to_have_text("已审签")

    # alice issues it: the year's first number, and the issued files.
    sign_in(page, "alice")
    page.goto("/documents/bulletins/")
    page.get_by_test_id("bulletin-row").filter(has_text="青岛市").get_by_role(
        "link", name="青岛市"
    ).click()
    page.get_by_test_id("action-issue").click()
    expect(page.locator(".alert-success")).to_contain_text("通报〔2026〕1号")
    expect(page.get_by_test_id("bulletin-number")).to_have_text("通报〔2026〕1号")
    expect(page.get_by_test_id("download-pdf")).to_be_visible(timeout=WAIT)
    expect(page.get_by_test_id("bulletin-status")).to_have_text("已签发")
    page.screenshot(path=screenshots / "bulletin-5-issued.png", full_page=True)

    # The issued PDF: its text carries the number and no 草稿; page 1 rendered to look at.
    with page.expect_download() as download:
        page.get_by_test_id("download-pdf").click()
    pdf = tmp_path / "bulletin.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "通报〔2026〕1号" in text and "草稿" not in text
    assert "滞后项目由各区逐一约谈" in text
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
         str(screenshots / "bulletin-pdf")],
        check=True,
    )  # fmt: skip
    assert (screenshots / "bulletin-pdf.png").stat().st_size > 10_000
