"""The reporting periods of DOMAIN.md §3: boundaries, labels, due and lock dates, nesting.

Due and lock dates count Chinese working days (chinese-calendar 1.11, the 2026 schedule):
National Day 1–7 October off with Sunday 20 September and Saturday 10 October worked;
Mid-Autumn 25–27 September off; Spring Festival 15–23 February off with Saturdays 14 and
28 February worked.
"""

import datetime as dt
from itertools import pairwise

import pytest
from django.test import override_settings
from django.utils import translation

from tiaodu.core.workdays import is_covered
from tiaodu.reporting.choices import Cycle
from tiaodu.reporting.periods import (
    FINENESS,
    PeriodSpan,
    contains,
    finest,
    nests,
    span_containing,
    spans_between,
    spans_to_open,
    spans_within,
)

D = dt.date
WEEKLY, TEN_DAY, HALF_MONTH, MONTHLY, QUARTERLY = FINENESS


@pytest.mark.parametrize(
    "cycle, day, start, end",
    [
        (WEEKLY, D(2026, 11, 18), D(2026, 11, 16), D(2026, 11, 22)),
        (WEEKLY, D(2026, 11, 16), D(2026, 11, 16), D(2026, 11, 22)),
        (WEEKLY, D(2026, 11, 22), D(2026, 11, 16), D(2026, 11, 22)),
        (WEEKLY, D(2027, 1, 3), D(2026, 12, 28), D(2027, 1, 3)),  # week 53 of 2026
        (WEEKLY, D(2026, 1, 1), D(2025, 12, 29), D(2026, 1, 4)),  # week 1 of 2026
        (TEN_DAY, D(2026, 11, 1), D(2026, 11, 1), D(2026, 11, 10)),
        (TEN_DAY, D(2026, 11, 10), D(2026, 11, 1), D(2026, 11, 10)),
        (TEN_DAY, D(2026, 11, 11), D(2026, 11, 11), D(2026, 11, 20)),
        (TEN_DAY, D(2026, 11, 20), D(2026, 11, 11), D(2026, 11, 20)),
        (TEN_DAY, D(2026, 11, 21), D(2026, 11, 21), D(2026, 11, 30)),  # 30 days
        (TEN_DAY, D(2026, 12, 25), D(2026, 12, 21), D(2026, 12, 31)),  # 31 days
        (TEN_DAY, D(2026, 2, 21), D(2026, 2, 21), D(2026, 2, 28)),  # February
        (TEN_DAY, D(2024, 2, 29), D(2024, 2, 21), D(2024, 2, 29)),  # leap February
        (HALF_MONTH, D(2026, 11, 15), D(2026, 11, 1), D(2026, 11, 15)),
        (HALF_MONTH, D(2026, 11, 16), D(2026, 11, 16), D(2026, 11, 30)),
        (HALF_MONTH, D(2026, 12, 31), D(2026, 12, 16), D(2026, 12, 31)),
        (HALF_MONTH, D(2026, 2, 20), D(2026, 2, 16), D(2026, 2, 28)),
        (HALF_MONTH, D(2024, 2, 16), D(2024, 2, 16), D(2024, 2, 29)),
        (MONTHLY, D(2026, 11, 18), D(2026, 11, 1), D(2026, 11, 30)),
        (MONTHLY, D(2026, 12, 1), D(2026, 12, 1), D(2026, 12, 31)),
        (MONTHLY, D(2024, 2, 10), D(2024, 2, 1), D(2024, 2, 29)),
        (MONTHLY, D(2100, 2, 10), D(2100, 2, 1), D(2100, 2, 28)),  # 2100 is not a leap year
        (QUARTERLY, D(2026, 1, 1), D(2026, 1, 1), D(2026, 3, 31)),
        (QUARTERLY, D(2026, 3, 31), D(2026, 1, 1), D(2026, 3, 31)),
        (QUARTERLY, D(2026, 4, 1), D(2026, 4, 1), D(2026, 6, 30)),
        (QUARTERLY, D(2026, 8, 15), D(2026, 7, 1), D(2026, 9, 30)),
        (QUARTERLY, D(2026, 11, 18), D(2026, 10, 1), D(2026, 12, 31)),
    ],
)
def test_period_boundaries(cycle, day, start, end):
    span = span_containing(cycle, day)
    assert (span.cycle, span.start, span.end) == (cycle, start, end)


