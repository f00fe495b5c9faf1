"""The project's point on the map, on the project page's overview (registered in
`MapsConfig.ready` through `core.page_sections`), in place of raw coordinates."""

from typing import Any

from django.urls import reverse

from tiaodu.core.page_sections import PageSection, register_section
from tiaodu.core.scoping import Someone
from tiaodu.maps import selectors
from tiaodu.projects.models import Project

PAGE = "projects.project"


def point_context(actor: Someone, project: Project) -> dict[str, Any] | None:
    """The point and the outlines of the reader's map; nothing for a project without
    coordinates."""
    if project.longitude is None or project.latitude is None:
        return None
    boundary_set = selectors.boundary_set()
    return {
        "map_data": {
            "mode": "project",
            "boundaries": reverse("maps:boundaries") + f"?v={boundary_set.pk}"
            if boundary_set is not None
            else "",
            "point": [float(project.longitude), float(project.latitude)],
            "name": project.name,
            "region": project.region.name,
        },
        "longitude": project.longitude,
        "latitude": project.latitude,
        "boundary_set": boundary_set,
    }


def register() -> None:
    register_section(
        PageSection(
            page=PAGE,
            name="map",
            template="maps/_project_point.html",
            context=point_context,
        )
    )
