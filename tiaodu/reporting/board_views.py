"""The completeness board, its drill-down to the projects that have not reported, and 催报
(urge the reporters now) from that list."""

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaodu.accounts.models import OrgUnit
from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import clock
from tiaodu.core.refusals import refusal
from tiaodu.projects.filters import scope_region
from tiaodu.projects.models import AnnualPlan
from tiaodu.projects.selectors import plans_visible_to
from tiaodu.reporting import board as completeness
from tiaodu.reporting import urging
from tiaodu.reporting.choices import Cycle
from tiaodu.reporting.models import Period, ReportUrge
from tiaodu.reporting.permissions import may_urge, reads_board

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
        context["urges"] = urging.last_urges(period)
    return render(request, "reporting/board.html", context)


def _narrowed(params: Any, plans: QuerySet[AnnualPlan]) -> tuple[QuerySet, OrgUnit | None]:
    """The entries narrowed as the missing list's filters say: a region subtree (`region`,
    with `itself=1` its own projects only) or an owner unit (`unit`, `none` for none)."""
    narrowed_to = None
    region_id, unit_id = str(params.get("region", "")), str(params.get("unit", ""))
    if region_id.isdigit():
        narrowed_to = OrgUnit.objects.filter(pk=int(region_id)).first()
        if narrowed_to is None:
            raise Http404
        itself = params.get("itself") == "1"
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
    return plans, narrowed_to


def _filters(params: Any) -> dict[str, str]:
    """The missing list's filters, to carry from the page to its buttons and back."""
    return {name: str(params[name]) for name in ("region", "itself", "unit") if params.get(name)}


@login_required
def missing(request: SignedInRequest, period_id: int) -> HttpResponse:
    """The expected projects of a period with nothing handed in, in the reader's scope,
    narrowed to a region subtree or an owner unit; per owner unit, its last 催报 and (for a
    dispatcher) the button that urges its reporters now."""
    actor = request.user
    if not reads_board(actor):
        raise Http404
    period = get_object_or_404(Period, pk=period_id)
    plans = plans_visible_to(actor).select_related(None).order_by()
    plans, narrowed_to = _narrowed(request.GET, plans)
    rows = list(
        completeness.missing_plans(period, plans)
        .select_related("project", "project__region", "project__owner_unit")
        .order_by("project__region__path", "project__owner_unit__name", "project__name")
    )
    units: dict[int, UnitLine] = {}
    for plan in rows:
        unit = plan.project.owner_unit
        if unit is not None:
            units.setdefault(unit.pk, UnitLine(unit)).missing += 1
    latest = urging.last_urges(period, list(units))
    today = clock.today()
    for line in units.values():
        line.last = latest.get(line.unit.pk)
        line.today = line.last is not None and line.last.day == today
    filters = _filters(request.GET)
    context = {
        "period": period,
        "rows": rows,
        "narrowed_to": narrowed_to,
        "units": sorted(units.values(), key=lambda line: (-line.missing, line.unit.name)),
        "may_urge": may_urge(actor),
        "all_urged_today": all(line.today for line in units.values()),
        "filters": filters,
        "query": urlencode(filters),
    }
    return render(request, "reporting/missing.html", context)


@dataclass
class UnitLine:
    """An owner unit of the missing list: how many missing, its last 催报 (today's?)."""

    unit: OrgUnit
    missing: int = 0
    last: ReportUrge | None = None
    today: bool = False


@login_required
@require_POST
def urge(request: SignedInRequest, period_id: int) -> HttpResponse:
    """催报: urge the reporters of one owner unit (`owner_unit`) or of every unit the
    missing list shows under its filters; back to the list with what was done."""
    actor = request.user
    if not reads_board(actor):
        raise Http404
    period = get_object_or_404(Period, pk=period_id)
    plans, _narrowed_to = _narrowed(request.POST, plans_visible_to(actor).order_by())
    one = str(request.POST.get("owner_unit", ""))
    if one.isdigit():
        plans = plans.filter(project__owner_unit_id=int(one))
    back = reverse("reporting:missing", args=[period.pk])
    query = urlencode(_filters(request.POST))
    back = f"{back}?{query}" if query else back
    try:
        outcome = urging.urge_reporters(actor=actor, period=period, plans=plans)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, refusal(error))
        return redirect(back)
    messages.success(
        request,
        _("Urged %(units)s: %(count)d reporter(s) notified.")
        % {
            "units": "、".join(u.owner_unit.name for u in outcome.urged),
            "count": len({user.pk for u in outcome.urged for user in u.reporters.all()}),
        },
    )
    skipped = [
        _("%(unit)s (urged today at %(time)s)")
        % {"unit": u.owner_unit.name, "time": urging.clock_time(u)}
        for u in outcome.already
    ] + [_("%(unit)s (no active reporter)") % {"unit": unit.name} for unit in outcome.unreached]
    if skipped:
        messages.warning(request, _("Not urged: %(units)s") % {"units": "、".join(skipped)})
    return redirect(back)
