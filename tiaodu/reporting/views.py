"""The reporter's pages: what is due, the report form with its photos and videos, amendment.

Thin: every read goes through the selectors (a report outside the actor's scope is a 404),
every write through the services; a refusal becomes a message and changes nothing.
"""

import itertools
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import clock, idempotency
from tiaodu.core.bounds import query_id
from tiaodu.core.listing import page_context
from tiaodu.core.refusals import errors_onto, refusal
from tiaodu.reporting import listings, selectors, services, validation, workflow
from tiaodu.reporting import queue as review_queue
from tiaodu.reporting.files import serve_file
from tiaodu.reporting.forms import ReportForm, ReturnForm
from tiaodu.reporting.models import Period, Report, ReportFile
from tiaodu.reporting.permissions import is_reviewer, relations, reports_due
from tiaodu.reporting.report_links import links_for
from tiaodu.reporting.review_context import review_context


@login_required
def due_list(request: SignedInRequest) -> HttpResponse:
    """我的待报: the reports the user must still write or correct, by period."""
    found = listings.due_source(request)
    shown = listings.DUE.table().present(found.rows)
    groups = [
        {"period": period, "rows": rows, "items": [row.item for row in rows]}
        for period, rows in (
            (period, list(rows))
            for period, rows in itertools.groupby(shown, key=lambda row: row.item.period)
        )
    ]
    context = {
        **page_context(request, listings.DUE, found),
        "groups": groups,
        "today": found.data["today"],
        "count": len(found.rows),
    }
    return render(request, "reporting/due_list.html", context)


@login_required
@require_POST
def open_report(request: SignedInRequest) -> HttpResponse:
    """Start the report of a due entry and period (or find the one already started)."""
    plan_id, period_id = query_id(request.POST.get("plan")), query_id(request.POST.get("period"))
    if not reports_due(request.user):
        raise Http404
    plan = selectors.plan_to_report(request.user, plan_id)
    period = get_object_or_404(Period, pk=period_id)
    try:
        report = services.open_draft(actor=request.user, plan=plan, period=period)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, refusal(error))
        return redirect("reporting:due")
    return redirect("reporting:report", pk=report.pk)


def _initial(report: Report) -> dict[str, Any]:
    return {name: getattr(report, name) for name in services.CONTENT_FIELDS}


def report_context(
    request: SignedInRequest, report: Report, form: ReportForm | None
) -> dict[str, Any]:
    """What the report page shows: the form (if the actor may edit), the report's files, its
    warnings (as submitted, or as they stand for a draft) and the actor's actions."""
    rels = relations(request.user, report.project)
    actions = workflow.REPORTS.actions_for(rels, report.status)
    editable = report.status in workflow.EDITABLE and workflow.REPORTER in rels
    files = list(report.files.all())
    if report.status in workflow.EDITABLE:
        warnings = [w.as_dict() for w in validation.check(report)]
    else:
        warnings = list(report.warnings)
    history = list(
        selectors.reports_visible_to(request.user)
        .filter(project_id=report.project_id, period_id=report.period_id)
        .exclude(pk=report.pk)
        .order_by("amendment")
    )
    return {
        "report": report,
        "project": report.project,
        "period": report.period,
        "form": form if editable else None,
        "editable": editable,
        "files": files,
        "warnings": warnings,
        "blocking": [w for w in warnings if w.get("blocking")],
        "can_submit": "submit" in actions and editable,
        "can_amend": "amend" in actions,
        "review_action": next((a for a in actions if a in {"approve", "approve_district"}), None),
        "can_return": "return" in actions,
        "return_form": ReturnForm(),
        "history": history,
        "milestones": ReportForm.MILESTONES,
        "upload_url": reverse("reporting:upload", args=[report.pk]),
        "today_date": clock.today(),
        "report_links": links_for(request.user, report),
        # The reader's panel beside a report that is read, not written.
        "panel": None if editable else review_context(request.user, report),
        # The queue the reviewer came from (its filters), kept by approve and next.
        "queue_query": (
            review_queue.parse(request.user, request.GET).query()
            if is_reviewer(request.user)
            else ""
        ),
    }


@login_required
def report_page(request: SignedInRequest, pk: int) -> HttpResponse:
    """One report: the form while it is a draft or returned (for its reporter), otherwise
    everything it says, read-only, with the actions the workflow gives the actor."""
    report = selectors.report_for(request.user, pk)
    form = ReportForm(
        request.POST or None, initial=_initial(report), bond_funds=report.plan.bond_funds
    )
    if request.method == "POST":
        response = _save(request, report, form)
        if response is not None:
            return response
        report.refresh_from_db()
    return render(request, "reporting/report.html", report_context(request, report, form))


