"""A spring batch of 黄岛区 for the batch tests: 2026年春季集中开工 on 10 April 2026 with
p1 (started on its date) and p7 (not started), and two more new starts of 黄岛区 (p7, p8)
made for these tests. p8 (planned 1 September) is in no batch."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tiaodu.campaigns import services
from tiaodu.campaigns.models import GroundbreakingBatch
from tiaodu.projects import services as project_services
from tiaodu.projects.models import AnnualPlan

SPRING = dt.date(2026, 4, 10)


def new_start(world: Any, key: str, name: str, *, total: int, plan: int, start: dt.date) -> None:
    project = project_services.create_project(
        actor=world.alice,
        name=name,
        region=world.huangdao,
        owner_unit=world.unit_a,
        total_investment=Decimal(total),
        plan={
            "year": 2026,
            "nature": "new_start",
            "level": "municipal",
            "planned_investment": Decimal(plan),
            "planned_start": start,
        },
    )
    world.projects[key] = project
    world.plans[key] = AnnualPlan.objects.get(project=project, year=2026)


@pytest.fixture
def spring(world: Any) -> GroundbreakingBatch:
    new_start(world, "p7", "黄岛新能源产业园", total=50000, plan=8000, start=dt.date(2026, 4, 20))
    new_start(world, "p8", "黄岛海洋牧场", total=30000, plan=3000, start=dt.date(2026, 9, 1))
    project_services.update_project(
        actor=world.alice, project=world.projects["p1"], actual_start=SPRING
    )
    batch = services.create_batch(
        actor=world.dora,
        name="2026年春季集中开工",
        date=SPRING,
        place="黄岛区新能源产业园",
        region=world.huangdao,
    )
    services.add_entries(
        actor=world.dora, batch=batch, plans=[world.plans["p1"], world.plans["p7"]]
    )
    return batch
