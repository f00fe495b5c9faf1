"""The messaging tasks: send one delivery (retrying later through the queue), and the
daily digest, which queues itself for the next day like the other daily rounds."""

import datetime as dt

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from tiaodu.core import clock, context, task_queue
from tiaodu.messaging import routing, sending


def enqueue_delivery(delivery_id: int, due: dt.datetime) -> None:
    """Queue one attempt at the delivery, to run at `due` (at once when it is past)."""
    if due > clock.now():
        deliver.using(run_after=due).enqueue(delivery_id)
    else:
        deliver.enqueue(delivery_id)


@task
def deliver(delivery_id: int) -> None:
    with context.bound(context.RequestContext(channel="system")):
        again = sending.attempt(delivery_id)
    if again is not None:
        enqueue_delivery(delivery_id, again)


def _waiting() -> bool:
    return task_queue.waiting(daily_digest)


def next_digest(now: dt.datetime) -> dt.datetime:
    """The next DIGEST_AT (site time) after `now`."""
    hour, minute = (int(part) for part in settings.TIAODU_MESSAGING["DIGEST_AT"].split(":"))
    local = timezone.localtime(now)
    at = timezone.make_aware(dt.datetime.combine(local.date(), dt.time(hour, minute)))
    return at if at > local else at + dt.timedelta(days=1)


def schedule_daily_digest() -> bool:
    """Queue the next daily digest unless one is waiting; say whether one was queued."""
    if _waiting():
        return False
    daily_digest.using(run_after=next_digest(clock.now())).enqueue()
    return True


@task
def daily_digest() -> None:
    with context.bound(context.RequestContext(channel="system")):
        routing.collect_digests(now=clock.now())
    schedule_daily_digest()
