"""The smart-governance centre's reads: the cameras and the projects that have them, with
their figures, scoped like the projects."""

from typing import Any

from django.test import Client

from tiaodu.video.models import Camera


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_city_reads_every_camera_and_the_figures_beside_them(
    world: Any, cameras: dict[str, Camera], lagging: None
) -> None:
    alice = _client(world.alice)
    listed = alice.get("/api/v1/cameras/").json()
    assert listed["next_cursor"] is None
    assert [(c["project"], c["name"], c["kind"]) for c in listed["items"]] == [
        ("黄岛港区集装箱码头三期", "东大门", "hls"),
        ("崂山科创园一期", "塔吊 1 号", "link"),
    ]
    projects = alice.get("/api/v1/cameras/projects").json()
    assert len(projects["items"]) == 2 and projects["next_cursor"] is None
    p1 = projects["items"][0]
    assert {
        k: p1[k] for k in ("name", "annual_plan", "ytd_completed", "card", "open_problems")
    } == {
        "name": "黄岛港区集装箱码头三期",
        "annual_plan": "2000.00",
        "ytd_completed": "0.00",
        "card": "red",
        "open_problems": 0,
    }
    assert [c["name"] for c in p1["cameras"]] == ["东大门"]
    # p3's October card was revised from blue to yellow on appeal.
    assert projects["items"][1]["card"] == "yellow"


def test_a_reporter_reads_only_its_own_projects_cameras(
    world: Any, cameras: dict[str, Camera]
) -> None:
    bob = _client(world.bob)
    assert [c["name"] for c in bob.get("/api/v1/cameras/").json()["items"]] == ["塔吊 1 号"]
    assert bob.get(f"/api/v1/cameras/projects/{world.projects['p1'].pk}").status_code == 404
    assert bob.get(f"/api/v1/cameras/{cameras['gate'].pk}").status_code == 404
    assert _client(world.auditor).get("/api/v1/cameras/").json()["items"] == []
