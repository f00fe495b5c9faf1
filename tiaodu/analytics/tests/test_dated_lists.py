"""Lists are dated (DOMAIN.md §8): after a replacement approved today, last month's figure
set, cards, card board by list and campaign attainment are what they were, and today's have
changed. The suite runs on SQLite and on PostgreSQL."""

import datetime as dt
from decimal import Decimal
from typing import Any

from tiaodu.analytics.figures import WHOLE_SITE, figure_set
from tiaodu.campaigns import changes, services
from tiaodu.campaigns.attainment import attainment
from tiaodu.campaigns.choices import ChangeAction, Indicator
from tiaodu.campaigns.tests.conftest import TODAY, entry
from tiaodu.campaigns.tests.test_list_changes import replace
from tiaodu.core import clock
from tiaodu.core.roles import Role
from tiaodu.projects import services as project_services
from tiaodu.scoring import board
from tiaodu.scoring.models import Card
from tiaodu.scoring.services import compute_cards
from tiaodu.scoring.tests.test_compute import ledger
from tiaodu.testing import make_user

LAST_MONTH = dt.date(2026, 10, 1)
LAST_MONTH_END = dt.date(2026, 10, 31)


def figures(world: Any, as_of: dt.date) -> dict[str, Any]:
    return figure_set(actor=WHOLE_SITE, year=2026, as_of=as_of, key_list=world.key_list)


def cards(month: dt.date) -> list[tuple[int, str, Any]]:
    return sorted(Card.objects.filter(month=month).values_list("plan_id", "colour", "score"))


def by_list(month: dt.date) -> list[tuple[str, dict[str, int]]]:
    return [(row.name, row.counts) for row in board.breakdown(Card.objects.all(), month, "list")]


def test_last_months_figures_cards_and_campaign_stay_after_a_replacement_today(
    world: Any,
) -> None:
    world.users["cleo"] = make_user("cleo", Role.LEADER, world.city)
    ledger(world)
    entry(
        world, "p7", "黄岛智能制造产业园", world.huangdao, 22000, planned_start=dt.date(2026, 3, 1)
    )
    with clock.frozen(TODAY):
        project_services.update_project(
            actor=world.alice, project=world.projects["p7"], actual_start=dt.date(2026, 11, 2)
        )
        campaign = services.create_campaign(
            actor=world.alice,
            name="2026年百日会战",
            year=2026,
            start=dt.date(2026, 8, 1),
            end=dt.date(2026, 11, 10),
            targets=[
                services.TargetSpec(indicator=Indicator.START_RATE, threshold=Decimal(100)),
                services.TargetSpec(indicator=Indicator.COMPLETION_RATE, threshold=Decimal(80)),
            ],
            lists=[world.key_list],
        )
        compute_cards(actor=None, month=LAST_MONTH)
        before: dict[str, Any] = {
            "figures": figures(world, LAST_MONTH_END),
            "cards": cards(LAST_MONTH),
            "board": by_list(LAST_MONTH),
            "campaign": attainment(campaign, LAST_MONTH_END).as_dict(),
        }
        today_before = figures(world, TODAY)
        campaign_today_before = attainment(campaign, TODAY).as_dict()

        change = replace(world)
        changes.decide(actor=world.cleo, change=change, action=ChangeAction.APPROVE)
        compute_cards(actor=None, month=LAST_MONTH)  # recomputed: the same cards

        after = {
            "figures": figures(world, LAST_MONTH_END),
            "cards": cards(LAST_MONTH),
            "board": by_list(LAST_MONTH),
            "campaign": attainment(campaign, LAST_MONTH_END).as_dict(),
        }
        assert after == before
        assert before["figures"]["projects"] == 3
        assert before["board"] and sum(before["board"][0][1].values()) == 3
        # Today the list has changed: p2 (20000) out, p7 (22000, started) in.
        today_after = figures(world, TODAY)
        assert today_after["projects"] == 3
        assert Decimal(today_after["total_investment"]) == Decimal(
            today_before["total_investment"]
        ) + Decimal(2000)
        # The campaign's start rate today: p1 and p7 of the new starts p1, p3, p7 started.
        start_rate = attainment(campaign, TODAY).as_dict()["targets"][0]
        assert start_rate["value"] == "66.67"
        assert campaign_today_before["targets"][0]["value"] == "50.00"
