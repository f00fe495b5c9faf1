"""Groundbreaking batches through the services: who creates and changes them, which plan
entries may join (new starts of the batch's year in its region, in one batch at most), the
candidates, the totals and the started share; every refusal writes nothing."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tiaodu.campaigns import selectors, services
from tiaodu.campaigns.models import BatchEntry, GroundbreakingBatch
from tiaodu.campaigns.permissions import may_create_batch, may_edit_batch, reads_batches
from tiaodu.campaigns.tests.conftest import SPRING
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.testing import assert_nothing_written, who_passes

UNCHANGED = (GroundbreakingBatch, BatchEntry, AuditEvent)


def names(plans: Any) -> list[str]:
    return [plan.project.name for plan in plans]


def test_who_reads_creates_and_edits(world: Any, spring: GroundbreakingBatch) -> None:
    assert who_passes(world, reads_batches) == {"alice", "dora", "lena"}
    assert who_passes(world, may_create_batch) == {"alice", "dora"}
    assert who_passes(world, lambda user: may_edit_batch(user, spring)) == {"alice", "dora"}


def test_each_persona_sees_the_batches_of_its_region(
    world: Any, spring: GroundbreakingBatch
) -> None:
    laoshan = services.create_batch(
        actor=world.alice, name="崂山区秋季集中开工", date=dt.date(2026, 9, 28), place="",
        region=world.laoshan,
    )  # fmt: skip
    seen = {
        name: sorted(batch.name for batch in selectors.batches_visible_to(world.users[name]))
        for name in ("alice", "dora", "lena", "leo", "rita", "bob", "hank", "sam", "auditor")
    }
    assert seen == {
        "alice": sorted([spring.name, laoshan.name]),
        "dora": [spring.name],
        "lena": [laoshan.name],
        "leo": [],
        "rita": [],
        "bob": [],
        "hank": [],
        "sam": [],
        "auditor": [],
    }


def test_creating_a_batch_is_audited(world: Any) -> None:
    batch = services.create_batch(
        actor=world.dora, name="  秋季集中开工 ", date=dt.date(2026, 10, 8), place="",
        region=world.huangdao,
    )  # fmt: skip
    assert (batch.name, batch.year, batch.region) == ("秋季集中开工", 2026, world.huangdao)
    event = AuditEvent.objects.get(object_type="campaigns.groundbreakingbatch")
    assert (event.action, event.actor_name) == (AuditAction.CREATE, "dora")
    assert event.changes["name"] == ["", "秋季集中开工"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": " "}, "请填写批次名称"),
        ({"name": "批" * 101}, "名称不超过 100 个字"),
        ({"date": None}, "请按 YYYY-MM-DD 填写开工日期"),
        ({"region": None}, "请选择批次汇集项目的区域"),
    ],
)
def test_bad_batch_input_is_refused(world: Any, fields: dict[str, Any], message: str) -> None:
    arguments = {
        "name": "秋季集中开工", "date": dt.date(2026, 10, 8), "place": "", "region": world.huangdao,
        **fields,
    }  # fmt: skip
    with assert_nothing_written(*UNCHANGED), pytest.raises(ValidationError) as raised:
        services.create_batch(actor=world.dora, **arguments)
    assert message in " ".join(raised.value.messages)


def test_a_district_creates_no_batch_outside_its_region(world: Any) -> None:
    for actor, region in [(world.dora, world.laoshan), (world.dora, world.city), (world.lena, world.laoshan), (world.rita, world.huangdao)]:  # fmt: skip
        with assert_nothing_written(*UNCHANGED), pytest.raises(PermissionDenied) as raised:
            services.create_batch(
                actor=actor, name="集中开工", date=dt.date(2026, 10, 8), place="", region=region
            )
        assert str(raised.value) == "调度员只能在本区域内创建集中开工批次。"


def test_the_batch_figures_after_its_date(world: Any, spring: GroundbreakingBatch) -> None:
    assert names(selectors.batch_plans(spring)) == ["黄岛新能源产业园", "黄岛港区集装箱码头三期"]
    before = selectors.batch_figures(spring, today=dt.date(2026, 4, 9))
    assert (before.count, before.total_investment, before.annual_plan) == (
        2, Decimal("60000.00"), Decimal("10000.00"),
    )  # fmt: skip
    assert (before.after_date, before.started_rate, before.not_started) == (False, None, [])
    after = selectors.batch_figures(spring, today=SPRING)
    assert (after.after_date, after.started, after.started_rate) == (True, 1, "50.00")
    assert after.not_started == [world.plans["p7"].pk]


def test_the_candidates_are_new_starts_of_the_region_near_the_date_in_no_batch(
    world: Any, spring: GroundbreakingBatch
) -> None:
    autumn = services.create_batch(
        actor=world.dora, name="秋季集中开工", date=dt.date(2026, 8, 20), place="",
        region=world.huangdao,
    )  # fmt: skip
    assert names(selectors.candidates(autumn, days=30)) == ["黄岛海洋牧场"]
    assert names(selectors.candidates(autumn, days=11)) == []
    # p1 and p7 are in the spring batch; p2 and p6 of 黄岛区 are continuing, p3 and p5
    # lie in other districts.
    assert names(selectors.candidates(autumn, days=366)) == ["黄岛海洋牧场"]
    services.remove_entry(actor=world.dora, batch=spring, plan=world.plans["p1"])
    assert names(selectors.candidates(autumn, days=366)) == [
        "黄岛港区集装箱码头三期",
        "黄岛海洋牧场",
    ]


def test_adding_and_removing_entries_is_audited(world: Any, spring: GroundbreakingBatch) -> None:
    services.add_entries(actor=world.alice, batch=spring, plans=[world.plans["p8"]])
    assert spring.entries.count() == 3
    services.remove_entry(actor=world.dora, batch=spring, plan=world.plans["p8"])
    events = AuditEvent.objects.filter(object_type="campaigns.batchentry", parent_id=str(spring.pk))
    assert [(event.action, event.actor_name) for event in events.order_by("pk")] == [
        (AuditAction.CREATE, "dora"),
        (AuditAction.CREATE, "dora"),
        (AuditAction.CREATE, "alice"),
        (AuditAction.DELETE, "dora"),
    ]
    assert names(selectors.batch_plans(spring)) == ["黄岛新能源产业园", "黄岛港区集装箱码头三期"]


def test_entries_that_cannot_join_are_refused_with_their_names(
    world: Any, spring: GroundbreakingBatch
) -> None:
    autumn = services.create_batch(
        actor=world.alice, name="秋季集中开工", date=dt.date(2026, 10, 8), place="",
        region=world.huangdao,
    )  # fmt: skip
    cases = [
        ([world.plans["p6"]], "“港湾物流园仓储中心”本年不是新开工项目，只有新开工项目可纳入集中开工批次。"),
        ([world.plans["p3"]], "“崂山科创园一期”不在本批次的区域黄岛区内。"),
        ([world.plans["p7"]], "“黄岛新能源产业园”已在批次“2026年春季集中开工”中。"),
        # One bad entry keeps the good one out too.
        ([world.plans["p8"], world.plans["p6"]], "“港湾物流园仓储中心”本年不是新开工项目"),
        ([], "请勾选要纳入批次的项目。"),
    ]  # fmt: skip
    for plans, message in cases:
        with assert_nothing_written(*UNCHANGED), pytest.raises(ValidationError) as raised:
            services.add_entries(actor=world.dora, batch=autumn, plans=plans)
        assert message in " ".join(raised.value.messages)


def test_an_entry_of_another_year_is_refused(world: Any, spring: GroundbreakingBatch) -> None:
    later = services.create_batch(
        actor=world.dora, name="2027年春季集中开工", date=dt.date(2027, 4, 8), place="",
        region=world.huangdao,
    )  # fmt: skip
    with assert_nothing_written(*UNCHANGED), pytest.raises(ValidationError) as raised:
        services.add_entries(actor=world.dora, batch=later, plans=[world.plans["p8"]])
    assert raised.value.messages == ["“黄岛海洋牧场”：其计划条目属于 2026 年，本批次属于 2027 年。"]


def test_only_the_regions_dispatchers_change_a_batch(
    world: Any, spring: GroundbreakingBatch
) -> None:
    for name in ("lena", "leo", "rita", "bob", "hank", "sam", "sysadmin"):
        actor = world.users[name]
        with assert_nothing_written(*UNCHANGED), pytest.raises(PermissionDenied):
            services.add_entries(actor=actor, batch=spring, plans=[world.plans["p8"]])
        with assert_nothing_written(*UNCHANGED), pytest.raises(PermissionDenied):
            services.remove_entry(actor=actor, batch=spring, plan=world.plans["p1"])
        with assert_nothing_written(*UNCHANGED), pytest.raises(PermissionDenied):
            services.delete_batch(actor=actor, batch=spring)


def test_updating_keeps_the_projects_in_the_batch(world: Any, spring: GroundbreakingBatch) -> None:
    arguments = {"name": spring.name, "place": "新址", "region": world.huangdao}
    with assert_nothing_written(*UNCHANGED), pytest.raises(ValidationError) as raised:
        services.update_batch(actor=world.dora, batch=spring, date=dt.date(2027, 1, 5), **arguments)
    assert "本批次包含 2026 年的项目" in " ".join(raised.value.messages)
    services.update_batch(actor=world.dora, batch=spring, date=dt.date(2026, 4, 12), **arguments)
    spring.refresh_from_db()
    assert (spring.date, spring.place) == (dt.date(2026, 4, 12), "新址")
    event = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="campaigns.groundbreakingbatch"
    ).get()
    assert event.changes == {
        "date": ["2026-04-10", "2026-04-12"],
        "place": ["黄岛区新能源产业园", "新址"],
    }


def test_the_project_page_reach(world: Any, spring: GroundbreakingBatch) -> None:
    project = world.projects["p1"]
    reached = who_passes(world, lambda user: bool(selectors.project_batch_entries(user, project)))
    # The owner unit's reporter and the assigned leader reach it through the project.
    assert reached == {"alice", "dora", "rita", "leo"}
