"""The once-per-key mechanism of create requests (`core.idempotency`): the first answer is
kept and given again, a refusal keeps nothing, a key is one user's and one request's, and
keys older than a day are pruned by the daily round."""

import datetime as dt
from typing import Any

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from tiaodu.core import idempotency
from tiaodu.core.idempotency import Answer, KeyReused, once, prune
from tiaodu.core.models import IdempotencyKey

pytestmark = pytest.mark.django_db


def _counting() -> tuple[list[int], Any]:
    calls: list[int] = []

    def run() -> Answer:
        calls.append(1)
        return Answer(201, body={"id": len(calls)})

    return calls, run


def test_the_first_answer_is_kept_and_given_again(world: Any) -> None:
    calls, run = _counting()
    assert once(world.rita, "k-00000001", "test.create", run) == (
        Answer(201, body={"id": 1}),
        False,
    )
    assert once(world.rita, "k-00000001", "test.create", run) == (Answer(201, body={"id": 1}), True)
    assert calls == [1]
    # Another user's key of the same text is that user's own.
    assert once(world.bob, "k-00000001", "test.create", run)[1] is False
    assert calls == [1, 1]


def test_a_claim_made_after_the_first_look_is_not_taken_over(world: Any, monkeypatch) -> None:
    """Two requests at once: the second looked for the key (none yet), then the first
    claimed it and committed. The second must not clear that claim as if it were an expired
    key and create again (two problems from one form, seen on PostgreSQL); it finds the key
    taken and gives the first answer."""
    calls, run = _counting()
    once(world.rita, "k-00000009", "test.create", run)
    real_live = idempotency._live
    looks: list[int] = []

    def live(*args: Any) -> Any:
        looks.append(1)  # the first look came before the first request's commit
        return None if len(looks) == 1 else real_live(*args)

    monkeypatch.setattr(idempotency, "_live", live)
    assert once(world.rita, "k-00000009", "test.create", run) == (
        Answer(201, body={"id": 1}),
        True,
    )
    assert calls == [1]


def test_a_refusal_or_an_error_keeps_nothing(world: Any) -> None:
    assert once(world.rita, "k-00000002", "test.create", lambda: None) == (None, False)

    def fails() -> Answer:
        raise ValueError("refused")

    with pytest.raises(ValueError):
        once(world.rita, "k-00000002", "test.create", fails)
    assert not IdempotencyKey.objects.exists()


def test_a_key_reused_for_another_request_is_refused(world: Any) -> None:
    _calls, run = _counting()
    once(world.rita, "k-00000003", "test.create", run, fingerprint="a")
    with pytest.raises(KeyReused):
        once(world.rita, "k-00000003", "test.create", run, fingerprint="b")
    with pytest.raises(KeyReused):
        once(world.rita, "k-00000003", "test.other", run, fingerprint="a")


def test_keys_older_than_a_day_are_pruned(world: Any) -> None:
    _calls, run = _counting()
    once(world.rita, "k-00000004", "test.create", run)
    once(world.rita, "k-00000005", "test.create", run)
    IdempotencyKey.objects.filter(key="k-00000004").update(
        created_at=timezone.now() - dt.timedelta(hours=24, minutes=1)
    )
    assert prune() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["k-00000005"]


def test_the_field_makes_a_key_and_keeps_a_posted_one() -> None:
    template = Template("{% load tiaodu %}{% idempotency_field %}")
    factory = RequestFactory()
    fresh = template.render(Context({"request": factory.get("/")}))
    assert fresh.startswith('<input type="hidden" name="idempotency_key" value="')
    kept = factory.post("/", {idempotency.FIELD: "abcdef0123456789"})
    assert 'value="abcdef0123456789"' in template.render(Context({"request": kept}))
    forged = factory.post("/", {idempotency.FIELD: '"><script>'})
    assert "script" not in template.render(Context({"request": forged}))