def _save(request: SignedInRequest, report: Report, form: ReportForm) -> HttpResponse | None:
    """Save the draft, and submit it when asked; both or neither. None: show the form."""
    submitting = request.POST.get("action") == "submit"
    if not form.is_valid():
        return None
    try:
        with transaction.atomic():
            services.update_draft(actor=request.user, report=report, **form.cleaned_data)
            if submitting:
                services.submit_report(actor=request.user, report=report)
    except PermissionDenied as error:
        messages.error(request, refusal(error))
        return redirect("reporting:report", pk=report.pk)
    except ValidationError as error:
        errors_onto(form, error)
        return None
    if submitting:
        messages.success(
            request,
            _("Report submitted for %(project)s, %(period)s. The dispatcher will review it.")
            % {"project": report.project.name, "period": report.period.label},
        )
        return redirect("reporting:due")
    messages.success(request, _("Draft saved."))
    return redirect("reporting:report", pk=report.pk)


@login_required
@require_POST
def amend(request: SignedInRequest, pk: int) -> HttpResponse:
    """Correct an approved report: a new draft, the approved one counting until it is approved."""
    report = selectors.report_for(request.user, pk)
    try:
        amendment = services.amend_report(actor=request.user, report=report)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, refusal(error))
        return redirect("reporting:report", pk=report.pk)
    return redirect("reporting:report", pk=amendment.pk)


# ---------------------------------------------------------------------------- files


def _file_json(item: ReportFile) -> dict[str, Any]:
    return {
        "id": item.pk,
        "name": item.original_name,
        "kind": item.kind,
        "url": reverse("reporting:file", args=[item.pk]),
        "thumbnail": reverse("reporting:thumbnail", args=[item.pk]) if item.thumbnail else "",
        "remove": reverse("reporting:remove_file", args=[item.pk]),
    }


@login_required
@require_POST
def upload(request: SignedInRequest, pk: int) -> JsonResponse:
    """One photo or video, sent on its own while the draft is written; the answer is JSON:
    the stored file, or `error` saying why it was refused (nothing is stored then).

    Each file carries a key of its own (the page's form key and the file's number, kept
    when the file is sent again): a file sent again with its key, after an answer that got
    lost on the way, is stored once and answered as the first time (`core.idempotency`)."""
    report = selectors.report_for(request.user, pk)
    handle = request.FILES.get("file")
    if handle is None:
        return JsonResponse({"error": _("Choose a photo or a video.")}, status=400)
    refused: list[JsonResponse] = []

    def store() -> idempotency.Answer | None:
        try:
            item = services.add_file(
                actor=request.user, report=report, upload=handle, name=handle.name or ""
            )
        except PermissionDenied as error:
            refused.append(JsonResponse({"error": refusal(error)}, status=403))
        except ValidationError as error:
            refused.append(JsonResponse({"error": refusal(error)}, status=400))
        except ValueError as error:  # core.media UploadRefused: its message says why and what to do
            refused.append(JsonResponse({"error": str(error)}, status=400))
        else:
            return idempotency.Answer(201, body=_file_json(item))
        return None

    key = request.POST.get(idempotency.FIELD, "")
    if not key:
        answer = store()
    elif not idempotency.KEY.match(key):
        message = _("The form was changed in transit; reload the page and send it again.")
        return JsonResponse({"error": message}, status=400)
    else:
        try:
            # The report's number as the fingerprint: a key sent to another report is refused.
            answer, _replayed = idempotency.once(
                request.user, key, "reporting.upload", store, fingerprint=str(report.pk)
            )
        except idempotency.KeyReused:
            message = _("The form was changed in transit; reload the page and send it again.")
            return JsonResponse({"error": message}, status=400)
    if answer is None:
        return refused[0]
    return JsonResponse(answer.body, status=answer.status)


def _file_for(request: HttpRequest, pk: int) -> ReportFile:
    """A file of a report the actor may see; 404 otherwise."""
    visible = selectors.reports_visible_to(request.user)
    return get_object_or_404(
        ReportFile.objects.select_related("report__project"), pk=pk, report__in=visible
    )


@login_required
@require_POST
def remove_file(request: SignedInRequest, pk: int) -> HttpResponse:
    item = _file_for(request, pk)
    report_id = item.report_id
    wants_json = "application/json" in request.headers.get("Accept", "")
    try:
        services.remove_file(actor=request.user, item=item)
    except PermissionDenied as error:
        if wants_json:
            return JsonResponse({"error": refusal(error)}, status=403)
        messages.error(request, refusal(error))
    else:
        if wants_json:
            return JsonResponse({"removed": pk})
        messages.success(request, _("The file was removed."))
    return redirect("reporting:report", pk=report_id)


@login_required
def file_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A report's photo or video, for those who may see the report only."""
    item = _file_for(request, pk)
    return serve_file(item.file, item.content_type, request)


@login_required
def thumbnail_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    item = _file_for(request, pk)
    return serve_file(item.thumbnail, "image/jpeg", request)
