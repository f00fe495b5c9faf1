"""A spring batch of 黄岛区 for the batch tests: 2026年春季集中开工 on 10 April 2026 with
p1 (started on its date) and p7 (not started), and two more new starts of 黄岛区 (p7, p8)
made for these tests. p8 (planned 1 September) is in no batch.

For the list changes, `city`: a city leader and two entries off the list (`entry`), on
5 November 2026."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tiaodu.campaigns import services
from tiaodu.campaigns.models import GroundbreakingBatch
from tiaodu.core import clock
from tiaodu.core.roles import Role
from tiaodu.projects import services as project_services
from tiaodu.projects.models import AnnualPlan
from tiaodu.testing import make_user

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


TODAY = dt.date(2026, 11, 5)


def entry(world: Any, key: str, name: str, region: Any, total: int, **plan: Any) -> AnnualPlan:
    """A 2026 new start off the list (for the candidates)."""
    project = project_services.create_project(
        actor=world.alice,
        name=name,
        region=region,
        total_investment=Decimal(total),
        plan={
            "year": 2026,
            "nature": "new_start",
            "level": "municipal",
            "planned_investment": Decimal(total // 5),
            "planned_start": dt.date(2026, 12, 1),
            **plan,
        },
    )
    world.projects[key] = project
    world.plans[key] = found = AnnualPlan.objects.get(project=project, year=2026)
    return found


@pytest.fixture
def city(world: Any) -> Any:
    """The world with a city leader (cleo), who decides list changes, and two entries off
    the list comparable with p2 (20000): p7 in 黄岛区 (22000) and p8 in 崂山区 (18000)."""
    world.users["cleo"] = make_user("cleo", Role.LEADER, world.city)
    entry(world, "p7", "黄岛智能制造产业园", world.huangdao, 22000)
    entry(world, "p8", "崂山海洋科技中心", world.laoshan, 18000)
    with clock.frozen(TODAY):
        yield world
