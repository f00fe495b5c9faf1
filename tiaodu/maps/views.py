"""The map page and the outlines it draws (docs/map.md)."""

import datetime as dt
import json
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.analytics.figures import card_month, compute, default_as_of, resolve_scope
from tiaodu.maps import layers, selectors
from tiaodu.maps.choices import MapFigure, PointColour
from tiaodu.maps.forms import MapForm
from tiaodu.maps.permissions import reads_map
from tiaodu.projects import selectors as project_selectors
from tiaodu.projects.permissions import reads_business_data


@login_required
@require_GET
def map_page(request: SignedInRequest) -> HttpResponse:
    """The districts of the reader's scope shaded by a figure of the figure set, and the
    year's projects as points; every district and point a link."""
    actor = request.user
    if not reads_map(actor):
        raise Http404
    years = project_selectors.plan_years(actor)
    default_year = project_selectors.default_year(actor, years)
    years = years or [default_year]
    form = MapForm(request.GET or None, years=years)
    # A wrong field is said beside it and the map is drawn from the others.
    chosen: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()
        chosen = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    year = chosen.get("year") or default_year
    as_of = chosen.get("as_of") or default_as_of(year)
    figure = chosen.get("figure") or MapFigure.COMPLETION_RATE
    colour_by = chosen.get("colour") or PointColour.CARD
    if not form.is_bound:
        form = MapForm(
            initial={"year": year, "as_of": as_of, "figure": figure, "colour": colour_by},
            years=years,
        )
    scope = resolve_scope(actor=actor, year=year, as_of=as_of)
    result = compute(actor=actor, scope=scope)
    boundary_set = selectors.boundary_set()
    boundaries = selectors.areas_under(scope.region)
    points, unplaced = selectors.map_points(actor, scope)
    data = layers.page_data(
        result=result,
        boundaries=boundaries,
        boundary_set=boundary_set,
        points=points,
        figure=figure,
        colour_by=colour_by,
    )
    context = {
        "form": form,
        "scope": scope,
        "figure_label": MapFigure(figure).label,
        "map_data": data,
        "areas": data["areas"],
        "boundary_set": boundary_set if boundaries else None,
        "point_counts": layers.point_counts(points, colour_by),
        "placed": len(points),
        "unplaced": unplaced,
        "colour_label": PointColour(colour_by).label,
        "card_month": card_month(as_of),
    }
    # The chosen date's month has no cards yet: the link to the newest month that has.
    cards_of = selectors.latest_card_month(as_of)
    if cards_of is not None and (colour_by == PointColour.CARD or figure in layers.CARD_FIGURES):
        month_end = (cards_of + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
        query = {
            "year": month_end.year,
            "as_of": month_end.isoformat(),
            "figure": figure,
            "colour": colour_by,
        }
        context["cards_of"] = cards_of
        context["cards_link"] = f"?{urlencode(query)}"
    return render(request, "maps/map.html", context)


@login_required
@require_GET
def boundaries(request: SignedInRequest) -> HttpResponse:
    """The outlines of the reader's map as GeoJSON; the URL names the set in force, so the
    browser keeps a copy until another file is loaded."""
    if not reads_business_data(request.user):
        raise Http404
    body = json.dumps(
        selectors.feature_collection(selectors.areas_for(request.user)),
        ensure_ascii=False,
        separators=(",", ":"),
    )
    response = HttpResponse(body, content_type="application/geo+json; charset=utf-8")
    response["Cache-Control"] = "private, max-age=86400"
    return response
