"""The big screen (大屏, `/screen/`): the dashboard's figures laid out for a command centre's
wall (docs/screen.md).

Nothing here counts anew. The headline and the charts are the dashboard's
(`dashboard.charts`, the figure set of the scope); the screen adds three lists, each read
with the condition the figure it stands under counts:

- the regions of the `regions` chart as a table, from the figure set's `by_region`;
- the worst lagging entries: the library's `figure=lagging` condition
  (`figure_conditions.lagging`) on the scope's entries, lowest completion rate first, as
  many in all as the figure set's `lagging`;
- the overdue problems as of the date: the ledger's own reading (`problem_ledger(as_of=…,
  overdue=True)`), as many as the figure set's `problems.overdue`.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import ExpressionWrapper, F, FloatField, Q

from tiaodu.accounts.models import OrgUnit
from tiaodu.analytics import dashboard
from tiaodu.analytics.figures import Scope, region_key, scoped_plans
from tiaodu.core.numbers import percent
from tiaodu.core.scoping import Actor
from tiaodu.core.workdays import working_days_between
from tiaodu.problems.models import Problem
from tiaodu.problems.selectors import problem_ledger
from tiaodu.projects import figure_conditions

# The views the main panel turns through, in order; `?view=` pins one.
VIEWS = ("regions", "lagging", "problems")
LAGGING_ROWS = 12
OVERDUE_ROWS = 7


@dataclass(frozen=True)
class LaggingEntry:
    """One lagging plan entry: amounts in 万元, its rate and how far below time progress."""

    name: str
    region: str
    unit: str
    annual_plan: Decimal
    ytd_completed: Decimal
    rate: str | None
    behind: str | None


@dataclass(frozen=True)
class OverdueProblem:
    title: str
    project: str
    category: str
    department: str
    deadline: dt.date | None
    working_days_overdue: int


def _behind(values: dict[str, Any], progress: Decimal) -> bool:
    """Whether a completion rate is below time progress (the bars and rows shown red)."""
    rate = values.get("completion_rate")
    return rate is not None and Decimal(rate) < progress


def region_rows(scope: Scope, figures: dict[str, Any]) -> list[dict[str, Any]]:
    """The figure set's `by_region` rows with a plan, named, highest completion rate first."""
    top = scope.region
    if top is None:
        return []
    units = OrgUnit.objects.regions().filter(Q(pk=top.pk) | Q(parent=top))
    names = {region_key(unit): unit.name for unit in units}
    progress = Decimal(figures["time_progress"])
    rows = [
        {"key": key, "label": names.get(key, key), "behind": _behind(values, progress), **values}
        for key, values in figures["by_region"].items()
        if Decimal(values["annual_plan"]) > 0
    ]
    rows.sort(key=lambda row: -Decimal(row["completion_rate"] or -1))
    return rows


def lagging_entries(actor: Actor, scope: Scope, limit: int = LAGGING_ROWS) -> list[LaggingEntry]:
    """The scope's lagging entries (the library's `figure=lagging`), lowest completion rate
    first, then the largest plan."""
    as_of = scope.as_of
    progress = figure_conditions.time_progress(as_of)
    rows = (
        scoped_plans(actor, scope)
        .filter(figure_conditions.lagging(as_of))
        .annotate(ytd=figure_conditions.ytd_completed(as_of))
        .annotate(
            share=ExpressionWrapper(F("ytd") / F("planned_investment"), output_field=FloatField())
        )
        .order_by("share", "-planned_investment", "project__name")
        .values(
            "project__name",
            "project__region__name",
            "project__owner_unit__name",
            "project__responsible_unit__name",
            "planned_investment",
            "ytd",
        )[:limit]
    )
    entries = []
    for row in rows:
        rate = percent(row["ytd"], row["planned_investment"])
        entries.append(
            LaggingEntry(
                name=row["project__name"],
                region=row["project__region__name"],
                unit=row["project__owner_unit__name"]
                or row["project__responsible_unit__name"]
                or "",
                annual_plan=row["planned_investment"],
                ytd_completed=Decimal(row["ytd"] or 0),
                rate=rate,
                behind=None if rate is None else format(progress - Decimal(rate), "f"),
            )
        )
    return entries


def overdue_problems(actor: Actor, scope: Scope, limit: int = OVERDUE_ROWS) -> list[OverdueProblem]:
    """The problems overdue at the end of the as-of day, most overdue first, as the ledger
    lists them for that date."""
    ledger = problem_ledger(
        actor, overdue=True, as_of=scope.as_of, plan_year=scope.year, region=scope.region
    ).select_related("project", "assigned_department")
    problems: list[Problem] = list(ledger[:limit])
    return [
        OverdueProblem(
            title=problem.title,
            project=problem.project.name,
            category=problem.get_category_display(),
            department=problem.assigned_department.name if problem.assigned_department else "",
            deadline=problem.deadline,
            working_days_overdue=(
                working_days_between(problem.deadline, scope.as_of) if problem.deadline else 0
            ),
        )
        for problem in problems
    ]


def build(actor: Actor, scope: Scope) -> dict[str, Any]:
    """What the screen shows for a scope: the dashboard (headline, charts, figure set) and
    the three lists."""
    board = dashboard.charts(actor, scope)
    charts = {chart["id"]: chart for chart in board["charts"]}
    figures = board["figures"]
    return {
        "board": board,
        "figures": figures,
        # Without regions below it (a district's scope), the regions view draws the trend,
        # which then leaves the side column.
        "trend": charts.get("trend") if "regions" in charts else None,
        "new_starts": charts.get("new_starts"),
        "regions_chart": charts.get("regions") or charts.get("trend"),
        "problems_chart": charts.get("problems"),
        "behind": _behind(figures, Decimal(figures["time_progress"])),
        "lagging_margin": figure_conditions.lagging_margin(),
        "regions": region_rows(scope, figures),
        "lagging": lagging_entries(actor, scope),
        "overdue": overdue_problems(actor, scope),
    }
