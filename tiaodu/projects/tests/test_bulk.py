"""core.bulk.insert, which the ledger import writes with, stores projects exactly as save()
would, with ids no other insert reuses."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.accounts.models import OrgUnit
from tiaodu.core import bulk
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.projects.models import AnnualPlan, Project

pytestmark = pytest.mark.django_db(transaction=True)


def _project(region: OrgUnit, owner: OrgUnit, name: str) -> Project:
    return Project(
        name=name,
        region=region,
        owner_unit=owner,
        total_investment=Decimal("12345.67"),
        actual_start=dt.date(2026, 4, 8),
        construction_content="建设内容",
    )


def test_values_ids_and_relations_as_save_stores_them(world: Any) -> None:
    region = world.huangdao
    owner = OrgUnit(name="青岛新建设有限公司", kind=OrgUnitKind.OWNER_UNIT, parent=region)
    projects = [_project(region, owner, f"新项目{index}") for index in range(3)]
    with transaction.atomic():
        # The owner unit gets its id after the projects were given it, as in an import.
        bulk.insert(OrgUnit, [owner])
        bulk.insert(Project, projects)
        plans = [
            AnnualPlan(project=project, year=2026, nature="new_start", level="municipal")
            for project in projects
        ]
        bulk.insert(AnnualPlan, plans)
        bulk.insert(
            AuditEvent,
            [
                AuditEvent(
                    action=AuditAction.CREATE,
                    object_type="bulk.test",
                    object_id=str(projects[0].pk),
                    changes={"名称": ["", "新项目0"]},
                )
            ],
        )
    assert len({project.pk for project in projects}) == 3
    stored = Project.objects.get(pk=projects[0].pk)
    assert stored.name == "新项目0"
    assert stored.owner_unit_id == owner.pk and stored.region_id == region.pk
    assert stored.total_investment == Decimal("12345.67")
    assert stored.actual_start == dt.date(2026, 4, 8)
    assert stored.created_at is not None and stored.updated_at is not None
    assert AnnualPlan.objects.get(pk=plans[1].pk).project_id == projects[1].pk
    event = AuditEvent.objects.get(object_type="bulk.test")
    assert event.changes == {"名称": ["", "新项目0"]} and event.at is not None


def test_ids_are_never_reused_and_save_continues_after_them(world: Any) -> None:
    region = world.huangdao
    with transaction.atomic():
        first = [_project(region, region, "甲"), _project(region, region, "乙")]
        bulk.insert(Project, first)
    highest = max(project.pk for project in first)
    Project.objects.filter(pk=highest).delete()
    with transaction.atomic():
        again = [_project(region, region, "丙")]
        bulk.insert(Project, again)
    assert again[0].pk > highest
    saved = _project(region, region, "丁")
    saved.save()
    assert saved.pk > again[0].pk


def test_needs_a_transaction(world: Any) -> None:
    with pytest.raises(transaction.TransactionManagementError):
        bulk.insert(Project, [_project(world.huangdao, world.huangdao, "戊")])
    assert not Project.objects.filter(name="戊").exists()


def test_a_related_object_stays_cached(world: Any, django_assert_num_queries: Any) -> None:
    owner = OrgUnit(name="青岛另一建设有限公司", kind=OrgUnitKind.OWNER_UNIT, parent=world.huangdao)
    project = _project(world.huangdao, owner, "己")
    with transaction.atomic():
        bulk.insert(OrgUnit, [owner])
        bulk.insert(Project, [project])
    with django_assert_num_queries(0):
        assert project.owner_unit is owner


def _event(name: str) -> dict[str, Any]:
    return {
        "at": dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC),
        "actor_id": None,
        "actor_name": "system",
        "action": AuditAction.CREATE,
        "object_type": "bulk.test",
        "object_id": "",
        "object_repr": name,
        "parent_type": "",
        "parent_id": "",
        "changes": {},
        "success": True,
        "source_address": "",
        "channel": "",
        "message": "",
    }


@pytest.mark.parametrize("waiting", [bulk._Behind.WAITING, 1])
def test_writes_behind_stores_parents_before_children_and_queries_wait(
    world: Any, waiting: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inside the block (on PostgreSQL each COPY sent by a thread), the rows are stored in
    the order given, a query of the block sees every row sent before it, and the ids come
    in order: those reserved before and those of the events' sequence. So too when each
    COPY waits for the one before (at most one row waiting)."""
    monkeypatch.setattr(bulk._Behind, "WAITING", waiting)
    region = world.huangdao
    owner = OrgUnit(name="青岛后写有限公司", kind=OrgUnitKind.OWNER_UNIT, parent=region)
    projects = [_project(region, owner, f"后写项目{index}") for index in range(50)]
    with transaction.atomic(), bulk.writes_behind():
        plan_ids = bulk.reserve_ids(AnnualPlan, len(projects))
        bulk.insert(OrgUnit, [owner])
        bulk.insert(Project, projects)
        bulk.insert_rows(AuditEvent, (_event(f"事件{index}") for index in range(3000)))
        plans = [AnnualPlan(project=p, year=2026, nature="new_start") for p in projects]
        bulk.insert(AnnualPlan, plans, ids=plan_ids)
        # The queries wait for the COPYs sent before them.
        assert Project.objects.filter(owner_unit=owner).count() == 50
        assert AnnualPlan.objects.filter(project__owner_unit=owner).count() == 50
        events = list(
            AuditEvent.objects.filter(object_type="bulk.test")
            .order_by("pk")
            .values_list("object_repr", flat=True)
        )
        assert events == [f"事件{index}" for index in range(3000)]
    assert [plan.pk for plan in plans] == plan_ids == sorted(plan_ids)
    assert {p.project_id for p in AnnualPlan.objects.filter(pk__in=plan_ids)} == {
        p.pk for p in projects
    }


