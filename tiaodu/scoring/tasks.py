"""The monthly judgment as a daily round: each day, compute the cards of the latest month
whose reports can no longer be handed in — the month is over and the last lock date of the
periods ending in it (`facts.month_periods`) has passed — if that month has not been
computed yet; then propose the day's supervision notices (problems overdue by ten working
days, notices left unanswered: `proposals.propose_for_day`); then queue itself for
tomorrow.

Like the dispatch rounds' (`reporting.tasks`), the task re-queues itself (with
`run_after`) for 01:00 of the next day, since the database task queue has no clock of its
own; `manage.py compute_cards --schedule` queues the first run, and queuing is skipped
while a run is already waiting. A month is computed once: a month with a `CardRun` (the
task's, or a dispatcher's) is left to the dispatchers, who recompute it with a reason.
"""

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.tasks import task
from django.utils import timezone

from tiaodu.core import clock, context, task_queue
from tiaodu.projects.models import AnnualPlan
from tiaodu.scoring import facts, proposals, services
from tiaodu.scoring.models import CardRun
from tiaodu.scoring.rules import month_end

RUN_AT = dt.time(1, 0)
REASON = "月度自动评价"
# How far back the round looks for the latest closed month: a month's last lock date is
# days after its end, never months.
LOOK_BACK = 3

logger = logging.getLogger(__name__)


def _previous(month: dt.date) -> dt.date:
    return (month - dt.timedelta(days=1)).replace(day=1)


def closed(month: dt.date, today: dt.date) -> bool:
    """Whether the month is over and its last lock date has passed (compute_cards's rule)."""
    if month_end(month) >= today:
        return False
    last_lock = max((period.lock_date for period in facts.month_periods(month)), default=None)
    return last_lock is None or last_lock < today


def latest_closed_month(today: dt.date) -> dt.date | None:
    """The latest month, up to `LOOK_BACK` before today's, that is closed."""
    month = _previous(today.replace(day=1))
    for _step in range(LOOK_BACK):
        if closed(month, today):
            return month
        month = _previous(month)
    return None


def month_due(today: dt.date) -> dt.date | None:
    """The month the round computes today: the latest closed one, if it has plan entries
    and no computation yet; else None."""
    month = latest_closed_month(today)
    if month is None or CardRun.objects.filter(month=month).exists():
        return None
    if not AnnualPlan.objects.filter(year=month.year).exists():
        return None
    return month


def compute_due_month(today: dt.date) -> services.Outcome | None:
    """Compute the month due today, if any (a system run: the history names no person)."""
    month = month_due(today)
    if month is None:
        return None
    try:
        return services.compute_cards(actor=None, month=month, reason=REASON)
    except ValidationError as error:
        logger.warning("cards of %s not computed: %s", f"{month:%Y-%m}", error.messages)
        return None


def _waiting() -> bool:
    return task_queue.waiting(monthly_cards)


def next_run(now: dt.datetime) -> dt.datetime:
    tomorrow = timezone.localtime(now).date() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(tomorrow, RUN_AT))


def schedule_monthly_cards() -> bool:
    """Queue the next round unless one is waiting; say whether one was queued."""
    if _waiting():
        return False
    monthly_cards.using(run_after=next_run(clock.now())).enqueue()
    return True


@task
def monthly_cards() -> None:
    with context.bound(context.RequestContext(channel="system")):
        today = clock.today()
        compute_due_month(today)
        proposals.propose_for_day(today)
    schedule_monthly_cards()
