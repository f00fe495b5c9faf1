"""Who may do what with leaders' instructions, and who opens their pages. The pages, the
menu and the services ask these same checks.

- a leader writes on the objects he reaches (his region's subtree, or, assigned to projects
  only, those projects and their problems and notices: `SubjectKind.leads`), and closes or
  sends back what he wrote;
- the department handlers and reporters of the routed unit (or a unit above it) answer;
- the dispatchers of the instruction's region read it and follow it up;
- everyone else does not see it (404).
"""

from typing import Any

from tiaodu.core.roles import Role
from tiaodu.core.scoping import Someone, covers, dispatcher_paths, grant_paths, holds
from tiaodu.supervision.instructions import workflow
from tiaodu.supervision.instructions.models import Instruction
from tiaodu.supervision.instructions.subjects import kind_of

UNIT_ROLES = (Role.DEPARTMENT_HANDLER, Role.REPORTER)


def may_write_on(actor: Someone, obj: Any) -> bool:
    """A leader who reaches the object (of a registered kind)."""
    kind = kind_of(obj)
    return kind is not None and holds(actor, Role.LEADER) and kind.leads(actor, obj)


def is_writer(actor: Someone, instruction: Instruction) -> bool:
    return (
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and instruction.leader_id == actor.pk
    )


def answers_for(actor: Someone, instruction: Instruction) -> bool:
    """A department handler or reporter whose unit is (or holds) the routed unit."""
    return covers(grant_paths(actor, *UNIT_ROLES), instruction.unit.path)


def follows(actor: Someone, instruction: Instruction) -> bool:
    """A dispatcher of the instruction's region (reads it, follows it up)."""
    return covers(dispatcher_paths(actor), instruction.region.path)


def relations(actor: Someone, instruction: Instruction) -> frozenset[str]:
    """The actor's parts in the instruction's workflow: the writing leader, the unit, both
    or none."""
    found = set()
    if is_writer(actor, instruction):
        found.add(workflow.LEADER)
    if answers_for(actor, instruction):
        found.add(workflow.UNIT)
    return frozenset(found)


def writes_instructions(actor: Someone) -> bool:
    """Leaders write instructions (批示) and keep the list of theirs."""
    return holds(actor, Role.LEADER)


def follows_instructions(actor: Someone) -> bool:
    """Dispatchers follow the instructions of their regions."""
    return bool(dispatcher_paths(actor))


def answers_instructions(actor: Someone) -> bool:
    """Department handlers and reporters answer the instructions routed to their unit."""
    return holds(actor, *UNIT_ROLES)


def opens_instructions(actor: Someone) -> bool:
    """Whoever has instructions to write, follow or answer opens the list."""
    return writes_instructions(actor) or follows_instructions(actor) or answers_instructions(actor)
