"""An actor's relations to a project in the report workflow (`workflow.py` names them)."""

from typing import Any

from tiaodu.core.roles import Role
from tiaodu.projects.models import Project
from tiaodu.reporting import workflow


def _depth(path: str) -> int:
    """0 for the top region ('/1/'), 1 for its children, …"""
    return path.strip("/").count("/")


def relations(actor: Any, project: Project) -> frozenset[str]:
    """Which parts of the workflow the actor plays for this project (empty: none)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return frozenset()
    found: set[str] = set()
    region_path = project.region.path
    owner_path = project.owner_unit.path if project.owner_unit is not None else None
    for grant in actor.scope_grants():
        if grant.role == Role.REPORTER and owner_path and owner_path.startswith(grant.unit_path):
            found.add(workflow.REPORTER)
        elif (
            grant.role == Role.DISPATCHER
            and grant.unit_path
            and region_path.startswith(grant.unit_path)
        ):
            top = _depth(grant.unit_path) == 0
            found.add(workflow.CITY_REVIEWER if top else workflow.DISTRICT_REVIEWER)
    officer = project.service_officer
    if officer is not None and officer.user_id is not None and officer.user_id == actor.pk:
        found.add(workflow.REPORTER)
    return frozenset(found)


def is_reviewer(actor: Any) -> bool:
    return any(grant.role == Role.DISPATCHER and grant.unit_path for grant in actor.scope_grants())
