"""The problem workflow as a table (DOMAIN.md §7): (status, action) → (status, who may).

`who` names a relation of the actor to the problem, decided in `permissions`: the
dispatcher (of the project's region), the handler (a department handler of the assigned
department) and the owner (a reporter of the project's owner unit, or whoever raised the
problem). Escalating raises the level and leaves the status as it is. The same table
decides which buttons a page shows (`PROBLEMS.actions_for`); the services check and
apply it (`tiaodu.core.workflow`).
"""

from tiaodu.core.workflow import Transition, Workflow
from tiaodu.problems.choices import ProblemAction as A
from tiaodu.problems.choices import ProblemStatus as S

DISPATCHER = "dispatcher"
HANDLER = "handler"
OWNER = "owner"

_DISPATCHER = frozenset({DISPATCHER})
_HANDLER = frozenset({HANDLER})
_CONFIRMERS = frozenset({DISPATCHER, OWNER})

PROBLEMS = Workflow(
    [
        Transition(S.REPORTED, A.ASSIGN, S.ASSIGNED, _DISPATCHER),
        # Reassigning (another department, handler or deadline, after an escalation say).
        Transition(S.ASSIGNED, A.ASSIGN, S.ASSIGNED, _DISPATCHER),
        Transition(S.IN_PROGRESS, A.ASSIGN, S.ASSIGNED, _DISPATCHER),
        Transition(S.ASSIGNED, A.START, S.IN_PROGRESS, _HANDLER),
        Transition(S.IN_PROGRESS, A.RESOLVE, S.RESOLVED, _HANDLER),
        Transition(S.RESOLVED, A.REJECT_RESOLUTION, S.IN_PROGRESS, _CONFIRMERS),
        Transition(S.RESOLVED, A.CLOSE, S.CLOSED, _CONFIRMERS),
        Transition(S.REPORTED, A.ESCALATE, S.REPORTED, _DISPATCHER),
        Transition(S.ASSIGNED, A.ESCALATE, S.ASSIGNED, _DISPATCHER),
        Transition(S.IN_PROGRESS, A.ESCALATE, S.IN_PROGRESS, _DISPATCHER),
    ]
)
