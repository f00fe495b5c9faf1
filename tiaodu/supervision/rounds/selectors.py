"""Scoped reads of field rounds. A round, a group, a visit, a photo or a finding outside the
reader's scope answers 404.

- A round is seen by the dispatchers and region leaders whose region holds the round's
  region (the organising side) or lies within it (a district under a city round), and by
  the members of its groups.
- Within a round, a reader sees the assigned projects it may see (`projects_visible_to`)
  and those of the groups it is a member of; the ranking and the averages count only those.
- A visit is seen by whoever sees its project, and by the members of the visiting group.
"""

from typing import TypeGuard

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from tiaodu.accounts.models import OrgUnit, User
from tiaodu.core.roles import ADMINISTRATOR_ROLES, Role
from tiaodu.core.scoping import Actor, Someone, dispatcher_paths, restrict
from tiaodu.projects.models import Project
from tiaodu.projects.selectors import projects_visible_to
from tiaodu.supervision.rounds.models import (
    FieldRound,
    Finding,
    GroupMember,
    RoundAssignment,
    RoundGroup,
    SiteVisit,
    VisitPhoto,
)

REGION_ROLES = (Role.DISPATCHER, Role.LEADER)


def _signed_in(actor: Someone) -> TypeGuard[Actor]:
    return actor is not None and getattr(actor, "is_authenticated", False)


def _ancestor_paths(path: str) -> list[str]:
    """ "/1/7/42/" → ["/1/", "/1/7/"]: the regions above."""
    parts = [part for part in path.split("/") if part]
    return ["/" + "/".join(parts[: n + 1]) + "/" for n in range(len(parts) - 1)]


def _member_groups(actor: Someone) -> QuerySet[RoundGroup]:
    # Nobody signed in is a member of no group (not of those whose members have no account).
    if not _signed_in(actor):
        return RoundGroup.objects.none()
    return RoundGroup.objects.filter(members__user=actor.pk)


def rounds_visible_to(actor: Someone) -> QuerySet[FieldRound]:
    """The rounds the actor may see (see the module's docstring); each once."""
    if not _signed_in(actor):
        return FieldRound.objects.none()
    covering: list[str] = []
    for grant in actor.scope_grants():
        if grant.role in REGION_ROLES and not grant.assigned_only and grant.unit_path:
            covering += _ancestor_paths(grant.unit_path)
    condition = (
        Q(pk__in=restrict(FieldRound.objects.all(), actor).values("pk"))
        | Q(region__path__in=covering)
        | Q(groups__in=_member_groups(actor))
    )
    visible = FieldRound.objects.filter(condition).values("pk")
    return FieldRound.objects.filter(pk__in=visible).select_related("region", "created_by")


def round_for(actor: Someone, pk: int) -> FieldRound:
    """One round the actor may see; 404 otherwise."""
    return get_object_or_404(rounds_visible_to(actor), pk=pk)


def round_list(
    actor: Actor,
    *,
    kind: str | None = None,
    status: str | None = None,
    year: int | None = None,
    text: str = "",
) -> QuerySet[FieldRound]:
    """The rounds page: the actor's rounds, filtered, newest first, with their counts."""
    queryset = rounds_visible_to(actor)
    if kind:
        queryset = queryset.filter(kind=kind)
    if status:
        queryset = queryset.filter(status=status)
    if year:
        queryset = queryset.filter(start_date__year=year)
    if text.strip():
        queryset = queryset.filter(title__icontains=text.strip())
    seen = visits_visible_to(actor).values("pk")
    return queryset.annotate(
        group_count=Count("groups", distinct=True),
        visit_count=Count("visits", filter=Q(visits__in=seen), distinct=True),
    ).order_by("-start_date", "-id")


def round_years(actor: Actor) -> list[int]:
    return sorted(
        {day.year for day in rounds_visible_to(actor).values_list("start_date", flat=True)},
        reverse=True,
    )


def group_for(actor: Someone, pk: int) -> RoundGroup:
    """A group of a round the actor may see; 404 otherwise."""
    return get_object_or_404(
        RoundGroup.objects.select_related("round__region"),
        pk=pk,
        round__in=rounds_visible_to(actor),
    )


def groups_of(field_round: FieldRound) -> list[RoundGroup]:
    """The round's groups with their members (names of officials, not business data)."""
    return list(field_round.groups.prefetch_related("members__user"))


def assignments_visible_to(actor: Someone, field_round: FieldRound) -> QuerySet[RoundAssignment]:
    """The round's assigned projects the actor may see, or visits as a group member."""
    if not _signed_in(actor):
        return RoundAssignment.objects.none()
    return (
        field_round.assignments.filter(
            Q(project__in=projects_visible_to(actor)) | Q(group__in=_member_groups(actor))
        )
        .select_related("group", "project__region", "project__owner_unit")
        .order_by("group_id", "project__region__path", "project__name")
    )


