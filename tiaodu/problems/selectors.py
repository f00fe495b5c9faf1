"""Scoped reads of the problem ledger: what an actor sees, a handler's inbox, the ledger.

Overdue is computed against the day (`with_overdue`), never stored: a problem still open
(reported, assigned or in progress) whose deadline is before today.
"""

import datetime as dt
from typing import Any

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tiaodu.accounts.models import OrgUnit
from tiaodu.core.roles import Role
from tiaodu.core.scoping import restrict
from tiaodu.problems.choices import OPEN_STATUSES, ProblemStatus
from tiaodu.problems.models import Problem, ProblemComment

# The statuses in which a problem waits for its department.
INBOX_STATUSES = (ProblemStatus.ASSIGNED, ProblemStatus.IN_PROGRESS)
# The name of the annotation `with_overdue` adds.
OVERDUE = "is_overdue"


def problems_visible_to(actor: Any) -> QuerySet[Problem]:
    """Dispatchers and leaders by region, reporters by owner unit, service officers by their
    projects, department handlers the problems assigned to their department."""
    return restrict(Problem.objects.all(), actor).select_related(
        "project",
        "project__region",
        "project__owner_unit",
        "assigned_department",
        "handler",
        "raised_by",
    )


def problem_for(actor: Any, pk: int) -> Problem:
    """One problem the actor may see; 404 otherwise."""
    return get_object_or_404(problems_visible_to(actor), pk=pk)


def comments_of(actor: Any, problem: Problem) -> QuerySet[ProblemComment]:
    """The comments of a problem the actor may see, oldest first (none otherwise)."""
    visible = problems_visible_to(actor).filter(pk=problem.pk)
    return ProblemComment.objects.filter(problem__in=visible).select_related("author")


def day_end(day: dt.date) -> dt.datetime:
    """The first instant after `day` in the site's time zone (a bound for "by the end of")."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def overdue_condition(today: dt.date) -> Q:
    return Q(status__in=OPEN_STATUSES, deadline__isnull=False, deadline__lt=today)


def with_overdue(queryset: QuerySet[Problem], today: dt.date | None = None) -> QuerySet[Problem]:
    """The queryset with `is_overdue`: open and past its deadline on `today`."""
    today = today or timezone.localdate()
    flag = Case(
        When(overdue_condition(today), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    return queryset.annotate(**{OVERDUE: flag})


def handler_inbox(actor: Any, today: dt.date | None = None) -> QuerySet[Problem]:
    """The problems waiting for the actor's departments, earliest deadline first."""
    departments = Q()
    found = False
    for grant in actor.scope_grants() if getattr(actor, "is_authenticated", False) else []:
        if grant.role == Role.DEPARTMENT_HANDLER and grant.unit_path:
            departments |= Q(assigned_department__path__startswith=grant.unit_path)
            found = True
    if not found:
        return Problem.objects.none()
    queryset = problems_visible_to(actor).filter(departments, status__in=INBOX_STATUSES)
    return with_overdue(queryset, today).order_by("deadline", "id")


def problem_ledger(
    actor: Any,
    *,
    status: str | None = None,
    overdue: bool | None = None,
    category: str | None = None,
    department: OrgUnit | None = None,
    region: OrgUnit | None = None,
    level: str | None = None,
    today: dt.date | None = None,
) -> QuerySet[Problem]:
    """The ledger as a dispatcher filters it; each filter left None keeps every row."""
    today = today or timezone.localdate()
    queryset = with_overdue(problems_visible_to(actor), today)
    if status:
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
        queryset = queryset.filter(overdue_condition(today))
    elif overdue is False:
        queryset = queryset.exclude(overdue_condition(today))
    return queryset.order_by("-raised_at", "-id")
