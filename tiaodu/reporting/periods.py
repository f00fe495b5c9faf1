"""The reporting periods of each cycle: boundaries, labels, due and lock dates.

Pure date arithmetic (DOMAIN.md §3), no models. A period is a `PeriodSpan`:

- weekly: an ISO week, Monday to Sunday, labelled with its ISO year and number
  ("2026年第47周（11月16日—11月22日）"); 2026 has 53 weeks, the last one ending on
  3 January 2027;
- ten-day (旬): days 1–10 (上旬), 11–20 (中旬) and 21 to the month's end (下旬);
- half-month: days 1–15 and 16 to the month's end;
- monthly, and quarterly (January–March is 第1季度).

The due and lock dates count Chinese working days after the period's end
(`tiaodu.core.workdays`): by default 2 and 5, set by `TIAODU_REPORT_DUE_WORKING_DAYS` and
`TIAODU_REPORT_LOCK_WORKING_DAYS`.

Coarser figures are sums of the finest cycle (`contains`, `spans_within`). Every cycle
but the week nests exactly in the coarser ones, except the ten-day period 11–20, which
straddles the two half-months (`nests`). A week is counted in the month (and ten-day
period, half-month, quarter) of its Thursday, as ISO counts it in the year of its
Thursday: so week 53 of 2026 belongs to December 2026, its year's label agrees with the
month it is summed into, and every month is made of 4 or 5 whole weeks.
"""

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import pgettext, pgettext_lazy

from tiaodu.core.workdays import add_working_days
from tiaodu.reporting.choices import Cycle

DEFAULT_DUE_WORKING_DAYS = 2
DEFAULT_LOCK_WORKING_DAYS = 5

# From the finest to the coarsest: a project reports on the first of its lists' cycles.
FINENESS: tuple[Cycle, ...] = (
    Cycle.WEEKLY,
    Cycle.TEN_DAY,
    Cycle.HALF_MONTH,
    Cycle.MONTHLY,
    Cycle.QUARTERLY,
)

# A week is summed into the coarser period that holds its Thursday (ISO's rule for years).
THURSDAY = dt.timedelta(days=3)

