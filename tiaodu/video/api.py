"""The site cameras over the API, for the city's smart-governance centre: the cameras and
the projects that have them with their figures, scoped like the projects (the same
selectors as the pages; a camera or project outside the caller's scope is a 404)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from tiaodu.core import clock
from tiaodu.core.api_support import CursorPages
from tiaodu.projects.selectors import project_for
from tiaodu.video import selectors
from tiaodu.video.figures import ProjectFigures, figures_of
from tiaodu.video.models import Camera

router = Router(tags=["cameras"])


class CameraOut(Schema):
    id: int
    project_id: int
    project_code: str | None
    project: str
    name: str
    description: str
    # "hls": a playlist (.m3u8) to play; "link": the camera's page on its vendor's platform.
    kind: str
    stream_url: str

    @staticmethod
    def resolve_project_code(obj: Camera) -> str | None:
        return obj.project.code

    @staticmethod
    def resolve_project(obj: Camera) -> str:
        return obj.project.name

    @staticmethod
    def resolve_kind(obj: Camera) -> str:
        return "hls" if obj.is_hls else "link"


class ProjectCamerasOut(Schema):
    """A project with cameras, its figures of the year as of the day and its cameras."""

    id: int
    code: str | None
    name: str
    region_code: str | None
    region: str
    as_of: dt.date
    annual_plan: Decimal | None = Field(description="万元")
    ytd_completed: Decimal | None = Field(description="万元")
    completion_rate: Decimal | None = Field(description="% of the year's plan done")
    time_progress: Decimal
    lagging: bool
    card: str | None = Field(description="blue, yellow or red: the latest card up to the day")
    card_month: dt.date | None
    open_problems: int
    cameras: list[CameraOut]


def _project_out(figures: ProjectFigures, cameras: list[Camera], as_of: dt.date) -> dict[str, Any]:
    """A project's answer (the response schema reads the cameras as it reads any camera)."""
    project = figures.project
    return {
        "id": project.pk,
        "code": project.code,
        "name": project.name,
        "region_code": project.region.region_code,
        "region": project.region.name,
        "as_of": as_of,
        "annual_plan": figures.annual_plan,
        "ytd_completed": figures.ytd_completed,
        "completion_rate": figures.completion_rate,
        "time_progress": figures.time_progress,
        "lagging": figures.lagging,
        "card": figures.card or None,
        "card_month": figures.card_month,
        "open_problems": figures.open_problems,
        "cameras": cameras,
    }


class ProjectPages(CursorPages):
    """Cursor pages of the projects with cameras, each answered with its figures of the year
    as of today and its cameras (computed for the page's projects only)."""

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: Any, **params: Any
    ) -> dict[str, Any]:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        projects = page["items"]
        as_of = clock.today()
        figures = figures_of(request.user, projects, as_of)
        cameras = selectors.cameras_by_project(project.pk for project in projects)
        items = [
            _project_out(figures[project.pk], cameras.get(project.pk, []), as_of)
            for project in projects
        ]
        return page | {"items": items}


@router.get("/", response=list[CameraOut])
@paginate(CursorPages)
def list_cameras(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The cameras of the projects the caller may see, by project and name."""
    return selectors.cameras_visible_to(request.user).order_by("project_id", "name", "pk")


@router.get("/projects", response=list[ProjectCamerasOut])
@paginate(ProjectPages)
def list_projects(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The projects the caller may see that have cameras, each with its figures of the year
    as of today and its cameras (by region and name)."""
    return selectors.projects_with_cameras(request.user)


@router.get("/projects/{project_id}", response=ProjectCamerasOut)
def get_project(request: HttpRequest, project_id: int):  # type: ignore[no-untyped-def]
    """One project's figures and cameras; 404 when it is outside the caller's scope."""
    project = project_for(request.user, project_id)
    as_of = clock.today()
    figures = figures_of(request.user, [project], as_of)
    return _project_out(figures[project.pk], selectors.project_cameras(project), as_of)


@router.get("/{camera_id}", response=CameraOut)
def get_camera(request: HttpRequest, camera_id: int):  # type: ignore[no-untyped-def]
    """One camera; 404 when its project is outside the caller's scope."""
    return selectors.camera_for(request.user, camera_id)
