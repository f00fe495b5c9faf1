"""The daily round of dispatch: open the periods that began, remind the reporters whose
reports are due tomorrow or overdue since yesterday, forget the create requests' keys older
than a day (`core.idempotency.prune`), expire the requests for acts on administrators'
accounts left unconfirmed for a day (`accounts.confirmations.expire_overdue`), then queue
itself for tomorrow.

The database task queue has no clock of its own, so the task re-queues itself (with
`run_after`) for 00:10 of the next day; `manage.py open_periods --schedule` queues the
first run, and queuing is skipped while a run is already waiting. Running twice opens
nothing twice (periods are unique per cycle and start).
"""

import datetime as dt

from django.tasks import task
from django.utils import timezone

from tiaodu.accounts import confirmations
from tiaodu.core import clock, context, idempotency, task_queue
from tiaodu.reporting import reminders, services

RUN_AT = dt.time(0, 10)


def _waiting() -> bool:
    return task_queue.waiting(daily_round)


def next_run(now: dt.datetime) -> dt.datetime:
    tomorrow = timezone.localtime(now).date() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(tomorrow, RUN_AT))


def schedule_daily_round() -> bool:
    """Queue the next daily round unless one is waiting; say whether one was queued."""
    if _waiting():
        return False
    daily_round.using(run_after=next_run(timezone.now())).enqueue()
    return True


@task
def daily_round() -> None:
    with context.bound(context.RequestContext(channel="system")):
        today = clock.today()
        services.open_periods(today=today)
        reminders.send_reminders(today=today)
        # The site's housekeeping rides on the daily round: create requests' keys expire
        # after 24 hours (`core.idempotency`).
        idempotency.prune()
        # and a request for an act on an administrator's account expires after 24 hours,
        # the hash of a temporary password with it.
        confirmations.expire_overdue()
    schedule_daily_round()
