"""Consultations and joint meetings over the API, `/api/v1/meetings`: recording a meeting
(attendees, minutes), its agenda of problems and the decision on each, carried out on the
problem ledger, through the same selectors, forms and services as the meeting pages
(docs/api.md).

A meeting outside the caller's scope answers 404 (an agenda problem the caller may not see
is only counted, `withheld`); a change by anyone but the convener 403; a refused input 422,
with the messages in the caller's language; nothing changes then.
"""

import datetime as dt
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import idempotency
from tiaodu.core.api_support import (
    REFUSALS,
    CursorPages,
    Refusal,
    filter_query,
    filtered,
    query_data,
    refused_as,
)
from tiaodu.core.scoping import Actor
from tiaodu.problems.api_input import (
    ObjectId,
    Shown,
    as_body,
    business_reader,
    cleaned,
    form_data,
    local,
)
from tiaodu.problems.models import Problem
from tiaodu.problems.selectors import problem_for
from tiaodu.supervision.meetings import selectors, services
from tiaodu.supervision.meetings.filters import MeetingFilterSet, meeting_years
from tiaodu.supervision.meetings.forms import DecisionForm, MeetingForm
from tiaodu.supervision.meetings.models import Meeting, MeetingDecision
from tiaodu.supervision.meetings.permissions import is_convener, may_convene

router = Router(tags=["meetings"])

# The meeting list's filters (`MeetingFilterSet`), by the same names.
MeetingFilters = filter_query(MeetingFilterSet, "MeetingFilters")


class MeetingOut(Shown):
    id: int
    kind: str
    kind_label: str
    title: str
    date: dt.date
    place: str
    convening_unit: str
    convened_by: str
    chair: str
    agenda_count: int
    decided_count: int

    @staticmethod
    def resolve_kind_label(obj: Meeting) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_convening_unit(obj: Meeting) -> str:
        return obj.convening_unit.name

    @staticmethod
    def resolve_convened_by(obj: Meeting) -> str:
        return str(obj.convened_by)

    @staticmethod
    def resolve_chair(obj: Meeting) -> str:
        return obj.chair_label


class AttendeeOut(Schema):
    user_id: ObjectId | None
    unit: str
    name: str
    title: str


class DecisionOut(Schema):
    """What the meeting decided on a problem, and what it did there (the department and
    deadline assigned, the resolution, the level reached)."""

    outcome: str
    outcome_label: str
    text: str
    department: str | None
    handler: str | None
    deadline: dt.date | None
    resolution: str
    level: str
    recorded_by: str
    recorded_at: dt.datetime


class AgendaItemOut(Schema):
    """An agenda problem, its decision if recorded, and (for the convener, until then) the
    outcomes the problem ledger allows now."""

    problem_id: ObjectId
    title: str
    project_name: str
    status: str
    status_label: str
    level: str
    level_label: str
    decision: DecisionOut | None
    outcomes: list[str]


class MeetingDetailOut(MeetingOut):
    minutes: str
    attendees: list[AttendeeOut]
    agenda: list[AgendaItemOut]
    withheld: int
    is_convener: bool

    @staticmethod
    def resolve_attendees(obj: Meeting) -> list[dict[str, Any]]:
        return [
            {"user_id": a.user_id, "unit": a.unit, "name": a.name, "title": a.title}
            for a in obj.attendees.all()
        ]

    @staticmethod
    def resolve_agenda(obj: Meeting) -> list[dict[str, Any]]:
        return obj.agenda_shown  # type: ignore[attr-defined]

    @staticmethod
    def resolve_withheld(obj: Meeting) -> int:
        return obj.withheld_count  # type: ignore[attr-defined]

    @staticmethod
    def resolve_is_convener(obj: Meeting) -> bool:
        return obj.convener  # type: ignore[attr-defined]


class MeetingIn(Schema):
    """A meeting as the meeting form takes it: `convening_unit_id` may be left out by one
    who convenes for one unit only; `attendee_lines` one person a line (unit, name,
    position); `chair_id` a leader on record, or `chair_name` typed, not both."""

    kind: str
    title: str
    date: dt.date
    convening_unit_id: ObjectId | None = None
    place: str = ""
    chair_id: ObjectId | None = None
    chair_name: str = ""
    attendee_user_ids: list[ObjectId] = []
    attendee_lines: str = ""
    minutes: str = ""


