"""The dispatch rounds' panels on the home page (registered in ReportingConfig.ready)."""

from typing import Any

from django.conf import settings

from tiaodu.accounts.models import User
from tiaodu.core import clock, stamps
from tiaodu.core.home import HomePanel, register_panel
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Actor
from tiaodu.projects.filters import scope_region
from tiaodu.projects.models import AnnualPlan, ListMembership, Project
from tiaodu.projects.selectors import plans_visible_to
from tiaodu.projects.visibility import reader_key
from tiaodu.reporting import board
from tiaodu.reporting.models import Period, Report
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


# What the completeness panel reads, besides the audit log (`core.stamps`).
COMPLETENESS_STAMPED: stamps.Stamped = (
    (Report, "pk"),
    (Report, "updated_at"),
    (AnnualPlan, "pk"),
    (AnnualPlan, "updated_at"),
    (Project, "pk"),
    (Project, "updated_at"),
    (ListMembership, "pk"),
    (Period, "pk"),
)


def completeness_context(user: Actor) -> dict[str, Any]:
    """The totals of the latest period whose due date has passed, in the user's scope."""
    _cycle, period = board.chosen_period({}, clock.today())
    if period is None:
        return {"period": None}
    return {
        "period": period,
        "totals": kept_completeness(user, period),
        "region": scope_region(user),
    }


def kept_completeness(user: Actor, period: Period) -> board.Completeness:
    """The period's totals in the user's scope, kept per reader and period under a stamp of
    the reports, plan entries, projects, lists and periods (`core.stamps`;
    `TIAODU_FIGURES_CACHE_SECONDS`), as the figure set is — at 100,000 projects the count is
    0.2–0.4 s a read; after a change the kept totals are shown, with their time, while a
    worker counts again."""

    def totals() -> board.Completeness:
        plans = plans_visible_to(user).select_related(None).order_by()
        found = board.Completeness()
        for cell in board.counts(period, plans):
            found.add(cell)
        return found

    return stamps.cached(
        "reporting.completeness",
        (reader_key(user), period.pk),
        COMPLETENESS_STAMPED,
        int(settings.TIAODU_FIGURES_CACHE_SECONDS),
        totals,
        refresh=stamps.Refresh("reporting.completeness", {"user": user.pk, "period": period.pk}),
    )


@stamps.refresher("reporting.completeness")
def _refresh_completeness(*, user: int, period: int) -> None:
    kept_completeness(User.objects.get(pk=user), Period.objects.get(pk=period))


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
