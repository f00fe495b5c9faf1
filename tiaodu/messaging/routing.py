"""Which notification leaves by which channel, and when.

`dispatch` is core's notification dispatcher (registered in apps.py): for the rows that
`notify` writes, in its transaction, it

- emails, after commit, those whose choice for the notification's group includes e-mail
  (an account without choices: e-mail, as before the channels);
- queues a delivery per WeCom or SMS choice, due when the person's quiet hours end;
- holds everything for the daily digest of those who asked for one;
- queues one message per group robot of the recipients' org units (the unit itself or one
  above theirs) that takes the group, naming the recipients in that unit.

A caller passing `email=False` asks for the bell only: nothing else leaves.
"""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tiaodu.accounts.models import User
from tiaodu.core import clock
from tiaodu.core.models import Notification
from tiaodu.core.notifications import send_emails
from tiaodu.messaging import transports
from tiaodu.messaging.choices import DeliveryStatus, Transport, group_of
from tiaodu.messaging.models import Channel, Delivery, MessagingProfile

DEFAULT_CHOICE = [Transport.EMAIL.value]
DIGEST = "messaging.digest"


def dispatch(*, rows: list[Notification], email: bool) -> None:
    if not rows or not email:
        return
    now = clock.now()
    first = rows[0]
    group = group_of(first.kind)
    users = {
        u.pk: u
        for u in User.objects.filter(pk__in=[r.recipient_id for r in rows]).select_related(
            "org_unit"
        )
    }
    profiles = {p.user_id: p for p in MessagingProfile.objects.filter(user_id__in=users)}
    addresses: list[str] = []
    deliveries: list[Delivery] = []
    for row in rows:
        user = users[row.recipient_id]
        profile = profiles.get(user.pk)
        for transport in chosen(profile, group):
            if not address_of(user, profile, transport):
                continue
            if profile is not None and profile.daily_digest:
                deliveries.append(_delivery(row, transport, user, now, DeliveryStatus.HELD, now))
            elif transport == Transport.EMAIL:
                addresses.append(user.email)
            else:
                due = after_quiet_hours(profile, now)
                deliveries.append(_delivery(row, transport, user, now, DeliveryStatus.PENDING, due))
    deliveries += _robot_deliveries(first, group, list(users.values()), now)
    Delivery.objects.bulk_create(deliveries)
    if addresses:
        title, body, link = first.title, first.body, absolute(first.link)
        transaction.on_commit(lambda: send_emails(title, body, link, sorted(set(addresses))))
    queue([d for d in deliveries if d.status == DeliveryStatus.PENDING])


def chosen(profile: MessagingProfile | None, group: str) -> list[str]:
    """The transports a person chose for a group (no profile, or no word on it: e-mail)."""
    if profile is None:
        return DEFAULT_CHOICE
    picked = profile.choices.get(group, DEFAULT_CHOICE)
    return [t for t in picked if t in {Transport.EMAIL, Transport.WECOM, Transport.SMS}]


def address_of(user: User, profile: MessagingProfile | None, transport: str) -> str:
    """Where the transport reaches the person, or "" when it cannot (no address, no WeCom
    user id, the site has not set the WeCom application or the SMS gateway up)."""
    if transport == Transport.EMAIL:
        return user.email
    if transport == Transport.WECOM:
        wecom_id = profile.wecom_user_id if profile is not None else ""
        return wecom_id if wecom_id and transports.wecom_configured() else ""
    if transport == Transport.SMS:
        return user.phone if transports.sms_configured() else ""
    return ""


def after_quiet_hours(profile: MessagingProfile | None, now: dt.datetime) -> dt.datetime:
    """`now`, or the end of the person's quiet hours when `now` falls in them."""
    local = timezone.localtime(now)
    if profile is None or profile.quiet_until is None or not profile.is_quiet(local.time()):
        return now
    end = timezone.make_aware(dt.datetime.combine(local.date(), profile.quiet_until))
    return end if end > local else end + dt.timedelta(days=1)