@pytest.mark.parametrize("cycle", FINENESS)
@pytest.mark.parametrize("year", [2024, 2026])
def test_the_periods_of_a_cycle_follow_each_other_without_gap_or_overlap(cycle, year):
    day = D(year, 1, 1)
    while day.year == year:
        span = span_containing(cycle, day)
        assert span.start <= day <= span.end
        assert span.next().start == span.end + dt.timedelta(days=1)
        assert span.next().previous() == span
        day += dt.timedelta(days=1)


def test_2026_has_53_iso_weeks_and_2025_has_52():
    weeks = spans_between(WEEKLY, D(2025, 1, 1), D(2027, 1, 10))
    by_year = {
        year: [
            span.start.isocalendar().week for span in weeks if span.start.isocalendar().year == year
        ]
        for year in (2025, 2026)
    }
    assert by_year == {2025: list(range(1, 53)), 2026: list(range(1, 54))}


def test_a_span_must_be_a_period_of_its_cycle():
    assert PeriodSpan(TEN_DAY, D(2026, 11, 11), D(2026, 11, 20)) == span_containing(
        "ten_day", D(2026, 11, 15)
    )
    assert span_containing("ten_day", D(2026, 11, 15)).cycle is Cycle.TEN_DAY
    with pytest.raises(ValueError):
        PeriodSpan(TEN_DAY, D(2026, 11, 11), D(2026, 11, 21))
    with pytest.raises(ValueError):
        PeriodSpan(MONTHLY, D(2026, 11, 2), D(2026, 11, 30))
    with pytest.raises(ValueError):
        span_containing("daily", D(2026, 11, 2))


# --- labels ---------------------------------------------------------------------------------

LABELS = [
    (
        WEEKLY,
        D(2026, 11, 18),
        "2026年第47周（11月16日—11月22日）",
        "Week 47 of 2026 (November 16–November 22)",
    ),
    (
        WEEKLY,
        D(2027, 1, 1),
        "2026年第53周（12月28日—1月3日）",
        "Week 53 of 2026 (December 28–January 3)",
    ),
    (
        WEEKLY,
        D(2025, 12, 30),
        "2026年第1周（12月29日—1月4日）",
        "Week 1 of 2026 (December 29–January 4)",
    ),
    (TEN_DAY, D(2026, 11, 5), "2026年11月上旬", "Early November 2026"),
    (TEN_DAY, D(2026, 11, 15), "2026年11月中旬", "Mid November 2026"),
    (TEN_DAY, D(2026, 11, 25), "2026年11月下旬", "Late November 2026"),
    (TEN_DAY, D(2024, 2, 29), "2024年2月下旬", "Late February 2024"),
    (HALF_MONTH, D(2026, 11, 15), "2026年11月上半月", "First half of November 2026"),
    (HALF_MONTH, D(2026, 11, 16), "2026年11月下半月", "Second half of November 2026"),
    (MONTHLY, D(2026, 11, 18), "2026年11月", "November 2026"),
    (MONTHLY, D(2026, 1, 31), "2026年1月", "January 2026"),
    (QUARTERLY, D(2026, 11, 18), "2026年第4季度", "Q4 2026"),
    (QUARTERLY, D(2026, 2, 1), "2026年第1季度", "Q1 2026"),
]


@pytest.mark.parametrize("cycle, day, chinese, english", LABELS)
def test_labels_in_both_languages(cycle, day, chinese, english):
    span = span_containing(cycle, day)
    with translation.override("zh-hans"):
        assert span.label == chinese
        assert str(span) == chinese
    with translation.override("en"):
        assert span.label == english


def test_every_month_has_its_label():
    months = spans_between(MONTHLY, D(2026, 1, 1), D(2026, 12, 31))
    with translation.override("zh-hans"):
        assert [span.label for span in months] == [f"2026年{month}月" for month in range(1, 13)]
    with translation.override("en"):
        assert [span.label.split()[0] for span in months] == [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ]


