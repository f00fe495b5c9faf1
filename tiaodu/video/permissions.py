"""Who manages a project's cameras and who opens the video wall. The pages, the services,
the API and the menu ask these same checks."""

from tiaodu.core.roles import Role
from tiaodu.core.scoping import Someone, holds
from tiaodu.projects.models import Project
from tiaodu.projects.permissions import can_edit_project


def manages_cameras(actor: Someone, project: Project) -> bool:
    """Whoever may edit the project (its region's dispatcher) adds, changes and removes
    its cameras: the projects app's own check."""
    return can_edit_project(actor, project)


def reads_wall(actor: Someone) -> bool:
    """Dispatchers and leaders run and attend the dispatch meeting: they open the video wall,
    each over the projects of their own scope."""
    return holds(actor, Role.DISPATCHER, Role.LEADER)
