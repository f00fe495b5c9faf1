"""Supervision notices over the API, `/api/v1/notices`: reminders, supervision orders,
warning letters and interview notices; issuing, the recipient unit's response and closing,
through the same selectors, forms and services as the notice pages (docs/api.md).

A notice outside the caller's scope answers 404; a step the caller may not take 403; a
refused input 422, with the messages in the caller's language; nothing changes then.
"""

import datetime as dt
from typing import Any, Literal

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import clock, idempotency
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
from tiaodu.supervision.notices import permissions, selectors, services, workflow
from tiaodu.supervision.notices.choices import NoticeAction
from tiaodu.supervision.notices.filters import NoticeFilterSet, notice_years, with_overdue
from tiaodu.supervision.notices.forms import NoticeForm, ResponseForm
from tiaodu.supervision.notices.models import Notice, NoticeResponse
from tiaodu.supervision.notices.permissions import may_issue_notice

router = Router(tags=["notices"])

KindName = Literal["reminder", "supervision_order", "warning_letter", "interview"]
# The notice list's filters (`NoticeFilterSet`), by the same names.
NoticeFilters = filter_query(NoticeFilterSet, "NoticeFilters")


class NoticeOut(Shown):
    """A notice as the list shows it: its number (督办〔2026〕1号), kind, recipient, deadline;
    `overdue` is issued, unanswered and past its response deadline today."""

    id: int
    number: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    subject: str
    recipient_unit_id: ObjectId
    recipient_unit: str
    issued_by: str
    issued_at: dt.datetime
    response_deadline: dt.date
    overdue: bool
    closed_at: dt.datetime | None

    @staticmethod
    def resolve_number(obj: Notice) -> str:
        return obj.number_label

    @staticmethod
    def resolve_kind_label(obj: Notice) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status_label(obj: Notice) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_recipient_unit(obj: Notice) -> str:
        return obj.recipient_unit.name

    @staticmethod
    def resolve_issued_by(obj: Notice) -> str:
        return str(obj.issued_by)

    @staticmethod
    def resolve_issued_at(obj: Notice) -> dt.datetime | None:
        return local(obj.issued_at)

    @staticmethod
    def resolve_overdue(obj: Notice) -> bool:
        return obj.is_overdue(clock.today())

    @staticmethod
    def resolve_closed_at(obj: Notice) -> dt.datetime | None:
        return local(obj.closed_at)


class NoticeProjectOut(Schema):
    id: int
    name: str
    region: str


class ResponseOut(Schema):
    id: int
    responder: str
    text: str
    rectification_plan: str
    responded_at: dt.datetime


class NoticeDetailOut(NoticeOut):
    """A notice with what it says, its projects, the responses and the caller's steps."""

    body: str
    requirements: str
    sponsoring_leader: str | None
    task_force_head: str | None
    projects: list[NoticeProjectOut]
    responses: list[ResponseOut]
    actions: list[str]

    @staticmethod
    def resolve_sponsoring_leader(obj: Notice) -> str | None:
        return obj.sponsoring_leader.name if obj.sponsoring_leader else None

    @staticmethod
    def resolve_task_force_head(obj: Notice) -> str | None:
        return obj.task_force_head.name if obj.task_force_head else None

    @staticmethod
    def resolve_projects(obj: Notice) -> list[dict[str, Any]]:
        found = obj.projects.select_related("region").order_by("pk")
        return [{"id": p.pk, "name": p.name, "region": p.region.name} for p in found]

    @staticmethod
    def resolve_responses(obj: Notice) -> list[dict[str, Any]]:
        return [_response(item) for item in obj.responses.select_related("responder")]

    @staticmethod
    def resolve_actions(obj: Notice) -> list[str]:
        return obj.actions_shown  # type: ignore[attr-defined]


class IssueIn(Schema):
    """A notice to issue: the projects of the caller's regions it concerns, the department or
    owner unit that must answer, and (for a warning letter) the sponsoring leader. Without
    `response_deadline`, the kind's working days from today."""

    kind: KindName
    recipient_unit_id: ObjectId
    project_ids: list[ObjectId]
    subject: str
    body: str
    requirements: str = ""
    response_deadline: dt.date | None = None
    sponsoring_leader_id: ObjectId | None = None
    task_force_head_id: ObjectId | None = None


class ResponseIn(Schema):
    """The recipient unit's answer; every kind but a reminder needs a rectification plan."""

    text: str
    rectification_plan: str = ""


