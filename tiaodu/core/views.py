"""The home page of each role, and the auditor's audit log."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tiaodu.core import audit, clock
from tiaodu.core.downloads import XLSX, download
from tiaodu.core.exports import (
    changes_of,
    channel_label,
    export_stamp,
    object_type_label,
    write_audit_xlsx,
)
from tiaodu.core.filters import AuditEventFilterSet
from tiaodu.core.home import home_context
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.core.permissions import reads_audit_log
from tiaodu.core.summaries import export_message, filter_summary

AUDIT_PAGE_SIZE = 50


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What the signed-in user works on, by role."""
    return render(request, "core/home.html", home_context(request.user))


def _audit_events(request: HttpRequest) -> AuditEventFilterSet:
    """The filtered audit log; 404 for everyone but the auditor (DOMAIN.md §9)."""
    if not reads_audit_log(request.user):
        raise Http404
    return AuditEventFilterSet(request.GET or None, queryset=AuditEvent.objects.all())


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit log, newest first, filtered and paged."""
    filterset = _audit_events(request)
    page = Paginator(filterset.qs, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    rows: list[dict[str, Any]] = [
        {
            "event": event,
            "object_type": object_type_label(event.object_type),
            "channel": channel_label(event.channel),
            "changes": changes_of(event),
        }
        for event in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "rows": rows,
        "query": query.urlencode(),
    }
    return render(request, "core/audit_log.html", context)


@login_required
def audit_log_export(request: HttpRequest) -> HttpResponse:
    """The filtered audit log as xlsx; the export itself is audited."""
    filterset = _audit_events(request)
    events = filterset.qs
    count = events.count()
    limit = settings.TIAODU_EXPORT_MAX_ROWS
    if count > limit:
        messages.error(
            request,
            _(
                "%(count)d events match; at most %(limit)d can be exported at once. "
                "Narrow the filters (for example the date range) and export again."
            )
            % {"count": count, "limit": limit},
        )
        return redirect(f"{reverse('core:audit_log')}?{request.GET.urlencode()}")
    stamp = export_stamp()
    content = write_audit_xlsx(
        events.iterator(chunk_size=2000),
        title=_("Audit log (exported %(stamp)s)") % {"stamp": stamp},
    )
    audit.record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_label=_("Audit log"),
        message=export_message(count, filter_summary(filterset.form)),
    )
    today = clock.today().isoformat()
    return download(
        content,
        content_type=XLSX,
        name=_("Audit log-as of %(date)s") % {"date": today} + ".xlsx",
        fallback=f"audit-log-{today}.xlsx",
    )
