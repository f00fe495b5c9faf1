"""Replacing a lagging project during the campaign (动态调整), end to end: on 5 November the
city dispatcher creates this year's 百日会战 from last year's, opens the lagging district
(崂山区, whose new start has not begun), proposes to replace that project with the readiest
candidate beside it, a city leader approves it from the queue, and the campaign page's
start rate changes — while the attainment as of the day before stays as it was.
Screenshots: var/screenshots/list-change-*.png."""

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tiaodu.campaigns import services
from tiaodu.campaigns.choices import ChangeStatus, Indicator
from tiaodu.campaigns.models import Campaign, ListChange
from tiaodu.core.roles import Role
from tiaodu.projects import services as project_services
from tiaodu.scoring.tests.test_compute import ledger
from tiaodu.testing import DESKTOP, make_user, sign_in


def shot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=folder / f"list-change-{name}.png", full_page=True)


def last_years_campaign(world: Any) -> Campaign:
    """2025's 百日会战 over 2025's 市重点项目, with Suihua's start-rate target."""
    lists_2025 = project_services.create_key_project_list(actor=None, name="市重点项目", year=2025)
    return services.create_campaign(
        actor=world.alice,
        name="2025年百日会战",
        year=2025,
        start=dt.date(2025, 8, 1),
        end=dt.date(2025, 11, 10),
        targets=[
            services.TargetSpec(indicator=Indicator.START_RATE, threshold=Decimal(100)),
            services.TargetSpec(indicator=Indicator.COMPLETION_RATE, threshold=Decimal(80)),
        ],
        lists=[lists_2025],
    )


def test_replace_a_lagging_project_and_the_campaign_changes(
    page: Page, world: Any, on_thursday: None, screenshots: Path
) -> None:
    ledger(world)  # p1 started in June; p3 (崂山科创园一期, 30000) has not started
    make_user("cleo", Role.LEADER, world.city)
    ready = project_services.create_project(
        actor=world.alice,
        name="崂山海洋科技中心",
        region=world.laoshan,
        total_investment=Decimal(28000),
        actual_start=dt.date(2026, 10, 20),
        plan={
            "year": 2026,
            "nature": "new_start",
            "level": "municipal",
            "planned_investment": Decimal(6000),
            "planned_start": dt.date(2026, 10, 15),
        },
    )
    source = last_years_campaign(world)
    page.set_viewport_size(DESKTOP)

    # The dispatcher copies last year's campaign into this year.
    sign_in(page, "alice")
    page.goto("/campaigns/")
    page.get_by_test_id(f"copy-{source.pk}").click()
    expect(page.locator(".alert-success")).to_contain_text("2025年百日会战")
    created = Campaign.objects.get(year=2026)
    start_rate = page.get_by_test_id("target-row").first.get_by_test_id("overall")
    expect(start_rate).to_contain_text("50.00%")
    shot(page, screenshots, "campaign-before")

    # The lagging district: 崂山区's new start holds the start rate back.
    page.get_by_test_id(f"district-{world.laoshan.pk}").click()
    expect(page.get_by_test_id("district-filter")).to_contain_text("崂山区")
    held = page.get_by_test_id("held-back").first
    held.locator("summary").click()
    expect(held).to_contain_text("崂山科创园一期")
    held.get_by_test_id(f"replace-{world.plans['p3'].pk}").click()

    # The candidates beside the outgoing project; the readiest is the one started.
    expect(page.get_by_test_id("side-by-side")).to_contain_text("崂山海洋科技中心")
    shot(page, screenshots, "candidates")
    incoming = ready.plans.get(year=2026)
    page.get_by_test_id(f"choose-{incoming.pk}").check()
    page.fill(
        "#id_reason",
        "崂山科创园一期土地征收未完成，年内无法开工；崂山海洋科技中心已开工，投资相当。",
    )
    page.get_by_test_id("propose").click()
    expect(page.locator(".alert-success")).to_contain_text("等待领导审批")
    expect(page.get_by_test_id("change-status")).to_contain_text("待审批")
    change = ListChange.objects.get()
    assert change.campaign == created

    # The city leader approves it from the queue.
    sign_in(page, "cleo")
    page.goto("/campaigns/changes/")
    expect(page.get_by_test_id("pending")).to_contain_text("崂山海洋科技中心 替换 崂山科创园一期")
    page.get_by_test_id("pending").get_by_role("link", name="处理").click()
    shot(page, screenshots, "decide")
    page.fill("#id_note", "同意替换，请督促崂山科创园一期加快土地手续。")
    page.get_by_test_id("action-approve").click()
    expect(page.locator(".alert-success")).to_contain_text("清单自今日起变更")
    expect(page.get_by_test_id("effective")).to_contain_text("2026-11-05")
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED

    # The campaign page has changed today; the day before stands as it was.
    sign_in(page, "alice")
    page.goto(f"/campaigns/{created.pk}/")
    expect(start_rate).to_contain_text("100.00%")
    expect(page.get_by_test_id("campaign-list-changes")).to_contain_text("已批准")
    shot(page, screenshots, "campaign-after")
    page.goto(f"/campaigns/{created.pk}/?as_of=2026-11-04")
    expect(start_rate).to_contain_text("50.00%")
