"""The completeness board, its drill-down to the projects that have not reported, and 催报
(urge the reporters now) from that list."""

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import clock
from tiaodu.core.listing import page_context
from tiaodu.core.refusals import refusal
from tiaodu.projects.selectors import plans_visible_to
from tiaodu.reporting import listings, urging
from tiaodu.reporting.choices import Cycle
from tiaodu.reporting.models import Period
from tiaodu.reporting.permissions import may_urge, reads_board


def _periods(cycle: str, today: dt.date) -> list[Period]:
    return list(Period.objects.filter(cycle=cycle, start__lte=today).order_by("-end")[:36])


@login_required
def board(request: SignedInRequest) -> HttpResponse:
    """Per region and per owner unit: expected, submitted, on time, late, missing, rates."""
    found = listings.board_source(request)
    data = found.data
    context: dict[str, Any] = {
        "cycles": list(Cycle),
        "cycle": data["cycle"],
        "period": data["period"],
        "periods": _periods(data["cycle"], clock.today()),
        "sort": data["sort"],
    }
    if data["period"] is not None:
        listing = listings.BOARD
        context |= page_context(request, listing, found)
        context["board"] = data["board"]
        context["region_rows"] = listing.table("regions").present(found.rows)
        context["unit_rows"] = listing.table("units").present(data["by_unit"])
        context["region_table"] = listing.table("regions")
        context["unit_table"] = listing.table("units")
    return render(request, "reporting/board.html", context)


def _filters(params: Any) -> dict[str, str]:
    """The missing list's filters, to carry from the page to its buttons and back."""
    return {name: str(params[name]) for name in ("region", "itself", "unit") if params.get(name)}


@login_required
def missing(request: SignedInRequest, period_id: int) -> HttpResponse:
    """The expected projects of a period with nothing handed in, in the reader's scope,
    narrowed to a region subtree or an owner unit; per owner unit, its last 催报 and (for a
    dispatcher) the button that urges its reporters now."""
    found = listings.missing_source(request, period_id)
    listing = listings.MISSING
    filters = _filters(request.GET)
    units = found.data["units"]
    context = {
        **page_context(request, listing, found, period_id=period_id),
        "period": found.data["period"],
        "rows": found.rows,
        "shown_rows": listing.table("projects").present(found.rows),
        "table": listing.table("projects"),
        "unit_table": listing.table("units"),
        "narrowed_to": found.data["narrowed_to"],
        "units": units,
        "shown_units": listing.table("units").present(units),
        "may_urge": may_urge(request.user),
        "all_urged_today": all(line.today for line in units),
        "filters": filters,
        "query": urlencode(filters),
    }
    return render(request, "reporting/missing.html", context)


@login_required
@require_POST
def urge(request: SignedInRequest, period_id: int) -> HttpResponse:
    """催报: urge the reporters of one owner unit (`owner_unit`) or of every unit the
    missing list shows under its filters; back to the list with what was done."""
    actor = request.user
    if not reads_board(actor):
        raise Http404
    period = get_object_or_404(Period, pk=period_id)
    plans, _narrowed_to = listings.narrowed(request.POST, plans_visible_to(actor).order_by())
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
