"""What the map draws, as one JSON object for the page's script (static/tiaodu/map.js):
the districts shaded by a figure of the figure set — read from it, never counted again —
and the projects' points coloured by their card or their nature."""

from typing import Any

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from tiaodu.analytics.figures import FigureSet, Row, region_key
from tiaodu.maps.choices import MapFigure, PointColour
from tiaodu.maps.models import Boundary, BoundarySet
from tiaodu.projects.choices import AnnualPlanNature
from tiaodu.scoring.choices import Colour

# Where each figure sits in the figure set's JSON form, whether it is a rate, and which end
# of the scale is good (the colours run from the bad end to the good one).
FIGURE_PATHS: dict[str, tuple[tuple[str, ...], bool, str]] = {
    MapFigure.COMPLETION_RATE: (("completion_rate",), True, "high"),
    MapFigure.NEW_START_RATE: (("new_start", "rate"), True, "high"),
    MapFigure.INCLUSION_RATE: (("in_statistics", "rate"), True, "high"),
    MapFigure.RED_CARDS: (("cards", "red"), False, "low"),
    MapFigure.YELLOW_CARDS: (("cards", "yellow"), False, "low"),
    MapFigure.LAGGING: (("lagging",), False, "low"),
    MapFigure.PROJECTS: (("projects",), False, "none"),
}

CARD_FIGURES = (MapFigure.RED_CARDS, MapFigure.YELLOW_CARDS)

# The Tabler palette the card pages use.
CARD_COLOURS = {
    Colour.BLUE: "#206bc4",
    Colour.YELLOW: "#f59f00",
    Colour.RED: "#d63939",
    "none": "#9aa0ac",
}
NATURE_COLOURS = {
    AnnualPlanNature.NEW_START: "#2fb344",
    AnnualPlanNature.CONTINUING: "#206bc4",
    AnnualPlanNature.COMPLETING: "#ae3ec9",
    AnnualPlanNature.RESERVE: "#9aa0ac",
}


def figure_value(figures: dict[str, Any], figure: str) -> Any:
    """One figure of a group of the figure set (a rate as "77.45" or None, a count)."""
    value: Any = figures
    for key in FIGURE_PATHS[figure][0]:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def shown(value: Any, rate: bool) -> str:
    if value is None:
        return "—"
    return f"{value}%" if rate else str(value)


def library_url(params: dict[str, str] | None) -> str:
    query = QueryDict(mutable=True)
    for key, value in (params or {}).items():
        query[key] = value
    return f"{reverse('projects:list')}?{query.urlencode()}"


def _summary(figures: dict[str, Any]) -> list[list[str]]:
    """The figures a district's tooltip and row show besides the chosen one."""
    cards = figures.get("cards") or {}
    return [
        [str(label), shown(figure_value(figures, key), FIGURE_PATHS[key][1])]
        for key, label in MapFigure.choices
        if key not in (MapFigure.RED_CARDS, MapFigure.YELLOW_CARDS)
    ] + [
        [
            _("Cards (blue / yellow / red)"),
            f"{cards.get('blue', 0)} / {cards.get('yellow', 0)} / {cards.get('red', 0)}",
        ]
    ]


def areas(result: FigureSet, boundaries: list[Boundary], figure: str) -> list[dict[str, Any]]:
    """Each outline with its region's figures from the figure set: a district's row of
    `by_region`, the scope region's own totals when the map is of that region alone."""
    rate = FIGURE_PATHS[figure][1]
    rows: dict[str, Row] = {row.key: row for row in result.rows["by_region"]}
    scope_region = result.scope.region
    drawn = []
    for boundary in boundaries:
        region = boundary.region
        key = region_key(region)
        params: dict[str, str] | None
        if scope_region is not None and region.pk == scope_region.pk:
            figures, params = result.data, result.params
        elif key in rows:
            figures, params = rows[key].figures, rows[key].params
        else:
            figures, params = {}, None
        value = figure_value(figures, figure)
        drawn.append(
            {
                "name": region.name,
                "code": region.region_code or "",
                "value": float(value) if value is not None else None,
                "display": shown(value, rate),
                "url": library_url(params) if params is not None else "",
                "summary": _summary(figures) if figures else [],
            }
        )
    return drawn


def legend(colour_by: str) -> dict[str, dict[str, str]]:
    if colour_by == PointColour.NATURE:
        return {
            str(key): {"label": str(AnnualPlanNature(key).label), "colour": colour}
            for key, colour in NATURE_COLOURS.items()
        }
    labels = {**{str(c): str(c.label) for c in Colour}, "none": _("No card")}
    return {str(key): {"label": labels[str(key)], "colour": c} for key, c in CARD_COLOURS.items()}


def page_data(
    *,
    result: FigureSet,
    boundaries: list[Boundary],
    boundary_set: BoundarySet | None,
    points: list[dict[str, Any]],
    figure: str,
    colour_by: str,
) -> dict[str, Any]:
    """The JSON the map's script draws from."""
    _path, rate, better = FIGURE_PATHS[figure]
    key = "nature" if colour_by == PointColour.NATURE else "card"
    return {
        "boundaries": reverse("maps:boundaries") + f"?v={boundary_set.pk}"
        if boundary_set is not None and boundaries
        else "",
        "areas": areas(result, boundaries, figure),
        "figure": {"label": str(MapFigure(figure).label), "rate": rate, "better": better},
        # [longitude, latitude, project id, name, colour key]: compact, for thousands.
        "points": [[p["longitude"], p["latitude"], p["id"], p["name"], p[key]] for p in points],
        "legend": legend(colour_by),
        "project_url": reverse("projects:detail", args=[0]),
        "labels": {
            "projects": _("projects"),
            "zoom": _("Click to zoom in"),
            "open": _("Click to open the project"),
            "library": _("Click to open its projects in the library"),
        },
    }


def point_counts(points: list[dict[str, Any]], colour_by: str) -> list[dict[str, Any]]:
    """The legend under the map: each colour with how many points have it."""
    key = "nature" if colour_by == PointColour.NATURE else "card"
    counts: dict[str, int] = {}
    for point in points:
        counts[point[key]] = counts.get(point[key], 0) + 1
    return [
        {
            "key": name,
            "label": item["label"],
            "colour": item["colour"],
            "count": counts.get(name, 0),
        }
        for name, item in legend(colour_by).items()
    ]
