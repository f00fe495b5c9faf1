"""Double submits of the campaign create forms: a campaign and a groundbreaking batch sent
twice with the same form key (core.idempotency) are created once; the second post is sent
to what the first one created."""

from typing import Any

from django.test import Client

from tiaodu.campaigns.models import Campaign, GroundbreakingBatch
from tiaodu.campaigns.tests.test_campaign_form import NEW, ON, posted
from tiaodu.core import clock

KEY = {"idempotency_key": "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b"}


def _twice(user: Any, url: str, data: dict[str, Any]) -> str:
    client = Client()
    client.force_login(user)
    assert 'name="idempotency_key"' in client.get(url).content.decode()
    first = client.post(url, {**data, **KEY})
    second = client.post(url, {**data, **KEY})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    return str(first["Location"])


def test_a_campaign_sent_twice_is_created_once(world: Any) -> None:
    with clock.frozen(ON):
        location = _twice(world.alice, NEW, posted(world))
    assert location == f"/campaigns/{Campaign.objects.get().pk}/"


def test_a_batch_sent_twice_is_created_once(world: Any) -> None:
    data = {"name": "2026年秋季集中开工", "date": "2026-10-08", "region": world.huangdao.pk}
    location = _twice(world.dora, "/campaigns/batches/new/", data)
    assert location == f"/campaigns/batches/{GroundbreakingBatch.objects.get().pk}/"
