"""Scoped reads of dispatch rounds: reports, who must report in a period, what is due, and
a project's reports and investment for its page."""

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from tiaodu.core import clock
from tiaodu.core.scoping import Actor, Someone, restrict
from tiaodu.projects.choices import AnnualPlanNature
from tiaodu.projects.figure_conditions import CENT, lags, progress_fraction, time_progress
from tiaodu.projects.models import AnnualPlan, ListMembership, Project
from tiaodu.projects.selectors import plans_visible_to
from tiaodu.projects.visibility import whole_project_condition
from tiaodu.reporting import workflow
from tiaodu.reporting.choices import Cycle, ReportStatus
from tiaodu.reporting.figures import counting_reports
from tiaodu.reporting.models import CycleRule, Period, Report, ReportFile
from tiaodu.reporting.periods import finest
from tiaodu.reporting.permissions import relations

REPORTING_NATURES = (
    AnnualPlanNature.NEW_START,
    AnnualPlanNature.CONTINUING,
    AnnualPlanNature.COMPLETING,
)


def reports_visible_to(actor: Someone) -> QuerySet[Report]:
    scoped = restrict(Report.objects.all(), actor)
    # A task force's members see the reports of its projects (`projects.visibility`).
    extra = whole_project_condition(actor, "project")
    if extra is not None:
        scoped = scoped | Report.objects.filter(extra)
    return scoped.select_related(
        "project", "project__region", "project__owner_unit", "period", "plan"
    )


def report_for(actor: Someone, pk: int) -> Report:
    """One report the actor may see; 404 otherwise."""
    return get_object_or_404(reports_visible_to(actor), pk=pk)


def cycles_of(plans: Iterable[tuple[int, str]], day: dt.date | None = None) -> dict[int, str]:
    """The cycle of each (plan id, level): the finest of its lists' and its level's rules,
    or the site's default cycle when no rule names it (DOMAIN.md §3: report once). The lists
    are those it stood on on `day` (a period's end; None: the lists it is on now), so a
    replacement moves an entry to its new list's cycle from the periods after it and the
    periods before keep what they expected."""
    return cycles_on(plans, [day])[day]


def cycles_on(
    plans: Iterable[tuple[int, str]], days: Iterable[dt.date | None]
) -> dict[dt.date | None, dict[int, str]]:
    """`cycles_of` for several days at once: the rules and the memberships are read once."""
    pairs = list(plans)
    by_list = dict(
        CycleRule.objects.filter(key_project_list__isnull=False).values_list(
            "key_project_list_id", "cycle"
        )
    )
    by_level = dict(CycleRule.objects.exclude(level="").values_list("level", "cycle"))
    memberships: list[tuple[int, int, dt.date, dt.date | None]] = []
    if by_list:
        memberships = list(
            ListMembership.objects.filter(
                annual_plan_id__in=[pk for pk, _level in pairs],
                key_project_list_id__in=by_list,
            ).values_list("annual_plan_id", "key_project_list_id", "start", "end")
        )
    default = getattr(settings, "TIAODU_DEFAULT_CYCLE", Cycle.MONTHLY)
    result: dict[dt.date | None, dict[int, str]] = {}
    for day in set(days):
        lists: dict[int, list[int]] = defaultdict(list)
        for plan_id, list_id, start, end in memberships:
            standing = end is None if day is None else start <= day and (end is None or day < end)
            if standing:
                lists[plan_id].append(list_id)
        cycles: dict[int, str] = {}
        for plan_id, level in pairs:
            named = [Cycle(by_list[list_id]) for list_id in lists.get(plan_id, [])]
            if level in by_level:
                named.append(Cycle(by_level[level]))
            cycles[plan_id] = str(finest(named)) if named else str(default)
        result[day] = cycles
    return result


def reporting_plans(period: Period) -> QuerySet[AnnualPlan]:
    """The entries that report in some cycle for the period's year (DOMAIN.md §3): new
    starts, continuing and completing entries not in production by the period's end."""
    return AnnualPlan.objects.filter(year=period.end.year, nature__in=REPORTING_NATURES).filter(
        Q(project__actual_production__isnull=True) | Q(project__actual_production__gt=period.end)
    )


def expected_plan_ids(period: Period, plans: QuerySet[AnnualPlan] | None = None) -> list[int]:
    """The entries (of `plans`, default all) expected to report in this period."""
    candidates = reporting_plans(period)
    if plans is not None:
        candidates = candidates.filter(pk__in=plans.values("pk"))
    cycles = cycles_of(candidates.values_list("pk", "level"), period.end)
    return [pk for pk, cycle in cycles.items() if cycle == period.cycle]


