"""The org units' group robots against a fake WeCom and DingTalk on 127.0.0.1: what they
post, DingTalk's signature, retries, the dead-letter page and sending again."""

import datetime as dt

from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tiaodu.core import clock
from tiaodu.core.models import AuditEvent
from tiaodu.core.notifications import notify
from tiaodu.messaging import services, tasks
from tiaodu.messaging.choices import ChannelKind, DeliveryStatus
from tiaodu.messaging.models import Delivery
from tiaodu.messaging.tests.fake_vendors import DINGTALK_SECRET, DINGTALK_TOKEN, WECOM_KEY
from tiaodu.testing import PASSWORD, TODAY

AT = dt.datetime(2026, 11, 5, 9, 30, tzinfo=dt.UTC)


def robot(world, vendors, kind, **fields):
    values = {
        "name": "黄岛区调度群",
        "kind": kind,
        "webhook_url": f"{vendors.url}/cgi-bin/webhook/send?key={WECOM_KEY}",
        "secret": "",
        "org_unit": world.huangdao,
        "groups": ["problems"],
        "is_active": True,
    }
    return services.create_channel(actor=world.sysadmin, **{**values, **fields})


def assigned(world, capture, *recipients):
    with capture(execute=True):
        notify(
            recipients=recipients,
            kind="problems.assigned",
            title="问题已交办：征地拆迁",
            body="请于11月12日前处理。",
            link="/problems/7/",
        )


def test_a_units_wecom_robot_posts_what_its_accounts_are_told(
    world, vendors, django_capture_on_commit_callbacks, deliver_due
):
    robot(world, vendors, ChannelKind.WECOM_ROBOT)
    with clock.frozen(AT):
        assigned(world, django_capture_on_commit_callbacks, world.rita, world.bob)
        # a group the robot does not take, and a unit outside 黄岛区: nothing for it
        with django_capture_on_commit_callbacks(execute=True):
            notify(recipients=[world.rita], kind="reporting.urged", title="请尽快填报")
            notify(recipients=[world.bob], kind="problems.assigned", title="崂山区的问题")
        queued = DBTaskResult.objects.filter(task_path=tasks.deliver.module_path)
        assert queued.count() == 1
        assert deliver_due() == 1
    assert vendors.payloads("/cgi-bin/webhook/send") == [
        {
            "msgtype": "markdown",
            "markdown": {
                "content": "**问题已交办：征地拆迁**\n请于11月12日前处理。\n\n"
                "https://tiaodu.example.gov.cn/problems/7/\n\n发送给：Rita"
            },
        }
    ]
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_a_dingtalk_robot_signs_each_post(
    world, vendors, django_capture_on_commit_callbacks, deliver_due
):
    url = f"{vendors.url}/robot/send?access_token={DINGTALK_TOKEN}"
    good = robot(
        world, vendors, ChannelKind.DINGTALK_ROBOT, webhook_url=url, secret=DINGTALK_SECRET
    )
    bad = robot(
        world,
        vendors,
        ChannelKind.DINGTALK_ROBOT,
        name="签名错误",
        webhook_url=url,
        secret="SECwrong0000000",
    )
    with clock.frozen(AT):
        assigned(world, django_capture_on_commit_callbacks, world.rita)
        deliver_due()
    [payload] = vendors.payloads("/robot/send")
    assert payload["msgtype"] == "markdown"
    assert payload["markdown"]["title"] == "问题已交办：征地拆迁"
    assert payload["markdown"]["text"].startswith(
        "#### 问题已交办：征地拆迁\n\n请于11月12日前处理。"
    )
    assert good.deliveries.get().status == DeliveryStatus.SENT
    refused = bad.deliveries.get()
    assert (refused.status, refused.attempts) == (DeliveryStatus.PENDING, 1)
    assert refused.last_error == "errcode 310000: sign not match"


def test_a_failing_robot_is_retried_then_left_for_the_administrator_to_send_again(
    world, vendors, client, django_capture_on_commit_callbacks, deliver_due
):
    robot(world, vendors, ChannelKind.WECOM_ROBOT)
    vendors.failing = True
    with clock.frozen(AT):
        assigned(world, django_capture_on_commit_callbacks, world.rita)
        deliver_due()
    delivery = Delivery.objects.get()
    # the first retry waits the backoff (60 s), and is queued to run then
    assert delivery.due_at == AT + dt.timedelta(seconds=60)
    queued = DBTaskResult.objects.filter(task_path=tasks.deliver.module_path)
    assert queued.filter(run_after=AT + dt.timedelta(seconds=60)).count() == 1
    with clock.frozen(AT + dt.timedelta(seconds=59)):
        assert deliver_due() == 0
    with clock.frozen(AT + dt.timedelta(seconds=60)):
        deliver_due()
    delivery.refresh_from_db()
    assert delivery.due_at == AT + dt.timedelta(seconds=180)  # then 120 s more
    with clock.frozen(AT + dt.timedelta(seconds=180)):
        deliver_due()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DEAD, 3)
    assert delivery.last_error == "HTTP 500 Internal Server Error"
    assert vendors.received == []

    client.login(username="alice", password=PASSWORD)
    assert client.get(reverse("messaging:dead_letters")).status_code == 404
    assert client.post(reverse("messaging:send_again", args=[delivery.pk])).status_code == 404
    client.login(username="sysadmin", password=PASSWORD)
    page = client.get(reverse("messaging:dead_letters")).content.decode()
    assert "问题已交办：征地拆迁" in page
    assert "HTTP 500 Internal Server Error" in page
    assert "黄岛区调度群" in page

    vendors.failing = False
    with clock.frozen(dt.datetime.combine(TODAY, dt.time(10, 0), tzinfo=dt.UTC)):
        with django_capture_on_commit_callbacks(execute=True):
            answer = client.post(reverse("messaging:send_again", args=[delivery.pk]))
        assert answer.status_code == 302
        deliver_due()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)
    assert len(vendors.payloads("/cgi-bin/webhook/send")) == 1
    event = AuditEvent.objects.filter(object_type="messaging.delivery").get()
    assert (event.actor_name, event.message) == ("sysadmin", "再次发送")
