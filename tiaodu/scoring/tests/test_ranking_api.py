"""`GET /api/v1/rankings` gives what `manage.py rankings --json --actor` prints, for
dispatchers and leaders only; a bad month is a 422 with a message."""

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from tiaodu.scoring.tests.test_indicators import dates, set_targets
from tiaodu.scoring.tests.test_rankings import MAY, card, june
from tiaodu.testing import PERSONAS

URL = "/api/v1/rankings"


@pytest.fixture
def ranked(world: Any) -> Any:
    card(world, "p1", "blue", "85", month=MAY)
    card(world, "p3", "yellow", "60", month=MAY)
    june(world)
    dates(world)
    set_targets(world)
    return world


@pytest.mark.parametrize("persona", ["alice", "dora", "lena", "leo"])
def test_the_api_equals_the_command(client: Client, ranked: Any, persona: str) -> None:
    client.force_login(ranked.users[persona])
    response = client.get(URL, {"month": "2026-06"})
    assert response.status_code == 200
    out = StringIO()
    call_command("rankings", "--month", "2026-06", "--json", "--actor", persona, stdout=out)
    assert json.loads(response.content) == json.loads(out.getvalue())


def test_what_the_city_dispatcher_reads(client: Client, ranked: Any) -> None:
    client.force_login(ranked.alice)
    data = client.get(URL, {"month": "2026-06"}).json()
    assert [(row["rank"], row["name"], row["movement"]) for row in data["regions"]] == [
        (1, "崂山区", 1),
        (2, "黄岛区", -1),
        (3, "市南区", None),
    ]
    assert data["indicators"][0] == {
        "rank": 1,
        "movement": 0,
        "movement_text": "—",
        "name": "黄岛区",
        "region_code": "370211",
        "new_starts": {"actual": 1, "target": 2, "attainment": 50.0},
        "inclusions": {"actual": 2, "target": 4, "attainment": 50.0},
        "completions": {"actual": 1, "target": 1, "attainment": 100.0},
        "overall": 66.7,
    }
    # Without a month: the newest month with cards.
    assert client.get(URL).json()["month"] == "2026-06"


def test_only_dispatchers_and_leaders_read_it(client: Client, ranked: Any) -> None:
    codes = {}
    for name in PERSONAS:
        client.force_login(ranked.users[name])
        codes[name] = client.get(URL, {"month": "2026-06"}).status_code
    assert {name for name, code in codes.items() if code == 200} == {"alice", "dora", "leo", "lena"}
    assert {
        code for name, code in codes.items() if name not in {"alice", "dora", "leo", "lena"}
    } == {404}
    client.logout()
    assert client.get(URL, {"month": "2026-06"}).status_code == 401


def test_a_bad_month_is_a_422(client: Client, ranked: Any) -> None:
    client.force_login(ranked.alice)
    response = client.get(URL, {"month": "六月"})
    assert response.status_code == 422
    assert "YYYY-MM" in response.json()["detail"]


def test_the_openapi_schema_lists_the_rankings(world: Any) -> None:
    client = Client()
    client.force_login(world.alice)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/rankings"]) == {"get"}
