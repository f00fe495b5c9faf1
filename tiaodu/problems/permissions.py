"""An actor's relations to a problem in its workflow (`workflow.py` names them)."""

from typing import Any

from tiaodu.core.roles import Role
from tiaodu.problems import workflow
from tiaodu.problems.models import Problem
from tiaodu.projects.models import Project


def project_relations(actor: Any, project: Project) -> frozenset[str]:
    """The dispatcher (of the project's region) and owner (reporter of its owner unit)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return frozenset()
    found: set[str] = set()
    region_path = project.region.path
    owner_path = project.owner_unit.path if project.owner_unit is not None else None
    for grant in actor.scope_grants():
        if not grant.unit_path:
            continue
        if grant.role == Role.DISPATCHER and region_path.startswith(grant.unit_path):
            found.add(workflow.DISPATCHER)
        elif grant.role == Role.REPORTER and owner_path and owner_path.startswith(grant.unit_path):
            found.add(workflow.OWNER)
    return frozenset(found)


def is_service_officer(actor: Any, project: Project) -> bool:
    officer = project.service_officer
    return officer is not None and officer.user_id is not None and officer.user_id == actor.pk


def relations(actor: Any, problem: Problem) -> frozenset[str]:
    """Which parts of the problem workflow the actor plays (empty: none)."""
    found = set(project_relations(actor, problem.project))
    if not getattr(actor, "is_authenticated", False):
        return frozenset()
    if problem.raised_by_id == actor.pk:
        found.add(workflow.OWNER)
    department = problem.assigned_department
    if department is not None:
        for grant in actor.scope_grants():
            if (
                grant.role == Role.DEPARTMENT_HANDLER
                and grant.unit_path
                and department.path.startswith(grant.unit_path)
            ):
                found.add(workflow.HANDLER)
    return frozenset(found)


def handles_department(user: Any, department: Any) -> bool:
    """Whether `user` is a department handler of `department` (or of a unit above it)."""
    return any(
        grant.role == Role.DEPARTMENT_HANDLER
        and grant.unit_path
        and department.path.startswith(grant.unit_path)
        for grant in user.scope_grants()
    )


def may_raise(actor: Any, project: Project) -> bool:
    """Whether the actor may raise problems of the project (`services.raise_problem` asks
    the same): a dispatcher of its region, a reporter of its owner unit, its service officer."""
    if not getattr(actor, "is_authenticated", False):
        return False
    return bool(project_relations(actor, project)) or is_service_officer(actor, project)


def uses_direct_channel(actor: Any, project: Project) -> bool:
    """Whether the actor may raise the project's problems by the direct channel (the owner)."""
    return workflow.OWNER in project_relations(actor, project)


def handler_paths(actor: Any) -> list[str]:
    """The tree paths of the departments the actor handles problems for."""
    if not getattr(actor, "is_authenticated", False):
        return []
    return [
        grant.unit_path
        for grant in actor.scope_grants()
        if grant.role == Role.DEPARTMENT_HANDLER and grant.unit_path
    ]
