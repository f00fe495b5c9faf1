"""What the video wall and the roll call show of a project: its figures, its cameras (the
streams the page plays and the platform links it opens in a tab), and for the roll call
its open problems and the photos of its latest approved report."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from tiaodu.core.bounds import query_id
from tiaodu.core.media.choices import FileKind
from tiaodu.core.scoping import Someone
from tiaodu.problems.choices import LEVEL_ORDER, OPEN_STATUSES
from tiaodu.problems.models import Problem
from tiaodu.problems.selectors import problems_visible_to
from tiaodu.projects.models import KeyProjectList, Project
from tiaodu.projects.selectors import key_project_lists, projects_visible_to
from tiaodu.reporting.choices import ReportStatus
from tiaodu.reporting.models import ReportFile
from tiaodu.reporting.selectors import reports_visible_to
from tiaodu.supervision.meetings.models import Meeting
from tiaodu.supervision.meetings.selectors import meeting_for
from tiaodu.video import selectors
from tiaodu.video.figures import ProjectFigures, figures_of
from tiaodu.video.models import Camera

PHOTOS_SHOWN = 6


@dataclass
class Tile:
    """One project on the wall: its figures and its cameras."""

    figures: ProjectFigures
    streams: list[Camera] = field(default_factory=list)
    links: list[Camera] = field(default_factory=list)

    @property
    def project(self) -> Project:
        return self.figures.project


@dataclass
class Selection:
    """The projects the wall shows and how they were chosen."""

    projects: list[Project]
    meeting: Meeting | None = None
    key_list: KeyProjectList | None = None
    picked: list[int] = field(default_factory=list)


def choose(request: HttpRequest, actor: Someone, as_of: dt.date) -> Selection:
    """The wall's projects from the query: a meeting's (`meeting`), a key-project list's
    (`list`), a picked set (`project`, repeated), else the reader's projects with cameras.
    A meeting or a list outside the reader's scope answers 404."""
    if request.GET.get("meeting"):
        meeting = meeting_for(actor, query_id(request.GET["meeting"]))
        return Selection(selectors.meeting_projects(actor, meeting, as_of), meeting=meeting)
    if request.GET.get("list"):
        key_list = get_object_or_404(key_project_lists(), pk=query_id(request.GET["list"]))
        projects = selectors.list_projects(actor, key_list, as_of).select_related("region")
        return Selection(list(projects.order_by("region__path", "name", "pk")), key_list=key_list)
    picked = [query_id(value) for value in request.GET.getlist("project") if value]
    if picked:
        projects = (
            projects_visible_to(actor)
            .filter(pk__in=picked)
            .select_related("region")
            .order_by("region__path", "name", "pk")
        )
        return Selection(list(projects), picked=picked)
    return Selection(list(selectors.projects_with_cameras(actor)))


def tiles(actor: Someone, projects: list[Project], as_of: dt.date) -> list[Tile]:
    """A tile per project, in the order given."""
    figures = figures_of(actor, projects, as_of)
    cameras = selectors.cameras_by_project(project.pk for project in projects)
    found = []
    for project in projects:
        own = cameras.get(project.pk, [])
        found.append(
            Tile(
                figures=figures[project.pk],
                streams=[camera for camera in own if camera.is_hls],
                links=[camera for camera in own if not camera.is_hls],
            )
        )
    return found


def open_problems(actor: Someone, project: Project) -> QuerySet[Problem]:
    """The project's open problems the reader may open, the highest level first."""
    problems = list(
        problems_visible_to(actor)
        .filter(project=project, status__in=OPEN_STATUSES)
        .select_related("assigned_department")
        .order_by("deadline", "pk")
    )
    problems.sort(key=lambda problem: -LEVEL_ORDER.index(problem.level))
    return problems  # type: ignore[return-value]


def latest_photos(actor: Someone, project: Project) -> dict[str, Any] | None:
    """The photos of the project's latest approved report the reader may see, with the
    report's period; None when there is no such report."""
    report = (
        reports_visible_to(actor)
        .filter(project=project, status=ReportStatus.APPROVED)
        .select_related("period")
        .order_by("-period__end", "-amendment", "-pk")
        .first()
    )
    if report is None:
        return None
    photos = list(
        ReportFile.objects.filter(report=report, kind=FileKind.PHOTO).order_by("created_at", "pk")[
            :PHOTOS_SHOWN
        ]
    )
    return {"report": report, "photos": photos}
