"""Scoped reads of the project library. Every page, export and API call reads through here."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from tiaodu.accounts.models import Person
from tiaodu.core import clock
from tiaodu.core.models import AuditEvent
from tiaodu.core.related import read_related
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Actor, Someone, grant_paths, restrict
from tiaodu.projects import figure_conditions
from tiaodu.projects.choices import ProcedureKind
from tiaodu.projects.lists import with_current_lists
from tiaodu.projects.models import (
    PROJECT_RELATIONS,
    AnnualPlan,
    KeyProjectList,
    Procedure,
    Project,
    TaskForce,
)
from tiaodu.projects.visibility import extra_condition

LIST_RELATED = (
    "project",
    "project__region",
    "project__owner_unit",
    "project__responsible_unit",
    "project__municipal_leader",
)


def projects_visible_to(actor: Someone) -> QuerySet[Project]:
    """The projects `actor` may see (DOMAIN.md §2); none for administrators. Besides the
    scoping rules, the ways of reaching a project that higher apps register (`visibility`):
    a department handler sees the projects of the problems assigned to its department."""
    scoped = restrict(Project.objects.all(), actor)
    extra = extra_condition(actor, "pk")
    return scoped if extra is None else scoped | Project.objects.filter(extra)


def owned_projects(actor: Actor) -> QuerySet[Project]:
    """The projects of the reporter's owner units, by name (the direct channel's choice)."""
    paths = grant_paths(actor, Role.REPORTER)
    if not paths:
        return Project.objects.none()
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(owner_unit__path__startswith=path)
    return projects_visible_to(actor).filter(condition).order_by("name")


def project_for(actor: Someone, pk: int) -> Project:
    """One project the actor may see, with what its page shows; 404 otherwise. The scope's
    conditions join the region; the other rows the page names are read after, one query
    per model (`core.related`): joined too, they made PostgreSQL plan an eight-table join
    for every project page (5 ms)."""
    project = get_object_or_404(projects_visible_to(actor).select_related("region"), pk=pk)
    read_related(project, [name for name in PROJECT_RELATIONS if name != "region"])
    return project


def plans_visible_to(actor: Someone) -> QuerySet[AnnualPlan]:
    """The annual plan entries `actor` may see, ready for the library list."""
    scoped = restrict(AnnualPlan.objects.all(), actor)
    extra = extra_condition(actor, "project")
    if extra is not None:
        scoped = scoped | AnnualPlan.objects.filter(extra)
    return with_current_lists(scoped.select_related(*LIST_RELATED))


def project_plans(project: Project) -> QuerySet[AnnualPlan]:
    """A project's plan entries by year, newest first, with their lists."""
    return with_current_lists(project.plans.order_by("-year"))


def project_plan(project: Project, year: int) -> AnnualPlan | None:
    """The project's plan entry for a year, if it has one (the project was read in scope)."""
    return project.plans.filter(year=year).first()


def project_procedures(project: Project) -> list[Procedure]:
    """The procedures checklist in the order of the glossary."""
    order = {kind: index for index, kind in enumerate(ProcedureKind.values)}
    return sorted(project.procedures.all(), key=lambda p: order.get(p.kind, 99))


def project_history(project: Project) -> QuerySet[AuditEvent]:
    """The audit events of a project and of its plan entries and procedures."""
    key = str(project.pk)
    return (
        AuditEvent.objects.filter(
            Q(object_type="projects.project", object_id=key)
            | Q(parent_type="projects.project", parent_id=key)
        )
        .select_related("actor")
        .order_by("-at", "-id")
    )


def plan_years(actor: Actor) -> list[int]:
    """The years that have plan entries on the site, newest first (not business data).

    Read down the year index one year at a time (the newest year below the last found),
    a lookup per year: a `DISTINCT` reads every entry, 15 ms a call at 100,000 entries on
    PostgreSQL, on every page that offers the years."""
    years: list[int] = []
    entries = AnnualPlan.objects.order_by("-year").values_list("year", flat=True)
    year = entries.first()
    while year is not None:
        years.append(year)
        year = entries.filter(year__lt=year).first()
    return years


