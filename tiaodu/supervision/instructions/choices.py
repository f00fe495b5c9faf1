"""Statuses, actions and the default deadline of leaders' instructions (DOMAIN.md §10)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InstructionStatus(models.TextChoices):
    """Stored statuses. Overdue is computed: issued, unanswered, past the deadline."""

    ISSUED = "issued", _("Awaiting answer")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", pgettext_lazy("instruction", "Closed")


class InstructionAction(models.TextChoices):
    ANSWER = "answer", _("Answer")
    CLOSE = "close", _("Close")
    SEND_BACK = "send_back", _("Send back")


class InstructionEntryKind(models.TextChoices):
    """What one entry of an instruction's history records."""

    ANSWER = "answer", _("Answer")
    SEND_BACK = "send_back", _("Sent back")
    CLOSE = "close", pgettext_lazy("instruction", "Closed")


# Working days the routed unit has to answer, unless the leader sets a deadline; a site sets
# TIAODU_INSTRUCTION_ANSWER_DAYS.
DEFAULT_ANSWER_DAYS = 10


def answer_days() -> int:
    return int(getattr(settings, "TIAODU_INSTRUCTION_ANSWER_DAYS", DEFAULT_ANSWER_DAYS))
