"""The demo's site cameras: written through the video services on the four largest projects,
two streams (on the site's /live/ path, which the demo does not serve: 无信号) and a link to
the vendor's platform each."""

from types import SimpleNamespace
from typing import Any

import pytest

from tiaodu.core.models import AuditEvent
from tiaodu.demo import cameras
from tiaodu.video.models import Camera


@pytest.mark.django_db
def test_the_demo_puts_cameras_on_its_largest_projects(world: Any) -> None:
    loaded = SimpleNamespace(root=world.city, users={"dispatcher": world.alice})
    assert cameras.load(None, loaded) == ["工地摄像头：投资最大的项目上共 12 个。"]  # type: ignore[arg-type]
    by_project: dict[str, list[tuple[str, bool]]] = {}
    for camera in Camera.objects.order_by("project_id", "name"):
        by_project.setdefault(camera.project.name, []).append((camera.name, camera.is_hls))
    assert set(by_project) == {world.projects[key].name for key in ("p3", "p4", "p5", "p6")}
    assert by_project[world.projects["p6"].name] == [
        ("东大门", True),
        ("塔吊 1 号", True),
        ("视频平台", False),
    ]
    assert AuditEvent.objects.filter(object_type="video.camera").count() == 12
