"""Importing the standard ledger: a valid file, re-import, update, the round trip."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from tiaodu.accounts.models import OrgUnit, Person
from tiaodu.core.models import AuditEvent
from tiaodu.projects.ledger.importer import apply_import, plan_import
from tiaodu.projects.models import AnnualPlan, KeyProjectList, ListMembership, Project
from tiaodu.testing import assert_nothing_written

AS_OF = dt.date(2026, 8, 31)
# The library's figures are exported as of this day (the page's 截至 date).
EXPORTED = "2026-09-30"
HEADERS = [
    "序号", "项目代码", "项目名称", "所属区县", "项目级别", "建设性质", "储备阶段", "项目类别",
    "投资主体", "总投资（万元）", "年度计划投资", "1-8月完成投资", "计划开工时间", "实际开工时间",
    "计划竣工时间", "实际竣工时间", "项目单位", "责任单位", "市级责任领导", "包保领导",
    "首席服务员", "联系电话", "所属清单",
]  # fmt: skip
ROW_1 = [
    1, "2026-370211-48-01-000011", "黄岛新港物流枢纽", "黄岛区", "省重点", "新开工", None, "基础设施",
    "企业投资", "12.5亿元", "20,000", "3456.789万元", "2026年3月", "2026/4/8",
    "2028.6", None, "青岛新港物流有限公司", "青岛市交通运输局", "王强", "李利", "赵敏",
    13800000000, "市重点项目；省百大",
]  # fmt: skip
ROW_2 = [
    2, None, "崂山生态廊道", "崂山", "区县重点", "储备（前期）", "签订投资协议", "生态环保",
    "政府投资", 5000, None, None, None, None,
    None, None, None, None, None, None,
    None, None, "省百大;",
]  # fmt: skip


def ledger(path, rows, headers=HEADERS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "台账"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


# What an import that must change nothing leaves as it was (`assert_nothing_written`).
LEDGER_TABLES = (Project, AnnualPlan, ListMembership, OrgUnit, Person, KeyProjectList, AuditEvent)


def counts():
    """Rows per model, for the tests that count what an import added."""
    return {
        model.__name__: model.objects.count()
        for model in (Project, AnnualPlan, OrgUnit, Person, KeyProjectList, AuditEvent)
    }


def run(world, path, year=2026, actor=None, as_of=AS_OF):
    plan = plan_import(actor=actor or world.alice, source=path, year=year, as_of=as_of)
    assert plan.errors == []
    apply_import(actor=actor or world.alice, plan=plan)
    return plan


def test_a_valid_ledger_creates_projects_plans_units_people_and_lists(world, tmp_path):
    path = ledger(tmp_path / "l.xlsx", [ROW_1, ROW_2])
    before = counts()
    plan = run(world, path)
    assert plan.counts == {"new": 2, "updated": 0, "unchanged": 0}
    project = Project.objects.get(code="2026-370211-48-01-000011")
    assert (project.name, project.region, project.category, project.funding_type) == (
        "黄岛新港物流枢纽",
        world.huangdao,
        "infrastructure",
        "enterprise",
    )
    assert project.total_investment == Decimal("125000.00")
    assert project.actual_start == dt.date(2026, 4, 8)
    assert project.contact_phone == "13800000000"
    owner, responsible = project.owner_unit, project.responsible_unit
    assert owner is not None and responsible is not None
    assert owner.name == "青岛新港物流有限公司"
    assert owner.parent == world.huangdao
    assert owner.path == f"{world.huangdao.path}{owner.pk}/"
    assert (responsible.name, responsible.kind) == ("青岛市交通运输局", "department")
    assert responsible.parent == world.city
    people = (project.municipal_leader, project.sponsoring_leader, project.service_officer)
    assert [person.name if person else None for person in people] == ["王强", "李利", "赵敏"]
    assert project.sponsoring_leader == Person.objects.get(name="李利")  # the existing person
    entry = project.plans.get(year=2026)
    assert (entry.level, entry.nature, entry.reserve_stage) == ("provincial", "new_start", "")
    assert entry.planned_investment == Decimal("20000.00")
    assert entry.ytd_completed == Decimal("3456.79")
    assert entry.ytd_as_of == AS_OF
    assert (entry.planned_start, entry.planned_completion) == (
        dt.date(2026, 3, 1),
        dt.date(2028, 6, 1),
    )
    assert [item.name for item in entry.current_lists] == ["市重点项目", "省百大"]
    reserve = Project.objects.get(name="崂山生态廊道")
    assert reserve.region == world.laoshan and reserve.code is None
    reserve_plan = reserve.plans.get()
    assert (reserve_plan.nature, reserve_plan.reserve_stage, reserve_plan.level) == (
        "reserve",
        "agreement_signed",
        "county",
    )
    assert reserve_plan.ytd_as_of is None and reserve_plan.ytd_completed == 0
    assert [item.name for item in reserve_plan.current_lists] == ["省百大"]
    after = counts()
    assert after["Project"] - before["Project"] == 2
    assert after["AnnualPlan"] - before["AnnualPlan"] == 2
    assert after["OrgUnit"] - before["OrgUnit"] == 2
    assert after["Person"] - before["Person"] == 2
    assert after["KeyProjectList"] - before["KeyProjectList"] == 1
    # 2 projects + 2 plan entries + 2 units + 2 people + 1 list
    assert after["AuditEvent"] - before["AuditEvent"] == 9
    event = AuditEvent.objects.get(object_type="projects.project", object_id=str(project.pk))
    assert event.action == "create" and event.actor == world.alice
    assert event.changes["total_investment"] == ["", "125000.00"]


def test_reimporting_the_same_ledger_changes_nothing(world, tmp_path):
    path = ledger(tmp_path / "l.xlsx", [ROW_1, ROW_2])
    run(world, path)
    with assert_nothing_written(*LEDGER_TABLES):
        plan = run(world, path)
    assert plan.counts == {"new": 0, "updated": 0, "unchanged": 2}


def test_changing_one_cell_updates_one_project_with_an_audit_diff(world, tmp_path):
    run(world, ledger(tmp_path / "l.xlsx", [ROW_1, ROW_2]))
    changed = list(ROW_2)
    changed[9] = "5,500.5"
    before = counts()
    plan = run(world, ledger(tmp_path / "l2.xlsx", [ROW_1, changed]))
    assert plan.counts == {"new": 0, "updated": 1, "unchanged": 1}
    project = Project.objects.get(name="崂山生态廊道")
    assert project.total_investment == Decimal("5500.50")
    assert counts()["AuditEvent"] - before["AuditEvent"] == 1
    event = AuditEvent.objects.filter(object_id=str(project.pk)).latest("id")
    assert (event.action, event.changes) == ("update", {"total_investment": ["5000.00", "5500.50"]})


def test_an_exported_ledger_imports_unchanged(world, client, tmp_path):
    """The round trip: export the library, import the file: 0 new, 0 updated, no field changed."""
    from tiaodu.projects import services

    services.update_project(
        actor=world.alice,
        project=world.projects["p1"],
        code="2026-370211-48-01-000011",
        actual_start=dt.date(2026, 3, 15),
        contact_phone="0532-8888",
        longitude=Decimal("120.123456"),
        latitude=Decimal("36.1"),
        remarks="=SUM(A1) 备注",
        funding_type="government",
    )
    services.save_annual_plan(
        actor=world.alice,
        project=world.projects["p1"],
        year=2026,
        ytd_completed=Decimal("1234.56"),
        ytd_as_of=AS_OF,
    )
    client.force_login(world.alice)
    response = client.get(reverse("projects:export"), {"year": 2026, "as_of": EXPORTED})
    path = tmp_path / "export.xlsx"
    path.write_bytes(response.content)

    # The file states the date of its figures; the import takes it.
    with assert_nothing_written(*LEDGER_TABLES):
        plan = run(world, path, as_of=None)
    assert plan.counts == {"new": 0, "updated": 0, "unchanged": 6}
    assert plan.as_of == plan.stated_as_of == dt.date.fromisoformat(EXPORTED)


def test_dry_run_and_the_command(world, tmp_path, capsys):
    path = ledger(tmp_path / "l.xlsx", [ROW_1, ROW_2])
    before = counts()
    with assert_nothing_written(*LEDGER_TABLES):
        call_command(
            "import_ledger", str(path), "--year", "2026", "--as-of", "2026-08-31", "--dry-run"
        )
    assert "new 2 · updated 0 · unchanged 0" in capsys.readouterr().out
    call_command("import_ledger", str(path), "--year", "2026", "--as-of", "2026-08-31")
    assert Project.objects.count() == before["Project"] + 2
    event = AuditEvent.objects.filter(object_type="projects.project").latest("id")
    assert (event.actor, event.channel) == (world.alice, "command")


def test_only_a_dispatcher_imports(world, tmp_path):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        plan_import(actor=world.rita, source=tmp_path / "x.xlsx", year=2026, as_of=AS_OF)


def test_a_later_ledger_changes_the_lists_from_its_as_of_date(world, tmp_path):
    """The first ledger puts its new entries on their lists from the year's first day; a
    later one, as of 30 September, takes 黄岛新港物流枢纽 off 省百大: its membership ends
    that day, so the list as it stood before is unchanged, and the export writes today's."""
    from tiaodu.projects import lists as key_lists
    from tiaodu.projects.ledger.writer import ledger_rows

    run(world, ledger(tmp_path / "l.xlsx", [ROW_1, ROW_2]))
    entry = Project.objects.get(name="黄岛新港物流枢纽").plans.get(year=2026)
    baida = KeyProjectList.objects.get(name="省百大", year=2026)
    membership = ListMembership.objects.get(annual_plan=entry, key_project_list=baida)
    assert (membership.start, membership.end) == (dt.date(2026, 1, 1), None)

    changed = list(ROW_1)
    changed[22] = "市重点项目"
    later = dt.date(2026, 9, 30)
    # Its year-to-date column names no months (which would state a date of its own).
    headers = [name.replace("1-8月完成投资", "本年累计完成投资") for name in HEADERS]
    plan = plan_import(
        actor=world.alice, source=ledger(tmp_path / "l2.xlsx", [changed, ROW_2], headers),
        year=2026, as_of=later,
    )  # fmt: skip
    assert plan.errors == []
    apply_import(actor=world.alice, plan=plan)
    membership.refresh_from_db()
    assert membership.end == later
    on = set(key_lists.plan_ids_on(later - dt.timedelta(days=1), [baida.pk]).values_list(
        "annual_plan_id", flat=True
    ))  # fmt: skip
    assert entry.pk in on
    assert entry.pk not in set(
        key_lists.plan_ids_on(later, [baida.pk]).values_list("annual_plan_id", flat=True)
    )
    (row,) = ledger_rows(AnnualPlan.objects.filter(pk=entry.pk))
    assert row["lists"] == "市重点项目"


