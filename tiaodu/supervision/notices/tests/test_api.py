"""Notices over the API (`/api/v1/notices`): alice issues a supervision order to unit A
about p1 and p6 (sent twice with one key: one notice, one number), rita answers it for unit
A, alice closes it; bob and hank, of other units, get 404; refusals are in Chinese and
change nothing."""

from typing import Any

import pytest

from tiaodu.core.models import AuditEvent
from tiaodu.supervision.notices.models import Notice, NoticeCounter, NoticeResponse
from tiaodu.supervision.notices.tests.conftest import issue
from tiaodu.testing import api_client, assert_nothing_written

pytestmark = pytest.mark.django_db
BASE = "/api/v1/notices"
JSON = "application/json"


def test_issue_answer_and_close_through_the_api(world: Any) -> None:
    alice, rita = api_client(world.alice), api_client(world.rita)
    body = {
        "kind": "supervision_order",
        "recipient_unit_id": world.unit_a.pk,
        "project_ids": [world.projects["p1"].pk, world.projects["p6"].pk],
        "subject": "黄岛港区项目投资进度滞后",
        "body": "连续两个月投资完成率低于时序进度。",
    }
    key = {"Idempotency-Key": "notice-2026-0001"}
    first = alice.post(f"{BASE}/", body, content_type=JSON, headers=key)
    again = alice.post(f"{BASE}/", body, content_type=JSON, headers=key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    notice = Notice.objects.get()
    shown = first.json()
    assert (shown["number"], shown["status_label"], shown["recipient_unit"]) == (
        "督办〔2026〕1号",
        "已签发",
        world.unit_a.name,
    )
    # The kind's default deadline, as on the page: 5 working days for an order.
    assert shown["response_deadline"] == notice.response_deadline.isoformat()
    created = AuditEvent.objects.get(object_type="supervision.notice", action="create")
    assert (created.actor_id, created.channel) == (world.alice.pk, "api")

    awaiting = rita.get(f"{BASE}/?awaiting=true").json()["items"]
    assert [item["number"] for item in awaiting] == ["督办〔2026〕1号"]
    assert rita.get(f"{BASE}/{notice.pk}").json()["actions"] == ["respond"]
    answer = {"text": "已制定整改方案。", "rectification_plan": "十一月底前完成投资五千万元。"}
    answered = rita.post(f"{BASE}/{notice.pk}/responses", answer, content_type=JSON)
    assert answered.status_code == 201
    assert NoticeResponse.objects.get().responder == world.rita

    closed = alice.post(f"{BASE}/{notice.pk}/close")
    assert (closed.status_code, closed.json()["status"]) == (200, "closed")

    for outsider in (world.bob, world.hank):
        client = api_client(outsider)
        assert client.get(f"{BASE}/").json()["items"] == []
        assert client.get(f"{BASE}/{notice.pk}").status_code == 404


def test_refusals_speak_chinese_and_change_nothing(world: Any) -> None:
    order = issue(world)
    dora, rita, alice = api_client(world.dora), api_client(world.rita), api_client(world.alice)
    for client in (dora, alice):  # a token's first use is audited (its address)
        client.get(f"{BASE}/")
    tables = (Notice, NoticeCounter, NoticeResponse, AuditEvent)
    with assert_nothing_written(*tables):
        # The issuing form offers dora 黄岛区's projects only: p3 (崂山区) is refused.
        outside = {
            "kind": "reminder",
            "recipient_unit_id": world.unit_b.pk,
            "project_ids": [world.projects["p3"].pk],
            "subject": "进度滞后",
            "body": "请说明原因。",
        }
        refused = dora.post(f"{BASE}/", outside, content_type=JSON)
        assert refused.status_code == 422 and set(refused.json()["fields"]) == {
            "recipient_unit",
            "projects",
        }
        # An order asks for a rectification plan.
        bare = rita.post(f"{BASE}/{order.pk}/responses", {"text": "收到。"}, content_type=JSON)
        assert bare.status_code == 422
        assert bare.json()["fields"] == {"rectification_plan": ["该通知要求提交整改方案。"]}
        # Only the recipient unit answers.
        issuer = alice.post(f"{BASE}/{order.pk}/responses", {"text": "x"}, content_type=JSON)
        assert (issuer.status_code, issuer.json()["detail"]) == (403, "本通知无需您反馈。")
