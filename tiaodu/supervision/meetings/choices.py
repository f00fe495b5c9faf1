"""Kinds of consultation and joint meeting, and what a meeting decides on a problem of its
agenda (DOMAIN.md §1, §7)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    """会商 is convened on problems a consultation can settle; 联席会议 brings the
    departments together on those escalated to it (DOMAIN.md §1, §7)."""

    CONSULTATION = "consultation", _("Consultation")
    JOINT_MEETING = "joint_meeting", _("Joint meeting")


class DecisionOutcome(models.TextChoices):
    """What a meeting decides on one problem of its agenda; each but the last is a step of
    the problem workflow (tiaodu.problems.workflow)."""

    ASSIGN = "assign", _("Assign to a department")
    RESOLVE = "resolve", _("Resolved")
    ESCALATE = "escalate", _("Escalate one level")
    WATCH = "watch", _("Keep under watch")
