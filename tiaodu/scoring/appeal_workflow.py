"""The appeal workflow as a table (`tiaodu.core.workflow`): a pending appeal is upheld or
revised by the site's dispatcher, and that is final (a new appeal may follow while the
card's appeal window is open).

`who` names the one relation that decides, `SITE_DISPATCHER` (a dispatcher of the top
region, `permissions.is_site_dispatcher`); the appellants raise the appeal, which is the
row's creation and no step of the table.
"""

from tiaodu.core.workflow import Transition, Workflow
from tiaodu.scoring.choices import AppealDecision as D
from tiaodu.scoring.choices import AppealStatus as S

SITE_DISPATCHER = "site_dispatcher"

_DECIDES = frozenset({SITE_DISPATCHER})

APPEALS = Workflow(
    [
        Transition(S.PENDING, D.UPHOLD, S.UPHELD, _DECIDES),
        Transition(S.PENDING, D.REVISE, S.REVISED, _DECIDES),
    ]
)
