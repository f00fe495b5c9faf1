"""A meeting's roll call: its lagging and red projects in turn, each decision written into
the meeting's minutes by the convener, once; no one else writes there."""

from typing import Any

from django.test import Client
from django.urls import reverse

from tiaodu.core.models import AuditEvent
from tiaodu.core.roles import Role
from tiaodu.supervision.meetings.models import Meeting
from tiaodu.testing import assert_nothing_written, make_user


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_convener_calls_each_project_and_the_minutes_record_it(
    world: Any, meeting: Meeting
) -> None:
    alice = _client(world.alice)
    url = reverse("video:roll_call", args=[meeting.pk])
    page = alice.get(url).content.decode()
    # p1's red card first, then p2 (lagging): the others are on time.
    assert 'data-testid="roll-call-position">1 / 2<' in page
    assert "黄岛港区集装箱码头三期" in page and "黄岛区安置房建设项目" in page
    p1 = world.projects["p1"]
    response = alice.post(
        f"{url}?at=1", {"project": p1.pk, "text": "港航局牵头，11月20日前\n完成堆场用地调整。"}
    )
    assert response.status_code == 302 and response["Location"].endswith("?at=2")
    meeting.refresh_from_db()
    assert meeting.minutes == "【黄岛港区集装箱码头三期】港航局牵头，11月20日前 完成堆场用地调整。"
    event = AuditEvent.objects.filter(object_type="supervision.meeting").latest("pk")
    assert event.changes["minutes"][1] == meeting.minutes
    # Once per project: a second decision is refused and changes nothing.
    with assert_nothing_written(Meeting, AuditEvent):
        alice.post(f"{url}?at=1", {"project": p1.pk, "text": "再议"})
    assert "港航局牵头" in alice.get(f"{url}?at=1").content.decode()


def test_only_the_convener_writes_and_outsiders_do_not_find_the_roll_call(
    world: Any, meeting: Meeting
) -> None:
    url = reverse("video:roll_call", args=[meeting.pk])
    carl = _client(make_user("carl", Role.DISPATCHER, world.city))
    with assert_nothing_written(Meeting, AuditEvent):
        # dora, a district dispatcher, sees no city meeting: 404.
        assert _client(world.dora).get(url).status_code == 404
        # bob reports for a unit: no roll call for him.
        assert _client(world.bob).get(url).status_code == 404
        # lena leads 崂山区: the city's meeting is not hers either.
        assert _client(world.lena).get(url).status_code == 404
        # carl, another city dispatcher, follows the roll call but writes nothing into it.
        page = carl.get(url).content.decode()
        assert "黄岛港区集装箱码头三期" in page and 'data-testid="roll-call-form"' not in page
        p1 = world.projects["p1"]
        assert carl.post(url, {"project": p1.pk, "text": "越权记录"}).status_code == 404
