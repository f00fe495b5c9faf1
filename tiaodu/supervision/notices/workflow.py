"""The transition table of a notice (`tiaodu.core.workflow`): who answers it, who closes it.

`who` names the actor's relation to the notice, decided in `permissions.relations`: the
issuer (a dispatcher whose region covers every project of the notice) and the recipient
(a department handler or reporter of the recipient unit).
"""

from tiaodu.core.workflow import Transition, Workflow
from tiaodu.supervision.notices.choices import NoticeAction as A
from tiaodu.supervision.notices.choices import NoticeStatus as S

ISSUER = "issuer"
RECIPIENT = "recipient"

_ISSUER = frozenset({ISSUER})
_RECIPIENT = frozenset({RECIPIENT})

NOTICES = Workflow(
    [
        Transition(S.ISSUED, A.RESPOND, S.ANSWERED, _RECIPIENT),
        # Closing an answered notice accepts the response; closing an issued one ends it
        # without a response (an interview that was held).
        Transition(S.ANSWERED, A.CLOSE, S.CLOSED, _ISSUER),
        Transition(S.ISSUED, A.CLOSE, S.CLOSED, _ISSUER),
    ]
)
