"""The system administrator opens the org tree level by level, finds a unit by name, adds a
functional zone under 黄岛区 and moves it under 崂山区; the security administrator ends a
reporter's session, and the reporter's browser meets the sign-in page; the security
administrator asks for a second auditor and the auditor confirms it (三权分立), then sees
the acts on accounts on the home page; the security administrator asks for a new username
for the auditor (the auditor's deactivation is refused: the site's last auditor), the system
administrator confirms it and the auditor signs in under the new name; the security
administrator tightens the security policy, and the sign-in page states the new lockout."""

from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, expect

from tiaodu.accounts import services
from tiaodu.accounts.models import OrgUnit, User, UserRole
from tiaodu.core.roles import Role
from tiaodu.testing import DESKTOP, PASSWORD, PHONE, sign_in


def test_the_system_administrator_keeps_the_tree(
    page: Page, world: Any, on_thursday: None, screenshots: Path
) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in(page, "sysadmin")
    page.locator('a.nav-link[href="/administration/"]').click()
    expect(page.locator("h2.page-title")).to_have_text("组织机构")
    city = page.locator('[data-unit="青岛市"]')
    city.get_by_test_id("tree-toggle").first.click()
    expect(city.locator('[data-unit="黄岛区"]')).to_be_visible()
    expect(city.locator('[data-unit="青岛市住房和城乡建设局"]')).to_be_visible()
    page.screenshot(path=screenshots / "admin-tree.png", full_page=True)

    page.get_by_test_id("unit-search").fill("港湾")
    page.get_by_test_id("unit-search").press("Enter")
    expect(page.get_by_test_id("search-result")).to_have_count(1)
    expect(page.get_by_test_id("search-result")).to_contain_text("青岛市 › 黄岛区")
    page.get_by_test_id("search-result").click()
    # The tree is open down to the unit, which is selected.
    expect(page.locator('[data-unit="青岛港湾建设有限公司"]')).to_be_visible()
    expect(page.get_by_test_id("unit-panel")).to_contain_text("青岛港湾建设有限公司")
    page.screenshot(path=screenshots / "admin-tree-found.png", full_page=True)

    page.locator('[data-unit="黄岛区"] >> [data-testid="tree-name"]').first.click()
    page.get_by_test_id("add-form").locator("#id_add-name").fill("黄岛临港产业区")
    page.get_by_test_id("add-form").locator("#id_add-kind").select_option(label="功能区")
    page.get_by_test_id("add-save").click()
    expect(page.locator(".alert-success")).to_contain_text("已在黄岛区下新增黄岛临港产业区")
    expect(page.get_by_test_id("unit-panel")).to_contain_text("黄岛临港产业区")

    page.wait_for_load_state()
    page.get_by_test_id("move-search").fill("崂山")
    expect(page.get_by_test_id("move-target")).to_have_count(1)
    page.get_by_test_id("move-target").click()
    page.screenshot(path=screenshots / "admin-tree-move.png", full_page=True)
    page.get_by_test_id("move-save").click()
    expect(page.locator(".alert-success")).to_contain_text("黄岛临港产业区已移到崂山区之下")
    zone = OrgUnit.objects.get(name="黄岛临港产业区")
    assert zone.parent_id == world.laoshan.pk
    assert zone.path == f"{world.laoshan.path}{zone.pk}/"

    page.set_viewport_size(PHONE)
    page.screenshot(path=screenshots / "admin-tree-phone.png", full_page=True)
    page.goto("/administration/users/")
    expect(page.get_by_test_id("user-row")).to_have_count(11)
    page.screenshot(path=screenshots / "admin-users-phone.png", full_page=True)


def test_the_security_administrator_ends_a_session(
    page: Page, browser: Browser, base_url: str, world: Any, on_thursday: None, screenshots: Path
) -> None:
    reporter = browser.new_context(base_url=base_url, locale="zh-CN")
    rita = reporter.new_page()
    rita.goto("/accounts/login/")
    rita.fill("#id_username", "rita")
    rita.fill("#id_password", PASSWORD)
    rita.click("button[type=submit]")
    expect(rita.locator("h2.page-title")).to_be_visible()

    page.set_viewport_size(DESKTOP)
    sign_in(page, "secadmin")
    page.goto("/administration/sessions/")
    row = page.locator('[data-testid="session-row"][data-username="rita"]')
    expect(row).to_have_count(1)
    page.screenshot(path=screenshots / "admin-sessions.png", full_page=True)
    row.get_by_test_id("end-session").click()
    expect(page.locator(".alert-success")).to_contain_text("该浏览器须重新登录")
    expect(page.locator('[data-testid="session-row"][data-username="rita"]')).to_have_count(0)

    rita.reload()
    expect(rita).to_have_url(f"{base_url}/accounts/login/?next=/")
    reporter.close()


