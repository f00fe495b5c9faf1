"""The words of the monthly judgment (DOMAIN.md §6): card colours and the dimensions a card
is made of."""

from django.db import models
from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Colour(models.TextChoices):
    """A card's colour; the order of `SEVERITY` is from best to worst."""

    BLUE = "blue", _("Blue card")
    YELLOW = "yellow", _("Yellow card")
    RED = "red", _("Red card")


# A dimension that does not apply to the entry this month: shown as such, never as blue.
NOT_APPLICABLE = "na"
SEVERITY = (Colour.BLUE, Colour.YELLOW, Colour.RED)
# Each colour's place in SEVERITY, by its value.
_RANK = {str(colour): rank for rank, colour in enumerate(SEVERITY)}


class Dimension(models.TextChoices):
    """What a card judges; the card is the worst of them."""

    INVESTMENT = "investment", _("Investment")
    START = "start", _("Start")
    STATISTICS = "statistics", _("Statistics inclusion")
    REPORTING = "reporting", _("Reporting")


def worst(colours: list[str]) -> str | None:
    """The worst colour of those given (`na` ignored); None when none applies."""
    applied = [colour for colour in colours if colour != NOT_APPLICABLE]
    if not applied:
        return None
    return max(applied, key=_RANK.__getitem__)


class Evidence(models.TextChoices):
    """Where a card's investment figure comes from, best first: a field-round visit that
    confirmed the project, an approved report with photos, one without, the ledger only."""

    VISIT = "visit", _("Confirmed by a field-round visit")
    PHOTOS = "photos", _("Approved report with photos")
    REPORT = "report", _("Approved report without photos")
    LEDGER = "ledger", _("Imported ledger only")


# The sources that count as evidenced on the ranking pages.
EVIDENCED = frozenset({Evidence.VISIT, Evidence.PHOTOS})


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a decision")
    ISSUED = "issued", _("Notice issued")
    DISMISSED = "dismissed", _("Dismissed")


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    UPHELD = "upheld", _("Card upheld")
    REVISED = "revised", _("Card revised")


class AppealDecision(TextChoices):
    """What the site's dispatcher does with a pending appeal (the status it leads to)."""

    UPHOLD = "upheld", _("Uphold the card")
    REVISE = "revised", _("Revise the colour")
