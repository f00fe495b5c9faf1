"""The project library's panels on the home page (registered in ProjectsConfig.ready): the
largest projects and the latest changes, for those who work on them (a leader's home is the
dashboard)."""

from typing import Any

from django.db.models import Exists, OuterRef

from tiaodu.core.home import HomePanel, register_panel
from tiaodu.core.models import AuditEvent
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Actor
from tiaodu.projects.models import AnnualPlan, Project
from tiaodu.projects.permissions import can_create_project
from tiaodu.projects.selectors import (
    default_year,
    plans_visible_to,
    project_history_for,
    projects_visible_to,
)


def _project_key(event: AuditEvent) -> int | None:
    """The project an event belongs to: its object, or a plan entry's or procedure's parent."""
    key = event.object_id if event.object_type == "projects.project" else event.parent_id
    return int(key) if key else None


def _with_projects(events: list[AuditEvent]) -> list[tuple[AuditEvent, Project | None]]:
    """Each change with its project, read in one query."""
    projects = Project.objects.in_bulk({key for e in events if (key := _project_key(e))})
    return [(event, projects.get(_project_key(event) or 0)) for event in events]


def largest_plans(user: Actor, year: int, count: int = 8) -> list[AnnualPlan]:
    """The user's `count` plan entries of the year with the largest projects. The projects
    are walked down their investment's index until `count` have an entry of the year
    (sorting every entry of the year first took 0.2–0.6 s at 100,000 projects on SQLite),
    then their entries read."""
    of_year = AnnualPlan.objects.filter(project=OuterRef("pk"), year=year)
    top = (
        projects_visible_to(user)
        .filter(Exists(of_year))
        .order_by("-total_investment", "id")
        .values_list("pk", flat=True)[:count]
    )
    return list(
        plans_visible_to(user)
        .filter(year=year, project_id__in=list(top))
        .order_by("-project__total_investment", "project_id")
    )


def overview_context(user: Actor) -> dict[str, Any]:
    """The user's largest plan entries of the year and the latest changes to its projects
    (the figures are the statistics' headline panel, `analytics.home`)."""
    year = default_year(user)
    largest = largest_plans(user, year)
    return {
        "year": year,
        "largest": largest,
        "recent": _with_projects(list(project_history_for(user).select_related("actor")[:8])),
        "can_create": can_create_project(user),
    }


def register() -> None:
    register_panel(
        HomePanel(
            name="projects.overview",
            template="projects/_home_overview.html",
            roles=frozenset(
                {
                    Role.DISPATCHER,
                    Role.DEPARTMENT_HANDLER,
                    Role.SERVICE_OFFICER,
                    Role.REPORTER,
                }
            ),
            context=overview_context,
            order=10,
        )
    )
