"""Double submits of the problem forms: raising a problem and adding a comment are done once
per the form's key (core.idempotency): the second post of the same form is sent to what
the first one created."""

import datetime as dt
import re
import threading
from typing import Any

import pytest
import time_machine
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from tiaodu.core.models import AuditEvent, IdempotencyKey
from tiaodu.problems.choices import ProblemStatus
from tiaodu.problems.models import Problem, ProblemComment
from tiaodu.problems.tests.test_raise_pages import FIELDS, RAISE
from tiaodu.testing import problem_in

KEY = re.compile(r'<input type="hidden" name="idempotency_key" value="([0-9a-f]{32})">')


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _raise_url(world: Any) -> str:
    return f"{RAISE}?project={world.projects['p1'].pk}"


def _form_key(response: Any) -> str:
    match = KEY.search(response.content.decode())
    assert match, "the form carries no key"
    return match.group(1)


def test_the_raise_form_carries_a_key_and_keeps_it_when_it_comes_back(world: Any) -> None:
    client = _client(world.rita)
    key = _form_key(client.get(_raise_url(world)))
    assert key != _form_key(client.get(_raise_url(world)))  # a new key for each rendering
    refused = client.post(_raise_url(world), {**FIELDS, "title": "", "idempotency_key": key})
    assert refused.status_code == 200
    assert _form_key(refused) == key


def test_the_same_raise_form_sent_twice_raises_one_problem(world: Any) -> None:
    client = _client(world.rita)
    key = _form_key(client.get(_raise_url(world)))
    first = client.post(_raise_url(world), {**FIELDS, "idempotency_key": key})
    second = client.post(_raise_url(world), {**FIELDS, "idempotency_key": key})
    problem = Problem.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("problems:detail", args=[problem.pk])
    page = client.get(second["Location"])
    assert "此表单已提交过，以下是首次提交的结果。" in [str(m) for m in page.context["messages"]]
    assert AuditEvent.objects.filter(object_type="problems.problem").count() == 1
    # Another rendering of the form is another problem.
    other = _form_key(client.get(_raise_url(world)))
    client.post(_raise_url(world), {**FIELDS, "idempotency_key": other})
    assert Problem.objects.count() == 2


def test_a_refused_form_leaves_its_key_for_the_corrected_one(world: Any) -> None:
    client = _client(world.rita)
    key = _form_key(client.get(_raise_url(world)))
    client.post(_raise_url(world), {**FIELDS, "title": "", "idempotency_key": key})
    assert not IdempotencyKey.objects.exists()
    assert client.post(_raise_url(world), {**FIELDS, "idempotency_key": key}).status_code == 302
    assert Problem.objects.count() == 1


def test_a_key_is_kept_for_a_day(world: Any) -> None:
    client = _client(world.rita)
    key = _form_key(client.get(_raise_url(world)))
    client.post(_raise_url(world), {**FIELDS, "idempotency_key": key})
    # (Signed in afresh: the session itself has long ended.)
    with time_machine.travel(dt.datetime(2026, 11, 6, 0, 59, tzinfo=dt.UTC), tick=False):
        _client(world.rita).post(_raise_url(world), {**FIELDS, "idempotency_key": key})
        assert Problem.objects.count() == 1
    with time_machine.travel(dt.datetime(2026, 11, 6, 1, 1, tzinfo=dt.UTC), tick=False):
        _client(world.rita).post(_raise_url(world), {**FIELDS, "idempotency_key": key})
        assert Problem.objects.count() == 2


def test_a_forged_key_is_a_400_in_chinese(world: Any) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(world.rita)
    response = client.post(_raise_url(world), {**FIELDS, "idempotency_key": "<script>"})
    assert response.status_code == 400
    assert "表单在传送中被改动" in response.content.decode()
    assert not Problem.objects.exists()


def test_the_same_comment_form_sent_twice_adds_one_comment(world: Any) -> None:
    problem = problem_in(world, ProblemStatus.ASSIGNED)
    client = _client(world.hank)
    key = _form_key(client.get(reverse("problems:detail", args=[problem.pk])))
    url = reverse("problems:comment", args=[problem.pk])
    for _ in range(2):
        response = client.post(url, {"text": "已约谈施工方。", "idempotency_key": key})
        assert response["Location"].endswith("#timeline")
    assert ProblemComment.objects.filter(problem=problem).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_posts_of_one_form_at_once_raise_one_problem(world: Any) -> None:
    if connection.vendor == "sqlite" and "mode=memory" in connection.settings_dict["NAME"]:
        pytest.skip("concurrent writers need PostgreSQL or a file database")
    key = "0123456789abcdef0123456789abcdef"
    barrier = threading.Barrier(2)
    answers: list[Any] = []
    errors: list[BaseException] = []

    def post() -> None:
        try:
            client = _client(world.rita)
            barrier.wait()
            answers.append(client.post(_raise_url(world), {**FIELDS, "idempotency_key": key}))
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    problem = Problem.objects.get()
    location = reverse("problems:detail", args=[problem.pk])
    assert [(a.status_code, a["Location"]) for a in answers] == [(302, location)] * 2