def expected_by_period(periods: Iterable[Period]) -> dict[int, list[int]]:
    """`expected_plan_ids` of several periods at once (period id → entry ids): the entries
    of each year, their rules and memberships are read once, not once per period, and each
    period keeps those of its cycle (the lists as they stood at its end) not in production
    by its end."""
    by_year: dict[int, list[Period]] = defaultdict(list)
    for period in periods:
        by_year[period.end.year].append(period)
    result: dict[int, list[int]] = {}
    for year, group in by_year.items():
        rows = list(
            AnnualPlan.objects.filter(year=year, nature__in=REPORTING_NATURES)
            .order_by()
            .values_list("pk", "level", "project__actual_production")
        )
        # Each period reads the lists as they stood at its end.
        by_end = cycles_on(((pk, level) for pk, level, _production in rows), (p.end for p in group))
        for period in group:
            cycles = by_end[period.end]
            result[period.pk] = [
                pk
                for pk, _level, production in rows
                if cycles[pk] == period.cycle and (production is None or production > period.end)
            ]
    return result


@dataclass
class Due:
    """One report a reporter owes: the entry, the period and the report so far (if any)."""

    plan: AnnualPlan
    period: Period
    report: Report | None

    @property
    def status(self) -> str:
        return self.report.status if self.report else ""

    @property
    def overdue(self) -> bool:

        return clock.today() > self.period.due_date


def open_periods_on(today: dt.date) -> QuerySet[Period]:
    """The periods that have ended or are under way and whose lock date has not passed."""
    return Period.objects.filter(start__lte=today, lock_date__gte=today)


def plan_to_report(actor: Actor, pk: int) -> AnnualPlan:
    """A plan entry the actor sees, with its project, for opening a report; 404 otherwise."""
    return get_object_or_404(plans_visible_to(actor).select_related("project"), pk=pk)


def is_due(plan: AnnualPlan, period: Period, today: dt.date) -> bool:
    """Whether the entry reports in the period and the period is open today (under way or
    ended, its lock date not passed): the pairs `due_for` lists."""
    if not open_periods_on(today).filter(pk=period.pk).exists():
        return False
    return plan.pk in expected_plan_ids(period, AnnualPlan.objects.filter(pk=plan.pk))


def due_for(actor: Actor, today: dt.date) -> list[Due]:
    """The reports the actor must still write or correct in the open periods: no report
    yet, a draft, or a returned one. Submitted and approved ones are not due."""
    mine = restrict(AnnualPlan.objects.all(), actor).select_related(
        "project", "project__region", "project__owner_unit", "project__service_officer"
    )
    result: list[Due] = []
    for period in open_periods_on(today).order_by("due_date", "cycle"):
        ids = expected_plan_ids(period, mine)
        if not ids:
            continue
        reports = {
            r.plan_id: r
            for r in Report.objects.filter(plan_id__in=ids, period=period).order_by("amendment")
        }
        for plan in mine.filter(pk__in=ids).order_by("project__name"):
            if workflow.REPORTER not in relations(actor, plan.project):
                continue
            report = reports.get(plan.pk)
            if report is None or report.status in workflow.EDITABLE:
                result.append(Due(plan=plan, period=period, report=report))
    return result


def review_queue(actor: Actor) -> list[Report]:
    """The reports waiting for this actor's review: submitted ones for a district reviewer,
    submitted and district-approved ones for the city, oldest submission first."""
    waiting = reports_visible_to(actor).filter(
        status__in=(ReportStatus.SUBMITTED, ReportStatus.DISTRICT_APPROVED)
    )
    result = []
    for report in waiting.select_related("project__service_officer").order_by("submitted_at"):
        actions = workflow.REPORTS.actions_for(relations(actor, report.project), report.status)
        if {"approve", "approve_district"} & set(actions):
            result.append(report)
    return result


# ---------------------------------------------------------------------------- the project page


def project_reports(actor: Actor, project: Project) -> list[Report]:
    """The project's reports the actor may see, drafts left out: newest period first, and in
    a period the latest amendment first down to the first report, which stays listed. Their
    files and the people who acted come in the same fixed number of queries."""
    return list(
        reports_visible_to(actor)
        .filter(project=project)
        .exclude(status=ReportStatus.DRAFT)
        .select_related("submitted_by", "district_approved_by", "approved_by")
        .prefetch_related(
            Prefetch("files", queryset=ReportFile.objects.order_by("created_at", "id"))
        )
        .order_by("-period__end", "period__cycle", "-amendment")
    )


