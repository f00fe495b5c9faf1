"""The problem ledger's panels on the home page (registered in ProblemsConfig.ready): the
handler's problems to answer, the owner unit's resolved problems to confirm, and the
dispatcher's and leader's ledger at a glance."""

from typing import Any

from tiaodu.core import clock
from tiaodu.core.home import HomePanel, register_panel
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Actor
from tiaodu.problems import selectors
from tiaodu.problems.choices import OPEN_STATUSES, ProblemStatus

SHOWN = 5


def inbox_context(user: Actor) -> dict[str, Any]:
    today = clock.today()
    waiting = list(selectors.handler_inbox(user, today))
    return {
        "problems": selectors.mark_deadlines(waiting[:SHOWN], today),
        "count": len(waiting),
        "overdue": sum(1 for problem in waiting if getattr(problem, selectors.OVERDUE)),
    }


def owner_context(user: Actor) -> dict[str, Any]:
    """The owner unit's problems: those resolved, waiting for its confirmation, and how
    many are still open."""
    visible = selectors.problems_visible_to(user)
    resolved = list(visible.filter(status=ProblemStatus.RESOLVED).order_by("-resolved_at")[:SHOWN])
    return {
        "resolved": resolved,
        "resolved_count": visible.filter(status=ProblemStatus.RESOLVED).count(),
        "open_count": visible.filter(status__in=OPEN_STATUSES).count(),
    }


def register() -> None:
    register_panel(
        HomePanel(
            name="problems.inbox",
            template="problems/_home_inbox.html",
            roles=frozenset({Role.DEPARTMENT_HANDLER}),
            context=inbox_context,
            order=5,
        )
    )
    register_panel(
        HomePanel(
            name="problems.owner",
            template="problems/_home_owner.html",
            roles=frozenset({Role.REPORTER}),
            context=owner_context,
            order=7,
        )
    )
