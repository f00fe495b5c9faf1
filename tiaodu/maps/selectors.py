"""Reading the boundaries in force and the projects' points, as an actor may see them."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Subquery

from tiaodu.accounts.models import OrgUnit
from tiaodu.analytics.figures import Scope, card_month, scoped_plans
from tiaodu.core.scoping import Actor
from tiaodu.maps.models import Boundary, BoundarySet
from tiaodu.projects.filters import scope_region
from tiaodu.scoring.board import with_final_colour
from tiaodu.scoring.models import Card
from tiaodu.scoring.selectors import computed_months

# Five decimals of a degree are about a metre: finer than any outline or point needs.
PLACES = 5


def boundary_set() -> BoundarySet | None:
    """The boundaries in force (one set at a time), or None before a site loads any."""
    return BoundarySet.objects.order_by("-loaded_at").first()


def areas_under(region: OrgUnit | None) -> list[Boundary]:
    """The outlines a map of the region shows: its child regions' that the file has, else
    its own (a district's map is that district); none without a boundary file."""
    if region is None:
        return []
    children = list(
        Boundary.objects.filter(region__parent=region)
        .select_related("region")
        .order_by("region__region_code", "region__name")
    )
    if children:
        return children
    return list(Boundary.objects.filter(region=region).select_related("region"))


def areas_for(actor: Actor) -> list[Boundary]:
    """The outlines of the actor's map: those under its scope region (a district's
    dispatcher sees its own district)."""
    return areas_under(scope_region(actor))


def latest_card_month(as_of: dt.date) -> dt.date | None:
    """The month the figure set would count cards of as of the date, when it has none yet:
    the newest computed month before it (None when the date's month has cards, or none
    has)."""
    month = card_month(as_of)
    months = [m for m in computed_months() if m <= month]
    if not months or months[0] == month:
        return None
    return months[0]


def _rounded(value: Any) -> Any:
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    return round(value, PLACES) if isinstance(value, float) else value


def feature_collection(areas: list[Boundary]) -> dict[str, Any]:
    """The outlines as one GeoJSON FeatureCollection, each feature named by its region as
    the tree names it (the map's series join on that name)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "name": area.region.name,
                    "code": area.region.region_code or "",
                    "region": area.region.pk,
                },
                "geometry": {
                    "type": area.geometry["type"],
                    "coordinates": _rounded(area.geometry["coordinates"]),
                },
            }
            for area in areas
        ],
    }


def _degrees(value: Decimal | None) -> float | None:
    return None if value is None else round(float(value), PLACES)


def map_points(actor: Actor, scope: Scope) -> tuple[list[dict[str, Any]], int]:
    """The plan entries of the figure set's scope that have coordinates, each with its
    project, nature and the final colour of its card of the figure set's month (one query);
    and how many entries of the scope have none."""
    plans = scoped_plans(actor, scope)
    card = with_final_colour(
        Card.objects.filter(plan=OuterRef("pk"), month=card_month(scope.as_of))
    )
    located = plans.filter(project__longitude__isnull=False, project__latitude__isnull=False)
    rows = (
        located.annotate(card=Subquery(card.values("final")[:1]))
        .values(
            "project_id",
            "project__name",
            "project__longitude",
            "project__latitude",
            "project__region__name",
            "nature",
            "card",
        )
        .order_by("project__name", "project_id")
    )
    points = [
        {
            "id": row["project_id"],
            "name": row["project__name"],
            "longitude": _degrees(row["project__longitude"]),
            "latitude": _degrees(row["project__latitude"]),
            "region": row["project__region__name"],
            "nature": row["nature"],
            "card": row["card"] or "none",
        }
        for row in rows
    ]
    return points, plans.count() - len(points)
