"""The leader's dashboard page (领导驾驶舱, `/dashboard/`): the figure set of the reader's
scope as charts, each linking to what it counts (`dashboard.charts`)."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.analytics import dashboard
from tiaodu.analytics.forms import scope_from_request
from tiaodu.core.db_router import replica_reads
from tiaodu.projects.permissions import reads_business_data


@login_required
@replica_reads
def page(request: SignedInRequest) -> HttpResponse:
    actor = request.user
    if not reads_business_data(actor):
        raise Http404
    scope, form = scope_from_request(request, actor)
    # The statistics page of the same scope: the same figures as tables.
    query = {"year": scope.year, "as_of": scope.as_of.isoformat()}
    if scope.region is not None:
        query["region"] = scope.region.pk
    context = {
        "form": form,
        "scope": scope,
        "board": dashboard.charts(actor, scope),
        "tables_url": f"{reverse('analytics:figures')}?{urlencode(query)}",
    }
    return render(request, "analytics/dashboard.html", context)
