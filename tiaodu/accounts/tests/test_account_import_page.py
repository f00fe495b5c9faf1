"""The accounts import in the administration area: the template, a workbook with mistakes
(every one listed, nothing written), the system administrator's import (units and accounts)
then the security administrator's (the roles), and the passwords file taken once.

Personas (tiaodu.testing): sysadmin creates units and accounts, secadmin gives roles;
alice (a city dispatcher) and auditor open none of it.
"""

from datetime import timedelta
from io import BytesIO

import pytest
from django.db.models import F
from openpyxl import load_workbook

from tiaodu.accounts.import_models import AccountImport
from tiaodu.accounts.models import OrgUnit, User, UserRole
from tiaodu.accounts.tests.workbooks import accounts_workbook
from tiaodu.core.models import AuditEvent
from tiaodu.core.roles import Role
from tiaodu.testing import assert_nothing_written

pytestmark = pytest.mark.django_db

UNITS = [
    ["黄岛区发展和改革局", "部门", "370211"],
    ["青岛港湾建设有限公司", "项目单位", "黄岛区"],  # the world's: found, not made again
    ["黄岛新区建设公司", "项目单位", "370211", "黄岛区发展和改革局"],
]
USERS: list[list[object]] = [
    ["huang.disp", "黄调度", "370211", None, "调度员", None, "13800000001"],
    ["huang.rep", "黄填报", "370211", "黄岛新区建设公司", "项目填报员"],
    ["huang.lead", "黄领导", "黄岛区", None, "领导", "是"],
]


def uploaded(response):
    """The upload the check page redirects to."""
    return AccountImport.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


def upload(client, path):
    with open(path, "rb") as handle:
        return client.post("/administration/import/", {"file": handle})


def test_the_template_has_both_sheets_with_chinese_headers_an_example_and_notes(client, world):
    client.force_login(world.sysadmin)
    response = client.get("/administration/import/template/")
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["组织机构", "用户", "填写说明"]
    assert [cell.value for cell in workbook["组织机构"][1]] == [
        "单位名称*", "单位类型*", "所属区域*", "上级部门", "统一社会信用代码", "联系电话",
    ]  # fmt: skip
    assert [cell.value for cell in workbook["用户"][2]][:5] == [
        "zhang.san", "张三", "370202", "市南区发展和改革局", "调度员",
    ]  # fmt: skip
    notes = " ".join(str(cell.value) for row in workbook["填写说明"] for cell in row if cell.value)
    assert "部门、项目单位 或 功能区" in notes and "项目填报员" in notes


def test_every_mistake_is_listed_with_its_place_and_nothing_is_written(client, world, tmp_path):
    client.force_login(world.sysadmin)
    path = accounts_workbook(
        tmp_path / "错误.xlsx",
        [
            ["市北区某局", "科室", "370203"],
            ["某公司", "项目单位", "999999"],
            ["某公司二", "项目单位", "370203", "不存在的局"],
        ],
        [
            ["alice", "重名", "370211", None, "调度员"],
            ["bad name!", "某人", "370211"],
            ["x.rep", "某人", "370211", None, "项目填报员"],
            ["x.sec", "某人", "370211", None, "安全管理员"],
            ["x.mail", "某人", "370211", None, "巡视员", None, None, "not-an-email"],
        ],
    )
    with assert_nothing_written(OrgUnit, User, UserRole):
        response = upload(client, path)
    item = AccountImport.objects.get()
    assert response.status_code == 302
    page = client.get(f"/administration/import/{item.pk}/").content.decode()
    places = [(e["sheet"], e["row"], e["column"]) for e in item.errors]
    assert places == [
        ("组织机构", 2, "单位类型"),
        ("组织机构", 3, "所属区域"),
        ("组织机构", 4, "上级部门"),
        ("用户", 2, "角色"),  # alice is a dispatcher of the city already
        ("用户", 3, "用户名"),
        ("用户", 4, "所属单位"),
        ("用户", 5, "角色"),
        ("用户", 6, "电子邮箱"),
        ("用户", 6, "角色"),
    ]
    assert "“科室”不是单位类型" in page
    assert "“999999”不是本站的区域" in page
    assert "已在另一单位" in page
    assert "不能通过导入授予" in page
    assert "“巡视员”不是角色" in page
    assert "共有 9 个错误，未导入任何内容" in page.replace("\n", "")
    assert 'data-testid="confirm"' not in page
    with assert_nothing_written(OrgUnit, User, UserRole):
        refused = client.post(f"/administration/import/{item.pk}/apply/")
    assert refused.status_code == 302


