"""Field rounds over the API, `/api/v1/rounds`: planning a round, its groups, members and
assigned projects, and moving it (start, finish, reopen), through the same selectors, forms
and services as the round pages (docs/api.md). The visits are in `visit_api`.

A round outside the caller's scope answers 404; a change by anyone but the organiser 403;
a refused input 422, with the messages in the caller's language; nothing changes then.
"""

import datetime as dt
from typing import Any, Literal

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import idempotency
from tiaodu.core.api_support import REFUSALS, CursorPages, Refusal, refused_as
from tiaodu.core.scoping import Actor
from tiaodu.problems.api_input import ObjectId, Shown, as_body, business_reader, cleaned, form_data
from tiaodu.supervision.rounds import selectors, services, workflow
from tiaodu.supervision.rounds.forms import (
    AssignProjectsForm,
    AssignRegionForm,
    GroupForm,
    MemberForm,
    RoundForm,
)
from tiaodu.supervision.rounds.models import FieldRound, GroupMember, RoundGroup
from tiaodu.supervision.rounds.permissions import manages_round, round_relations

router = Router(tags=["rounds"])

StatusName = Literal["planned", "under_way", "finished"]


class RoundOut(Shown):
    id: int
    kind: str
    kind_label: str
    title: str
    region_id: ObjectId
    region: str
    start_date: dt.date
    end_date: dt.date
    organised_by: str
    notes: str
    status: str
    status_label: str

    @staticmethod
    def resolve_kind_label(obj: FieldRound) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_region(obj: FieldRound) -> str:
        return obj.region.name

    @staticmethod
    def resolve_status_label(obj: FieldRound) -> str:
        return str(obj.get_status_display())


class MemberOut(Schema):
    id: int
    user_id: ObjectId | None
    name: str
    unit: str
    is_leader: bool


class AssignmentOut(Schema):
    """A project the group is to visit, and its visit if there is one the caller sees."""

    id: int
    project_id: ObjectId
    project_name: str
    region: str
    visit_id: ObjectId | None
    score: str | None


class GroupOut(Schema):
    id: int
    name: str
    members: list[MemberOut]
    assignments: list[AssignmentOut]


class RoundDetailOut(RoundOut):
    """A round with its groups (each with its members and the assigned projects the caller
    sees) and the steps the caller may take."""

    groups: list[GroupOut]
    actions: list[str]
    can_manage: bool

    @staticmethod
    def resolve_groups(obj: FieldRound) -> list[dict[str, Any]]:
        return obj.groups_shown  # type: ignore[attr-defined]

    @staticmethod
    def resolve_actions(obj: FieldRound) -> list[str]:
        return obj.actions_shown  # type: ignore[attr-defined]

    @staticmethod
    def resolve_can_manage(obj: FieldRound) -> bool:
        return obj.managed  # type: ignore[attr-defined]


class RoundIn(Schema):
    kind: str
    title: str
    region_id: ObjectId
    start_date: dt.date
    end_date: dt.date
    organised_by: str = ""
    notes: str = ""


class MoveIn(Schema):
    action: Literal["start", "finish", "reopen"]


class GroupIn(Schema):
    name: str


class GroupMemberIn(Schema):
    """A member with an account (`user_id`), or a name and unit as written down."""

    user_id: ObjectId | None = None
    name: str = ""
    unit: str = ""
    is_leader: bool = False


class ProjectsIn(Schema):
    """The projects to give the group: by id, or every project of a region in the plan."""

    project_ids: list[ObjectId] = []
    region_id: ObjectId | None = None


def _groups(actor: Actor, field_round: FieldRound) -> list[dict[str, Any]]:
    assignments = list(selectors.assignments_visible_to(actor, field_round))
    visits = selectors.round_visits(actor, field_round)
    rows = []
    for group in selectors.groups_of(field_round):
        items = []
        for assignment in assignments:
            if assignment.group_id != group.pk:
                continue
            visit = visits.get(assignment.project_id)
            score = visit.score if visit is not None else None
            items.append(
                {
                    "id": assignment.pk,
                    "project_id": assignment.project_id,
                    "project_name": assignment.project.name,
                    "region": assignment.project.region.name,
                    "visit_id": visit.pk if visit is not None else None,
                    "score": f"{score:.1f}" if score is not None else None,
                }
            )
        members = [
            {
                "id": m.pk,
                "user_id": m.user_id,
                "name": m.name,
                "unit": m.unit,
                "is_leader": m.is_leader,
            }
            for m in group.members.all()
        ]
        rows.append({"id": group.pk, "name": group.name, "members": members, "assignments": items})
    return rows


