"""Site visits over the API, `/api/v1/visits`: a group's visit to an assigned project with
its score, photos and findings, and 转为问题 (a finding onto the problem ledger), through the
same selectors, forms and services as the visit pages (docs/api.md).

A visit outside the caller's scope answers 404; a change by anyone but a member of the
group or a dispatcher of the project's region 403; a refused input or photo 422, with the
messages in the caller's language; nothing changes then.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import idempotency
from tiaodu.core.api_support import REFUSALS, CursorPages, Refusal, refused_as
from tiaodu.core.media.errors import UploadRefused
from tiaodu.core.media.serving import serve_inline
from tiaodu.core.scoping import Actor
from tiaodu.problems.api_input import ObjectId, Shown, as_body, business_reader, cleaned, form_data
from tiaodu.supervision.rounds import selectors, visit_services, workflow
from tiaodu.supervision.rounds.choices import CRITERION_POINTS
from tiaodu.supervision.rounds.forms import FindingForm, VisitForm
from tiaodu.supervision.rounds.models import Finding, SiteVisit, VisitPhoto
from tiaodu.supervision.rounds.permissions import may_raise_finding, may_record_visit

router = Router(tags=["visits"])


class VisitOut(Shown):
    """A visit; the score (0–100, one place) and its parts are strings, null when not given."""

    id: int
    round_id: ObjectId
    round_title: str
    group_id: ObjectId
    group: str
    project_id: ObjectId
    project_name: str
    visited_on: dt.date
    visitors: str
    findings: str
    comment: str
    score: str | None
    score_progress: str | None
    score_investment: str | None
    score_quality_safety: str | None

    @staticmethod
    def resolve_round_title(obj: SiteVisit) -> str:
        return obj.round.title

    @staticmethod
    def resolve_group(obj: SiteVisit) -> str:
        return obj.group.name

    @staticmethod
    def resolve_project_name(obj: SiteVisit) -> str:
        return obj.project.name

    @staticmethod
    def resolve_score(obj: SiteVisit) -> str | None:
        return _points(obj.score)

    @staticmethod
    def resolve_score_progress(obj: SiteVisit) -> str | None:
        return _points(obj.score_progress)

    @staticmethod
    def resolve_score_investment(obj: SiteVisit) -> str | None:
        return _points(obj.score_investment)

    @staticmethod
    def resolve_score_quality_safety(obj: SiteVisit) -> str | None:
        return _points(obj.score_quality_safety)


class PhotoOut(Schema):
    id: int
    name: str
    width: int | None
    height: int | None
    url: str


class FindingOut(Schema):
    """A finding; `problem_id` names the problem it became on the ledger, if it did."""

    id: int
    category: str
    category_label: str
    title: str
    detail: str
    problem_id: ObjectId | None


class VisitDetailOut(VisitOut):
    photos: list[PhotoOut]
    finding_items: list[FindingOut]
    can_record: bool
    can_raise: bool

    @staticmethod
    def resolve_photos(obj: SiteVisit) -> list[dict[str, Any]]:
        return [_photo(photo) for photo in obj.photos.all()]

    @staticmethod
    def resolve_finding_items(obj: SiteVisit) -> list[dict[str, Any]]:
        return [_finding(finding) for finding in selectors.findings_of(obj)]

    @staticmethod
    def resolve_can_record(obj: SiteVisit) -> bool:
        return obj.may_record  # type: ignore[attr-defined]

    @staticmethod
    def resolve_can_raise(obj: SiteVisit) -> bool:
        return obj.may_raise  # type: ignore[attr-defined]


class FindingIn(Schema):
    category: str
    title: str
    detail: str = ""


class VisitIn(Schema):
    """What the visit form takes: the day, who went, what was found, the comment; the score
    as a total or as points for each part (progress 40, investment 30, quality and safety
    30), not both; and new findings."""

    visited_on: dt.date
    visitors: str = ""
    findings: str = ""
    comment: str = ""
    score: Decimal | None = None
    score_progress: Decimal | None = None
    score_investment: Decimal | None = None
    score_quality_safety: Decimal | None = None
    new_findings: list[FindingIn] = []


class NewVisitIn(VisitIn):
    """A visit to record, of an assignment of the group (`assignment_id`, from the round)."""

    assignment_id: ObjectId


class RaisedOut(Schema):
    problem_id: ObjectId


def _points(value: Decimal | None) -> str | None:
    return f"{value:.1f}" if value is not None else None


def _photo(photo: VisitPhoto) -> dict[str, Any]:
    return {
        "id": photo.pk,
        "name": photo.original_name,
        "width": photo.width,
        "height": photo.height,
        "url": reverse("api:visit_photo_content", args=[photo.pk]),
    }


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.pk,
        "category": finding.category,
        "category_label": str(finding.get_category_display()),
        "title": finding.title,
        "detail": finding.detail,
        "problem_id": finding.problem_id,
    }


def _detail(actor: Actor, pk: int) -> SiteVisit:
    visit = selectors.visit_for(actor, pk)
    recording = visit.round.status in workflow.RECORDING
    visit.may_record = recording and may_record_visit(  # type: ignore[attr-defined]
        actor, visit.group, visit.project
    )
    visit.may_raise = may_raise_finding(actor, visit.project)  # type: ignore[attr-defined]
    return visit


def _visit_input(payload: VisitIn) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The visit form's cleaned data and the new findings, each read by the page's forms."""
    values = payload.model_dump(exclude={"new_findings", "assignment_id"})
    data = cleaned(VisitForm(form_data({k: v for k, v in values.items()})))
    findings = [cleaned(FindingForm(form_data(row.model_dump()))) for row in payload.new_findings]
    return data, findings


