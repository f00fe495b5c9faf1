"""The home-page panel of a group member (registered in SupervisionConfig.ready): the
rounds under way in which the user is in a group, with how far the group has come. It is
how members outside the dispatchers and leaders, who have the menu entry, find their round."""

from typing import Any

from django.db.models import Count

from tiaodu.core.home import HomePanel, register_panel
from tiaodu.core.roles import BUSINESS_ROLES
from tiaodu.core.scoping import Actor
from tiaodu.supervision.rounds.choices import RoundStatus
from tiaodu.supervision.rounds.models import RoundGroup


def rounds_context(user: Actor) -> dict[str, Any]:
    groups = (
        RoundGroup.objects.filter(members__user=user.pk, round__status=RoundStatus.UNDER_WAY)
        .select_related("round")
        .annotate(
            assigned=Count("assignments", distinct=True),
            visited=Count("visits", distinct=True),
        )
        .order_by("round__end_date", "id")
    )
    return {
        "rounds": [
            {
                "round": group.round,
                "group": group,
                "assigned": group.assigned,
                "visited": group.visited,
            }
            for group in groups
        ]
    }


def register() -> None:
    register_panel(
        HomePanel(
            name="supervision.rounds",
            template="supervision/rounds/_home_rounds.html",
            roles=frozenset(BUSINESS_ROLES),
            context=rounds_context,
            order=6,
        )
    )