class AgendaIn(Schema):
    problem_id: ObjectId


class DecisionIn(Schema):
    """The decision on an agenda problem: `department_id` (and optionally `handler_id`,
    `deadline`) to assign it, `resolution` to resolve it."""

    problem_id: ObjectId
    outcome: str
    text: str
    department_id: ObjectId | None = None
    handler_id: ObjectId | None = None
    deadline: dt.date | None = None
    resolution: str = ""


def _decision(decision: MeetingDecision) -> dict[str, Any]:
    return {
        "outcome": decision.outcome,
        "outcome_label": str(decision.get_outcome_display()),
        "text": decision.text,
        "department": decision.department.name if decision.department else None,
        "handler": str(decision.handler) if decision.handler else None,
        "deadline": decision.deadline,
        "resolution": decision.resolution,
        "level": decision.level,
        "recorded_by": str(decision.recorded_by),
        "recorded_at": local(decision.created_at),
    }


def _detail(actor: Actor, pk: int) -> Meeting:
    """The meeting as the caller sees it, with what `MeetingDetailOut` adds."""
    meeting = selectors.meeting_for(actor, pk)
    convener = is_convener(actor, meeting)
    decisions = {
        decision.problem_id: decision
        for decision in meeting.decisions.select_related("department", "handler", "recorded_by")
    }
    items = []
    for problem in selectors.agenda_of(actor, meeting):
        decision = decisions.get(problem.pk)
        open_to = convener and decision is None
        items.append(
            {
                "problem_id": problem.pk,
                "title": problem.title,
                "project_name": problem.project.name,
                "status": problem.status,
                "status_label": str(problem.get_status_display()),
                "level": problem.level,
                "level_label": str(problem.get_level_display()),
                "decision": _decision(decision) if decision is not None else None,
                "outcomes": services.outcomes_open_to(actor, problem) if open_to else [],
            }
        )
    meeting.agenda_shown = items  # type: ignore[attr-defined]
    meeting.withheld_count = selectors.agenda_withheld(actor, meeting)  # type: ignore[attr-defined]
    meeting.convener = convener  # type: ignore[attr-defined]
    return meeting


def _form(actor: Actor, payload: MeetingIn) -> MeetingForm:
    values = {
        "kind": payload.kind,
        "title": payload.title,
        "date": payload.date,
        "convening_unit": payload.convening_unit_id,
        "place": payload.place,
        "chair": payload.chair_id,
        "chair_name": payload.chair_name,
        "attendee_users": payload.attendee_user_ids or None,
        "attendee_lines": payload.attendee_lines,
        "minutes": payload.minutes,
    }
    form = MeetingForm(form_data(values), actor=actor)
    cleaned(form)
    return form


def _convened(actor: Actor, meeting_id: int) -> Meeting:
    """A meeting the caller sees (404 otherwise) and convened (403 otherwise)."""
    meeting = selectors.meeting_for(actor, meeting_id)
    if not is_convener(actor, meeting):
        raise Refusal(403, [_("Only the person who convened the meeting changes it.")])
    return meeting


@router.get("/", response=list[MeetingOut], url_name="meetings")
@paginate(CursorPages)
def list_meetings(
    request: SignedInRequest,
    filters: Query[MeetingFilters],  # type: ignore[valid-type]
) -> Any:
    """The meetings the caller convened, attended or oversees, newest first, with the
    meeting list's filters (kind, year, `q` over title, place and the agenda's problems)."""
    business_reader(request.user)
    visible = selectors.meetings_visible_to(request.user)
    filterset = MeetingFilterSet(
        query_data(filters),
        queryset=visible,
        years=meeting_years(visible),
        actor=request.user,
    )
    return filtered(filterset)


