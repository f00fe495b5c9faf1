"""When the steps of the demo's history happen: working days before the demo's date and
moments of office hours, on which the demo sets the clock before calling a service."""

import datetime as dt
import random

from django.utils import timezone

from tiaodu.core.workdays import add_working_days, is_working_day


def working_day_before(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def working_days_before(day: dt.date, n: int) -> dt.date:
    """The working day `n` working days before `day` (`day` itself, or the working day
    before it, when n is 0)."""
    day = working_day_before(day)
    for _step in range(n):
        day = working_day_before(day - dt.timedelta(days=1))
    return day


def office_time(rng: random.Random, day: dt.date) -> dt.datetime:
    """A moment of office hours (8:30–17:30, Shanghai) on the day."""
    minutes = rng.randrange(8 * 60 + 30, 17 * 60 + 30)
    naive = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60))
    return timezone.make_aware(naive)


def later(rng: random.Random, day: dt.date, low: int, high: int) -> dt.date:
    """A working day `low` to `high` working days after `day`."""
    return add_working_days(day, rng.randint(low, high))
