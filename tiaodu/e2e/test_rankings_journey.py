"""The city dispatcher reads October's rankings (a region ranked high on unevidenced figures
shows it), downloads a table, and sets the districts' targets on a phone; a district's
dispatcher reads its own district only."""

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tiaodu.accounts import services as account_services
from tiaodu.projects import services as project_services
from tiaodu.scoring.models import Card
from tiaodu.scoring.services import rule_set_in_force
from tiaodu.scoring.targets import set_district_target
from tiaodu.testing import DESKTOP, PHONE, sign_in

SEPTEMBER = dt.date(2026, 9, 1)
OCTOBER = dt.date(2026, 10, 1)


def cards(world: Any) -> None:
    """September: 黄岛区 ahead of 崂山区. October: 崂山区 ahead on ledger-only figures,
    黄岛区 behind with a red card, every figure of it evidenced."""
    # Version 1 (a flushed test database has it written again by the service).
    rule_set = rule_set_in_force(SEPTEMBER)
    zhou = account_services.create_person(actor=None, name="周正", title="副区长")
    project_services.update_project(
        actor=world.alice, project=world.projects["p3"], sponsoring_leader=zhou
    )
    at = dt.datetime(2026, 11, 3, 2, tzinfo=dt.UTC)
    for month, rows in (
        (SEPTEMBER, {"p1": ("blue", "92", "visit"), "p3": ("yellow", "71", "ledger")}),
        (
            OCTOBER,
            {
                "p1": ("blue", "88", "visit"),
                "p2": ("yellow", "74", "photos"),
                "p6": ("red", "52", "photos"),
                "p3": ("blue", "90", "ledger"),
                "p4": ("blue", "86", "report"),
                "p5": ("yellow", "63", "ledger"),
            },
        ),
    ):
        for key, (colour, score, evidence) in rows.items():
            plan = world.plans[key]
            Card.objects.create(
                plan=plan,
                project=plan.project,
                month=month,
                rule_set=rule_set,
                colour=colour,
                score=Decimal(score),
                evidence=evidence,
                computed_at=at,
            )


def test_the_dispatcher_reads_the_rankings_and_sets_targets(
    world: Any, page: Page, on_thursday: None, screenshots: Path
) -> None:
    cards(world)
    project_services.update_project(
        actor=world.alice, project=world.projects["p1"], actual_start=dt.date(2026, 4, 2)
    )
    set_district_target(
        world.alice, world.huangdao, 2026, new_starts=2, inclusions=2, completions=1
    )
    page.set_viewport_size(DESKTOP)
    sign_in(page, "alice")
    page.goto("/evaluation/rankings/?month=2026-10")
    regions = page.get_by_test_id("ranking-regions")
    expect(regions.locator("tbody tr").first).to_contain_text("崂山区")
    expect(regions.locator('tr[data-row="崂山区"]')).to_contain_text("↑1")
    expect(regions.locator('tr[data-row="黄岛区"]')).to_contain_text("↓1")
    # 崂山区 ranks first on figures nobody has seen on site: 0% evidenced.
    expect(regions.locator('tr[data-row="崂山区"] [data-evidenced]')).to_contain_text("0.0%")
    expect(regions.locator('tr[data-row="黄岛区"] [data-evidenced]')).to_contain_text("100.0%")
    page.screenshot(path=screenshots / "rankings-desktop.png", full_page=True)

    with page.expect_download() as download:
        regions.get_by_role("link", name="导出Excel").click()
    assert download.value.suggested_filename == "2026-10 评价排名：区（市）.xlsx"

    page.set_viewport_size(PHONE)
    page.goto("/evaluation/indicators/?year=2026&month=10")
    expect(page.locator('tr[data-district="黄岛区"]')).to_contain_text("50.0%")
    form = page.get_by_test_id("target-form")
    form.get_by_label("崂山区 新开工").fill("2")
    form.get_by_label("崂山区 新入统").fill("1")
    form.get_by_label("崂山区 竣工").fill("x")
    form.get_by_role("button", name="保存目标").click()
    expect(page.locator(".alert-danger, .alert-error").first).to_contain_text("未保存任何内容")
    page.screenshot(path=screenshots / "indicators-phone-error.png", full_page=True)
    form.get_by_label("崂山区 竣工").fill("1")
    form.get_by_role("button", name="保存目标").click()
    expect(page.get_by_text("已保存 1 个区（市）2026 年的目标。")).to_be_visible()
    expect(page.locator('tr[data-district="崂山区"]')).to_contain_text("0.0%")
    page.screenshot(path=screenshots / "indicators-phone.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    page.reload()
    page.screenshot(path=screenshots / "indicators-desktop.png", full_page=True)

    sign_in(page, "dora")
    page.goto("/evaluation/rankings/?month=2026-10")
    expect(page.get_by_test_id("ranking-regions").locator("tbody tr")).to_have_count(1)
    expect(page.get_by_test_id("ranking-regions")).not_to_contain_text("崂山区")
    page.screenshot(path=screenshots / "rankings-district.png", full_page=True)
