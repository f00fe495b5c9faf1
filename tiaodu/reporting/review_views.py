"""The reviewer's pages: the review queue (`reporting.queue`), approve (and go on to the
next report of the same queue), return, and bulk approve. The report page itself
(`views.report_page`) shows the review buttons and the context panel."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core.bounds import PAGE_SIZES
from tiaodu.core.listing import page_context
from tiaodu.core.refusals import refusal
from tiaodu.reporting import listings, selectors, services
from tiaodu.reporting import queue as review_queue
from tiaodu.reporting.forms import ReturnForm
from tiaodu.reporting.models import Report
from tiaodu.reporting.permissions import is_reviewer
from tiaodu.reporting.validation import RULES


@login_required
def queue(request: SignedInRequest) -> HttpResponse:
    """The review queue: the reports of the actor's scope in one status tab (by default what
    waits for the actor), narrowed by region, period and check, one page at a time."""
    actor = request.user
    found = listings.queue_source(request)
    filters, counts = found.data["filters"], found.data["counts"]
    ids = found.rows.values_list("pk", flat=True)
    page = Paginator(ids, filters.per_page).get_page(request.GET.get("page"))
    table = listings.QUEUE.table()
    reports = review_queue.page_rows(actor, page.object_list)
    rows = [
        {
            "report": report,
            "reviewable": review_queue.approving_action(actor, report) is not None,
            "rules": sorted({int(w["rule"]) for w in report.warnings if "rule" in w}),
            "shown": shown,
        }
        for report, shown in zip(reports, table.present(reports), strict=True)
    ]
    tabs = [
        {
            "status": status,
            "label": review_queue.TAB_LABELS[status],
            "count": counts[status],
            "query": filters.query(status=status),
        }
        for status in (*review_queue.QUEUE_STATUSES, review_queue.ALL)
    ]
    context: dict[str, Any] = {
        **page_context(request, listings.QUEUE, found),
        "table": table,
        "rows": rows,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1),
        "filters": filters,
        "query": filters.query(),
        "tabs": tabs,
        "periods": review_queue.periods_for(actor, filters),
        "regions": review_queue.regions_for(actor),
        "rules": sorted(RULES.items()),
        "page_sizes": PAGE_SIZES,
        "any_reviewable": any(row["reviewable"] and not row["rules"] for row in rows),
    }
    return render(request, "reporting/queue.html", context)


def _queue_url(filters: review_queue.QueueFilters) -> str:
    return reverse("reporting:queue") + "?" + filters.query()


@login_required
@require_POST
def approve(request: SignedInRequest, pk: int) -> HttpResponse:
    """Approve at the actor's level; with `then=next`, go on to the next report of the same
    queue (the filters come in the address) that the actor may approve, or back to the
    queue with a message when there is none."""
    actor = request.user
    report = selectors.report_for(actor, pk)
    filters = review_queue.parse(actor, request.GET)
    going_on = request.POST.get("then") == "next"
    # The order is read before approving: the report then leaves its status tab.
    order = review_queue.waiting_order(actor, filters) if going_on else []
    try:
        report = services.approve_report(actor=actor, report=report)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, refusal(error))
        return redirect(reverse("reporting:report", args=[report.pk]) + "?" + filters.query())
    messages.success(
        request,
        _("%(project)s, %(period)s: %(status)s.")
        % {
            "project": report.project.name,
            "period": report.period.label,
            "status": report.get_status_display(),
        },
    )
    if going_on:
        following = review_queue.next_to_review(actor, review_queue.following(order, report.pk))
        if following is not None:
            return redirect(
                reverse("reporting:report", args=[following.pk]) + "?" + filters.query()
            )
        messages.info(request, _("That was the last report of this queue waiting for you."))
    return redirect(_queue_url(filters))


@login_required
@require_POST
def return_view(request: SignedInRequest, pk: int) -> HttpResponse:
    """Send the report back to its reporter with the reason (required)."""
    report = selectors.report_for(request.user, pk)
    filters = review_queue.parse(request.user, request.GET)
    form = ReturnForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        report = services.return_report(actor=request.user, report=report, reason=reason)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, refusal(error))
        return redirect(reverse("reporting:report", args=[report.pk]) + "?" + filters.query())
    messages.success(
        request,
        _("%(project)s, %(period)s was returned to the reporter.")
        % {"project": report.project.name, "period": report.period.label},
    )
    return redirect(_queue_url(filters))


def _describe(reports: list[Report]) -> str:
    return "；".join(f"{report.project.name}（{report.period.label}）" for report in reports)


def _int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


@login_required
@require_POST
def bulk_approve(request: SignedInRequest) -> HttpResponse:
    """Approve the checked reports that wait for the actor and carry no check's flag; the
    flagged ones are refused by name (each is reviewed on its own page)."""
    actor = request.user
    if not is_reviewer(actor):
        raise Http404
    filters = review_queue.parse(actor, request.GET)
    ids = {pk for value in request.POST.getlist("report") if (pk := _int(value)) is not None}
    if not ids:
        messages.warning(request, _("Check the reports to approve first."))
        return redirect(_queue_url(filters))
    chosen = list(
        selectors.reports_visible_to(actor)
        .select_related("project__service_officer")
        .filter(pk__in=ids)
        .order_by("submitted_at", "pk")
    )
    outcome = services.bulk_approve(actor=actor, reports=chosen)
    if outcome.approved:
        messages.success(
            request, _("%(count)d reports approved.") % {"count": len(outcome.approved)}
        )
    if outcome.flagged:
        messages.error(
            request,
            _(
                "%(count)d not approved: their checks at submit flagged something, so each "
                "must be reviewed on its own page: %(names)s"
            )
            % {"count": len(outcome.flagged), "names": _describe(outcome.flagged)},
        )
    skipped = len(outcome.not_waiting) + len(ids) - len(chosen)
    if skipped:
        messages.warning(
            request,
            _("%(count)d skipped, not waiting for your approval: %(names)s")
            % {"count": skipped, "names": _describe(outcome.not_waiting) or "—"},
        )
    return redirect(_queue_url(filters))
