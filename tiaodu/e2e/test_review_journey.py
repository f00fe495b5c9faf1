"""Dora, the dispatcher of 黄岛区, reviews October's reports with "approve and next" on a
desktop, reading the context panel beside each; then Alice opens the city's queue on a phone,
which shows cards and does not scroll sideways. Screenshots: var/screenshots/review-*.png."""

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tiaodu.reporting import services
from tiaodu.reporting.choices import ReportStatus
from tiaodu.reporting.models import Period, Report
from tiaodu.testing import DESKTOP, PHONE, TODAY, sign_in

pytestmark = pytest.mark.usefixtures("on_thursday")


def _submit(world: Any, period: Period, key: str, amount: str, progress: str) -> Report:
    reporter = world.sam if key == "p3" else world.rita
    report = services.open_draft(
        actor=reporter, plan=world.plans[key], period=period, today=period.due_date
    )
    services.update_draft(
        actor=reporter, report=report, investment=Decimal(amount), physical_progress=progress
    )
    return services.submit_report(actor=reporter, report=report, today=TODAY)


def test_dora_reviews_with_approve_and_next_and_the_queue_fits_a_phone(
    page: Page, world: Any, screenshots: Path
) -> None:
    services.open_periods(today=TODAY)
    october = Period.objects.get(cycle="monthly", start=dt.date(2026, 10, 1))
    first = _submit(world, october, "p1", "350.25", "3号泊位沉箱安装完成")
    elsewhere = _submit(world, october, "p3", "90", "科创园主体施工")  # 崂山区: not dora's
    second = _submit(world, october, "p6", "80", "仓储中心钢结构吊装")

    page.set_viewport_size(DESKTOP)
    sign_in(page, "dora")
    page.goto("/reports/review/")
    expect(page.get_by_test_id("queue-row")).to_have_count(2)
    expect(page.get_by_test_id("queue")).not_to_contain_text("崂山科创园一期")
    page.screenshot(path=screenshots / "review-queue-desktop.png", full_page=True)
    page.get_by_role("link", name="黄岛港区集装箱码头三期").click()
    panel = page.get_by_test_id("context-panel")
    expect(panel).to_be_visible()
    expect(page.get_by_test_id("context-plan")).to_have_text("2,000.00")
    expect(page.get_by_test_id("context-time-progress")).to_have_text("83.33%")
    expect(page.get_by_test_id("no-previous")).to_be_visible()
    page.screenshot(path=screenshots / "review-report-desktop.png", full_page=True)
    page.get_by_test_id("approve-next").click()
    # The next report of the same queue is p6 (p3 is 崂山区's), with the message of the first.
    expect(page.locator("h2.page-title")).to_contain_text("港湾物流园仓储中心")
    expect(page.locator(".alert-success")).to_contain_text("黄岛港区集装箱码头三期")
    expect(page.get_by_test_id("investment")).to_contain_text("80.00")
    page.get_by_test_id("approve-next").click()
    # The end of the queue: back to it, with a message, nothing left in the tab.
    expect(page.locator(".alert-info")).to_contain_text("已是本队列中最后一份待您审核的报告")
    expect(page.get_by_test_id("queue-row")).to_have_count(0)
    for report in (first, second):
        report.refresh_from_db()
        assert report.status == ReportStatus.DISTRICT_APPROVED
    elsewhere.refresh_from_db()
    assert elsewhere.status == ReportStatus.SUBMITTED

    page.set_viewport_size(PHONE)
    sign_in(page, "alice")
    page.goto("/reports/review/")
    cards = page.get_by_test_id("queue-card")
    expect(cards).to_have_count(2)  # the two approved by the district wait for the city
    expect(page.get_by_test_id("queue")).to_be_hidden()
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths
    for box in (
        cards.nth(0).bounding_box(),
        page.get_by_test_id("status-tab").first.bounding_box(),
    ):
        assert box is not None and box["height"] >= 44, box
    page.screenshot(path=screenshots / "review-queue-phone.png", full_page=True)
    cards.first.click()
    expect(page.get_by_test_id("context-panel")).to_be_visible()
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths
    page.screenshot(path=screenshots / "review-report-phone.png", full_page=True)
