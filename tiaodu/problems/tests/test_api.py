"""The problem ledger over the API (`/api/v1/problems`), by the personas: dora (黄岛区
dispatcher) assigns rita's problem of p1 to 市住建局, hank (its handler) starts and
resolves it; bob (reporter of unit B, 崂山区) sees none of it; refusals are in Chinese and
change nothing; a raise sent twice with one key raises once."""

from typing import Any

import pytest

from tiaodu.core.models import AuditEvent
from tiaodu.problems.choices import ProblemStatus
from tiaodu.problems.models import Problem, ProblemComment
from tiaodu.testing import api_client, assert_nothing_written, problem_in

pytestmark = pytest.mark.django_db
BASE = "/api/v1/problems"
JSON = "application/json"


def _events(problem: Problem) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(object_type="problems.problem", object_id=problem.pk).order_by(
            "pk"
        )
    )


def test_the_loop_through_the_api_with_the_pages_rules_and_audit(world: Any) -> None:
    problem = problem_in(world, ProblemStatus.REPORTED)
    dora, hank = api_client(world.dora), api_client(world.hank)

    listed = dora.get(f"{BASE}/?status=open").json()
    assert [item["id"] for item in listed["items"]] == [problem.pk]
    assert listed["next_cursor"] is None
    shown = dora.get(f"{BASE}/{problem.pk}").json()
    assert (shown["status_label"], shown["actions"]) == ("已上报", ["assign", "escalate"])

    step = {"action": "assign", "department_id": world.housing_bureau.pk}
    step["handler_id"] = world.hank.pk
    assigned = dora.post(f"{BASE}/{problem.pk}/steps", step, content_type=JSON)
    assert assigned.status_code == 200
    body = assigned.json()
    assert (body["status"], body["assigned_department"], body["handler"]) == (
        "assigned",
        world.housing_bureau.name,
        str(world.hank),
    )
    # The deadline is the page's default: 10 working days at district level.
    assert body["deadline"] == "2026-11-19"
    event = _events(problem)[-1]
    assert (event.action, event.channel, event.actor_id) == ("update", "api", world.dora.pk)
    assert event.changes["status"] == ["已上报", "已交办"]

    for action in ("start", "resolve"):
        payload = {"action": action, "resolution": "指标已下达。"}
        answer = hank.post(f"{BASE}/{problem.pk}/steps", payload, content_type=JSON)
        assert answer.status_code == 200
    assert Problem.objects.get(pk=problem.pk).status == ProblemStatus.RESOLVED

    commented = hank.post(f"{BASE}/{problem.pk}/comments", {"text": "已函告。"}, content_type=JSON)
    assert commented.status_code == 201 and commented.json()["text"] == "已函告。"
    assert dora.get(f"{BASE}/{problem.pk}").json()["comments"][0]["author"] == str(world.hank)

    # Outside bob's scope: not listed, and 404 on every address of it.
    bob = api_client(world.bob)
    assert bob.get(f"{BASE}/").json()["items"] == []
    with assert_nothing_written(Problem, ProblemComment, AuditEvent):
        assert bob.get(f"{BASE}/{problem.pk}").status_code == 404
        closing = bob.post(f"{BASE}/{problem.pk}/steps", {"action": "close"}, content_type=JSON)
        assert closing.status_code == 404


def test_refusals_speak_chinese_and_change_nothing(world: Any) -> None:
    problem = problem_in(world, ProblemStatus.REPORTED)
    dora, alice = api_client(world.dora), api_client(world.alice)
    for client in (dora, alice):  # a token's first use is audited (its address)
        assert client.get(f"{BASE}/{problem.pk}").status_code == 200
    with assert_nothing_written(Problem, AuditEvent):
        # The page's form: the department is required.
        refused = dora.post(f"{BASE}/{problem.pk}/steps", {"action": "assign"}, content_type=JSON)
        assert refused.status_code == 422
        assert refused.json()["fields"] == {"department": ["请选择负责办理该问题的部门。"]}
        # The table: closing is no step of a reported problem.
        closing = alice.post(f"{BASE}/{problem.pk}/steps", {"action": "close"}, content_type=JSON)
        assert closing.status_code == 403
        assert closing.json()["detail"] == "状态为“已上报”的问题不能“销号”。"


def test_a_raise_sent_twice_with_one_key_raises_once(world: Any) -> None:
    rita = api_client(world.rita)
    body = {"project_id": world.projects["p1"].pk, "category": "land", "title": "临时用电未接入"}
    first = rita.post(
        f"{BASE}/", body, content_type=JSON, headers={"Idempotency-Key": "raise-0001"}
    )
    again = rita.post(
        f"{BASE}/", body, content_type=JSON, headers={"Idempotency-Key": "raise-0001"}
    )
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    raised = Problem.objects.get()
    assert (raised.title, raised.source, raised.raised_by) == (
        "临时用电未接入",
        "project_page",
        world.rita,
    )
    assert [event.action for event in _events(raised)] == ["create"]
    # Bob may not raise problems of p1, which he cannot see.
    outside = api_client(world.bob).post(f"{BASE}/", body, content_type=JSON)
    assert outside.status_code == 404
