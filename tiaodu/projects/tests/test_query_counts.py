"""The library list and the project page cost a fixed number of queries, whatever the size."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tiaodu.accounts import org_units
from tiaodu.accounts import services as account_services
from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.projects import services
from tiaodu.projects.choices import ProcedureKind


def add_projects(world, count: int, first: int = 0) -> None:
    alice = world.alice
    person = account_services.create_person(actor=None, name="周明", title="副区长")
    for index in range(first, first + count):
        owner = org_units.create_org_unit(
            actor=None,
            name=f"测试业主单位{index}",
            kind=OrgUnitKind.OWNER_UNIT,
            parent=world.huangdao,
        )
        project = services.create_project(
            actor=alice,
            name=f"批量项目{index}",
            region=world.huangdao,
            owner_unit=owner,
            responsible_unit=world.housing_bureau,
            municipal_leader=person,
            total_investment=Decimal(1000 + index),
            plan={
                "year": 2026,
                "nature": "continuing",
                "level": "county",
                "planned_investment": Decimal(100),
            },
            lists=[world.key_list],
        )
        services.save_annual_plan(
            actor=alice,
            project=project,
            year=2025,
            nature="new_start",
            level="county",
            planned_investment=Decimal(50),
        )
        for kind in list(ProcedureKind)[:4]:
            services.set_procedure(
                actor=alice,
                project=project,
                kind=kind,
                status="done",
                completed_on=date(2025, 5, 1),
                document_number="青发改〔2025〕1号",
            )
        services.update_project(actor=alice, project=project, remarks=f"更新{index}")


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("persona", ["alice", "dora", "rita"])
def test_library_list_query_count_is_constant(world, client, persona, settings):
    # Every read sums its 合计 (none shows the one kept from before the change).
    settings.TIAODU_FIGURES_STALE_SECONDS = 0
    client.force_login(world.users[persona])
    add_projects(world, 1, first=100)  # both years present: the years offered cost a query per year
    url = reverse("projects:list")
    params = {"year": 2026, "per_page": 100}
    filtered = {**params, "list": world.key_list.pk, "q": "项目", "region": world.huangdao.pk}
    small = count_queries(client, url, params)
    small_filtered = count_queries(client, url, filtered)
    add_projects(world, 30)
    assert count_queries(client, url, params) == small
    assert count_queries(client, url, filtered) == small_filtered


def test_project_page_query_count_is_constant(world, client):
    client.force_login(world.alice)
    add_projects(world, 2)
    from tiaodu.projects.models import Project

    few = Project.objects.get(name="批量项目0")
    many = Project.objects.get(name="批量项目1")
    for index in range(15):
        services.update_project(actor=world.alice, project=many, remarks=f"再次更新{index}")
    for tab in ("overview", "plans", "procedures", "people", "history"):
        url = reverse("projects:detail", args=[few.pk])
        baseline = count_queries(client, url, {"tab": tab})
        url = reverse("projects:detail", args=[many.pk])
        assert count_queries(client, url, {"tab": tab}) == baseline, tab


def test_export_query_count_is_constant(world, client):
    client.force_login(world.alice)
    add_projects(world, 1, first=100)  # both years present: the years offered cost a query per year
    url = reverse("projects:export")
    with CaptureQueriesContext(connection) as before:
        client.get(url, {"year": 2026})
    add_projects(world, 20)
    with CaptureQueriesContext(connection) as after:
        client.get(url, {"year": 2026})
    assert len(after.captured_queries) == len(before.captured_queries)
