"""Who may do what in the dispatch rounds: an actor's relations to a project in the report
workflow (`workflow.py` names them) and who opens which page. The pages, the menu and the
services ask these same checks."""

from tiaodu.accounts.models import OrgUnit
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Someone, covers, dispatcher_paths, holds
from tiaodu.projects.models import Project
from tiaodu.projects.permissions import relations_to_project
from tiaodu.reporting import workflow


def _depth(path: str) -> int:
    """0 for the top region ('/1/'), 1 for its children, …"""
    return path.strip("/").count("/")


def relations(actor: Someone, project: Project) -> frozenset[str]:
    """Which parts of the workflow the actor plays for this project (empty: none): the owner
    unit's reporter and the service officer report, a dispatcher of the project's region
    reviews (the city's at the top region, a district's below it)."""
    found: set[str] = set()
    related = relations_to_project(actor, project)
    if related.reporter or related.service_officer:
        found.add(workflow.REPORTER)
    for path in related.dispatching:
        found.add(workflow.CITY_REVIEWER if _depth(path) == 0 else workflow.DISTRICT_REVIEWER)
    return frozenset(found)


def is_reviewer(actor: Someone) -> bool:
    """A dispatcher reviews the reports of its region (the review queue)."""
    return bool(dispatcher_paths(actor))


def reports_due(actor: Someone) -> bool:
    """Reporters and service officers write reports: the 我的待报 page is theirs."""
    return holds(actor, Role.REPORTER, Role.SERVICE_OFFICER)


def reads_board(actor: Someone) -> bool:
    """Dispatchers and leaders read the completeness board, each in their own scope."""
    return holds(actor, Role.DISPATCHER, Role.LEADER)


def manages_dispatch_settings(actor: Someone) -> bool:
    """A dispatcher opens the dispatch settings (lock exceptions for its region)."""
    return bool(dispatcher_paths(actor))


def may_set_cycles(actor: Someone) -> bool:
    """The city's dispatcher (of the top region) sets the cycle rules of the whole site."""
    top = OrgUnit.objects.regions().filter(parent=None).first()
    return top is not None and top.path in dispatcher_paths(actor)


def may_grant_lock_exception(actor: Someone, owner_unit: OrgUnit) -> bool:
    """A dispatcher whose region holds the owner unit lets it report for a locked period."""
    return covers(dispatcher_paths(actor), owner_unit.path)


def may_urge(actor: Someone) -> bool:
    """A dispatcher urges (催报) the reporters of the units missing in its board; which
    units it reaches is the scope of its board (`reporting.urging`)."""
    return bool(dispatcher_paths(actor))
