"""The completeness board (DOMAIN.md §3): who reported in a period, on time or late, and who not.

Everything is counted in the database. An entry's cycle (the finest of its lists' rules
and its level's rule, else the site's default) is an SQL expression here, the same rule as
`selectors.cycles_of`, so that "expected in this period" is a filter, not a list of ids;
its first submission is a subquery. One GROUP BY (region, owner unit) query gives the
cells that add up to the totals, to the rows per region and to the rows per unit; a few
more read the regions and units by name. The count does not depend on the number of
projects.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from tiaodu.accounts.models import OrgUnit
from tiaodu.core.bounds import filter_id
from tiaodu.core.numbers import percent
from tiaodu.projects.models import AnnualPlan, ListMembership
from tiaodu.reporting.choices import Cycle, ReportStatus
from tiaodu.reporting.models import CycleRule, Period, Report
from tiaodu.reporting.periods import FINENESS
from tiaodu.reporting.selectors import reporting_plans

# A report in one of these statuses has been handed in (a returned one is back with the unit).
HANDED_IN = (ReportStatus.SUBMITTED, ReportStatus.DISTRICT_APPROVED, ReportStatus.APPROVED)
COUNTS = ("expected", "submitted", "on_time", "late")


def _rank(lookup: str) -> Case:
    """A cycle column as its place in FINENESS (0 the finest)."""
    return Case(
        *(When(**{lookup: cycle.value}, then=Value(index)) for index, cycle in enumerate(FINENESS)),
        output_field=IntegerField(),
    )


def with_cycle_rank(
    plans: QuerySet[AnnualPlan], day: dt.date | None = None
) -> QuerySet[AnnualPlan]:
    """The entries annotated with `cycle_rank`: the place in FINENESS of the cycle they
    report on (DOMAIN.md §3: report once, on the finest of their cycles), by the lists they
    stood on on `day` (None: now), as `selectors.cycles_of` reads them. A site without cycle
    rules reports on the default cycle throughout: no per-entry lookup then (at 100,000
    projects they were a third of the submission board's count, 309 → 216 ms on SQLite and
    711 → 365 ms on PostgreSQL)."""
    default = FINENESS.index(Cycle(getattr(settings, "TIAODU_DEFAULT_CYCLE", Cycle.MONTHLY)))
    if not CycleRule.objects.exists():
        return plans.annotate(cycle_rank=Value(default, output_field=IntegerField()))
    memberships = (
        ListMembership.objects.filter(end__isnull=True)
        if day is None
        else ListMembership.objects.on(day)
    )
    by_list = (
        memberships.filter(
            annual_plan=OuterRef("pk"),
            key_project_list__cycle_rule__isnull=False,
        )
        .annotate(rank=_rank("key_project_list__cycle_rule__cycle"))
        .order_by("rank")
        .values("rank")[:1]
    )
    by_level = (
        CycleRule.objects.filter(level=OuterRef("level"))
        .exclude(level="")
        .annotate(rank=_rank("cycle"))
        .values("rank")[:1]
    )
    return plans.annotate(
        list_rank=Subquery(by_list, output_field=IntegerField()),
        level_rank=Subquery(by_level, output_field=IntegerField()),
    ).annotate(
        cycle_rank=Coalesce(
            Case(
                When(list_rank__isnull=True, then="level_rank"),
                When(level_rank__isnull=True, then="list_rank"),
                When(list_rank__lte=F("level_rank"), then="list_rank"),
                default="level_rank",
                output_field=IntegerField(),
            ),
            Value(default),
            output_field=IntegerField(),
        )
    )


def expected_plans(period: Period, plans: QuerySet[AnnualPlan] | None = None) -> QuerySet:
    """The entries (of `plans`, default all) expected to report in the period."""
    candidates = reporting_plans(period)
    if plans is not None:
        candidates = candidates.filter(pk__in=plans.values("pk"))
    return with_cycle_rank(candidates, period.end).filter(
        Q(cycle_rank=FINENESS.index(Cycle(period.cycle)))
    )


def deadline(period: Period) -> dt.datetime:
    """The first moment after the due date (local time): a report handed in before it is on time."""
    return timezone.make_aware(
        dt.datetime.combine(period.due_date + dt.timedelta(days=1), dt.time())
    )


def handed_in(period: Period, as_of: dt.date | None = None) -> QuerySet[Report]:
    """The handed-in reports of the period (any amendment), by `as_of` when given."""
    reports = Report.objects.filter(period=period, status__in=HANDED_IN)
    if as_of is not None:
        end = timezone.make_aware(dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time()))
        reports = reports.filter(submitted_at__lt=end)
    return reports


def with_first_submission(
    plans: QuerySet[AnnualPlan], period: Period, as_of: dt.date | None = None
) -> QuerySet[AnnualPlan]:
    """The entries annotated with `first_submitted`: when the earliest of their handed-in
    reports of the period was submitted (None: nothing handed in)."""
    first = (
        handed_in(period, as_of)
        .filter(plan=OuterRef("pk"))
        .order_by("submitted_at")
        .values("submitted_at")[:1]
    )
    return plans.annotate(first_submitted=Subquery(first))


def missing_plans(period: Period, plans: QuerySet[AnnualPlan]) -> QuerySet[AnnualPlan]:
    """The expected entries of the period with nothing handed in."""
    return expected_plans(period, plans).exclude(
        Exists(handed_in(period).filter(plan=OuterRef("pk")))
    )


@dataclass
class Completeness:
    """The counts of one group; submitted = on_time + late, expected = submitted + missing."""

    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0

    @property
    def missing(self) -> int:
        return self.expected - self.submitted

    @property
    def submitted_rate(self) -> str | None:
        return percent(self.submitted, self.expected)

    @property
    def on_time_rate(self) -> str | None:
        return percent(self.on_time, self.expected)

    def add(self, cell: dict[str, Any]) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + int(cell.get(name) or 0))

    def as_dict(self) -> dict[str, Any]:
        return {
            "expected": self.expected,
            "submitted": self.submitted,
            "on_time": self.on_time,
            "late": self.late,
            "missing": self.missing,
            "submitted_rate": self.submitted_rate,
            "on_time_rate": self.on_time_rate,
        }


@dataclass
class BoardRow:
    """One line of the board: a region or an owner unit (None: entries without one)."""

    key: int | None
    label: str
    counts: Completeness = field(default_factory=Completeness)


@dataclass
class Board:
    period: Period
    region: OrgUnit | None
    totals: Completeness
    by_region: list[BoardRow]
    by_unit: list[BoardRow]


def counts(
    period: Period, plans: QuerySet[AnnualPlan], *, as_of: dt.date | None = None, by: tuple = ()
) -> list[dict[str, Any]]:
    """One query: the counts of the expected entries of `plans`, grouped by `by` (a single
    row of totals without it)."""
    cut = deadline(period)
    expected = with_first_submission(expected_plans(period, plans), period, as_of)
    aggregates = {
        "expected": Count("id"),
        "submitted": Count("id", filter=Q(first_submitted__isnull=False)),
        "on_time": Count("id", filter=Q(first_submitted__lt=cut)),
        "late": Count("id", filter=Q(first_submitted__gte=cut)),
    }
    if not by:
        return [expected.order_by().aggregate(**aggregates)]
    return list(expected.order_by().values(*by).annotate(**aggregates))


def _region_rows(cells: list[dict[str, Any]], region: OrgUnit) -> list[BoardRow]:
    """The scope region's children (zeros included); the region itself first when entries
    sit on it directly, as in the figure set's by_region."""
    children = sorted(
        OrgUnit.objects.regions().filter(parent=region),
        key=lambda unit: (unit.region_code is None, unit.region_code or "", unit.name),
    )
    rows = {child.pk: BoardRow(child.pk, child.name) for child in children}
    own = BoardRow(region.pk, region.name)
    ids = {cell["project__region"] for cell in cells}
    paths = dict(OrgUnit.objects.filter(pk__in=ids).values_list("pk", "path"))
    for cell in cells:
        region_id = cell["project__region"]
        if region_id == region.pk:
            own.counts.add(cell)
            continue
        parts = paths[region_id].strip("/").split("/")
        child_id = int(parts[region.depth + 1]) if len(parts) > region.depth + 1 else None
        if child_id in rows:
            rows[child_id].counts.add(cell)
    return ([own] if own.counts.expected else []) + [rows[child.pk] for child in children]


