"""The statistics page: the figure set of the user's scope, every count a link to its projects."""

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.analytics import dashboard, inclusion, workbook
from tiaodu.analytics.definitions import definitions
from tiaodu.analytics.figures import FigureSet, compute, default_as_of
from tiaodu.analytics.forms import FigureSetForm, scope_from_request
from tiaodu.campaigns.permissions import reads_batches
from tiaodu.campaigns.selectors import year_figures
from tiaodu.core import audit
from tiaodu.core.bounds import paged_table
from tiaodu.core.db_router import replica_reads
from tiaodu.core.downloads import XLSX, download
from tiaodu.core.models import AuditAction
from tiaodu.core.summaries import export_message, filter_summary
from tiaodu.projects import selectors
from tiaodu.projects.choices import ReserveStage
from tiaodu.projects.permissions import reads_business_data
from tiaodu.reporting.permissions import reads_board


@login_required
@replica_reads
def figures(request: SignedInRequest) -> HttpResponse:
    """Headline figures and the four breakdowns for the chosen year, date and scope; with
    `export=xlsx`, the same figure set as a workbook."""
    actor = request.user
    if not reads_business_data(actor):
        raise Http404
    scope, form = scope_from_request(request, actor)
    export = request.GET.get("export")
    export_error = _export_refusal(form, export)
    # The page may show the set from before a change while it is computed again; a
    # workbook is always of the current data.
    result = compute(actor=actor, scope=scope, stale_ok=export is None)
    # The year's groundbreaking batches of the user's regions, started as of the date.
    batches = year_figures(actor, year=scope.year, today=scope.as_of)
    if export is not None and export_error is None:
        return _workbook(request, result, batches)
    # The export link names the page's year and date, so that the file is of this scope
    # even when "today" has moved on by the time it is clicked.
    query = request.GET.copy()
    query.pop("export", None)
    query.setdefault("year", str(scope.year))
    query.setdefault("as_of", scope.as_of.isoformat())
    query["export"] = "xlsx"
    context = {
        "form": form,
        "figures": result.data,
        "params": result.params,
        "scope": scope,
        "scope_line": workbook.scope_line(scope),
        "breakdowns": workbook.breakdowns(result),
        "stages": list(ReserveStage),
        "reads_board": reads_board(actor),
        "ledger_query": urlencode(dashboard.ledger_params(actor, scope) or {}),
        # The same figures drawn: the dashboard's charts, above the tables (kept as the
        # dashboard keeps them: the investment trend is a scan of the year's reports).
        "board": dashboard.charts(actor, scope),
        "batches": batches,
        "opens_batches": reads_batches(actor),
        "export_query": query.urlencode(),
        "definitions": definitions(),
        "export_error": export_error,
    }
    status = 400 if export_error else 200
    return render(request, "analytics/figures.html", context, status=status)


def _export_refusal(form: FigureSetForm, export: str | None) -> str | None:
    """Why the workbook asked for cannot be written (None: it can, or none was asked for)."""
    if export is None:
        return None
    if export != "xlsx":
        return _("Unknown export format “%(format)s”; the statistics export as xlsx.") % {
            "format": export
        }
    if form.is_bound and form.errors:
        return _("No workbook was written: correct the fields marked below, then export again.")
    return None


def _workbook(
    request: SignedInRequest, result: FigureSet, batches: list[tuple[Any, Any]]
) -> HttpResponse:
    """The figure set as an xlsx download, written to the audit log."""
    scope = result.scope
    content = workbook.write_figures(result, batches=batches)
    audit.record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_label=f"{_('Statistics')} · {workbook.scope_line(scope)}"[:255],
    )
    values = {"year": scope.year, "date": scope.as_of.isoformat()}
    return download(
        content,
        content_type=XLSX,
        name=_("Statistics-%(year)s-as of %(date)s") % values + ".xlsx",
        fallback=f"statistics-{scope.year}-{scope.as_of.isoformat()}.xlsx",
    )


@login_required
@replica_reads
def not_in_statistics(request: SignedInRequest) -> HttpResponse:
    """The 入统 chase: started entries not yet in the statistics as of a date, with the
    months since their start; filtered by region and months, sorted, also as xlsx."""
    actor = request.user
    if not reads_business_data(actor):
        raise Http404
    form = inclusion.InclusionForm(request.GET or None, actor=actor)
    # A wrong field is said beside it and narrows nothing; the others still apply.
    chosen: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()
        chosen = {
            name: value for name, value in form.cleaned_data.items() if name not in form.errors
        }
    # Without a date: today, or the last day of the newest plan year when this year has none.
    as_of = chosen.get("as_of") or default_as_of(selectors.default_year(actor))
    plans = inclusion.chase(
        actor, as_of, region=chosen.get("region"), min_months=chosen.get("min_months")
    )
    table = inclusion.InclusionTable(plans, as_of=as_of)
    paged_table(request, table, sizes=(50,))
    if request.GET.get("export") == "xlsx":
        title = _("Started, not yet in the statistics, as of %(date)s") % {
            "date": as_of.isoformat()
        }
        content = inclusion.write_chase(table.data.data, as_of=as_of, title=title)
        audit.record(
            actor=actor,
            action=AuditAction.EXPORT,
            object_label=title,
            message=export_message(None, filter_summary(form)),
        )
        return download(
            content,
            content_type=XLSX,
            name=f"{title}.xlsx",
            fallback=f"not-in-statistics-{as_of.isoformat()}.xlsx",
        )
    if not form.is_bound:
        form = inclusion.InclusionForm(initial={"as_of": as_of}, actor=actor)
    query = request.GET.copy()
    query.pop("page", None)
    query["export"] = "xlsx"
    context = {
        "form": form,
        "table": table,
        "as_of": as_of,
        "export_query": query.urlencode(),
        "definitions": definitions(),
        "yellow": inclusion.YELLOW_MONTHS,
        "red": inclusion.RED_MONTHS,
    }
    return render(request, "analytics/inclusion.html", context)
