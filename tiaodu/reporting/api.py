"""The reporter's API for phone apps, `/api/v1/reports`: the same selectors and services as
the pages (docs/reporting.md, "The reporter API").

A report outside the caller's scope answers 404; a refused action answers 403 (not allowed
now) or 422 (the input or the report's contents are refused) with `Refusal`'s body, whose
messages are in the caller's language. Nothing changes on a refusal.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import clock, idempotency
from tiaodu.core.api_support import REFUSALS, Refusal
from tiaodu.core.media.errors import UploadRefused
from tiaodu.core.scoping import Actor
from tiaodu.reporting import selectors, services, validation, workflow
from tiaodu.reporting.files import serve_file
from tiaodu.reporting.forms import ReportForm
from tiaodu.reporting.models import Period, Report, ReportFile
from tiaodu.reporting.permissions import relations

router = Router(tags=["reports"])


# ---------------------------------------------------------------------------- refusals


def _not_found() -> Refusal:
    return Refusal(404, [_("There is no such report, or it is not yours to see.")])


@contextmanager
def refusals() -> Iterator[None]:
    """Turn what the selectors and services refuse into a `Refusal` with their messages."""
    try:
        yield
    except Http404 as error:
        raise _not_found() from error
    except PermissionDenied as error:
        raise Refusal(403, [str(error) or _("You cannot do this.")]) from error
    except UploadRefused as error:
        raise Refusal(422, [error.message]) from error
    except ValidationError as error:
        fields = dict(error.message_dict) if hasattr(error, "error_dict") else {}
        raise Refusal(422, list(error.messages), fields) from error


# ---------------------------------------------------------------------------- schemas


class PeriodOut(Schema):
    id: int
    cycle: str
    label: str
    start: dt.date
    end: dt.date
    due_date: dt.date
    lock_date: dt.date


class DueOut(Schema):
    """One report the caller owes: the entry, the period, and the report so far (if any)."""

    plan_id: int
    project_id: int
    project_name: str
    period: PeriodOut
    overdue: bool
    report_id: int | None
    status: str | None
    status_label: str | None
    return_reason: str


class OpenIn(Schema):
    plan_id: int
    period_id: int


class FileOut(Schema):
    """A photo or video; `url` and `thumbnail_url` send it to those who see the report."""

    id: int
    kind: str
    name: str
    content_type: str
    size: int
    width: int | None
    height: int | None
    taken_at: dt.datetime | None
    url: str
    thumbnail_url: str | None


class WarningOut(Schema):
    rule: int
    message: str
    blocking: bool


class ReportOut(Schema):
    """A report: its contents (amounts in 万元 as strings with two places, dates ISO), its
    status and review, its checks, its files and what the caller may do with it."""

    id: int
    plan_id: int
    project_id: int
    project_name: str
    period: PeriodOut
    amendment: int
    status: str
    status_label: str
    is_current: bool
    investment: str | None
    bond_funds_spent: str | None
    physical_progress: str
    workers_on_site: int | None
    actual_start: dt.date | None
    actual_completion: dt.date | None
    actual_production: dt.date | None
    statistics_inclusion: dt.date | None
    next_plan: str
    new_problems: str
    warnings: list[WarningOut]
    return_reason: str
    submitted_at: dt.datetime | None
    district_approved_at: dt.datetime | None
    approved_at: dt.datetime | None
    returned_at: dt.datetime | None
    files: list[FileOut]
    editable: bool
    actions: list[str]


class ReportIn(Schema):
    """The fields to change; a field left out stays as it is, `null` empties it. The amount
    is a string in 万元 (\"120.50\"), dates are ISO (\"2026-10-20\")."""

    investment: str | None = None
    bond_funds_spent: str | None = None
    physical_progress: str | None = None
    workers_on_site: int | None = None
    actual_start: str | None = None
    actual_completion: str | None = None
    actual_production: str | None = None
    statistics_inclusion: str | None = None
    next_plan: str | None = None
    new_problems: str | None = None


# ---------------------------------------------------------------------------- answers


def _period(period: Period) -> dict[str, Any]:
    return {
        "id": period.pk,
        "cycle": period.cycle,
        "label": period.label,
        "start": period.start,
        "end": period.end,
        "due_date": period.due_date,
        "lock_date": period.lock_date,
    }


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(moment) if moment else None


def _file(item: ReportFile) -> dict[str, Any]:
    return {
        "id": item.pk,
        "kind": item.kind,
        "name": item.original_name,
        "content_type": item.content_type,
        "size": item.size,
        "width": item.width,
        "height": item.height,
        "taken_at": _local(item.taken_at),
        "url": reverse("api:report_file_content", args=[item.pk]),
        "thumbnail_url": (
            reverse("api:report_file_thumbnail", args=[item.pk]) if item.thumbnail else None
        ),
    }


MONEY_FIELDS = frozenset({"investment", "bond_funds_spent"})


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _report(actor: Actor, report: Report) -> dict[str, Any]:
    """What the report page shows, as data: warnings as they stand for a draft or a returned
    report, as stored at submit otherwise."""
    rels = relations(actor, report.project)
    editable = report.status in workflow.EDITABLE
    if editable:
        warnings = [w.as_dict() for w in validation.check(report)]
    else:
        warnings = list(report.warnings)
    return {
        "id": report.pk,
        "plan_id": report.plan_id,
        "project_id": report.project_id,
        "project_name": report.project.name,
        "period": _period(report.period),
        "amendment": report.amendment,
        "status": report.status,
        "status_label": str(report.get_status_display()),
        "is_current": report.is_current,
        "investment": _money(report.investment),
        "bond_funds_spent": _money(report.bond_funds_spent),
        **{name: getattr(report, name) for name in sorted(services.CONTENT_FIELDS - MONEY_FIELDS)},
        "warnings": warnings,
        "return_reason": report.return_reason,
        "submitted_at": _local(report.submitted_at),
        "district_approved_at": _local(report.district_approved_at),
        "approved_at": _local(report.approved_at),
        "returned_at": _local(report.returned_at),
        "files": [_file(item) for item in report.files.all()],
        "editable": editable and workflow.REPORTER in rels,
        "actions": workflow.REPORTS.actions_for(rels, report.status),
    }


def _reload(actor: Actor, pk: int) -> dict[str, Any]:
    return _report(actor, selectors.report_for(actor, pk))


def _report_of(actor: Actor, pk: int) -> Report:
    with refusals():
        return selectors.report_for(actor, pk)


def _file_of(actor: Actor, pk: int) -> ReportFile:
    """A file of a report the actor sees; 404 otherwise."""
    with refusals():
        return get_object_or_404(
            ReportFile.objects.select_related("report__project"),
            pk=pk,
            report__in=selectors.reports_visible_to(actor),
        )


def _parsed(report: Report, changes: dict[str, Any]) -> dict[str, Any]:
    """The changed fields parsed as the report page parses them (`ReportForm`), so that a bad
    amount or date is refused with the same message in the caller's language."""
    data = {}
    for name in services.CONTENT_FIELDS:
        value = changes[name] if name in changes else getattr(report, name)
        data[name] = "" if value is None else value
    form = ReportForm(data)
    if not form.is_valid():
        fields = {
            name: [str(message) for message in errors]
            for name, errors in form.errors.items()
            if name in changes
        }
        messages = [message for errors in fields.values() for message in errors]
        if messages:
            raise Refusal(422, messages, fields)
    cleaned = getattr(form, "cleaned_data", {})
    return {name: cleaned.get(name) for name in changes}


# ---------------------------------------------------------------------------- endpoints


@router.get("/due", response=list[DueOut], url_name="reports_due")
def due(request: SignedInRequest) -> list[dict[str, Any]]:
    """The reports the caller must still write or correct in the open periods, by due date:
    none yet, a draft, or a returned one (with the reviewer's reason)."""
    result = []
    for item in selectors.due_for(request.user, clock.today()):
        report = item.report
        result.append(
            {
                "plan_id": item.plan.pk,
                "project_id": item.plan.project_id,
                "project_name": item.plan.project.name,
                "period": _period(item.period),
                "overdue": item.overdue,
                "report_id": report.pk if report else None,
                "status": report.status if report else None,
                "status_label": str(report.get_status_display()) if report else None,
                "return_reason": report.return_reason if report else "",
            }
        )
    return result


@router.post("/", response={200: ReportOut, 201: ReportOut, **REFUSALS}, url_name="reports_open")
def open_report(request: SignedInRequest, payload: OpenIn) -> Status[dict[str, Any]]:
    """Open the report of an entry for a period: 201 with a new draft, or 200 with the
    report already there (asking twice, even at once, opens one; only the call that created
    it answers 201). Only a pair `/due` offers is opened. With an `Idempotency-Key`, a
    repeat gets the first answer again."""
    actor = request.user

    def create() -> Status[dict[str, Any]]:
        with refusals():
            plan = selectors.plan_to_report(actor, payload.plan_id)
            period = get_object_or_404(Period, pk=payload.period_id)
            report, created = services.open_or_find_draft(actor=actor, plan=plan, period=period)
        return Status(201 if created else 200, _reload(actor, report.pk))

    return idempotency.api_once(request, "reporting.open", create)


@router.get("/{report_id}", response={200: ReportOut, **REFUSALS}, url_name="report")
def get_report(request: SignedInRequest, report_id: int) -> dict[str, Any]:
    """One report the caller sees, with the actions the workflow gives the caller."""
    return _report(request.user, _report_of(request.user, report_id))


@router.patch("/{report_id}", response={200: ReportOut, **REFUSALS}, url_name="report_update")
def update_report(request: SignedInRequest, report_id: int, payload: ReportIn) -> dict[str, Any]:
    """Change a draft's (or a returned report's) fields; the fields sent, and only those."""
    actor = request.user
    report = _report_of(actor, report_id)
    changes = _parsed(report, payload.model_dump(exclude_unset=True))
    with refusals():
        services.update_draft(actor=actor, report=report, **changes)
    return _reload(actor, report.pk)


@router.post(
    "/{report_id}/files", response={201: FileOut, **REFUSALS}, url_name="report_file_upload"
)
def upload_file(
    request: SignedInRequest, report_id: int, file: File[UploadedFile | None] = None
) -> Status[dict[str, Any]]:
    """One photo or video (multipart, field `file`), accepted by its content: 201 with the
    stored file, or 422 saying why it was refused (nothing is stored then)."""
    actor = request.user
    report = _report_of(actor, report_id)
    if file is None:
        raise Refusal(422, [_("Choose a photo or a video.")])

    def create() -> Status[dict[str, Any]]:
        with refusals():
            item = services.add_file(actor=actor, report=report, upload=file, name=file.name or "")
        return Status(201, _file(item))

    # A phone that resends the upload after a dropped answer, with the same key, stores one.
    return idempotency.api_once(request, "reporting.file", create)


@router.delete("/files/{file_id}", response={204: None, **REFUSALS}, url_name="report_file")
def delete_file(request: SignedInRequest, file_id: int) -> Status[None]:
    """Remove a photo or video from a draft or a returned report."""
    item = _file_of(request.user, file_id)
    with refusals():
        services.remove_file(actor=request.user, item=item)
    return Status(204, None)


@router.get("/files/{file_id}/content", url_name="report_file_content")
def file_content(request: SignedInRequest, file_id: int) -> HttpResponseBase:
    """The photo (a JPEG without metadata) or the video itself."""
    item = _file_of(request.user, file_id)
    return serve_file(item.file, item.content_type, request)


@router.get("/files/{file_id}/thumbnail", url_name="report_file_thumbnail")
def file_thumbnail(request: SignedInRequest, file_id: int) -> HttpResponseBase:
    """A photo's thumbnail (a JPEG, 480 pixels on the long side); 404 for a video."""
    item = _file_of(request.user, file_id)
    with refusals():
        return serve_file(item.thumbnail, "image/jpeg", request)


@router.post("/{report_id}/submit", response={200: ReportOut, **REFUSALS}, url_name="report_submit")
def submit(request: SignedInRequest, report_id: int) -> dict[str, Any]:
    """Submit for review, with the report's checks; a report already submitted is answered
    as it is. A blocking check, a missing amount or a locked period answers 422."""
    actor = request.user
    report = _report_of(actor, report_id)
    with refusals():
        services.submit_report(actor=actor, report=report)
    return _reload(actor, report.pk)


@router.post(
    "/{report_id}/amend",
    response={200: ReportOut, 201: ReportOut, **REFUSALS},
    url_name="report_amend",
)
def amend(request: SignedInRequest, report_id: int) -> Status[dict[str, Any]]:
    """Correct an approved report: 201 with the new draft (the next amendment), or 200 with
    the amendment already open."""
    actor = request.user
    report = _report_of(actor, report_id)

    def create() -> Status[dict[str, Any]]:
        latest = Report.objects.filter(project_id=report.project_id, period_id=report.period_id)
        before = latest.order_by("-amendment").values_list("pk", flat=True).first()
        with refusals():
            amendment = services.amend_report(actor=actor, report=report)
        return Status(200 if amendment.pk == before else 201, _reload(actor, amendment.pk))

    return idempotency.api_once(request, "reporting.amend", create)
