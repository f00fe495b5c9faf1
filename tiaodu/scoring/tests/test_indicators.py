"""Qingdao's three indicators per district against the targets the site's dispatcher sets:
the period's edges, attainment, the overall rank and its movement, each reader's districts,
and `targets.set_district_target` with its refusals (nothing written)."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.projects import services as project_services
from tiaodu.scoring import targets
from tiaodu.scoring.indicators import IndicatorRow, indicators
from tiaodu.scoring.models import DistrictTarget
from tiaodu.testing import assert_nothing_written


def dates(world: Any) -> None:
    """Up to 30 June 2026, 黄岛区: p1 (new start) started 10 March and included 2 May; p2
    (continuing) included 1 January and completed 30 June; p6 (continuing) started 1
    February, which is no new start. 崂山区: p3 (new start) starts 1 July, p4 completes 1
    July. 市南区: p5 (new start) started on the last day of 2025."""
    alice = world.alice
    changes = {
        "p1": {"actual_start": dt.date(2026, 3, 10), "statistics_inclusion": dt.date(2026, 5, 2)},
        "p2": {
            "actual_start": dt.date(2025, 1, 1),
            "statistics_inclusion": dt.date(2026, 1, 1),
            "actual_completion": dt.date(2026, 6, 30),
        },
        "p6": {"actual_start": dt.date(2026, 2, 1)},
        "p3": {"actual_start": dt.date(2026, 7, 1)},
        "p4": {"actual_start": dt.date(2025, 3, 1), "actual_completion": dt.date(2026, 7, 1)},
        "p5": {"actual_start": dt.date(2025, 12, 31)},
    }
    for key, fields in changes.items():
        project_services.update_project(actor=alice, project=world.projects[key], **fields)


def set_targets(world: Any) -> None:
    shinan = world.projects["p5"].region
    for region, values in (
        (world.huangdao, (2, 4, 1)),
        (world.laoshan, (1, 1, 1)),
        (shinan, (1, 0, 0)),
    ):
        targets.set_district_target(
            world.alice,
            region,
            2026,
            new_starts=values[0],
            inclusions=values[1],
            completions=values[2],
        )


def summary(rows: list[IndicatorRow]) -> list[tuple[Any, ...]]:
    return [
        (row.rank, row.name, row.actuals, row.attainments, row.overall, row.movement_text)
        for row in rows
    ]


def pct(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def test_the_indicators_up_to_the_end_of_june(world: Any) -> None:
    dates(world)
    set_targets(world)
    assessed = indicators(actor=world.alice, year=2026, month=6)
    assert (assessed.start, assessed.end) == (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert summary(assessed.rows[:3]) == [
        (
            1,
            "黄岛区",
            {"new_starts": 1, "inclusions": 2, "completions": 1},
            {"new_starts": pct("50.0"), "inclusions": pct("50.0"), "completions": pct("100.0")},
            Decimal("66.7"),
            "—",  # first at the end of May too (33.3%)
        ),
        # 0.0 each; 崂山区 before 市南区 by name. 市南区 has targets of 0: not attained, none.
        (
            2,
            "崂山区",
            {"new_starts": 0, "inclusions": 0, "completions": 0},
            {"new_starts": pct("0.0"), "inclusions": pct("0.0"), "completions": pct("0.0")},
            Decimal("0.0"),
            "—",
        ),
        (
            3,
            "市南区",
            {"new_starts": 0, "inclusions": 0, "completions": 0},
            {"new_starts": pct("0.0"), "inclusions": None, "completions": None},
            Decimal("0.0"),
            "—",
        ),
    ]
    # The other districts of the city have no targets: listed after, not ranked.
    rest = assessed.rows[3:]
    assert rest and {row.rank for row in rest} == {None}
    assert {row.overall for row in rest} == {None}
    assert len(assessed.rows) == 10


def test_july_moves_laoshan_up(world: Any) -> None:
    dates(world)
    set_targets(world)
    assessed = indicators(actor=world.alice, year=2026, month=7)
    top = [(row.rank, row.name, row.overall, row.movement_text) for row in assessed.rows[:3]]
    # 崂山: p3 started 1 July (100%), p4 completed 1 July (100%), inclusions 0% → 66.7, as
    # 黄岛; equal overall attainment goes by name.
    assert top == [
        (1, "崂山区", Decimal("66.7"), "↑1"),
        (2, "黄岛区", Decimal("66.7"), "↓1"),
        (3, "市南区", Decimal("0.0"), "—"),
    ]


def test_january_has_no_movement(world: Any) -> None:
    dates(world)
    set_targets(world)
    project_services.update_project(
        actor=world.alice, project=world.projects["p3"], actual_start=dt.date(2026, 1, 5)
    )
    assessed = indicators(actor=world.alice, year=2026, month=1)
    top = [
        (row.rank, row.name, row.overall, row.movement, row.movement_text)
        for row in assessed.rows[:2]
    ]
    # 崂山: p3 started 5 January (100%); 黄岛: p2 included 1 January (25%).
    assert top == [
        (1, "崂山区", Decimal("33.3"), None, ""),
        (2, "黄岛区", Decimal("8.3"), None, ""),
    ]


@pytest.mark.parametrize(
    ("persona", "districts"),
    [
        ("dora", ["黄岛区"]),
        ("lena", ["崂山区"]),
        ("leo", []),  # a leader of assigned projects holds no whole district
        ("rita", []),
        ("hank", []),
        ("sysadmin", []),
    ],
)
def test_each_reader_sees_the_districts_of_its_scope(
    world: Any, persona: str, districts: list[str]
) -> None:
    dates(world)
    set_targets(world)
    assessed = indicators(actor=getattr(world, persona), year=2026, month=6)
    assert [row.name for row in assessed.rows] == districts


def test_the_dispatcher_of_huangdao_gets_the_same_figures(world: Any) -> None:
    dates(world)
    set_targets(world)
    (row,) = indicators(actor=world.dora, year=2026, month=6).rows
    assert (row.rank, row.actuals, row.overall) == (
        1,
        {"new_starts": 1, "inclusions": 2, "completions": 1},
        Decimal("66.7"),
    )


def test_setting_a_target_creates_then_updates_and_is_audited(world: Any) -> None:
    target = targets.set_district_target(
        world.alice, world.huangdao, 2026, new_starts="3", inclusions=2, completions=1
    )
    assert (target.new_starts, target.inclusions, target.completions, target.set_by) == (
        3,
        2,
        1,
        world.alice,
    )
    again = targets.set_district_target(
        world.alice, world.huangdao, 2026, new_starts=5, inclusions=2, completions=1
    )
    assert again.pk == target.pk and again.new_starts == 5
    events = AuditEvent.objects.filter(object_type="scoring.districttarget").order_by("pk")
    assert [(event.action, event.changes.get("new_starts")) for event in events] == [
        (AuditAction.CREATE, ["", "3"]),
        (AuditAction.UPDATE, ["3", "5"]),
    ]
    # The same figures again change nothing and write no event.
    targets.set_district_target(
        world.alice, world.huangdao, 2026, new_starts=5, inclusions=2, completions=1
    )
    assert events.count() == 2


@pytest.mark.parametrize("persona", ["dora", "lena", "leo", "rita", "hank", "sysadmin"])
def test_only_the_site_dispatcher_sets_targets(world: Any, persona: str) -> None:
    with assert_nothing_written(DistrictTarget, AuditEvent), pytest.raises(PermissionDenied):
        targets.set_district_target(
            getattr(world, persona), world.huangdao, 2026, new_starts=1, inclusions=1, completions=1
        )


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"new_starts": "-1"}, "新开工：请填写项目个数（0 或正整数）。"),
        ({"inclusions": "两个"}, "新入统：请填写项目个数（0 或正整数）。"),
        ({"completions": ""}, "竣工：请填写项目个数（0 或正整数）。"),
        ({"completions": "1.5"}, "竣工：请填写项目个数（0 或正整数）。"),
        ({"completions": "²"}, "竣工：请填写项目个数（0 或正整数）。"),
        ({"new_starts": 100_001}, "新开工：最多 100000 个项目。"),
    ],
)
def test_bad_figures_are_refused_with_a_message(
    world: Any, values: dict[str, Any], message: str
) -> None:
    figures: dict[str, Any] = {"new_starts": 1, "inclusions": 1, "completions": 1, **values}
    with assert_nothing_written(DistrictTarget, AuditEvent), pytest.raises(ValidationError) as got:
        targets.set_district_target(world.alice, world.huangdao, 2026, **figures)
    assert got.value.messages == [message]


def test_a_target_is_for_a_district_and_a_plan_year(world: Any) -> None:
    figures = {"new_starts": 1, "inclusions": 1, "completions": 1}
    with assert_nothing_written(DistrictTarget, AuditEvent):
        for region in (world.city, world.unit_a):
            with pytest.raises(ValidationError, match="不是区（市）"):
                targets.set_district_target(world.alice, region, 2026, **figures)
        with pytest.raises(ValidationError, match="2000 至 2100"):
            targets.set_district_target(world.alice, world.huangdao, 1999, **figures)