def _detail(actor: Actor, pk: int) -> FieldRound:
    field_round = selectors.round_for(actor, pk)
    field_round.groups_shown = _groups(actor, field_round)  # type: ignore[attr-defined]
    field_round.actions_shown = workflow.ROUNDS.actions_for(  # type: ignore[attr-defined]
        round_relations(actor, field_round), field_round.status
    )
    field_round.managed = manages_round(actor, field_round)  # type: ignore[attr-defined]
    return field_round


def _round_fields(actor: Actor, payload: RoundIn) -> dict[str, Any]:
    values = payload.model_dump()
    values["region"] = values.pop("region_id")
    return cleaned(RoundForm(form_data(values), actor=actor))


def _managed(actor: Actor, field_round: FieldRound) -> None:
    if not manages_round(actor, field_round):
        raise Refusal(
            403,
            [_("Only a dispatcher whose region holds the round's region arranges the round.")],
        )


@router.get("/", response=list[RoundOut], url_name="rounds")
@paginate(CursorPages)
def list_rounds(request: SignedInRequest, status: StatusName | None = None) -> Any:
    """The rounds the caller organises, oversees or serves in, the latest first."""
    business_reader(request.user)
    found = selectors.rounds_visible_to(request.user).select_related("region")
    return found.filter(status=status) if status else found


@router.post("/", response={201: RoundDetailOut, **REFUSALS}, url_name="round_create")
def create_round(request: SignedInRequest, payload: RoundIn) -> Status[Any]:
    """Plan a round over a region the caller dispatches for. With an `Idempotency-Key`, a
    repeat gets the first answer again."""
    actor = request.user
    if not selectors.organiser_regions(actor).exists():
        raise Refusal(403, [_("You may organise rounds only within your own region.")])
    fields = _round_fields(actor, payload)

    def create() -> Status[Any]:
        with refused_as():
            field_round = services.create_round(actor=actor, **fields)
        return Status(201, as_body(RoundDetailOut, _detail(actor, field_round.pk)))

    return idempotency.api_once(request, "supervision.round", create)


@router.get("/{round_id}", response={200: RoundDetailOut, **REFUSALS}, url_name="round")
def get_round(request: SignedInRequest, round_id: int) -> FieldRound:
    """One round with its groups and the assigned projects the caller sees."""
    return _detail(request.user, round_id)


@router.put("/{round_id}", response={200: RoundDetailOut, **REFUSALS}, url_name="round_update")
def update_round(request: SignedInRequest, round_id: int, payload: RoundIn) -> FieldRound:
    """Change a round's kind, title, region, dates, organiser or notes."""
    actor = request.user
    field_round = selectors.round_for(actor, round_id)
    _managed(actor, field_round)
    fields = _round_fields(actor, payload)
    with refused_as():
        services.update_round(actor=actor, field_round=field_round, **fields)
    return _detail(actor, field_round.pk)


@router.post(
    "/{round_id}/status", response={200: RoundDetailOut, **REFUSALS}, url_name="round_move"
)
def move_round(request: SignedInRequest, round_id: int, payload: MoveIn) -> FieldRound:
    """Start, finish or reopen the round (the `actions` of the round tell which)."""
    actor = request.user
    field_round = selectors.round_for(actor, round_id)
    with refused_as():
        services.move_round(actor=actor, field_round=field_round, action=payload.action)
    return _detail(actor, field_round.pk)