MONTHS: tuple[Promise, ...] = (
    pgettext_lazy("month in a period label", "January"),
    pgettext_lazy("month in a period label", "February"),
    pgettext_lazy("month in a period label", "March"),
    pgettext_lazy("month in a period label", "April"),
    pgettext_lazy("month in a period label", "May"),
    pgettext_lazy("month in a period label", "June"),
    pgettext_lazy("month in a period label", "July"),
    pgettext_lazy("month in a period label", "August"),
    pgettext_lazy("month in a period label", "September"),
    pgettext_lazy("month in a period label", "October"),
    pgettext_lazy("month in a period label", "November"),
    pgettext_lazy("month in a period label", "December"),
)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _bounds(cycle: Cycle, day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the period of `cycle` that holds `day`."""
    match cycle:
        case Cycle.WEEKLY:
            monday = day - dt.timedelta(days=day.weekday())
            return monday, monday + dt.timedelta(days=6)
        case Cycle.TEN_DAY:
            if day.day <= 10:
                return day.replace(day=1), day.replace(day=10)
            if day.day <= 20:
                return day.replace(day=11), day.replace(day=20)
            return day.replace(day=21), _month_end(day.year, day.month)
        case Cycle.HALF_MONTH:
            if day.day <= 15:
                return day.replace(day=1), day.replace(day=15)
            return day.replace(day=16), _month_end(day.year, day.month)
        case Cycle.MONTHLY:
            return day.replace(day=1), _month_end(day.year, day.month)
        case Cycle.QUARTERLY:
            first_month = (day.month - 1) // 3 * 3 + 1
            return dt.date(day.year, first_month, 1), _month_end(day.year, first_month + 2)
    raise ValueError(f"unknown cycle {cycle!r}")


def _month_day(day: dt.date) -> str:
    return pgettext("day in a period label", "%(month)s %(day)s") % {
        "month": MONTHS[day.month - 1],
        "day": day.day,
    }


@dataclass(frozen=True)
class PeriodSpan:
    """One reporting period of a cycle, from `start` to `end` (both included).

    Build it with `span_containing`; a span whose dates are not a period of its cycle is
    refused (ValueError).
    """

    cycle: Cycle
    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        cycle = Cycle(self.cycle)
        object.__setattr__(self, "cycle", cycle)
        if _bounds(cycle, self.start) != (self.start, self.end):
            raise ValueError(f"{self.start}–{self.end} is not a {cycle.value} period")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The period's name in the active language: "2026年11月中旬", "Mid November 2026"."""
        start = self.start
        values: dict[str, object] = {"year": start.year, "month": MONTHS[start.month - 1]}
        match self.cycle:
            case Cycle.WEEKLY:
                iso = start.isocalendar()
                text = pgettext("period label", "Week %(week)s of %(year)s (%(start)s–%(end)s)")
                values = {
                    "year": iso.year,
                    "week": iso.week,
                    "start": _month_day(start),
                    "end": _month_day(self.end),
                }
            case Cycle.TEN_DAY if start.day == 1:
                text = pgettext("period label", "Early %(month)s %(year)s")
            case Cycle.TEN_DAY if start.day == 11:
                text = pgettext("period label", "Mid %(month)s %(year)s")
            case Cycle.TEN_DAY:
                text = pgettext("period label", "Late %(month)s %(year)s")
            case Cycle.HALF_MONTH if start.day == 1:
                text = pgettext("period label", "First half of %(month)s %(year)s")
            case Cycle.HALF_MONTH:
                text = pgettext("period label", "Second half of %(month)s %(year)s")
            case Cycle.MONTHLY:
                text = pgettext("period label", "%(month)s %(year)s")
            case Cycle.QUARTERLY:
                text = pgettext("period label", "Q%(quarter)s %(year)s")
                values = {"year": start.year, "quarter": (start.month - 1) // 3 + 1}
        return text % values

    def deadline(self, working_days: int) -> dt.date:
        """The date `working_days` Chinese working days after the period's end."""
        return add_working_days(self.end, working_days)

    @property
    def due_date(self) -> dt.date:
        """The last day to submit on time: TIAODU_REPORT_DUE_WORKING_DAYS (2) after the end."""
        return self.deadline(
            getattr(settings, "TIAODU_REPORT_DUE_WORKING_DAYS", DEFAULT_DUE_WORKING_DAYS)
        )

    @property
    def lock_date(self) -> dt.date:
        """The last day to submit at all: TIAODU_REPORT_LOCK_WORKING_DAYS (5) after the end.

        Never before the due date, whatever the settings say.
        """
        lock = self.deadline(
            getattr(settings, "TIAODU_REPORT_LOCK_WORKING_DAYS", DEFAULT_LOCK_WORKING_DAYS)
        )
        return max(lock, self.due_date)

    def next(self) -> "PeriodSpan":
        """The period of the same cycle that starts the day after this one ends."""
        return span_containing(self.cycle, self.end + dt.timedelta(days=1))

    def previous(self) -> "PeriodSpan":
        """The period of the same cycle that ends the day before this one starts."""
        return span_containing(self.cycle, self.start - dt.timedelta(days=1))


def span_containing(cycle: Cycle | str, day: dt.date) -> PeriodSpan:
    """The period of `cycle` that holds `day`."""
    cycle = Cycle(cycle)
    start, end = _bounds(cycle, day)
    return PeriodSpan(cycle, start, end)


def spans_between(cycle: Cycle | str, first_day: dt.date, last_day: dt.date) -> list[PeriodSpan]:
    """The periods of `cycle` that hold any day from `first_day` to `last_day`, in order.

    The first holds `first_day` and the last holds `last_day`; none when last_day is
    before first_day.
    """
    spans: list[PeriodSpan] = []
    if last_day < first_day:
        return spans
    span = span_containing(cycle, first_day)
    while span.start <= last_day:
        spans.append(span)
        span = span.next()
    return spans


def spans_to_open(cycle: Cycle | str, today: dt.date, *, since: dt.date) -> list[PeriodSpan]:
    """Every period of `cycle` that has begun by `today`, from the one that holds `since`.

    The period in progress is included (it is reported at its end); none when `since` is
    after `today`.
    """
    return spans_between(cycle, since, today)


def finest(cycles: Iterable[Cycle | str]) -> Cycle:
    """The finest of `cycles` (weekly < ten_day < half_month < monthly < quarterly)."""
    chosen = [Cycle(cycle) for cycle in cycles]
    if not chosen:
        raise ValueError("finest() needs at least one cycle")
    return min(chosen, key=FINENESS.index)


def contains(coarse: PeriodSpan, fine: PeriodSpan) -> bool:
    """Whether `fine`'s figures are summed into `coarse`'s.

    A week belongs to the coarser period that holds its Thursday; any other period
    belongs to those that hold it whole. A span contains itself; a ten-day period 11–20
    is in no half-month (see `nests`).
    """
    if fine.cycle == Cycle.WEEKLY and coarse.cycle != Cycle.WEEKLY:
        return coarse.start <= fine.start + THURSDAY <= coarse.end
    return coarse.start <= fine.start and fine.end <= coarse.end


def spans_within(coarse: PeriodSpan, cycle: Cycle | str) -> list[PeriodSpan]:
    """The periods of `cycle` whose figures add up to `coarse`'s, in order.

    The three ten-day periods of a month; the 4 or 5 weeks whose Thursday falls in it;
    nothing for a cycle coarser than `coarse`'s.
    """
    # A week can start up to three days before the coarse period and still belong to it.
    first_day = coarse.start - THURSDAY
    return [span for span in spans_between(cycle, first_day, coarse.end) if contains(coarse, span)]


def nests(coarse: Cycle | str, fine: Cycle | str) -> bool:
    """Whether every period of `coarse` is exactly the sum of periods of `fine`.

    True whenever `fine` is as fine as `coarse` or finer, except half-months from ten-day
    periods: the second ten-day period (11–20) straddles the two halves of the month.
    """
    coarse, fine = Cycle(coarse), Cycle(fine)
    if FINENESS.index(fine) > FINENESS.index(coarse):
        return False
    return (coarse, fine) != (Cycle.HALF_MONTH, Cycle.TEN_DAY)


def last_closed_day(today: dt.date, cycle: Cycle | str | None = None) -> dt.date:
    """The last day that ended periods cover: the end of the last period of `cycle` (the
    site's default cycle, `TIAODU_DEFAULT_CYCLE`) that ended before `today` — with monthly
    reports, the previous month's last day. Figures default to this date: the period in
    progress is not reported yet."""
    chosen = Cycle(cycle or settings.TIAODU_DEFAULT_CYCLE)
    return span_containing(chosen, today).previous().end
