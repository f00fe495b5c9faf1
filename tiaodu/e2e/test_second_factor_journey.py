"""A dispatcher whose role requires two-step sign-in signs in, is held on the enrolment page,
types the key into "the app" (the code computed here from the key the page shows), keeps the
recovery codes, and signs in again on a phone with one of them."""

from base64 import b32decode
from pathlib import Path
from typing import Any

from django_otp.oath import totp
from playwright.sync_api import Page, expect

from tiaodu.testing import DESKTOP, PASSWORD, PHONE

REQUIRED = frozenset({"system_admin", "security_admin", "auditor", "dispatcher"})


def test_a_dispatcher_enrols_and_signs_in_with_a_recovery_code(
    page: Page, world: Any, settings: Any, on_thursday: None, screenshots: Path
) -> None:
    settings.TIAODU_SECURITY = {**settings.TIAODU_SECURITY, "TOTP_REQUIRED_ROLES": REQUIRED}
    page.set_viewport_size(DESKTOP)
    page.goto("/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_test_id("enrol")).to_be_visible()
    expect(page.locator(".alert-warning").first).to_contain_text("请先完成设置")
    page.goto("/projects/")
    expect(page.get_by_test_id("enrol")).to_be_visible()
    page.screenshot(path=screenshots / "two-factor-enrol.png", full_page=True)

    typed = page.get_by_test_id("secret").inner_text().replace(" ", "")
    key = b32decode(typed + "=" * (-len(typed) % 8))
    page.fill("#id_code", f"{totp(key):06d}")
    page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("recovery-code")).to_have_count(10)
    recovery = page.get_by_test_id("recovery-code").first.inner_text()
    page.screenshot(path=screenshots / "two-factor-codes.png", full_page=True)
    page.get_by_role("link", name="我已保存，继续").click()
    expect(page.locator("h2.page-title")).to_be_visible()

    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    page.goto("/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_test_id("second-step")).to_be_visible()
    page.screenshot(path=screenshots / "two-factor-second-step-phone.png", full_page=True)
    page.fill("#id_code", recovery)
    page.click("button[type=submit]")
    expect(page.locator("h2.page-title")).to_be_visible()
    page.goto("/accounts/two-factor/")
    expect(page.get_by_test_id("two-factor-on")).to_contain_text("剩余恢复码9个")
