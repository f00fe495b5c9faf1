"""The demo's site cameras (docs/video.md), added through `video.services` by the city's
dispatcher to the four largest projects. Their streams cannot be live: the HLS addresses
are paths under /live/ that a site's proxy would serve from its video platform, so the demo's
video wall shows each tile's 无信号 state; one camera per project links to its page on a
vendor's platform instead."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from tiaodu.demo.library.spec import DemoSpec
from tiaodu.demo.parts import DemoPart
from tiaodu.projects.models import Project
from tiaodu.video import services

if TYPE_CHECKING:
    from tiaodu.demo.library.builder import Loaded

NAME = "cameras"
PROJECTS = 4
CAMERAS = (
    ("东大门", "gate.m3u8", "大门东侧立杆，朝向施工主入口"),
    ("塔吊 1 号", "crane-1.m3u8", "1 号塔吊吊臂，俯瞰主体结构"),
)


def load(spec: DemoSpec, loaded: "Loaded") -> list[str]:
    dispatcher = loaded.users["dispatcher"]
    projects = Project.objects.filter(region__path__startswith=loaded.root.path).order_by(
        "-total_investment", "pk"
    )[:PROJECTS]
    added = 0
    for project in projects:
        folder = project.code or f"project-{project.pk}"
        for name, file_name, description in CAMERAS:
            services.add_camera(
                actor=dispatcher,
                project=project,
                name=name,
                stream_url=f"/live/{folder}/{file_name}",
                description=description,
            )
            added += 1
        services.add_camera(
            actor=dispatcher,
            project=project,
            name="视频平台",
            stream_url=f"https://video-platform.example.gov.cn/devices/{folder}",
            description="厂商视频平台上的全部机位",
        )
        added += 1
    return [_("Site cameras: %(count)d on the largest projects.") % {"count": added}]


PART = DemoPart(NAME, load)