# The special-bond columns (专项债券资金, 债券资金已支出) after the others: columns X and Y.
BOND_HEADERS = [*HEADERS, "专项债券资金（万元）", "债券资金已支出"]


def test_the_special_bond_columns_set_the_funds_and_their_spending(world, tmp_path):
    rows = [[*ROW_1, "5,000", "1200.5"], [*ROW_2, "0.08亿元", None]]
    run(world, ledger(tmp_path / "l.xlsx", rows, BOND_HEADERS))
    entry = AnnualPlan.objects.get(project__name="黄岛新港物流枢纽")
    assert (entry.bond_funds, entry.bond_funds_spent) == (Decimal("5000.00"), Decimal("1200.50"))
    # Stated as of the import's date, with the year-to-date figure.
    assert (entry.ytd_completed, entry.ytd_as_of) == (Decimal("3456.79"), AS_OF)
    reserve = AnnualPlan.objects.get(project__name="崂山生态廊道")
    assert (reserve.bond_funds, reserve.bond_funds_spent) == (Decimal("800.00"), Decimal(0))

    # The next ledger restates the spending beside its year-to-date figure: blank is nothing.
    rows = [[*ROW_1, "5,000", None], [*ROW_2, "0.08亿元", None]]
    plan = run(world, ledger(tmp_path / "l2.xlsx", rows, BOND_HEADERS))
    assert plan.counts == {"new": 0, "updated": 1, "unchanged": 1}
    entry.refresh_from_db()
    assert entry.bond_funds_spent == Decimal(0)
    event = AuditEvent.objects.filter(
        object_type="projects.annualplan", object_id=str(entry.pk)
    ).latest("id")
    assert event.changes == {"bond_funds_spent": ["1200.50", "0.00"]}


