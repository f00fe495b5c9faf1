"""A reporter sends October's report with two site photos from a phone; the district and then
the city approve it on a desktop; the project page shows the new year-to-date figure, the
report in its timeline with both photos, and the viewer. Screenshots:
var/screenshots/timeline-*.png."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tiaodu.core.tests.media_files import encode, exif, scene
from tiaodu.projects import services as project_services
from tiaodu.reporting import services
from tiaodu.reporting.choices import ReportStatus
from tiaodu.reporting.models import Report
from tiaodu.testing import DESKTOP, PHONE, TODAY, sign_in

pytestmark = pytest.mark.usefixtures("on_thursday")

QINGDAO = ((36, 0, 12.0), "N", (120, 10, 30.0), "E")


def site_photos(folder: Path) -> list[Path]:
    """Two JPEGs as a phone takes them: a date in October and a position in Qingdao."""
    paths = []
    for seed, name, taken in ((11, "3号泊位.jpg", "2026:10:28 15:40:00"),
                              (12, "堆场.jpg", "2026:10:29 09:05:00")):  # fmt: skip
        path = folder / name
        path.write_bytes(encode(scene(seed, (1600, 1200)), exif=exif(taken=taken, gps=QINGDAO)))
        paths.append(path)
    return paths


def test_a_report_with_photos_reaches_the_project_page(
    page: Page, world, screenshots: Path, tmp_path: Path
) -> None:
    services.open_periods(today=TODAY)
    project = world.projects["p1"]
    plan = world.plans["p1"]
    # The September ledger said 500 万元 completed this year; October's report adds to it.
    project_services.save_annual_plan(
        actor=world.alice, project=project, year=2026, nature=plan.nature, level=plan.level,
        ytd_completed=Decimal(500), ytd_as_of=dt.date(2026, 9, 30),
    )  # fmt: skip

    page.set_viewport_size(PHONE)
    sign_in(page, "rita")
    page.goto("/reports/")
    page.get_by_test_id("due-period").first.get_by_test_id("due-item").filter(
        has_text=project.name
    ).get_by_test_id("fill").click()
    page.fill("#id_investment", "350.25")
    page.fill("#id_physical_progress", "3号泊位沉箱安装完成，堆场地基处理完成60%")
    page.fill("#id_workers_on_site", "86")
    page.fill("#id_actual_start", "2026-03-10")
    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success")).to_be_visible()
    page.set_input_files("#file-input", site_photos(tmp_path))
    expect(page.locator("#report-files img")).to_have_count(2)
    page.screenshot(path=screenshots / "timeline-report-phone.png", full_page=True)
    page.get_by_test_id("submit").click()
    expect(page.locator(".alert-success")).to_contain_text("等待调度员审核")
    report = Report.objects.get(project=project, period__cycle="monthly", period__end__month=10)
    assert report.status == ReportStatus.SUBMITTED

    page.set_viewport_size(DESKTOP)
    for dispatcher, status in (("dora", ReportStatus.DISTRICT_APPROVED),
                               ("alice", ReportStatus.APPROVED)):  # fmt: skip
        sign_in(page, dispatcher)
        page.goto(f"/reports/{report.pk}/")
        expect(page.locator("#report-files img")).to_have_count(2)
        page.get_by_test_id("approve").click()
        expect(page.locator(".alert-success")).to_be_visible()
        report.refresh_from_db()
        assert report.status == status

    page.goto(f"/projects/{project.pk}/?tab=reports")
    expect(page.get_by_test_id("ytd")).to_have_text("850.25")
    expect(page.get_by_test_id("completion-rate")).to_have_text("42.51%")
    expect(page.get_by_test_id("ytd-source")).to_have_text(
        "台账截至 2026-09-30 的 500.00 万元，加上其后已审核调度报告的 350.25 万元。"
    )
    expect(page.get_by_test_id("lagging")).to_have_text("滞后于序时进度")
    expect(page.locator("#investment-chart svg")).to_be_visible()
    first = page.get_by_test_id("timeline-report").first
    expect(first.get_by_test_id("timeline-status")).to_have_text("已审核")
    expect(first.get_by_test_id("timeline-investment")).to_have_text("350.25")
    expect(first.locator("[data-testid=timeline-thumb] img")).to_have_count(2)
    page.screenshot(path=screenshots / "timeline-project-desktop.png", full_page=True)

    thumbs = first.get_by_test_id("timeline-thumb")
    taken = {item.original_name: item.taken_at for item in report.files.all()}
    assert sorted(taken) == ["3号泊位.jpg", "堆场.jpg"]
    thumbs.first.click()
    viewer = page.get_by_test_id("viewer")
    expect(viewer).to_be_visible()
    expect(viewer.locator("#viewer-image")).to_have_attribute(
        "src", str(thumbs.first.get_attribute("href"))
    )
    expect(viewer.locator("#viewer-title")).to_contain_text("2026年10月 · ")
    expect(viewer.get_by_test_id("viewer-caption")).to_contain_text("拍摄于 2026-10-2")
    expect(viewer.get_by_test_id("viewer-caption")).to_contain_text("北纬36.0033°，东经120.1750°")
    expect(viewer.get_by_test_id("viewer-count")).to_have_text("1 / 2")
    page.wait_for_function("() => document.getElementById('viewer-image').naturalWidth > 0")
    page.screenshot(path=screenshots / "timeline-viewer-desktop.png")
    title = viewer.locator("#viewer-title").inner_text()
    viewer.get_by_test_id("viewer-next").click()
    expect(viewer.get_by_test_id("viewer-count")).to_have_text("2 / 2")
    expect(viewer.locator("#viewer-image")).to_have_attribute(
        "src", str(thumbs.nth(1).get_attribute("href"))
    )
    expect(viewer.locator("#viewer-title")).not_to_have_text(title)
    page.keyboard.press("Escape")
    expect(viewer).to_be_hidden()

    # The reporter sees the same on the phone.
    page.set_viewport_size(PHONE)
    sign_in(page, "rita")
    page.goto(f"/projects/{project.pk}/?tab=reports")
    expect(page.get_by_test_id("ytd")).to_have_text("850.25")
    expect(page.locator("[data-testid=timeline-thumb] img")).to_have_count(2)
    page.screenshot(path=screenshots / "timeline-project-phone.png", full_page=True)
    page.get_by_test_id("timeline-thumb").nth(1).click()
    expect(page.get_by_test_id("viewer-count")).to_have_text("2 / 2")
    page.wait_for_function("() => document.getElementById('viewer-image').naturalWidth > 0")
    page.screenshot(path=screenshots / "timeline-viewer-phone.png")
