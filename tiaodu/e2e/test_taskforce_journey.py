"""A task force (专班) in the browser: the city dispatcher creates one from a project's 专班
tab, with a head and a member who signs in; the member opens the project and finds the task
force; the notice form offers the head. Screenshots: var/screenshots/taskforce-*.png."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tiaodu.accounts import services as account_services
from tiaodu.projects.models import TaskForce
from tiaodu.testing import DESKTOP, PHONE, make_user, sign_in

pytestmark = pytest.mark.usefixtures("on_thursday")


def test_create_a_task_force_and_its_member_sees_the_project(
    page: Page, world, screenshots: Path
) -> None:
    page.set_viewport_size(DESKTOP)
    p2 = world.projects["p2"]
    tina = make_user("tina", None, None)
    head = account_services.create_person(actor=None, name="王建国", title="副区长")
    member = account_services.create_person(actor=None, name="田娜", user=tina)

    sign_in(page, "alice")
    page.goto(f"/projects/{p2.pk}/?tab=taskforce")
    expect(page.get_by_test_id("no-task-force")).to_be_visible()
    page.get_by_test_id("add-task-force").click()
    expect(page.locator("input[name=name]")).to_have_value(f"{p2.name}专班")
    page.locator("select[name=head]").select_option(str(head.pk))
    page.locator("select[name=members]").select_option([str(member.pk)])
    page.locator("textarea[name=duties]").fill("协调征收拆迁，每周调度一次，倒排工期。")
    page.screenshot(path=screenshots / "taskforce-form.png", full_page=True)
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("task-force-head")).to_contain_text("王建国")
    expect(page.get_by_test_id("task-force-projects")).to_contain_text(p2.name)
    page.screenshot(path=screenshots / "taskforce-detail.png", full_page=True)
    assert TaskForce.objects.get().head == head

    page.goto("/projects/taskforces/")
    expect(page.get_by_test_id("task-force-row")).to_have_count(1)
    page.screenshot(path=screenshots / "taskforce-list.png", full_page=True)

    page.goto(f"/supervision/notices/new/?project={p2.pk}")
    expect(page.locator("select[name=task_force_head] option:checked")).to_contain_text("王建国")
    page.get_by_test_id("task-force-head-field").screenshot(
        path=screenshots / "taskforce-notice-head.png"
    )

    # The member signs in on a phone and opens the project's 专班 tab.
    page.set_viewport_size(PHONE)
    sign_in(page, "tina")
    page.goto(f"/projects/{p2.pk}/?tab=taskforce")
    expect(page.get_by_test_id("task-force")).to_contain_text("田娜")
    page.screenshot(path=screenshots / "taskforce-member-tab.png", full_page=True)
    response = page.goto(f"/projects/{world.projects['p1'].pk}/")
    assert response is not None and response.status == 404
