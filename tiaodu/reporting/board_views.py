"""The completeness board and its drill-down to the projects that have not reported."""

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from tiaodu.accounts.models import OrgUnit
from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import clock
from tiaodu.projects.filters import scope_region
from tiaodu.projects.selectors import plans_visible_to
from tiaodu.reporting import board as completeness
from tiaodu.reporting.choices import Cycle
from tiaodu.reporting.models import Period
from tiaodu.reporting.permissions import reads_board

SORTS = {
    "missing": lambda row: (-row.counts.missing, row.label),
    "-missing": lambda row: (row.counts.missing, row.label),
    "name": lambda row: (row.label,),
}


def _periods(cycle: str, today: dt.date) -> list[Period]:
    return list(Period.objects.filter(cycle=cycle, start__lte=today).order_by("-end")[:36])


@login_required
def board(request: SignedInRequest) -> HttpResponse:
    """Per region and per owner unit: expected, submitted, on time, late, missing, rates."""
    actor = request.user
    if not reads_board(actor):
        raise Http404
    today = clock.today()
    cycle, period = completeness.chosen_period(request.GET, today)
    sort = request.GET.get("sort", "missing")
    context: dict[str, Any] = {
        "cycles": list(Cycle),
        "cycle": cycle,
        "period": period,
        "periods": _periods(cycle, today),
        "sort": sort if sort in SORTS else "missing",
    }
    if period is not None:
        plans = plans_visible_to(actor).select_related(None).order_by()
        result = completeness.board(period, plans, scope_region(actor))
        result.by_unit.sort(key=SORTS[context["sort"]])
        context["board"] = result
    return render(request, "reporting/board.html", context)


@login_required
def missing(request: HttpRequest, period_id: int) -> HttpResponse:
    """The expected projects of a period with nothing handed in, in the reader's scope,
    narrowed to a region subtree or an owner unit."""
    actor = request.user
    if not reads_board(actor):
        raise Http404
    period = Period.objects.filter(pk=period_id).first()
    if period is None:
        raise Http404
    plans = plans_visible_to(actor).select_related(None).order_by()
    narrowed_to = None
    region_id, unit_id = request.GET.get("region", ""), request.GET.get("unit", "")
    if region_id.isdigit():
        narrowed_to = OrgUnit.objects.filter(pk=int(region_id)).first()
        if narrowed_to is None:
            raise Http404
        itself = request.GET.get("itself") == "1"
        plans = (
            plans.filter(project__region=narrowed_to)
            if itself
            else plans.filter(project__region__path__startswith=narrowed_to.path)
        )
    elif unit_id == "none":
        plans = plans.filter(project__owner_unit__isnull=True)
    elif unit_id.isdigit():
        narrowed_to = OrgUnit.objects.filter(pk=int(unit_id)).first()
        plans = plans.filter(project__owner_unit_id=int(unit_id))
    rows = (
        completeness.missing_plans(period, plans)
        .select_related("project", "project__region", "project__owner_unit")
        .order_by("project__region__path", "project__owner_unit__name", "project__name")
    )
    context = {"period": period, "rows": list(rows), "narrowed_to": narrowed_to}
    return render(request, "reporting/missing.html", context)
