"""The statistics' panels on the home page (registered in AnalyticsConfig.ready): the
dashboard for dispatchers and leaders (their home is the dashboard), and its headline for
everyone else who reads business data — the figure set of the reader's scope as of the last
closed day, the same numbers as the statistics page and the API."""

from typing import Any

from tiaodu.analytics import dashboard
from tiaodu.analytics.figures import default_as_of, resolve_scope
from tiaodu.core.home import HomePanel, register_panel
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Actor
from tiaodu.projects import selectors


def board_context(user: Actor) -> dict[str, Any]:
    year = selectors.default_year(user)
    scope = resolve_scope(actor=user, year=year, as_of=default_as_of(year))
    return {"board": dashboard.charts(user, scope), "scope": scope}


def register() -> None:
    register_panel(
        HomePanel(
            name="analytics.dashboard",
            template="analytics/_home_dashboard.html",
            roles=frozenset({Role.DISPATCHER, Role.LEADER}),
            context=board_context,
            order=1,
        )
    )
    register_panel(
        HomePanel(
            name="analytics.headline",
            template="analytics/_home_headline.html",
            roles=frozenset({Role.DEPARTMENT_HANDLER, Role.SERVICE_OFFICER, Role.REPORTER}),
            context=board_context,
            order=9,
        )
    )
