"""The transition table of an instruction (`tiaodu.core.workflow`).

`who` names the actor's relation to the instruction, decided in `permissions.relations`:
the leader who wrote it, and the unit it is routed to (a department handler or reporter of
that unit or a unit above it).
"""

from tiaodu.core.workflow import Transition, Workflow
from tiaodu.supervision.instructions.choices import InstructionAction as A
from tiaodu.supervision.instructions.choices import InstructionStatus as S

LEADER = "leader"
UNIT = "unit"

_LEADER = frozenset({LEADER})
_UNIT = frozenset({UNIT})

INSTRUCTIONS = Workflow(
    [
        Transition(S.ISSUED, A.ANSWER, S.ANSWERED, _UNIT),
        # The leader accepts the answer, or sends it back with a note for another answer.
        Transition(S.ANSWERED, A.CLOSE, S.CLOSED, _LEADER),
        Transition(S.ANSWERED, A.SEND_BACK, S.ISSUED, _LEADER),
    ]
)
