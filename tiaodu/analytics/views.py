"""The statistics page: the figure set of the user's scope, every count a link to its projects."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.analytics.figures import compute, default_as_of, resolve_scope
from tiaodu.analytics.forms import FigureSetForm
from tiaodu.campaigns.permissions import reads_batches
from tiaodu.campaigns.selectors import year_figures
from tiaodu.problems.permissions import reads_ledger
from tiaodu.projects import selectors
from tiaodu.projects.choices import ReserveStage
from tiaodu.projects.permissions import reads_business_data
from tiaodu.reporting.permissions import reads_board


def _year(value: str | None, years: list[int], default: int) -> int:
    try:
        year = int(value or default)
    except ValueError:
        return default
    return year if year in years else default


@login_required
def figures(request: SignedInRequest) -> HttpResponse:
    """Headline figures and the four breakdowns for the chosen year, date and scope."""
    actor = request.user
    if not reads_business_data(actor):
        raise Http404
    default_year = selectors.default_year(actor)
    years = selectors.plan_years(actor) or [default_year]
    year = _year(request.GET.get("year"), years, default_year)
    form = FigureSetForm(request.GET or None, actor=actor, years=years, year=year)
    chosen: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    as_of = chosen.get("as_of") or default_as_of(year)
    scope = resolve_scope(
        actor=actor,
        year=year,
        as_of=as_of,
        region=chosen.get("region"),
        level=chosen.get("level") or None,
        key_list=chosen.get("key_list"),
    )
    if not form.is_bound:
        form = FigureSetForm(
            initial={"year": year, "as_of": as_of}, actor=actor, years=years, year=year
        )
    result = compute(actor=actor, scope=scope)
    breakdowns = [
        (_("By level"), _("Level"), result.rows["by_level"]),
        (_("By region"), _("Region"), result.rows["by_region"]),
        (_("By category"), _("Category"), result.rows["by_category"]),
        (_("By key-project list"), _("Key-project list"), result.rows["by_list"]),
    ]
    context = {
        "form": form,
        "figures": result.data,
        "params": result.params,
        "scope": scope,
        "breakdowns": breakdowns,
        "stages": list(ReserveStage),
        "reads_board": reads_board(actor),
        "reads_ledger": reads_ledger(actor),
        # The year's groundbreaking batches of the user's regions, started as of the date.
        "batches": year_figures(actor, year=year, today=as_of),
        "opens_batches": reads_batches(actor),
    }
    return render(request, "analytics/figures.html", context)
