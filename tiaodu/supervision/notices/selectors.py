"""Scoped reads of supervision notices."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from tiaodu.core.roles import Role
from tiaodu.core.scoping import Actor, Someone, grant_paths, restrict
from tiaodu.projects.models import Project
from tiaodu.supervision.notices.choices import NoticeStatus
from tiaodu.supervision.notices.models import Notice


def notices_visible_to(actor: Someone) -> QuerySet[Notice]:
    """Notices over the actor's regions' projects, or addressed to the actor's unit or to
    the actor as sponsoring leader; each once, though the region lookup crosses projects."""
    visible = Q(pk__in=restrict(Notice.objects.all(), actor).values("pk"))
    if actor is not None and getattr(actor, "is_authenticated", False):
        # The head of a task force sees the notices addressed to it (DOMAIN.md §8).
        visible |= Q(task_force_head__user=actor.pk)
    return Notice.objects.filter(visible).select_related(
        "recipient_unit", "sponsoring_leader", "task_force_head", "issued_by"
    )


def notice_for(actor: Someone, pk: int) -> Notice:
    """One notice the actor may see; 404 otherwise, so that it cannot be enumerated."""
    return get_object_or_404(notices_visible_to(actor), pk=pk)


def overdue_notices(actor: Actor, *, today: dt.date) -> QuerySet[Notice]:
    """Issued, unanswered notices past their response deadline."""
    return notices_visible_to(actor).filter(status=NoticeStatus.ISSUED, response_deadline__lt=today)


def answerable_by(actor: Someone) -> Q:
    """The notices addressed to a unit the actor answers for (a department handler's or a
    reporter's unit, or a unit below it); matches nothing for anyone else."""
    condition = Q(pk__in=[])
    for path in grant_paths(actor, Role.DEPARTMENT_HANDLER, Role.REPORTER):
        condition |= Q(recipient_unit__path__startswith=path)
    return condition


def awaiting_response(actor: Actor) -> QuerySet[Notice]:
    """Issued notices the actor's unit must still answer, earliest deadline first."""
    return (
        notices_visible_to(actor)
        .filter(answerable_by(actor), status=NoticeStatus.ISSUED)
        .order_by("response_deadline", "pk")
    )


def project_notices(actor: Actor, project: Project) -> QuerySet[Notice]:
    """The notices naming a project that the actor may see, newest first."""
    return notices_visible_to(actor).filter(
        pk__in=Notice.objects.filter(projects=project).values("pk")
    )
