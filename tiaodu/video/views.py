"""The site cameras' forms, the video wall and a meeting's roll call (docs/video.md). Thin:
scoped reads (404 outside scope), writes through the services, refusals on the form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import clock, idempotency
from tiaodu.core.bounds import query_id
from tiaodu.core.refusals import errors_onto, refusal
from tiaodu.projects.selectors import key_project_lists, project_for
from tiaodu.supervision.meetings import services as meeting_services
from tiaodu.supervision.meetings.permissions import is_convener
from tiaodu.supervision.meetings.selectors import meeting_for, meetings_visible_to
from tiaodu.video import selectors, services
from tiaodu.video import wall as walls
from tiaodu.video.forms import CameraForm, RollCallForm
from tiaodu.video.permissions import manages_cameras, reads_wall

MEETINGS_OFFERED = 20


def _cameras_tab(project_url: str) -> str:
    return f"{project_url}?tab=cameras"


@login_required
@require_POST
def camera_add(request: SignedInRequest, project_id: int) -> HttpResponse:
    """Add a camera from the project page's 现场视频 tab."""
    project = project_for(request.user, project_id)
    if not manages_cameras(request.user, project):
        raise Http404
    form = CameraForm(request.POST)
    if form.is_valid():

        def record() -> str | None:
            try:
                services.add_camera(actor=request.user, project=project, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                errors_onto(form, error)
                return None
            messages.success(request, _("The camera was added."))
            return _cameras_tab(project.get_absolute_url())

        location = idempotency.form_once(request, "video.camera", record)
        if location is not None:
            return redirect(location)
    return render(
        request, "video/camera_form.html", {"form": form, "project": project, "camera": None}
    )


@login_required
def camera_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    """Change a camera's name, address or description."""
    camera = selectors.camera_for(request.user, pk)
    if not manages_cameras(request.user, camera.project):
        raise Http404
    form = CameraForm.for_camera(camera, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_camera(actor=request.user, camera=camera, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(_cameras_tab(camera.project.get_absolute_url()))
    return render(
        request,
        "video/camera_form.html",
        {"form": form, "project": camera.project, "camera": camera},
    )


@login_required
@require_POST
def camera_remove(request: SignedInRequest, pk: int) -> HttpResponse:
    camera = selectors.camera_for(request.user, pk)
    if not manages_cameras(request.user, camera.project):
        raise Http404
    project_url = camera.project.get_absolute_url()
    services.remove_camera(actor=request.user, camera=camera)
    messages.success(request, _("The camera was removed."))
    return redirect(_cameras_tab(project_url))


@login_required
@require_GET
def wall(request: SignedInRequest) -> HttpResponse:
    """视频墙: the chosen projects' streams in a grid, each with its figures."""
    actor = request.user
    if not reads_wall(actor):
        raise Http404
    as_of = clock.today()
    selection = walls.choose(request, actor, as_of)
    shown = selection.projects[: selectors.WALL_SIZE]
    return render(
        request,
        "video/wall.html",
        {
            "selection": selection,
            "tiles": walls.tiles(actor, shown, as_of),
            "more": len(selection.projects) - len(shown),
            "as_of": as_of,
            "meetings": meetings_visible_to(actor)[:MEETINGS_OFFERED],
            "key_lists": key_project_lists(as_of.year),
            "with_cameras": selectors.projects_with_cameras(actor),
        },
    )


@login_required
def roll_call(request: SignedInRequest, pk: int) -> HttpResponse:
    """点名调度: the meeting's lagging and red projects one at a time; the convener writes
    what was decided on each into the minutes, and the next one comes up."""
    actor = request.user
    meeting = meeting_for(actor, pk)
    if not reads_wall(actor):
        raise Http404
    as_of = clock.today()
    projects = selectors.roll_call_projects(actor, meeting, as_of)
    at = min(max(query_id(request.GET.get("at", 1)), 1), max(len(projects), 1))
    here = reverse("video:roll_call", args=[meeting.pk])
    convener = is_convener(actor, meeting)
    decisions = meeting_services.roll_call_decisions(meeting)
    form = None
    if request.method == "POST":
        if not convener:
            raise Http404
        project = project_for(actor, query_id(request.POST.get("project")))
        form = RollCallForm(request.POST)
        if form.is_valid():
            try:
                meeting_services.record_roll_call(
                    actor=actor, meeting=meeting, project=project, text=form.cleaned_data["text"]
                )
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, refusal(error))
            else:
                messages.success(request, _("The decision is in the minutes."))
                following = at + 1 if at < len(projects) else at
                return redirect(f"{here}?at={following}")
    context = {
        "meeting": meeting,
        "projects": projects,
        "at": at,
        "here": here,
        "is_convener": convener,
        "as_of": as_of,
        "called": [
            {
                "project": project,
                "decision": decisions.get(meeting_services.roll_call_heading(project)),
            }
            for project in projects
        ],
    }
    if projects:
        project = projects[at - 1]
        decision = decisions.get(meeting_services.roll_call_heading(project))
        tile = walls.tiles(actor, [project], as_of)[0]
        if convener and decision is None and form is None:
            form = RollCallForm()
        context.update(
            {
                "tile": tile,
                "decision": decision,
                "form": form if decision is None else None,
                "problems": walls.open_problems(actor, project),
                "photos": walls.latest_photos(actor, project),
                "previous": at - 1 if at > 1 else None,
                "next": at + 1 if at < len(projects) else None,
            }
        )
    return render(request, "video/roll_call.html", context)
