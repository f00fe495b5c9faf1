"""core.bulk.insert, which the ledger import writes with, stores projects exactly as save()
would, with ids no other insert reuses."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

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
