"""A month's cards in their JSON form: `manage.py cards --month --json [--detail]` and
`GET /api/v1/cards` give the same objects (`scoring.serialise`), the counts by final
colour, each reader's own cards only, and bad parameters named in the reader's language."""

import datetime as dt
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tiaodu.accounts.tokens import issue_api_token
from tiaodu.core import clock
from tiaodu.scoring import services
from tiaodu.scoring.models import Card
from tiaodu.scoring.selectors import cards_visible_to
from tiaodu.scoring.tests.test_compute import AFTER, JUNE, ledger
from tiaodu.testing import PASSWORD, PERSONAS, assert_nothing_written

URL = "/api/v1/cards"
DETAIL_KEYS = ["code", "name", "region", "colour", "score", "dimensions", "restore"]
DIMENSIONS = ["investment", "start", "statistics", "reporting"]


@pytest.fixture
def june(world: Any) -> Any:
    """June computed on the ledger of test_compute: p1, p2 blue; p4 yellow; p3, p5, p6 red.
    Then p6's card revised to yellow on appeal."""
    ledger(world)
    with clock.frozen(AFTER):
        services.compute_cards(actor=None, month=JUNE)
    Card.objects.filter(plan=world.plans["p6"], month=JUNE).update(revised_colour="yellow")
    return world


def command(*arguments: str) -> list[str]:
    out = StringIO()
    call_command("cards", *arguments, stdout=out)
    return out.getvalue().splitlines()


def api_get(client: Any, user: Any, **params: str) -> Any:
    client.login(username=user.username, password=PASSWORD)
    return client.get(URL, params)


def test_the_command_prints_the_counts_by_final_colour(june: Any) -> None:
    (line,) = command("--month", "2026-06", "--json")
    assert json.loads(line) == {
        "month": "2026-06",
        "blue": 2,
        "yellow": 2,  # p4, and p6 revised from red
        "red": 2,
        "none": 0,
    }


def test_a_month_not_computed_has_every_entry_without_a_card(june: Any) -> None:
    (line,) = command("--month", "2026-07", "--json")
    assert json.loads(line) == {"month": "2026-07", "blue": 0, "yellow": 0, "red": 0, "none": 6}


def test_the_detail_one_object_per_card_worst_first(june: Any) -> None:
    head, *lines = command("--month", "2026-06", "--json", "--detail")
    assert json.loads(head)["red"] == 2
    cards = [json.loads(line) for line in lines]
    assert len(cards) == 6
    assert [card["colour"] for card in cards] == ["red", "red", "yellow", "yellow", "blue", "blue"]
    by_name = {card["name"]: card for card in cards}
    p3 = by_name[june.projects["p3"].name]
    assert list(p3) == DETAIL_KEYS
    assert list(p3["dimensions"]) == DIMENSIONS
    assert p3["region"] == june.projects["p3"].region.name
    assert p3["dimensions"]["start"]["colour"] == "red"
    assert p3["dimensions"]["investment"] == {
        "colour": "na",
        "reason": p3["dimensions"]["investment"]["reason"],
    }
    assert p3["restore"] and all(isinstance(text, str) for text in p3["restore"])
    assert by_name[june.projects["p6"].name]["colour"] == "yellow"  # the revised colour
    for card in cards:
        assert {part["colour"] for part in card["dimensions"].values()} <= {
            "blue",
            "yellow",
            "red",
            "na",
        }
        assert float(card["score"]) <= 100
    # Within a colour, the lower score first.
    reds = [float(card["score"]) for card in cards if card["colour"] == "red"]
    assert reds == sorted(reds)


