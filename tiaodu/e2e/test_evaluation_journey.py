"""The month's judgment end to end (issue: cards, proposals, appeals, rankings): on 10
December the city dispatcher computes November's cards from the board, opens a red card's
reason, issues the proposed reminder from the proposal queue through the notice form; the
owner unit's reporter appeals the card on a phone; the dispatcher revises it, and the
ranking of its district moves. Screenshots: var/screenshots/evaluation-*.png."""

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Page, expect

from tiaodu.scoring.choices import ProposalStatus
from tiaodu.scoring.models import Card, Proposal
from tiaodu.scoring.tests.test_compute import ledger
from tiaodu.testing import DESKTOP, PHONE, sign_in

NOVEMBER = dt.date(2026, 11, 1)


@pytest.fixture(autouse=True)
def _in_december() -> Iterator[None]:
    """10 December 2026, 10:00 in Shanghai: November is over and locked."""
    with time_machine.travel(dt.datetime(2026, 12, 10, 2, 0, tzinfo=dt.UTC), tick=True):
        yield


def shot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=folder / f"evaluation-{name}.png", full_page=True)


def test_compute_read_issue_appeal_revise(page: Page, world: Any, screenshots: Path) -> None:
    ledger(world)
    p6 = world.projects["p6"]  # 港湾物流园仓储中心, 黄岛区, owner unit A (rita's)

    # The city dispatcher computes November from the board.
    page.set_viewport_size(DESKTOP)
    sign_in(page, "alice")
    page.goto("/evaluation/cards/")
    form = page.get_by_test_id("compute-form")
    form.locator("input[name=month]").fill("2026-11")
    form.locator("input[name=reason]").fill("十一月月度评价")
    form.get_by_role("button", name="计算").click()
    expect(page.locator(".alert-success")).to_contain_text("2026-11 评价已计算")
    shot(page, screenshots, "board")
    card = Card.objects.get(month=NOVEMBER, project=p6)
    assert card.colour == "red"

    # A red card's reason, from the list of red cards.
    page.get_by_test_id("count-red").click()
    row = page.get_by_test_id("card-row").filter(has_text=p6.name)
    expect(row).to_contain_text("投资完成率为序时进度的")
    row.get_by_role("link").nth(1).click()  # the colour badge opens the card
    expect(page.get_by_test_id("dimensions")).to_contain_text("低于 60%")
    expect(page.get_by_test_id("restore")).to_contain_text("需再完成投资")
    shot(page, screenshots, "card")

    # The ladder proposed a reminder (a first red month); the dispatcher issues it.
    page.goto("/evaluation/proposals/?kind=reminder")
    proposal = Proposal.objects.get(project=p6, month=NOVEMBER)
    assert proposal.kind == "reminder"
    line = page.get_by_test_id(f"proposal-{proposal.pk}")
    expect(line).to_contain_text("首次红牌")
    shot(page, screenshots, "proposals")
    line.get_by_test_id(f"issue-{proposal.pk}").click()
    expect(page.get_by_test_id("proposal-reason")).to_contain_text("首次红牌")
    expect(page.locator("input[name=subject]")).to_have_value(p6.name)
    shot(page, screenshots, "issue")
    page.get_by_test_id("issue").click()
    # 签发 shows the notice first, as on the notice form; 确认签发 issues it.
    expect(page.get_by_test_id("preview-note")).to_be_visible()
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.OPEN
    shot(page, screenshots, "issue-preview")
    page.get_by_test_id("confirm-issue").click()
    expect(page.locator(".alert-success")).to_contain_text("提醒〔2026〕1号已签发")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ISSUED and proposal.notice is not None

    page.goto("/evaluation/rankings/?month=2026-11")
    huangdao = page.get_by_test_id("ranking-regions").locator('tr[data-row="黄岛区"]')
    red = int(huangdao.get_attribute("data-red") or "")

    # The owner unit's reporter appeals the card on a phone.
    page.set_viewport_size(PHONE)
    sign_in(page, "rita")
    page.goto(f"/evaluation/cards/{card.pk}/")
    page.get_by_test_id("appeal-button").click()
    page.get_by_test_id("appeal-form").locator("textarea[name=reason]").fill(
        "11月完成投资已报送，待区里审核，请复核。"
    )
    page.get_by_test_id("appeal-submit").click()
    expect(page.get_by_test_id("appeal-status")).to_contain_text("待决定")
    shot(page, screenshots, "appeal-phone")

    # The dispatcher revises it to yellow; the district has one red card fewer.
    page.set_viewport_size(DESKTOP)
    sign_in(page, "alice")
    page.goto("/evaluation/appeals/")
    decide = page.get_by_test_id("decide-form").first
    decide.get_by_label("改评颜色").check()
    decide.locator("select[name$=revised_colour]").select_option("yellow")
    decide.locator("textarea[name$=reason]").fill("审核后投资完成率已过 60%，改评为黄牌。")
    decide.locator("button[type=submit]").click()
    expect(page.get_by_test_id("none-pending")).to_be_visible()
    card.refresh_from_db()
    assert (card.colour, card.revised_colour) == ("red", "yellow")
    page.goto("/evaluation/rankings/?month=2026-11")
    expect(huangdao).to_have_attribute("data-red", str(red - 1))
    shot(page, screenshots, "rankings")
