"""The words of campaigns (DOMAIN.md §8): the indicators a target sets a threshold on."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Indicator(models.TextChoices):
    """What a target measures; rates are percentages with two places, as the figure set's."""

    START_RATE = "start_rate", _("Start rate of new projects")
    COMPLETION_RATE = "completion_rate", _("Investment completion rate")
    INCLUSION_RATE = "inclusion_rate", _("Statistics inclusion rate")
    COMPLETIONS = "completions", _("Completions")
    PROCEDURES_RATE = "procedures_rate", _("Procedures complete rate")
    FUNDS_SPENT_RATE = "funds_spent_rate", _("Special-bond funds spent rate")


COUNTS = frozenset({Indicator.COMPLETIONS})


class Comparison(models.TextChoices):
    AT_LEAST = "gte", _("at least")
    AT_MOST = "lte", _("at most")
