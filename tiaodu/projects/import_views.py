"""The ledger import pages: upload → preview (counts, every error, every row with its
changed fields) → confirm; a task whose worker stopped is retried or discarded; the date of
the year-to-date figures may be given again, and the file is checked again."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import clock, idempotency
from tiaodu.core.downloads import XLSX, download
from tiaodu.projects.import_models import (
    LedgerImport,
    LedgerImportPhase,
    LedgerImportStatus,
    LedgerRowStatus,
)
from tiaodu.projects.ledger import jobs, preview
from tiaodu.projects.ledger.dating import DATE_MISSING
from tiaodu.projects.ledger.safety import LedgerFileError
from tiaodu.projects.permissions import can_import_ledger, can_see_import


def _as_of_field() -> forms.DateField:
    return forms.DateField(
        label=gettext_lazy("Year-to-date figures as of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy(
            "The date of the 本年累计完成投资 column. Leave it empty to take the date the "
            "file states (an exported ledger says it under the header: 截至2026-11-30)."
        ),
    )


class LedgerUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Ledger (.xlsx, .xls or CSV)"),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
    )
    year = forms.IntegerField(label=gettext_lazy("Plan year"), min_value=2000, max_value=2100)
    as_of = _as_of_field()


class LedgerDateForm(forms.Form):
    as_of = _as_of_field()


def _dispatcher(request: HttpRequest) -> None:
    if not can_import_ledger(request.user):
        raise Http404


def _visible(request: HttpRequest, pk: int) -> LedgerImport:
    _dispatcher(request)
    item = get_object_or_404(LedgerImport.objects.select_related("uploaded_by"), pk=pk)
    if not can_see_import(request.user, item):
        raise Http404
    return item


@login_required
def import_upload(request: SignedInRequest) -> HttpResponse:
    _dispatcher(request)
    today = clock.today()
    form = LedgerUploadForm(
        request.POST or None,
        request.FILES or None,
        initial={"year": today.year},
    )
    if request.method == "POST" and form.is_valid():

        def create() -> str | None:
            upload = form.cleaned_data["file"]
            try:
                item = jobs.upload(
                    actor=request.user,
                    upload=upload,
                    name=upload.name,
                    year=form.cleaned_data["year"],
                    as_of=form.cleaned_data["as_of"],
                )
            except LedgerFileError as error:
                form.add_error("file", error.message)
                return None
            except (PermissionDenied, ValidationError) as error:
                form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
                return None
            jobs.start(actor=request.user, item=item, apply=False)
            return reverse("projects:import_detail", args=[item.pk])

        # The same form sent twice (a double click on a slow upload) imports once.
        location = idempotency.form_once(request, "projects.ledger_import", create)
        if location is not None:
            return redirect(location)
    recent = LedgerImport.objects.filter(uploaded_by_id=request.user.pk)[:10]
    return render(request, "projects/import_form.html", {"form": form, "recent": recent})


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _visible(request, pk)
    working = item.running and not item.is_stale
    if request.headers.get("HX-Request"):
        if working:
            return render(request, "projects/import_detail.html#progress", {"item": item})
        # Done (or stale): reload the whole page (counts, errors, buttons).
        response = HttpResponse(status=200)
        response["HX-Refresh"] = "true"
        return response
    context: dict[str, Any] = {
        "item": item,
        "statuses": LedgerImportStatus,
        "phases": LedgerImportPhase,
        "working": working,
        "stale_minutes": settings.TIAODU_LEDGER_IMPORT_STALE_MINUTES,
        "can_confirm": (
            item.status == LedgerImportStatus.CHECKED and not item.error_count and not item.running
        ),
        "can_retry": jobs.can_retry(item),
        "can_discard": jobs.can_discard(item),
        "total": item.new_count + item.updated_count + item.unchanged_count,
        "can_date": jobs.can_date(item),
        "date_form": LedgerDateForm(initial={"as_of": item.as_of}, auto_id="date_%s"),
        # The check asked for the date (its only error): the date form opens by itself.
        "date_asked": item.error_count == 1 and item.errors[0].get("code") == DATE_MISSING,
    }
    if not working:
        context.update(_preview(request, item))
    return render(request, "projects/import_detail.html", context)


def _preview(request: HttpRequest, item: LedgerImport) -> dict[str, Any]:
    """The rows of the preview, filtered by result, changed column and text, 50 a page."""
    wanted = preview.RowFilter.from_query(request.GET)
    rows = preview.rows(item, wanted)
    page = Paginator(rows, preview.PAGE_SIZE).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    return {
        "row_filter": wanted,
        "row_page": page,
        "row_statuses": LedgerRowStatus,
        "row_columns": preview.changed_columns(item),
        "row_query": kept.urlencode(),
        "has_rows": item.rows.exists(),
    }


@login_required
@require_POST
def import_date(request: SignedInRequest, pk: int) -> HttpResponse:
    item = _visible(request, pk)
    form = LedgerDateForm(request.POST)
    if form.is_valid():
        try:
            jobs.set_as_of(actor=request.user, item=item, as_of=form.cleaned_data["as_of"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Enter the date as 2026-11-30."))
    return redirect("projects:import_detail", pk=item.pk)


@login_required
@require_POST
def import_confirm(request: SignedInRequest, pk: int) -> HttpResponse:
    item = _visible(request, pk)
    if item.status == LedgerImportStatus.CHECKED and not item.error_count:
        jobs.start(actor=request.user, item=item, apply=True)
    return redirect("projects:import_detail", pk=item.pk)


@login_required
@require_POST
def import_retry(request: SignedInRequest, pk: int) -> HttpResponse:
    item = _visible(request, pk)
    if jobs.can_retry(item):
        jobs.retry(actor=request.user, item=item)
    return redirect("projects:import_detail", pk=item.pk)


@login_required
@require_POST
def import_discard(request: SignedInRequest, pk: int) -> HttpResponse:
    item = _visible(request, pk)
    if jobs.can_discard(item):
        jobs.discard(actor=request.user, item=item)
    return redirect("projects:import_detail", pk=item.pk)


@login_required
def import_errors(request: SignedInRequest, pk: int) -> HttpResponse:
    item = _visible(request, pk)
    if not item.error_count:
        raise Http404
    content = jobs.error_report(actor=request.user, item=item)
    uploaded = item.original_name.rsplit(".", 1)[0] or str(item.pk)
    return download(
        content,
        content_type=XLSX,
        name=_("Errors of %(file)s") % {"file": uploaded} + ".xlsx",
        fallback=f"ledger-errors-{item.pk}.xlsx",
    )
