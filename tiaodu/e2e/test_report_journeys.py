"""A reporter fills October's report on a phone; the district dispatcher approves it from the
queue on a desktop. Screenshots: var/screenshots/report-*.png."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import FilePayload, Page, expect

from tiaodu.core.tests.media_files import encode, exif, scene
from tiaodu.reporting import services
from tiaodu.reporting.choices import ReportStatus
from tiaodu.reporting.models import Period, Report
from tiaodu.testing import DESKTOP, PHONE, TODAY, sign_in

pytestmark = pytest.mark.usefixtures("on_thursday")


def test_reporter_fills_on_a_phone_and_the_district_approves(
    page: Page, world, screenshots: Path
) -> None:
    services.open_periods(today=TODAY)
    october = Period.objects.get(cycle="monthly", start=dt.date(2026, 10, 1))
    # p6 was returned once: the list shows why.
    returned = services.open_draft(
        actor=world.rita, plan=world.plans["p6"], period=october, today=october.due_date
    )
    services.update_draft(actor=world.rita, report=returned, investment=Decimal("80"))
    services.submit_report(actor=world.rita, report=returned, today=TODAY)
    services.return_report(actor=world.dora, report=returned, reason="形象进度描述过于简单，请补充")

    page.set_viewport_size(PHONE)
    sign_in(page, "rita")
    page.goto("/reports/")
    expect(page.get_by_test_id("due-period")).to_have_count(2)
    expect(page.get_by_test_id("overdue")).to_be_visible()
    expect(page.get_by_test_id("return-reason")).to_contain_text("形象进度描述过于简单")
    page.screenshot(path=screenshots / "report-due-phone.png", full_page=True)

    october_card = page.get_by_test_id("due-period").first
    october_card.get_by_test_id("due-item").filter(
        has_text="黄岛港区集装箱码头三期"
    ).get_by_test_id("fill").click()
    expect(page.locator("#report-form")).to_be_visible()
    page.fill("#id_investment", "-3")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text("不能为负数")
    page.fill("#id_investment", "350.25")
    page.fill("#id_physical_progress", "3号泊位沉箱安装完成，堆场地基处理完成60%")
    page.fill("#id_workers_on_site", "86")
    page.fill("#id_actual_start", "2026-03-10")
    page.fill("#id_next_plan", "4号泊位沉箱预制")
    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success")).to_be_visible()
    photo = encode(scene(4, (1600, 1200)), exif=exif(taken="2026:10:28 15:40:00"))
    # The network drops during the first photo: it is sent again with the retry button.
    page.route("**/files/", lambda route: route.abort())
    good: FilePayload = {"name": "码头.jpg", "mimeType": "image/jpeg", "buffer": photo}
    page.set_input_files("#file-input", [good])
    expect(page.get_by_text("网络中断，请重试。")).to_be_visible()
    page.unroute("**/files/")
    page.get_by_test_id("retry").click()
    expect(page.locator("#report-files img")).to_have_count(1)
    # A file that is not a photo is refused with the reason; it is not sent again.
    bad: FilePayload = {"name": "说明.jpg", "mimeType": "image/jpeg", "buffer": b"not a photo"}
    page.set_input_files("#file-input", [bad])
    expect(page.get_by_text("这不是照片或视频")).to_be_visible()
    expect(page.get_by_test_id("dismiss")).to_be_visible()
    expect(page.get_by_test_id("retry")).to_have_count(0)
    page.screenshot(path=screenshots / "report-form-phone.png", full_page=True)
    page.get_by_test_id("submit").click()
    expect(page.locator(".alert-success")).to_contain_text("等待调度员审核")
    report = Report.objects.get(project=world.projects["p1"], period=october)
    assert report.status == ReportStatus.SUBMITTED

    page.context.clear_cookies()
    page.set_viewport_size(DESKTOP)
    sign_in(page, "dora")
    page.goto("/reports/review/")
    expect(page.get_by_test_id("queue-row")).to_have_count(1)
    page.screenshot(path=screenshots / "report-queue-desktop.png", full_page=True)
    page.get_by_role("link", name="黄岛港区集装箱码头三期").click()
    expect(page.get_by_test_id("investment")).to_contain_text("350.25")
    expect(page.locator("#report-files img")).to_have_count(1)
    page.screenshot(path=screenshots / "report-review-desktop.png", full_page=True)
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("queue-row")).to_have_count(0)
    report.refresh_from_db()
    assert report.status == ReportStatus.DISTRICT_APPROVED
