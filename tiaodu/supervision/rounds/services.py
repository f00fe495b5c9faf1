"""The only writers of field rounds: planning a round, its groups and members, the projects
assigned to each group, and the round's status. Each call checks who may, writes atomically
and audits; a refusal (PermissionDenied or ValidationError, translated) changes nothing.

Visits, scores, photos and findings are written by `rounds.visit_services`.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tiaodu.accounts.models import OrgUnit, User
from tiaodu.core import audit
from tiaodu.core.models import AuditAction
from tiaodu.core.scoping import Actor
from tiaodu.core.workflow import TransitionRefused
from tiaodu.projects.models import Project
from tiaodu.supervision.rounds import workflow
from tiaodu.supervision.rounds.choices import RoundKind, RoundStatus
from tiaodu.supervision.rounds.models import (
    FieldRound,
    GroupMember,
    RoundAssignment,
    RoundGroup,
)
from tiaodu.supervision.rounds.permissions import covers_path, manages_round, round_relations

TITLE_MAX = 200
GROUP_NAME_MAX = 50
MEMBER_NAME_MAX = 50
UNIT_MAX = 100


@dataclass(frozen=True)
class AssignResult:
    """What an assignment did: the projects added to the group, and those left out because
    another group of the round (or this one) has them already."""

    added: list[Project]
    skipped: list[Project]


def _text(value: str | None, field: str, message: str, limit: int) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise ValidationError({field: message})
    if len(cleaned) > limit:
        raise ValidationError({field: _("Keep it to %(count)s characters.") % {"count": limit}})
    return cleaned


def _optional(value: str | None, field: str, limit: int) -> str:
    cleaned = (value or "").strip()
    if len(cleaned) > limit:
        raise ValidationError({field: _("Keep it to %(count)s characters.") % {"count": limit}})
    return cleaned


def _manager_refusal() -> PermissionDenied:
    return PermissionDenied(
        _("Only a dispatcher whose region holds the round's region arranges the round.")
    )


def _require_manager(actor: Actor, field_round: FieldRound) -> None:
    if not manages_round(actor, field_round):
        raise _manager_refusal()


def _require_arranging(field_round: FieldRound) -> None:
    if field_round.status not in workflow.ARRANGING:
        raise ValidationError(
            _("The round is finished; reopen it to change its groups or projects.")
        )


def _checked_round_fields(
    *,
    actor: Actor,
    kind: str,
    title: str,
    region: OrgUnit | None,
    start_date: dt.date | None,
    end_date: dt.date | None,
    organised_by: str,
    notes: str,
) -> dict[str, Any]:
    """The round's fields, cleaned; a refusal names the field to correct."""
    if kind not in RoundKind.values:
        raise ValidationError({"kind": _("Choose the kind of round.")})
    title = _text(title, "title", _("Give the round a title."), TITLE_MAX)
    if region is None or not region.is_region:
        raise ValidationError({"region": _("Choose the region the round covers.")})
    if not covers_path(actor, region.path):
        raise PermissionDenied(_("You may organise rounds only within your own region."))
    if start_date is None:
        raise ValidationError({"start_date": _("Give the first day of the round.")})
    if end_date is None:
        raise ValidationError({"end_date": _("Give the last day of the round.")})
    if end_date < start_date:
        raise ValidationError({"end_date": _("The last day cannot be before the first day.")})
    return {
        "kind": kind,
        "title": title,
        "region": region,
        "start_date": start_date,
        "end_date": end_date,
        "organised_by": _optional(organised_by, "organised_by", 100),
        "notes": (notes or "").strip(),
    }


# ----------------------------------------------------------------------------- the round


@transaction.atomic
def create_round(
    *,
    actor: User,
    kind: str,
    title: str,
    region: OrgUnit | None,
    start_date: dt.date | None,
    end_date: dt.date | None,
    organised_by: str = "",
    notes: str = "",
) -> FieldRound:
    """Plan a round over a region the actor dispatches for; it starts as planned."""
    fields = _checked_round_fields(
        actor=actor,
        kind=kind,
        title=title,
        region=region,
        start_date=start_date,
        end_date=end_date,
        organised_by=organised_by,
        notes=notes,
    )
    field_round = FieldRound.objects.create(created_by=actor, **fields)
    audit.record_create(actor=actor, instance=field_round)
    return field_round


