"""本月评价 on the home page (registered in ScoringConfig.ready): for an owner unit's
reporter and a district's dispatcher, their projects' yellow and red cards of the latest
computed month, each with what would restore blue. Nothing is shown when there is none;
the site's dispatcher has the card board instead."""

from typing import Any

from django.db.models import Q

from tiaodu.core.home import HomePanel, register_panel
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Actor
from tiaodu.scoring import board
from tiaodu.scoring.choices import Colour
from tiaodu.scoring.permissions import is_site_dispatcher
from tiaodu.scoring.selectors import cards_visible_to, computed_months

SHOWN = 8


def month_context(user: Actor) -> dict[str, Any]:
    months = computed_months()
    if not months or is_site_dispatcher(user):
        return {"cards": [], "count": 0}
    chosen = board.with_final_colour(cards_visible_to(user).filter(month=months[0])).filter(
        Q(final__in=[Colour.RED, Colour.YELLOW])
    )
    cards = list(
        chosen.select_related("project__region").order_by("severity", "score", "project__name")[
            :SHOWN
        ]
    )
    for card in cards:
        card.worst = board.worst_dimension(card)
    return {"cards": cards, "count": chosen.count(), "month": months[0]}


def register() -> None:
    register_panel(
        HomePanel(
            name="scoring.month",
            template="scoring/_home_cards.html",
            roles=frozenset({Role.REPORTER, Role.DISPATCHER}),
            context=month_context,
            order=6,
        )
    )