def test_the_command_filters_and_speaks_words(june: Any) -> None:
    head, *lines = command("--month", "2026-06", "--json", "--detail", "--colour", "red")
    assert json.loads(head)["blue"] == 2  # the counts are of every colour
    assert len(lines) == 2
    (line,) = command("--month", "2026-06", "--json", "--region", "370211")
    assert json.loads(line) == {"month": "2026-06", "blue": 2, "yellow": 1, "red": 0, "none": 0}
    text = command("--month", "2026-06", "--detail")
    assert text[0].startswith("2026-06")
    assert len(text) == 7


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--month", "2026-13"], "YYYY-MM"),
        (["--month", "2026-06", "--region", "999999"], "999999"),
        (["--month", "2026-06", "--level", "national"], "national"),
        (["--month", "2026-06", "--list", "省重点"], "省重点"),
        (["--month", "2026-06", "--colour", "green"], "green"),
    ],
)
def test_the_command_names_a_bad_parameter(june: Any, arguments: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        command(*arguments)


def test_the_api_gives_the_commands_objects(client: Any, june: Any) -> None:
    response = api_get(client, june.alice, month="2026-06")
    assert response.status_code == 200
    body = response.json()
    _head, *lines = command("--month", "2026-06", "--json", "--detail")
    assert body["next_cursor"] is None
    assert body["items"] == [json.loads(line) for line in lines]


def test_the_api_defaults_to_the_latest_month_and_pages(client: Any, june: Any) -> None:
    first = api_get(client, june.alice, limit="2").json()
    body = api_get(client, june.alice, limit="2", cursor=first["next_cursor"]).json()
    assert [card["colour"] for card in body["items"]] == ["yellow", "yellow"]
    last = api_get(client, june.alice, limit="2", cursor=body["next_cursor"]).json()
    assert (len(last["items"]), last["next_cursor"]) == (2, None)


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"region": "370212"}, ["p3", "p4"]),
        ({"colour": "red"}, ["p3", "p5"]),
        ({"colour": "yellow", "region": "370211"}, ["p6"]),
        ({"list": "市重点项目"}, ["p1", "p2", "p3"]),
        ({"level": "county"}, []),
    ],
)
def test_the_api_filters(client: Any, june: Any, params: dict[str, str], names: list[str]) -> None:
    body = api_get(client, june.alice, month="2026-06", **params).json()
    assert sorted(card["name"] for card in body["items"]) == sorted(
        june.projects[key].name for key in names
    )


def test_each_reader_sees_only_their_cards(client: Any, june: Any) -> None:
    seen: dict[str, int | None] = {}
    for name in PERSONAS:
        user = getattr(june, name)
        response = api_get(client, user, month="2026-06")
        if response.status_code == 404:
            seen[name] = None
            continue
        assert response.status_code == 200, name
        names = {card["name"] for card in response.json()["items"]}
        expected = set(
            cards_visible_to(user).filter(month=JUNE).values_list("project__name", flat=True)
        )
        assert names == expected, name
        seen[name] = len(names)
    assert seen["alice"] == 6
    assert seen["dora"] == 3  # 黄岛区: p1, p2, p6
    assert seen["sysadmin"] is seen["secadmin"] is seen["auditor"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"month": "June"}, "month"),
        ({"month": "2026-06", "region": "999999"}, "region"),
        ({"month": "2026-06", "level": "national"}, "level"),
        ({"month": "2026-06", "list": "省重点"}, "list"),
        ({"month": "2026-06", "colour": "green"}, "colour"),
    ],
)
def test_the_api_names_a_bad_parameter(
    client: Any, june: Any, params: dict[str, str], field: str
) -> None:
    with assert_nothing_written():
        response = api_get(client, june.alice, **params)
    assert response.status_code == 422
    body = response.json()
    assert list(body["fields"]) == [field]
    assert body["detail"] and body["messages"]


def test_the_api_speaks_chinese(client: Any, june: Any) -> None:
    response = api_get(client, june.alice, month="2026-06", colour="green")
    assert response.json()["detail"] == "未知的卡片颜色“green”；请使用以下之一：blue, yellow, red。"


def test_the_api_asks_to_sign_in(client: Any, june: Any) -> None:
    assert client.get(URL, {"month": "2026-06"}).status_code == 401


def test_a_month_without_cards_lists_nothing(client: Any, june: Any) -> None:
    body = api_get(client, june.alice, month="2026-05").json()
    assert body == {"items": [], "next_cursor": None}
    Card.objects.all().delete()
    assert api_get(client, june.alice).json() == {"items": [], "next_cursor": None}


def test_month_is_the_first_day(june: Any) -> None:
    assert Card.objects.filter(month=dt.date(2026, 6, 1)).count() == 6


def test_the_openapi_schema_lists_the_cards(client: Any, world: Any) -> None:
    client.force_login(world.alice)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    operation = paths["/api/v1/cards"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} >= {
        "month",
        "region",
        "level",
        "list",
        "colour",
        "limit",
        "cursor",
    }


def test_an_app_reads_its_cards_with_a_token(client: Any, june: Any) -> None:
    """A district's app, with a bearer token and no session: the district's cards only."""
    _token, raw = issue_api_token(actor=june.dora, user=june.dora, name="手机App")
    response = client.get(URL, {"month": "2026-06"}, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert sorted(card["name"] for card in response.json()["items"]) == sorted(
        june.projects[key].name for key in ("p1", "p2", "p6")
    )
