"""The words of campaigns (DOMAIN.md §8): the indicators a target sets a threshold on."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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


class ChangeKind(models.TextChoices):
    """A change of a list (动态调整): one entry leaves a list and another takes its place, or
    an entry moves up from one list to another (a municipal project onto the provincial list)."""

    REPLACE = "replace", _("Replacement")
    PROMOTE = "promote", _("Promotion")


class ChangeStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting approval")
    APPROVED = "approved", pgettext_lazy("list change", "Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ChangeAction(models.TextChoices):
    APPROVE = "approve", pgettext_lazy("list change", "Approve")
    REFUSE = "refuse", _("Refuse")
    WITHDRAW = "withdraw", _("Withdraw")