def test_the_cycle_names():
    with translation.override("zh-hans"):
        assert [str(label) for label in Cycle.labels] == ["周报", "旬报", "半月报", "月报", "季报"]
    with translation.override("en"):
        assert [str(label) for label in Cycle.labels] == [
            "Weekly report",
            "Ten-day report",
            "Half-month report",
            "Monthly report",
            "Quarterly report",
        ]


# --- due and lock dates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "cycle, day, due, lock",
    [
        # 2026年9月下旬 ends on Wednesday 30 September; 1–7 October are National Day, the 8th
        # is the first working day, Saturday 10 October is a make-up working day.
        (TEN_DAY, D(2026, 9, 30), D(2026, 10, 9), D(2026, 10, 13)),
        (MONTHLY, D(2026, 9, 30), D(2026, 10, 9), D(2026, 10, 13)),
        (QUARTERLY, D(2026, 9, 30), D(2026, 10, 9), D(2026, 10, 13)),
        # Week 40 ends on Sunday 4 October, inside the holiday.
        (WEEKLY, D(2026, 10, 1), D(2026, 10, 9), D(2026, 10, 13)),
        # 2026年9月中旬 ends on the make-up Sunday 20 September; Mid-Autumn (25–27) follows.
        (TEN_DAY, D(2026, 9, 15), D(2026, 9, 22), D(2026, 9, 28)),
        # Spring Festival: 15–23 February off, Saturdays 14 and 28 February worked.
        (TEN_DAY, D(2026, 2, 5), D(2026, 2, 12), D(2026, 2, 24)),
        (TEN_DAY, D(2026, 2, 15), D(2026, 2, 25), D(2026, 2, 28)),
        (HALF_MONTH, D(2026, 2, 1), D(2026, 2, 25), D(2026, 2, 28)),
        # A plain weekend: January 2026 ends on a Saturday.
        (MONTHLY, D(2026, 1, 15), D(2026, 2, 3), D(2026, 2, 6)),
        (TEN_DAY, D(2026, 11, 15), D(2026, 11, 24), D(2026, 11, 27)),
    ],
)
def test_due_and_lock_dates(cycle, day, due, lock):
    span = span_containing(cycle, day)
    assert (span.due_date, span.lock_date) == (due, lock)


@pytest.mark.skipif(is_covered(D(2027, 1, 1)), reason="the calendar now holds 2027")
def test_a_deadline_in_a_year_the_calendar_does_not_hold_is_estimated():
    """Q4 2026's deadlines fall in 2027: Monday to Friday without 元旦 (Friday 1 January)."""
    span = span_containing(QUARTERLY, D(2026, 11, 18))
    assert (span.due_date, span.lock_date) == (D(2027, 1, 5), D(2027, 1, 8))


@override_settings(TIAODU_REPORT_DUE_WORKING_DAYS=1, TIAODU_REPORT_LOCK_WORKING_DAYS=3)
def test_the_working_days_come_from_the_settings():
    late_september = span_containing(TEN_DAY, D(2026, 9, 30))
    assert late_september.due_date == D(2026, 10, 8)
    assert late_september.lock_date == D(2026, 10, 10)  # the make-up Saturday
    assert span_containing(TEN_DAY, D(2026, 2, 15)).lock_date == D(2026, 2, 26)


@override_settings(TIAODU_REPORT_DUE_WORKING_DAYS=0, TIAODU_REPORT_LOCK_WORKING_DAYS=0)
def test_zero_working_days_means_the_end_or_the_first_working_day_after_it():
    assert span_containing(TEN_DAY, D(2026, 9, 30)).due_date == D(2026, 9, 30)
    assert span_containing(WEEKLY, D(2026, 10, 1)).due_date == D(2026, 10, 8)
    assert span_containing(TEN_DAY, D(2026, 9, 15)).due_date == D(2026, 9, 20)  # make-up Sunday


@override_settings(TIAODU_REPORT_DUE_WORKING_DAYS=5, TIAODU_REPORT_LOCK_WORKING_DAYS=2)
def test_a_period_never_locks_before_it_is_due():
    span = span_containing(TEN_DAY, D(2026, 9, 30))
    assert (span.due_date, span.lock_date) == (D(2026, 10, 13), D(2026, 10, 13))


