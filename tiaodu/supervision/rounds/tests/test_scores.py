"""The ranking and the regional averages of a round, from visits already read in scope."""

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from tiaodu.supervision.rounds.scores import average, ranking, region_averages


def visit(name: str, score: str | None, region: str = "黄岛区", path: str = "/1/2/") -> Any:
    project = SimpleNamespace(name=name, region=SimpleNamespace(name=region, path=path))
    return SimpleNamespace(project=project, score=None if score is None else Decimal(score))


def test_equal_scores_share_a_place_and_unscored_visits_are_left_out():
    visits = [visit("丙", "81.5"), visit("甲", "92"), visit("乙", "81.5"), visit("丁", "75"),
              visit("戊", None)]  # fmt: skip
    assert [(r.rank, r.visit.project.name) for r in ranking(visits)] == [
        (1, "甲"), (2, "丙"), (2, "乙"), (4, "丁")
    ]  # fmt: skip


def test_averages_per_region_best_first_half_up():
    visits = [
        visit("甲", "80.5"), visit("乙", "81"), visit("丙", None),
        visit("丁", "90", "崂山区", "/1/3/"), visit("戊", None, "市南区", "/1/4/"),
    ]  # fmt: skip
    rows = [
        (r.region, r.visited, r.scored, r.average, r.highest, r.lowest)
        for r in region_averages(visits)
    ]
    assert rows == [
        ("崂山区", 1, 1, Decimal("90.00"), Decimal("90"), Decimal("90")),
        ("黄岛区", 3, 2, Decimal("80.75"), Decimal("81"), Decimal("80.5")),
        ("市南区", 1, 0, None, None, None),
    ]
    assert average([Decimal("1"), Decimal("2"), Decimal("2")]) == Decimal("1.67")
    assert average([]) is None
