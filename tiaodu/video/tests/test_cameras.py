"""A project's cameras: managed by whoever may edit the project, seen by whoever sees it,
and 404 to everyone else; a bad address is refused and nothing is written."""

from typing import Any

from django.test import Client
from django.urls import reverse

from tiaodu.core.models import AuditEvent
from tiaodu.testing import assert_nothing_written
from tiaodu.video.models import Camera


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_region_s_dispatcher_adds_a_camera_on_the_project_page(world: Any) -> None:
    project = world.projects["p1"]
    dora = _client(world.dora)
    response = dora.post(
        reverse("video:camera_add", args=[project.pk]),
        {"name": "东大门", "stream_url": "/live/p1/gate.m3u8", "description": "大门东侧立杆"},
    )
    assert response.status_code == 302
    camera = Camera.objects.get(project=project)
    assert (camera.name, camera.is_hls) == ("东大门", True)
    event = AuditEvent.objects.get(object_type="video.camera", object_id=str(camera.pk))
    assert event.actor_id == world.dora.pk
    page = dora.get(project.get_absolute_url() + "?tab=cameras").content.decode()
    assert "东大门" in page and "大门东侧立杆" in page


def test_a_bad_address_is_refused_and_nothing_is_written(world: Any) -> None:
    project = world.projects["p1"]
    with assert_nothing_written(Camera, AuditEvent):
        response = _client(world.dora).post(
            reverse("video:camera_add", args=[project.pk]),
            {"name": "东大门", "stream_url": "https://video.other.example/live/gate.m3u8"},
        )
    assert response.status_code == 200
    assert "TIAODU_VIDEO_ORIGINS" in response.content.decode()


def test_outside_the_scope_a_camera_is_not_found(world: Any, cameras: dict[str, Camera]) -> None:
    gate = cameras["gate"]
    # bob reports for unit B (p3): p1's camera does not exist for him.
    bob = _client(world.bob)
    with assert_nothing_written(Camera, AuditEvent):
        assert bob.get(reverse("video:camera_edit", args=[gate.pk])).status_code == 404
        assert bob.post(reverse("video:camera_remove", args=[gate.pk])).status_code == 404
        assert bob.get(f"/api/v1/cameras/{gate.pk}").status_code == 404
        # rita sees p1 but does not edit it: no form, no change.
        rita = _client(world.rita)
        assert rita.post(reverse("video:camera_remove", args=[gate.pk])).status_code == 404
        assert (
            rita.post(
                reverse("video:camera_add", args=[world.projects["p1"].pk]),
                {"name": "西门", "stream_url": "/live/p1/west.m3u8"},
            ).status_code
            == 404
        )
    tab = rita.get(world.projects["p1"].get_absolute_url() + "?tab=cameras").content.decode()
    assert "东大门" in tab and 'data-testid="camera-form"' not in tab
