"""`manage.py stats --json` and `GET /api/v1/stats` give the same JSON for the same scope."""

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tiaodu.analytics.figures import default_as_of
from tiaodu.analytics.tests.test_figures import CITY, HUANGDAO, TOP_KEYS
from tiaodu.projects.selectors import default_year
from tiaodu.testing import PASSWORD

URL = "/api/v1/stats"


def command_output(*arguments: str) -> str:
    out = StringIO()
    call_command("stats", "--year", "2026", "--as-of", "2026-08-31", *arguments, stdout=out)
    return out.getvalue()


def api_get(client: Any, user: Any, **params: str) -> Any:
    client.login(username=user.username, password=PASSWORD)
    return client.get(URL, {"year": "2026", "as_of": "2026-08-31", **params})


def test_command_prints_the_json_form_on_one_line(stats: Any) -> None:
    text = command_output("--json")
    assert text.endswith("}\n") and text.count("\n") == 1
    assert "市重点项目" in text  # ensure_ascii=False
    data = json.loads(text)
    assert list(data) == TOP_KEYS
    assert {k: data[k] for k in CITY} == CITY


@pytest.mark.parametrize(
    ("persona", "params", "arguments"),
    [
        ("dora", {}, []),
        ("alice", {}, []),
        ("alice", {"region": "370212"}, ["--region", "370212"]),
        ("alice", {"level": "municipal"}, ["--level", "municipal"]),
        ("alice", {"list": "市重点项目"}, ["--list", "市重点项目"]),
        ("rita", {}, []),
    ],
)
def test_command_equals_api(
    client: Any, stats: Any, persona: str, params: dict[str, str], arguments: list[str]
) -> None:
    user = stats.users[persona]
    response = api_get(client, user, **params)
    assert response.status_code == 200
    from_api = json.loads(response.content)
    from_command = json.loads(command_output("--json", "--actor", persona, *arguments))
    # Same keys in the same order, same values.
    assert json.dumps(from_api, ensure_ascii=False) == json.dumps(from_command, ensure_ascii=False)


def test_api_is_scoped_to_the_caller(client: Any, stats: Any) -> None:
    data = api_get(client, stats.dora).json()
    assert data["scope"]["region"] == "370211"
    assert {k: data[k] for k in HUANGDAO} == HUANGDAO


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditor"])
def test_administrators_get_404(client: Any, stats: Any, persona: str) -> None:
    assert api_get(client, stats.users[persona]).status_code == 404


def test_anonymous_gets_401(client: Any, stats: Any) -> None:
    assert client.get(URL).status_code == 401


@pytest.mark.parametrize(
    ("params", "status", "fragment"),
    [
        ({"as_of": "2026-13-01"}, 422, "as_of"),
        ({"year": "twenty"}, 422, "year"),
        ({"as_of": "2025-08-31"}, 422, "2025-08-31"),
        ({"region": "999999"}, 422, "999999"),
        ({"level": "national"}, 422, "national"),
        ({"list": "省百大"}, 422, "省百大"),
    ],
)
def test_api_bad_parameters(
    client: Any, stats: Any, params: dict[str, str], status: int, fragment: str
) -> None:
    response = api_get(client, stats.alice, **params)
    assert response.status_code == status
    assert fragment in str(response.json())


def test_api_defaults_to_this_year_and_today(client: Any, stats: Any) -> None:
    client.login(username="alice", password=PASSWORD)
    data = client.get(URL).json()
    assert data["year"] == default_year(stats.alice)
    assert data["as_of"] == default_as_of(data["year"]).isoformat()


def test_command_text_summary(stats: Any) -> None:
    text = command_output()
    assert "10500.00" in text
    assert "35.00%" in text


@pytest.mark.parametrize(
    ("arguments", "fragment"),
    [
        (["--actor", "nobody"], "nobody"),
        (["--actor", "auditor"], "auditor"),
        (["--region", "999999"], "999999"),
        (["--list", "省百大"], "省百大"),
    ],
)
def test_command_errors(stats: Any, arguments: list[str], fragment: str) -> None:
    with pytest.raises(CommandError, match=fragment):
        command_output("--json", *arguments)


def test_command_bad_date(stats: Any) -> None:
    with pytest.raises(CommandError, match="2026/8/31"):
        out = StringIO()
        call_command("stats", "--year", "2026", "--as-of", "2026/8/31", stdout=out)