def test_accounts_by_the_system_administrator_then_roles_by_the_security_administrator(
    client, world, tmp_path
):
    path = accounts_workbook(tmp_path / "黄岛.xlsx", UNITS, USERS)
    client.force_login(world.sysadmin)
    item = uploaded(upload(client, path))
    preview = client.get(f"/administration/import/{item.pk}/").content.decode()
    assert item.summary == {
        "units": 3,
        "new_units": 2,
        "users": 3,
        "new_users": 3,
        "roles": 3,
        "errors": 0,
    }
    assert "黄岛区 / 黄岛区发展和改革局" in preview
    client.post(f"/administration/import/{item.pk}/apply/")
    units_before = OrgUnit.objects.count()
    assert OrgUnit.objects.filter(name="青岛港湾建设有限公司").get() == world.unit_a
    assert not UserRole.objects.filter(user__username__startswith="huang.").exists()
    assert AuditEvent.objects.filter(message__contains="2 个单位、3 个账号、0 个角色").count() == 1

    # The passwords file: once, to the importer only.
    client.force_login(world.secadmin)
    assert client.get(f"/administration/import/{item.pk}/passwords/").status_code == 404
    client.force_login(world.sysadmin)
    taken = client.get(f"/administration/import/{item.pk}/passwords/")
    assert taken.status_code == 200
    rows = list(load_workbook(BytesIO(taken.content)).active.iter_rows(min_row=3, values_only=True))
    assert [row[:3] for row in rows] == [
        ("huang.disp", "黄调度", "黄岛区"),
        ("huang.rep", "黄填报", "黄岛区 / 黄岛区发展和改革局 / 黄岛新区建设公司"),
        ("huang.lead", "黄领导", "黄岛区"),
    ]
    assert User.objects.get(username="huang.rep").check_password(rows[1][4])
    assert client.get(f"/administration/import/{item.pk}/passwords/").status_code == 404
    assert AccountImport.objects.get(pk=item.pk).passwords is None

    # A passwords file nobody downloaded is erased after a day.
    late = uploaded(
        upload(
            client, accounts_workbook(tmp_path / "晚.xlsx", [], [["late.rep", "迟到", "370211"]])
        )
    )
    client.post(f"/administration/import/{late.pk}/apply/")
    AccountImport.objects.filter(pk=late.pk).update(
        applied_at=F("applied_at") - timedelta(hours=25)
    )
    assert client.get(f"/administration/import/{late.pk}/passwords/").status_code == 404
    assert AccountImport.objects.get(pk=late.pk).passwords is None
    assert (
        "密码文件未在24小时内下载，已删除"
        in client.get(f"/administration/import/{late.pk}/").content.decode()
    )

    client.force_login(world.secadmin)
    second = uploaded(upload(client, path))
    assert second.summary["new_users"] == 0 and second.errors == []
    client.post(f"/administration/import/{second.pk}/apply/")
    roles = {
        (a.user.username, a.role, a.org_unit.name if a.org_unit else None, a.assigned_only)
        for a in UserRole.objects.filter(user__username__startswith="huang.").select_related(
            "user", "org_unit"
        )
    }
    assert roles == {
        ("huang.disp", Role.DISPATCHER, "黄岛区", False),
        ("huang.rep", Role.REPORTER, "黄岛新区建设公司", False),
        ("huang.lead", Role.LEADER, None, True),
    }
    assert OrgUnit.objects.count() == units_before
    assert client.get(f"/administration/import/{item.pk}/").status_code == 404
    client.force_login(world.alice)
    assert client.get("/administration/import/").status_code == 404
    assert client.get(f"/administration/import/{second.pk}/").status_code == 404
