"""The area's front door and the role–page matrix (derived: `accounts.capabilities`)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tiaodu.accounts.area_nav import AREA_PAGES, area_context, pages_for, require
from tiaodu.accounts.capabilities import REACH_LABELS, build_matrix


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The first page of the area this administrator may open; a 404 for everyone else."""
    pages = pages_for(request.user)
    if not pages:
        raise Http404
    return redirect(pages[0].url)


@login_required
def role_matrix(request: HttpRequest) -> HttpResponse:
    require(request, "roles")
    matrix = build_matrix([(page.label, page.visible) for page in AREA_PAGES])
    context = {
        **area_context(request, "roles"),
        "matrix": matrix,
        "labels": {reach.value: label for reach, label in REACH_LABELS.items()},
    }
    return render(request, "accounts/area/roles.html", context)
