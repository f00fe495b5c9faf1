"""Background tasks of the core: computing a kept value again after a change
(`core.stamps`, "A page need not wait for the first computation after a change"), and the
daily warm round that computes the values pages read lately before the day's readers come.

The warm round re-queues itself (with `run_after`) for the next TIAODU_WARM_AT, site time,
as the other daily rounds do (`problems.tasks`): the database task queue has no clock of
its own; `manage.py warm_figures --schedule` queues the first run, and queuing is skipped
while a run is already waiting.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from tiaodu.core import clock, context, stamps, task_queue


@task
def refresh_kept(name: str, arguments: dict[str, Any], pending: str, token: str) -> None:
    with context.bound(context.RequestContext(channel="system")):
        stamps.run_refresh(name, arguments, pending, token)


def next_warm_run(now: dt.datetime) -> dt.datetime:
    """The next TIAODU_WARM_AT (site time) after `now`."""
    local = timezone.localtime(now)
    at = timezone.make_aware(dt.datetime.combine(local.date(), settings.TIAODU_WARM_AT))
    return at if at > now else at + dt.timedelta(days=1)


def schedule_warm_round() -> bool:
    """Queue the next warm round unless one is waiting; say whether one was queued."""
    if task_queue.waiting(warm_round):
        return False
    warm_round.using(run_after=next_warm_run(timezone.now())).enqueue()
    return True


@task
def warm_round() -> None:
    with context.bound(context.RequestContext(channel="system")):
        stamps.warm(clock.today())
    schedule_warm_round()
