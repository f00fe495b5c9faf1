"""The daily round of the problem ledger: remind the handlers of the deadlines two working
days away, tell handlers and dispatchers of the problems past their deadline, then queue
itself for tomorrow.

Like the dispatch rounds' (`reporting.tasks`), the task re-queues itself (with `run_after`)
for 00:20 of the next day, since the database task queue has no clock of its own;
`manage.py problem_reminders --schedule` queues the first run, and queuing is skipped while
a run is already waiting. Running twice reminds nobody twice (`notify`'s key).
"""

import datetime as dt

from django.tasks import task
from django.utils import timezone

from tiaodu.core import clock, context, task_queue
from tiaodu.problems import notifications

RUN_AT = dt.time(0, 20)


def _waiting() -> bool:
    return task_queue.waiting(deadline_round)


def next_run(now: dt.datetime) -> dt.datetime:
    tomorrow = timezone.localtime(now).date() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(tomorrow, RUN_AT))


def schedule_deadline_round() -> bool:
    """Queue the next daily round unless one is waiting; say whether one was queued."""
    if _waiting():
        return False
    deadline_round.using(run_after=next_run(timezone.now())).enqueue()
    return True


@task
def deadline_round() -> None:
    with context.bound(context.RequestContext(channel="system")):
        notifications.send_deadline_reminders(today=clock.today())
    schedule_deadline_round()
