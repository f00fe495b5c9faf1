"""Who may do what with supervision notices, and who opens which of their pages. The pages,
the menu and the services ask these same checks. (Meetings keep theirs in
`meetings/permissions.py`, field rounds in `rounds/permissions.py`.)"""

from collections.abc import Iterable

from tiaodu.core.roles import Role
from tiaodu.core.scoping import Someone, covers, dispatcher_paths, grant_paths, holds
from tiaodu.projects.models import Project
from tiaodu.supervision.notices import workflow
from tiaodu.supervision.notices.models import Notice


def covers_projects(actor: Someone, projects: Iterable[Project]) -> bool:
    """A dispatcher whose region holds every one of the projects."""
    paths = dispatcher_paths(actor)
    return bool(paths) and all(covers(paths, project.region.path) for project in projects)


def may_issue(actor: Someone, notice: Notice) -> bool:
    """The issuing side of a notice: a dispatcher over all of its projects."""
    return covers_projects(actor, notice.projects.select_related("region"))


def may_respond(actor: Someone, notice: Notice) -> bool:
    """A department handler or a reporter whose unit is (or holds) the recipient unit."""
    paths = grant_paths(actor, Role.DEPARTMENT_HANDLER, Role.REPORTER)
    return covers(paths, notice.recipient_unit.path)


def relations(actor: Someone, notice: Notice) -> frozenset[str]:
    """The actor's parts in the notice's workflow: issuer, recipient, both or none."""
    found = set()
    if may_issue(actor, notice):
        found.add(workflow.ISSUER)
    if may_respond(actor, notice):
        found.add(workflow.RECIPIENT)
    return frozenset(found)


def may_issue_notice(actor: Someone) -> bool:
    """A dispatcher issues notices about the projects of its regions (签发督办)."""
    return bool(dispatcher_paths(actor))


def oversees_notices(actor: Someone) -> bool:
    """Dispatchers and leaders follow the notices of their scope (督办通知 in the menu)."""
    return holds(actor, Role.DISPATCHER, Role.LEADER)


def answers_notices(actor: Someone) -> bool:
    """Department handlers and reporters answer the notices addressed to their unit."""
    return holds(actor, Role.DEPARTMENT_HANDLER, Role.REPORTER)
