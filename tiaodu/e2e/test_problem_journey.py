"""The closed loop of a problem in the browser: the city dispatcher raises one on a project
page and assigns it to 市住建局's handler; the handler finds it in the inbox, takes it in
hand and resolves it; the dispatcher closes it. Screenshots: var/screenshots/problem-*.png."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tiaodu.problems.choices import ProblemSource, ProblemStatus
from tiaodu.problems.models import Problem
from tiaodu.testing import DESKTOP, sign_in

pytestmark = pytest.mark.usefixtures("on_thursday")


def test_raise_assign_resolve_close(page: Page, world, screenshots: Path) -> None:
    page.set_viewport_size(DESKTOP)
    p1 = world.projects["p1"]

    # The city dispatcher raises the problem from the project page's 问题 tab.
    sign_in(page, "alice")
    page.goto(f"/projects/{p1.pk}/?tab=problems")
    page.get_by_test_id("raise-problem").click()
    form = page.get_by_test_id("raise-form")
    form.locator("select[name=category]").select_option("land")
    form.locator("input[name=title]").fill("二期用地指标未落实")
    form.locator("textarea[name=description]").fill("二期约45亩建设用地指标尚未下达。")
    page.screenshot(path=screenshots / "problem-raise.png", full_page=True)
    page.get_by_test_id("raise-submit").click()
    expect(page.get_by_test_id("problem-status")).to_contain_text("已上报")
    problem = Problem.objects.get(project=p1)
    assert problem.source == ProblemSource.PROJECT_PAGE

    # … and assigns it to 市住建局 and its handler, with the default deadline.
    assign = page.get_by_test_id("action-assign")
    assign.locator("select[name$=department]").select_option(str(world.housing_bureau.pk))
    handler = assign.locator("select[name$=handler]")
    expect(handler.locator(f"option[value='{world.hank.pk}']")).to_have_count(1)
    handler.select_option(str(world.hank.pk))
    page.screenshot(path=screenshots / "problem-assign.png", full_page=True)
    assign.locator("button[type=submit]").click()
    expect(page.get_by_test_id("problem-status")).to_contain_text("已交办")
    expect(page.get_by_test_id("deadline")).to_contain_text("2026")

    # The handler finds it in the inbox, starts and resolves it.
    sign_in(page, "hank")
    page.goto("/problems/inbox/")
    row = page.get_by_test_id("inbox-row").filter(has_text="二期用地指标未落实")
    expect(row).to_have_count(1)
    page.screenshot(path=screenshots / "problem-inbox.png", full_page=True)
    row.get_by_role("link", name="二期用地指标未落实").click()
    page.get_by_test_id("action-start").locator("button[type=submit]").click()
    expect(page.get_by_test_id("problem-status")).to_contain_text("办理中")
    resolve = page.get_by_test_id("action-resolve")
    resolve.locator("textarea").fill("市自然资源和规划局已调剂下达用地指标。")
    resolve.locator("button[type=submit]").click()
    expect(page.get_by_test_id("problem-status")).to_contain_text("已办结")

    # The dispatcher confirms the resolution and closes the problem.
    sign_in(page, "alice")
    page.goto(f"/problems/{problem.pk}/")
    expect(page.get_by_test_id("resolution")).to_contain_text("已调剂下达用地指标")
    page.get_by_test_id("action-close").locator("button[type=submit]").click()
    expect(page.get_by_test_id("problem-status")).to_contain_text("已销号")
    expect(page.get_by_test_id("timeline")).to_contain_text("销号")
    page.screenshot(path=screenshots / "problem-closed.png", full_page=True)

    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED
    assert problem.assigned_department == world.housing_bureau
    assert problem.handler == world.hank
