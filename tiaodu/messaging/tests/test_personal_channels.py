"""A person's own channels against the fake WeCom and SMS gateway on 127.0.0.1: their
choice per kind, quiet hours, the daily digest, and the settings page."""

import datetime as dt

from django.core import mail
from django.urls import reverse

from tiaodu.accounts.models import User
from tiaodu.core import clock
from tiaodu.core.models import AuditEvent
from tiaodu.core.notifications import notify
from tiaodu.messaging import routing, services
from tiaodu.messaging.choices import DeliveryStatus
from tiaodu.messaging.models import Delivery, MessagingProfile
from tiaodu.testing import PASSWORD, assert_nothing_written

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def at(hour, minute=0, day=5):
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


def choose(user, choices, **fields):
    values = {"wecom_user_id": "", "quiet_from": None, "quiet_until": None, "daily_digest": False}
    return services.save_profile(actor=user, choices=choices, **{**values, **fields})


def tell(capture, user, kind, title):
    with capture(execute=True):
        notify(recipients=[user], kind=kind, title=title, body="详见系统。", link="/problems/7/")


def test_wecom_follows_the_persons_choice_and_waits_out_their_quiet_hours(
    world, vendors, django_capture_on_commit_callbacks, deliver_due
):
    rita = world.rita
    User.objects.filter(pk=rita.pk).update(email="rita@example.gov.cn")
    rita.refresh_from_db()
    choose(
        rita,
        {"problems": ["wecom"], "reporting": []},
        wecom_user_id="WangLi",
        quiet_from=dt.time(22, 0),
        quiet_until=dt.time(7, 30),
    )
    with clock.frozen(at(23, 15)):
        tell(django_capture_on_commit_callbacks, rita, "problems.assigned", "问题已交办")
        tell(django_capture_on_commit_callbacks, rita, "reporting.urged", "请尽快填报")
        assert deliver_due() == 0
    # no e-mail: she chose WeCom for problems and nothing but the bell for reports
    assert mail.outbox == []
    assert rita.notifications.count() == 2
    waiting = Delivery.objects.get()
    assert (waiting.transport, waiting.due_at) == ("wecom", at(7, 30, day=6))
    with clock.frozen(at(7, 29, day=6)):
        assert deliver_due() == 0
    with clock.frozen(at(7, 30, day=6)):
        tell(django_capture_on_commit_callbacks, rita, "problems.resolved", "问题已办结")
        assert deliver_due() == 2
    assert [p["text"]["content"] for p in vendors.payloads("/cgi-bin/message/send")] == [
        "问题已交办\n详见系统。\n\nhttps://tiaodu.example.gov.cn/problems/7/",
        "问题已办结\n详见系统。\n\nhttps://tiaodu.example.gov.cn/problems/7/",
    ]
    assert {p["touser"] for p in vendors.payloads("/cgi-bin/message/send")} == {"WangLi"}
    assert vendors.tokens_issued == 1  # the access token is cached until it expires


def test_an_account_without_choices_is_emailed_as_before(world, django_capture_on_commit_callbacks):
    User.objects.filter(pk=world.bob.pk).update(email="bob@example.gov.cn")
    world.bob.refresh_from_db()
    tell(django_capture_on_commit_callbacks, world.bob, "problems.assigned", "问题已交办")
    assert [(m.subject, m.to) for m in mail.outbox] == [("问题已交办", ["bob@example.gov.cn"])]
    assert not Delivery.objects.exists()


def test_the_daily_digest_collects_the_days_notifications_by_each_chosen_channel(
    world, vendors, django_capture_on_commit_callbacks, deliver_due
):
    bob = world.bob
    User.objects.filter(pk=bob.pk).update(email="bob@example.gov.cn", phone="13912345678")
    bob.refresh_from_db()
    choose(bob, {"problems": ["email", "sms"], "scoring": ["email"]}, daily_digest=True)
    with clock.frozen(at(9, 5)):
        tell(django_capture_on_commit_callbacks, bob, "problems.assigned", "问题已交办")
    with clock.frozen(at(15, 40)):
        tell(django_capture_on_commit_callbacks, bob, "scoring.appeal_decided", "申诉已裁定")
        assert deliver_due() == 0
    assert mail.outbox == []
    assert vendors.received == []
    with clock.frozen(at(18, 0)), django_capture_on_commit_callbacks(execute=True):
        digests = routing.collect_digests(now=clock.now())
        assert deliver_due() == 2
    assert len(digests) == 2
    [email] = mail.outbox
    assert (email.subject, email.to) == ("今日通知汇总：2 条", ["bob@example.gov.cn"])
    assert email.body == (
        "09:05 问题已交办\n15:40 申诉已裁定\nhttps://tiaodu.example.gov.cn/notifications/"
    )
    [sms] = vendors.payloads("/sms")
    assert sms == {
        "mobile": "13912345678",
        "template": "SMS_501234",
        "params": {
            "title": "今日通知汇总：1 条",
            "text": "09:05 问题已交办\nhttps://tiaodu.example.gov.cn/notifications/",
        },
    }
    assert set(Delivery.objects.values_list("status", flat=True)) == {
        DeliveryStatus.COLLECTED,
        DeliveryStatus.SENT,
    }


def test_a_person_sets_their_channels_on_their_own_page(world, client):
    client.login(username="rita", password=PASSWORD)
    url = reverse("messaging:settings")
    page = client.get(url).content.decode()
    assert "问题" in page and "企业微信消息" in page
    form = {
        "wecom_user_id": "WangLi",
        "quiet_from": "22:00",
        "quiet_until": "",
        "group_problems": ["email", "wecom"],
    }
    with assert_nothing_written(MessagingProfile, AuditEvent):
        answer = client.post(url, form)
    assert "免打扰时段请填写开始和结束时间，或都不填。" in answer.content.decode()
    answer = client.post(url, {**form, "quiet_until": "07:00", "daily_digest": "on"})
    assert answer.status_code == 302
    profile = MessagingProfile.objects.get(user=world.rita)
    assert profile.choices == {
        "reporting": [],
        "problems": ["email", "wecom"],
        "supervision": [],
        "scoring": [],
        "other": [],
    }
    assert (profile.quiet_from, profile.quiet_until, profile.daily_digest) == (
        dt.time(22),
        dt.time(7),
        True,
    )
    assert AuditEvent.objects.filter(object_type="messaging.messagingprofile").count() == 1
