"""The ledger import's quick paths give what the slow ones gave: the audit events equal
those the services write for the same change (snapshots of the stored rows, read field by
field through `audit.display_value`), the quick scan of texts agrees with expat, and
`core.bulk` stores rows (with COPY on PostgreSQL) as `save()` does."""

import datetime as dt
import json
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, models, transaction

from tiaodu.accounts.models import OrgUnit, Person
from tiaodu.core import audit, bulk
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.projects.ledger import texts
from tiaodu.projects.ledger.importer import PLAN_AUDITED, plan_import
from tiaodu.projects.models import AnnualPlan, KeyProjectList, Project
from tiaodu.projects.tests.test_ledger_import import ROW_1, ROW_2, ledger, run
from tiaodu.projects.tests.test_ledger_package_limits import (
    LONG,
    with_inline_text,
    with_shared_strings,
)

pytestmark = pytest.mark.django_db


def _slow_snapshot(instance: models.Model, fields: list[str] | None = None) -> audit.Snapshot:
    """The snapshot as `audit` took it before its readers: every field through
    display_value."""
    result = {}
    for field in instance._meta.get_fields():
        if not getattr(field, "concrete", False) and not getattr(field, "many_to_many", False):
            continue
        if getattr(field, "auto_created", False) or field.name in audit.NEVER_AUDITED:
            continue
        if fields is not None and field.name not in fields:
            continue
        if isinstance(field, models.Field):
            result[field.name] = audit.display_value(instance, field)
    return result


def _events(instance: models.Model) -> list[tuple[str, dict[str, list[str]]]]:
    return [
        (event.action, event.changes)
        for event in AuditEvent.objects.filter(
            object_type=audit.object_type(instance), object_id=str(instance.pk)
        ).order_by("pk")
    ]


def test_the_events_of_an_import_equal_those_the_services_write(world, tmp_path):
    run(world, ledger(tmp_path / "l.xlsx", [ROW_1, ROW_2]))
    for project in Project.objects.filter(name__in=[ROW_1[2], ROW_2[2]]):
        # audit.record_create on the stored project: every field, read from the database.
        assert _events(project) == [("create", audit.diff({}, _slow_snapshot(project)))]
        plan = AnnualPlan.objects.get(project=project)
        expected = audit.diff({}, _slow_snapshot(plan, list(PLAN_AUDITED)))
        lists = sorted(
            KeyProjectList.objects.filter(memberships__annual_plan=plan).values_list(
                "name", flat=True
            )
        )
        if lists:
            expected["lists"] = ["", "；".join(lists)]
        assert _events(plan) == [("create", expected)]
    imported = AuditEvent.objects.filter(actor=world.alice, channel="")
    for model in (OrgUnit, Person, KeyProjectList):
        kind = audit.object_type(model)
        created = imported.filter(object_type=kind, action="create")
        for instance in model.objects.filter(pk__in=[int(e.object_id) for e in created]):
            assert _events(instance) == [("create", audit.diff({}, _slow_snapshot(instance)))]
    events = AuditEvent.objects.filter(
        object_type="projects.project",
        object_id__in=[
            str(pk)
            for pk in Project.objects.filter(name__in=[ROW_1[2], ROW_2[2]]).values_list(
                "pk", flat=True
            )
        ],
    )
    assert {event.actor_id for event in events} == {world.alice.pk}
    assert len({event.at for event in events}) == 1  # one import, one moment


def test_an_update_is_the_diff_of_the_stored_rows(world, tmp_path):
    run(world, ledger(tmp_path / "l.xlsx", [ROW_1, ROW_2]))
    project = Project.objects.get(name="黄岛新港物流枢纽")
    before = _slow_snapshot(project)
    plan_before = _slow_snapshot(AnnualPlan.objects.get(project=project), list(PLAN_AUDITED))
    changed = list(ROW_1)
    changed[9], changed[10], changed[14] = "13亿元", "25,000", "2029年1月"
    run(world, ledger(tmp_path / "l2.xlsx", [changed, ROW_2]))
    project.refresh_from_db()
    plan = AnnualPlan.objects.get(project=project)
    assert _events(project)[-1] == ("update", audit.diff(before, _slow_snapshot(project)))
    assert _events(plan)[-1] == (
        "update",
        audit.diff(plan_before, _slow_snapshot(plan, list(PLAN_AUDITED))),
    )


def test_the_readers_read_as_display_value(world):
    project = Project(
        name="读取",
        region=world.huangdao,
        total_investment=Decimal("12.5"),
        actual_start=dt.date(2026, 4, 8),
        category="infrastructure",
        funding_type="",
        latitude=Decimal("36.1"),
    )
    assert audit.snapshot(project) == _slow_snapshot(project)
    project.category = "not-a-category"
    project.total_investment = 7  # an int in a decimal field, as a form may leave it
    assert audit.snapshot(project) == _slow_snapshot(project)