def _unit_rows(cells: list[dict[str, Any]]) -> list[BoardRow]:
    """One row per owner unit with expected entries, the most missing first."""
    names = dict(
        OrgUnit.objects.filter(
            pk__in={c["project__owner_unit"] for c in cells} - {None}
        ).values_list("pk", "name")
    )
    rows: dict[int | None, BoardRow] = {}
    for cell in cells:
        key = cell["project__owner_unit"]
        if key not in rows:
            rows[key] = BoardRow(key, names.get(key, "") if key is not None else "")
        rows[key].counts.add(cell)
    return sorted(rows.values(), key=lambda row: (-row.counts.missing, row.label))


def board(period: Period, plans: QuerySet[AnnualPlan], region: OrgUnit | None) -> Board:
    """The completeness of `plans` (already scoped to the reader) in the period."""
    cells = counts(period, plans, by=("project__region", "project__owner_unit"))
    totals = Completeness()
    for cell in cells:
        totals.add(cell)
    return Board(
        period=period,
        region=region,
        totals=totals,
        by_region=_region_rows(cells, region) if region is not None else [],
        by_unit=_unit_rows(cells),
    )


def chosen_period(params: Any, today: dt.date) -> tuple[str, Period | None]:
    """The period asked for, else the latest whose due date has passed (of the cycle asked
    for, else of any cycle), else the latest opened one."""
    cycle = params.get("cycle") if params.get("cycle") in Cycle.values else None
    periods = Period.objects.filter(cycle=cycle) if cycle else Period.objects.all()
    period = None
    if period_id := filter_id(params.get("period")):
        period = periods.filter(pk=period_id).first()
    if period is None:
        period = periods.filter(due_date__lt=today).order_by("-due_date", "-end").first()
    if period is None:
        period = periods.filter(start__lte=today).order_by("-end").first()
    return (period.cycle if period else cycle or Cycle.MONTHLY), period


def latest_due_period(year: int, as_of: dt.date) -> Period | None:
    """The latest period of year `year` of the finest cycle with one due on or before `as_of`."""
    due = Period.objects.filter(end__year=year, due_date__lte=as_of)
    return due.annotate(rank=_rank("cycle")).order_by("rank", "-end").first()


def reporting_figures(plans: QuerySet[AnnualPlan], year: int, as_of: dt.date) -> dict[str, Any]:
    """The figure set's `reporting` key (DOMAIN.md §4), in two queries: the completeness of
    `plans` in the latest period due by `as_of`, counting reports submitted by then."""
    period = latest_due_period(year, as_of)
    totals = Completeness()
    if period is not None:
        totals.add(counts(period, plans, as_of=as_of)[0])
    return {
        "period": period.label if period is not None else None,
        "expected": totals.expected,
        "submitted": totals.submitted,
        "on_time": totals.on_time,
        "late": totals.late,
        "missing": totals.missing,
        "rate": totals.submitted_rate,
        "on_time_rate": totals.on_time_rate,
    }