def _money(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class InvestmentSeries:
    """One plan year of a project's investment against its plan, as of a date.

    `cumulative` is the year-to-date completed investment after each step: 1 January at 0,
    the ledger's figure at its date (when stated on or before the as-of date), then each
    counting approved report at its period's end — the figure set's `ytd_completed` at each
    of those dates; `ledger_completed` is the ledger's part of it (0 when not counted). The
    `time_progress` line is 0 on 1 January and the plan × time progress at each month's end.
    """

    year: int
    as_of: dt.date
    annual_plan: Decimal
    started: bool
    ledger_completed: Decimal
    ledger_as_of: dt.date | None
    cumulative: list[tuple[dt.date, Decimal]]
    time_progress: list[tuple[dt.date, Decimal]]

    @property
    def ytd_completed(self) -> Decimal:
        return self.cumulative[-1][1]

    @property
    def reported(self) -> Decimal:
        """What the approved reports added to the ledger's figure."""
        return self.ytd_completed - self.ledger_completed

    @property
    def completion_rate(self) -> Decimal | None:
        """ytd ÷ annual plan × 100, two places; None without a plan."""
        if self.annual_plan <= 0:
            return None
        return _money(self.ytd_completed * 100 / self.annual_plan)

    @property
    def time_progress_rate(self) -> Decimal:
        return time_progress(self.as_of)

    @property
    def lagging(self) -> bool:
        """Started, and the completion rate below time progress by more than the margin,
        compared exactly as `figure_conditions.lagging` does."""
        return self.started and lags(self.ytd_completed, self.annual_plan, self.as_of)

    def as_json(self) -> dict[str, Any]:
        """Dates as ISO strings, amounts in 万元 as decimal strings with two places."""

        def points(series: list[tuple[dt.date, Decimal]]) -> list[list[str]]:
            return [[day.isoformat(), f"{amount:.2f}"] for day, amount in series]

        return {
            "year": self.year,
            "as_of": self.as_of.isoformat(),
            "annual_plan": f"{self.annual_plan:.2f}",
            "cumulative": points(self.cumulative),
            "time_progress": points(self.time_progress),
        }


def chart_plan(project: Project, today: dt.date) -> AnnualPlan | None:
    """The plan entry the project page charts: this year's, else the latest before it."""
    return project.plans.filter(year__lte=today.year).order_by("-year").first()


def _progress(day: dt.date) -> Decimal:
    elapsed, whole = progress_fraction(day)
    return Decimal(elapsed) / whole


def investment_series(actor: Actor, plan: AnnualPlan, today: dt.date) -> InvestmentSeries:
    """The plan year's cumulative completed investment, as known today (the end of the year
    for a past year), against the annual plan and the time progress."""
    first_day = dt.date(plan.year, 1, 1)
    as_of = min(today, dt.date(plan.year, 12, 31))
    total = Decimal(0)
    cumulative: list[tuple[dt.date, Decimal]] = [(first_day, total)]
    # The ledger's figure counts from its date, and not at all when stated after as_of.
    ledger_as_of = plan.ytd_as_of if plan.ytd_as_of and plan.ytd_as_of <= as_of else None
    if ledger_as_of is not None:
        total = plan.ytd_completed
        cumulative.append((max(ledger_as_of, first_day), total))
    reported = (
        reports_visible_to(actor)
        .filter(counting_reports(), plan=plan, period__end__lte=as_of)
        .order_by("period__end")
        .values_list("period__end", "investment")
    )
    for end, amount in reported:
        total += amount or Decimal(0)
        cumulative.append((end, total))
    # One point a day: the last step of a day holds that day's figure.
    by_day = dict(cumulative)
    planned = plan.planned_investment
    month_ends = [_month_end(plan.year, month) for month in range(1, 13)]
    return InvestmentSeries(
        year=plan.year,
        as_of=as_of,
        annual_plan=planned,
        started=plan.project.actual_start is not None and plan.project.actual_start <= as_of,
        ledger_completed=plan.ytd_completed if ledger_as_of else Decimal(0),
        ledger_as_of=ledger_as_of,
        cumulative=sorted(by_day.items()),
        time_progress=[(first_day, Decimal("0.00"))]
        + [(end, _money(planned * _progress(end))) for end in month_ends],
    )
