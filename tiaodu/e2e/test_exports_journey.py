"""The city dispatcher exports and prints the lists she works from: the missing-reports list
of October 2026 (催报名单), the review queue and the supervision notices."""

import datetime as dt
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tiaodu.reporting import services
from tiaodu.reporting.models import Period
from tiaodu.supervision.notices import services as notice_services
from tiaodu.supervision.notices.choices import NoticeKind
from tiaodu.testing import DESKTOP, PHONE, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def lists_world(world: Any) -> Any:
    """October 2026 open, p1 (黄岛区) reported and waiting for review, a notice to unit A."""
    services.open_periods(today=dt.date(2026, 11, 5))
    october = Period.objects.get(cycle="monthly", start=dt.date(2026, 10, 1))
    report = services.open_draft(
        actor=world.rita, plan=world.plans["p1"], period=october, today=october.due_date
    )
    services.update_draft(actor=world.rita, report=report, investment=Decimal("120.50"))
    services.submit_report(actor=world.rita, report=report, today=dt.date(2026, 11, 2))
    notice_services.issue_notice(
        actor=world.alice,
        kind=NoticeKind.SUPERVISION_ORDER,
        recipient_unit=world.unit_a,
        projects=[world.projects["p1"]],
        subject="黄岛港区项目投资进度滞后",
        body="连续两个月投资完成率低于时序进度。",
        requirements="制定整改方案。",
    )
    world.october = october
    return world


def test_the_lists_export_and_print(
    lists_world: Any, live_server: Any, page: Page, on_thursday: None, screenshots: Path
) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in(page, "alice")
    page.goto(f"{live_server.url}/reports/board/{lists_world.october.pk}/missing/")
    expect(page.get_by_test_id("export-xlsx")).to_have_text("导出Excel")
    expect(page.get_by_test_id("print")).to_have_text("打印")
    page.screenshot(path=screenshots / "exports-missing-desktop.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    assert download.value.suggested_filename == "催报名单-2026年10月.xlsx"
    book = load_workbook(BytesIO(Path(download.value.path()).read_bytes()))
    shown = page.get_by_test_id("missing-list").locator("tbody tr[data-row]")
    assert book.worksheets[0].max_row - 3 == shown.count() == 5

    # Printed: the title with the period and the filters, no menu, filters or buttons.
    page.emulate_media(media="print")
    expect(page.get_by_test_id("print-title")).to_be_visible()
    expect(page.get_by_test_id("print-title")).to_contain_text("催报名单 · 2026年10月")
    expect(page.get_by_test_id("export-xlsx")).to_be_hidden()
    page.screenshot(path=screenshots / "exports-missing-print.png", full_page=True)
    page.pdf(path=str(screenshots / "exports-missing-print.pdf"), landscape=True, format="A4")
    page.emulate_media(media="screen")

    page.goto(f"{live_server.url}/reports/review/?status=submitted")
    expect(page.get_by_test_id("queue-row")).to_have_count(1)
    page.screenshot(path=screenshots / "exports-queue-desktop.png", full_page=True)
    page.goto(f"{live_server.url}/supervision/notices/")
    expect(page.get_by_test_id("notice-row")).to_have_count(1)
    page.screenshot(path=screenshots / "exports-notices-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/supervision/notices/")
    page.screenshot(path=screenshots / "exports-notices-phone.png", full_page=True)
