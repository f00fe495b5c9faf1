"""Raising a problem: from the project page (`?project=`), from a progress report
(`?project=&report=`, the report's "new problems" as the first draft of the details), and
the owner unit's direct channel to the city (直通车), where the reporter chooses the project.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import idempotency
from tiaodu.core.bounds import id_or_none, query_id
from tiaodu.core.refusals import errors_onto
from tiaodu.problems import services
from tiaodu.problems.choices import ProblemSource
from tiaodu.problems.forms import RaiseForm
from tiaodu.problems.models import Problem
from tiaodu.problems.permissions import may_raise, opens_direct_channel, uses_direct_channel
from tiaodu.projects.models import Project
from tiaodu.projects.selectors import owned_projects, project_for
from tiaodu.reporting.models import Report
from tiaodu.reporting.selectors import report_for


def _create(
    request: SignedInRequest, form: RaiseForm, project: Project, source: str, report: Report | None
) -> Problem | None:
    """Raise through the service; a refusal goes onto the form and None comes back."""
    data = form.cleaned_data
    try:
        problem = services.raise_problem(
            actor=request.user,
            project=project,
            category=data["category"],
            title=data["title"],
            description=data.get("description", ""),
            source=source,
            report=report,
        )
    except ValidationError as error:
        errors_onto(form, error)
        return None
    except PermissionDenied as error:
        form.add_error(None, str(error))
        return None
    messages.success(
        request,
        _("The problem is on the ledger (%(level)s). The dispatcher will assign it.")
        % {"level": problem.get_level_display()},
    )
    return problem


def _create_once(
    request: SignedInRequest, form: RaiseForm, project: Project, source: str, report: Report | None
) -> str | None:
    """`_create` once per the form's key (`core.idempotency`): the problem's address, the
    first one's when the form is sent again, or None when refused."""

    def create() -> str | None:
        problem = _create(request, form, project, source, report)
        return None if problem is None else reverse("problems:detail", args=[problem.pk])

    return idempotency.form_once(request, "problems.raise", create)


@login_required
def raise_problem(request: SignedInRequest) -> HttpResponse:
    """提出问题 of a project the reader may raise problems of, optionally from a report."""
    project_id = id_or_none(request.GET.get("project"))
    if project_id is None:
        raise Http404
    project = project_for(request.user, project_id)
    if not may_raise(request.user, project):
        raise Http404
    report = None
    if request.GET.get("report"):
        report = report_for(request.user, query_id(request.GET.get("report")))
        if report.project_id != project.pk:
            raise Http404
    owner = report is None and uses_direct_channel(request.user, project)
    initial = {"description": report.new_problems} if report is not None else None
    form = RaiseForm(request.POST or None, owner=owner, initial=initial)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data.get("direct"):
            source = ProblemSource.DIRECT
        else:
            source = ProblemSource.REPORT if report is not None else ProblemSource.PROJECT_PAGE
        location = _create_once(request, form, project, source, report)
        if location is not None:
            return redirect(location)
    context = {"form": form, "project": project, "report": report, "direct": False}
    return render(request, "problems/raise.html", context)


@login_required
def direct_channel(request: SignedInRequest) -> HttpResponse:
    """直通车: the owner unit raises a problem of one of its projects at city level at once."""
    if not opens_direct_channel(request.user):
        raise Http404
    projects = owned_projects(request.user)
    chosen = request.GET.get("project")
    initial = {"project": chosen} if chosen and chosen.isdigit() else None
    form = RaiseForm(request.POST or None, projects=projects, initial=initial)
    if request.method == "POST" and form.is_valid():
        project = form.cleaned_data["project"]
        location = _create_once(request, form, project, ProblemSource.DIRECT, None)
        if location is not None:
            return redirect(location)
    context = {"form": form, "project": None, "report": None, "direct": True}
    return render(request, "problems/raise.html", context)
