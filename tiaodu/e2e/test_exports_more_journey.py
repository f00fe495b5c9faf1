"""The lists that export and print besides the dispatch lists: a reporter's reports due (on
her phone too), a handler's problems, the ledger's blockers, the instructions, the card
appeals, the groundbreaking batches, the list changes, the task forces and a campaign's
projects holding it back — each with its two buttons, and printed as a sheet."""

import datetime as dt
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tiaodu.campaigns import changes
from tiaodu.campaigns import services as campaign_services
from tiaodu.campaigns.choices import Indicator
from tiaodu.campaigns.tests.conftest import entry
from tiaodu.core import clock
from tiaodu.projects import services as project_services
from tiaodu.reporting import services as report_services
from tiaodu.scoring import appeals
from tiaodu.scoring import services as scoring_services
from tiaodu.scoring.models import Card
from tiaodu.scoring.tests.test_compute import JUNE, ledger
from tiaodu.supervision.instructions import services as instruction_services
from tiaodu.testing import DESKTOP, PHONE, person_for, problem_in, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def more_lists(world: Any) -> Any:
    """November's reports due, hank's problems, leo's instruction, rita's appeal of p6's June
    card, a spring batch, a replacement awaiting approval, a task force and a campaign."""
    report_services.open_periods(today=dt.date(2026, 11, 5))
    problem_in(world, "assigned")
    problem_in(world, "in_progress")
    instruction_services.write_instruction(
        actor=world.leo, on=world.projects["p1"], text="请抓紧协调用地指标，确保年底前开工。"
    )
    ledger(world)
    with clock.frozen(dt.date(2026, 7, 20)):
        scoring_services.compute_cards(actor=world.alice, month=JUNE)
        card = Card.objects.get(month=JUNE, project=world.projects["p6"])
        appeals.raise_appeal(actor=world.rita, card=card, reason="已于5月入统。", files=[])
    batch = campaign_services.create_batch(
        actor=world.dora,
        name="2026年春季集中开工",
        date=dt.date(2026, 4, 10),
        place="黄岛区新能源产业园",
        region=world.huangdao,
    )
    campaign_services.add_entries(actor=world.dora, batch=batch, plans=[world.plans["p1"]])
    entry(world, "p7", "黄岛智能制造产业园", world.huangdao, 22000)
    with clock.frozen(dt.date(2026, 11, 5)):
        changes.propose_replacement(
            actor=world.alice,
            outgoing=world.plans["p2"],
            key_list=world.key_list,
            incoming=world.plans["p7"],
            reason="黄岛区安置房建设项目土地未落实，年内无法开工。",
        )
    project_services.save_task_force(
        actor=world.alice,
        name="安置房专班",
        head=person_for(world.sam),
        projects=[world.projects["p2"], world.projects["p4"]],
    )
    world.campaign = campaign_services.create_campaign(
        actor=world.alice,
        name="2026年百日会战",
        year=2026,
        start=dt.date(2026, 9, 1),
        end=dt.date(2026, 12, 10),
        targets=[
            campaign_services.TargetSpec(indicator=Indicator.START_RATE, threshold=Decimal(90)),
        ],
    )
    return world


def _export(page: Page) -> Any:
    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    return download.value


def test_the_other_lists_export_and_print(
    more_lists: Any, live_server: Any, page: Page, on_thursday: None, screenshots: Path
) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in(page, "rita")
    page.goto(f"{live_server.url}/reports/")
    expect(page.get_by_test_id("due-item")).to_have_count(4)
    page.screenshot(path=screenshots / "exports-due-desktop.png", full_page=True)
    saved = _export(page)
    assert saved.suggested_filename == "我的待报-2026-11-05.xlsx"
    sheet = load_workbook(BytesIO(Path(saved.path()).read_bytes())).worksheets[0]
    assert sheet.max_row - 3 == 4
    page.emulate_media(media="print")
    expect(page.get_by_test_id("print-title")).to_contain_text("我的待报")
    expect(page.get_by_test_id("fill").first).to_be_hidden()
    page.screenshot(path=screenshots / "exports-due-print.png", full_page=True)
    page.emulate_media(media="screen")
    page.set_viewport_size(PHONE)
    page.reload()
    page.screenshot(path=screenshots / "exports-due-phone.png", full_page=True)
    page.goto(f"{live_server.url}/supervision/instructions/inbox/")
    expect(page.get_by_test_id("instruction-row")).to_have_count(1)
    page.set_viewport_size(DESKTOP)

    sign_in(page, "hank")
    page.goto(f"{live_server.url}/problems/inbox/")
    expect(page.get_by_test_id("inbox-row")).to_have_count(2)
    page.screenshot(path=screenshots / "exports-inbox-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.reload()
    page.screenshot(path=screenshots / "exports-inbox-phone.png", full_page=True)
    page.set_viewport_size(DESKTOP)

    sign_in(page, "alice")
    for path, name in (
        ("/problems/blockers/", "blockers"),
        ("/problems/departments/", "departments"),
        ("/supervision/instructions/", "instructions"),
        ("/evaluation/appeals/", "appeals"),
        ("/campaigns/batches/", "batches"),
        ("/campaigns/changes/", "changes"),
        ("/projects/taskforces/", "taskforces"),
        (f"/campaigns/{more_lists.campaign.pk}/", "campaign"),
    ):
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_test_id("export-xlsx")).to_have_text("导出Excel")
        expect(page.get_by_test_id("print")).to_have_text("打印")
        page.screenshot(path=screenshots / f"exports-{name}-desktop.png", full_page=True)
    page.goto(f"{live_server.url}/problems/blockers/")
    page.emulate_media(media="print")
    expect(page.get_by_test_id("ledger-sections")).to_be_hidden()
    page.screenshot(path=screenshots / "exports-blockers-print.png", full_page=True)
    page.emulate_media(media="screen")
