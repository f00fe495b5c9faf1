"""The figure set's `problems` key (DOMAIN.md §4), as of a date.

Counted over the problems of the projects in scope that the actor may see, as they stood at
the end of the as-of day D, as the ledger lists them with the same date
(`selectors.problem_ledger(as_of=D)`): open = raised by then and neither resolved nor closed
by then; overdue = open with a deadline before D; resolved = closed in the year up to D; the on-time rate = the
share of those closed on or before their deadline. Four queries, whatever the number of
problems.
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate

from tiaodu.core.numbers import percent
from tiaodu.core.scoping import Actor
from tiaodu.problems.choices import ProblemCategory
from tiaodu.problems.models import Problem
from tiaodu.problems.selectors import day_end, overdue_on, problems_visible_to, unresolved_on


def problems_figures(
    actor: Actor, plans: QuerySet[Any], year: int, as_of: dt.date
) -> dict[str, Any]:
    """`plans` is the scope's plan entries; a problem counts when its project has one.

    A correlated EXISTS on each problem's project (the plan entry's unique (project, year)
    key), not `project IN (the scope's projects)`: its cost follows the problems, where
    the list of every project in scope would be built first (on SQLite, for each query)."""
    end = day_end(as_of)
    start = day_end(dt.date(year - 1, 12, 31))
    in_scope = Exists(plans.filter(project=OuterRef("project")))
    base = problems_visible_to(actor).filter(in_scope, raised_at__lt=end)
    still_open = unresolved_on(as_of)
    overdue = overdue_on(as_of)
    closed = Q(closed_at__gte=start, closed_at__lt=end)
    tally = {
        "open": Count("pk", filter=still_open),
        "overdue": Count("pk", filter=overdue),
        "resolved": Count("pk", filter=closed),
    }
    totals = _totals(base, tally, closed)
    by_category: dict[str, dict[str, Any]] = {
        row["category"]: dict(row) for row in base.values("category").annotate(**tally).order_by()
    }
    by_department: list[dict[str, Any]] = [
        dict(row)
        for row in base.filter(assigned_department__isnull=False)
        .values("assigned_department__name")
        .annotate(**tally)
        .order_by("assigned_department__name")
    ]
    return {
        "open": totals["open"],
        "overdue": totals["overdue"],
        "resolved": totals["resolved"],
        "resolved_on_time_rate": percent(totals["on_time"], totals["resolved"]),
        "by_category": {
            category.value: _counts(by_category.get(category.value, {}))
            for category in ProblemCategory
        },
        "by_department": {
            row["assigned_department__name"]: _counts(row)
            for row in by_department
            if any(row.get(key) for key in tally)
        },
    }


def _totals(base: QuerySet[Problem], tally: dict[str, Count], closed: Q) -> dict[str, int]:
    return base.annotate(closed_day=TruncDate("closed_at")).aggregate(
        **tally,
        on_time=Count(
            "pk", filter=closed & Q(deadline__isnull=False, closed_day__lte=F("deadline"))
        ),
    )


def _counts(row: Mapping[str, Any]) -> dict[str, int]:
    return {key: int(row.get(key) or 0) for key in ("open", "overdue", "resolved")}