@transaction.atomic
def update_round(
    *,
    actor: Actor,
    field_round: FieldRound,
    kind: str,
    title: str,
    region: OrgUnit | None,
    start_date: dt.date | None,
    end_date: dt.date | None,
    organised_by: str = "",
    notes: str = "",
) -> FieldRound:
    """Change a round's kind, title, dates, region or notes. The region must still hold
    every assigned project, and the dates every visit made."""
    field_round = FieldRound.objects.select_for_update().get(pk=field_round.pk)
    _require_manager(actor, field_round)
    fields = _checked_round_fields(
        actor=actor,
        kind=kind,
        title=title,
        region=region,
        start_date=start_date,
        end_date=end_date,
        organised_by=organised_by,
        notes=notes,
    )
    assert region is not None
    outside = field_round.assignments.exclude(project__region__path__startswith=region.path)
    if outside.exists():
        raise ValidationError(
            {
                "region": _(
                    "%(count)s assigned projects lie outside %(region)s; unassign them first."
                )
                % {"count": outside.count(), "region": region.name}
            }
        )
    visits = field_round.visits.exclude(visited_on__range=(start_date, end_date))
    if visits.exists():
        first = visits.order_by("visited_on").first()
        assert first is not None
        raise ValidationError(
            {
                "start_date": _(
                    "A visit was made on %(date)s; the round's dates must include every visit."
                )
                % {"date": first.visited_on.isoformat()}
            }
        )
    before = audit.snapshot(field_round)
    for name, value in fields.items():
        setattr(field_round, name, value)
    field_round.save()
    audit.record_update(actor=actor, instance=field_round, before=before)
    return field_round


@transaction.atomic
def move_round(*, actor: Actor, field_round: FieldRound, action: str) -> FieldRound:
    """Start, finish or reopen a round, as the transition table allows."""
    field_round = FieldRound.objects.select_for_update().get(pk=field_round.pk)
    mine = round_relations(actor, field_round)
    try:
        step = workflow.ROUNDS.check(mine, field_round.status, action)
    except TransitionRefused as refused:
        if refused.step is None:
            raise ValidationError(
                _("A round that is %(status)s cannot be changed that way.")
                % {"status": field_round.get_status_display()}
            ) from None
        raise _manager_refusal() from None
    if step.target == RoundStatus.UNDER_WAY and not field_round.groups.exists():
        raise ValidationError(_("Form at least one group before the round starts."))
    before = audit.snapshot(field_round)
    workflow.ROUNDS.apply(field_round, action, mine)
    field_round.save(update_fields=["status", "updated_at"])
    audit.record_update(actor=actor, instance=field_round, before=before)
    return field_round


# ----------------------------------------------------------------------------- groups


@transaction.atomic
def add_group(*, actor: Actor, field_round: FieldRound, name: str) -> RoundGroup:
    """Add a group (第一组…) to the round; its name is unique within the round."""
    _require_manager(actor, field_round)
    _require_arranging(field_round)
    name = _text(name, "name", _("Name the group."), GROUP_NAME_MAX)
    if field_round.groups.filter(name=name).exists():
        raise ValidationError({"name": _("The round has a group of that name already.")})
    group = RoundGroup.objects.create(round=field_round, name=name)
    audit.record_create(actor=actor, instance=group, parent=field_round)
    return group


@transaction.atomic
def remove_group(*, actor: Actor, group: RoundGroup) -> None:
    """Remove a group that has made no visit, with its members and assignments."""
    field_round = group.round
    _require_manager(actor, field_round)
    _require_arranging(field_round)
    if group.visits.exists():
        raise ValidationError(_("The group has recorded visits; it cannot be removed."))
    audit.record_delete(actor=actor, instance=group, parent=field_round)
    group.delete()


@transaction.atomic
def add_member(
    *,
    actor: Actor,
    group: RoundGroup,
    user: User | None = None,
    name: str = "",
    unit: str = "",
    is_leader: bool = False,
) -> GroupMember:
    """Add a member: a user (who may then record the group's visits), or a name and unit as
    written down. A new leader takes the place of the group's current one."""
    _require_manager(actor, group.round)
    _require_arranging(group.round)
    if user is not None:
        if not user.is_active:
            raise ValidationError({"user": _("This account is deactivated.")})
        if group.members.filter(user=user).exists():
            raise ValidationError({"user": _("%(name)s is in the group already.") % {"name": user}})
        name = name.strip() or str(user)
        unit = unit.strip() or (user.org_unit.name if user.org_unit else "")
    name = _text(name, "name", _("Choose an account or write the member's name."), MEMBER_NAME_MAX)
    unit = _optional(unit, "unit", UNIT_MAX)
    if is_leader:
        _demote_leader(actor, group)
    member = GroupMember.objects.create(
        group=group, user=user, name=name, unit=unit, is_leader=is_leader
    )
    audit.record_create(actor=actor, instance=member, parent=group.round)
    return member


