"""Scoped reads of the problem ledger: what an actor sees, a handler's inbox, the ledger
and its counts; the deadline marks of the problems a page shows.

Overdue is computed against the day (`with_overdue`), never stored: a problem still open
(reported, assigned or in progress) whose deadline is before today.
"""

import datetime as dt
from typing import Any

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.accounts.models import OrgUnit, User
from tiaodu.core import clock
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Actor, Someone, restrict
from tiaodu.core.workdays import working_days_between
from tiaodu.problems.choices import OPEN_STATUSES, ProblemStatus
from tiaodu.problems.models import Problem, ProblemComment
from tiaodu.problems.permissions import handler_paths
from tiaodu.projects.models import AnnualPlan, Project
from tiaodu.projects.visibility import whole_project_condition

# The statuses in which a problem waits for its department.
INBOX_STATUSES = (ProblemStatus.ASSIGNED, ProblemStatus.IN_PROGRESS)
# The name of the annotation `with_overdue` adds.
OVERDUE = "is_overdue"
# The ledger's status filter for every status still waiting for an answer.
OPEN = "open"


def problems_visible_to(actor: Someone) -> QuerySet[Problem]:
    """Dispatchers and leaders by region, reporters by owner unit, service officers by their
    projects, department handlers the problems assigned to their department."""
    scoped = restrict(Problem.objects.all(), actor)
    # A task force's members see the problems of its projects (`projects.visibility`).
    extra = whole_project_condition(actor, "project")
    if extra is not None:
        scoped = scoped | Problem.objects.filter(extra)
    return scoped.select_related(
        "project",
        "project__region",
        "project__owner_unit",
        "assigned_department",
        "handler",
        "raised_by",
    )


def problem_for(actor: Someone, pk: int) -> Problem:
    """One problem the actor may see; 404 otherwise."""
    return get_object_or_404(problems_visible_to(actor), pk=pk)


def comments_of(actor: Actor, problem: Problem) -> QuerySet[ProblemComment]:
    """The comments of a problem the actor may see, oldest first (none otherwise)."""
    visible = problems_visible_to(actor).filter(pk=problem.pk)
    return ProblemComment.objects.filter(problem__in=visible).select_related("author")


