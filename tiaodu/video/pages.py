"""What the video app adds to lower apps' pages (registered in `VideoConfig.ready`): the
现场视频 tab of the project page (its cameras, managed there by those who may edit the
project) and, on a meeting's page, the ways into its roll call and its video wall."""

from typing import Any

from django.utils.translation import gettext_lazy

from tiaodu.core.page_sections import PageSection, register_section
from tiaodu.core.scoping import Actor, Someone
from tiaodu.projects.detail_tabs import ProjectTab, register_tab
from tiaodu.projects.models import Project
from tiaodu.supervision.meetings.models import Meeting
from tiaodu.video import selectors
from tiaodu.video.forms import CameraForm
from tiaodu.video.permissions import manages_cameras, reads_wall

# The meeting page's name for the sections higher apps add (core.page_sections).
MEETING_PAGE = "supervision.meeting"


def cameras_context(actor: Actor, project: Project) -> dict[str, Any]:
    manages = manages_cameras(actor, project)
    return {
        "cameras": selectors.project_cameras(project),
        "manages_cameras": manages,
        "camera_form": CameraForm() if manages else None,
        "wall_open": reads_wall(actor),
    }


def meeting_context(actor: Someone, meeting: Meeting) -> dict[str, Any] | None:
    """The roll call and the wall, for the dispatchers and leaders who see the meeting."""
    if not reads_wall(actor):
        return None
    return {"meeting": meeting}


def register() -> None:
    register_tab(
        ProjectTab(
            key="cameras",
            label=gettext_lazy("Site video"),
            template="video/_project_cameras.html",
            context=cameras_context,
            order=150,
        )
    )
    register_section(
        PageSection(
            page=MEETING_PAGE,
            name="video",
            template="video/_meeting_video.html",
            context=meeting_context,
        )
    )