def _demote_leader(actor: Actor, group: RoundGroup) -> None:
    for current in group.members.filter(is_leader=True):
        before = audit.snapshot(current)
        current.is_leader = False
        current.save(update_fields=["is_leader", "updated_at"])
        audit.record_update(actor=actor, instance=current, before=before, parent=group.round)


@transaction.atomic
def set_leader(*, actor: Actor, member: GroupMember) -> GroupMember:
    """Make a member the group's leader (the current leader stays a member)."""
    group = member.group
    _require_manager(actor, group.round)
    _require_arranging(group.round)
    if member.is_leader:
        return member
    _demote_leader(actor, group)
    before = audit.snapshot(member)
    member.is_leader = True
    member.save(update_fields=["is_leader", "updated_at"])
    audit.record_update(actor=actor, instance=member, before=before, parent=group.round)
    return member


@transaction.atomic
def remove_member(*, actor: Actor, member: GroupMember) -> None:
    field_round = member.group.round
    _require_manager(actor, field_round)
    _require_arranging(field_round)
    audit.record_delete(actor=actor, instance=member, parent=field_round)
    member.delete()


# ----------------------------------------------------------------------------- assignments


def _assign(actor: Actor, group: RoundGroup, projects: list[Project]) -> AssignResult:
    field_round = group.round
    taken = set(
        RoundAssignment.objects.filter(round=field_round, project__in=projects).values_list(
            "project_id", flat=True
        )
    )
    added = [project for project in projects if project.pk not in taken]
    skipped = [project for project in projects if project.pk in taken]
    created = RoundAssignment.objects.bulk_create(
        [RoundAssignment(round=field_round, group=group, project=project) for project in added]
    )
    audit.record_many(
        [
            audit.build_event(
                actor=actor,
                action=AuditAction.CREATE,
                instance=assignment,
                parent=field_round,
                changes={"group": ["", group.name], "project": ["", assignment.project.name]},
            )
            for assignment in created
        ]
    )
    return AssignResult(added=added, skipped=skipped)


@transaction.atomic
def assign_projects(
    *, actor: Actor, group: RoundGroup, projects: Iterable[Project]
) -> AssignResult:
    """Give the group projects of the round's region to visit; a project another group of
    the round has already is left out and named in the result."""
    field_round = group.round
    _require_manager(actor, field_round)
    _require_arranging(field_round)
    chosen = list(
        Project.objects.filter(pk__in=[p.pk for p in projects])
        .select_related("region")
        .order_by("region__path", "name")
    )
    if not chosen:
        raise ValidationError({"projects": _("Choose at least one project.")})
    outside = [p.name for p in chosen if not p.region.path.startswith(field_round.region.path)]
    if outside:
        raise ValidationError(
            {
                "projects": _("These projects lie outside %(region)s: %(names)s.")
                % {"region": field_round.region.name, "names": "、".join(outside)}
            }
        )
    return _assign(actor, group, chosen)


@transaction.atomic
def assign_region(*, actor: Actor, group: RoundGroup, region: OrgUnit) -> AssignResult:
    """Give the group every project of a region (its subtree) that is in the plan of the
    round's year; those another group has already are left out."""
    field_round = group.round
    _require_manager(actor, field_round)
    _require_arranging(field_round)
    if not region.is_region or not region.path.startswith(field_round.region.path):
        raise ValidationError(
            {"region": _("Choose a region within %(region)s.") % {"region": field_round.region}}
        )
    projects = list(
        Project.objects.filter(
            region__path__startswith=region.path, plans__year=field_round.start_date.year
        )
        .distinct()
        .select_related("region")
        .order_by("region__path", "name")
    )
    if not projects:
        raise ValidationError(
            {
                "region": _("%(region)s has no project in the plan of %(year)s.")
                % {"region": region.name, "year": field_round.start_date.year}
            }
        )
    return _assign(actor, group, projects)


@transaction.atomic
def unassign_project(*, actor: Actor, assignment: RoundAssignment) -> None:
    """Take a project back from a group, unless the group has visited it."""
    field_round = assignment.round
    _require_manager(actor, field_round)
    _require_arranging(field_round)
    if field_round.visits.filter(project_id=assignment.project_id).exists():
        raise ValidationError(
            _("%(project)s has been visited; its assignment stays with the visit.")
            % {"project": assignment.project.name}
        )
    audit.record_delete(actor=actor, instance=assignment, parent=field_round)
    assignment.delete()
