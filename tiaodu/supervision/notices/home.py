"""The home-page panel of the units that answer notices (registered in SupervisionConfig.ready):
the notices still awaiting their response, the overdue ones counted."""

from typing import Any

from tiaodu.core import clock
from tiaodu.core.home import HomePanel, register_panel
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Actor
from tiaodu.supervision.notices import selectors

SHOWN = 6


def awaiting_context(user: Actor) -> dict[str, Any]:
    today = clock.today()
    notices = list(selectors.awaiting_response(user))
    return {
        "notices": notices[:SHOWN],
        "count": len(notices),
        "overdue": sum(1 for notice in notices if notice.is_overdue(today)),
        "today": today,
    }


def register() -> None:
    register_panel(
        HomePanel(
            name="supervision.awaiting",
            template="supervision/_home_awaiting.html",
            roles=frozenset({Role.DEPARTMENT_HANDLER, Role.REPORTER}),
            context=awaiting_context,
            order=6,
        )
    )
