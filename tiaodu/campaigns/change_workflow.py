"""The table of a list change (动态调整): a dispatcher proposes, a leader approves or refuses,
the proposer may withdraw while it waits. The relations are `permissions.change_relations`'s."""

from tiaodu.campaigns.choices import ChangeAction as A
from tiaodu.campaigns.choices import ChangeStatus as S
from tiaodu.core.workflow import Transition, Workflow

PROPOSER = "proposer"
LEADER = "leader"

LIST_CHANGES = Workflow(
    [
        Transition(S.PROPOSED, A.APPROVE, S.APPROVED, frozenset({LEADER})),
        Transition(S.PROPOSED, A.REFUSE, S.REFUSED, frozenset({LEADER})),
        Transition(S.PROPOSED, A.WITHDRAW, S.WITHDRAWN, frozenset({PROPOSER})),
    ]
)