def test_a_second_administrator_confirms_a_new_auditor(
    page: Page, world: Any, screenshots: Path
) -> None:
    # On today's clock, not Thursday's: the home lists the latest acts, and the world's
    # own were written today.
    nina = services.create_user(actor=None, username="nina", password=PASSWORD, display_name="倪娜")
    page.set_viewport_size(DESKTOP)
    sign_in(page, "secadmin")
    page.goto(f"/administration/users/{nina.pk}/")
    page.get_by_test_id("role-form").locator("#id_role-role").select_option(Role.AUDITOR.value)
    page.get_by_test_id("give-role").click()
    expect(page.locator(".alert-success")).to_contain_text("已提交申请：授予管理员角色 · 倪娜")
    expect(page.get_by_test_id("account-waiting")).to_contain_text("授予管理员角色")
    page.get_by_test_id("area-nav-requests").click()
    row = page.locator('[data-testid="request-row"][data-username="nina"]')
    expect(row.get_by_test_id("withdraw-request")).to_be_visible()
    expect(row.get_by_test_id("confirm-request")).to_have_count(0)
    assert not UserRole.objects.filter(user=nina).exists()

    sign_in(page, "auditor")
    expect(page.get_by_test_id("waiting-count")).to_have_text("1")
    page.locator('a.nav-link[href="/administration/"]').click()
    expect(page.locator("h2.page-title")).to_have_text("待确认操作")
    page.screenshot(path=screenshots / "admin-requests.png", full_page=True)
    row.get_by_test_id("confirm-request").click()
    expect(page.locator(".alert-success")).to_contain_text("已确认：授予管理员角色 · 倪娜已执行")
    expect(row.get_by_test_id("request-status")).to_contain_text("已确认并执行")
    assert list(UserRole.objects.filter(user=nina).values_list("role", flat=True)) == [Role.AUDITOR]

    page.set_viewport_size(PHONE)
    page.goto("/")
    expect(page.get_by_test_id("administrator-acts")).to_contain_text(
        "由secadmin申请，经auditor确认"
    )
    page.screenshot(path=screenshots / "auditor-home-phone.png", full_page=True)


def test_an_administrators_new_username_is_confirmed_by_a_second_administrator(
    page: Page, world: Any, screenshots: Path
) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, "secadmin")
    page.goto(f"/administration/users/{world.auditor.pk}/")
    page.get_by_test_id("deactivate").click()
    expect(page.locator(".alert-danger")).to_contain_text("本站最后一位在用的审计员")
    page.get_by_test_id("username-form").locator("#id_rename-username").fill("auditor.wang")
    page.get_by_test_id("username-save").click()
    expect(page.locator(".alert-success")).to_contain_text(
        "已提交申请：修改管理员用户名 · Auditor → auditor.wang"
    )
    page.screenshot(path=screenshots / "admin-account-administrator-phone.png", full_page=True)
    assert User.objects.get(pk=world.auditor.pk).username == "auditor"

    page.set_viewport_size(DESKTOP)
    sign_in(page, "sysadmin")
    page.goto("/administration/requests/")
    row = page.locator('[data-testid="request-row"][data-username="auditor"]')
    row.get_by_test_id("confirm-request").click()
    expect(page.locator(".alert-success")).to_contain_text("修改管理员用户名")
    assert User.objects.get(pk=world.auditor.pk).username == "auditor.wang"

    sign_in(page, "auditor.wang")
    expect(page.get_by_test_id("administrator-acts")).to_contain_text(
        "由secadmin申请，经sysadmin确认"
    )


def test_the_security_administrator_tightens_the_security_policy(
    page: Page, browser: Browser, base_url: str, world: Any, screenshots: Path
) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in(page, "secadmin")
    page.goto("/administration/users/")
    page.get_by_test_id("area-nav-policy").click()
    expect(page.locator("h2.page-title")).to_have_text("安全策略")
    form = page.get_by_test_id("policy-form")
    expect(form.locator("#id_lockout_failures")).to_have_value("5")
    form.locator("#id_lockout_failures").fill("3")
    form.locator('input[name="second_factor_roles"][value="dispatcher"]').check()
    for role in ("system_admin", "security_admin", "auditor"):
        form.locator(f'input[name="second_factor_roles"][value="{role}"]').check()
    page.screenshot(path=screenshots / "admin-security-policy.png", full_page=True)
    page.get_by_test_id("policy-save").click()
    # In force at once: the security administrator's own role now signs in in two steps.
    expect(page.locator(".alert-success")).to_contain_text("安全策略已保存并生效")
    expect(page).to_have_url(f"{base_url}/accounts/two-factor/")

    visitor = browser.new_context(base_url=base_url, locale="zh-CN")
    login = visitor.new_page()
    login.set_viewport_size(PHONE)
    login.goto("/accounts/login/")
    expect(login.locator("body")).to_contain_text(
        "15分钟内输错密码3次，该账户将在您所在地址被锁定30分钟。"
    )
    visitor.close()