def _save(actor: Any, data: dict[str, Any], findings: list[dict[str, Any]], **which: Any) -> int:
    parts = {key: data.get(f"score_{key}") for key in CRITERION_POINTS}
    fields = {name: data[name] for name in ("visited_on", "visitors", "findings", "comment")}
    with refused_as():
        visit = visit_services.save_visit(
            actor=actor, fields=fields, score=data["score"], parts=parts, findings=findings, **which
        )
    return visit.pk


@router.get("/", response=list[VisitOut], url_name="visits")
@paginate(CursorPages)
def list_visits(
    request: SignedInRequest, round_id: ObjectId | None = None, project_id: ObjectId | None = None
) -> Any:
    """The visits the caller sees (of its projects, or of its groups), the latest first."""
    business_reader(request.user)
    found = selectors.visits_visible_to(request.user)
    if round_id is not None:
        found = found.filter(round_id=round_id)
    if project_id is not None:
        found = found.filter(project_id=project_id)
    return found.order_by("-visited_on", "-id")


@router.post("/", response={201: VisitDetailOut, **REFUSALS}, url_name="visit_record")
def record_visit(request: SignedInRequest, payload: NewVisitIn) -> Status[Any]:
    """Record the group's visit to an assigned project, with its score and findings, while
    the round is under way (one visit per project and round). With an `Idempotency-Key`, a
    repeat gets the first answer again."""
    actor = request.user
    assignment = selectors.assignment_for(actor, payload.assignment_id)
    data, findings = _visit_input(payload)

    def create() -> Status[Any]:
        pk = _save(actor, data, findings, assignment=assignment)
        return Status(201, as_body(VisitDetailOut, _detail(actor, pk)))

    return idempotency.api_once(request, "supervision.visit", create)


@router.get("/{visit_id}", response={200: VisitDetailOut, **REFUSALS}, url_name="visit")
def get_visit(request: SignedInRequest, visit_id: int) -> SiteVisit:
    """One visit with its photos and findings, and what the caller may do with it."""
    return _detail(request.user, visit_id)


@router.put("/{visit_id}", response={200: VisitDetailOut, **REFUSALS}, url_name="visit_update")
def update_visit(request: SignedInRequest, visit_id: int, payload: VisitIn) -> SiteVisit:
    """Change what the visit says and its score (the findings sent are added)."""
    actor = request.user
    visit = selectors.visit_for(actor, visit_id)
    data, findings = _visit_input(payload)
    _save(actor, data, findings, visit=visit)
    return _detail(actor, visit.pk)


@router.post("/{visit_id}/photos", response={201: PhotoOut, **REFUSALS}, url_name="visit_photo_add")
def add_photo(
    request: SignedInRequest, visit_id: int, file: File[UploadedFile | None] = None
) -> Status[Any]:
    """One photo (multipart, field `file`), accepted by its content and stored without its
    location data; 422 saying why it was refused (nothing is stored then)."""
    actor = request.user
    visit = selectors.visit_for(actor, visit_id)
    if file is None:
        raise Refusal(422, [_("Choose one or more photos.")])

    def create() -> Status[Any]:
        try:
            with refused_as():
                stored = visit_services.add_photos(
                    actor=actor, visit=visit, uploads=[(file, file.name or "")]
                )
        except UploadRefused as error:
            raise Refusal(422, [error.message]) from error
        return Status(201, _photo(stored[0]))

    return idempotency.api_once(request, "supervision.visit_photo", create)


@router.get("/photos/{photo_id}/content", url_name="visit_photo_content")
def photo_content(request: SignedInRequest, photo_id: int) -> HttpResponseBase:
    """The photo itself (a JPEG without metadata)."""
    photo = selectors.photo_for(request.user, photo_id)
    return serve_inline(photo.file, photo.content_type, request)


@router.delete("/photos/{photo_id}", response={204: None, **REFUSALS}, url_name="visit_photo")
def remove_photo(request: SignedInRequest, photo_id: int) -> Status[None]:
    photo = selectors.photo_for(request.user, photo_id)
    with refused_as():
        visit_services.remove_photo(actor=request.user, photo=photo)
    return Status(204, None)


@router.post("/{visit_id}/findings", response={201: FindingOut, **REFUSALS}, url_name="finding_add")
def add_finding(request: SignedInRequest, visit_id: int, payload: FindingIn) -> Status[Any]:
    """Note something the visit found that holds the project back. With an
    `Idempotency-Key`, a repeat adds none."""
    actor = request.user
    visit = selectors.visit_for(actor, visit_id)
    data = cleaned(FindingForm(form_data(payload.model_dump())))

    def create() -> Status[Any]:
        with refused_as():
            finding = visit_services.add_finding(actor=actor, visit=visit, **data)
        return Status(201, _finding(finding))

    return idempotency.api_once(request, "supervision.finding", create)


@router.delete("/findings/{finding_id}", response={204: None, **REFUSALS}, url_name="finding")
def remove_finding(request: SignedInRequest, finding_id: int) -> Status[None]:
    """Remove a finding that is not on the problem ledger."""
    finding = selectors.finding_for(request.user, finding_id)
    with refused_as():
        visit_services.remove_finding(actor=request.user, finding=finding)
    return Status(204, None)


@router.post(
    "/findings/{finding_id}/problem",
    response={201: RaisedOut, **REFUSALS},
    url_name="finding_raise",
)
def raise_finding(request: SignedInRequest, finding_id: int) -> Status[Any]:
    """转为问题: the finding becomes a problem on the ledger (source: site visit), once."""
    finding = selectors.finding_for(request.user, finding_id)
    with refused_as():
        problem = visit_services.raise_finding_problem(actor=request.user, finding=finding)
    return Status(201, {"problem_id": problem.pk})
