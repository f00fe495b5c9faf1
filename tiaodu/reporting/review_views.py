"""The reviewer's pages: the queue of reports waiting for the actor, approve, return, and
bulk approve. The report page itself (`views.report_page`) shows the review buttons."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core.refusals import refusal
from tiaodu.reporting import selectors, services
from tiaodu.reporting.forms import ReturnForm
from tiaodu.reporting.models import Report
from tiaodu.reporting.permissions import is_reviewer


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
def queue(request: SignedInRequest) -> HttpResponse:
    """The reports waiting for the actor's approval, oldest submission first; filtered by
    period and region (the choices are those of the waiting reports)."""
    if not is_reviewer(request.user):
        raise Http404
    waiting = selectors.review_queue(request.user)
    periods = {r.period_id: r.period for r in waiting}
    regions = {r.project.region_id: r.project.region for r in waiting}
    period_id = _int(request.GET.get("period"))
    region_id = _int(request.GET.get("region"))
    shown = [
        r
        for r in waiting
        if (period_id is None or r.period_id == period_id)
        and (region_id is None or r.project.region_id == region_id)
    ]
    context: dict[str, Any] = {
        "reports": shown,
        "total": len(waiting),
        "periods": sorted(periods.values(), key=lambda p: (p.end, p.cycle), reverse=True),
        "regions": sorted(regions.values(), key=lambda r: r.path),
        "period_id": period_id,
        "region_id": region_id,
    }
    return render(request, "reporting/queue.html", context)


@login_required
@require_POST
def approve(request: SignedInRequest, pk: int) -> HttpResponse:
    report = selectors.report_for(request.user, pk)
    try:
        report = services.approve_report(actor=request.user, report=report)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, refusal(error))
        return redirect("reporting:report", pk=report.pk)
    messages.success(
        request,
        _("%(project)s, %(period)s: %(status)s.")
        % {
            "project": report.project.name,
            "period": report.period.label,
            "status": report.get_status_display(),
        },
    )
    return redirect("reporting:queue")


@login_required
@require_POST
def return_view(request: SignedInRequest, pk: int) -> HttpResponse:
    """Send the report back to its reporter with the reason (required)."""
    report = selectors.report_for(request.user, pk)
    form = ReturnForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        report = services.return_report(actor=request.user, report=report, reason=reason)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, refusal(error))
        return redirect("reporting:report", pk=report.pk)
    messages.success(
        request,
        _("%(project)s, %(period)s was returned to the reporter.")
        % {"project": report.project.name, "period": report.period.label},
    )
    return redirect("reporting:queue")


def _describe(report: Report) -> str:
    return f"{report.project.name}（{report.period.label}）"


@login_required
@require_POST
def bulk_approve(request: SignedInRequest) -> HttpResponse:
    """Approve the checked rows the actor may approve; say how many and which were skipped."""
    if not is_reviewer(request.user):
        raise Http404
    ids = {pk for value in request.POST.getlist("report") if (pk := _int(value)) is not None}
    if not ids:
        messages.warning(request, _("Check the reports to approve first."))
        return redirect("reporting:queue")
    chosen = list(selectors.reports_visible_to(request.user).filter(pk__in=ids))
    skipped = [r for r in chosen if services.review_action(request.user, r) is None]
    missing = len(ids) - len(chosen)
    done = services.bulk_approve(actor=request.user, reports=chosen)
    messages.success(
        request,
        _("%(count)d reports approved.") % {"count": done},
    )
    if skipped or missing:
        names = "；".join(_describe(r) for r in skipped)
        messages.warning(
            request,
            _("%(count)d skipped, not waiting for your approval: %(names)s")
            % {"count": len(skipped) + missing, "names": names or "—"},
        )
    return redirect(_queue_url(request))


def _queue_url(request: HttpRequest) -> str:
    """The queue with the filters the rows were checked under."""
    kept = {k: v for k in ("period", "region") if (v := str(_int(request.POST.get(k)) or ""))}
    return reverse("reporting:queue") + (f"?{urlencode(kept)}" if kept else "")
