"""Each plan entry's facts at the end of a card month, read in bulk (`rules.Facts`).

A handful of queries whatever the number of entries: the entries with their year-to-date
figure as the figure set computes it (`figure_conditions.ytd_completed`), the month's
periods with the entries each expects (read once for all of them) and the reports handed in by its lock date, the
problems overdue at the month's end, and where each entry's figure comes from (the
evidence of `choices.Evidence`).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Q

from tiaodu.core.media.choices import FileKind
from tiaodu.core.numbers import CENT
from tiaodu.problems.models import Problem
from tiaodu.problems.selectors import day_end
from tiaodu.projects import figure_conditions as conditions
from tiaodu.projects.choices import AnnualPlanNature
from tiaodu.projects.models import AnnualPlan
from tiaodu.reporting.choices import ReportStatus
from tiaodu.reporting.figures import counting_reports
from tiaodu.reporting.models import Period, Report, ReportFile
from tiaodu.reporting.selectors import expected_by_period
from tiaodu.scoring.choices import Evidence
from tiaodu.scoring.rules import Facts, month_end
from tiaodu.supervision.rounds.models import SiteVisit

CHUNK = 900


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def month_periods(month: dt.date) -> list[Period]:
    """The reporting periods that end in the month, in order."""
    return list(
        Period.objects.filter(end__gte=month, end__lte=month_end(month)).order_by("end", "cycle")
    )


def _reporting(
    month: dt.date, plan_ids: set[int]
) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """The labels of each entry's due periods in the month, and of those it missed."""
    due: dict[int, list[str]] = defaultdict(list)
    missing: dict[int, list[str]] = defaultdict(list)
    periods = month_periods(month)
    # The entries each period expects, read for all the month's periods at once.
    expecting = expected_by_period(periods)
    for period in periods:
        expected = [pk for pk in expecting[period.pk] if pk in plan_ids]
        if not expected:
            continue
        # Handed in by the lock date, whatever happened to the report since (a report
        # returned later was still handed in on time for the month's judgment).
        handed = set(
            Report.objects.filter(period=period, submitted_at__lt=day_end(period.lock_date))
            .values_list("plan_id", flat=True)
            .distinct()
        )
        label = period.label
        for pk in expected:
            due[pk].append(label)
            if pk not in handed:
                missing[pk].append(label)
    return due, missing


def _overdue_problems(end: dt.date, project_ids: set[int]) -> dict[int, int]:
    """Problems past their deadline at the month's end and not resolved by then."""
    finished = day_end(end)
    counts: dict[int, int] = defaultdict(int)
    rows = (
        Problem.objects.filter(deadline__isnull=False, deadline__lt=end, raised_at__lt=finished)
        .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=finished))
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=finished))
        .values_list("project_id", flat=True)
    )
    for project_id in rows:
        if project_id in project_ids:
            counts[project_id] += 1
    return counts


def _evidence(year: int, end: dt.date, plans: dict[int, int]) -> dict[int, str]:
    """Each entry's best evidence by the month's end (entry id → `Evidence`)."""
    start = dt.date(year, 1, 1)
    projects = {project: plan for plan, project in plans.items()}
    found: dict[int, str] = {}
    visited = SiteVisit.objects.filter(
        score__isnull=False, visited_on__gte=start, visited_on__lte=end
    ).values_list("project_id", flat=True)
    for project_id in visited:
        if project_id in projects:
            found[projects[project_id]] = Evidence.VISIT
    approved = Report.objects.filter(
        counting_reports(),
        status=ReportStatus.APPROVED,
        plan__year=year,
        period__end__lte=end,
    )
    with_photos = set(
        ReportFile.objects.filter(report__in=approved, kind=FileKind.PHOTO)
        .values_list("report__plan_id", flat=True)
        .distinct()
    )
    for plan_id in approved.values_list("plan_id", flat=True).distinct():
        if plan_id in plans and plan_id not in found:
            found[plan_id] = Evidence.PHOTOS if plan_id in with_photos else Evidence.REPORT
    return {plan: found.get(plan, Evidence.LEDGER) for plan in plans}


def gather(month: dt.date, plan_ids: Iterable[int] | None = None) -> list[Facts]:
    """The facts of the month's entries (the plan year of the month, reserve ones too: the
    rules give them no card), in the order of their ids."""
    end = month_end(month)
    plans = AnnualPlan.objects.filter(year=month.year)
    if plan_ids is not None:
        plans = plans.filter(pk__in=list(plan_ids))
    rows = list(
        plans.annotate(ytd=conditions.ytd_completed(end))
        .order_by("pk")
        .values(
            "pk",
            "project_id",
            "nature",
            "planned_investment",
            "ytd",
            "planned_start",
            "planned_completion",
            "project__actual_start",
            "project__statistics_inclusion",
            "project__actual_completion",
        )
    )
    judged = {
        row["pk"]: row["project_id"] for row in rows if row["nature"] != AnnualPlanNature.RESERVE
    }
    due, missing = _reporting(month, set(judged))
    overdue = _overdue_problems(end, set(judged.values()))
    evidence = _evidence(month.year, end, judged)
    return [
        Facts(
            plan_id=row["pk"],
            project_id=row["project_id"],
            nature=row["nature"],
            # Amounts in cents, whatever the database's arithmetic left (SQLite: 15 places).
            planned_investment=Decimal(row["planned_investment"]).quantize(CENT),
            ytd=Decimal(row["ytd"] or 0).quantize(CENT),
            planned_start=row["planned_start"],
            actual_start=row["project__actual_start"],
            statistics_inclusion=row["project__statistics_inclusion"],
            planned_completion=row["planned_completion"],
            actual_completion=row["project__actual_completion"],
            due_periods=tuple(due.get(row["pk"], ())),
            missing_periods=tuple(missing.get(row["pk"], ())),
            overdue_problems=overdue.get(row["project_id"], 0),
            evidence=evidence.get(row["pk"], ""),
        )
        for row in rows
    ]
