"""The bulletin's way (DOMAIN.md §10): a dispatcher drafts and submits it, a leader signs it
off (审签) or returns it, the dispatcher issues it with its number and archives it."""

from tiaodu.core.workflow import Transition, Workflow
from tiaodu.documents.choices import BulletinAction as A
from tiaodu.documents.choices import BulletinStatus as S

DISPATCHER = "dispatcher"  # a dispatcher of the bulletin's region
LEADER = "leader"  # a leader whose grant holds the bulletin's region

D, L = frozenset({DISPATCHER}), frozenset({LEADER})

BULLETINS = Workflow(
    [
        Transition(S.DRAFT, A.SUBMIT, S.SUBMITTED, D),
        Transition(S.SUBMITTED, A.RETURN, S.DRAFT, L),
        Transition(S.SUBMITTED, A.SIGN_OFF, S.SIGNED_OFF, L),
        Transition(S.SIGNED_OFF, A.ISSUE, S.ISSUED, D),
        Transition(S.ISSUED, A.ARCHIVE, S.ARCHIVED, D),
    ]
)
