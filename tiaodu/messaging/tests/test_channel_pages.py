"""The system administrator's channel page: adding a robot, its secrets never shown back."""

from django.urls import reverse

from tiaodu.core.models import AuditEvent
from tiaodu.messaging.models import Channel
from tiaodu.testing import PASSWORD, assert_nothing_written

URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"


def test_the_system_administrator_adds_a_robot_whose_secrets_stay_hidden(world, client):
    client.login(username="alice", password=PASSWORD)
    assert client.get(reverse("messaging:channels")).status_code == 404
    client.login(username="sysadmin", password=PASSWORD)
    form = {
        "name": "黄岛区调度群",
        "kind": "dingtalk_robot",
        "webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=abcdef0123456789",
        "secret": "",
        "org_unit": world.huangdao.pk,
        "groups": ["problems", "supervision"],
        "is_active": "on",
    }
    with assert_nothing_written(Channel, AuditEvent):
        answer = client.post(reverse("messaging:channels"), form)
    assert "钉钉机器人需要填写加签密钥（以 SEC 开头）。" in answer.content.decode()
    form["secret"] = "SEC3f0c1e6b9e2a4d7c8b5a6f1e2d3c4b5a6978"
    assert client.post(reverse("messaging:channels"), form).status_code == 302
    channel = Channel.objects.get()
    assert (channel.org_unit, channel.groups) == (world.huangdao, ["problems", "supervision"])
    page = client.get(reverse("messaging:channels")).content.decode()
    assert "https://oapi.dingtalk.com/robot/send?…6789" in page
    assert "SEC…6978" in page
    assert "abcdef0123456789" not in page and form["secret"] not in page
    edit = client.get(reverse("messaging:channel_edit", args=[channel.pk])).content.decode()
    assert form["secret"] not in edit and "abcdef0123456789" not in edit
    event = AuditEvent.objects.get(object_type="messaging.channel")
    assert "secret" not in event.changes and "webhook_url" not in event.changes
    # a change that leaves the secret empty keeps it
    answer = client.post(
        reverse("messaging:channel_edit", args=[channel.pk]),
        {**form, "secret": "", "webhook_url": URL, "kind": "wecom_robot"},
    )
    assert answer.status_code == 302
    channel.refresh_from_db()
    assert (channel.kind, channel.secret) == ("wecom_robot", form["secret"])
