"""Who may do what in a field round. The pages ask these to choose their buttons; the
services ask them again before writing."""

from typing import Any

from tiaodu.core.roles import Role
from tiaodu.problems.permissions import project_relations
from tiaodu.problems.workflow import DISPATCHER
from tiaodu.projects.models import Project
from tiaodu.supervision.rounds.models import FieldRound, RoundGroup


def dispatcher_paths(actor: Any) -> list[str]:
    """The region paths of the actor's dispatcher grants."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return []
    return [g.unit_path for g in actor.scope_grants() if g.role == Role.DISPATCHER and g.unit_path]


def covers_path(actor: Any, path: str) -> bool:
    """A dispatcher whose region holds the org unit of this path."""
    return any(path.startswith(mine) for mine in dispatcher_paths(actor))


def manages_round(actor: Any, field_round: FieldRound) -> bool:
    """The organising side: a dispatcher whose region holds the round's region. It plans the
    round, forms the groups, assigns the projects and moves the round along."""
    return covers_path(actor, field_round.region.path)


def is_member(actor: Any, group: RoundGroup) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return group.members.filter(user=actor).exists()


def may_record_visit(actor: Any, group: RoundGroup, project: Project) -> bool:
    """A member of the group, or a dispatcher whose region holds the project."""
    return covers_path(actor, project.region.path) or is_member(actor, group)


def may_raise_finding(actor: Any, project: Project) -> bool:
    """A dispatcher of the project's region puts a finding on the problem ledger."""
    return DISPATCHER in project_relations(actor, project)
