"""Ids in addresses and forms are read with `core.bounds.query_id` everywhere: a value that
is not a number, or one the database cannot hold, answers 400 in Chinese instead of an
error page (docs/errors.md, "Bounds"); the instructions API pages with `api_support.CursorPages`."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tiaodu.core.models import AuditEvent
from tiaodu.supervision.meetings.tests.test_meetings import convene
from tiaodu.testing import assert_nothing_written

TOO_BIG = "99999999999999999999"
NOT_A_NUMBER = "abc"


def _client(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _refused(response: Any) -> str:
    assert response.status_code == 400
    text = response.content.decode()
    assert "地址中的编号" in text
    return text


@pytest.mark.parametrize("value", [TOO_BIG, NOT_A_NUMBER, "0"])
def test_a_leaders_instruction_on_an_id_out_of_bounds(world: Any, value: str) -> None:
    url = reverse("supervision:instruction_create")
    _refused(_client(world.leo).get(url, {"on": "project", "id": value}))


@pytest.mark.parametrize("value", [TOO_BIG, NOT_A_NUMBER])
def test_a_notice_for_a_project_id_out_of_bounds(world: Any, value: str) -> None:
    _refused(_client(world.alice).get(reverse("supervision:notice_create"), {"project": value}))


@pytest.mark.parametrize("value", [TOO_BIG, NOT_A_NUMBER])
def test_raising_a_problem_on_an_id_out_of_bounds(world: Any, value: str) -> None:
    client = _client(world.rita)
    _refused(client.get(reverse("problems:raise"), {"project": value}))
    project = world.projects["p1"].pk
    _refused(client.get(reverse("problems:raise"), {"project": project, "report": value}))


@pytest.mark.parametrize("value", [TOO_BIG, NOT_A_NUMBER])
def test_a_task_force_for_a_project_id_out_of_bounds(world: Any, value: str) -> None:
    _refused(_client(world.alice).get(reverse("projects:taskforce_create"), {"project": value}))


@pytest.mark.parametrize("value", [TOO_BIG, NOT_A_NUMBER])
def test_opening_a_report_of_ids_out_of_bounds_writes_nothing(world: Any, value: str) -> None:
    with assert_nothing_written(AuditEvent):
        response = _client(world.rita).post(
            reverse("reporting:open"), {"plan": value, "period": value}
        )
    _refused(response)


@pytest.mark.parametrize("value", [TOO_BIG, NOT_A_NUMBER])
def test_a_meetings_agenda_problem_id_out_of_bounds(world: Any, value: str) -> None:
    meeting = convene(world)
    url = reverse("supervision:agenda_add", args=[meeting.pk])
    _refused(_client(world.dora).post(url, {"problem": value}))


def test_the_reporting_board_ignores_a_period_id_out_of_bounds(world: Any) -> None:
    response = _client(world.alice).get(reverse("reporting:board"), {"period": TOO_BIG})
    assert response.status_code == 200


@pytest.mark.parametrize("value", [TOO_BIG, "-1"])
def test_the_instructions_api_pages_within_bounds(world: Any, value: str) -> None:
    name = "limit"
    response = _client(world.alice).get("/api/v1/instructions/", {name: value})
    assert response.status_code == 422
    assert name in response.content.decode()
    assert _client(world.alice).get("/api/v1/instructions/", {"limit": 1000}).status_code == 200
    assert _client(world.alice).get("/api/v1/instructions/", {"limit": 1001}).status_code == 422
