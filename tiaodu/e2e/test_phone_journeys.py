"""Each persona's daily pages on a phone (390×844): the reporter, the handler of a department,
the district dispatcher. Every page passes the page check (conftest.py: WCAG 2 AA, no
sideways scrolling, 44 px tap targets); the journeys also tap what a thumb taps: a due item
anywhere on its card, the notice's buttons under its title. Screenshots:
var/screenshots/phone-*.png."""

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tiaodu.problems.choices import ProblemStatus
from tiaodu.reporting import services
from tiaodu.reporting.models import Period, Report
from tiaodu.supervision.notices import services as notice_services
from tiaodu.supervision.notices.choices import NoticeKind
from tiaodu.testing import PHONE, TODAY, problem_in, sign_in

pytestmark = pytest.mark.usefixtures("on_thursday")


@pytest.fixture
def october(world: Any) -> Period:
    """The periods open on 5 November 2026; p6's October report submitted by rita."""
    services.open_periods(today=TODAY)
    period = Period.objects.get(cycle="monthly", start=dt.date(2026, 10, 1))
    report = services.open_draft(
        actor=world.rita, plan=world.plans["p6"], period=period, today=period.due_date
    )
    services.update_draft(actor=world.rita, report=report, investment=Decimal("80"))
    services.submit_report(actor=world.rita, report=report, today=TODAY)
    return period


def shoot(page: Page, screenshots: Path, name: str) -> None:
    page.screenshot(path=screenshots / f"phone-{name}.png", full_page=True)


def no_sideways_scroll(page: Page) -> None:
    """The page check measures this too; said here where the journey looks at a wide table."""
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1] + 1, widths


def test_the_reporter_on_a_phone(page: Page, world: Any, october: Period, screenshots: Path):
    page.set_viewport_size(PHONE)
    sign_in(page, "rita")
    shoot(page, screenshots, "rita-home")
    page.goto("/reports/")
    items = page.get_by_test_id("due-period").first.get_by_test_id("due-item")
    expect(items).to_have_count(1)  # p1 (p6 is submitted)
    shoot(page, screenshots, "rita-due")
    # A thumb on the project's name, not on the button, opens the report.
    item = items.filter(has_text="黄岛港区集装箱码头三期")
    box = item.bounding_box()
    assert box is not None and box["height"] >= 44
    name = item.get_by_text("黄岛港区集装箱码头三期").bounding_box()
    assert name is not None
    page.mouse.click(name["x"] + 8, name["y"] + 8)
    expect(page.locator("#report-form")).to_be_visible()
    report = Report.objects.get(project=world.projects["p1"], period=october)
    assert page.url.endswith(f"/reports/{report.pk}/")
    shoot(page, screenshots, "rita-report-form")
    page.fill("#id_investment", "120.50")
    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success")).to_be_visible()
    # Her reports: the project's timeline.
    page.goto(f"/projects/{world.projects['p6'].pk}/?tab=reports")
    expect(page.get_by_test_id("timeline-report")).to_have_count(1)
    no_sideways_scroll(page)
    shoot(page, screenshots, "rita-reports")


def test_the_handler_on_a_phone(page: Page, world: Any, screenshots: Path) -> None:
    problem = problem_in(world, ProblemStatus.ASSIGNED)
    page.set_viewport_size(PHONE)
    sign_in(page, "hank")
    shoot(page, screenshots, "hank-home")
    page.goto("/problems/inbox/")
    row = page.get_by_test_id("inbox-row").filter(has_text="用地指标未落实")
    expect(row).to_have_count(1)
    no_sideways_scroll(page)
    shoot(page, screenshots, "hank-inbox")
    row.get_by_role("link", name="用地指标未落实").click()
    expect(page.get_by_test_id("problem-status")).to_contain_text("已交办")
    assert page.url.endswith(f"/problems/{problem.pk}/")
    shoot(page, screenshots, "hank-problem")


def test_the_district_on_a_phone(page: Page, world: Any, october: Period, screenshots: Path):
    problem_in(world, ProblemStatus.ASSIGNED)
    notice = notice_services.issue_notice(
        actor=world.dora,
        kind=NoticeKind.SUPERVISION_ORDER,
        recipient_unit=world.unit_a,
        projects=[world.projects["p1"], world.projects["p6"]],
        subject="黄岛港区项目投资进度滞后",
        body="你单位负责的项目连续两个月投资完成率低于时序进度。",
        requirements="制定整改方案，明确完成时限。",
    )
    page.set_viewport_size(PHONE)
    sign_in(page, "dora")
    shoot(page, screenshots, "dora-home")
    page.goto("/reports/board/")
    expect(page.locator("h2.page-title")).to_be_visible()
    no_sideways_scroll(page)
    shoot(page, screenshots, "dora-board")
    page.goto(f"/reports/board/{october.pk}/missing/")
    expect(page.locator("h2.page-title")).to_be_visible()
    no_sideways_scroll(page)
    shoot(page, screenshots, "dora-missing")
    page.goto("/problems/")
    expect(page.get_by_text("用地指标未落实").first).to_be_visible()
    no_sideways_scroll(page)
    shoot(page, screenshots, "dora-ledger")
    page.goto("/supervision/notices/")
    expect(page.get_by_test_id("notice-row")).to_have_count(1)
    no_sideways_scroll(page)
    shoot(page, screenshots, "dora-notices")
    page.get_by_test_id("notice-row").get_by_role("link", name=notice.number_label).first.click()
    # The title on one line; the two downloads side by side under it, clear of the badge.
    title = page.locator("h2.page-title")
    expect(title).to_contain_text("督办〔2026〕1号")
    title_box, badge_box = title.bounding_box(), page.get_by_test_id("notice-status").bounding_box()
    docx_box = page.get_by_test_id("notice-docx").bounding_box()
    pdf_box = page.get_by_test_id("notice-pdf").bounding_box()
    assert title_box and badge_box and docx_box and pdf_box
    assert title_box["height"] < 40, title_box  # one line of the 24 px title
    assert docx_box["y"] >= badge_box["y"] + badge_box["height"], (docx_box, badge_box)
    assert docx_box["y"] == pdf_box["y"] and docx_box["height"] >= 44
    shoot(page, screenshots, "dora-notice")
