"""The system administrator adds the 黄岛区 group robot (its key never shown back), finds a
message that failed every attempt on the failed-messages page and sends it again; a
reporter chooses WeCom for problems, with quiet hours, on her own message settings page."""

from pathlib import Path
from typing import Any

from django.core.cache import cache
from playwright.sync_api import Page, expect

from tiaodu.core.notifications import notify
from tiaodu.messaging import sending, tasks
from tiaodu.messaging.choices import DeliveryStatus
from tiaodu.messaging.models import Delivery, MessagingProfile
from tiaodu.messaging.tests import fake_vendors
from tiaodu.testing import DESKTOP, PHONE, sign_in


def test_the_system_administrator_keeps_the_channels(
    page: Page, world: Any, on_thursday: None, screenshots: Path, settings: Any
) -> None:
    vendors, server = fake_vendors.serve()
    settings.TIAODU_MESSAGING = {**settings.TIAODU_MESSAGING, "ATTEMPTS": 1, "TIMEOUT": 5}
    try:
        page.set_viewport_size(DESKTOP)
        sign_in(page, "sysadmin")
        page.goto("/administration/")
        page.get_by_test_id("area-nav-channels").click()
        expect(page.locator("h2.page-title")).to_have_text("消息渠道")
        form = page.get_by_test_id("channel-form")
        form.locator("#id_name").fill("黄岛区调度工作群")
        form.locator("#id_kind").select_option(label="企业微信群机器人")
        key = fake_vendors.WECOM_KEY
        form.locator("#id_webhook_url").fill(f"{vendors.url}/cgi-bin/webhook/send?key={key}")
        form.locator("#id_org_unit").select_option(label="　黄岛区")
        form.get_by_label("问题").check()
        form.get_by_label("督办与批示").check()
        page.get_by_test_id("channel-save").click()
        expect(page.locator(".alert-success")).to_contain_text("已添加渠道“黄岛区调度工作群”")
        row = page.get_by_test_id("channel-row")
        expect(row).to_contain_text("黄岛区")
        expect(row.get_by_test_id("channel-url")).to_contain_text(f"?…{key[-4:]}")
        expect(row.get_by_test_id("channel-url")).not_to_contain_text(key)
        page.screenshot(path=screenshots / "messaging-channels.png", full_page=True)

        # The group's robot is down: the notification's one attempt fails.
        vendors.failing = True
        notify(
            recipients=[world.rita, world.dora],
            kind="problems.assigned",
            title="问题已交办：港湾物流园征地拆迁",
            body="请于11月12日前处理。",
            link="/problems/",
        )
        delivery = Delivery.objects.get()
        sending.attempt(delivery.pk)
        page.get_by_test_id("area-nav-dead_letters").click()
        expect(page.locator("h2.page-title")).to_have_text("发送失败的消息")
        letter = page.get_by_test_id("dead-letter-row")
        expect(letter).to_contain_text("黄岛区调度工作群")
        expect(letter).to_contain_text("问题已交办：港湾物流园征地拆迁")
        expect(letter.get_by_test_id("dead-letter-error")).to_have_text(
            "HTTP 500 Internal Server Error"
        )
        page.screenshot(path=screenshots / "messaging-dead-letters.png", full_page=True)

        vendors.failing = False
        letter.get_by_test_id("send-again").click()
        expect(page.locator(".alert-success")).to_contain_text("已重新排队发送")
        expect(page.get_by_test_id("dead-letter-row")).to_have_count(0)
        tasks.deliver.call(delivery.pk)
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.SENT
        [payload] = vendors.payloads("/cgi-bin/webhook/send")
        assert payload["markdown"]["content"].endswith("发送给：Dora、Rita")
        page.screenshot(path=screenshots / "messaging-dead-letters-empty.png", full_page=True)
    finally:
        server.shutdown()
        server.server_close()
        cache.clear()


def test_a_reporter_chooses_her_channels(
    page: Page, world: Any, on_thursday: None, screenshots: Path
) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in(page, "rita")
    page.get_by_title("打开用户菜单").click()
    page.get_by_role("link", name="消息设置").click()
    expect(page.locator("h2.page-title")).to_have_text("消息设置")
    form = page.get_by_test_id("message-settings")
    form.locator('input[name="group_problems"][value="wecom"]').check()
    form.locator('input[name="group_problems"][value="email"]').uncheck()
    form.locator("#id_wecom_user_id").fill("WangLi")
    form.locator("#id_quiet_from").fill("22:00")
    form.locator("#id_quiet_until").fill("07:30")
    page.get_by_test_id("settings-save").click()
    expect(page.locator(".alert-success")).to_contain_text("您的消息设置已保存")
    profile = MessagingProfile.objects.get(user=world.rita)
    assert profile.choices["problems"] == ["wecom"]
    assert str(profile.quiet_from) == "22:00:00"
    page.screenshot(path=screenshots / "messaging-settings.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=screenshots / "messaging-settings-phone.png", full_page=True)
