"""A first site through the pages, from an empty database (docs/deployment.md, "A first site
in three commands"): the region tree and the three administrators are made on the server;
the system administrator signs in with the one-time password, chooses their own and
imports the city's units and accounts from Excel; the security administrator imports the
same workbook to give the roles; the city's dispatcher signs in with the password from the
file the system administrator downloaded, and imports the ledger, whose project is then in
the library. No `world`: nothing exists before."""

from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tiaodu.accounts.models import UserRole
from tiaodu.accounts.tests.workbooks import accounts_workbook
from tiaodu.core.roles import Role
from tiaodu.projects.models import Project
from tiaodu.projects.tests.test_ledger_import import ROW_1, ledger
from tiaodu.testing import DESKTOP

WAIT = 60_000  # ms: waiting for the worker process, on a shared machine
UNITS: list[list[str | None]] = [
    ["青岛市住房和城乡建设局", "部门", "青岛市"],
    ["青岛新港物流有限公司", "项目单位", "黄岛区"],
]
USERS: list[list[str | None]] = [
    ["city.disp", "陈调度", "青岛市", None, "调度员"],
    ["xg.rep", "徐填报", "黄岛区", "青岛新港物流有限公司", "项目填报员"],
]


def first_sign_in(page: Page, username: str, one_time: str, chosen: str) -> None:
    """Sign in with a one-time password: the site asks for a new one before anything else."""
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", one_time)
    page.click("button[type=submit]")
    expect(page.locator("#id_new_password")).to_be_visible()
    page.fill("#id_old_password", one_time)
    page.fill("#id_new_password", chosen)
    page.fill("#id_new_password_again", chosen)
    page.locator("form.card button[type=submit]").click()
    expect(page.locator("#id_new_password")).to_have_count(0)
    expect(page.locator("h2.page-title")).to_be_visible()
    page.wait_for_load_state("load")


def import_workbook(page: Page, workbook: Path) -> None:
    """Upload the workbook in 系统管理 › Excel 批量导入, read the preview, import."""
    page.goto("/administration/")
    page.get_by_test_id("area-nav-import").click()
    page.set_input_files("#id_file", str(workbook))
    page.get_by_test_id("check").click()
    expect(page.get_by_test_id("ready")).to_be_visible()
    page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("applied")).to_be_visible()


def test_a_first_site_through_the_pages(
    page: Page, transactional_db: None, task_worker: Any, screenshots: Path, tmp_path: Path
) -> None:
    page.set_viewport_size(DESKTOP)
    call_command("setup_site", "--region", "370200", stdout=StringIO())
    printed = StringIO()
    call_command(
        "create_administrators",
        "--system",
        "wang.sys",
        "--security",
        "li.sec",
        "--auditor",
        "zhao.audit",
        stdout=printed,
        stderr=StringIO(),
    )
    one_time = {
        line.split("\t")[1]: line.split("\t")[2] for line in printed.getvalue().splitlines()
    }
    workbook = accounts_workbook(tmp_path / "青岛市账号.xlsx", UNITS, USERS)

    # The system administrator: the units and the accounts; the roles wait for the security
    # administrator.
    first_sign_in(page, "wang.sys", one_time["wang.sys"], "Xitong#2026-qingdao")
    import_workbook(page, workbook)
    expect(page.get_by_test_id("count-users")).to_have_text("2")
    page.screenshot(path=screenshots / "first-site-accounts.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_test_id("passwords").click()
    download.value.save_as(tmp_path / "passwords.xlsx")
    rows = load_workbook(tmp_path / "passwords.xlsx").active.iter_rows(min_row=3, values_only=True)
    passwords = {row[0]: row[4] for row in rows}
    assert set(passwords) == {"city.disp", "xg.rep"}
    assert not UserRole.objects.filter(user__username="city.disp").exists()

    # The security administrator: the same workbook gives the roles, and creates nothing.
    first_sign_in(page, "li.sec", one_time["li.sec"], "Anquan#2026-qingdao")
    import_workbook(page, workbook)
    page.screenshot(path=screenshots / "first-site-roles.png", full_page=True)
    role = UserRole.objects.select_related("org_unit").get(user__username="city.disp")
    assert role.org_unit is not None
    assert (role.role, role.org_unit.region_code) == (Role.DISPATCHER, "370200")

    # The city's dispatcher: the ledger, checked and written by the worker.
    first_sign_in(page, "city.disp", passwords["city.disp"], "Diaodu#2026-qingdao")
    page.goto("/projects/")
    page.get_by_test_id("import-ledger").click()
    page.set_input_files("#id_file", str(ledger(tmp_path / "青岛市台账.xlsx", [ROW_1])))
    page.fill("#id_year", "2026")
    page.get_by_test_id("upload").click()
    expect(page.get_by_test_id("confirm")).to_be_visible(timeout=WAIT)
    page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("applied")).to_be_visible(timeout=WAIT)
    page.get_by_test_id("library-link").click()
    page.fill("#id_q", "黄岛新港物流枢纽")
    expect(page.locator("table tbody tr")).to_have_count(1)
    page.screenshot(path=screenshots / "first-site-library.png", full_page=True)
    project = Project.objects.select_related("owner_unit").get(name="黄岛新港物流枢纽")
    # The owner unit the accounts workbook made is the ledger's: found, not made twice.
    assert project.owner_unit is not None
    assert project.owner_unit.name == "青岛新港物流有限公司"
    assert UserRole.objects.get(user__username="xg.rep").org_unit == project.owner_unit
