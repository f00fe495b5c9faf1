"""催报: October 2026 (monthly, due Tue 11-03) in the personas' city, on Thu 11-05.

Nothing is handed in: unit A (rita, 黄岛区) misses p1 and p6, unit B (bob, 崂山区) misses
p3; p2, p4 and p5 have no owner unit. alice is the city's dispatcher, dora 黄岛区's, lena
a leader of 崂山区.
"""

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tiaodu.accounts.models import User
from tiaodu.core.models import AuditEvent, Notification
from tiaodu.projects.models import AnnualPlan
from tiaodu.reporting import services, urging
from tiaodu.reporting.models import Period, ReportUrge
from tiaodu.reporting.reminders import send_reminders
from tiaodu.testing import assert_nothing_written

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int = 9, minute: int = 30) -> Any:
    return time_machine.travel(
        dt.datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI), tick=False
    )


def unit_plans(world: Any, unit: Any) -> Any:
    return AnnualPlan.objects.filter(project__owner_unit=unit)


@pytest.fixture
def emails(world: Any) -> None:
    User.objects.filter(username="rita").update(email="rita@example.cn")
    User.objects.filter(username="bob").update(email="bob@example.cn")


def test_one_unit_is_urged_its_reporters_alone_are_told(
    world: Any, october: Period, emails: None, django_capture_on_commit_callbacks: Any
) -> None:
    with at(5), django_capture_on_commit_callbacks(execute=True):
        outcome = urging.urge_reporters(
            actor=world.alice, period=october, plans=unit_plans(world, world.unit_a)
        )
    [urge] = outcome.urged
    assert (urge.owner_unit, urge.day, urge.urged_by) == (
        world.unit_a,
        dt.date(2026, 11, 5),
        world.alice,
    )
    assert list(urge.reporters.all()) == [world.rita]
    assert urge.projects == ["港湾物流园仓储中心", "黄岛港区集装箱码头三期"]
    notice = Notification.objects.get()
    assert notice.recipient == world.rita and notice.kind == "reporting.urged"
    assert notice.title == "Alice催报：2026年10月的报告（2026-11-03截止）尚未报送"
    assert notice.body.splitlines() == [
        "青岛港湾建设有限公司还有 2 个项目未报送：",
        "· 港湾物流园仓储中心",
        "· 黄岛港区集装箱码头三期",
    ]
    assert notice.link == reverse("reporting:due")
    assert [message.to for message in mail.outbox] == [["rita@example.cn"]]
    assert mail.outbox[0].subject == notice.title
    event = AuditEvent.objects.get(object_type="reporting.reporturge")
    assert event.actor == world.alice
    assert event.changes["reporters"] == ["", "Rita"]


def test_urge_all_reaches_each_unit_with_its_own_projects(world: Any, october: Period) -> None:
    with at(5):
        outcome = urging.urge_reporters(actor=world.alice, period=october)
    assert sorted(u.owner_unit.name for u in outcome.urged) == [
        "崂山科创发展有限公司",
        "青岛港湾建设有限公司",
    ]
    bob = Notification.objects.get(recipient=world.bob)
    assert bob.body.splitlines()[1:] == ["· 崂山科创园一期"]
    assert Notification.objects.filter(recipient=world.rita).count() == 1
    assert Notification.objects.count() == 2


def test_a_unit_is_urged_once_a_day(world: Any, october: Period) -> None:
    plans = unit_plans(world, world.unit_a)
    with at(5):
        urging.urge_reporters(actor=world.alice, period=october, plans=plans)
    with (
        at(5, 16, 0),
        assert_nothing_written(ReportUrge, Notification, AuditEvent),
        pytest.raises(ValidationError) as refused,
    ):
        urging.urge_reporters(actor=world.dora, period=october, plans=plans)
    assert refused.value.messages == ["青岛港湾建设有限公司今日09:30已催报，明天可再次催报。"]
    # Urging all the same day urges the others and leaves unit A alone.
    with at(5, 16, 0):
        outcome = urging.urge_reporters(actor=world.alice, period=october)
    assert [u.owner_unit for u in outcome.urged] == [world.unit_b]
    assert [u.owner_unit for u in outcome.already] == [world.unit_a]
    assert Notification.objects.filter(recipient=world.rita).count() == 1
    # The next day, again.
    with at(6):
        outcome = urging.urge_reporters(actor=world.alice, period=october, plans=plans)
    assert len(outcome.urged) == 1
    assert Notification.objects.filter(recipient=world.rita).count() == 2
    assert ReportUrge.objects.filter(owner_unit=world.unit_a).count() == 2


def test_a_district_dispatcher_urges_its_district_only(world: Any, october: Period) -> None:
    with (
        at(5),
        assert_nothing_written(ReportUrge, Notification, AuditEvent),
        pytest.raises(ValidationError) as refused,
    ):
        urging.urge_reporters(
            actor=world.dora, period=october, plans=unit_plans(world, world.unit_b)
        )
    assert refused.value.messages == ["此处没有业主单位的未报项目，无需催报。"]
    with at(5):
        outcome = urging.urge_reporters(actor=world.dora, period=october)
    assert [u.owner_unit for u in outcome.urged] == [world.unit_a]
    assert not Notification.objects.filter(recipient=world.bob).exists()


@pytest.mark.parametrize("who", ["lena", "leo", "rita", "hank", "sysadmin"])
def test_only_dispatchers_urge(world: Any, october: Period, who: str) -> None:
    with (
        at(5),
        assert_nothing_written(ReportUrge, Notification, AuditEvent),
        pytest.raises(PermissionDenied),
    ):
        urging.urge_reporters(actor=getattr(world, who), period=october)


