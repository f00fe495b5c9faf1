"""The city dispatcher computes June's cards from the board, opens the red ones and a
project's 评价 tab, and previews a stricter rule; the owner unit's reporter finds its red
card on the home page (the ledger-only site of scoring's test_compute, May computed)."""

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Page, expect

from tiaodu.scoring import services
from tiaodu.scoring.models import Card
from tiaodu.scoring.tests.test_compute import ledger
from tiaodu.testing import DESKTOP, PHONE, sign_in


@pytest.fixture(autouse=True)
def _in_july() -> Iterator[None]:
    """20 July 2026, 10:00 in Shanghai: June is over and its reports are locked."""
    with time_machine.travel(dt.datetime(2026, 7, 20, 2, 0, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture
def may_computed(world: Any) -> Any:
    ledger(world)
    services.compute_cards(actor=None, month=dt.date(2026, 5, 1))
    return world


def _shot(page: Page, screenshots: Path, name: str) -> None:
    page.screenshot(path=screenshots / f"cards-{name}", full_page=True)


def test_the_dispatcher_computes_june_and_reads_the_cards(
    page: Page, may_computed: Any, screenshots: Path
) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in(page, "alice")
    page.locator(".navbar-nav .dropdown-toggle", has_text="评价").click()  # the menu's section
    page.get_by_role("link", name="项目评价").first.click()
    expect(page.locator("h2.page-title")).to_contain_text("2026-05")
    form = page.get_by_test_id("compute-form")
    form.locator("input[name=month]").fill("2026-06")
    form.locator("input[name=reason]").fill("六月月度评价")
    form.get_by_role("button", name="计算").click()
    expect(page.locator(".alert-success")).to_contain_text("2026-06 评价已计算：共 6 张牌")
    expect(page.locator("h2.page-title")).to_contain_text("2026-06")
    expect(page.get_by_test_id("count-red")).to_contain_text("3")
    expect(page.get_by_test_id("change-blue")).to_have_text("▲2")
    expect(page.get_by_test_id("run")).to_contain_text("六月月度评价")
    _shot(page, screenshots, "board.png")

    page.get_by_test_id("count-red").click()
    rows = page.get_by_test_id("card-row")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("崂山科创园一期")
    expect(rows.nth(1)).to_contain_text("需再完成投资 1,800.00 万元")
    _shot(page, screenshots, "list.png")

    # An appeal revised June's card of 港湾物流园仓储中心 to yellow: the tab shows both.
    Card.objects.filter(project=may_computed.projects["p6"], month=dt.date(2026, 6, 1)).update(
        revised_colour="yellow"
    )
    rows.nth(1).get_by_role("link", name="港湾物流园仓储中心").click()
    cards = page.get_by_test_id("project-card")
    expect(cards).to_have_count(2)
    expect(cards.first).to_contain_text("投资完成率为序时进度的 50.0%，低于 60%。")
    expect(cards.first.locator("h3 > .badge")).to_contain_text("黄牌")
    expect(cards.first.get_by_test_id("computed-colour")).to_contain_text("红牌")
    _shot(page, screenshots, "tab.png")

    page.goto("/evaluation/rules/")
    page.locator("input[name=investment_red]").fill("0.75")
    page.locator("textarea[name=note], input[name=note]").first.fill("投资红牌线提高到 75%")
    page.get_by_test_id("preview").click()
    expect(page.get_by_test_id("preview-change")).to_have_count(1)
    expect(page.get_by_test_id("preview-change")).to_contain_text("崂山区污水处理厂扩建")
    _shot(page, screenshots, "rules.png")


def test_the_owner_unit_sees_its_red_card_at_home(
    page: Page, may_computed: Any, screenshots: Path
) -> None:
    services.compute_cards(actor=None, month=dt.date(2026, 6, 1))
    page.set_viewport_size(PHONE)
    sign_in(page, "rita")
    panel = page.get_by_test_id("home-cards")
    expect(panel.get_by_test_id("home-card")).to_have_count(1)
    expect(panel).to_contain_text("需再完成投资 1,800.00 万元")
    _shot(page, screenshots, "home-phone.png")
    panel.get_by_test_id("home-card").click()
    # The card's own page: what it found, what restores blue, and the way to appeal.
    expect(page.get_by_test_id("card-colour")).to_contain_text("红牌")
    expect(page.get_by_test_id("appeal-button")).to_be_visible()
    _shot(page, screenshots, "card-phone.png")


def test_a_district_dispatcher_reads_its_own_cards_on_a_phone(
    page: Page, may_computed: Any, screenshots: Path
) -> None:
    services.compute_cards(actor=None, month=dt.date(2026, 6, 1))
    page.set_viewport_size(PHONE)
    sign_in(page, "dora")
    page.goto("/evaluation/cards/")
    expect(page.get_by_test_id("count-blue")).to_contain_text("2")
    expect(page.get_by_test_id("count-red")).to_contain_text("1")
    expect(page.get_by_test_id("region-row")).to_have_count(1)
    expect(page.get_by_test_id("compute-form")).to_have_count(0)
    _shot(page, screenshots, "board-district-phone.png")
