"""A first site from an empty database, in the commands of docs/deployment.md: the region
tree, the three administrators, the accounts workbook (300 units, 600 accounts), then the
ledger imported by the imported city dispatcher. No `world`: nothing exists before."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from tiaodu.accounts.account_import.plan import unit_label
from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.accounts.models import OrgUnit, User, UserRole
from tiaodu.accounts.tests.workbooks import accounts_workbook
from tiaodu.core.models import AuditEvent
from tiaodu.core.roles import Role
from tiaodu.projects.models import Project
from tiaodu.projects.tests.test_ledger_import import ROW_1, ledger

pytestmark = pytest.mark.django_db
DISTRICTS = ["370202", "370203", "370211", "370212", "370213",
             "370214", "370215", "370281", "370283", "370285"]  # fmt: skip


def city_workbook(path):
    """Per district: 10 departments and 20 owner units (half under a department), and 60
    accounts; one of them is the city's dispatcher."""
    units: list[list[str | None]] = []
    users: list[list[str | None]] = []
    for code in DISTRICTS:
        for d in range(10):
            units.append([f"{code}部门{d}", "部门", code])
        for o in range(20):
            department = f"{code}部门{o % 10}" if o < 10 else None
            units.append([f"{code}项目单位{o}", "项目单位", code, department])
        users.append([f"d{code}", f"调度{code}", code, None, "调度员"])
        users.append([f"l{code}", f"领导{code}", code, None, "领导"])
        users += [
            [f"h{code}-{d}", f"经办{d}", code, f"{code}部门{d}", "部门经办"] for d in range(10)
        ]
        users += [
            [f"r{code}-{o}-{n}", f"填报{o}", code, f"{code}项目单位{o}", "项目填报员"]
            for o in range(20)
            for n in range(2)
        ]
        users += [[f"s{code}-{n}", f"服务{n}", code, None, "首席服务员"] for n in range(8)]
    users[-1] = ["city.dispatcher", "市调度员", "青岛市", None, "调度员"]
    return accounts_workbook(path, units, users)


def run(name, *args):
    out, err = StringIO(), StringIO()
    call_command(name, *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def test_a_first_site_in_three_commands_then_its_ledger(tmp_path):
    run("setup_site", "--region", "370200")
    administrators = run(
        "create_administrators",
        "--system",
        "wang.sys",
        "--security",
        "li.sec",
        "--auditor",
        "zhao.audit",
    )
    assert "身份验证器" in administrators
    ledger_file = ledger(tmp_path / "台账.xlsx", [ROW_1])
    with pytest.raises(CommandError) as refused:
        run("import_ledger", str(ledger_file), "--year", "2026")
    assert "用户与角色" in str(refused.value)
    assert "manage.py import_accounts" in str(refused.value)

    passwords = tmp_path / "passwords.xlsx"
    output = run(
        "import_accounts",
        str(city_workbook(tmp_path / "accounts.xlsx")),
        "--passwords-out",
        str(passwords),
    )
    assert "导入完成：300 个单位，600 个账号，600 个角色" in output
    assert OrgUnit.objects.filter(kind=OrgUnitKind.OWNER_UNIT).count() == 200
    assert OrgUnit.objects.filter(kind=OrgUnitKind.DEPARTMENT).count() == 100
    under_department = OrgUnit.objects.select_related("parent__parent").get(name="370211项目单位3")
    assert unit_label(under_department) == "黄岛区 / 370211部门3 / 370211项目单位3"
    reporter = User.objects.get(username="r370211-3-1")
    assert reporter.must_change_password
    assert reporter.role_assignments.get().org_unit == under_department
    rows = list(load_workbook(passwords).active.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 600
    by_name = {row[0]: row for row in rows}
    assert by_name["r370211-3-1"][2] == "黄岛区 / 370211部门3 / 370211项目单位3"
    assert authenticate(username="city.dispatcher", password=by_name["city.dispatcher"][4])
    city = UserRole.objects.get(user__username="city.dispatcher")
    assert (city.role, city.org_unit) == (
        Role.DISPATCHER,
        OrgUnit.objects.get(region_code="370200"),
    )
    assert AuditEvent.objects.filter(object_type="accounts.user", action="create").count() == 603

    imported = run("import_ledger", str(ledger_file), "--year", "2026", "--as-of", "2026-08-31")
    assert "imported as city.dispatcher" in imported
    project = Project.objects.get(name="黄岛新港物流枢纽")
    owner = project.owner_unit
    assert owner is not None and unit_label(owner) == "黄岛区 / 青岛新港物流有限公司"

    # The owner unit the ledger made is found by its name under its region, not made twice.
    again = accounts_workbook(
        tmp_path / "more.xlsx",
        [["青岛新港物流有限公司", "项目单位", "黄岛区"]],
        [["xg.reporter", "新港填报员", "370211", "青岛新港物流有限公司", "项目填报员"]],
    )
    checked = run("import_accounts", str(again), "--dry-run")
    assert "1 个单位（新建 0 个），1 个账号（新建 1 个）" in checked and "试运行" in checked
    assert not User.objects.filter(username="xg.reporter").exists()
    output = run(
        "import_accounts", str(again), "--passwords-out", str(tmp_path / "more-passwords.xlsx")
    )
    assert "导入完成：0 个单位，1 个账号，1 个角色" in output
    assert OrgUnit.objects.filter(name="青岛新港物流有限公司").count() == 1
    assert UserRole.objects.get(user__username="xg.reporter").org_unit == owner
