"""Double submits of the appeal form: an appeal sent twice with the same form key
(core.idempotency) is raised once with its evidence stored once; the second post is sent
to the card, as the first was."""

from typing import Any

from django.test import Client
from django.urls import reverse

from tiaodu.core import clock
from tiaodu.scoring.models import Appeal, AppealFile
from tiaodu.scoring.tests.test_appeal_pages import COMPUTED, jpeg

KEY = {"idempotency_key": "5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d"}


def test_an_appeal_sent_twice_is_raised_once(world: Any, june: Any) -> None:
    card = june["p6"]
    client = Client()
    client.force_login(world.rita)
    url = reverse("scoring:appeal", args=[card.pk])
    with clock.frozen(COMPUTED):
        assert 'name="idempotency_key"' in client.get(url).content.decode()
        answers = [
            client.post(url, {"reason": "入统证明见附件。", "evidence": [jpeg()], **KEY})
            for _ in range(2)
        ]
    assert [(a.status_code, a["Location"]) for a in answers] == [
        (302, reverse("scoring:card", args=[card.pk]))
    ] * 2
    assert Appeal.objects.filter(card=card).count() == 1
    assert AppealFile.objects.count() == 1
