"""The 专班 tab of the project page (registered in ProjectsConfig.ready): the task forces
serving the project, with their head, responsible person, members and duties."""

from typing import Any

from django.utils.translation import gettext_lazy

from tiaodu.core.scoping import Someone
from tiaodu.projects import selectors
from tiaodu.projects.detail_tabs import ProjectTab, register_tab
from tiaodu.projects.models import Project
from tiaodu.projects.permissions import can_edit_project


def task_force_context(actor: Someone, project: Project) -> dict[str, Any]:
    return {
        "task_forces": list(selectors.project_task_forces(project)),
        "can_add_task_force": can_edit_project(actor, project),
    }


def register() -> None:
    register_tab(
        ProjectTab(
            key="taskforce",
            label=gettext_lazy("Task force"),
            template="projects/_project_taskforce.html",
            context=task_force_context,
            order=105,
        )
    )
