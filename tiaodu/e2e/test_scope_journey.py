"""What a unit sees of others' work, in the browser: hank (市住建局) attending dora's
consultation sees the problem assigned to his department and only a count of the rest; a
notice to 市住建局 naming a project outside its reach is refused on the projects field.
Screenshots: var/screenshots/scope-*.png."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tiaodu.problems import services as problem_services
from tiaodu.problems.choices import ProblemCategory, ProblemStatus
from tiaodu.supervision.meetings.tests.test_meetings import convene, on_agenda
from tiaodu.supervision.notices.models import Notice
from tiaodu.testing import DESKTOP, PHONE, problem_in, sign_in

pytestmark = pytest.mark.usefixtures("on_thursday")


def test_an_attendee_sees_its_own_agenda_items_and_counts_the_rest(
    page: Page, world, screenshots: Path
) -> None:
    meeting = convene(world, attendee_users=[world.rita, world.hank])
    on_agenda(world, meeting, problem_in(world, ProblemStatus.ASSIGNED))
    for title, key in (("拆迁补偿未谈妥", "p1"), ("施工许可延迟", "p6")):
        problem = problem_services.raise_problem(
            actor=world.rita,
            project=world.projects[key],
            category=ProblemCategory.LAND,
            title=title,
        )
        on_agenda(world, meeting, problem)

    page.set_viewport_size(DESKTOP)
    sign_in(page, "hank")
    page.goto(f"/supervision/meetings/{meeting.pk}/")
    expect(page.get_by_test_id("agenda-title")).to_have_text(["用地指标未落实"])
    expect(page.get_by_test_id("agenda-withheld")).to_have_text("另有 2 项不在您的范围内")
    expect(page.get_by_text("拆迁补偿未谈妥")).to_have_count(0)
    page.screenshot(path=screenshots / "scope-meeting-hank.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.get_by_test_id("agenda-withheld")).to_be_visible()
    page.screenshot(path=screenshots / "scope-meeting-hank-phone.png", full_page=True)

    page.set_viewport_size(DESKTOP)
    sign_in(page, "dora")
    page.goto(f"/supervision/meetings/{meeting.pk}/")
    expect(page.get_by_test_id("agenda-item")).to_have_count(3)
    expect(page.get_by_test_id("agenda-withheld")).to_have_count(0)


def test_a_notice_naming_a_project_outside_the_recipients_reach_is_refused(
    page: Page, world, screenshots: Path
) -> None:
    p1, p2 = world.projects["p1"], world.projects["p2"]
    page.set_viewport_size(DESKTOP)
    sign_in(page, "dora")
    page.goto(f"/supervision/notices/new/?project={p2.pk}")
    page.locator("select[name=recipient_unit]").select_option(str(world.housing_bureau.pk))
    page.get_by_test_id("project-list").locator(f"input[value='{p1.pk}']").check()
    page.locator("input[name=subject]").fill("安置房建设进度滞后")
    page.locator("textarea[name=body]").fill("项目连续两个月投资完成率低于序时进度。")
    page.get_by_test_id("issue").click()
    expect(page.get_by_test_id("form-errors")).to_be_visible()
    expect(page.locator(".invalid-feedback")).to_have_text(
        [
            "黄岛港区集装箱码头三期不在青岛市住房和城乡建设局的范围内（既不由其建设或负责，"
            "也无交办给它的问题），通知不能列入这些项目。"
        ]
    )
    page.screenshot(path=screenshots / "scope-notice-refused.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=screenshots / "scope-notice-refused-phone.png", full_page=True)
    assert Notice.objects.count() == 0
