"""The page of a large library export: its progress while a background task writes it,
then its download (export_jobs)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core.downloads import XLSX, name_download
from tiaodu.projects import export_jobs
from tiaodu.projects.export_models import LibraryExport, LibraryExportStatus
from tiaodu.projects.exports import export_name


def _visible(request: SignedInRequest, pk: int) -> LibraryExport:
    """The export, for the reader who asked for it; 404 for anyone else."""
    item = get_object_or_404(LibraryExport, pk=pk)
    if not export_jobs.can_see(request.user, item):
        raise Http404
    return item


@login_required
def export_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    item = _visible(request, pk)
    if request.headers.get("HX-Request"):
        if item.working:
            return render(request, "projects/export_detail.html#progress", {"item": item})
        # Written, failed or stopped: reload the whole page (the link, the message).
        response = HttpResponse(status=200)
        response["HX-Refresh"] = "true"
        return response
    name, _fallback = export_name(item.year, item.as_of)
    context = {
        "item": item,
        "statuses": LibraryExportStatus,
        "name": name,
        "library": reverse("projects:list") + (f"?{item.query}" if item.query else ""),
        "stale_minutes": settings.TIAODU_LEDGER_IMPORT_STALE_MINUTES,
    }
    return render(request, "projects/export_detail.html", context)


@login_required
def export_download(request: SignedInRequest, pk: int) -> FileResponse:
    item = _visible(request, pk)
    try:
        handle = export_jobs.open_file(actor=request.user, item=item)
    except (FileNotFoundError, PermissionDenied):
        raise Http404 from None
    name, fallback = export_name(item.year, item.as_of)
    return name_download(FileResponse(handle, content_type=XLSX), name, fallback=fallback)