def day_end(day: dt.date) -> dt.datetime:
    """The first instant after `day` in the site's time zone (a bound for "by the end of")."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def overdue_condition(today: dt.date) -> Q:
    return Q(status__in=OPEN_STATUSES, deadline__isnull=False, deadline__lt=today)


def unresolved_on(day: dt.date) -> Q:
    """Open as the ledger stood at the end of `day`: raised by then, and neither resolved
    nor closed by then (the open statuses, read back in time: a rejected resolution has
    no resolution date)."""
    end = day_end(day)
    return (
        Q(raised_at__lt=end)
        & (Q(resolved_at__isnull=True) | Q(resolved_at__gte=end))
        & (Q(closed_at__isnull=True) | Q(closed_at__gte=end))
    )


def overdue_on(day: dt.date) -> Q:
    """Overdue at the end of `day`: open then (`unresolved_on`) with a deadline before it."""
    return unresolved_on(day) & Q(deadline__isnull=False, deadline__lt=day)


def with_overdue(queryset: QuerySet[Problem], today: dt.date | None = None) -> QuerySet[Problem]:
    """The queryset with `is_overdue`: open and past its deadline on `today`."""
    today = today or clock.today()
    flag = Case(
        When(overdue_condition(today), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    return queryset.annotate(**{OVERDUE: flag})


def handler_inbox(actor: Actor, today: dt.date | None = None) -> QuerySet[Problem]:
    """The problems waiting for the actor's departments, earliest deadline first (so the
    overdue ones come first)."""
    condition = _department_condition(actor)
    if condition is None:
        return Problem.objects.none()
    queryset = problems_visible_to(actor).filter(condition, status__in=INBOX_STATUSES)
    return with_overdue(queryset, today).order_by("deadline", "id")


def ledger_conditions(today: dt.date, as_of: dt.date | None) -> tuple[Q, Q]:
    """What "open" and "overdue" mean in the ledger: by status today, or as of a day."""
    if as_of is None:
        return Q(status__in=OPEN_STATUSES), overdue_condition(today)
    return unresolved_on(as_of), overdue_on(as_of)


def text_condition(text: str) -> Q:
    """The words in a problem's title or description or its project's name; a number
    ("12" or "#12") is also the problem of that number (its id, shown as #12)."""
    words = text.strip()
    condition = (
        Q(title__icontains=words)
        | Q(description__icontains=words)
        | Q(project__name__icontains=words)
    )
    number = words.removeprefix("#").removeprefix("＃").strip()
    if number.isdigit() and len(number) <= 9:
        condition |= Q(pk=int(number))
    return condition


def problem_ledger(
    actor: Actor,
    *,
    status: str | None = None,
    overdue: bool | None = None,
    category: str | None = None,
    department: OrgUnit | None = None,
    region: OrgUnit | None = None,
    level: str | None = None,
    text: str | None = None,
    today: dt.date | None = None,
    as_of: dt.date | None = None,
    plan_year: int | None = None,
) -> QuerySet[Problem]:
    """The ledger as a dispatcher filters it; each filter left None keeps every row. A
    `status` of "open" keeps the open statuses (reported, assigned, in progress); `text`
    finds the words in the problem's title or description or the project's name, or the
    problem of that number (`text_condition`). Newest
    first; the overdue ones (`overdue=True`) earliest deadline first.

    With `as_of`, the ledger as it stood at the end of that day, as the figure set counts
    it (`figures.problems_figures`): the problems raised by then, "open" and "overdue" as
    they were then (`unresolved_on`, `overdue_on`). `plan_year` keeps the problems of
    projects in that year's plan (the figure set's scope)."""
    today = today or clock.today()
    queryset = with_overdue(problems_visible_to(actor), today)
    if plan_year is not None:
        queryset = queryset.filter(
            project__in=AnnualPlan.objects.filter(year=plan_year).values("project")
        )
    open_now, late = ledger_conditions(today, as_of)
    if as_of is not None:
        queryset = queryset.filter(raised_at__lt=day_end(as_of))
    if text and text.strip():
        queryset = queryset.filter(text_condition(text))
    if status == OPEN:
        queryset = queryset.filter(open_now)
    elif status:
        queryset = queryset.filter(status=status)
    if category:
        queryset = queryset.filter(category=category)
    if level:
        queryset = queryset.filter(level=level)
    if department is not None:
        queryset = queryset.filter(assigned_department=department)
    if region is not None:
        queryset = queryset.filter(project__region__path__startswith=region.path)
    if overdue is True:
        # The overdue ledger reads most overdue first.
        return queryset.filter(late).order_by("deadline", "id")
    if overdue is False:
        queryset = queryset.exclude(late)
    return queryset.order_by("-raised_at", "-id")


def mark_deadlines(problems: list[Problem], today: dt.date) -> list[Problem]:
    """Give each problem, while it is open and has a deadline, `past_deadline` (the deadline
    is before today: overdue), `working_days_left` to the deadline (None when closed or
    without one) and `working_days_overdue` (the working days since, once past)."""
    for problem in problems:
        left = None
        if problem.deadline is not None and problem.status in OPEN_STATUSES:
            left = working_days_between(today, problem.deadline)
        marks = {
            "past_deadline": left is not None and problem.deadline < today,  # type: ignore[operator]
            "working_days_left": left,
            "working_days_overdue": -left if left is not None and left < 0 else 0,
        }
        for name, value in marks.items():
            setattr(problem, name, value)
    return problems


def ledger_counts(
    actor: Actor, today: dt.date, *, as_of: dt.date | None = None, plan_year: int | None = None
) -> dict[str, int]:
    """Open, overdue and awaiting confirmation, over the whole ledger the actor sees (with
    `as_of` and `plan_year`, as `problem_ledger` reads them: open and overdue as they
    stood at the end of that day)."""
    visible = problem_ledger(actor, today=today, as_of=as_of, plan_year=plan_year)
    open_now, late = ledger_conditions(today, as_of)
    return visible.order_by().aggregate(
        open=Count("pk", filter=open_now),
        overdue=Count("pk", filter=late),
        resolved=Count("pk", filter=Q(status=ProblemStatus.RESOLVED)),
    )


def project_problems(actor: Actor, project: Project) -> QuerySet[Problem]:
    """The problems of a project that the actor may see, newest first, with `is_overdue`."""
    return with_overdue(problems_visible_to(actor).filter(project=project)).order_by(
        "-raised_at", "-id"
    )


def awaiting_confirmation(actor: Actor) -> QuerySet[Problem]:
    """The problems the actor's departments resolved that wait for the dispatcher's or the
    owner's confirmation, latest resolution first."""
    condition = _department_condition(actor)
    if condition is None:
        return Problem.objects.none()
    return (
        problems_visible_to(actor)
        .filter(condition, status=ProblemStatus.RESOLVED)
        .order_by("-resolved_at", "-id")
    )


def _department_condition(actor: Someone) -> Q | None:
    paths = handler_paths(actor)
    if not paths:
        return None
    condition = Q()
    for path in paths:
        condition |= Q(assigned_department__path__startswith=path)
    return condition


def path_prefixes(path: str) -> list[str]:
    """ "/1/7/42/" → ["/1/", "/1/7/", "/1/7/42/"]."""
    parts = [part for part in path.split("/") if part]
    return ["/" + "/".join(parts[: n + 1]) + "/" for n in range(len(parts))]


def assignable_departments(problem: Problem) -> QuerySet[OrgUnit]:
    """The active departments that may take the problem: those of the project's region and
    of the regions above it (a 黄岛区 project goes to a 黄岛区 or a city department)."""
    regions = path_prefixes(problem.project.region.path)
    return OrgUnit.objects.filter(
        kind=OrgUnitKind.DEPARTMENT, is_active=True, parent__path__in=regions
    ).order_by("depth", "name")


def department_handlers(departments: QuerySet[OrgUnit] | list[OrgUnit]) -> QuerySet[User]:
    """The active users who handle problems for one of the departments (a department handler
    of the department or of a unit above it), by name."""
    paths = {prefix for department in departments for prefix in path_prefixes(department.path)}
    return (
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.DEPARTMENT_HANDLER,
            role_assignments__org_unit__path__in=paths,
        )
        .distinct()
        .order_by("display_name", "username")
    )


def reached_projects(actor: Someone) -> QuerySet[Any] | None:
    """The ids of the projects of the problems assigned to the actor's departments (the
    projects app adds them to what a department handler sees; DOMAIN.md §2)."""
    condition = _department_condition(actor)
    if condition is None:
        return None
    return Problem.objects.filter(condition).values("project_id")
