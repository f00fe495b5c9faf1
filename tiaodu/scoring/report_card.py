"""The project's monthly card on a dispatch report's page (the reviewer's context panel),
read through the reporting app's hook (`reporting.review_context.register_card_reader`)."""

import datetime as dt

from django.urls import reverse

from tiaodu.core.scoping import Someone
from tiaodu.projects.models import AnnualPlan
from tiaodu.reporting.review_context import CardBadge, register_card_reader
from tiaodu.scoring.selectors import cards_visible_to


def card_of(actor: Someone, plan: AnnualPlan, month: dt.date) -> CardBadge | None:
    """The entry's card of the month, if one was computed and the actor may see it."""
    card = cards_visible_to(actor).filter(plan=plan, month=month).first()
    if card is None:
        return None
    return CardBadge(
        colour=card.final_colour,
        label=card.get_final_colour_display(),
        url=reverse("scoring:card", args=[card.pk]),
        month=card.month,
    )


def register() -> None:
    register_card_reader(card_of)
