"""The task forces' list (专班), shown and exported from one definition (core.listing).

The project library and the ledger export in the standard ledger layout (docs/ledger.md).
"""

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext_lazy

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core.listing import Column, Found, Kind, Listing, Table, register
from tiaodu.projects import selectors
from tiaodu.projects.models import Project, TaskForce
from tiaodu.projects.permissions import can_create_project


def task_forces_source(request: SignedInRequest) -> Found:
    """The task forces serving a project the reader sees, each naming only the projects
    the reader sees (`seen_projects`)."""
    if not can_create_project(request.user):
        raise Http404
    visible = selectors.projects_visible_to(request.user).values("pk")
    seen = Project.objects.filter(pk__in=visible).order_by("name")
    rows = selectors.task_forces_visible_to(request.user).prefetch_related(
        Prefetch("projects", queryset=seen, to_attr="seen_projects")
    )
    return Found(list(rows.order_by("name", "pk")), list)


def _person(person: object) -> str:
    return str(person) if person else ""


TASK_FORCES = register(
    Listing(
        key="projects.taskforces",
        page="projects:taskforces",
        export="projects:taskforces_export",
        name=gettext_lazy("Task forces"),
        fallback="task-forces",
        tables=(
            Table(
                "task_forces",
                (
                    Column[TaskForce](
                        gettext_lazy("Task force"),
                        lambda t: t.name,
                        width=28,
                        link=lambda t: t.get_absolute_url(),
                        css="td-name fw-bold",
                    ),
                    Column(gettext_lazy("Task force head"), lambda t: _person(t.head)),
                    Column(
                        gettext_lazy("Responsible person"), lambda t: _person(t.responsible_person)
                    ),
                    Column(
                        gettext_lazy("Projects it serves"),
                        lambda t: [project.name for project in t.seen_projects],
                        width=48,
                    ),
                    Column(
                        gettext_lazy("Number of members"),
                        lambda t: len(t.members.all()),
                        Kind.COUNT,
                    ),
                ),
            ),
        ),
        source=task_forces_source,
    )
)
