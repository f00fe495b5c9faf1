"""Writes to the project library: validation, audit with before/after, and refusals."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.projects import services
from tiaodu.projects.choices import ReserveStage
from tiaodu.projects.codes import validate_project_code
from tiaodu.projects.models import AnnualPlan, Procedure, Project
from tiaodu.testing import assert_nothing_written


def test_update_is_audited_with_before_and_after(world):
    project = world.projects["p1"]
    services.update_project(
        actor=world.dora,
        project=project,
        total_investment=Decimal("12345.60"),
        location="黄岛区前湾港路",
    )
    event = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_id=str(project.pk), object_type="projects.project"
    ).get()
    assert event.actor == world.dora
    assert event.changes == {
        "total_investment": ["10000.00", "12345.60"],
        "location": ["", "黄岛区前湾港路"],
    }


def test_a_changed_relation_is_audited_by_name_and_the_lock_joins_nothing(world):
    """The update locks the project's row alone and reads the rows it names in one query a
    model (`core.related.read_related`): the event names the owner unit and service officer before
    and after, and a relation left as it was is not in it."""
    project = world.projects["p3"]  # unit_b's, with a service officer
    officer = project.service_officer
    with CaptureQueriesContext(connection) as queries:
        services.update_project(
            actor=world.alice, project=project, owner_unit=world.unit_a, service_officer=None
        )
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    projects = [sql for sql in reads if sql.partition(" FROM ")[2].startswith('"projects_project"')]
    assert projects and not any(" JOIN " in sql for sql in projects)
    if connection.features.has_select_for_update:
        assert [sql for sql in projects if "FOR UPDATE" in sql]
    event = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_id=str(project.pk), object_type="projects.project"
    ).get()
    assert event.changes == {
        "owner_unit": [world.unit_b.name, world.unit_a.name],
        "service_officer": [str(officer), ""],
    }


def test_create_records_every_field_and_the_plan(world):
    events_before = AuditEvent.objects.count()
    project = services.create_project(
        actor=world.dora,
        name="前湾港冷链物流中心",
        region=world.huangdao,
        total_investment=Decimal("80000"),
        code="2026-370211-54-01-000123",
        plan={
            "year": 2026,
            "nature": "reserve",
            "level": "county",
            "reserve_stage": "agreement_signed",
            "planned_investment": Decimal("0"),
        },
    )
    created = AuditEvent.objects.order_by("id")[events_before:]
    assert [(e.action, e.object_type) for e in created] == [
        ("create", "projects.project"),
        ("create", "projects.annualplan"),
    ]
    assert created[0].changes["name"] == ["", "前湾港冷链物流中心"]
    assert created[0].changes["code"] == ["", "2026-370211-54-01-000123"]
    assert created[1].parent_id == str(project.pk)
    with translation.override("zh-hans"):
        label = str(ReserveStage.AGREEMENT_SIGNED.label)
    assert created[1].changes["reserve_stage"] == ["", label]


def test_no_write_without_audit_when_nothing_changes(world):
    project = world.projects["p1"]
    count = AuditEvent.objects.count()
    services.update_project(actor=world.alice, project=project, name=project.name)
    assert AuditEvent.objects.count() == count


def test_district_dispatcher_cannot_edit_or_move_outside_its_district(world):
    project = world.projects["p3"]  # 崂山区
    with pytest.raises(PermissionDenied):
        services.update_project(actor=world.dora, project=project, name="x")
    mine = world.projects["p1"]
    with pytest.raises(ValidationError):
        services.update_project(actor=world.dora, project=mine, region=world.laoshan)
    assert Project.objects.get(pk=mine.pk).region == world.huangdao


@pytest.mark.parametrize("persona", ["rita", "bob", "leo", "lena", "hank", "sam", "auditor"])
def test_only_dispatchers_write(world, persona):
    with pytest.raises(PermissionDenied):
        services.create_project(
            actor=world.users[persona], name="x", region=world.huangdao, total_investment=Decimal(1)
        )
    with pytest.raises(PermissionDenied):
        services.update_project(actor=world.users[persona], project=world.projects["p1"], name="x")
    assert not Project.objects.filter(name="x").exists()


@pytest.mark.parametrize(
    "code, ok",
    [
        ("2026-370211-54-01-000123", True),
        ("2611-370211-54-01-00012X", True),  # year-month form of DOMAIN.md
        ("2026-370211-54-01-00012", False),  # 23 characters
        ("2026-999999-54-01-000123", False),  # unknown division
        ("2099/370211-54-01-000123", False),  # wrong separator
        ("0013-370211-54-01-000123", False),  # neither a year nor a month
    ],
)
def test_project_code_validation(code, ok):
    if ok:
        validate_project_code(code)
    else:
        with pytest.raises(ValidationError):
            validate_project_code(code)


def test_project_code_is_unique_and_normalised(world):
    services.update_project(
        actor=world.alice, project=world.projects["p1"], code=" 2026-370211-54-01-00012x "
    )
    assert Project.objects.get(pk=world.projects["p1"].pk).code == "2026-370211-54-01-00012X"
    with pytest.raises(ValidationError) as error:
        services.update_project(
            actor=world.alice, project=world.projects["p2"], code="2026-370211-54-01-00012X"
        )
    assert "code" in error.value.message_dict
    assert Project.objects.get(pk=world.projects["p2"].pk).code is None


def test_reserve_stage_only_on_reserve_entries(world):
    plan = world.plans["p1"]
    with pytest.raises(ValidationError) as error:
        services.save_annual_plan(
            actor=world.alice, project=plan.project, year=2026, reserve_stage="pre_construction"
        )
    assert "reserve_stage" in error.value.message_dict
    assert AnnualPlan.objects.get(pk=plan.pk).reserve_stage == ""


def test_actual_completion_before_start_is_refused(world):
    project = world.projects["p1"]
    with pytest.raises(ValidationError):
        services.update_project(
            actor=world.alice,
            project=project,
            actual_start=date(2026, 5, 1),
            actual_completion=date(2026, 4, 1),
        )
    assert Project.objects.get(pk=project.pk).actual_start is None


def test_lists_must_belong_to_the_plan_year(world):
    from tiaodu.projects.models import KeyProjectList

    old = KeyProjectList.objects.create(name="省重点项目", year=2025)
    with pytest.raises(ValidationError):
        services.save_annual_plan(
            actor=world.alice, project=world.projects["p4"], year=2026, lists=[old]
        )
    assert not world.plans["p4"].memberships.exists()


def test_procedures_are_saved_together_or_not_at_all(world):
    project = world.projects["p1"]
    rows: list[dict[str, Any]] = [
        {
            "kind": "project_approval",
            "status": "done",
            "completed_on": date(2026, 1, 5),
            "document_number": "青发改审批〔2026〕12号",
        },
        {
            "kind": "construction_permit",
            "status": "done",
            "completed_on": None,
            "document_number": "",
        },
    ]
    with pytest.raises(ValidationError):
        services.set_procedures(actor=world.alice, project=project, rows=rows)
    assert not Procedure.objects.filter(project=project).exists()
    services.set_procedures(actor=world.alice, project=project, rows=rows[:1])
    assert Procedure.objects.get(project=project).document_number == "青发改审批〔2026〕12号"


def test_special_bond_funds_and_their_spending_are_saved_and_audited(world):
    plan = services.save_annual_plan(
        actor=world.alice,
        project=world.projects["p1"],
        year=2026,
        ytd_completed=Decimal("800"),
        ytd_as_of=date(2026, 6, 30),
        bond_funds=Decimal("1000"),
        bond_funds_spent=Decimal("250.5"),
    )
    assert (plan.bond_funds, plan.bond_funds_spent) == (Decimal("1000"), Decimal("250.5"))
    event = AuditEvent.objects.filter(object_id=str(plan.pk)).latest("id")
    assert event.changes["bond_funds"] == ["0.00", "1000.00"]
    assert event.changes["bond_funds_spent"] == ["0.00", "250.50"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"bond_funds": Decimal(100), "bond_funds_spent": Decimal(150)},
            "专项债券资金已支出（150.00万元）不能多于下达的资金（100.00万元），请更正其中之一。",
        ),
        (
            {"bond_funds": Decimal(100), "bond_funds_spent": Decimal(50), "ytd_as_of": None},
            "请给出资金支出数所截至的日期（即本年累计完成投资的截至日期）。",
        ),
    ],
    ids=["more than the funds", "no date"],
)
def test_bond_spending_beyond_the_funds_or_without_a_date_is_refused(world, fields, message):
    plan = world.plans["p1"]
    values = {"ytd_as_of": date(2026, 6, 30), **fields}
    with (
        pytest.raises(ValidationError) as error,
        translation.override("zh-hans"),
        assert_nothing_written(AnnualPlan, AuditEvent),
    ):
        services.save_annual_plan(actor=world.alice, project=plan.project, year=2026, **values)
    assert error.value.message_dict == {"bond_funds_spent": [message]}


def test_negative_bond_funds_are_refused(world):
    plan = world.plans["p1"]
    with pytest.raises(ValidationError) as error, assert_nothing_written(AnnualPlan):
        services.save_annual_plan(
            actor=world.alice, project=plan.project, year=2026, bond_funds=Decimal(-1)
        )
    assert "bond_funds" in error.value.message_dict
