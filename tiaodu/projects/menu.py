"""The project library's menu items (registered in `ProjectsConfig.ready`)."""

from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.navigation import MAINTENANCE, register_item
from tiaodu.core import listing as lists
from tiaodu.projects import listings  # noqa: F401 (registers the lists)
from tiaodu.projects.permissions import (
    can_create_project,
    can_import_ledger,
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
