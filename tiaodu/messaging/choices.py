"""The vocabularies of the messaging channels: the kinds of channel, the ways a message
leaves (transports), a delivery's status, and the groups of notification kinds a person or
a group robot chooses by (the app that sends them)."""

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ChannelKind(models.TextChoices):
    WECOM_ROBOT = "wecom_robot", _("WeCom group robot")
    DINGTALK_ROBOT = "dingtalk_robot", _("DingTalk group robot")


class Transport(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WECOM = "wecom", _("WeCom message")
    SMS = "sms", _("Text message (SMS)")
    WECOM_ROBOT = "wecom_robot", _("WeCom group robot")
    DINGTALK_ROBOT = "dingtalk_robot", _("DingTalk group robot")


# What a person may choose per notification group, besides the in-app bell (always on).
PERSONAL_TRANSPORTS = (Transport.EMAIL, Transport.WECOM, Transport.SMS)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    DEAD = "dead", _("Failed (dead letter)")
    HELD = "held", _("Held for the daily digest")
    COLLECTED = "collected", _("Sent in the daily digest")


# The groups of notification kinds: a kind is "app.event" (problems.assigned), and a person
# or a channel chooses by the app before the dot. A kind of an app not listed is "other".
NOTIFICATION_GROUPS: dict[str, Promise] = {
    "reporting": _("Reports and reminders"),
    "problems": _("Problems"),
    "supervision": _("Supervision and instructions"),
    "scoring": _("Scoring and appeals"),
    "other": _("Other notifications"),
}


def group_of(kind: str) -> str:
    """The notification group of a kind (its app before the dot, else "other")."""
    prefix = kind.split(".", 1)[0]
    return prefix if prefix in NOTIFICATION_GROUPS else "other"
