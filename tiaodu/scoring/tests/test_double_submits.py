"""Double submits of the scoring create forms: an appeal sent twice with the same form key
(core.idempotency) is raised once with its evidence stored once, a new version of the
rules is made once; the second post is sent where the first was."""

from typing import Any

from django.test import Client
from django.urls import reverse

from tiaodu.core import clock
from tiaodu.scoring import services
from tiaodu.scoring.models import Appeal, AppealFile, RuleSet
from tiaodu.scoring.tests.test_appeal_pages import COMPUTED, jpeg
from tiaodu.scoring.tests.test_compute import AFTER, JUNE, ledger
from tiaodu.scoring.tests.test_rules_page import RULES, values

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


def test_a_rule_version_sent_twice_is_made_once(world: Any) -> None:
    ledger(world)
    with clock.frozen(AFTER):
        services.compute_cards(actor=world.alice, month=JUNE, reason="六月评价")
        client = Client()
        client.force_login(world.alice)
        assert 'name="idempotency_key"' in client.get(RULES).content.decode()
        data = {**values(investment_red="0.75"), "save": "1", **KEY}
        answers = [client.post(RULES, data) for _ in range(2)]
    assert [(a.status_code, a["Location"]) for a in answers] == [(302, RULES)] * 2
    assert list(RuleSet.objects.values_list("version", flat=True).order_by("version")) == [1, 2]
