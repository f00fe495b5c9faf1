"""The campaigns' daily round: record the day's values of the running campaigns (the trend
chart) and keep the final comparison of those that ended, then queue itself for tomorrow.

Like the other rounds (`reporting.tasks`, `scoring.tasks`), the task re-queues itself (with
`run_after`) for 01:30 of the next day; `manage.py campaign_round --schedule` queues the
first run, and queuing is skipped while a run is already waiting.
"""

import datetime as dt

from django.tasks import task
from django.utils import timezone

from tiaodu.campaigns import services
from tiaodu.core import clock, context, task_queue

RUN_AT = dt.time(1, 30)


def _waiting() -> bool:
    return task_queue.waiting(campaign_round)


def next_run(now: dt.datetime) -> dt.datetime:
    tomorrow = timezone.localtime(now).date() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(tomorrow, RUN_AT))


def schedule_campaign_round() -> bool:
    """Queue the next round unless one is waiting; say whether one was queued."""
    if _waiting():
        return False
    campaign_round.using(run_after=next_run(clock.now())).enqueue()
    return True


@task
def campaign_round() -> None:
    with context.bound(context.RequestContext(channel="system")):
        services.daily_round(clock.today())
    schedule_campaign_round()
