"""Field rounds and visits over the API (`/api/v1/rounds`, `/api/v1/visits`), in the
rounds' world (conftest): alice plans a round of 黄岛区 and forms a group led by dora (a
plan sent twice with one key: one round); hank, leading group one of her tour, records the
visit of p1 with its score, a finding and a photo; dora (黄岛区 dispatcher) sees the photo
and puts the finding on the problem ledger; bob (unit B) gets 404; refusals are in
Chinese and change nothing."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tiaodu.core.models import AuditEvent
from tiaodu.core.tests.media_files import encode, scene
from tiaodu.problems.models import Problem
from tiaodu.supervision.rounds.models import FieldRound, Finding, RoundAssignment, SiteVisit
from tiaodu.supervision.rounds.tests.conftest import ROUND_TABLES, assignment
from tiaodu.testing import api_client, assert_nothing_written

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_alice_plans_a_round_and_forms_a_group(world: Any) -> None:
    alice = api_client(world.alice)
    plan = {
        "kind": "inspection",
        "title": "2026年11月黄岛区重点项目督查",
        "region_id": world.huangdao.pk,
        "start_date": "2026-11-09",
        "end_date": "2026-11-13",
    }
    key = {"Idempotency-Key": "round-2026-11"}
    first = alice.post("/api/v1/rounds/", plan, content_type=JSON, headers=key)
    again = alice.post("/api/v1/rounds/", plan, content_type=JSON, headers=key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    round_id = FieldRound.objects.get().pk
    created = AuditEvent.objects.get(object_type="supervision.fieldround", action="create")
    assert (created.actor_id, created.channel) == (world.alice.pk, "api")

    group = alice.post(f"/api/v1/rounds/{round_id}/groups", {"name": "第一组"}, content_type=JSON)
    group_id = group.json()["id"]
    member = {"user_id": world.dora.pk, "is_leader": True}
    joined = alice.post(f"/api/v1/rounds/groups/{group_id}/members", member, content_type=JSON)
    assert (joined.status_code, joined.json()["is_leader"]) == (201, True)
    given = {"project_ids": [world.projects["p1"].pk]}
    assigned = alice.post(f"/api/v1/rounds/groups/{group_id}/projects", given, content_type=JSON)
    assert [a["project_name"] for a in assigned.json()["assignments"]] == [
        world.projects["p1"].name
    ]
    started = alice.post(
        f"/api/v1/rounds/{round_id}/status", {"action": "start"}, content_type=JSON
    )
    assert (started.json()["status"], started.json()["actions"]) == ("under_way", ["finish"])
    assert api_client(world.bob).get(f"/api/v1/rounds/{round_id}").status_code == 404


def test_hank_records_a_visit_and_dora_raises_its_finding(
    world: Any, under_way: FieldRound
) -> None:
    hank = api_client(world.hank)
    visit = {
        "assignment_id": assignment(under_way, world, "p1").pk,
        "visited_on": "2026-11-04",
        "visitors": "李华、王强",
        "score": "86.5",
        "new_findings": [{"category": "utilities", "title": "施工用电未接入"}],
    }
    key = {"Idempotency-Key": "visit-p1-1104"}
    first = hank.post("/api/v1/visits/", visit, content_type=JSON, headers=key)
    again = hank.post("/api/v1/visits/", visit, content_type=JSON, headers=key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    shown = first.json()
    assert (shown["score"], shown["can_record"], shown["can_raise"]) == ("86.5", True, False)
    [finding] = shown["finding_items"]
    assert (finding["category_label"], finding["problem_id"]) == ("水电气配套", None)
    recorded = SiteVisit.objects.get()
    assert (recorded.recorded_by, recorded.group.name) == (world.hank, "第一组")
    jpeg = SimpleUploadedFile("工地.jpg", encode(scene(3, (800, 600))), "image/jpeg")
    uploaded = hank.post(f"/api/v1/visits/{recorded.pk}/photos", {"file": jpeg})
    assert (uploaded.status_code, uploaded.json()["name"]) == (201, "工地.jpg")
    photo = api_client(world.dora).get(uploaded.json()["url"])
    assert (photo.status_code, photo["Content-Type"]) == (200, "image/jpeg")

    raised = api_client(world.dora).post(f"/api/v1/visits/findings/{finding['id']}/problem")
    assert raised.status_code == 201
    problem = Problem.objects.get(pk=raised.json()["problem_id"])
    assert (problem.title, problem.source) == ("施工用电未接入", "field_round")
    assert Finding.objects.get().problem == problem

    bob = api_client(world.bob)
    assert bob.get("/api/v1/visits/").json()["items"] == []
    assert bob.get(f"/api/v1/visits/{recorded.pk}").status_code == 404


def test_refusals_speak_chinese_and_change_nothing(world: Any, under_way: FieldRound) -> None:
    dora, hank = api_client(world.dora), api_client(world.hank)
    for client in (dora, hank):  # a token's first use is audited (its address)
        client.get("/api/v1/rounds/")
    with assert_nothing_written(*ROUND_TABLES, RoundAssignment):
        # dora sees alice's city tour but does not arrange it.
        group = dora.post(
            f"/api/v1/rounds/{under_way.pk}/groups", {"name": "第三组"}, content_type=JSON
        )
        assert group.status_code == 403
        assert group.json()["detail"] == "只有督查区域所在地区的调度员可以安排本次督查。"
        visit = {
            "assignment_id": assignment(under_way, world, "p1").pk,
            "visited_on": "2026-11-04",
            "score": "120",
        }
        scored = hank.post("/api/v1/visits/", visit, content_type=JSON)
        assert scored.status_code == 422
        assert scored.json()["fields"] == {"score": ["确保该值小于或等于100。"]}
