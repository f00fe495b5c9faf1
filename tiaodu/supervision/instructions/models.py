"""Leaders' instructions (批示) and their history (answers, notes on sending back, closing).

An instruction is written on an object of some registered kind (`subjects.py`): it stores
the kind and the object's key, not a foreign key, so that a higher app (the bulletin) can
add its own kind without this app importing it. The object's title and region are copied
at writing time: lists show them without reading every object, and dispatchers' reach is
the region.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.models import OrgUnit
from tiaodu.core.models import TimeStampedModel
from tiaodu.supervision.instructions.choices import InstructionEntryKind, InstructionStatus


class Instruction(TimeStampedModel):
    """A leader's instruction on one object, routed to a unit that must answer by a date."""

    subject_kind = models.CharField(_("written on"), max_length=32)
    subject_id = models.PositiveBigIntegerField(_("object key"))
    subject_title = models.CharField(_("object"), max_length=300)
    region = models.ForeignKey(
        OrgUnit,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        related_name="instructions",
    )
    text = models.TextField(_("instruction"))
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("routed to"),
        on_delete=models.PROTECT,
        related_name="instructions",
    )
    deadline = models.DateField(_("answer deadline"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InstructionStatus.choices,
        default=InstructionStatus.ISSUED,
    )
    written_at = models.DateTimeField(_("written at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("instruction")
        verbose_name_plural = _("instructions")
        ordering = ["-written_at", "-id"]
        indexes = [
            models.Index(fields=["subject_kind", "subject_id"], name="instruction_subject_idx")
        ]

    def __str__(self) -> str:
        return f"{self.subject_title}: {self.text[:40]}"

    def is_overdue(self, today: dt.date) -> bool:
        """Unanswered after its deadline (computed, never stored)."""
        return self.status == InstructionStatus.ISSUED and today > self.deadline


class InstructionEntry(models.Model):
    """One step of an instruction's history: the unit's answer, the leader's note when
    sending it back, or the leader's closing remark."""

    instruction = models.ForeignKey(
        Instruction,
        verbose_name=_("instruction"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=InstructionEntryKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("text"), blank=True)
    written_at = models.DateTimeField(_("written at"))

    class Meta:
        verbose_name = _("instruction entry")
        verbose_name_plural = _("instruction entries")
        ordering = ["written_at", "id"]

    def __str__(self) -> str:
        return f"{self.instruction.subject_title} · {self.get_kind_display()}"
