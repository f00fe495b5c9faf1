"""The problem pages' lists, shown and exported from one definition (core.listing): the
handler's problems to handle (待办问题), the table per department and the biggest blockers.
The ledger itself exports in its own layout (`exports.write_problem_ledger`).

Each source reads what its page shows, in the reader's scope: the same function for the
page and its file.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Min
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import clock
from tiaodu.core.listing import Column, Found, Kind, Listing, Table, register
from tiaodu.problems import selectors, stats
from tiaodu.problems.models import Problem
from tiaodu.problems.permissions import handles_problems, reads_ledger

# At most this many resolved problems waiting for confirmation are listed under the inbox.
AWAITING_SHOWN = 20

STATUS_BADGES = {
    "reported": "bg-purple text-white",
    "assigned": "bg-azure text-white",
    "in_progress": "bg-blue text-white",
    "resolved": "bg-teal text-white",
}
LEVEL_BADGES = {"joint_meeting": "bg-red-lt", "city": "bg-orange-lt"}


def _ledger_reader(request: SignedInRequest) -> None:
    if not reads_ledger(request.user):
        raise Http404


def _link(problem: Problem) -> str:
    return reverse("problems:detail", args=[problem.pk])


def _status(*, testid: str = "problem-status") -> Column[Problem]:
    return Column(
        pgettext_lazy("problem", "Status"),
        lambda p: p.get_status_display(),
        badge=lambda p: STATUS_BADGES.get(p.status, "bg-green text-white"),
        testid=testid,
    )


def _level() -> Column[Problem]:
    return Column(
        gettext_lazy("Problem level"),
        lambda p: p.get_level_display(),
        badge=lambda p: LEVEL_BADGES.get(p.level, "bg-secondary-lt"),
        testid="problem-level",
    )


# ---------------------------------------------------------------------------- the inbox


def inbox_source(request: SignedInRequest) -> Found:
    """待办问题: what waits for the handler's departments, overdue first, then by deadline;
    and what they resolved that waits for confirmation (the latest)."""
    if not handles_problems(request.user):
        raise Http404
    today = clock.today()
    waiting = selectors.mark_deadlines(list(selectors.handler_inbox(request.user, today)), today)
    awaiting = list(
        selectors.awaiting_confirmation(request.user).select_related("project")[:AWAITING_SHOWN]
    )
    overdue = sum(1 for problem in waiting if getattr(problem, selectors.OVERDUE))
    data = {"today": today, "awaiting": awaiting, "overdue": overdue}
    return Found(waiting, list, data=data)


def _days_left(problem: Any) -> str:
    left = getattr(problem, "working_days_left", None)
    if left is None:
        return ""
    if problem.past_deadline:
        late = problem.working_days_overdue
        if not late:
            return _("overdue")
        return ngettext("overdue by %(n)s working day", "overdue by %(n)s working days", late) % {
            "n": late
        }
    if problem.deadline == clock.today():
        return _("due today")
    return ngettext("%(n)s working day left", "%(n)s working days left", left) % {"n": left}


def _days_left_css(problem: Any) -> str:
    if problem.past_deadline:
        return "text-nowrap text-danger"
    left = getattr(problem, "working_days_left", None)
    if left is not None and left <= 2:
        return "text-nowrap text-warning"
    return "text-nowrap text-secondary"


def _sent_back(problem: Problem) -> str:
    return problem.rejection_reason if problem.status == "in_progress" else ""


INBOX = register(
    Listing(
        key="problems.inbox",
        page="problems:inbox",
        export="problems:inbox_export",
        name=gettext_lazy("Problems to handle"),
        fallback="problems-to-handle",
        tables=(
            Table(
                "inbox",
                (
                    Column(
                        gettext_lazy("Resolution deadline"),
                        lambda p: p.deadline,
                        Kind.DATE,
                        css=lambda p: "text-danger fw-bold" if p.past_deadline else "",
                    ),
                    Column(
                        gettext_lazy("Time left"),
                        _days_left,
                        under=True,
                        css=_days_left_css,
                        testid="days-left",
                    ),
                    Column(
                        gettext_lazy("Problem"),
                        lambda p: p.title,
                        width=36,
                        link=_link,
                        css="td-name fw-bold",
                    ),
                    Column(gettext_lazy("Project"), lambda p: p.project.name, width=32, under=True),
                    Column(gettext_lazy("Region"), lambda p: str(p.project.region), under=True),
                    Column(
                        gettext_lazy("Sent back because"),
                        _sent_back,
                        width=32,
                        under=True,
                        lead=gettext_lazy("Sent back:"),
                        truncate=60,
                        css="text-danger",
                    ),
                    Column(
                        gettext_lazy("Problem category"),
                        lambda p: p.get_category_display(),
                        css="text-nowrap",
                    ),
                    _level(),
                    _status(),
                    Column(
                        gettext_lazy("Overdue"),
                        lambda p: _("Overdue") if p.past_deadline else "",
                        under=True,
                        badge=lambda p: "bg-red text-white",
                        testid="overdue",
                    ),
                    Column(gettext_lazy("Handler"), lambda p: p.handler and str(p.handler)),
                    Column(
                        gettext_lazy("Responsible department"),
                        lambda p: p.assigned_department and p.assigned_department.name,
                        width=24,
                        under=True,
                    ),
                ),
                gettext_lazy("Assigned to your department"),
            ),
            Table(
                "awaiting",
                (
                    Column(gettext_lazy("Problem"), lambda p: p.title, width=36, link=_link),
                    Column(gettext_lazy("Project"), lambda p: p.project.name, width=32),
                    Column(gettext_lazy("Resolved on"), lambda p: p.resolved_at, Kind.DATE),
                ),
                gettext_lazy("Resolved, waiting for confirmation"),
                rows=lambda found: found.data["awaiting"],
            ),
        ),
        source=inbox_source,
    )
)


# ---------------------------------------------------------------------------- departments


def _year(value: str | None, years: list[int]) -> int | None:
    try:
        year = int(value or "")
    except ValueError:
        return None
    return year if year in years else None


def departments_source(request: SignedInRequest) -> Found:
    """部门办理情况: per department, received, resolved, on time, working days, overdue (in
    a year of assignment, this year unless chosen); and the totals."""
    _ledger_reader(request)
    today = clock.today()
    first = selectors.problems_visible_to(request.user).aggregate(first=Min("raised_at"))["first"]
    start = timezone.localdate(first).year if first is not None else today.year
    years = list(range(today.year, start - 1, -1))
    year = _year(request.GET.get("year", str(today.year)), years)
    rows, totals = stats.department_table(request.user, year=year, today=today)
    return Found(
        rows,
        lambda: [(_("Assigned in"), str(year) if year else _("All years"))],
        data={"totals": totals, "years": years, "year": year, "today": today},
    )


def _in_ledger(row: stats.DepartmentRow, *, overdue: bool = False) -> str:
    if row.department is None or (overdue and not row.overdue):
        return ""
    url = f"{reverse('problems:ledger')}?department={row.department.pk}"
    return f"{url}&overdue=yes" if overdue else url


DEPARTMENTS = register(
    Listing(
        key="problems.departments",
        page="problems:departments",
        export="problems:departments_export",
        name=gettext_lazy("Problems by department"),
        fallback="problems-by-department",
        tables=(
            Table(
                "departments",
                (
                    Column(
                        gettext_lazy("Department"),
                        lambda r: r.department.name if r.department else _("Total"),
                        width=28,
                        link=_in_ledger,
                    ),
                    Column(gettext_lazy("Received"), lambda r: r.received, Kind.COUNT),
                    Column(gettext_lazy("Resolved"), lambda r: r.resolved, Kind.COUNT),
                    Column(gettext_lazy("Resolved on time"), lambda r: r.on_time, Kind.COUNT),
                    Column(
                        gettext_lazy("On-time resolution rate"), lambda r: r.on_time_rate, Kind.RATE
                    ),
                    Column(
                        gettext_lazy("Average working days to resolve"),
                        lambda r: r.average_days,
                        Kind.NUMBER,
                    ),
                    Column(
                        gettext_lazy("Overdue now"),
                        lambda r: r.overdue,
                        Kind.COUNT,
                        link=lambda r: _in_ledger(r, overdue=True),
                        css=lambda r: (
                            "td-money text-danger fw-bold"
                            if r.overdue and r.department
                            else "td-money"
                        ),
                    ),
                ),
                footer=lambda found: [found.data["totals"]] if found.rows else [],
            ),
        ),
        source=departments_source,
    )
)


# ---------------------------------------------------------------------------- blockers


def blockers_source(request: SignedInRequest) -> Found:
    """堵点排行: the open problems the reader sees by project investment × days blocked, the
    first `stats.BLOCKERS_SHOWN`."""
    _ledger_reader(request)
    today = clock.today()
    found = stats.blockers(request.user, today=today)
    for rank, blocker in enumerate(found, start=1):
        setattr(blocker, "rank", rank)  # noqa: B010
    return Found(found, list, data={"today": today, "limit": stats.BLOCKERS_SHOWN})


BLOCKERS = register(
    Listing(
        key="problems.blockers",
        page="problems:blockers",
        export="problems:blockers_export",
        name=gettext_lazy("Biggest blockers"),
        fallback="biggest-blockers",
        tables=(
            Table(
                "blockers",
                (
                    Column(gettext_lazy("Rank"), lambda b: b.rank, Kind.COUNT),
                    Column(
                        gettext_lazy("Problem"),
                        lambda b: b.problem.title,
                        width=36,
                        link=lambda b: _link(b.problem),
                        css="td-name fw-bold",
                    ),
                    Column(
                        gettext_lazy("Project"),
                        lambda b: b.problem.project.name,
                        width=32,
                        under=True,
                        link=lambda b: f"{b.problem.project.get_absolute_url()}?tab=problems",
                    ),
                    Column(
                        gettext_lazy("Region"), lambda b: str(b.problem.project.region), under=True
                    ),
                    Column(
                        gettext_lazy("Problem category"),
                        lambda b: b.problem.get_category_display(),
                        under=True,
                    ),
                    Column(
                        pgettext_lazy("problem", "Status"),
                        lambda b: b.problem.get_status_display(),
                        badge=lambda b: STATUS_BADGES.get(b.problem.status, "bg-green text-white"),
                        css="text-nowrap",
                        testid="problem-status",
                    ),
                    Column(
                        gettext_lazy("Problem level"),
                        lambda b: b.problem.get_level_display(),
                        under=True,
                        badge=lambda b: LEVEL_BADGES.get(b.problem.level, "bg-secondary-lt"),
                        css="mt-1",
                        testid="problem-level",
                    ),
                    Column(
                        gettext_lazy("Responsible department"),
                        lambda b: (
                            b.problem.assigned_department and b.problem.assigned_department.name
                        ),
                        width=24,
                    ),
                    Column(
                        gettext_lazy("Total investment (10k yuan)"),
                        lambda b: b.investment,
                        Kind.MONEY,
                        width=16,
                    ),
                    Column(
                        gettext_lazy("Days blocked"),
                        lambda b: b.days_blocked,
                        Kind.COUNT,
                        testid="days-blocked",
                    ),
                    Column(
                        gettext_lazy("Weight (10k yuan × days)"),
                        lambda b: b.weight.quantize(Decimal(1), rounding=ROUND_HALF_UP),
                        Kind.NUMBER,
                        width=16,
                        css="td-money fw-bold",
                        testid="weight",
                    ),
                ),
            ),
        ),
        source=blockers_source,
    )
)
