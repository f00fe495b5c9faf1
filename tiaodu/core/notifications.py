"""Notifications: a row per recipient for the bell and its page, and an email after commit.

Any app tells users something through `notify`; the rows are written in the caller's
transaction and the emails leave only once it commits, so a rolled-back action sends
nothing. A `key` makes a notification once-only per recipient (reminders, retried tasks).

The messaging channels (tiaodu.messaging, a higher app) register a dispatcher here: it
then decides, in the same transaction, what leaves besides the bell (e-mail, WeCom, SMS,
the org units' group robots) by each person's choices (docs/messaging.md).
"""

import logging
from collections.abc import Iterable
from typing import Any, Protocol

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet

from tiaodu.core import clock
from tiaodu.core.models import Notification

logger = logging.getLogger(__name__)


class Dispatcher(Protocol):
    def __call__(self, *, rows: list[Notification], email: bool) -> None: ...


_dispatchers: list[Dispatcher] = []


def register_dispatcher(dispatcher: Dispatcher) -> None:
    """Hand the notifications written by `notify` to `dispatcher` (in the transaction that
    writes them) instead of emailing them here; registered once, at start-up."""
    if dispatcher not in _dispatchers:
        _dispatchers.append(dispatcher)


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    key: str = "",
    email: bool = True,
) -> list[Notification]:
    """Write one notification per recipient (none for a recipient who already has `key`)
    and, after commit, email those with an address. Returns the rows written."""
    users = {user.pk: user for user in recipients if getattr(user, "is_active", True)}
    with transaction.atomic():
        if key:
            done = set(
                Notification.objects.filter(recipient_id__in=users, key=key).values_list(
                    "recipient_id", flat=True
                )
            )
            users = {pk: user for pk, user in users.items() if pk not in done}
        rows = Notification.objects.bulk_create(
            [
                Notification(
                    recipient=user,
                    kind=kind,
                    title=title,
                    body=body,
                    link=link,
                    key=key,
                    created_at=clock.now(),
                )
                for user in users.values()
            ]
        )
        if _dispatchers:
            for dispatcher in _dispatchers:
                dispatcher(rows=rows, email=email)
            return rows
        addresses = sorted({user.email for user in users.values() if user.email})
        if email and addresses:
            transaction.on_commit(lambda: send_emails(title, body, link, addresses))
    return rows


def send_emails(title: str, body: str, link: str, addresses: list[str]) -> None:
    """One email per recipient (no one sees the others' addresses); a failure is logged."""
    text = f"{body}\n\n{link}" if link else body
    for address in addresses:
        try:
            send_mail(title, text, None, [address])
        except Exception:  # a mail server down must not undo the notification
            logger.exception("Could not email the notification %r to %s", title, address)


def notifications_of(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def unread_count(user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(*, user: Any, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications (or all of them) read; returns how many changed."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=clock.now())
