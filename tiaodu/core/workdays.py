"""Chinese working days: the official holiday schedule, make-up working days (调休) included.

Deadlines (a period's due and lock dates, a problem's resolution deadline) count working
days as the State Council's yearly notice sets them, read from `chinese-calendar`. A
weekday inside a holiday is a day off; a Saturday or Sunday made a working day in
exchange is a working day.

The library holds the schedules published before its release (1.11: 2004–2026). For a
date outside those years the functions here do not fail: a deadline must never break a
page. They fall back to Monday to Friday without the days the law fixes by date (元旦
1 January, 劳动节 1–2 May, 国庆节 1–3 October; 全国年节及纪念日放假办法, 2024 revision),
and log a warning once per year per process. The result is provisional: the spring
festival, the other lunar holidays and the make-up days of that year are not known until
its notice is published and a release of `chinese-calendar` carries it. A caller that
must not guess passes `strict=True` and gets `CalendarNotCovered`, whose message says
what to do.
"""

import datetime as dt
import logging
from functools import cache

import chinese_calendar
from django.utils.translation import gettext

logger = logging.getLogger(__name__)

ONE_DAY = dt.timedelta(days=1)

# (month, day) of the statutory holidays whose date does not move from year to year; those
# that move (春节, 清明, 端午, 中秋) and the make-up days come only with the yearly notice.
FIXED_HOLIDAYS = frozenset({(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)})


@cache
def calendar_years() -> tuple[int, int]:
    """The first and last year whose official schedule the calendar holds."""
    years = [day.year for day in chinese_calendar.holidays]
    return min(years), max(years)


def is_covered(day: dt.date) -> bool:
    """Whether the official schedule of the day's year is known (else the day is estimated)."""
    first, last = calendar_years()
    return first <= day.year <= last


class CalendarNotCovered(LookupError):
    """A date in a year whose official holiday schedule the calendar does not hold."""

    def __init__(self, day: dt.date) -> None:
        first, last = calendar_years()
        self.day = day
        super().__init__(
            gettext(
                "The official holiday schedule of %(year)s is not known: the working-day "
                "calendar covers %(first)s to %(last)s. Install a release of chinese-calendar "
                "that includes %(year)s once the State Council has published its schedule."
            )
            % {"year": day.year, "first": first, "last": last}
        )


@cache
def _warn_not_covered(year: int) -> None:
    first, last = calendar_years()
    logger.warning(
        "Working days of %s are estimated as Monday to Friday without 1 Jan, 1-2 May and "
        "1-3 Oct: chinese-calendar covers %s-%s only.",
        year,
        first,
        last,
    )


def is_working_day(day: dt.date, *, strict: bool = False) -> bool:
    """Whether `day` is a working day in mainland China, make-up working days included.

    Outside the calendar's years: the Monday-to-Friday estimate (see the module's
    docstring), or `CalendarNotCovered` when `strict`.
    """
    if isinstance(day, dt.datetime):
        # A datetime never equals the calendar's dates, so its holidays would pass unseen.
        raise TypeError("is_working_day takes a date, not a datetime")
    if is_covered(day):
        if day in chinese_calendar.workdays:
            return True
        return day.weekday() < 5 and day not in chinese_calendar.holidays
    if strict:
        raise CalendarNotCovered(day)
    _warn_not_covered(day.year)
    return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS


def add_working_days(day: dt.date, n: int, *, strict: bool = False) -> dt.date:
    """The n-th working day after `day` (n ≥ 0); `day` itself is never counted for n ≥ 1.

    n = 0 gives `day` when it is a working day, else the first working day after it: the
    earliest working day on or after `day`. So a deadline of 2 working days after a period
    ending on Wednesday 30 September 2026 falls on Friday 9 October, after the National Day
    holiday (the 8th is the first working day).
    """
    if n < 0:
        raise ValueError(f"add_working_days counts forward only, got n={n}")
    if n == 0:
        while not is_working_day(day, strict=strict):
            day += ONE_DAY
        return day
    counted = 0
    while counted < n:
        day += ONE_DAY
        if is_working_day(day, strict=strict):
            counted += 1
    return day


def working_days_between(a: dt.date, b: dt.date, *, strict: bool = False) -> int:
    """The number of working days after `a` up to and including `b`.

    A problem raised on Friday and resolved on the next Monday took 1 working day; one
    resolved the day it was raised took 0. For b before a the count is negative: minus the
    working days after b up to and including a. So
    working_days_between(a, add_working_days(a, n)) == n for every n ≥ 1.
    """
    if b < a:
        return -working_days_between(b, a, strict=strict)
    count = 0
    day = a
    while day < b:
        day += ONE_DAY
        if is_working_day(day, strict=strict):
            count += 1
    return count
