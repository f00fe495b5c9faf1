"""The vocabularies of the financing-needs list (融资需求清单, DOMAIN.md §11)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FinancingListStatus(models.TextChoices):
    DRAFT = "draft", _("Being compiled")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", pgettext_lazy("financing list", "Closed")


class FinancingListAction(models.TextChoices):
    PUBLISH = "publish", _("Publish to financial institutions")
    CLOSE = "close", _("Close the list")


class FinancingKind(models.TextChoices):
    LOAN = "loan", _("Loan")
    BOND = "bond", _("Bond")
    FUND = "fund", _("Fund")
    EQUITY = "equity", _("Equity")


class NeedStage(models.TextChoices):
    """Where the project stands when it asks for the money."""

    PRELIMINARY = "preliminary", _("Preliminary work")
    CONSTRUCTION = "construction", _("Under construction")
    OPERATION = "operation", _("In operation")


class ProposalStatus(models.TextChoices):
    """An owner unit's proposal of a need, as the dispatcher decided it."""

    PENDING = "pending", _("Awaiting the dispatcher")
    INCLUDED = "included", _("Put on the list")
    DECLINED = "declined", _("Not included")
