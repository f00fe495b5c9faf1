"""The home-page panels of instructions (registered in SupervisionConfig.ready): a leader's
open instructions (awaiting an answer, or answered and awaiting his reading), and the
instructions a unit must still answer."""

from typing import Any

from tiaodu.core import clock
from tiaodu.core.home import HomePanel, register_panel
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Actor
from tiaodu.supervision.instructions import selectors
from tiaodu.supervision.instructions.choices import InstructionStatus

SHOWN = 6


def leader_context(user: Actor) -> dict[str, Any]:
    today = clock.today()
    found = list(selectors.with_overdue(selectors.open_written_by(user), today))
    return {
        "instructions": found[:SHOWN],
        "count": len(found),
        "answered": sum(1 for item in found if item.status == InstructionStatus.ANSWERED),
        "overdue": sum(1 for item in found if item.is_overdue(today)),
        "today": today,
        "inbox": False,
    }


def unit_context(user: Actor) -> dict[str, Any]:
    today = clock.today()
    found = list(selectors.awaiting_answer(user))
    return {
        "instructions": found[:SHOWN],
        "count": len(found),
        "answered": 0,
        "overdue": sum(1 for item in found if item.is_overdue(today)),
        "today": today,
        "inbox": True,
    }


def register() -> None:
    register_panel(
        HomePanel(
            name="supervision.instructions",
            template="supervision/_home_instructions.html",
            roles=frozenset({Role.LEADER}),
            context=leader_context,
            order=4,
        )
    )
    register_panel(
        HomePanel(
            name="supervision.instructions_inbox",
            template="supervision/_home_instructions.html",
            roles=frozenset({Role.DEPARTMENT_HANDLER, Role.REPORTER}),
            context=unit_context,
            order=5,
        )
    )
