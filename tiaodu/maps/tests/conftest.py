"""The map's world: the test city with every district's outline (a square at its place),
four projects placed inside their districts, and October's cards of two of them.

| project | district | placed | card of 2026-10 |
|---|---|---|---|
| p1 | 黄岛区 | yes | red |
| p2 | 黄岛区 | yes | — |
| p3 | 崂山区 | yes | blue, revised to yellow on appeal |
| p4 | 崂山区 | no | — |
| p5 | 市南区 | yes | — |
| p6 | 黄岛区 | no | — |

The clock stands on 20 October 2026: the figure set's month is October.
"""

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from tiaodu.maps.services import load_boundaries
from tiaodu.maps.tests.boundaries import CENTRES, as_bytes, feature_collection
from tiaodu.projects import services as project_services
from tiaodu.scoring.models import Card
from tiaodu.scoring.services import rule_set_in_force

NOW = dt.datetime(2026, 10, 20, 2, tzinfo=dt.UTC)
OCTOBER = dt.date(2026, 10, 1)
PLACED = {"p1": "黄岛区", "p2": "黄岛区", "p3": "崂山区", "p5": "市南区"}


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def place(world: Any) -> None:
    """Each placed project a little off its district's centre (each its own spot)."""
    for index, (key, district) in enumerate(sorted(PLACED.items())):
        longitude, latitude = CENTRES[district]
        project_services.update_project(
            actor=world.alice,
            project=world.projects[key],
            longitude=Decimal(str(round(longitude + 0.01 * index, 5))),
            latitude=Decimal(str(round(latitude - 0.01 * index, 5))),
        )


def cards(world: Any) -> None:
    rule_set = rule_set_in_force(OCTOBER)
    for key, colour, revised in (("p1", "red", ""), ("p3", "blue", "yellow")):
        plan = world.plans[key]
        Card.objects.create(
            plan=plan,
            project=plan.project,
            month=OCTOBER,
            rule_set=rule_set,
            colour=colour,
            revised_colour=revised,
            score=Decimal("70"),
            computed_at=NOW,
        )


@pytest.fixture
def mapped(world: Any) -> Any:
    load_boundaries(actor=None, content=as_bytes(feature_collection()), source="测试边界")
    place(world)
    cards(world)
    return world


@pytest.fixture
def unmapped(world: Any) -> Any:
    """The same projects and cards, and no boundary file."""
    place(world)
    cards(world)
    return world
