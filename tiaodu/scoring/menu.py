"""Scoring's menu items (registered in `ScoringConfig.ready`): the card board, the rankings
and the assessment indicators in one section of the evaluation's pages; the appeal queue
with the supervision pages."""

from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.capabilities import register_action
from tiaodu.accounts.navigation import SUPERVISION, NavSection, register_item
from tiaodu.core import listing as lists
from tiaodu.core.scoping import Someone
from tiaodu.projects.selectors import projects_visible_to
from tiaodu.scoring import listings  # noqa: F401 (registers the lists)
from tiaodu.scoring.choices import AppealStatus
from tiaodu.scoring.models import Appeal
from tiaodu.scoring.permissions import decides_appeals, may_compute_cards, oversees_cards

EVALUATION = NavSection(_("Evaluation"), "award")


def pending_appeals(user: Someone) -> int:
    """The appeals waiting for the site dispatcher's decision: the badge of 评价申诉, on
    every page. The pending appeals' projects first (a handful), then which of them the
    user sees: one query over the scope for every card took 60–190 ms at 100,000 projects
    with a month of cards (SQLite walked the cards to reach the appeals)."""
    projects = list(
        Appeal.objects.filter(status=AppealStatus.PENDING).values_list(
            "card__project_id", flat=True
        )
    )
    if not projects:
        return 0
    seen = set(projects_visible_to(user).filter(pk__in=set(projects)).values_list("pk", flat=True))
    return sum(1 for project in projects if project in seen)


def register() -> None:
    register_item(
        "scoring.cards", _("Project evaluation"), "scoring:cards", EVALUATION,
        icon="traffic-lights", order=140, visible=oversees_cards,
    )  # fmt: skip
    register_item(
        "scoring.rankings", _("Rankings"), "scoring:rankings", EVALUATION,
        icon="trophy", order=150, visible=oversees_cards,
    )  # fmt: skip
    register_item(
        "scoring.indicators", _("Assessment indicators"), "scoring:indicators", EVALUATION,
        icon="target", order=160, visible=oversees_cards,
    )  # fmt: skip
    register_item(
        "scoring.appeals", _("Card appeals"), "scoring:appeals", SUPERVISION,
        icon="scale", order=520, visible=decides_appeals, badge=pending_appeals,
    )  # fmt: skip
    lists.own_export("scoring:cards", "scoring:cards?export=xlsx")
    lists.own_export("scoring:rankings", "scoring:rankings?export=xlsx")
    lists.own_export("scoring:indicators", "scoring:indicators?export=xlsx")
    register_actions()


def register_actions() -> None:
    """Evaluation's actions in the role–page matrix (docs/administration.md)."""
    section = _("Evaluation")
    register_action(
        "scoring.compute", _("Compute the monthly cards"), section=section, order=400,
        check=lambda actor, _place: may_compute_cards(actor),
    )  # fmt: skip
    register_action(
        "scoring.appeals", _("Decide appeals"), section=section, order=410,
        check=lambda actor, _place: decides_appeals(actor),
    )  # fmt: skip
