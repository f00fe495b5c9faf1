"""Double submits on the reporter API: opening the same draft several times at once opens
one report and answers 201 only to the call that created it (200 to those that found it);
an `Idempotency-Key` header replays the first answer, status and body, for the same user
and key (core.idempotency)."""

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from tiaodu.core.models import AuditEvent, IdempotencyKey
from tiaodu.reporting.models import Period, Report, ReportFile
from tiaodu.reporting.tasks import daily_round
from tiaodu.reporting.tests.test_api import BASE, App, _draft, _jpeg, _on_today  # noqa: F401

pytestmark = pytest.mark.django_db


def _open(app: App, world: Any, october: Period, key: str = "", **body: Any) -> Any:
    payload = {"plan_id": world.plans["p1"].pk, "period_id": october.pk, **body}
    headers = {"Idempotency-Key": key} if key else {}
    return app.client.post(f"{BASE}/", payload, content_type="application/json", headers=headers)


def test_opening_twice_without_a_key_answers_201_then_200(world, october):
    app = App(world.rita)
    first, second = _open(app, world, october), _open(app, world, october)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Report.objects.filter(period=october).count() == 1


def test_a_repeated_key_replays_the_first_answer(world, october):
    app = App(world.rita)
    key = "5f0c6a2e-open-october"
    first = _open(app, world, october, key)
    assert first.status_code == 201
    # The report changes meanwhile; the repeat still gets the first answer, not a 200.
    _draft(world, october, physical_progress="土方开挖完成")
    again = _open(app, world, october, key)
    assert again.status_code == 201
    assert again.json() == first.json()
    assert Report.objects.filter(period=october).count() == 1
    assert IdempotencyKey.objects.get().scope == "reporting.open"


def test_a_key_sent_again_with_another_request_is_refused(world, october, periods):
    app = App(world.rita)
    key = "5f0c6a2e-open-october"
    assert _open(app, world, october, key).status_code == 201
    other = _open(app, world, october, key, period_id=periods[11].pk)
    assert other.status_code == 422
    assert "Idempotency-Key" in other.json()["detail"]


def test_a_malformed_key_is_refused_and_nothing_is_opened(world, october):
    with_spaces = _open(App(world.rita), world, october, "not a key")
    assert with_spaces.status_code == 400
    assert "Idempotency-Key" in with_spaces.json()["detail"]
    assert not Report.objects.exists()


def test_keys_are_each_users_own(world, october):
    key = "shared-key-0001"
    assert _open(App(world.rita), world, october, key).status_code == 201
    # sam (service officer of p3) has no p1 to report: his call is his own, and refused.
    refused = _open(App(world.sam), world, october, key)
    assert refused.status_code in (403, 404)
    assert IdempotencyKey.objects.count() == 1


def test_a_refused_call_leaves_the_key_free(world, october, periods):
    app = App(world.rita)
    key = "retry-after-refusal"
    # December is not open: refused, and the key is not spent on it.
    refused = app.client.post(
        f"{BASE}/",
        {"plan_id": world.plans["p1"].pk, "period_id": 999_999},
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )
    assert refused.status_code == 404
    assert not IdempotencyKey.objects.exists()


def test_an_upload_resent_with_its_key_is_stored_once(world, october):
    report = _draft(world, october)
    app = App(world.rita)
    headers = {"Idempotency-Key": "upload-0001-abcdef"}
    url = f"{BASE}/{report.pk}/files"
    first = app.client.post(url, {"file": _jpeg()}, headers=headers)
    again = app.client.post(url, {"file": _jpeg()}, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert ReportFile.objects.filter(report=report).count() == 1
    assert app.client.post(url, {"file": _jpeg()}).status_code == 201
    assert ReportFile.objects.filter(report=report).count() == 2


def _concurrent(count: int, call: Any) -> list[Any]:
    barrier = threading.Barrier(count)
    answers: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            answers.append(call())
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return answers


def _needs_concurrent_writers() -> None:
    if connection.vendor == "sqlite" and "mode=memory" in connection.settings_dict["NAME"]:
        # Shared-cache memory databases answer "table is locked" at once instead of waiting;
        # the PostgreSQL run (`make test-pg`) runs these.
        pytest.skip("concurrent writers need PostgreSQL or a file database")


@pytest.mark.django_db(transaction=True)
def test_four_opens_at_once_create_one_report_and_one_201(world, october):
    _needs_concurrent_writers()
    apps = [App(world.rita) for _ in range(4)]
    calls = iter(apps)
    lock = threading.Lock()

    def call() -> Any:
        with lock:
            app = next(calls)
        return _open(app, world, october)

    answers = _concurrent(4, call)
    assert sorted(answer.status_code for answer in answers) == [200, 200, 200, 201]
    assert len({answer.json()["id"] for answer in answers}) == 1
    assert Report.objects.filter(period=october).count() == 1
    assert AuditEvent.objects.filter(object_type="reporting.report").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_calls_at_once_with_one_key_open_one_report_and_answer_alike(world, october):
    _needs_concurrent_writers()
    key = "same-key-at-once-01"
    clients = iter([App(world.rita).client, App(world.rita).client])
    lock = threading.Lock()

    def call() -> Any:
        with lock:
            client = next(clients)
        return _open_with(client, world, october, key)

    answers = _concurrent(2, call)
    assert [answer.status_code for answer in answers] == [201, 201]
    assert answers[0].json() == answers[1].json()
    assert Report.objects.filter(period=october).count() == 1
    assert IdempotencyKey.objects.count() == 1


def _open_with(client: Client, world: Any, october: Period, key: str) -> Any:
    payload = {"plan_id": world.plans["p1"].pk, "period_id": october.pk}
    return client.post(
        f"{BASE}/", payload, content_type="application/json", headers={"Idempotency-Key": key}
    )


def test_the_daily_round_forgets_keys_older_than_a_day(world, october):
    assert _open(App(world.rita), world, october, "old-key-000001").status_code == 201
    IdempotencyKey.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    daily_round.call()
    assert not IdempotencyKey.objects.exists()
