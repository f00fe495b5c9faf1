"""The problem ledger over the API, `/api/v1/problems`: the same selectors, forms, services
and workflow steps as the problem pages (docs/api.md, "Problems").

A problem outside the caller's scope answers 404; a step the table does not give the caller
answers 403, a refused input 422, with the messages in the caller's language; nothing
changes on a refusal.
"""

import datetime as dt
from typing import Any, Literal

from django.http import Http404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import clock, idempotency
from tiaodu.core.api_support import REFUSALS, CursorPages, refused_as
from tiaodu.core.scoping import Actor
from tiaodu.problems import selectors, services
from tiaodu.problems.api_input import (
    ObjectId,
    Shown,
    as_body,
    business_reader,
    cleaned,
    form_data,
    local,
)
from tiaodu.problems.choices import OPEN_STATUSES, ProblemSource, ProblemStatus
from tiaodu.problems.forms import CommentForm, RaiseForm
from tiaodu.problems.models import Problem, ProblemComment
from tiaodu.problems.permissions import may_raise, relations, uses_direct_channel
from tiaodu.problems.steps import STEPS, available_actions, step_form
from tiaodu.projects.selectors import project_for
from tiaodu.reporting.selectors import report_for

router = Router(tags=["problems"])

StatusName = Literal["reported", "assigned", "in_progress", "resolved", "closed", "open"]
StepName = Literal["assign", "start", "resolve", "reject_resolution", "close", "escalate"]


class ProblemOut(Shown):
    """A problem as the ledger shows it: labels in the caller's language, moments in
    Shanghai time; `overdue` is open past its deadline today."""

    id: int
    project_id: ObjectId
    project_name: str
    title: str
    description: str
    source: str
    category: str
    category_label: str
    level: str
    level_label: str
    status: str
    status_label: str
    raised_by: str
    raised_at: dt.datetime
    assigned_department_id: ObjectId | None
    assigned_department: str | None
    handler_id: ObjectId | None
    handler: str | None
    assigned_at: dt.datetime | None
    deadline: dt.date | None
    overdue: bool
    resolution: str
    rejection_reason: str
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    escalations: int

    @staticmethod
    def resolve_project_name(obj: Problem) -> str:
        return obj.project.name

    @staticmethod
    def resolve_category_label(obj: Problem) -> str:
        return str(obj.get_category_display())

    @staticmethod
    def resolve_level_label(obj: Problem) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_status_label(obj: Problem) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_raised_by(obj: Problem) -> str:
        return str(obj.raised_by)

    @staticmethod
    def resolve_raised_at(obj: Problem) -> dt.datetime | None:
        return local(obj.raised_at)

    @staticmethod
    def resolve_assigned_department(obj: Problem) -> str | None:
        department = obj.assigned_department
        return department.name if department is not None else None

    @staticmethod
    def resolve_handler(obj: Problem) -> str | None:
        return str(obj.handler) if obj.handler is not None else None

    @staticmethod
    def resolve_assigned_at(obj: Problem) -> dt.datetime | None:
        return local(obj.assigned_at)

    @staticmethod
    def resolve_overdue(obj: Problem) -> bool:
        deadline = obj.deadline
        return obj.status in OPEN_STATUSES and deadline is not None and deadline < clock.today()

    @staticmethod
    def resolve_resolved_at(obj: Problem) -> dt.datetime | None:
        return local(obj.resolved_at)

    @staticmethod
    def resolve_closed_at(obj: Problem) -> dt.datetime | None:
        return local(obj.closed_at)


class CommentOut(Schema):
    id: int
    author: str
    text: str
    created_at: dt.datetime
    file_name: str | None


class ProblemDetailOut(ProblemOut):
    """A problem with its comments and what the caller may do with it now."""

    actions: list[str]
    can_comment: bool
    comments: list[CommentOut]

    @staticmethod
    def resolve_comments(obj: Problem) -> list[dict[str, Any]]:
        return obj.comments_shown  # type: ignore[attr-defined]


class RaiseIn(Schema):
    """A new problem of a project; `report_id` raises it from that progress report,
    `direct` (the owner unit only) by the direct channel, at city level at once."""

    project_id: ObjectId
    category: str
    title: str
    description: str = ""
    report_id: ObjectId | None = None
    direct: bool = False


class StepIn(Schema):
    """One step: `department_id`, `handler_id` and `deadline` for assign, `resolution` for
    resolve, `reason` for reject_resolution (required) and escalate (optional)."""

    action: StepName
    department_id: ObjectId | None = None
    handler_id: ObjectId | None = None
    deadline: dt.date | None = None
    resolution: str | None = None
    reason: str | None = None


class CommentIn(Schema):
    text: str