def test_the_quick_scan_of_texts_agrees_with_expat(tmp_path):
    sheet = "xl/worksheets/sheet1.xml"
    short = ledger(tmp_path / "short.xlsx", [ROW_1, ROW_2])
    with zipfile.ZipFile(short) as archive:
        assert texts._all_short(archive, sheet, "c")
        texts.check_lengths(archive, sheet)
    long = with_inline_text(ledger(tmp_path / "long.xlsx", [ROW_1, ROW_2]), "C3", LONG)
    with zipfile.ZipFile(long) as archive:
        assert not texts._all_short(archive, sheet, "c")
        with pytest.raises(texts.TextTooLong) as raised:
            texts.check_lengths(archive, sheet)
    assert raised.value.cell == "C3"
    shared = with_shared_strings(ledger(tmp_path / "s.xlsx", [ROW_1, ROW_2]), ["短", LONG], "C2")
    with zipfile.ZipFile(shared) as archive:
        assert not texts._all_short(archive, "xl/sharedStrings.xml", "si")
        with pytest.raises(texts.TextTooLong) as raised:
            texts.check_lengths(archive, sheet)
    assert raised.value.cell == "C2"


def test_blank_makes_instances_as_the_model_does(world):
    made = bulk.Blank(Project)(name="空白", region=world.huangdao)
    model = Project(name="空白", region=world.huangdao)
    skip = {"created_at"}  # a default taken when made: the moment differs
    for field in Project._meta.concrete_fields:
        if field.name not in skip:
            assert getattr(made, field.attname) == getattr(model, field.attname), field.name
    assert made.region is world.huangdao and made._state.adding
    assert made.created_at is not None


@pytest.mark.django_db(transaction=True)
def test_rows_given_as_values_are_stored_as_instances_are(world: Any):
    values = audit.event_values(
        actor=world.alice,
        action=AuditAction.CREATE,
        instance=world.huangdao,
        changes={"name": ["", "黄岛区"]},
        at=dt.datetime(2026, 9, 30, 8, tzinfo=dt.UTC),
    )
    built = audit.build_event(
        actor=world.alice,
        action=AuditAction.CREATE,
        instance=world.huangdao,
        changes={"name": ["", "黄岛区"]},
    )
    built.at = values["at"]
    with transaction.atomic():
        audit.record_values([values])
        audit.record_many([built])
    first, second = AuditEvent.objects.filter(object_type="accounts.orgunit").order_by("-pk")[:2][
        ::-1
    ]
    columns = [f.attname for f in AuditEvent._meta.concrete_fields if f.attname != "id"]
    assert [getattr(first, name) for name in columns] == [getattr(second, name) for name in columns]
    assert second.pk == built.pk and second.pk > first.pk


@pytest.mark.django_db(transaction=True)
def test_bulk_insert_stores_what_save_stores(world: Any):
    """On PostgreSQL the insert is a COPY; on SQLite an executemany: the rows read back
    equal those save() writes, on either database."""
    owner = OrgUnit(name="复制测试单位", kind="owner_unit", parent=world.huangdao)

    def project(name: str) -> Project:
        return Project(
            name=name,
            region=world.huangdao,
            owner_unit=owner,
            total_investment=Decimal("12345678.91"),
            longitude=Decimal("120.382665"),
            actual_start=dt.date(2026, 2, 28),
            construction_content="含\t制表符、换行\n和反斜杠\\的内容",
            remarks="",
        )

    inserted, saved = project("批量"), project("逐个")
    with transaction.atomic():
        bulk.insert(OrgUnit, [owner], before=lambda unit: setattr(unit, "path", "/x/"))
        bulk.insert(Project, [inserted])
    saved.save()
    assert OrgUnit.objects.get(pk=owner.pk).path == "/x/"
    skip = {"id", "name", "created_at", "updated_at"}
    first, second = (Project.objects.get(pk=p.pk) for p in (inserted, saved))
    for field in Project._meta.concrete_fields:
        if field.name not in skip:
            assert getattr(first, field.attname) == getattr(second, field.attname), field.name
    assert connection.vendor in ("sqlite", "postgresql")


