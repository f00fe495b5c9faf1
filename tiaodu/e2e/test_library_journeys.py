"""A district dispatcher works the library; a reporter of another unit is kept out."""

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tiaodu.core.models import AuditEvent
from tiaodu.projects.models import Project
from tiaodu.testing import DESKTOP, sign_in


def test_dispatcher_filters_opens_edits_and_sees_history(page: Page, world, screenshots: Path):
    page.set_viewport_size(DESKTOP)
    sign_in(page, "dora")
    page.screenshot(path=screenshots / "dispatcher-home.png", full_page=True)

    page.goto("/projects/")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)  # 黄岛区 only: p1, p2, p6
    page.select_option("#id_nature", "new_start")
    expect(rows).to_have_count(1)
    expect(page).to_have_url(re.compile(r"nature=new_start"))
    page.select_option("#id_nature", "")
    page.fill("#id_q", "仓储")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("港湾物流园仓储中心")
    page.fill("#id_q", "")
    expect(rows).to_have_count(3)
    page.screenshot(path=screenshots / "dispatcher-library.png", full_page=True)

    page.get_by_role("link", name="黄岛港区集装箱码头三期").click()
    expect(page.locator("h2.page-title")).to_have_text("黄岛港区集装箱码头三期")
    page.screenshot(path=screenshots / "dispatcher-project.png", full_page=True)

    page.get_by_test_id("edit-project").click()
    page.fill("#id_total_investment", "15000.50")
    page.fill("#id_location", "黄岛区前湾港路88号")
    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success")).to_be_visible()

    page.get_by_test_id("tab-history").click()
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("10000.00")
    expect(history).to_contain_text("15000.50")
    expect(history).to_contain_text("黄岛区前湾港路88号")
    page.screenshot(path=screenshots / "dispatcher-history.png", full_page=True)

    project = Project.objects.get(name="黄岛港区集装箱码头三期")
    assert str(project.total_investment) == "15000.50"
    event = AuditEvent.objects.filter(object_id=str(project.pk), action="update").get()
    assert event.actor_name == "dora"
    assert event.changes["total_investment"] == ["10000.00", "15000.50"]


def test_edit_form_says_what_to_fix(page: Page, world, screenshots: Path):
    sign_in(page, "dora")
    project = world.projects["p1"]
    page.goto(f"/projects/{project.pk}/edit/")
    page.fill("#id_total_investment", "-5")
    page.fill("#id_code", "2026-999999-54-01-000123")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("form-errors")).to_be_visible()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    page.screenshot(path=screenshots / "dispatcher-form-errors.png", full_page=True)
    assert str(Project.objects.get(pk=project.pk).total_investment) == "10000.00"


def test_reporter_of_another_unit_gets_404(page: Page, world, screenshots: Path):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "bob")
    project = world.projects["p1"]  # unit A's project; bob reports for unit B
    response = page.goto(f"/projects/{project.pk}/")
    assert response is not None and response.status == 404
    response = page.goto(f"/projects/{project.pk}/edit/")
    assert response is not None and response.status == 404
    page.goto("/projects/")
    expect(page.locator("table tbody tr")).to_have_count(1)
    expect(page.locator("table tbody")).to_contain_text("崂山科创园一期")
    page.screenshot(path=screenshots / "reporter-library-phone.png", full_page=True)
