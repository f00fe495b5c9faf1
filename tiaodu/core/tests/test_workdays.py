"""Chinese working days as the State Council's schedule sets them, make-up days included.

The 2026 dates are those of chinese-calendar 1.11 (the notice of November 2025):
- Spring Festival: 15–23 February off; Saturdays 14 and 28 February are working days;
- Mid-Autumn: Friday 25 to Sunday 27 September off;
- National Day: 1–7 October off; Sunday 20 September and Saturday 10 October are working
  days; Thursday 8 October is the first working day after the holiday.
"""

import datetime as dt
import logging

import chinese_calendar
import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from tiaodu.core import workdays
from tiaodu.core.workdays import (
    CalendarNotCovered,
    add_working_days,
    calendar_years,
    is_covered,
    is_working_day,
    working_days_between,
)

D = dt.date


def test_the_calendar_covers_2004_to_2026():
    """chinese-calendar 1.11 is pinned; docs/reporting.md names these years."""
    assert calendar_years() == (2004, 2026)
    assert is_covered(D(2026, 12, 31))
    assert not is_covered(D(2027, 1, 1))


def test_agrees_with_chinese_calendar_on_every_day_it_covers():
    first, last = calendar_years()
    day = D(first, 1, 1)
    disagreements = []
    while day.year <= last:
        if is_working_day(day) != chinese_calendar.is_workday(day):
            disagreements.append(day)
        day += dt.timedelta(days=1)
    assert disagreements == []


@pytest.mark.parametrize(
    "day, working",
    [
        (D(2026, 9, 19), False),  # Saturday
        (D(2026, 9, 20), True),  # Sunday, make-up working day for National Day
        (D(2026, 9, 25), False),  # Friday, Mid-Autumn
        (D(2026, 9, 30), True),  # Wednesday
        (D(2026, 10, 1), False),
        (D(2026, 10, 5), False),  # Monday inside the holiday
        (D(2026, 10, 7), False),  # Wednesday, last day of the holiday
        (D(2026, 10, 8), True),  # Thursday, first working day after it
        (D(2026, 10, 10), True),  # Saturday, make-up working day
        (D(2026, 10, 11), False),  # Sunday
        (D(2026, 2, 14), True),  # Saturday, make-up working day for Spring Festival
        (D(2026, 2, 16), False),  # Monday, Spring Festival
        (D(2026, 2, 23), False),  # Monday, last day of Spring Festival
        (D(2026, 2, 24), True),
        (D(2026, 2, 28), True),  # Saturday, make-up working day
        (D(2026, 11, 21), False),  # a plain Saturday
        (D(2026, 11, 22), False),  # a plain Sunday
        (D(2026, 11, 23), True),  # a plain Monday
    ],
)
def test_working_days_of_2026(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    "day, n, expected",
    [
        # National Day 2026: the working day after Wednesday 30 September is Thursday 8 October.
        (D(2026, 9, 30), 1, D(2026, 10, 8)),
        (D(2026, 9, 30), 2, D(2026, 10, 9)),
        (D(2026, 9, 30), 3, D(2026, 10, 10)),  # the make-up Saturday counts
        (D(2026, 9, 30), 5, D(2026, 10, 13)),
        # The make-up Sunday counts: the working day after Saturday 19 September is the 20th.
        (D(2026, 9, 19), 1, D(2026, 9, 20)),
        (D(2026, 9, 24), 1, D(2026, 9, 28)),  # over Mid-Autumn (25–27 September)
        # Spring Festival 2026.
        (D(2026, 2, 13), 1, D(2026, 2, 14)),  # Friday → the make-up Saturday
        (D(2026, 2, 14), 1, D(2026, 2, 24)),
        (D(2026, 2, 27), 1, D(2026, 2, 28)),  # Friday → the make-up Saturday
        # A plain weekend.
        (D(2026, 11, 20), 1, D(2026, 11, 23)),
        (D(2026, 11, 21), 1, D(2026, 11, 23)),
        (D(2026, 11, 20), 5, D(2026, 11, 27)),
        # n = 0: the day itself when it is a working day, else the next working day.
        (D(2026, 11, 20), 0, D(2026, 11, 20)),
        (D(2026, 11, 21), 0, D(2026, 11, 23)),
        (D(2026, 10, 1), 0, D(2026, 10, 8)),
        (D(2026, 10, 10), 0, D(2026, 10, 10)),
    ],
)
def test_add_working_days(day, n, expected):
    assert add_working_days(day, n) == expected


def test_add_working_days_counts_forward_only():
    with pytest.raises(ValueError):
        add_working_days(D(2026, 11, 20), -1)