def test_creations_read_field_by_field_equal_the_snapshots(world):
    """`BulkEvents.created_many` (a column of each field at once) gives each instance's
    `diff({}, snapshot(instance))`, whatever the kinds a column mixes."""
    projects = [
        Project(
            name="列读取",
            region=world.huangdao,
            total_investment=Decimal("12.5"),
            actual_start=dt.date(2026, 4, 8),
            category="infrastructure",
            funding_type="",
            latitude=Decimal("36.1"),
        ),
        Project(name="列读取二", region=world.huangdao, category="not-a-category"),
        Project(name="列读取三", region=world.huangdao, total_investment=7),  # an int
    ]
    made = audit.BulkEvents(world.alice, dt.datetime(2026, 9, 30, 8, tzinfo=dt.UTC))
    with audit.in_site_language():
        assert made.created_many(projects) == [
            audit.diff({}, _slow_snapshot(project)) for project in projects
        ]
        plans = [AnnualPlan(project=projects[0], year=2026, planned_investment=Decimal("3"))]
        assert made.created_many(plans, PLAN_AUDITED) == [
            audit.diff({}, _slow_snapshot(plans[0], list(PLAN_AUDITED)))
        ]


def test_bulk_events_equal_event_values(world):
    at = dt.datetime(2026, 9, 30, 8, tzinfo=dt.UTC)
    changes = {"name": ["", "黄岛区"]}
    made = audit.BulkEvents(world.alice, at)
    kept = audit.event_values(
        actor=world.alice,
        action=AuditAction.CREATE,
        instance=world.huangdao,
        parent=world.huangdao,
        changes=changes,
        at=at,
    )
    assert made.event(AuditAction.CREATE, world.huangdao, changes, world.huangdao) == kept


def test_blank_assigns_relations_as_their_descriptors_do(world):
    unsaved = OrgUnit(name="未保存单位", kind="owner_unit", parent=world.huangdao)
    made = bulk.Blank(Project)(name="关系", region=world.huangdao, owner_unit=unsaved)
    model = Project(name="关系", region=world.huangdao, owner_unit=unsaved)
    for instance in (made, model):
        assert instance.region_id == world.huangdao.pk and instance.region is world.huangdao
        assert instance.owner_unit_id is None and instance.owner_unit is unsaved
    bulk.Blank(Project).assign(made, {"owner_unit": None, "region": world.huangdao})
    assert made.owner_unit is None and made.owner_unit_id is None


def test_a_cell_parsed_once_per_column_still_errs_on_every_row(world, tmp_path):
    """A vocabulary or date column's cells are parsed once per distinct value: a wrong one
    is an error on each row it is on, and a flag is never taken for the number it equals."""
    rows = []
    for number, (level, stage, start) in enumerate(
        [
            ("省重点", None, "2026年3月"),
            ("省级重点?", None, "2026年3月"),
            ("省级重点?", None, "2026年13月"),
            ("省重点", 1, "2026年13月"),
            ("省重点", True, None),
        ],
        start=1,
    ):
        row = [*ROW_2[:4], level, "储备（前期）", stage, *ROW_2[7:]]
        row[0], row[2], row[12] = number, f"逐格{number}", start
        rows.append(row)
    plan = plan_import(actor=world.alice, source=ledger(tmp_path / "m.xlsx", rows), year=2026)
    wrong = sorted((error.row, error.header) for error in plan.errors)
    assert wrong == [
        (3, "项目级别"),
        (4, "计划开工时间"),
        (4, "项目级别"),
        (5, "计划开工时间"),
        (6, "储备阶段"),
    ]


def test_creations_written_as_documents_equal_json_dumps(world):
    projects = [
        Project(
            name='文档"引号\\反斜杠\n换行', region=world.huangdao, total_investment=Decimal("1")
        ),
        Project(name="文档二", region=world.huangdao, category="not-a-category"),
    ]
    made = audit.BulkEvents(world.alice, dt.datetime(2026, 9, 30, 8, tzinfo=dt.UTC))
    with audit.in_site_language():
        documents = made.created_documents(projects)
        assert documents == [json.dumps(changes) for changes in made.created_many(projects)]
        both = audit.with_change(documents[0], "lists", ["", "省百大"])
        assert json.loads(both) == {**made.created_many(projects)[0], "lists": ["", "省百大"]}
    assert audit.with_change(bulk.JSONText("{}"), "lists", ["a", "b"]) == '{"lists": ["a", "b"]}'


@pytest.mark.django_db(transaction=True)
def test_documents_and_dictionaries_in_one_insert_are_stored_alike(world: Any):
    """A column of changes that holds a written document beside a dictionary (a new task
    force's event beside a changed one's) stores each once encoded."""
    at = dt.datetime(2026, 9, 30, 8, tzinfo=dt.UTC)
    made = audit.BulkEvents(world.alice, at)
    with audit.in_site_language():
        created = made.created(world.huangdao)
    changed = made.event(AuditAction.UPDATE, world.huangdao, {"name": ["甲", "乙"]})
    with transaction.atomic():
        audit.record_values([created, changed])
    first, second = AuditEvent.objects.filter(object_type="accounts.orgunit").order_by("-pk")[:2][
        ::-1
    ]
    assert first.changes == json.loads(created["changes"]) and "name" in first.changes
    assert second.changes == {"name": ["甲", "乙"]}
