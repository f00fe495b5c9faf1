"""The financing-needs lists over the API (mounted at `/api/v1/financing`): the editions the
caller may open, one edition with its needs and the answers the caller reads, and an
institution's answer to a need. The same selectors and services as the pages: outside the
caller's scope 404, a refusal 403 or 422 with its messages in the caller's language."""

from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import idempotency
from tiaodu.financing import selectors, services
from tiaodu.financing.models import FinancingAnswer, FinancingList, FinancingNeed
from tiaodu.financing.permissions import reads_financing
from tiaodu.reporting.api import REFUSALS, Refusal, refusals

router = Router(tags=["financing"])


class EditionOut(Schema):
    id: int
    title: str
    region: str
    year: int
    number: int
    status: str
    status_label: str
    published_at: str | None


class AnswerOut(Schema):
    id: int
    need_id: int
    institution: str
    amount: str
    terms: str
    contact_person: str
    contact_phone: str
    answered_at: str


class NeedOut(Schema):
    id: int
    project_id: int
    project_name: str
    region: str
    owner_unit: str
    kind: str
    kind_label: str
    amount: str
    purpose: str
    stage: str
    stage_label: str
    answer_count: int
    answers: list[AnswerOut]


class EditionDetailOut(EditionOut):
    note: str
    needs: list[NeedOut]


class AnswerIn(Schema):
    institution: str
    amount: Decimal
    terms: str
    contact_person: str
    contact_phone: str


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def _list(item: FinancingList) -> dict[str, Any]:
    return {
        "id": item.pk,
        "title": item.title,
        "region": item.region.name,
        "year": item.year,
        "number": item.number,
        "status": item.status,
        "status_label": str(item.get_status_display()),
        "published_at": item.published_at.isoformat() if item.published_at else None,
    }


def _answer(answer: FinancingAnswer) -> dict[str, Any]:
    return {
        "id": answer.pk,
        "need_id": answer.need_id,
        "institution": answer.institution,
        "amount": _money(answer.amount),
        "terms": answer.terms,
        "contact_person": answer.contact_person,
        "contact_phone": answer.contact_phone,
        "answered_at": answer.created_at.isoformat(),
    }


def _need(need: FinancingNeed, answers: list[FinancingAnswer]) -> dict[str, Any]:
    owner = need.project.owner_unit
    return {
        "id": need.pk,
        "project_id": need.project_id,
        "project_name": need.project.name,
        "region": need.project.region.name,
        "owner_unit": owner.name if owner is not None else "",
        "kind": need.kind,
        "kind_label": str(need.get_kind_display()),
        "amount": _money(need.amount),
        "purpose": need.purpose,
        "stage": need.stage,
        "stage_label": str(need.get_stage_display()),
        "answer_count": getattr(need, "answer_count", 0),
        "answers": [_answer(answer) for answer in answers],
    }


def _not_found() -> Refusal:
    return Refusal(404, [_("There is no such financing-needs list, or it is not yours to see.")])


def _list_of(request: SignedInRequest, list_id: int) -> FinancingList:
    if not reads_financing(request.user):
        raise _not_found()
    try:
        return selectors.list_for(request.user, list_id)
    except Http404 as error:
        raise _not_found() from error


@router.get("/lists", response={200: list[EditionOut], **REFUSALS}, url_name="financing_lists")
def lists(request: SignedInRequest) -> list[dict[str, Any]]:
    """The editions the caller may open, the latest first (an institution: the published
    ones; none for a caller who reads no lists)."""
    if not reads_financing(request.user):
        return []
    return [_list(item) for item in selectors.lists_visible_to(request.user)]


@router.get(
    "/lists/{list_id}", response={200: EditionDetailOut, **REFUSALS}, url_name="financing_list"
)
def list_detail(request: SignedInRequest, list_id: int) -> dict[str, Any]:
    """One edition with the needs the caller reads and, on each, the answers the caller
    reads (an institution its own)."""
    item = _list_of(request, list_id)
    answers = selectors.answers_on(request.user, item)
    needs = [
        _need(need, answers.get(need.pk, [])) for need in selectors.needs_of(request.user, item)
    ]
    return {**_list(item), "note": item.note, "needs": needs}


@router.post(
    "/lists/{list_id}/needs/{need_id}/answers",
    response={201: AnswerOut, **REFUSALS},
    url_name="financing_answer",
)
def answer(
    request: SignedInRequest, list_id: int, need_id: int, payload: AnswerIn
) -> Status[dict[str, Any]]:
    """An institution's answer to a need of a published edition: 201 with the answer, 422
    naming what to fix, 403 for a caller who is no institution. With an
    `Idempotency-Key`, a repeat gets the first answer again."""
    item = _list_of(request, list_id)

    def create() -> Status[dict[str, Any]]:
        try:
            need = selectors.need_for(request.user, item, need_id)
        except Http404 as error:
            raise _not_found() from error
        with refusals():
            made = services.answer_need(actor=request.user, need=need, **payload.model_dump())
        return Status(201, _answer(made))

    return idempotency.api_once(request, "financing.answer", create)
