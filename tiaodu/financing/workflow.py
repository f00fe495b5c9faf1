"""A financing-needs list's life as a table (architecture rule 3, `core.workflow`): the
dispatchers of its region compile it (draft), publish it to the financial institutions,
and close it when the next edition comes out."""

from tiaodu.core.workflow import Transition, Workflow
from tiaodu.financing.choices import FinancingListAction as Action
from tiaodu.financing.choices import FinancingListStatus as Status

DISPATCHER = "dispatcher"

LISTS = Workflow(
    [
        Transition(Status.DRAFT, Action.PUBLISH, Status.PUBLISHED, frozenset({DISPATCHER})),
        Transition(Status.PUBLISHED, Action.CLOSE, Status.CLOSED, frozenset({DISPATCHER})),
    ]
)
