"""Scoped reads of site cameras and of the projects the video wall shows. A camera is seen
by whoever sees its project (`projects.selectors.projects_visible_to`: the same reach as
the project page and the API); one outside the reader's scope answers 404."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from tiaodu.core.scoping import Someone
from tiaodu.projects import lists
from tiaodu.projects.models import KeyProjectList, Project
from tiaodu.projects.selectors import projects_visible_to
from tiaodu.supervision.meetings.models import Meeting
from tiaodu.video.figures import annotated_plans, lagging_or_red
from tiaodu.video.models import Camera

# The most tiles a wall shows at once: beyond this a dispatch meeting cannot follow them.
WALL_SIZE = 12


def cameras_visible_to(actor: Someone) -> QuerySet[Camera]:
    """The cameras of the projects the reader may see."""
    return Camera.objects.filter(
        project__in=projects_visible_to(actor).values("pk")
    ).select_related("project", "project__region")


def camera_for(actor: Someone, pk: int) -> Camera:
    """One camera the reader may see; 404 otherwise."""
    return get_object_or_404(cameras_visible_to(actor), pk=pk)


def project_cameras(project: Project) -> list[Camera]:
    """A project's cameras (the caller has read the project through its scoping)."""
    return list(project.cameras.order_by("name", "pk"))


def cameras_by_project(project_ids: Iterable[int]) -> dict[int, list[Camera]]:
    found: dict[int, list[Camera]] = {}
    for camera in Camera.objects.filter(project_id__in=list(project_ids)).order_by("name", "pk"):
        found.setdefault(camera.project_id, []).append(camera)
    return found


def projects_with_cameras(actor: Someone) -> QuerySet[Project]:
    """The reader's projects that have a camera, by region and name."""
    return (
        projects_visible_to(actor)
        .filter(Exists(Camera.objects.filter(project=OuterRef("pk"))))
        .select_related("region")
        .order_by("region__path", "name", "pk")
    )


def list_projects(actor: Someone, key_list: KeyProjectList, day: dt.date) -> QuerySet[Project]:
    """The reader's projects on a key-project list on the day."""
    plan_ids = lists.plan_ids_on(lists.day_within(key_list.year, day), [key_list.pk])
    return projects_visible_to(actor).filter(plans__pk__in=plan_ids).distinct()


def roll_call_projects(actor: Someone, meeting: Meeting, as_of: dt.date) -> list[Project]:
    """The projects a meeting calls in turn: those under its convening unit (its region,
    or the department responsible for them) that the reader may see and whose plan entry of
    the year lags time progress or has a red latest card; red first, then by region and
    name."""
    path = meeting.convening_unit.path
    plans = (
        annotated_plans(actor, as_of)
        .filter(
            Q(project__region__path__startswith=path)
            | Q(project__responsible_unit__path__startswith=path)
        )
        .filter(lagging_or_red())
        .select_related("project", "project__region")
    )
    ordered = sorted(
        plans,
        key=lambda plan: (
            plan.card != "red",  # type: ignore[attr-defined]
            plan.project.region.path,
            plan.project.name,
            plan.project_id,
        ),
    )
    return [plan.project for plan in ordered]


def meeting_projects(actor: Someone, meeting: Meeting, as_of: dt.date) -> list[Project]:
    """A meeting's projects: those it calls in turn, then those of its agenda problems."""
    called = roll_call_projects(actor, meeting, as_of)
    seen = {project.pk for project in called}
    agenda = (
        projects_visible_to(actor)
        .filter(problems__meetings=meeting)
        .exclude(pk__in=seen)
        .select_related("region")
        .distinct()
        .order_by("region__path", "name", "pk")
    )
    return called + list(agenda)