def _comment(comment: ProblemComment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "author": str(comment.author),
        "text": comment.text,
        "created_at": local(comment.created_at),
        "file_name": comment.download_name if comment.file else None,
    }


def _detail(actor: Actor, pk: int) -> Problem:
    """The problem as the caller sees it now, with what `ProblemDetailOut` adds."""
    problem = selectors.problem_for(actor, pk)
    problem.actions = available_actions(actor, problem)  # type: ignore[attr-defined]
    problem.can_comment = (  # type: ignore[attr-defined]
        bool(relations(actor, problem)) and problem.status != ProblemStatus.CLOSED
    )
    problem.comments_shown = [  # type: ignore[attr-defined]
        _comment(item) for item in selectors.comments_of(actor, problem)
    ]
    return problem


@router.get("/", response=list[ProblemOut], url_name="problems")
@paginate(CursorPages)
def list_problems(
    request: SignedInRequest, status: StatusName | None = None, project_id: ObjectId | None = None
) -> Any:
    """The problems the caller may see, newest first; `status` keeps one status (`open`:
    reported, assigned or in progress), `project_id` one project's."""
    business_reader(request.user)
    found = selectors.problems_visible_to(request.user)
    if status == "open":
        found = found.filter(status__in=OPEN_STATUSES)
    elif status:
        found = found.filter(status=status)
    if project_id is not None:
        found = found.filter(project_id=project_id)
    return found.order_by("-raised_at", "-pk")


@router.post("/", response={201: ProblemDetailOut, **REFUSALS}, url_name="problem_raise")
def raise_problem(request: SignedInRequest, payload: RaiseIn) -> Status[Any]:
    """Raise a problem of a project the caller may raise problems of (404 otherwise), as the
    project page, a report or the direct channel does. With an `Idempotency-Key`, a repeat
    gets the first answer again and raises nothing more."""
    actor = request.user
    project = project_for(actor, payload.project_id)
    if not may_raise(actor, project):
        raise Http404
    report = None
    if payload.report_id is not None:
        report = report_for(actor, payload.report_id)
        if report.project_id != project.pk:
            raise Http404
    owner = report is None and uses_direct_channel(actor, project)
    values = payload.model_dump(include={"category", "title", "description", "direct"})
    data = cleaned(RaiseForm(form_data(values), owner=owner))
    if data.get("direct"):
        source = ProblemSource.DIRECT
    else:
        source = ProblemSource.REPORT if report is not None else ProblemSource.PROJECT_PAGE

    def create() -> Status[Any]:
        with refused_as():
            problem = services.raise_problem(
                actor=actor,
                project=project,
                category=data["category"],
                title=data["title"],
                description=data.get("description", ""),
                source=source,
                report=report,
            )
        return Status(201, as_body(ProblemDetailOut, _detail(actor, problem.pk)))

    return idempotency.api_once(request, "problems.raise", create)


@router.get("/{problem_id}", response={200: ProblemDetailOut, **REFUSALS}, url_name="problem")
def get_problem(request: SignedInRequest, problem_id: int) -> Problem:
    """One problem the caller sees, its comments, and the steps the workflow gives it now."""
    return _detail(request.user, problem_id)


@router.post(
    "/{problem_id}/steps", response={200: ProblemDetailOut, **REFUSALS}, url_name="problem_step"
)
def take_step(request: SignedInRequest, problem_id: int, payload: StepIn) -> Problem:
    """Take one step of the workflow (the `actions` of the problem tell which are open):
    assign, start, resolve, reject_resolution, close or escalate."""
    actor = request.user
    problem = selectors.problem_for(actor, problem_id)
    with refused_as():
        services.check_step(actor=actor, problem=problem, action=payload.action)
    values = {
        "department": payload.department_id,
        "handler": payload.handler_id,
        "deadline": payload.deadline,
        "resolution": payload.resolution,
        "reason": payload.reason,
    }
    form = step_form(payload.action, problem, form_data(values))
    data = cleaned(form) if form is not None else {}
    with refused_as():
        STEPS[payload.action](actor, problem, data)
    return _detail(actor, problem.pk)


@router.post(
    "/{problem_id}/comments", response={201: CommentOut, **REFUSALS}, url_name="problem_comment"
)
def add_comment(request: SignedInRequest, problem_id: int, payload: CommentIn) -> Status[Any]:
    """Add a remark to a problem the caller takes part in (not to a closed one). With an
    `Idempotency-Key`, a repeat adds nothing more."""
    actor = request.user
    problem = selectors.problem_for(actor, problem_id)
    data = cleaned(CommentForm(form_data(payload.model_dump())))

    def create() -> Status[Any]:
        with refused_as():
            comment = services.comment_problem(
                actor=actor, problem=problem, text=data.get("text", "")
            )
        return Status(201, _comment(comment))

    return idempotency.api_once(request, "problems.comment", create)
