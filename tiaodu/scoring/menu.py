"""Scoring's menu items (registered in `ScoringConfig.ready`)."""

from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.navigation import SUPERVISION, register_item
from tiaodu.scoring.permissions import decides_appeals, oversees_cards


def register() -> None:
    register_item(
        "scoring.cards", _("Project evaluation"), "scoring:cards",
        icon="traffic-lights", order=140, visible=oversees_cards,
    )  # fmt: skip
    register_item(
        "scoring.appeals", _("Card appeals"), "scoring:appeals", SUPERVISION,
        icon="scale", order=520, visible=decides_appeals,
    )  # fmt: skip
