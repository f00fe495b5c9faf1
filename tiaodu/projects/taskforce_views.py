"""The task-force pages (专班): the list, one task force, and the dispatcher's form."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import idempotency
from tiaodu.core.bounds import query_id
from tiaodu.core.listing import page_context
from tiaodu.core.refusals import errors_onto
from tiaodu.projects import listings, selectors, services
from tiaodu.projects.forms import TaskForceForm
from tiaodu.projects.models import TaskForce
from tiaodu.projects.permissions import can_create_project, can_edit_task_force


@login_required
def taskforce_list(request: SignedInRequest) -> HttpResponse:
    """The task forces serving the projects the user sees."""
    found = listings.task_forces_source(request)
    context = {
        **page_context(request, listings.TASK_FORCES, found),
        "task_forces": found.rows,
        "shown_rows": listings.TASK_FORCES.table().present(found.rows),
        "can_create": can_create_project(request.user),
    }
    return render(request, "projects/taskforce_list.html", context)


@login_required
def taskforce_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """One task force: its people, duties and the projects it serves that the user sees."""
    task_force = selectors.task_force_for(request.user, pk)
    visible = selectors.projects_visible_to(request.user).values("pk")
    projects = task_force.projects.filter(pk__in=visible).select_related("region")
    return render(
        request,
        "projects/taskforce_detail.html",
        {
            "task_force": task_force,
            "projects": projects,
            "can_edit": can_edit_task_force(request.user, task_force),
        },
    )


def _save(request: SignedInRequest, task_force: TaskForce | None) -> HttpResponse:
    initial: dict[str, Any] = {}
    if task_force is not None:
        initial = {
            "name": task_force.name,
            "head": task_force.head,
            "responsible_person": task_force.responsible_person,
            "members": list(task_force.members.all()),
            "projects": list(task_force.projects.all()),
            "duties": task_force.duties,
        }
    elif request.GET.get("project"):
        project = selectors.project_for(request.user, query_id(request.GET["project"]))
        initial = {
            "projects": [project],
            "name": _("%(project)s task force") % {"project": project.name},
        }
    form = TaskForceForm(request.POST or None, initial=initial, actor=request.user)
    if request.method == "POST":

        def save() -> str | None:
            if not form.is_valid():
                return None
            data = form.cleaned_data
            try:
                saved = services.save_task_force(
                    actor=request.user,
                    task_force=task_force,
                    name=data["name"],
                    head=data["head"],
                    responsible_person=data["responsible_person"],
                    members=list(data["members"]),
                    projects=list(data["projects"]),
                    duties=data["duties"],
                )
            except ValidationError as error:
                errors_onto(form, error)
                return None
            except PermissionDenied as error:
                raise Http404 from error
            messages.success(request, _("The task force was saved."))
            return saved.get_absolute_url()

        # A new task force is set up once per the form's key; a change is simply saved.
        location = (
            save() if task_force else idempotency.form_once(request, "projects.taskforce", save)
        )
        if location is not None:
            return redirect(location)
    return render(
        request,
        "projects/taskforce_form.html",
        {"form": form, "task_force": task_force, "wide": TaskForceForm.WIDE},
    )


@login_required
def taskforce_create(request: SignedInRequest) -> HttpResponse:
    if not can_create_project(request.user):
        raise Http404
    return _save(request, None)


@login_required
def taskforce_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    task_force = selectors.task_force_for(request.user, pk)
    if not can_edit_task_force(request.user, task_force):
        raise Http404
    return _save(request, task_force)
