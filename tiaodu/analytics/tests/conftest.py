"""The statistics world: the six projects of `tiaodu.testing` given dates and figures.

As of 2026-08-31 (time progress 66.67%), through the services:

| project | region | nature / level | plan | ytd (as of) | actual dates |
|---|---|---|---|---|---|
| p1 | 黄岛区 | new start, provincial, industry | 2,000 | 1,500 (08-31) | start 04-01, in statistics 05-01 |
| p2 | 黄岛区 | continuing, infrastructure | 4,000 | 1,000 (07-31): 25%, lagging | start 2025-06-01; planned completion 06-30 |
| p3 | 崂山区 | new start | 6,000 | 500 (09-30: after D, not counted) | none: should have started |
| p4 | 崂山区 | continuing | 8,000 | 8,000 (06-30) | start 2024, in statistics 2024, completed 05-20 |
| p5 | 市南区 | new start | 10,000 | — | start 09-15 (after D): should have started |
| p6 | 黄岛区 | reserve, preliminary design | 0 | — | — |
"""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tiaodu.projects import services

AS_OF = dt.date(2026, 8, 31)


def stats_world(world: Any) -> Any:
    alice = world.alice
    p = world.projects

    def plan(key: str, **fields: Any) -> None:
        current = world.plans[key]
        services.save_annual_plan(
            actor=alice,
            project=p[key],
            year=2026,
            nature=fields.pop("nature", current.nature),
            level=fields.pop("level", current.level),
            **fields,
        )

    services.update_project(
        actor=alice,
        project=p["p1"],
        category="industry",
        actual_start=dt.date(2026, 4, 1),
        statistics_inclusion=dt.date(2026, 5, 1),
    )
    plan("p1", level="provincial", ytd_completed=Decimal(1500), ytd_as_of=AS_OF)
    services.update_project(
        actor=alice, project=p["p2"], category="infrastructure", actual_start=dt.date(2025, 6, 1)
    )
    plan(
        "p2",
        planned_completion=dt.date(2026, 6, 30),
        ytd_completed=Decimal(1000),
        ytd_as_of=dt.date(2026, 7, 31),
    )
    plan("p3", ytd_completed=Decimal(500), ytd_as_of=dt.date(2026, 9, 30))
    services.update_project(
        actor=alice,
        project=p["p4"],
        actual_start=dt.date(2024, 1, 1),
        statistics_inclusion=dt.date(2024, 3, 1),
        actual_completion=dt.date(2026, 5, 20),
    )
    plan(
        "p4",
        planned_completion=dt.date(2026, 5, 31),
        ytd_completed=Decimal(8000),
        ytd_as_of=dt.date(2026, 6, 30),
    )
    services.update_project(actor=alice, project=p["p5"], actual_start=dt.date(2026, 9, 15))
    plan(
        "p6",
        nature="reserve",
        reserve_stage="preliminary_design",
        planned_investment=Decimal(0),
    )
    return world


@pytest.fixture
def stats(world: Any) -> Any:
    return stats_world(world)
