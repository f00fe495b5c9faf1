"""Who may do what in a field round. The pages ask these to choose their buttons; the
services ask them again before writing."""

from tiaodu.core.roles import Role
from tiaodu.core.scoping import Someone, covers, dispatcher_paths, holds
from tiaodu.problems.permissions import project_relations
from tiaodu.problems.workflow import DISPATCHER
from tiaodu.projects.models import Project
from tiaodu.supervision.rounds import workflow
from tiaodu.supervision.rounds.models import FieldRound, RoundGroup


def covers_path(actor: Someone, path: str) -> bool:
    """A dispatcher whose region holds the org unit of this path."""
    return covers(dispatcher_paths(actor), path)


def oversees_rounds(actor: Someone) -> bool:
    """Dispatchers and leaders follow the field rounds of their regions from the menu; a
    group's members reach their rounds from the home panel."""
    return holds(actor, Role.DISPATCHER, Role.LEADER)


def manages_round(actor: Someone, field_round: FieldRound) -> bool:
    """The organising side: a dispatcher whose region holds the round's region. It plans the
    round, forms the groups, assigns the projects and moves the round along."""
    return covers_path(actor, field_round.region.path)


def round_relations(actor: Someone, field_round: FieldRound) -> frozenset[str]:
    """The actor's part in the round's workflow: the organiser, or none."""
    if manages_round(actor, field_round):
        return frozenset({workflow.ORGANISER})
    return frozenset()


def is_member(actor: Someone, group: RoundGroup) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return group.members.filter(user=actor.pk).exists()


def may_record_visit(actor: Someone, group: RoundGroup, project: Project) -> bool:
    """A member of the group, or a dispatcher whose region holds the project."""
    return covers_path(actor, project.region.path) or is_member(actor, group)


def may_raise_finding(actor: Someone, project: Project) -> bool:
    """A dispatcher of the project's region puts a finding on the problem ledger."""
    return DISPATCHER in project_relations(actor, project)