def test_a_unit_without_reporters_is_not_urged(world: Any, october: Period) -> None:
    User.objects.filter(username="bob").update(is_active=False)
    with (
        at(5),
        assert_nothing_written(ReportUrge, Notification, AuditEvent),
        pytest.raises(ValidationError) as refused,
    ):
        urging.urge_reporters(
            actor=world.alice, period=october, plans=unit_plans(world, world.unit_b)
        )
    assert refused.value.messages == [
        "崂山科创发展有限公司没有可通知的填报人，请电话联系项目联系人。"
    ]
    with at(5):
        outcome = urging.urge_reporters(actor=world.alice, period=october)
    assert [u.owner_unit for u in outcome.urged] == [world.unit_a]
    assert outcome.unreached == [world.unit_b]


def test_a_handed_in_project_is_not_named(world: Any, october: Period) -> None:
    with at(4):
        report = services.open_draft(
            actor=world.rita, plan=world.plans["p1"], period=october, today=october.due_date
        )
        services.update_draft(actor=world.rita, report=report, investment=Decimal(5))
        services.submit_report(actor=world.rita, report=report)
    with at(5):
        outcome = urging.urge_reporters(actor=world.alice, period=october)
    urge = next(u for u in outcome.urged if u.owner_unit == world.unit_a)
    assert urge.projects == ["港湾物流园仓储中心"]


def test_the_missing_list_urges(world: Any, client: Any, october: Period) -> None:
    url = reverse("reporting:missing", args=[october.pk])
    urge_url = reverse("reporting:urge", args=[october.pk])
    client.force_login(world.alice)
    with at(5):
        page = client.get(url, {"region": world.huangdao.pk}).content.decode()
        assert 'data-testid="urge-all"' in page and 'data-testid="urge-unit"' in page
        assert f'name="region" value="{world.huangdao.pk}"' in page
        assert client.get(urge_url).status_code == 405
        response = client.post(
            urge_url, {"region": world.huangdao.pk, "owner_unit": world.unit_a.pk}
        )
        assert response.status_code == 302
        assert response["Location"] == f"{url}?region={world.huangdao.pk}"
        page = client.get(response["Location"]).content.decode()
    assert "已催报青岛港湾建设有限公司：通知填报人 1 名。" in page
    assert "今日已催报 09:30" in page and 'data-testid="urge-unit"' not in page
    assert Notification.objects.filter(recipient=world.rita).count() == 1
    with at(5, 10, 0):
        response = client.post(
            urge_url, {"region": world.huangdao.pk, "owner_unit": world.unit_a.pk}, follow=True
        )
    assert "青岛港湾建设有限公司今日09:30已催报，明天可再次催报。" in response.content.decode()
    assert Notification.objects.filter(recipient=world.rita).count() == 1
    # 催报全部 under the page's filters: 黄岛区 has unit A only, already urged.
    with at(5, 10, 0):
        response = client.post(urge_url, {"region": world.huangdao.pk}, follow=True)
    assert "今日09:30已催报" in response.content.decode()
    assert not Notification.objects.filter(recipient=world.bob).exists()
    with at(5, 10, 0):
        response = client.post(urge_url, follow=True)
    page = response.content.decode()
    assert "已催报崂山科创发展有限公司：通知填报人 1 名。" in page
    assert "未催报：青岛港湾建设有限公司（今日09:30已催报）" in page
    # The board shows each unit's last urge.
    with at(5, 10, 5):
        board = client.get(reverse("reporting:board"), {"period": october.pk}).content.decode()
    assert "11-05 09:30" in board and "11-05 10:00" in board


def test_a_leader_reads_the_last_urge_without_the_button(
    world: Any, client: Any, october: Period
) -> None:
    with at(5):
        urging.urge_reporters(actor=world.alice, period=october)
    client.force_login(world.lena)
    with at(5, 11, 0):
        page = client.get(reverse("reporting:missing", args=[october.pk])).content.decode()
        response = client.post(reverse("reporting:urge", args=[october.pk]), follow=True)
    assert "崂山科创发展有限公司" in page and "2026-11-05 09:30 · Alice" in page
    assert 'data-testid="urge-all"' not in page and "今日已催报" not in page
    assert "只有调度员可以催报。" in response.content.decode()
    client.force_login(world.rita)
    assert client.post(reverse("reporting:urge", args=[october.pk])).status_code == 404
    assert ReportUrge.objects.count() == 2


def test_urging_needs_the_csrf_token(world: Any, october: Period) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.alice)
    assert client.post(reverse("reporting:urge", args=[october.pk])).status_code == 403
    assert not ReportUrge.objects.exists()


def test_the_scheduled_reminders_go_out_after_an_urge(world: Any, october: Period) -> None:
    """An urge and the overdue reminder of the same day (11-04, the working day after the
    due date) are two notifications: neither stops the other."""
    with time_machine.travel(dt.datetime(2026, 11, 4, 9, 30, tzinfo=SHANGHAI), tick=False):
        urging.urge_reporters(actor=world.alice, period=october)
    assert send_reminders(today=dt.date(2026, 11, 4)) == 2
    assert sorted(Notification.objects.values_list("kind", flat=True)) == [
        "reporting.overdue",
        "reporting.overdue",
        "reporting.urged",
        "reporting.urged",
    ]