def test_deadline_counts_any_number_of_working_days():
    span = span_containing(TEN_DAY, D(2026, 9, 30))
    assert [span.deadline(n) for n in (1, 3, 4)] == [
        D(2026, 10, 8),
        D(2026, 10, 10),
        D(2026, 10, 12),
    ]


# --- sequences ------------------------------------------------------------------------------


def test_next_and_previous_cross_months_and_years():
    late_november = span_containing(TEN_DAY, D(2026, 11, 25))
    assert late_november.next() == span_containing(TEN_DAY, D(2026, 12, 1))
    assert late_november.previous() == span_containing(TEN_DAY, D(2026, 11, 11))
    assert span_containing(QUARTERLY, D(2026, 12, 31)).next() == PeriodSpan(
        QUARTERLY, D(2027, 1, 1), D(2027, 3, 31)
    )
    assert span_containing(WEEKLY, D(2026, 12, 28)).next().start == D(2027, 1, 4)
    assert span_containing(HALF_MONTH, D(2024, 3, 1)).previous() == PeriodSpan(
        HALF_MONTH, D(2024, 2, 16), D(2024, 2, 29)
    )


def test_spans_between_holds_every_period_touching_the_days():
    spans = spans_between(TEN_DAY, D(2026, 11, 5), D(2026, 12, 15))
    assert [(span.start, span.end) for span in spans] == [
        (D(2026, 11, 1), D(2026, 11, 10)),
        (D(2026, 11, 11), D(2026, 11, 20)),
        (D(2026, 11, 21), D(2026, 11, 30)),
        (D(2026, 12, 1), D(2026, 12, 10)),
        (D(2026, 12, 11), D(2026, 12, 20)),
    ]
    assert spans_between(MONTHLY, D(2026, 11, 5), D(2026, 11, 5)) == [
        span_containing(MONTHLY, D(2026, 11, 1))
    ]
    assert spans_between(MONTHLY, D(2026, 11, 5), D(2026, 11, 4)) == []


def test_spans_to_open_are_those_begun_by_today():
    with translation.override("zh-hans"):
        spans = spans_to_open(TEN_DAY, D(2026, 11, 22), since=D(2026, 1, 1))
        assert len(spans) == 33
        assert (spans[0].label, spans[-1].label) == ("2026年1月上旬", "2026年11月下旬")
        spans = spans_to_open(TEN_DAY, D(2026, 11, 20), since=D(2026, 1, 1))
        assert (len(spans), spans[-1].label) == (32, "2026年11月中旬")
        spans = spans_to_open(MONTHLY, D(2026, 11, 22), since=D(2026, 10, 15))
        assert [span.label for span in spans] == ["2026年10月", "2026年11月"]
    assert spans_to_open(WEEKLY, D(2026, 11, 22), since=D(2026, 11, 23)) == []


# --- finest and nesting ---------------------------------------------------------------------


def test_finest():
    assert finest([MONTHLY, TEN_DAY, QUARTERLY]) == TEN_DAY
    assert finest(["quarterly", "half_month"]) == HALF_MONTH
    assert finest([WEEKLY, TEN_DAY]) == WEEKLY
    assert finest([QUARTERLY]) == QUARTERLY
    with pytest.raises(ValueError):
        finest([])


def _ranges(spans: list[PeriodSpan]) -> list[tuple[dt.date, dt.date]]:
    return [(span.start, span.end) for span in spans]


def test_the_ten_day_periods_and_half_months_of_a_month():
    november = span_containing(MONTHLY, D(2026, 11, 1))
    assert _ranges(spans_within(november, TEN_DAY)) == [
        (D(2026, 11, 1), D(2026, 11, 10)),
        (D(2026, 11, 11), D(2026, 11, 20)),
        (D(2026, 11, 21), D(2026, 11, 30)),
    ]
    assert _ranges(spans_within(november, HALF_MONTH)) == [
        (D(2026, 11, 1), D(2026, 11, 15)),
        (D(2026, 11, 16), D(2026, 11, 30)),
    ]
    assert spans_within(november, MONTHLY) == [november]
    assert spans_within(november, QUARTERLY) == []


