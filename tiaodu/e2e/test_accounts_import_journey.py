"""The system administrator downloads the accounts template, fills it in, uploads it and
meets a mistake listed with its sheet, row and column; corrects it, reads the preview,
imports, and downloads the new accounts' passwords file, once."""

from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tiaodu.accounts.models import OrgUnit, User
from tiaodu.testing import DESKTOP, sign_in


def filled(template: Path, path: Path, dispatcher_region: str) -> Path:
    """The template as an administrator fills it: the example rows replaced by the district's
    (the dispatcher's region as given)."""
    region = "370211"
    workbook = load_workbook(template)
    units, users = workbook["组织机构"], workbook["用户"]
    for row, values in enumerate(
        [
            ["黄岛区发展和改革局", "部门", region],
            ["黄岛区交通运输局", "部门", region],
            ["青岛港湾建设有限公司", "项目单位", "黄岛区"],
            ["黄岛新区建设公司", "项目单位", region, "黄岛区发展和改革局"],
        ],
        start=2,
    ):
        for column, value in enumerate(values, start=1):
            units.cell(row=row, column=column).value = value
    accounts: list[list[str | None]] = [
        ["huang.disp", "黄海", dispatcher_region, None, "调度员", None, "13800000001"],
        ["huang.fgj", "王芳", region, "黄岛区发展和改革局", "部门经办"],
        ["huang.rep", "刘洋", region, "黄岛新区建设公司", "项目填报员"],
    ]
    for row, cells in enumerate(accounts, start=2):
        for column in range(1, 9):
            users.cell(row=row, column=column).value = (
                cells[column - 1] if column <= len(cells) else None
            )
    workbook.save(path)
    return path


def test_the_system_administrator_imports_accounts_from_excel(
    page: Page, world: Any, screenshots: Path, tmp_path: Path
) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in(page, "sysadmin")
    page.goto("/administration/")
    page.get_by_test_id("area-nav-import").click()
    expect(page.locator("h2.page-title")).to_have_text("Excel 批量导入账号")
    expect(page.get_by_test_id("division-of-work")).to_contain_text("安全管理员")
    page.screenshot(path=screenshots / "accounts-import.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_test_id("template").click()
    assert download.value.suggested_filename == "账号导入模板.xlsx"
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    page.set_input_files(
        "#id_file", str(filled(template, tmp_path / "黄岛区账号（有误）.xlsx", "黄岛"))
    )
    page.get_by_test_id("check").click()
    expect(page.get_by_test_id("has-errors")).to_contain_text("1 个错误")
    expect(page.get_by_test_id("error-row")).to_contain_text("“黄岛”不是本站的区域")
    expect(page.get_by_test_id("confirm")).to_have_count(0)
    page.screenshot(path=screenshots / "accounts-import-errors.png", full_page=True)
    assert not User.objects.filter(username__startswith="huang.").exists()

    page.get_by_text("导入另一个文件").click()
    page.set_input_files("#id_file", str(filled(template, tmp_path / "黄岛区账号.xlsx", "370211")))
    page.get_by_test_id("check").click()
    expect(page.get_by_test_id("ready")).to_be_visible()
    expect(page.get_by_test_id("unit-rows")).to_contain_text("已有")
    expect(page.get_by_test_id("user-rows")).to_contain_text(
        "部门经办 · 黄岛区 / 黄岛区发展和改革局"
    )
    page.screenshot(path=screenshots / "accounts-import-preview.png", full_page=True)

    page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("applied")).to_be_visible()
    expect(page.get_by_test_id("count-users")).to_have_text("3")
    page.screenshot(path=screenshots / "accounts-import-done.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_test_id("passwords").click()
    passwords = tmp_path / download.value.suggested_filename
    download.value.save_as(passwords)
    rows = list(load_workbook(passwords).active.iter_rows(min_row=3, values_only=True))
    assert [row[0] for row in rows] == ["huang.disp", "huang.fgj", "huang.rep"]
    assert User.objects.get(username="huang.rep").check_password(rows[2][4])
    assert OrgUnit.objects.filter(name="青岛港湾建设有限公司").count() == 1

    page.reload()
    expect(page.get_by_test_id("passwords-taken")).to_be_visible()
    expect(page.get_by_test_id("passwords")).to_have_count(0)
    page.screenshot(path=screenshots / "accounts-import-passwords-taken.png", full_page=True)
