"""Boundary files for tests: a square per district of the test city, at its real place.

`feature_collection(...)` writes GeoJSON as a surveying bureau's file would hold it; the
squares are 0.1° wide around each district's centre, so a project placed at a centre lies
inside its district's outline. `place` and `cards` give four projects of the world their
coordinates and two of them October's cards (the table in conftest.py).
"""

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from tiaodu.projects import services as project_services
from tiaodu.scoring.models import Card
from tiaodu.scoring.services import rule_set_in_force

# name, division code, centre (longitude, latitude)
DISTRICTS: tuple[tuple[str, str, tuple[float, float]], ...] = (
    ("市南区", "370202", (120.40, 36.07)),
    ("市北区", "370203", (120.37, 36.10)),
    ("黄岛区", "370211", (120.02, 35.93)),
    ("崂山区", "370212", (120.53, 36.14)),
    ("李沧区", "370213", (120.43, 36.16)),
    ("城阳区", "370214", (120.40, 36.31)),
    ("即墨区", "370215", (120.45, 36.42)),
    ("胶州市", "370281", (120.02, 36.27)),
    ("平度市", "370283", (119.95, 36.78)),
    ("莱西市", "370285", (120.52, 36.88)),
)
CENTRES = {name: centre for name, _code, centre in DISTRICTS}

OCTOBER = dt.date(2026, 10, 1)
PLACED = {"p1": "黄岛区", "p2": "黄岛区", "p3": "崂山区", "p5": "市南区"}


def square(longitude: float, latitude: float, half: float = 0.05) -> dict[str, Any]:
    west, east, south, north = longitude - half, longitude + half, latitude - half, latitude + half
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(name: str, centre: tuple[float, float], **properties: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"name": name, **properties},
        "geometry": square(*centre),
    }


def feature_collection(features: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The ten districts (or the given features) as one FeatureCollection."""
    if features is None:
        features = [feature(name, centre) for name, _code, centre in DISTRICTS]
    return {"type": "FeatureCollection", "features": features}


def as_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


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
            computed_at=dt.datetime(2026, 10, 20, 2, tzinfo=dt.UTC),
        )
