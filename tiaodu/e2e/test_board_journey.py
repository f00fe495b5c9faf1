"""The city dispatcher reads the completeness board of October 2026 and opens the missing."""

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from tiaodu.accounts import org_units
from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.accounts.models import OrgUnit
from tiaodu.projects import services as project_services
from tiaodu.reporting import services
from tiaodu.reporting.models import Period, Report
from tiaodu.testing import DESKTOP, make_user, sign_in

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def board_world(world):
    """The personas' city with October 2026 open and 14 more projects of four new owner
    units in four districts, some reported on time, some late."""
    services.open_periods(today=dt.date(2026, 11, 5))
    october = Period.objects.get(cycle="monthly", start=dt.date(2026, 10, 1))
    # A few more owner units and projects in four districts, some of them reported.
    for code, unit_name, count, on_time, late in [
        ("370202", "市南城市更新集团", 4, 3, 1),
        ("370203", "市北文旅投资有限公司", 3, 1, 0),
        ("370211", "黄岛能源发展有限公司", 5, 2, 2),
        ("370212", "崂山生态建设有限公司", 2, 0, 0),
    ]:
        region = OrgUnit.objects.get(region_code=code)
        unit = org_units.create_org_unit(
            actor=None, name=unit_name, kind=OrgUnitKind.OWNER_UNIT, parent=region
        )
        reporter = make_user(f"r{code}", "reporter", unit)
        for index in range(count):
            project = project_services.create_project(
                actor=world.alice,
                name=f"{unit_name[:4]}项目{index + 1}",
                region=region,
                owner_unit=unit,
                total_investment=Decimal(5000),
                contact_name="张工",
                contact_phone="0532-8888",
                plan={"year": 2026, "nature": "continuing", "level": "municipal"},
            )
            if index >= on_time + late:
                continue
            plan = project.plans.get(year=2026)
            report = services.open_draft(
                actor=reporter, plan=plan, period=october, today=october.due_date
            )
            services.update_draft(actor=reporter, report=report, investment=Decimal(100))
            services.submit_report(actor=reporter, report=report, today=dt.date(2026, 11, 2))
            day = dt.date(2026, 11, 2) if index < on_time else dt.date(2026, 11, 5)
            Report.objects.filter(pk=report.pk).update(
                submitted_at=dt.datetime.combine(day, dt.time(15), SHANGHAI)
            )
    return world


@pytest.fixture(autouse=True)
def _after_octobers_lock() -> Iterator[None]:
    """The board opens on the latest period past its due date: October's, on 6 November."""
    with time_machine.travel(dt.datetime(2026, 11, 6, 2, 0, tzinfo=dt.UTC), tick=True):
        yield


def test_the_dispatcher_reads_the_board(page: Page, board_world, screenshots: Path) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in(page, "alice")
    page.locator(".navbar-nav .dropdown-toggle", has_text="调度").click()  # the menu's section
    page.get_by_role("link", name="报送完整率").first.click()
    expect(page.locator("h2.page-title")).to_contain_text("2026年10月")
    expect(page.get_by_test_id("total-expected")).to_have_text("20")
    expect(page.get_by_test_id("total-submitted")).to_have_text("9")
    expect(page.get_by_test_id("total-missing")).to_have_text("11")
    page.screenshot(path=screenshots / "board-city.png", full_page=True)

    page.locator('tr[data-region="崂山区"] td.td-missing a').click()
    rows = page.locator('[data-testid="missing-list"] tbody tr')
    expect(rows).to_have_count(4)  # p3, p4 and the two of 崂山生态建设
    expect(rows.first).to_contain_text("2026-11-03")
    page.screenshot(path=screenshots / "board-missing.png", full_page=True)


def test_the_dispatcher_urges_from_the_missing_list(
    page: Page, board_world, screenshots: Path
) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in(page, "alice")
    october = Period.objects.get(cycle="monthly", start=dt.date(2026, 10, 1))
    region = OrgUnit.objects.get(region_code="370212")
    page.goto(f"/reports/board/{october.pk}/missing/?region={region.pk}")
    units = page.get_by_test_id("missing-units")
    expect(units.locator("tbody tr")).to_have_count(2)  # 崂山科创发展 (p3), 崂山生态建设 (2)
    row = units.locator('tr[data-unit="崂山生态建设有限公司"]')
    expect(row.get_by_test_id("last-urged")).to_have_text("—")
    page.screenshot(path=screenshots / "board-urge-before.png", full_page=True)
    row.get_by_test_id("urge-unit").click()
    expect(page.locator(".alert-success")).to_contain_text(
        "已催报崂山生态建设有限公司：通知填报人 1 名。"
    )
    row = page.get_by_test_id("missing-units").locator('tr[data-unit="崂山生态建设有限公司"]')
    expect(row.get_by_test_id("urged-today")).to_contain_text("今日已催报 10:")
    expect(row.get_by_test_id("urged-today")).to_be_disabled()
    # 催报全部 under the list's filter (崂山区): the other unit only.
    page.get_by_test_id("urge-all").click()
    expect(page.locator(".alert-success")).to_contain_text("已催报崂山科创发展有限公司")
    expect(page.locator(".alert-warning")).to_contain_text("未催报：崂山生态建设有限公司（今日10:")
    expect(page.get_by_test_id("urge-unit")).to_have_count(0)
    expect(page.get_by_test_id("urge-all")).to_be_disabled()
    page.screenshot(path=screenshots / "board-urged.png", full_page=True)

    # The board's unit table shows the last urge.
    page.goto(f"/reports/board/?period={october.pk}")
    unit_row = page.locator('[data-testid="board-units"] tr[data-unit="崂山生态建设有限公司"]')
    expect(unit_row.get_by_test_id("last-urged")).to_contain_text("11-06 10:")

    # The unit's reporter finds it in the bell.
    sign_in(page, "r370212")
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    page.goto("/notifications/")
    expect(page.locator("body")).to_contain_text(
        "Alice催报：2026年10月的报告（2026-11-03截止）尚未报送"
    )
    page.screenshot(path=screenshots / "board-urge-notification.png", full_page=True)
