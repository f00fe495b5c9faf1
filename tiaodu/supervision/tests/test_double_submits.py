"""Double submits of the supervision create forms: a notice confirmed twice, an instruction,
a meeting or a field round sent twice are created once (core.idempotency); the repeat is
sent to what the first post created."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tiaodu.supervision.instructions.models import Instruction
from tiaodu.supervision.meetings.models import Meeting
from tiaodu.supervision.meetings.tests.test_meeting_pages import _meeting_form
from tiaodu.supervision.notices.models import Notice
from tiaodu.supervision.notices.tests.test_notice_pages import _issue_form
from tiaodu.supervision.rounds.models import FieldRound

KEY = {"idempotency_key": "6b1f3c0a9d7e4e2f8a5b6c7d8e9f0a1b"}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _twice(client: Client, url: str, data: dict[str, Any]) -> str:
    first = client.post(url, {**data, **KEY})
    second = client.post(url, {**data, **KEY})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    return first["Location"]


def test_a_notice_confirmed_twice_is_issued_once_with_one_number(world: Any) -> None:
    client = _client(world.dora)
    preview = client.post(reverse("supervision:notice_create"), _issue_form(world, confirm=None))
    # The preview carries the form's key on to 确认签发.
    assert 'name="idempotency_key"' in preview.content.decode()
    location = _twice(client, reverse("supervision:notice_create"), _issue_form(world))
    notice = Notice.objects.get()
    assert location == reverse("supervision:notice", args=[notice.pk])


def test_an_instruction_sent_twice_is_written_once(world: Any) -> None:
    url = f"{reverse('supervision:instruction_create')}?on=project&id={world.projects['p1'].pk}"
    data = {"text": "请抓紧推进征迁工作。", "unit": world.unit_a.pk, "deadline": ""}
    location = _twice(_client(world.leo), url, data)
    assert location == reverse("supervision:instruction", args=[Instruction.objects.get().pk])


def test_a_meeting_sent_twice_is_recorded_once(world: Any) -> None:
    location = _twice(
        _client(world.dora), reverse("supervision:meeting_create"), _meeting_form(world)
    )
    assert location == reverse("supervision:meeting", args=[Meeting.objects.get().pk])


def test_a_round_sent_twice_is_planned_once(world: Any) -> None:
    plan = {"kind": "inspection", "title": "崂山区督查", "region": world.laoshan.pk,
            "start_date": "2026-11-09", "end_date": "2026-11-10", "organised_by": "",
            "notes": ""}  # fmt: skip
    location = _twice(_client(world.alice), reverse("supervision:round_create"), plan)
    assert location == FieldRound.objects.get().get_absolute_url()


@pytest.mark.parametrize("name", ["notice_create", "meeting_create", "round_create"])
def test_each_create_form_carries_a_key(world: Any, name: str) -> None:
    html = _client(world.alice).get(reverse(f"supervision:{name}")).content.decode()
    assert 'type="hidden" name="idempotency_key"' in html
