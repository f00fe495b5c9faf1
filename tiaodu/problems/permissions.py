"""Who may do what on the problem ledger: an actor's relations to a problem in its workflow
(`workflow.py` names them) and who opens which page. The pages, the menu and the services
ask these same checks."""

from tiaodu.accounts.models import OrgUnit
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Someone, covers, grant_paths, holds
from tiaodu.problems import workflow
from tiaodu.problems.models import Problem
from tiaodu.projects.models import Project
from tiaodu.projects.permissions import relations_to_project


def project_relations(actor: Someone, project: Project) -> frozenset[str]:
    """The dispatcher (of the project's region) and owner (reporter of its owner unit)."""
    related = relations_to_project(actor, project)
    found: set[str] = set()
    if related.dispatcher:
        found.add(workflow.DISPATCHER)
    if related.reporter:
        found.add(workflow.OWNER)
    return frozenset(found)


def is_service_officer(actor: Someone, project: Project) -> bool:
    return relations_to_project(actor, project).service_officer


def relations(actor: Someone, problem: Problem) -> frozenset[str]:
    """Which parts of the problem workflow the actor plays (empty: none)."""
    if actor is None or not actor.is_authenticated:
        return frozenset()
    found = set(project_relations(actor, problem.project))
    if problem.raised_by_id == actor.pk:
        found.add(workflow.OWNER)
    department = problem.assigned_department
    if department is not None and handles_department(actor, department):
        found.add(workflow.HANDLER)
    return frozenset(found)


def handles_department(actor: Someone, department: OrgUnit) -> bool:
    """Whether `actor` is a department handler of `department` (or of a unit above it)."""
    return covers(handler_paths(actor), department.path)


def may_raise(actor: Someone, project: Project) -> bool:
    """Whether the actor may raise problems of the project (`services.raise_problem` asks
    the same): a dispatcher of its region, a reporter of its owner unit, its service officer."""
    related = relations_to_project(actor, project)
    return related.dispatcher or related.reporter or related.service_officer


def uses_direct_channel(actor: Someone, project: Project) -> bool:
    """Whether the actor may raise the project's problems by the direct channel (the owner)."""
    return workflow.OWNER in project_relations(actor, project)


def handler_paths(actor: Someone) -> list[str]:
    """The tree paths of the departments the actor handles problems for."""
    return grant_paths(actor, Role.DEPARTMENT_HANDLER)


def reads_ledger(actor: Someone) -> bool:
    """Dispatchers and leaders read the ledger, the department table and the blockers."""
    return holds(actor, Role.DISPATCHER, Role.LEADER)


def handles_problems(actor: Someone) -> bool:
    """A department handler has an inbox (待办问题)."""
    return bool(handler_paths(actor))


def opens_direct_channel(actor: Someone) -> bool:
    """Reporters raise problems of their owner units' projects by the direct channel."""
    return holds(actor, Role.REPORTER)
