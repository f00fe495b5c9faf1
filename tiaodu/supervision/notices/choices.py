"""Kinds and statuses of supervision notices (DOMAIN.md §7, the supervision ladder)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder")
    SUPERVISION_ORDER = "supervision_order", _("Supervision order")
    WARNING_LETTER = "warning_letter", _("Warning letter")
    INTERVIEW = "interview", _("Interview notice")


class NoticeStatus(models.TextChoices):
    """Stored statuses. Overdue is computed: issued, unanswered, past the deadline."""

    ISSUED = "issued", _("Issued")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class NoticeAction(models.TextChoices):
    RESPOND = "respond", _("Respond")
    CLOSE = "close", _("Close")


# The word before 〔year〕 in a notice number: 督办〔2026〕7号. A site may set
# TIAODU_NOTICE_PREFIXES to its own words (a dict by kind; missing kinds keep these).
DEFAULT_NOTICE_PREFIXES = {
    NoticeKind.REMINDER: "提醒",
    NoticeKind.SUPERVISION_ORDER: "督办",
    NoticeKind.WARNING_LETTER: "警示",
    NoticeKind.INTERVIEW: "约谈",
}

# Working days a recipient has to answer, by kind, unless the dispatcher sets a deadline
# (a rectification plan is due in 5 working days, DOMAIN.md §7). TIAODU_NOTICE_RESPONSE_DAYS.
DEFAULT_RESPONSE_DAYS = {
    NoticeKind.REMINDER: 10,
    NoticeKind.SUPERVISION_ORDER: 5,
    NoticeKind.WARNING_LETTER: 5,
    NoticeKind.INTERVIEW: 5,
}


def notice_prefix(kind: str) -> str:
    custom: dict[str, str] = getattr(settings, "TIAODU_NOTICE_PREFIXES", {})
    return custom.get(kind) or DEFAULT_NOTICE_PREFIXES[NoticeKind(kind)]


def response_days(kind: str) -> int:
    custom: dict[str, int] = getattr(settings, "TIAODU_NOTICE_RESPONSE_DAYS", {})
    return custom.get(kind) or DEFAULT_RESPONSE_DAYS[NoticeKind(kind)]