def default_year(actor: Actor, years: list[int] | None = None) -> int:
    """The current year if it has plan entries in scope, else the newest that has
    (`years`: `plan_years(actor)` if the caller has read them already)."""
    this_year = clock.today().year
    years = plan_years(actor) if years is None else years
    if not years or this_year in years:
        return this_year
    return years[0]


def key_project_lists(year: int | None = None) -> QuerySet[KeyProjectList]:
    """Lists are site-wide names (not business data), offered as filter choices."""
    queryset = KeyProjectList.objects.all()
    return queryset.filter(year=year) if year else queryset


def project_history_for(actor: Actor) -> QuerySet[AuditEvent]:
    """The latest audit events of the projects in the actor's scope (for the home page)."""
    recent = projects_visible_to(actor).order_by("-updated_at")
    keys = [str(pk) for pk in recent.values_list("pk", flat=True)[:200]]
    return AuditEvent.objects.filter(
        Q(object_type="projects.project", object_id__in=keys)
        | Q(parent_type="projects.project", parent_id__in=keys)
    ).order_by("-at", "-id")


def _in_task_force(actor: Someone, through: str = "") -> Q | None:
    """The task forces (reached through `through`, a relation to them) the actor is in: as a
    member, its head or its responsible person; None for no signed-in actor."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return (
        Q(**{f"{through}members__user": actor.pk})
        | Q(**{f"{through}head__user": actor.pk})
        | Q(**{f"{through}responsible_person__user": actor.pk})
    )


def task_force_reach(actor: Someone) -> QuerySet[Any] | None:
    """The ids of the projects of the task forces the actor is in (as a member, its head or
    its responsible person); registered as a reach in `visibility` (DOMAIN.md §8)."""
    mine = _in_task_force(actor, "taskforce__")
    if mine is None:
        return None
    return TaskForce.projects.through.objects.filter(mine).values("project_id")


def in_a_task_force(actor: Someone) -> bool:
    """Whether the actor is in a task force (as in `task_force_reach`): what it then sees
    follows from the account, not its grants alone (`visibility.reader_key`; a head also sees
    the notices addressed to it)."""
    mine = _in_task_force(actor)
    return mine is not None and TaskForce.objects.filter(mine).exists()


def task_forces_visible_to(actor: Someone) -> QuerySet[TaskForce]:
    """The task forces that serve a project the actor may see."""
    visible = projects_visible_to(actor).values("pk")
    ids = TaskForce.projects.through.objects.filter(project__in=visible).values("taskforce_id")
    return (
        TaskForce.objects.filter(pk__in=ids)
        .select_related("head", "responsible_person")
        .prefetch_related(
            Prefetch("members", queryset=Person.objects.order_by("name")),
            Prefetch("projects", queryset=Project.objects.select_related("region")),
        )
    )


def task_force_for(actor: Someone, pk: int) -> TaskForce:
    """One task force the actor may see; 404 otherwise."""
    return get_object_or_404(task_forces_visible_to(actor), pk=pk)


def project_task_forces(project: Project) -> QuerySet[TaskForce]:
    """The task forces serving a project (the project was read in scope)."""
    return (
        project.task_forces.select_related("head", "responsible_person")
        .prefetch_related(Prefetch("members", queryset=Person.objects.order_by("name")))
        .order_by("name", "id")
    )


def task_force_heads(projects: Iterable[Project] | QuerySet[Project]) -> QuerySet[Person]:
    """The heads of the task forces serving the projects (a notice may go to one of them)."""
    ids: Any = projects.values("pk") if isinstance(projects, QuerySet) else [p.pk for p in projects]
    return (
        Person.objects.filter(headed_task_forces__projects__in=ids)
        .distinct()
        .order_by("name", "pk")
    )


def plans_not_in_statistics(actor: Someone, as_of: dt.date) -> QuerySet[AnnualPlan]:
    """The 入统 chase (应统尽统): the plan entries of D's year that the actor may see whose
    project started on or before D and is not in the statistics on D (no inclusion date, or
    one after D): `figure_conditions.not_in_statistics`, the complement of the figure set's
    `in_statistics.included` within `.due`. Longest waiting first."""
    return (
        plans_visible_to(actor)
        .filter(figure_conditions.not_in_statistics(as_of), year=as_of.year)
        .select_related("project__responsible_unit")
        .order_by("project__actual_start", "project__name", "pk")
    )
