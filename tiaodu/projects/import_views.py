"""The ledger import pages: upload → preview (counts and every error) → confirm; a task
whose worker stopped is retried or discarded."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import clock
from tiaodu.core.downloads import XLSX, download
from tiaodu.projects.import_models import LedgerImport, LedgerImportPhase, LedgerImportStatus
from tiaodu.projects.ledger import jobs
from tiaodu.projects.ledger.safety import LedgerFileError
from tiaodu.projects.permissions import can_import_ledger, can_see_import


class LedgerUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Ledger (.xlsx)"),
        widget=forms.FileInput(attrs={"accept": ".xlsx"}),
    )
    year = forms.IntegerField(label=gettext_lazy("Plan year"), min_value=2000, max_value=2100)
    as_of = forms.DateField(
        label=gettext_lazy("Year-to-date figures as of"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("The date of the 本年累计完成投资 column."),
    )


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
        initial={"year": today.year, "as_of": today},
    )
    if request.method == "POST" and form.is_valid():
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
        except (PermissionDenied, ValidationError) as error:
            form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
        else:
            jobs.start(actor=request.user, item=item, apply=False)
            return redirect("projects:import_detail", pk=item.pk)
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
    }
    return render(request, "projects/import_detail.html", context)


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
