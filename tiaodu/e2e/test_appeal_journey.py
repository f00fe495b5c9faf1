"""A card appealed on a phone and revised by the city: the owner unit's reporter opens
September's red card, appeals it with a photo from a 390-pixel-wide screen (a refused file
first), and the city's dispatcher revises it to yellow from the appeal queue. Screenshots:
var/screenshots/appeal-*.png."""

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tiaodu.core.tests.media_files import SCRIPT, encode, scene
from tiaodu.scoring import services
from tiaodu.scoring.models import Appeal, Card
from tiaodu.scoring.tests.test_compute import ledger
from tiaodu.testing import DESKTOP, PHONE, sign_in

pytestmark = pytest.mark.usefixtures("on_thursday")
SEPTEMBER = dt.date(2026, 9, 1)


def shot(page: Page, folder: Path, name: str) -> None:
    path = folder / f"appeal-{name}.png"
    page.screenshot(path=path, full_page=True)


def test_appeal_on_a_phone_and_revise(page: Page, world, screenshots: Path, tmp_path: Path) -> None:
    ledger(world)
    services.compute_cards(actor=world.alice, month=SEPTEMBER, reason="九月评价")
    card = Card.objects.get(month=SEPTEMBER, project=world.projects["p6"])
    assert card.colour == "red"
    photo = tmp_path / "入统回执.jpg"
    photo.write_bytes(encode(scene(7, (1200, 900))))
    fake = tmp_path / "证明.jpg"
    fake.write_bytes(SCRIPT)

    # The reporter, on a phone, reads the red card and appeals it.
    page.set_viewport_size(PHONE)
    sign_in(page, "rita")
    page.goto(f"/evaluation/cards/{card.pk}/")
    expect(page.get_by_test_id("card-colour")).to_contain_text("红牌")
    shot(page, screenshots, "card-phone")
    page.get_by_test_id("appeal-button").click()
    form = page.get_by_test_id("appeal-form")
    form.locator("textarea[name=reason]").fill("项目已于8月办理入统，统计局回执见附件照片。")
    form.locator("input[name=evidence]").set_input_files([str(photo), str(fake)])
    shot(page, screenshots, "form-phone")
    page.get_by_test_id("appeal-submit").click()
    expect(page.get_by_test_id("form-errors")).to_be_visible()
    expect(page.locator(".invalid-feedback")).to_contain_text("证明.jpg")
    shot(page, screenshots, "refused-phone")
    assert not Appeal.objects.exists()
    form.locator("input[name=evidence]").set_input_files([str(photo)])
    page.get_by_test_id("appeal-submit").click()
    expect(page.get_by_test_id("appeal-status")).to_contain_text("待决定")
    shot(page, screenshots, "sent-phone")

    # The city's dispatcher finds it in the queue and revises the card to yellow.
    page.set_viewport_size(DESKTOP)
    sign_in(page, "alice")
    page.goto("/evaluation/rankings/?month=2026-09")
    huangdao = page.get_by_test_id("ranking-regions").locator('tr[data-row="黄岛区"]')
    red, yellow = (int(huangdao.get_attribute(name) or "") for name in ("data-red", "data-yellow"))
    assert red >= 1
    page.goto("/evaluation/appeals/")
    expect(page.get_by_test_id("pending-count")).to_have_text("1")
    page.locator(".dropdown-toggle", has_text="督查督办").click()
    expect(page.get_by_test_id("nav-count-scoring.appeals")).to_have_text("1")
    shot(page, screenshots, "menu")
    page.keyboard.press("Escape")
    shot(page, screenshots, "queue")
    appeal = Appeal.objects.get()
    decide = page.get_by_test_id(f"pending-{appeal.pk}").get_by_test_id("decide-form")
    decide.get_by_label("改评颜色").check()
    decide.locator("select[name$=revised_colour]").select_option("yellow")
    decide.locator("textarea[name$=reason]").fill("统计局回执属实，8月已入统，改评为黄牌。")
    shot(page, screenshots, "decide")
    decide.locator("button[type=submit]").click()
    expect(page.get_by_test_id("none-pending")).to_be_visible()
    shot(page, screenshots, "queue-after")
    card.refresh_from_db()
    assert (card.colour, card.revised_colour) == ("red", "yellow")
    # The rankings count the revised colour: one red card fewer for 黄岛区, one yellow more.
    page.goto("/evaluation/rankings/?month=2026-09")
    expect(huangdao).to_have_attribute("data-red", str(red - 1))
    expect(huangdao).to_have_attribute("data-yellow", str(yellow + 1))
    shot(page, screenshots, "rankings-after")

    # The reporter sees the revision beside the computed colour.
    page.set_viewport_size(PHONE)
    sign_in(page, "rita")
    page.goto(f"/evaluation/cards/{card.pk}/")
    expect(page.get_by_test_id("revised-note")).to_contain_text("红牌")
    shot(page, screenshots, "revised-phone")