def test_the_months_of_a_quarter():
    q4 = span_containing(QUARTERLY, D(2026, 10, 1))
    assert [span.label for span in spans_within(q4, MONTHLY)] == [
        span_containing(MONTHLY, D(2026, month, 1)).label for month in (10, 11, 12)
    ]
    assert len(spans_within(q4, TEN_DAY)) == 9
    assert len(spans_within(q4, HALF_MONTH)) == 6


def test_a_week_is_summed_into_the_month_of_its_thursday():
    november = span_containing(MONTHLY, D(2026, 11, 1))
    december = span_containing(MONTHLY, D(2026, 12, 1))
    # Week 49 (30 November – 6 December) has its Thursday on 3 December.
    assert [span.start for span in spans_within(november, WEEKLY)] == [
        D(2026, 11, 2),
        D(2026, 11, 9),
        D(2026, 11, 16),
        D(2026, 11, 23),
    ]
    assert [span.start for span in spans_within(december, WEEKLY)] == [
        D(2026, 11, 30),
        D(2026, 12, 7),
        D(2026, 12, 14),
        D(2026, 12, 21),
        D(2026, 12, 28),  # week 53 of 2026, ending on 3 January 2027
    ]
    week_53 = span_containing(WEEKLY, D(2027, 1, 1))
    assert contains(december, week_53)
    assert contains(span_containing(QUARTERLY, D(2026, 12, 1)), week_53)
    assert not contains(span_containing(MONTHLY, D(2027, 1, 1)), week_53)
    # Week 40 (28 September – 4 October) has its Thursday on 1 October.
    week_40 = span_containing(WEEKLY, D(2026, 10, 1))
    assert contains(span_containing(MONTHLY, D(2026, 10, 1)), week_40)
    assert contains(span_containing(TEN_DAY, D(2026, 10, 1)), week_40)


def test_every_week_of_2026_is_summed_into_exactly_one_month_of_2026():
    months = spans_between(MONTHLY, D(2026, 1, 1), D(2026, 12, 31))
    weeks = [span for span in spans_between(WEEKLY, D(2025, 12, 29), D(2027, 1, 3))]
    assert len(weeks) == 53
    assert [sum(contains(month, week) for month in months) for week in weeks] == [1] * 53
    assert sum(len(spans_within(month, WEEKLY)) for month in months) == 53


def test_half_months_are_not_sums_of_ten_day_periods():
    second_half = span_containing(HALF_MONTH, D(2026, 11, 16))
    mid_november = span_containing(TEN_DAY, D(2026, 11, 11))
    assert not contains(second_half, mid_november)
    assert not contains(span_containing(HALF_MONTH, D(2026, 11, 1)), mid_november)
    assert _ranges(spans_within(second_half, TEN_DAY)) == [(D(2026, 11, 21), D(2026, 11, 30))]
    assert not nests(HALF_MONTH, TEN_DAY)


def test_contains_a_span_itself_and_nothing_coarser():
    november = span_containing(MONTHLY, D(2026, 11, 1))
    mid_november = span_containing(TEN_DAY, D(2026, 11, 11))
    assert contains(november, november)
    assert contains(november, mid_november)
    assert not contains(mid_november, november)
    assert not contains(november, span_containing(TEN_DAY, D(2026, 12, 1)))


@pytest.mark.parametrize("coarse", FINENESS)
@pytest.mark.parametrize("fine", FINENESS)
def test_nests_says_whether_sums_of_the_fine_cover_every_coarse_period(coarse, fine):
    """Checked on every period of 2024 (a leap year): the fine periods summed into a coarse
    one cover it exactly, or (for weeks) are the weeks whose Thursday it holds."""
    covered = True
    for period in spans_between(coarse, D(2024, 1, 1), D(2024, 12, 31)):
        parts = spans_within(period, fine)
        if fine == WEEKLY and coarse != WEEKLY:
            thursdays = [part.start + dt.timedelta(days=3) for part in parts]
            days = (period.end - period.start).days + 1
            in_period = [period.start + dt.timedelta(days=n) for n in range(days)]
            covered &= thursdays == [day for day in in_period if day.weekday() == 3]
        else:
            consecutive = all(a.next() == b for a, b in pairwise(parts))
            covered &= bool(parts) and consecutive
            covered &= bool(parts) and (parts[0].start, parts[-1].end) == (period.start, period.end)
    assert nests(coarse, fine) is covered
