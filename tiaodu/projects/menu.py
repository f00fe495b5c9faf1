"""The project library's menu items (registered in `ProjectsConfig.ready`)."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.capabilities import register_action
from tiaodu.accounts.navigation import MAINTENANCE, register_item
from tiaodu.accounts.orgtree import register_unit_count
from tiaodu.core import listing as lists
from tiaodu.projects import listings  # noqa: F401 (registers the lists)
from tiaodu.projects.models import Project
from tiaodu.projects.permissions import (
    can_create_project,
    can_edit_project,
    can_import_ledger,
    project_at,
    reads_business_data,
)


def register() -> None:
    register_item(
        "projects.library", _("Project library"), "projects:list",
        icon="building-skyscraper", order=20, visible=reads_business_data,
    )  # fmt: skip
    register_item(
        "projects.create", _("New project"), "projects:create", MAINTENANCE,
        icon="circle-plus", order=800, visible=can_create_project,
    )  # fmt: skip
    register_item(
        "projects.import", _("Import the ledger"), "projects:import", MAINTENANCE,
        icon="file-import", order=810, visible=can_import_ledger,
    )  # fmt: skip
    register_item(
        "projects.taskforces", _("Task forces"), "projects:taskforces", MAINTENANCE,
        icon="users", order=820, visible=can_create_project,
    )  # fmt: skip
    lists.own_export("projects:list", "projects:export")
    lists.not_a_list("projects:create", _("a form"))
    lists.not_a_list("projects:import", _("the ledger import"))
    register_actions()


def _projects_tally(parent_path: str) -> list[tuple[tuple[str | None, ...], int]]:
    """Projects by the paths of their region, owner unit and responsible unit, under a path."""
    rows = (
        Project.objects.filter(
            Q(region__path__startswith=parent_path)
            | Q(owner_unit__path__startswith=parent_path)
            | Q(responsible_unit__path__startswith=parent_path)
        )
        .values_list("region__path", "owner_unit__path", "responsible_unit__path")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [((region, owner, responsible), n) for region, owner, responsible, n in rows]


def register_actions() -> None:
    """The library's actions in the role–page matrix, and its projects in the org tree."""
    section = _("Project library")
    register_unit_count("projects", _("Projects"), _projects_tally, order=10)
    register_action(
        "projects.create", _("Create a project"), section=section, order=100,
        check=lambda actor, _place: can_create_project(actor),
    )  # fmt: skip
    register_action(
        "projects.edit", _("Edit a project"), section=section, order=110,
        check=lambda actor, place: can_edit_project(actor, project_at(place)),
    )  # fmt: skip
    register_action(
        "projects.import", _("Import the ledger"), section=section, order=120,
        check=lambda actor, _place: can_import_ledger(actor),
    )  # fmt: skip
