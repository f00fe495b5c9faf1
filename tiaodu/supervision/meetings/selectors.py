"""Scoped reads of meetings.

A meeting is seen by the dispatchers and region leaders over its convening unit (and the
handlers of a convening department) through the one scoping function, and by its
convener and its attendees with an account; administrators see none. Of its agenda each
sees the problems it may open, and the others only as a count.
"""

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from tiaodu.core.roles import BUSINESS_ROLES
from tiaodu.core.scoping import Actor, Someone, holds, restrict
from tiaodu.problems.choices import LEVEL_ORDER, OPEN_STATUSES
from tiaodu.problems.models import Problem
from tiaodu.problems.selectors import problems_visible_to, with_overdue
from tiaodu.supervision.meetings.models import Meeting


def meetings_visible_to(actor: Someone) -> QuerySet[Meeting]:
    """The meetings the actor may see, each once, newest first."""
    if not holds(actor, *BUSINESS_ROLES):
        return Meeting.objects.none()
    scoped = restrict(Meeting.objects.all(), actor).values("pk")
    present = Meeting.objects.filter(Q(convened_by=actor) | Q(attendees__user=actor)).values("pk")
    return (
        Meeting.objects.filter(Q(pk__in=scoped) | Q(pk__in=present))
        .select_related("convened_by", "convening_unit", "chair")
        .annotate(
            agenda_count=Count("agenda", distinct=True),
            decided_count=Count("decisions", distinct=True),
        )
        # Meta.ordering does not apply to a grouped query: say it again.
        .order_by("-date", "-id")
    )


def meeting_for(actor: Someone, pk: int) -> Meeting:
    """One meeting the actor may see; 404 otherwise."""
    return get_object_or_404(meetings_visible_to(actor), pk=pk)


def agenda_of(actor: Someone, meeting: Meeting) -> QuerySet[Problem]:
    """The meeting's agenda problems the actor may open (the problem ledger's own scoping,
    `problems_visible_to`), overdue marked: an attendee sees only those of its scope."""
    problems = (
        meeting.agenda.filter(pk__in=problems_visible_to(actor).values("pk"))
        .select_related(
            "project", "project__region", "project__owner_unit", "assigned_department", "handler"
        )
        .order_by("project__region__path", "pk")
    )
    return with_overdue(problems)


def agenda_withheld(actor: Someone, meeting: Meeting) -> int:
    """How many of the meeting's agenda problems lie outside the actor's scope (shown only
    as this count)."""
    return meeting.agenda.exclude(pk__in=problems_visible_to(actor).values("pk")).count()


def agenda_candidates(actor: Actor, meeting: Meeting, query: str = "") -> QuerySet[Problem]:
    """Open problems the actor may see that are not on the agenda yet: the highest level and
    the earliest deadline first, narrowed by a search over title and project."""
    problems = (
        problems_visible_to(actor)
        .filter(status__in=OPEN_STATUSES)
        .exclude(pk__in=meeting.agenda.values("pk"))
    )
    query = query.strip()
    if query:
        problems = problems.filter(
            Q(title__icontains=query)
            | Q(project__name__icontains=query)
            | Q(project__region__name__icontains=query)
        )
    rank = Case(
        *(When(level=level, then=Value(n)) for n, level in enumerate(LEVEL_ORDER)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        with_overdue(problems)
        .annotate(level_rank=rank)
        .order_by("-level_rank", F("deadline").asc(nulls_last=True), "-raised_at", "-pk")
    )
