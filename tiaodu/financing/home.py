"""The financing panels of the home page (registered in `FinancingConfig.ready`): for a
financial institution, the published lists open to its answers (its whole home page); for
an owner unit's reporter, the institutions' latest answers to its projects' needs."""

from typing import Any

from tiaodu.core.home import HomePanel, register_panel
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Actor
from tiaodu.financing import selectors
from tiaodu.financing.choices import FinancingListStatus

LATEST = 5


def open_lists(user: Actor) -> dict[str, Any]:
    lists = selectors.lists_visible_to(user).filter(status=FinancingListStatus.PUBLISHED)
    mine = selectors.answers_visible_to(user)
    return {
        "lists": [
            (item, item.needs.count(), mine.filter(need__financing_list=item).count())
            for item in lists
        ]
    }


def latest_answers(user: Actor) -> dict[str, Any]:
    return {"answers": list(selectors.answers_visible_to(user).order_by("-created_at")[:LATEST])}


def register() -> None:
    register_panel(
        HomePanel(
            name="financing.open_lists",
            template="financing/_home_lists.html",
            roles=frozenset({Role.FINANCIAL_INSTITUTION}),
            context=open_lists,
            order=1,
        )
    )
    register_panel(
        HomePanel(
            name="financing.answers",
            template="financing/_home_answers.html",
            roles=frozenset({Role.REPORTER}),
            context=latest_answers,
            order=60,
        )
    )
