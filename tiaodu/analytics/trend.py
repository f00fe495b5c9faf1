"""The year month by month: the figure set's `ytd_completed` and `new_start.started` at each
month's end, read in four GROUP BY queries instead of one figure set a month.

`ytd_completed` on a day D is the ledger's figure of each entry dated by D plus the counting
reports of periods ending by D (`figure_conditions.ytd_completed`); summed over the scope's
entries it is the ledger's figures grouped by their date plus the reports grouped by their
period's end, each added up to D. The new starts started by D are the new-start entries
whose actual start is by D. A test holds every point equal to the figure set of that day.
"""

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from tiaodu.projects import figure_conditions as conditions
from tiaodu.projects.models import AnnualPlan
from tiaodu.reporting.figures import counting_reports
from tiaodu.reporting.models import Report


@dataclass(frozen=True)
class MonthPoint:
    # `known`: whether any amount of completed investment is stated by `end` (a ledger's or
    # a report's); before the first, the figure set says 0 because nothing is known yet.
    end: dt.date  # the month's last day, or the as-of date in its month
    ytd_completed: Decimal
    planned_to_date: Decimal  # the annual plan × time progress on `end`
    new_starts_planned: int  # new-start entries whose planned start is by `end`
    new_starts_started: int  # new-start entries whose actual start is by `end`
    known: bool = True


def month_ends(year: int, as_of: dt.date) -> list[dt.date]:
    """Each month's last day from January to the as-of date's month, the last one the as-of
    date itself."""
    ends = [
        dt.date(year, month, calendar.monthrange(year, month)[1])
        for month in range(1, as_of.month + 1)
    ]
    ends[-1] = as_of
    return ends


def _running(
    amounts: Iterable[tuple[dt.date | None, Decimal | int | None]], ends: list[dt.date]
) -> list[Decimal]:
    """The total of the amounts dated on or before each end."""
    dated = sorted((day, Decimal(amount or 0)) for day, amount in amounts if day is not None)
    totals: list[Decimal] = []
    running, index = Decimal(0), 0
    for end in ends:
        while index < len(dated) and dated[index][0] <= end:
            running += dated[index][1]
            index += 1
        totals.append(running)
    return totals


def monthly(plans: QuerySet[AnnualPlan], year: int, as_of: dt.date) -> list[MonthPoint]:
    """The scope's year month by month up to the as-of date (see the module's note)."""
    ends = month_ends(year, as_of)
    plans = plans.order_by()
    ledger = (
        plans.filter(ytd_as_of__isnull=False)
        .values("ytd_as_of")
        .annotate(amount=Sum("ytd_completed"))
    )
    reported = (
        Report.objects.filter(counting_reports(), plan__in=plans.values("pk"))
        .filter(period__end__lte=as_of)
        .order_by()
        .values("period__end")
        .annotate(amount=Sum("investment"))
    )
    # The first day an amount of completed investment is stated (0s say nothing yet).
    dates = [row["ytd_as_of"] for row in ledger if row["amount"]] + [
        row["period__end"] for row in reported if row["amount"]
    ]
    first_known = min((day for day in dates if day is not None), default=None)
    completed = [
        a + b
        for a, b in zip(
            _running(((row["ytd_as_of"], row["amount"]) for row in ledger), ends),
            _running(((row["period__end"], row["amount"]) for row in reported), ends),
            strict=True,
        )
    ]
    new_starts = plans.filter(conditions.new_start())
    planned = new_starts.values("planned_start").annotate(n=Count("id"))
    started = new_starts.values("project__actual_start").annotate(n=Count("id"))
    planned_by = _running(((row["planned_start"], row["n"]) for row in planned), ends)
    started_by = _running(((row["project__actual_start"], row["n"]) for row in started), ends)
    annual_plan = plans.aggregate(total=Sum("planned_investment"))["total"] or Decimal(0)
    points = []
    for index, end in enumerate(ends):
        elapsed, whole = conditions.progress_fraction(end)
        points.append(
            MonthPoint(
                end=end,
                ytd_completed=completed[index],
                planned_to_date=(annual_plan * elapsed / whole).quantize(conditions.CENT),
                new_starts_planned=int(planned_by[index]),
                new_starts_started=int(started_by[index]),
                known=first_known is not None and first_known <= end,
            )
        )
    return points