def test_a_datetime_is_refused():
    """A datetime never equals a holiday's date: it would make 1 October a working day."""
    with pytest.raises(TypeError):
        is_working_day(dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC))


@pytest.mark.parametrize(
    "a, b, expected",
    [
        (D(2026, 11, 20), D(2026, 11, 20), 0),  # raised and resolved the same day
        (D(2026, 11, 20), D(2026, 11, 23), 1),  # Friday to Monday
        (D(2026, 11, 20), D(2026, 11, 22), 0),  # Friday to Sunday
        (D(2026, 9, 30), D(2026, 10, 8), 1),  # over National Day
        (D(2026, 9, 30), D(2026, 10, 13), 5),
        (D(2026, 9, 18), D(2026, 9, 20), 1),  # Friday to the make-up Sunday
        (D(2026, 2, 13), D(2026, 2, 24), 2),  # the make-up Saturday and the 24th
        (D(2026, 10, 8), D(2026, 9, 30), -1),  # backwards: minus the days after b up to a
        (D(2026, 11, 23), D(2026, 11, 20), -1),
    ],
)
def test_working_days_between(a, b, expected):
    assert working_days_between(a, b) == expected


@given(
    day=st.dates(min_value=D(2003, 1, 1), max_value=D(2101, 12, 31)),
    n=st.integers(min_value=1, max_value=40),
)
def test_working_days_between_counts_what_add_working_days_added(day, n):
    assert working_days_between(day, add_working_days(day, n)) == n


# --- outside the calendar's years ------------------------------------------------------------


@pytest.mark.parametrize(
    "day, working",
    [
        (D(2100, 1, 1), False),  # Friday, 元旦
        (D(2100, 1, 4), True),  # Monday
        (D(2100, 1, 2), False),  # Saturday
        (D(2100, 4, 30), True),  # Friday
        (D(2100, 5, 3), True),  # Monday: only 1–2 May are fixed by law
        (D(2100, 10, 1), False),  # Friday, 国庆节
        (D(2100, 10, 4), True),  # Monday: only 1–3 October are fixed by law
        (D(2003, 1, 1), False),  # before the calendar's first year too
        (D(2003, 1, 2), True),
    ],
)
def test_outside_its_years_the_calendar_falls_back_to_monday_to_friday(day, working):
    assert is_working_day(day) is working


def test_deadlines_run_on_past_the_last_year_of_the_calendar():
    assert add_working_days(D(2099, 12, 31), 1) == D(2100, 1, 4)
    assert add_working_days(D(2026, 12, 31), 0) == D(2026, 12, 31)
    assert working_days_between(D(2099, 12, 30), D(2100, 1, 4)) == 2


def test_the_fallback_is_logged_once_per_year(caplog):
    workdays._warn_not_covered.cache_clear()
    with caplog.at_level(logging.WARNING, logger="tiaodu.core.workdays"):
        add_working_days(D(2100, 1, 1), 10)
        is_working_day(D(2100, 6, 1))
        is_working_day(D(2101, 6, 1))
    assert [record.getMessage() for record in caplog.records] == [
        "Working days of 2100 are estimated as Monday to Friday without 1 Jan, 1-2 May and "
        "1-3 Oct: chinese-calendar covers 2004-2026 only.",
        "Working days of 2101 are estimated as Monday to Friday without 1 Jan, 1-2 May and "
        "1-3 Oct: chinese-calendar covers 2004-2026 only.",
    ]


def test_strict_refuses_a_year_the_calendar_does_not_hold():
    with translation.override("zh-hans"), pytest.raises(CalendarNotCovered) as refused:
        add_working_days(D(2099, 12, 30), 3, strict=True)
    assert refused.value.day == D(2099, 12, 31)
    assert str(refused.value) == (
        "尚不知道2099年的法定节假日安排：工作日日历只包含2004年至2026年。"
        "请在国务院公布该年安排后，安装包含2099年的新版 chinese-calendar。"
    )
    with translation.override("en"), pytest.raises(CalendarNotCovered) as refused:
        is_working_day(D(2100, 1, 1), strict=True)
    assert str(refused.value) == (
        "The official holiday schedule of 2100 is not known: the working-day calendar "
        "covers 2004 to 2026. Install a release of chinese-calendar that includes 2100 once "
        "the State Council has published its schedule."
    )


def test_strict_counts_as_usual_inside_the_calendar():
    assert add_working_days(D(2026, 9, 30), 2, strict=True) == D(2026, 10, 9)
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 13), strict=True) == 5
