"""Meetings over the API (`/api/v1/meetings`): dora (黄岛区 dispatcher) records a
consultation (sent twice with one key: one meeting), puts rita's problem of p1 on its
agenda and records the decision to assign it to 市住建局, which the problem ledger carries
out; bob (unit B) gets 404; hank, who did not convene it, may change nothing; refusals are
in Chinese and change nothing."""

from typing import Any

import pytest

from tiaodu.core.models import AuditEvent
from tiaodu.problems.choices import ProblemStatus
from tiaodu.problems.models import Problem, ProblemComment
from tiaodu.supervision.meetings.models import Meeting, MeetingDecision
from tiaodu.testing import api_client, assert_nothing_written, problem_in

pytestmark = pytest.mark.django_db
BASE = "/api/v1/meetings"
JSON = "application/json"


def test_a_consultation_decides_through_the_api(world: Any) -> None:
    problem = problem_in(world, ProblemStatus.REPORTED)
    dora = api_client(world.dora)
    body = {"kind": "consultation", "title": "黄岛区重点项目问题会商", "date": "2026-11-05"}
    key = {"Idempotency-Key": "meeting-2026-11-05"}
    first = dora.post(f"{BASE}/", body, content_type=JSON, headers=key)
    again = dora.post(f"{BASE}/", body, content_type=JSON, headers=key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    meeting = Meeting.objects.get()
    # dora convenes for 黄岛区 only: the form takes that unit without being told.
    assert (meeting.convening_unit, meeting.convened_by) == (world.huangdao, world.dora)
    created = AuditEvent.objects.get(object_type="supervision.meeting", action="create")
    assert created.channel == "api"

    added = dora.post(f"{BASE}/{meeting.pk}/agenda", {"problem_id": problem.pk}, content_type=JSON)
    assert added.status_code == 200
    [item] = added.json()["agenda"]
    assert (item["problem_id"], item["outcomes"]) == (
        problem.pk,
        ["assign", "escalate", "watch"],
    )
    decision = {
        "problem_id": problem.pk,
        "outcome": "assign",
        "text": "由市住建局牵头协调用地指标。",
        "department_id": world.housing_bureau.pk,
    }
    decided = dora.post(f"{BASE}/{meeting.pk}/decisions", decision, content_type=JSON)
    assert decided.status_code == 201
    assert decided.json()["department"] == world.housing_bureau.name
    problem.refresh_from_db()
    assert (problem.status, problem.assigned_department) == ("assigned", world.housing_bureau)
    assert ProblemComment.objects.get(problem=problem).author == world.dora

    bob = api_client(world.bob)
    assert bob.get(f"{BASE}/").json()["items"] == []
    assert bob.get(f"{BASE}/{meeting.pk}").status_code == 404


def test_refusals_speak_chinese_and_change_nothing(world: Any) -> None:
    problem = problem_in(world, ProblemStatus.REPORTED)
    dora, alice = api_client(world.dora), api_client(world.alice)
    body = {"kind": "consultation", "title": "会商", "date": "2026-11-05"}
    meeting_id = dora.post(f"{BASE}/", body, content_type=JSON).json()["id"]
    dora.post(f"{BASE}/{meeting_id}/agenda", {"problem_id": problem.pk}, content_type=JSON)
    alice.get(f"{BASE}/")  # a token's first use is audited (its address)
    with assert_nothing_written(Meeting, MeetingDecision, Problem, ProblemComment, AuditEvent):
        # alice sees the meeting (her city's), but did not convene it.
        other = alice.post(f"{BASE}/{meeting_id}/agenda", {"problem_id": 1}, content_type=JSON)
        assert (other.status_code, other.json()["detail"]) == (403, "只有会议召集人才能修改会议。")
        untold = {"problem_id": problem.pk, "outcome": "watch", "text": ""}
        bare = dora.post(f"{BASE}/{meeting_id}/decisions", untold, content_type=JSON)
        assert bare.status_code == 422 and bare.json()["fields"] == {"text": ["这个字段是必填项。"]}
