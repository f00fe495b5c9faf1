"""The transition table of a field round (`tiaodu.core.workflow`), and the statuses in which
its arrangements and visits may change.

`who` names the actor's relation to the round, decided in `permissions.round_relations`:
the organiser (a dispatcher whose region holds the round's region).
"""

from tiaodu.core.workflow import Transition, Workflow
from tiaodu.supervision.rounds.choices import RoundAction as A
from tiaodu.supervision.rounds.choices import RoundStatus as S

ORGANISER = "organiser"

_ORGANISER = frozenset({ORGANISER})

ROUNDS = Workflow(
    [
        Transition(S.PLANNED, A.START, S.UNDER_WAY, _ORGANISER),
        Transition(S.UNDER_WAY, A.FINISH, S.FINISHED, _ORGANISER),
        # A visit recorded late: the organiser reopens, the group records it, the round finishes.
        Transition(S.FINISHED, A.REOPEN, S.UNDER_WAY, _ORGANISER),
    ]
)

# Visits, their scores, photos and findings are recorded while the round is under way.
RECORDING = frozenset({S.UNDER_WAY})
# Groups, members and assignments change until the round is finished.
ARRANGING = frozenset({S.PLANNED, S.UNDER_WAY})
