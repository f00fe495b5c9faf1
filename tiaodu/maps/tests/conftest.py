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

The clock stands on 5 November 2026: the figures are as of 31 October, their month October.
"""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from tiaodu.maps.services import load_boundaries
from tiaodu.maps.tests.boundaries import as_bytes, cards, feature_collection, place

NOW = dt.datetime(2026, 11, 5, 2, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


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
