"""A site with its ledger only — imported as a spreadsheet, no reports — gets cards whose
investment, start and inclusion dimensions follow DOMAIN.md §6 exactly, at each threshold's
edge: r of exactly 0.8 and 0.6, and 0, 1, 2 and 3 months."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from tiaodu.core import clock
from tiaodu.projects.ledger.columns import BY_ID
from tiaodu.projects.ledger.importer import apply_import, plan_import
from tiaodu.scoring import services
from tiaodu.scoring.models import Card

JUNE = dt.date(2026, 6, 1)  # time progress 6/12: blue from 480 of a 1,200 plan, red below 360
AS_OF = dt.date(2026, 6, 30)
COLUMNS = (
    "name", "region", "level", "nature", "total_investment", "planned_investment",
    "ytd_completed", "planned_start", "actual_start", "statistics_inclusion",
)  # fmt: skip
STARTED = (dt.date(2025, 5, 6), dt.date(2025, 6, 1))  # started and included last year
ROWS = {
    # name: (nature, ytd, planned start, actual start, inclusion)
    "投资八成": ("续建", "480.00", None, *STARTED),
    "投资八成差一分": ("续建", "479.99", None, *STARTED),
    "投资六成": ("续建", "360.00", None, *STARTED),
    "投资六成差一分": ("续建", "359.99", None, *STARTED),
    "开工逾期零月": ("新开工", "0", dt.date(2026, 6, 25), None, None),
    "开工逾期一月": ("新开工", "0", dt.date(2026, 5, 1), None, None),
    "开工逾期二月": ("新开工", "0", dt.date(2026, 4, 30), None, None),
    "开工逾期三月": ("新开工", "0", dt.date(2026, 3, 1), None, None),
    "入统零月": ("续建", "600.00", None, dt.date(2026, 6, 2), None),
    "入统一月": ("续建", "600.00", None, dt.date(2026, 5, 31), None),
    "入统二月": ("续建", "600.00", None, dt.date(2026, 4, 1), None),
    "储备项目": ("储备（前期）", "0", None, None, None),
}


def import_ledger(world: Any, path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([BY_ID[column].header for column in COLUMNS])
    for name, (nature, ytd, planned, started, included) in ROWS.items():
        sheet.append(
            [name, "黄岛区", "市重点", nature, 5000, 1200, ytd, planned, started, included]
        )
    workbook.save(path)
    plan = plan_import(actor=world.alice, source=path, year=2026, as_of=AS_OF)
    assert plan.errors == []
    apply_import(actor=world.alice, plan=plan)


@pytest.fixture
def cards(world: Any, tmp_path: Path) -> dict[str, Card]:
    import_ledger(world, tmp_path / "台账.xlsx")
    with clock.frozen(dt.date(2026, 7, 20)):
        services.compute_cards(actor=world.alice, month=JUNE)
    return {card.project.name: card for card in Card.objects.select_related("project")}


@pytest.mark.parametrize(
    ("name", "dimension", "colour"),
    [
        ("投资八成", "investment", "blue"),
        ("投资八成差一分", "investment", "yellow"),
        ("投资六成", "investment", "yellow"),
        ("投资六成差一分", "investment", "red"),
        ("开工逾期零月", "start", "blue"),
        ("开工逾期一月", "start", "yellow"),
        ("开工逾期二月", "start", "yellow"),
        ("开工逾期三月", "start", "red"),
        ("入统零月", "statistics", "blue"),
        ("入统一月", "statistics", "yellow"),
        ("入统二月", "statistics", "red"),
        ("投资八成", "statistics", "na"),  # included: does not apply
        ("开工逾期三月", "investment", "na"),  # not started: does not apply
        ("投资八成", "reporting", "na"),  # no periods: nothing was due
    ],
)
def test_each_edge(cards: dict[str, Card], name: str, dimension: str, colour: str) -> None:
    assert cards[name].dimensions[dimension]["colour"] == colour


def test_the_cards_of_a_ledger_only_site(cards: dict[str, Card]) -> None:
    assert "储备项目" not in cards  # reserve entries get no card
    assert cards["投资六成差一分"].colour == "red"
    assert cards["投资六成差一分"].inputs["ytd"] == "359.99"
    assert cards["投资六成差一分"].evidence == "ledger"
    # Blue again at 480: 120.01 to go.
    assert cards["投资六成差一分"].restore == ["需再完成投资 120.01 万元"]
    assert cards["开工逾期三月"].dimensions["start"]["reason"] == (
        "计划于2026年3月开工，逾期3个月仍未开工。"
    )
    assert cards["入统二月"].restore == ["需办理入统"]