def test_an_error_behind_rolls_everything_back(world: Any) -> None:
    """A row the database refuses (a project of a region that does not exist: on PostgreSQL
    the foreign key is checked as its COPY ends, in the block's thread) is an IntegrityError
    of the block, and the transaction writes nothing; the connection is usable after."""
    region = world.huangdao
    before = Project.objects.count()
    stray = _project(region, region, "无主项目")
    stray.region_id = 10**9
    with pytest.raises(IntegrityError), transaction.atomic(), bulk.writes_behind():
        bulk.insert(Project, [_project(region, region, "好项目"), stray])
        bulk.insert_rows(AuditEvent, [_event("不该留下")])
        Project.objects.count()  # the error surfaces here at the latest
    assert Project.objects.count() == before
    assert not AuditEvent.objects.filter(object_repr="不该留下").exists()


def test_the_foreign_keys_are_deferred_again_after_the_block(world: Any) -> None:
    """After the block the transaction's constraints are as Django made them (deferred to
    the commit): a child written before its parent within the transaction still commits."""
    region = world.huangdao
    owner = OrgUnit(name="青岛后到有限公司", kind=OrgUnitKind.OWNER_UNIT, parent=region)
    with transaction.atomic():
        with bulk.writes_behind():
            bulk.insert_rows(AuditEvent, [_event("块内")])
        owner_id = bulk.reserve_ids(OrgUnit, 1)[0]
        project = _project(region, region, "先有项目")
        project.owner_unit_id = owner_id
        bulk.insert(Project, [project])  # its owner unit is not there yet
        bulk.insert(OrgUnit, [owner], ids=[owner_id])
    assert Project.objects.get(pk=project.pk).owner_unit_id == owner.pk == owner_id


def test_writes_behind_needs_a_transaction_and_is_not_nested(world: Any) -> None:
    if connection.vendor != "postgresql":
        with bulk.writes_behind():  # nothing to do elsewhere
            return
    with pytest.raises(transaction.TransactionManagementError), bulk.writes_behind():
        pass
    with (
        transaction.atomic(),
        bulk.writes_behind(),
        pytest.raises(RuntimeError),
        bulk.writes_behind(),
    ):
        pass
