"""Reading cards and rule sets: only what the reader's scope holds (DOMAIN.md §2)."""

import datetime as dt

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tiaodu.core.scoping import Someone
from tiaodu.projects.selectors import projects_visible_to
from tiaodu.scoring.models import Card, CardRun, RuleSet


def cards_visible_to(actor: Someone) -> QuerySet[Card]:
    """The cards of the projects the actor may see."""
    return Card.objects.filter(project__in=projects_visible_to(actor).values("pk"))


def card_for(actor: Someone, pk: int) -> Card:
    return get_object_or_404(
        cards_visible_to(actor).select_related("project", "plan", "rule_set"), pk=pk
    )


def rule_set_for(month: dt.date) -> RuleSet:
    """The version in force for the month: the latest effective on its first day."""
    found = (
        RuleSet.objects.filter(effective_from__lte=month.replace(day=1))
        .order_by("-effective_from", "-version")
        .first()
    )
    if found is None:
        raise RuleSet.DoesNotExist("No card rule set is in force for this month.")
    return found


def computed_months() -> list[dt.date]:
    """The months that have cards, newest first."""
    return list(Card.objects.order_by("-month").values_list("month", flat=True).distinct())


def runs_of(month: dt.date) -> QuerySet[CardRun]:
    return CardRun.objects.filter(month=month).select_related("run_by", "rule_set")
