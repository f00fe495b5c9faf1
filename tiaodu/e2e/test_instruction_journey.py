"""A leader's instruction in the browser: leo, assigned to project 1, writes one from the
project's 批示 tab; it goes to owner unit A by default, whose reporter finds it in the inbox
and answers on a phone; leo reads the answer and closes it. Screenshots:
var/screenshots/instruction-*.png."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tiaodu.supervision.instructions.choices import InstructionStatus
from tiaodu.supervision.instructions.models import Instruction
from tiaodu.testing import DESKTOP, PHONE, sign_in

pytestmark = pytest.mark.usefixtures("on_thursday")


def test_a_leader_writes_the_unit_answers_the_leader_closes(
    page: Page, world, screenshots: Path
) -> None:
    page.set_viewport_size(DESKTOP)
    p1 = world.projects["p1"]

    sign_in(page, "leo")
    page.goto(f"{p1.get_absolute_url()}?tab=instructions")
    page.get_by_test_id("write-instruction").click()
    form = page.get_by_test_id("instruction-form")
    expect(form.locator("select[name=unit]")).to_have_value(str(world.unit_a.pk))
    form.locator("textarea[name=text]").fill("请抓紧协调用地指标，确保年底前开工。")
    page.screenshot(path=screenshots / "instruction-write.png", full_page=True)
    page.get_by_test_id("send-instruction").click()
    expect(page.get_by_test_id("instruction-unit")).to_have_text(world.unit_a.name)
    expect(page.get_by_test_id("instruction-deadline")).to_have_text("2026-11-19")

    # The unit's reporter answers from the inbox, on a phone.
    page.set_viewport_size(PHONE)
    sign_in(page, "rita")
    page.goto("/supervision/instructions/inbox/")
    page.get_by_test_id("instruction-row").first.get_by_role("link").first.click()
    answer = page.get_by_test_id("answer-form")
    answer.locator("textarea[name=text]").fill("已与自然资源局对接，指标本月底下达。")
    page.screenshot(path=screenshots / "instruction-answer.png", full_page=True)
    page.get_by_test_id("send-answer").click()
    expect(page.get_by_test_id("instruction-entry-answer")).to_contain_text("指标本月底下达")

    # The leader reads the answer and closes the instruction.
    page.set_viewport_size(DESKTOP)
    sign_in(page, "leo")
    expect(page.get_by_test_id("home-instructions")).to_contain_text("1")
    instruction = Instruction.objects.get()
    page.goto(f"/supervision/instructions/{instruction.pk}/")
    page.get_by_test_id("close-instruction").click()
    expect(page.get_by_test_id("instruction-status")).to_have_text("已办结")
    page.screenshot(path=screenshots / "instruction-closed.png", full_page=True)
    instruction.refresh_from_db()
    assert instruction.status == InstructionStatus.CLOSED