def absolute(link: str) -> str:
    """A link of the site as an address a phone can open (TIAODU_SITE_URL before it)."""
    base = settings.TIAODU_MESSAGING["SITE_URL"].rstrip("/")
    return f"{base}{link}" if link.startswith("/") and base else link


def text_of(notification: Notification) -> str:
    link = absolute(notification.link)
    return "\n\n".join(part for part in (notification.body, link) if part)


def _delivery(
    row: Notification, transport: str, user: User, now: dt.datetime, status: str, due: dt.datetime
) -> Delivery:
    return Delivery(
        transport=transport,
        status=status,
        recipient=user,
        kind=row.kind,
        title=row.title,
        text=text_of(row),
        created_at=now,
        due_at=due,
    )


def _robot_deliveries(
    first: Notification, group: str, users: list[User], now: dt.datetime
) -> list[Delivery]:
    """One message per active group robot whose unit holds some recipients' units, in the
    site's language, naming those recipients."""
    reached: dict[Channel, list[User]] = defaultdict(list)
    active = Channel.objects.filter(is_active=True).select_related("org_unit")
    channels = [channel for channel in active if channel.takes(group)]
    for user in sorted(users, key=lambda u: u.pk):
        path = user.org_unit.path if user.org_unit is not None else None
        for channel in channels:
            if path is not None and path.startswith(channel.org_unit.path):
                reached[channel].append(user)
    deliveries = []
    with translation.override(settings.LANGUAGE_CODE):
        for channel, members in reached.items():
            names = _("To: %(names)s") % {"names": "、".join(str(user) for user in members)}
            deliveries.append(
                Delivery(
                    transport=channel.kind,
                    channel=channel,
                    kind=first.kind,
                    title=first.title,
                    text="\n\n".join(part for part in (text_of(first), names) if part),
                    created_at=now,
                    due_at=now,
                )
            )
    return deliveries


def queue(deliveries: list[Delivery]) -> None:
    """Enqueue the deliveries' sending once the transaction commits (each when due)."""
    from tiaodu.messaging import tasks

    plan = [(d.pk, d.due_at) for d in deliveries]

    def enqueue() -> None:
        for pk, due in plan:
            tasks.enqueue_delivery(pk, due)

    if plan:
        transaction.on_commit(enqueue)


def collect_digests(*, now: dt.datetime) -> list[Delivery]:
    """One digest per person and transport holding the notifications held until `now`,
    due when the person's quiet hours end; the held rows are marked collected. Returns
    the digests queued."""
    held: dict[tuple[int, str], list[Delivery]] = defaultdict(list)
    rows = Delivery.objects.filter(status=DeliveryStatus.HELD, created_at__lte=now)
    for row in rows.select_related("recipient").order_by("created_at", "pk"):
        if row.recipient is not None:
            held[(row.recipient.pk, row.transport)].append(row)
    users = {key[0] for key in held}
    profiles = {p.user_id: p for p in MessagingProfile.objects.filter(user_id__in=users)}
    digests = []
    with translation.override(settings.LANGUAGE_CODE):
        for (user_pk, transport), items in held.items():
            lines = [f"{timezone.localtime(item.created_at):%H:%M} {item.title}" for item in items]
            digests.append(
                Delivery(
                    transport=transport,
                    recipient=items[0].recipient,
                    kind=DIGEST,
                    title=_("Today's notifications: %(count)d") % {"count": len(items)},
                    text="\n".join([*lines, absolute(reverse("core:notifications"))]),
                    created_at=now,
                    due_at=after_quiet_hours(profiles.get(user_pk), now),
                )
            )
    with transaction.atomic():
        Delivery.objects.bulk_create(digests)
        collected = [item.pk for items in held.values() for item in items]
        Delivery.objects.filter(pk__in=collected).update(status=DeliveryStatus.COLLECTED)
        queue(digests)
    return digests