def _response(item: NoticeResponse) -> dict[str, Any]:
    return {
        "id": item.pk,
        "responder": str(item.responder),
        "text": item.text,
        "rectification_plan": item.rectification_plan,
        "responded_at": local(item.responded_at),
    }


def _actions(actor: Actor, notice: Notice) -> list[str]:
    return workflow.NOTICES.actions_for(permissions.relations(actor, notice), notice.status)


def _detail(actor: Actor, pk: int) -> Notice:
    notice = selectors.notice_for(actor, pk)
    notice.actions_shown = _actions(actor, notice)  # type: ignore[attr-defined]
    return notice


@router.get("/", response=list[NoticeOut], url_name="notices")
@paginate(CursorPages)
def list_notices(
    request: SignedInRequest,
    filters: Query[NoticeFilters],  # type: ignore[valid-type]
    awaiting: bool = False,
) -> Any:
    """The notices the caller may see, newest first, with the notice list's filters (kind,
    status, overdue `yes`/`no`, year, `q` over number, subject and names); `awaiting=true`
    keeps those the caller's unit must still answer, earliest deadline first."""
    actor = request.user
    business_reader(actor)
    today = clock.today()
    if awaiting:
        visible = selectors.awaiting_response(actor)
    else:
        visible = selectors.notices_visible_to(actor).order_by("-issued_at", "-pk")
    filterset = NoticeFilterSet(
        query_data(filters),
        queryset=with_overdue(visible, today),
        years=notice_years(visible),
        today=today,
    )
    return filtered(filterset)


@router.post("/", response={201: NoticeDetailOut, **REFUSALS}, url_name="notice_issue")
def issue_notice(request: SignedInRequest, payload: IssueIn) -> Status[Any]:
    """Issue a numbered notice, as 签发督办 does after its preview; the recipient unit is
    told. With an `Idempotency-Key`, a repeat gets the first answer (one number)."""
    actor = request.user
    if not may_issue_notice(actor):
        raise Refusal(
            403, [_("Only a dispatcher whose region holds every project of a notice issues it.")]
        )
    values = {
        "kind": payload.kind,
        "recipient_unit": payload.recipient_unit_id,
        "projects": payload.project_ids or None,
        "subject": payload.subject,
        "body": payload.body,
        "requirements": payload.requirements,
        "response_deadline": payload.response_deadline,
        "sponsoring_leader": payload.sponsoring_leader_id,
        "task_force_head": payload.task_force_head_id,
    }
    form = NoticeForm(form_data(values), actor=actor)
    cleaned(form)

    def create() -> Status[Any]:
        with refused_as():
            notice = services.issue_notice(actor=actor, **form.notice_fields())
        return Status(201, as_body(NoticeDetailOut, _detail(actor, notice.pk)))

    return idempotency.api_once(request, "supervision.notice", create)


@router.get("/{notice_id}", response={200: NoticeDetailOut, **REFUSALS}, url_name="notice")
def get_notice(request: SignedInRequest, notice_id: int) -> Notice:
    """One notice the caller sees, with its responses and the steps open to the caller."""
    return _detail(request.user, notice_id)


@router.post(
    "/{notice_id}/responses", response={201: ResponseOut, **REFUSALS}, url_name="notice_respond"
)
def respond(request: SignedInRequest, notice_id: int, payload: ResponseIn) -> Status[Any]:
    """The recipient unit answers the notice (with its rectification plan); the issuer is
    told. With an `Idempotency-Key`, a repeat gets the first answer again."""
    actor = request.user
    notice = selectors.notice_for(actor, notice_id)
    if NoticeAction.RESPOND not in _actions(actor, notice):
        raise Refusal(403, [_("This notice is not waiting for an answer from you.")])
    data = cleaned(ResponseForm(form_data(payload.model_dump()), notice=notice))

    def create() -> Status[Any]:
        with refused_as():
            response = services.respond(actor=actor, notice=notice, **data)
        return Status(201, _response(response))

    return idempotency.api_once(request, "supervision.notice_response", create)


@router.post(
    "/{notice_id}/close", response={200: NoticeDetailOut, **REFUSALS}, url_name="notice_close"
)
def close_notice(request: SignedInRequest, notice_id: int) -> Notice:
    """The issuing side closes the notice (accepting the response, if there is one)."""
    actor = request.user
    notice = selectors.notice_for(actor, notice_id)
    with refused_as():
        services.close_notice(actor=actor, notice=notice)
    return _detail(actor, notice.pk)