def visits_visible_to(actor: Someone) -> QuerySet[SiteVisit]:
    """The visits of projects the actor sees, and those of the actor's groups; each once."""
    if not _signed_in(actor):
        return SiteVisit.objects.none()
    condition = Q(pk__in=restrict(SiteVisit.objects.all(), actor).values("pk")) | Q(
        group__in=_member_groups(actor)
    )
    return SiteVisit.objects.filter(condition).select_related(
        "round__region", "group", "project__region", "project__owner_unit", "recorded_by"
    )


def visit_for(actor: Someone, pk: int) -> SiteVisit:
    """One visit the actor may see; 404 otherwise."""
    return get_object_or_404(visits_visible_to(actor), pk=pk)


def round_visits(actor: Actor, field_round: FieldRound) -> dict[int, SiteVisit]:
    """The round's visits the actor may see, by project id."""
    visits = (
        visits_visible_to(actor)
        .filter(round=field_round)
        .annotate(
            photo_count=Count("photos", distinct=True),
            finding_count=Count("finding_items", distinct=True),
        )
    )
    return {visit.project_id: visit for visit in visits}


def project_visits(actor: Actor, project: Project) -> QuerySet[SiteVisit]:
    """A project's visits the actor may see, newest first (the project page's tab)."""
    return (
        visits_visible_to(actor)
        .filter(project=project)
        .annotate(
            finding_count=Count("finding_items", distinct=True),
            raised_count=Count(
                "finding_items", filter=Q(finding_items__problem__isnull=False), distinct=True
            ),
            photo_count=Count("photos", distinct=True),
        )
        .order_by("-visited_on", "-id")
    )


def photo_for(actor: Someone, pk: int) -> VisitPhoto:
    """A photo of a visit the actor may see; 404 otherwise."""
    return get_object_or_404(
        VisitPhoto.objects.select_related("visit"), pk=pk, visit__in=visits_visible_to(actor)
    )


def finding_for(actor: Someone, pk: int) -> Finding:
    """A finding of a visit the actor may see; 404 otherwise."""
    return get_object_or_404(
        Finding.objects.select_related("visit"), pk=pk, visit__in=visits_visible_to(actor)
    )


def findings_of(visit: SiteVisit) -> QuerySet[Finding]:
    return visit.finding_items.select_related("problem").order_by("id")


def member_for(actor: Someone, pk: int) -> GroupMember:
    return get_object_or_404(
        GroupMember.objects.select_related("group__round__region"),
        pk=pk,
        group__round__in=rounds_visible_to(actor),
    )


def assignment_for(actor: Someone, pk: int) -> RoundAssignment:
    """An assignment the actor may see (its project, or as a member of its group)."""
    visible = RoundAssignment.objects.filter(
        Q(project__in=projects_visible_to(actor)) | Q(group__in=_member_groups(actor))
    )
    return get_object_or_404(
        visible.select_related("round__region", "group", "project__region"), pk=pk
    )


# ----------------------------------------------------------------------------- choices


def assignable_projects(field_round: FieldRound) -> QuerySet[Project]:
    """Projects of the round's region in the plan of its year, not yet assigned in it (the
    organiser sees them all: the round's region lies in its own)."""
    return (
        Project.objects.filter(
            region__path__startswith=field_round.region.path,
            plans__year=field_round.start_date.year,
        )
        .exclude(round_assignments__round=field_round)
        .distinct()
        .select_related("region")
        .order_by("region__path", "name")
    )


def assignable_regions(field_round: FieldRound) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.regions().filter(path__startswith=field_round.region.path)


def organiser_regions(actor: Actor) -> QuerySet[OrgUnit]:
    """The regions an actor may organise rounds over: its dispatcher regions' subtrees."""
    condition = Q(pk__in=[])
    for path in dispatcher_paths(actor):
        condition |= Q(path__startswith=path)
    return OrgUnit.objects.regions().filter(condition).order_by("path")


def member_candidates(field_round: FieldRound) -> QuerySet[User]:
    """Active accounts that may join a group: business roles, in a unit of the round's
    region or without a unit (leaders, service officers named on projects)."""
    return (
        User.objects.filter(is_active=True)
        .exclude(role_assignments__role__in=ADMINISTRATOR_ROLES)
        .filter(role_assignments__isnull=False)
        .filter(
            Q(org_unit__path__startswith=field_round.region.path)
            | Q(org_unit__isnull=True)
            | Q(role_assignments__org_unit__path__in=_ancestor_paths(field_round.region.path))
        )
        .distinct()
        .select_related("org_unit")
        .order_by("display_name", "username")
    )
