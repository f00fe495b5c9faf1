"""The ledger's two summaries for dispatchers and leaders: how each department handles the
problems given to it, and the blockers that cost the most (docs/problems.md).

Both read through `selectors.problems_visible_to`, so a district dispatcher's figures are
those of the district's projects. Days are counted in the site's time zone.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from tiaodu.accounts.models import OrgUnit
from tiaodu.core import clock
from tiaodu.core.numbers import percent
from tiaodu.core.scoping import Actor
from tiaodu.core.workdays import working_days_between
from tiaodu.problems.choices import OPEN_STATUSES
from tiaodu.problems.models import Problem
from tiaodu.problems.selectors import day_end, problems_visible_to

TENTH = Decimal("0.1")
BLOCKERS_SHOWN = 50


@dataclass
class DepartmentRow:
    """One department's problems: those it received, those it resolved (resolved or closed,
    the handler's resolution standing), how many of those by the deadline, the working days
    from assignment to resolution summed over them, and those overdue today."""

    department: OrgUnit | None
    received: int = 0
    resolved: int = 0
    on_time: int = 0
    working_days: int = 0
    overdue: int = 0

    @property
    def on_time_rate(self) -> str | None:
        """Resolved by the deadline ÷ resolved, a percentage with two places (None: none)."""
        return percent(self.on_time, self.resolved)

    @property
    def average_days(self) -> Decimal | None:
        """Working days from assignment to resolution, on average, one place, half-up."""
        if not self.resolved:
            return None
        average = Decimal(self.working_days) / Decimal(self.resolved)
        return average.quantize(TENTH, rounding=ROUND_HALF_UP)

    def add(self, other: "DepartmentRow") -> None:
        self.received += other.received
        self.resolved += other.resolved
        self.on_time += other.on_time
        self.working_days += other.working_days
        self.overdue += other.overdue


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


def department_table(
    actor: Actor, *, year: int | None = None, today: dt.date | None = None
) -> tuple[list[DepartmentRow], DepartmentRow]:
    """Per department, the problems assigned to it (in `year`, by the day of assignment, or
    ever), most received first; and the totals. Overdue counts the open ones past their
    deadline on `today`."""
    today = today or clock.today()
    problems = problems_visible_to(actor).filter(assigned_department__isnull=False)
    if year is not None:
        problems = problems.filter(
            assigned_at__gte=day_end(dt.date(year - 1, 12, 31)),
            assigned_at__lt=day_end(dt.date(year, 12, 31)),
        )
    rows: dict[int, DepartmentRow] = {}
    fields = ("assigned_department_id", "status", "deadline", "assigned_at", "resolved_at")
    for department_id, status, deadline, assigned_at, resolved_at in problems.values_list(
        *fields
    ).order_by():
        row = rows.setdefault(department_id, DepartmentRow(None))
        row.received += 1
        if resolved_at is not None:
            resolved_on = _local_day(resolved_at)
            row.resolved += 1
            if deadline is not None and resolved_on <= deadline:
                row.on_time += 1
            if assigned_at is not None:
                row.working_days += working_days_between(_local_day(assigned_at), resolved_on)
        elif status in OPEN_STATUSES and deadline is not None and deadline < today:
            row.overdue += 1
    for department in OrgUnit.objects.filter(pk__in=rows):
        rows[department.pk].department = department
    table = sorted(
        rows.values(),
        key=lambda row: (-row.received, row.department.name if row.department else ""),
    )
    totals = DepartmentRow(None)
    for row in table:
        totals.add(row)
    return table, totals


@dataclass
class Blocker:
    """An open problem and what it holds back: the project's total investment (万元) times
    the calendar days since the problem was raised."""

    problem: Problem
    investment: Decimal
    days_blocked: int

    @property
    def weight(self) -> Decimal:
        return self.investment * self.days_blocked

    @property
    def weight_text(self) -> str:
        """The weight as a whole number with thousands separators ("540,000")."""
        return f"{self.weight.quantize(Decimal(1), rounding=ROUND_HALF_UP):,}"


def blockers(
    actor: Actor, *, today: dt.date | None = None, limit: int = BLOCKERS_SHOWN
) -> list[Blocker]:
    """The open problems (reported, assigned, in progress) the actor sees, ranked by the
    project's total investment × the days since raised, heaviest first (ties: the oldest
    first); the first `limit`."""
    today = today or clock.today()
    open_problems = problems_visible_to(actor).filter(status__in=OPEN_STATUSES)
    weighed = []
    for pk, investment, raised_at in open_problems.values_list(
        "pk", "project__total_investment", "raised_at"
    ).order_by():
        days = max((today - _local_day(raised_at)).days, 0)
        amount = Decimal(investment or 0)
        weighed.append((amount * days, raised_at, pk, amount, days))
    weighed.sort(key=lambda item: (-item[0], item[1], item[2]))
    chosen = weighed[:limit]
    found = {
        problem.pk: problem for problem in open_problems.filter(pk__in=[item[2] for item in chosen])
    }
    return [Blocker(found[pk], amount, days) for _w, _at, pk, amount, days in chosen]
