"""The messaging channels' rows: the group robots of org units, each account's choices,
and every message that leaves (or waits to leave) by a channel."""

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaodu.messaging.choices import NOTIFICATION_GROUPS, ChannelKind, DeliveryStatus, Transport


class Channel(models.Model):
    """A group robot (WeCom or DingTalk) of an org unit: it posts the notifications of the
    groups it takes that are addressed to the unit's accounts (the unit and those under it).

    `webhook_url` (WeCom's carries the robot's key) and `secret` (DingTalk's signing
    secret) are secrets: pages show only their ends (`masked`), the audit log never.
    """

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("channel kind"), max_length=20, choices=ChannelKind.choices)
    webhook_url = models.URLField(_("webhook URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    org_unit = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("org unit"),
        on_delete=models.PROTECT,
        related_name="messaging_channels",
    )
    groups = models.JSONField(_("notification groups"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("messaging channel")
        verbose_name_plural = _("messaging channels")
        ordering = ["org_unit__path", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_url(self) -> str:
        """The webhook URL as a page shows it: host and path, the key's last four only."""
        parts = urlsplit(self.webhook_url)
        tail = parts.query[-4:] if len(parts.query) > 8 else ""
        return f"{parts.scheme}://{parts.netloc}{parts.path}" + (f"?…{tail}" if parts.query else "")

    @property
    def masked_secret(self) -> str:
        return (
            f"{self.secret[:3]}…{self.secret[-4:]}"
            if len(self.secret) > 10
            else ("…" if self.secret else "")
        )

    @property
    def group_labels(self) -> list[str]:
        return [str(NOTIFICATION_GROUPS[key]) for key in self.groups if key in NOTIFICATION_GROUPS]

    def takes(self, group: str) -> bool:
        """Whether the channel posts notifications of this group (none chosen: all)."""
        return not self.groups or group in self.groups


class MessagingProfile(models.Model):
    """An account's messaging choices: per notification group, the transports besides the
    bell; its WeCom user id; quiet hours (local time, may run past midnight); the digest.

    An account without a profile gets e-mail for every group, as before channels existed.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="messaging_profile",
    )
    wecom_user_id = models.CharField(_("WeCom user id"), max_length=64, blank=True)
    choices = models.JSONField(_("channels per notification group"), default=dict, blank=True)
    quiet_from = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_until = models.TimeField(_("quiet hours until"), null=True, blank=True)
    daily_digest = models.BooleanField(_("daily digest"), default=False)

    class Meta:
        verbose_name = _("messaging profile")
        verbose_name_plural = _("messaging profiles")

    def __str__(self) -> str:
        return str(self.user)

    def is_quiet(self, at: dt.time) -> bool:
        if self.quiet_from is None or self.quiet_until is None:
            return False
        if self.quiet_from <= self.quiet_until:
            return self.quiet_from <= at < self.quiet_until
        return at >= self.quiet_from or at < self.quiet_until


class Delivery(models.Model):
    """One message by one transport: to an account (e-mail in a digest, WeCom, SMS) or to a
    group robot. The worker sends it, retries with backoff, and after the last attempt
    leaves it as a dead letter for the system administrator to see and send again."""

    transport = models.CharField(_("transport"), max_length=20, choices=Transport.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("group robot"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    kind = models.CharField(_("kind"), max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    due_at = models.DateTimeField(_("due at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def destination(self) -> str:
        """Where it goes, as a page shows it: the channel's name or the account."""
        return str(self.channel or self.recipient or "")
