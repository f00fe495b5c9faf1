"""The 评价 tab of the project page (registered in ScoringConfig.ready): the project's
cards month by month, newest first, each dimension's colour and reason and what would
restore blue. The project page is already scoped; the cards are read through the same
scope."""

from typing import Any

from django.utils.translation import gettext_lazy

from tiaodu.core.scoping import Actor
from tiaodu.projects.detail_tabs import ProjectTab, register_tab
from tiaodu.projects.models import Project
from tiaodu.scoring import board
from tiaodu.scoring.choices import Evidence
from tiaodu.scoring.selectors import cards_visible_to


def evaluation_context(actor: Actor, project: Project) -> dict[str, Any]:
    cards = list(
        cards_visible_to(actor)
        .filter(project=project)
        .select_related("rule_set")
        .order_by("-month", "plan__year")
    )
    evidence = dict(Evidence.choices)
    for card in cards:
        card.dimension_rows = board.dimensions_of(card)  # type: ignore[attr-defined]
        card.evidence_label = evidence.get(card.evidence, card.evidence or "—")  # type: ignore[attr-defined]
    return {"cards": cards}


def register() -> None:
    register_tab(
        ProjectTab(
            key="evaluation",
            label=gettext_lazy("Evaluation"),
            template="scoring/_project_cards.html",
            context=evaluation_context,
            order=130,
        )
    )
