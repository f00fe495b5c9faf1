"""What the map shades its districts by and colours its points by."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MapFigure(models.TextChoices):
    """A figure of the figure set (analytics.figures) the districts are shaded by."""

    COMPLETION_RATE = "completion_rate", _("Investment completion rate")
    NEW_START_RATE = "new_start_rate", _("New-start rate")
    INCLUSION_RATE = "inclusion_rate", _("Statistics inclusion rate")
    RED_CARDS = "red_cards", _("Red cards")
    YELLOW_CARDS = "yellow_cards", _("Yellow cards")
    LAGGING = "lagging", _("Lagging projects")
    PROJECTS = "projects", _("Projects")


class PointColour(models.TextChoices):
    """What a project's point is coloured by."""

    CARD = "card", _("Card of the month")
    NATURE = "nature", _("Nature")
