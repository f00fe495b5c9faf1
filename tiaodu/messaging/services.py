"""The only writers of the messaging channels: the system administrator's group robots and
dead letters, and each account's own choices. Every write is audited; the webhook URL and
the secret never enter the audit log (only that they changed)."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tiaodu.accounts.models import OrgUnit, User
from tiaodu.core import audit, clock
from tiaodu.core.models import AuditAction
from tiaodu.core.permissions import manages_site
from tiaodu.core.scoping import Someone
from tiaodu.messaging import routing
from tiaodu.messaging.choices import (
    NOTIFICATION_GROUPS,
    PERSONAL_TRANSPORTS,
    ChannelKind,
    DeliveryStatus,
)
from tiaodu.messaging.models import Channel, Delivery, MessagingProfile

# What the audit log shows of a channel (its secrets left out).
AUDITED = ["name", "kind", "org_unit", "groups", "is_active"]
SECRETS = ("webhook_url", "secret")


def _check_channel(kind: str, webhook_url: str, secret: str) -> None:
    if kind == ChannelKind.DINGTALK_ROBOT and not secret:
        raise ValidationError(
            {"secret": _("A DingTalk robot needs its signing secret (it starts with SEC).")}
        )
    if kind == ChannelKind.WECOM_ROBOT and "key=" not in webhook_url:
        raise ValidationError(
            {"webhook_url": _("A WeCom robot's webhook URL ends with key=… as WeCom shows it.")}
        )


@transaction.atomic
def create_channel(
    *,
    actor: Someone,
    name: str,
    kind: str,
    webhook_url: str,
    secret: str,
    org_unit: OrgUnit,
    groups: list[str],
    is_active: bool,
) -> Channel:
    """A group robot of an org unit, for the system administrator only."""
    if not manages_site(actor):
        raise PermissionDenied
    _check_channel(kind, webhook_url, secret)
    channel = Channel.objects.create(
        name=name, kind=kind, webhook_url=webhook_url, secret=secret, org_unit=org_unit,
        groups=groups, is_active=is_active,
    )  # fmt: skip
    audit.record(
        actor=actor, action=AuditAction.CREATE, instance=channel,
        changes=audit.diff({}, audit.snapshot(channel, AUDITED)),
    )  # fmt: skip
    return channel


@transaction.atomic
def update_channel(*, actor: Someone, channel: Channel, **fields: Any) -> Channel:
    """Change a channel; an empty webhook URL or secret keeps the one stored."""
    if not manages_site(actor):
        raise PermissionDenied
    for name in SECRETS:
        if not fields.get(name):
            fields.pop(name, None)
    before = audit.snapshot(channel, AUDITED)
    old_secrets = tuple(getattr(channel, name) for name in SECRETS)
    for name, value in fields.items():
        setattr(channel, name, value)
    _check_channel(channel.kind, channel.webhook_url, channel.secret)
    channel.save()
    changes = audit.diff(before, audit.snapshot(channel, AUDITED))
    if tuple(getattr(channel, name) for name in SECRETS) != old_secrets:
        changes["webhook_url"] = ["…", _("changed (not shown)")]
    if changes:
        audit.record(actor=actor, action=AuditAction.UPDATE, instance=channel, changes=changes)
    return channel


@transaction.atomic
def send_again(*, actor: Someone, delivery: Delivery) -> Delivery:
    """Put a dead letter back in the queue, its attempts counted afresh."""
    if not manages_site(actor):
        raise PermissionDenied
    if delivery.status != DeliveryStatus.DEAD:
        raise ValidationError(_("Only a message that failed can be sent again."))
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.due_at = clock.now()
    delivery.save(update_fields=["status", "attempts", "due_at"])
    audit.record(
        actor=actor, action=AuditAction.UPDATE, instance=delivery,
        changes={"status": [str(DeliveryStatus.DEAD.label), str(DeliveryStatus.PENDING.label)]},
        message=_("sent again"),
    )  # fmt: skip
    routing.queue([delivery])
    return delivery


def profile_of(user: User) -> MessagingProfile:
    """The account's choices (unsaved defaults when it has made none: e-mail for all)."""
    found = MessagingProfile.objects.filter(user=user).first()
    return found or MessagingProfile(user=user)


@transaction.atomic
def save_profile(
    *,
    actor: User,
    choices: dict[str, list[str]],
    wecom_user_id: str,
    quiet_from: dt.time | None,
    quiet_until: dt.time | None,
    daily_digest: bool,
) -> MessagingProfile:
    """Save the actor's own choices of channel per notification group, quiet hours and digest."""
    if (quiet_from is None) != (quiet_until is None):
        raise ValidationError({"quiet_until": _("Give both ends of the quiet hours, or neither.")})
    clean = {
        group: [t for t in choices.get(group, []) if t in PERSONAL_TRANSPORTS]
        for group in NOTIFICATION_GROUPS
    }
    profile = profile_of(actor)
    before = audit.snapshot(profile) if profile.pk else {}
    profile.choices = clean
    profile.wecom_user_id = wecom_user_id
    profile.quiet_from, profile.quiet_until = quiet_from, quiet_until
    profile.daily_digest = daily_digest
    profile.save()
    changes = audit.diff(before, audit.snapshot(profile))
    if changes:
        audit.record(
            actor=actor, action=AuditAction.UPDATE if before else AuditAction.CREATE,
            instance=profile, changes=changes,
        )  # fmt: skip
    return profile
