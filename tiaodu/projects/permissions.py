"""Who may change what in the project library (reads are scoped by `core.scoping`)."""

from typing import Any

from tiaodu.accounts.models import OrgUnit
from tiaodu.core.roles import BUSINESS_ROLES, Role
from tiaodu.projects.models import Project


def dispatcher_paths(actor: Any) -> list[str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return []
    return [g.unit_path for g in actor.scope_grants() if g.role == Role.DISPATCHER and g.unit_path]


def can_manage_region(actor: Any, region: OrgUnit) -> bool:
    """A dispatcher manages the projects of its region subtree."""
    return any(region.path.startswith(path) for path in dispatcher_paths(actor))


def can_edit_project(actor: Any, project: Project) -> bool:
    return can_manage_region(actor, project.region)


def can_create_project(actor: Any) -> bool:
    return bool(dispatcher_paths(actor))


def reads_business_data(actor: Any) -> bool:
    """Administrators and the auditor read no business data (DOMAIN.md §2)."""
    return bool(getattr(actor, "is_authenticated", False) and actor.roles & BUSINESS_ROLES)
