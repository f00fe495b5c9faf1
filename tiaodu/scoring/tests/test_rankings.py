"""The month's rankings on hand-made cards: the stated order (average score, then fewer red,
fewer yellow, name), the final colour after an appeal, the movement since the month before,
the evidence share, each reader's scope, and `manage.py rankings --json`."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tiaodu.accounts import services as account_services
from tiaodu.projects import services as project_services
from tiaodu.scoring.models import Card, RuleSet
from tiaodu.scoring.rankings import RankRow, order_key, rankings

MAY = dt.date(2026, 5, 1)
JUNE = dt.date(2026, 6, 1)


def card(
    world: Any,
    key: str,
    colour: str,
    score: str,
    *,
    month: dt.date = JUNE,
    revised: str = "",
    evidence: str = "ledger",
) -> Card:
    """A card written directly, with the score, colour and evidence the test states."""
    plan = world.plans[key]
    return Card.objects.create(
        plan=plan,
        project=plan.project,
        month=month,
        rule_set=RuleSet.objects.get(version=1),
        colour=colour,
        revised_colour=revised,
        score=Decimal(score),
        evidence=evidence,
        computed_at=dt.datetime(2026, 7, 20, 9, tzinfo=dt.UTC),
    )


def june(world: Any) -> None:
    """黄岛区: p1 blue 90 (visit), p2 blue 70 (photos), p6 red 50 (ledger): average 70.0,
    1 red. 崂山区: p3 yellow 80 (report), p4 yellow 60 (ledger): average 70.0, 0 red, 2
    yellow. 市南区: p5 blue 40 (no source recorded)."""
    card(world, "p1", "blue", "90", evidence="visit")
    card(world, "p2", "blue", "70", evidence="photos")
    card(world, "p6", "red", "50", evidence="ledger")
    card(world, "p3", "yellow", "80", evidence="report")
    card(world, "p4", "yellow", "60", evidence="ledger")
    card(world, "p5", "blue", "40", evidence="")


def table(rows: list[RankRow]) -> list[tuple[int, str, int, str]]:
    return [(row.rank, row.name, row.cards, str(row.average_score)) for row in rows]


def test_regions_are_ranked_on_the_average_then_fewer_red_cards(world: Any) -> None:
    june(world)
    ranked = rankings(actor=world.alice, month=JUNE)
    # 黄岛 and 崂山 both average 70.0: 崂山 has no red card and comes first.
    assert table(ranked.regions) == [
        (1, "崂山区", 2, "70.0"),
        (2, "黄岛区", 3, "70.0"),
        (3, "市南区", 1, "40.0"),
    ]
    laoshan, huangdao, shinan = ranked.regions
    assert (huangdao.blue, huangdao.yellow, huangdao.red) == (2, 0, 1)
    assert (laoshan.blue, laoshan.yellow, laoshan.red) == (0, 2, 0)
    # Evidenced: visit and photos of 黄岛's three cards; nothing of 崂山's.
    assert huangdao.evidenced_share == Decimal("0.667")
    assert huangdao.evidence == {"visit": 1, "photos": 1, "report": 0, "ledger": 1, "none": 0}
    assert laoshan.evidenced_share == Decimal("0.000")
    assert laoshan.evidence == {"visit": 0, "photos": 0, "report": 1, "ledger": 1, "none": 0}
    assert shinan.evidence["none"] == 1
    # No month before: every row is new.
    assert [row.movement_text for row in ranked.regions] == ["新上榜", "新上榜", "新上榜"]


def test_a_revised_colour_changes_the_ranking(world: Any) -> None:
    june(world)
    red = Card.objects.get(project=world.projects["p6"], month=JUNE)
    red.revised_colour = "blue"
    red.save()
    ranked = rankings(actor=world.alice, month=JUNE)
    # Revised to blue on appeal: 黄岛 has no red and no yellow card, 崂山 two yellow ones.
    assert table(ranked.regions)[:2] == [(1, "黄岛区", 3, "70.0"), (2, "崂山区", 2, "70.0")]
    assert (ranked.regions[0].blue, ranked.regions[0].red) == (3, 0)


def test_ties_are_broken_by_fewer_yellow_cards_then_by_name() -> None:
    rows = [
        RankRow(key=1, name="乙区", cards=2, blue=1, yellow=1, score_total=Decimal("160")),
        RankRow(key=2, name="甲区", cards=2, blue=2, score_total=Decimal("160")),
        RankRow(key=3, name="丙区", cards=2, blue=2, score_total=Decimal("160")),
        RankRow(key=4, name="丁区", cards=1, red=1, score_total=Decimal("80.04")),
    ]
    ordered = sorted(rows, key=order_key)
    # 80.0 each; 丁区 has a red card, 乙区 a yellow one; 丙区 and 甲区 by name.
    assert [row.name for row in ordered] == ["丙区", "甲区", "乙区", "丁区"]


def test_movement_since_the_month_before(world: Any) -> None:
    # May: 黄岛 first (85), 崂山 second (60); 市南 had no card.
    card(world, "p1", "blue", "85", month=MAY)
    card(world, "p3", "yellow", "60", month=MAY)
    june(world)
    ranked = rankings(actor=world.alice, month=JUNE)
    assert [(row.name, row.rank, row.movement, row.movement_text) for row in ranked.regions] == [
        ("崂山区", 1, 1, "↑1"),
        ("黄岛区", 2, -1, "↓1"),
        ("市南区", 3, None, "新上榜"),
    ]


def test_departments_and_leaders(world: Any) -> None:
    june(world)
    leo = world.projects["p1"].municipal_leader
    # 李利 is both leaders of p1 (one card), and sponsoring leader of p3.
    project_services.update_project(
        actor=world.alice, project=world.projects["p1"], sponsoring_leader=leo
    )
    zhou = account_services.create_person(actor=None, name="周正", title="区长")
    project_services.update_project(
        actor=world.alice, project=world.projects["p3"], sponsoring_leader=leo
    )
    project_services.update_project(
        actor=world.alice, project=world.projects["p4"], sponsoring_leader=zhou
    )
    ranked = rankings(actor=world.alice, month=JUNE)
    assert table(ranked.departments) == [(1, "青岛市住房和城乡建设局", 1, "70.0")]
    # 李利: p1 90 and p3 80 → 85.0; 周正: p4 60.
    assert table(ranked.leaders) == [
        (1, "李利（副市长）", 2, "85.0"),
        (2, "周正（区长）", 1, "60.0"),
    ]


@pytest.mark.parametrize(
    ("persona", "regions"),
    [
        ("alice", ["崂山区", "黄岛区", "市南区"]),
        ("dora", ["黄岛区"]),  # district dispatcher of 黄岛区
        ("lena", ["崂山区"]),  # leader of 崂山区
        ("leo", ["黄岛区"]),  # leader of p1 only
        ("rita", ["黄岛区"]),  # reporter of unit A: p1 and p6 (the pages refuse her)
        ("sysadmin", []),
        ("auditor", []),
    ],
)
def test_each_reader_ranks_the_cards_of_its_scope(world: Any, persona: str, regions: list) -> None:
    june(world)
    ranked = rankings(actor=getattr(world, persona), month=JUNE)
    assert [row.name for row in ranked.regions] == regions


def test_leo_sees_one_card_of_huangdao(world: Any) -> None:
    june(world)
    (row,) = rankings(actor=world.leo, month=JUNE).regions
    assert (row.cards, row.average_score, row.evidenced_share) == (
        1,
        Decimal("90.0"),
        Decimal("1.000"),
    )


def test_the_command_prints_the_json(world: Any) -> None:
    card(world, "p1", "blue", "85", month=MAY)
    card(world, "p3", "yellow", "60", month=MAY)
    june(world)
    out = StringIO()
    call_command("rankings", "--month", "2026-06", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert list(data) == ["month", "regions", "departments", "leaders", "indicators"]
    assert data["month"] == "2026-06"
    assert data["regions"][0] == {
        "rank": 1,
        "movement": 1,
        "movement_text": "↑1",
        "name": "崂山区",
        "cards": 2,
        "blue": 0,
        "yellow": 2,
        "red": 0,
        "average_score": 70.0,
        "evidenced_share": 0.0,
        "evidence": {"visit": 0, "photos": 0, "report": 1, "ledger": 1, "none": 0},
        "new_inclusions": 0,
    }
    assert [row["name"] for row in data["regions"]] == ["崂山区", "黄岛区", "市南区"]
    assert data["regions"][1]["evidenced_share"] == 0.667
    assert data["departments"][0]["name"] == "青岛市住房和城乡建设局"
    assert [row["name"] for row in data["leaders"]] == ["李利（副市长）"]
    # Every district of the city, none with a target: none ranked.
    assert {row["rank"] for row in data["indicators"]} == {None}
    assert "黄岛区" in [row["name"] for row in data["indicators"]]
    # Written in Chinese, not escaped.
    assert "崂山区" in out.getvalue()


def test_the_command_as_a_reader_and_its_refusals(world: Any) -> None:
    june(world)
    out = StringIO()
    call_command("rankings", "--month", "2026-06", "--json", "--actor", "dora", stdout=out)
    data = json.loads(out.getvalue())
    assert [row["name"] for row in data["regions"]] == ["黄岛区"]
    assert [row["name"] for row in data["indicators"]] == ["黄岛区"]
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("rankings", "--month", "June", stdout=StringIO())
    with pytest.raises(CommandError, match="nobody"):
        call_command("rankings", "--month", "2026-06", "--actor", "nobody", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("rankings", "--month", "2026-06", "--actor", "rita", stdout=StringIO())


def test_the_command_in_text(world: Any) -> None:
    june(world)
    out = StringIO()
    call_command("rankings", "--month", "2026-06", stdout=out)
    text = out.getvalue()
    assert "崂山区" in text and "70.0" in text and "66.7%" in text


def test_a_project_of_the_city_itself_is_the_city_level_row(world: Any) -> None:
    june(world)
    project = project_services.create_project(
        actor=world.alice,
        name="青岛市地铁六号线",
        region=world.city,
        total_investment=Decimal(90000),
        plan={"year": 2026, "nature": "continuing", "level": "municipal"},
    )
    world.plans["city"] = project.plans.get(year=2026)
    card(world, "city", "blue", "95", evidence="visit")
    ranked = rankings(actor=world.alice, month=JUNE)
    assert table(ranked.regions)[0] == (1, "青岛市（市本级）", 1, "95.0")
    # A district's dispatcher does not see it.
    assert "青岛市（市本级）" not in [
        row.name for row in rankings(actor=world.dora, month=JUNE).regions
    ]


def test_the_rankings_read_in_a_few_queries_whatever_the_cards(world: Any) -> None:
    """Per month: the top region, the cards in one query, then the names of the regions,
    units and people; the month's new inclusions in two more; the number of cards changes
    nothing."""
    # p1 has a leader, p2 a responsible unit: every kind of name is read.
    for key in ("p1", "p2"):
        card(world, key, "blue", "85", month=MAY)
        card(world, key, "blue", "85")
    with CaptureQueriesContext(connection) as few:
        rankings(actor=world.alice, month=JUNE)
    Card.objects.filter(month=JUNE).delete()
    june(world)
    for key in ("p3", "p4", "p5", "p6"):
        card(world, key, "blue", "85", month=MAY)
    with CaptureQueriesContext(connection) as many:
        ranked = rankings(actor=world.alice, month=JUNE)
    assert len(ranked.regions) == 3
    assert len(many) == len(few) <= 12
