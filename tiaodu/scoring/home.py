"""最新月度评价 on the home page (registered in ScoringConfig.ready): for an owner unit's
reporter and a district's dispatcher, their projects' yellow and red cards of the latest
computed month, each with what would restore blue. Nothing is shown when there is none;
the site's dispatcher has the card board instead, and the card appeals waiting for its
decision, the one to decide soonest first."""

from typing import Any

from django.db.models import Q

from tiaodu.core import clock
from tiaodu.core.home import HomePanel, register_panel
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Actor
from tiaodu.scoring import appeals, board
from tiaodu.scoring.choices import AppealStatus, Colour
from tiaodu.scoring.permissions import decides_appeals, is_site_dispatcher
from tiaodu.scoring.selectors import appeals_visible_to, cards_visible_to, computed_months

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


def appeals_context(user: Actor) -> dict[str, Any]:
    """The appeals waiting for the site dispatcher's decision (the menu has their count too)."""
    if not decides_appeals(user):
        return {"decides": False}
    pending = list(
        appeals_visible_to(user)
        .filter(status=AppealStatus.PENDING)
        .select_related("card__project", "card__rule_set", "raised_by")
    )
    today = clock.today()
    for appeal in pending:
        appeal.due = appeals.decide_by(appeal)  # type: ignore[attr-defined]
        appeal.overdue = appeal.due < today  # type: ignore[attr-defined]
    pending.sort(key=lambda a: (a.due, a.raised_at))  # type: ignore[attr-defined]
    return {"decides": True, "count": len(pending), "appeals": pending[:SHOWN]}


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
    register_panel(
        HomePanel(
            name="scoring.appeals",
            template="scoring/_home_appeals.html",
            roles=frozenset({Role.DISPATCHER}),
            context=appeals_context,
            order=8,
        )
    )