@router.post("/{round_id}/groups", response={201: GroupOut, **REFUSALS}, url_name="group_add")
def add_group(request: SignedInRequest, round_id: int, payload: GroupIn) -> Status[Any]:
    """Add a group (第一组…) to the round. With an `Idempotency-Key`, a repeat adds none."""
    actor = request.user
    field_round = selectors.round_for(actor, round_id)
    _managed(actor, field_round)
    data = cleaned(GroupForm(form_data(payload.model_dump())))

    def create() -> Status[Any]:
        with refused_as():
            group = services.add_group(actor=actor, field_round=field_round, name=data["name"])
        return Status(201, _group(actor, group))

    return idempotency.api_once(request, "supervision.group", create)


def _group(actor: Actor, group: RoundGroup) -> dict[str, Any]:
    return next(row for row in _groups(actor, group.round) if row["id"] == group.pk)


@router.delete("/groups/{group_id}", response={204: None, **REFUSALS}, url_name="group_remove")
def remove_group(request: SignedInRequest, group_id: int) -> Status[None]:
    """Remove a group that has made no visit, with its members and assignments."""
    group = selectors.group_for(request.user, group_id)
    with refused_as():
        services.remove_group(actor=request.user, group=group)
    return Status(204, None)


@router.post(
    "/groups/{group_id}/members", response={201: MemberOut, **REFUSALS}, url_name="member_add"
)
def add_member(request: SignedInRequest, group_id: int, payload: GroupMemberIn) -> Status[Any]:
    """Add a member to the group: an account, or a name and unit; `is_leader` makes the
    member the group's leader. With an `Idempotency-Key`, a repeat adds none."""
    actor = request.user
    group = selectors.group_for(actor, group_id)
    _managed(actor, group.round)
    values = payload.model_dump()
    values["user"] = values.pop("user_id")
    data = cleaned(MemberForm(form_data(values), field_round=group.round))

    def create() -> Status[Any]:
        with refused_as():
            member = services.add_member(actor=actor, group=group, **data)
        return Status(201, _member(member))

    return idempotency.api_once(request, "supervision.member", create)


def _member(member: GroupMember) -> dict[str, Any]:
    return {
        "id": member.pk,
        "user_id": member.user_id,
        "name": member.name,
        "unit": member.unit,
        "is_leader": member.is_leader,
    }


@router.post(
    "/members/{member_id}/leader", response={200: MemberOut, **REFUSALS}, url_name="member_leader"
)
def make_leader(request: SignedInRequest, member_id: int) -> dict[str, Any]:
    """Make the member the group's leader (the current leader stays a member)."""
    member = selectors.member_for(request.user, member_id)
    with refused_as():
        member = services.set_leader(actor=request.user, member=member)
    return _member(member)


@router.delete("/members/{member_id}", response={204: None, **REFUSALS}, url_name="member_remove")
def remove_member(request: SignedInRequest, member_id: int) -> Status[None]:
    member = selectors.member_for(request.user, member_id)
    with refused_as():
        services.remove_member(actor=request.user, member=member)
    return Status(204, None)


@router.post("/groups/{group_id}/projects", response={200: GroupOut, **REFUSALS}, url_name="assign")
def assign(request: SignedInRequest, group_id: int, payload: ProjectsIn) -> dict[str, Any]:
    """Give the group projects to visit, by id (`project_ids`) or every project of a region
    in the plan of the round's year (`region_id`); a project another group of the round has
    already is left out."""
    actor = request.user
    group = selectors.group_for(actor, group_id)
    _managed(actor, group.round)
    if payload.region_id is not None:
        by_region = AssignRegionForm(
            form_data({"region": payload.region_id}), field_round=group.round
        )
        region = cleaned(by_region)["region"]
        with refused_as():
            services.assign_region(actor=actor, group=group, region=region)
    else:
        values = {"projects": payload.project_ids or None}
        form = AssignProjectsForm(form_data(values), field_round=group.round)
        projects = cleaned(form)["projects"]
        with refused_as():
            services.assign_projects(actor=actor, group=group, projects=projects)
    return _group(actor, group)


@router.delete(
    "/assignments/{assignment_id}", response={204: None, **REFUSALS}, url_name="unassign"
)
def unassign(request: SignedInRequest, assignment_id: int) -> Status[None]:
    """Take a project back from its group, unless the group has visited it."""
    assignment = selectors.assignment_for(request.user, assignment_id)
    with refused_as():
        services.unassign_project(actor=request.user, assignment=assignment)
    return Status(204, None)