def test_a_ledger_without_the_spending_column_leaves_the_spending(world, tmp_path):
    run(world, ledger(tmp_path / "l.xlsx", [[*ROW_1, 5000, 1000]], BOND_HEADERS))
    headers = [*HEADERS, "专项债券资金"]
    plan = run(world, ledger(tmp_path / "l2.xlsx", [[*ROW_1, 6000]], headers))
    assert plan.counts == {"new": 0, "updated": 1, "unchanged": 0}
    entry = AnnualPlan.objects.get(project__name="黄岛新港物流枢纽")
    assert (entry.bond_funds, entry.bond_funds_spent) == (Decimal("6000.00"), Decimal("1000.00"))


def test_an_exported_ledger_with_special_bond_funds_imports_unchanged(world, client, tmp_path):
    """The round trip of the two columns: the file says what the entries hold, and reading it
    back changes nothing."""
    from openpyxl import load_workbook

    from tiaodu.projects import services

    services.save_annual_plan(
        actor=world.alice,
        project=world.projects["p1"],
        year=2026,
        ytd_completed=Decimal("1234.56"),
        ytd_as_of=AS_OF,
        bond_funds=Decimal("5000"),
        bond_funds_spent=Decimal("1234.50"),
    )
    # Funds allotted, no figure stated yet: the spending cell stays blank.
    services.save_annual_plan(
        actor=world.alice, project=world.projects["p2"], year=2026, bond_funds=Decimal("300")
    )
    client.force_login(world.alice)
    response = client.get(reverse("projects:export"), {"year": 2026, "as_of": EXPORTED})
    path = tmp_path / "export.xlsx"
    path.write_bytes(response.content)
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    columns = [
        rows[0].index("专项债券资金(万元)"),
        rows[0].index(f"债券资金已支出(万元)\n截至{EXPORTED}"),
    ]
    by_name = {row[2]: [row[i] for i in columns] for row in rows[1:]}
    assert by_name[world.projects["p1"].name] == [5000, 1234.5]
    assert by_name[world.projects["p2"].name] == [300, None]
    assert by_name[world.projects["p3"].name] == [None, None]

    with assert_nothing_written(*LEDGER_TABLES):
        plan = run(world, path, as_of=None)
    assert plan.counts == {"new": 0, "updated": 0, "unchanged": 6}
