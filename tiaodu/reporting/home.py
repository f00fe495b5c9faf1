"""The dispatch rounds' panels on the home page (registered in ReportingConfig.ready)."""

from typing import Any

from tiaodu.core import clock
from tiaodu.core.home import HomePanel, register_panel
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Actor
from tiaodu.projects.filters import scope_region
from tiaodu.projects.selectors import plans_visible_to
from tiaodu.reporting import board
from tiaodu.reporting.permissions import is_reviewer
from tiaodu.reporting.selectors import due_for, review_queue


def due_context(user: Actor) -> dict[str, Any]:
    """The reporter's reports still to write or correct, the overdue ones counted."""
    today = clock.today()
    dues = due_for(user, today)
    return {
        "dues": dues[:6],
        "count": len(dues),
        "overdue": sum(1 for due in dues if today > due.period.due_date),
        "returned": sum(1 for due in dues if due.status == "returned"),
        "today": today,
    }


def review_context(user: Actor) -> dict[str, Any]:
    """How many reports wait for the dispatcher's approval."""
    waiting = review_queue(user) if is_reviewer(user) else []
    return {"count": len(waiting), "oldest": waiting[0] if waiting else None}


def completeness_context(user: Actor) -> dict[str, Any]:
    """The totals of the latest period whose due date has passed, in the user's scope."""
    _cycle, period = board.chosen_period({}, clock.today())
    if period is None:
        return {"period": None}
    plans = plans_visible_to(user).select_related(None).order_by()
    totals = board.Completeness()
    for cell in board.counts(period, plans):
        totals.add(cell)
    return {"period": period, "totals": totals, "region": scope_region(user)}


def register() -> None:
    register_panel(
        HomePanel(
            name="reporting.completeness",
            template="reporting/_home_completeness.html",
            roles=frozenset({Role.DISPATCHER, Role.LEADER}),
            context=completeness_context,
            order=20,
        )
    )
    register_panel(
        HomePanel(
            name="reporting.due",
            template="reporting/_home_due.html",
            roles=frozenset({Role.REPORTER, Role.SERVICE_OFFICER}),
            context=due_context,
            order=5,
        )
    )
    register_panel(
        HomePanel(
            name="reporting.review",
            template="reporting/_home_review.html",
            roles=frozenset({Role.DISPATCHER}),
            context=review_context,
            order=5,
        )
    )