@router.post("/", response={201: MeetingDetailOut, **REFUSALS}, url_name="meeting_create")
def create_meeting(request: SignedInRequest, payload: MeetingIn) -> Status[Any]:
    """Record a meeting convened for the caller's region or department. With an
    `Idempotency-Key`, a repeat gets the first answer again."""
    actor = request.user
    if not may_convene(actor):
        raise Refusal(
            403,
            [_("Dispatchers convene meetings for their region, handlers for their department.")],
        )
    form = _form(actor, payload)

    def create() -> Status[Any]:
        with refused_as():
            meeting = services.create_meeting(actor=actor, **form.meeting_fields())
        return Status(201, as_body(MeetingDetailOut, _detail(actor, meeting.pk)))

    return idempotency.api_once(request, "supervision.meeting", create)


@router.get("/{meeting_id}", response={200: MeetingDetailOut, **REFUSALS}, url_name="meeting")
def get_meeting(request: SignedInRequest, meeting_id: int) -> Meeting:
    """One meeting: attendees, minutes, and the agenda problems the caller may see."""
    return _detail(request.user, meeting_id)


@router.put(
    "/{meeting_id}", response={200: MeetingDetailOut, **REFUSALS}, url_name="meeting_update"
)
def update_meeting(request: SignedInRequest, meeting_id: int, payload: MeetingIn) -> Meeting:
    """The convener rewrites the meeting (the minutes, the attendees) after it is held."""
    actor = request.user
    meeting = _convened(actor, meeting_id)
    form = _form(actor, payload)
    with refused_as():
        services.update_meeting(actor=actor, meeting=meeting, **form.meeting_fields())
    return _detail(actor, meeting.pk)


@router.post(
    "/{meeting_id}/agenda", response={200: MeetingDetailOut, **REFUSALS}, url_name="agenda_add"
)
def add_to_agenda(request: SignedInRequest, meeting_id: int, payload: AgendaIn) -> Meeting:
    """Put an open problem the convener sees on the agenda."""
    actor = request.user
    meeting = _convened(actor, meeting_id)
    problem = problem_for(actor, payload.problem_id)
    with refused_as():
        services.add_agenda_problem(actor=actor, meeting=meeting, problem=problem)
    return _detail(actor, meeting.pk)


def _agenda_problem(actor: Actor, meeting: Meeting, problem_id: int) -> Problem:
    return get_object_or_404(selectors.agenda_of(actor, meeting), pk=problem_id)


@router.delete(
    "/{meeting_id}/agenda/{problem_id}",
    response={200: MeetingDetailOut, **REFUSALS},
    url_name="agenda_remove",
)
def remove_from_agenda(request: SignedInRequest, meeting_id: int, problem_id: int) -> Meeting:
    """Take a problem off the agenda, as long as nothing has been decided on it."""
    actor = request.user
    meeting = _convened(actor, meeting_id)
    problem = _agenda_problem(actor, meeting, problem_id)
    with refused_as():
        services.remove_agenda_problem(actor=actor, meeting=meeting, problem=problem)
    return _detail(actor, meeting.pk)


@router.post("/{meeting_id}/decisions", response={201: DecisionOut, **REFUSALS}, url_name="decide")
def decide(request: SignedInRequest, meeting_id: int, payload: DecisionIn) -> Status[Any]:
    """Record the meeting's decision on an agenda problem and carry it out on the problem
    (assign, resolve or escalate it; or watch it). With an `Idempotency-Key`, a repeat gets
    the first answer again."""
    actor = request.user
    meeting = _convened(actor, meeting_id)
    problem = _agenda_problem(actor, meeting, payload.problem_id)
    values = {
        "outcome": payload.outcome,
        "text": payload.text,
        "department": payload.department_id,
        "handler": payload.handler_id,
        "deadline": payload.deadline,
        "resolution": payload.resolution,
    }
    data = cleaned(DecisionForm(form_data(values), actor=actor, problem=problem, prefix=""))

    def create() -> Status[Any]:
        with refused_as():
            decision = services.record_decision(
                actor=actor,
                meeting=meeting,
                problem=problem,
                outcome=data["outcome"],
                text=data["text"],
                department=data["department"],
                handler=data["handler"],
                deadline=data["deadline"],
                resolution=data["resolution"],
            )
        return Status(201, _decision(decision))

    return idempotency.api_once(request, "supervision.decision", create)
