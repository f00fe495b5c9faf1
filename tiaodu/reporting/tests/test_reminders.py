"""Reminders and the notifications they become, across the 2026 National Day holiday.

September 2026 (monthly) ends on Wed 09-30; 10-01 to 10-07 are off, so it is due on Fri
10-09 (two working days: 10-08, 10-09). Its day-before reminder goes out on Thu 10-08, the
overdue one on Sat 10-10, a make-up working day. Reporters: rita (unit A: p1, p6), bob
(unit B: p3). p2, p4 and p5 have no owner unit, so no one is reminded of them.
"""

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from tiaodu.accounts.models import User
from tiaodu.core.models import Notification
from tiaodu.core.notifications import notify
from tiaodu.reporting import services
from tiaodu.reporting.models import Period
from tiaodu.reporting.reminders import periods_to_remind, send_reminders
from tiaodu.reporting.tasks import daily_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def september(world: Any) -> Period:
    User.objects.filter(username="rita").update(email="rita@example.cn")
    User.objects.filter(username="bob").update(email="bob@example.cn")
    services.open_periods(today=dt.date(2026, 10, 1))
    return Period.objects.get(cycle="monthly", start=dt.date(2026, 9, 1))


def test_the_holiday_is_in_the_calendar(september: Period) -> None:
    assert september.due_date == dt.date(2026, 10, 9)
    assert not any(chinese_calendar.is_workday(dt.date(2026, 10, d)) for d in range(1, 8))
    assert chinese_calendar.is_workday(dt.date(2026, 10, 8))
    assert chinese_calendar.is_workday(dt.date(2026, 10, 10))  # a make-up Saturday


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 9, 30), []),  # the next working day is 10-08, not the due date
        (dt.date(2026, 10, 5), []),  # a holiday: nothing
        (dt.date(2026, 10, 8), ["reporting.due_tomorrow"]),
        (dt.date(2026, 10, 9), []),  # the due date itself
        (dt.date(2026, 10, 10), ["reporting.overdue"]),
        (dt.date(2026, 10, 12), []),
    ],
)
def test_reminder_days(september: Period, today: dt.date, expected: list[str]) -> None:
    found = [kind for kind, period in periods_to_remind(today) if period == september]
    assert found == expected


def test_the_reporters_are_reminded_once(
    world: Any, september: Period, django_capture_on_commit_callbacks: Any
) -> None:
    report = services.open_draft(
        actor=world.rita, plan=world.plans["p1"], period=september, today=september.due_date
    )
    services.update_draft(actor=world.rita, report=report, investment=Decimal(5))
    services.submit_report(actor=world.rita, report=report, today=dt.date(2026, 10, 8))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(today=dt.date(2026, 10, 8)) == 2
    rita = Notification.objects.get(recipient=world.rita)
    assert rita.kind == "reporting.due_tomorrow"
    assert rita.title == "2026年9月的报告明天（2026-10-09）截止"
    assert rita.body.splitlines() == ["还有 1 个项目未报送：", "· 港湾物流园仓储中心"]
    bob = Notification.objects.get(recipient=world.bob)
    assert bob.body.splitlines()[1:] == ["· 崂山科创园一期"]
    assert sorted(message.to[0] for message in mail.outbox) == [
        "bob@example.cn",
        "rita@example.cn",
    ]
    assert {message.to[0]: message.subject for message in mail.outbox} == {
        "rita@example.cn": rita.title,
        "bob@example.cn": bob.title,
    }
    # Twice the same day, or by the command after the task: nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(today=dt.date(2026, 10, 8)) == 0
        call_command("send_reminders", "--today", "2026-10-08")
    assert Notification.objects.count() == 2 and len(mail.outbox) == 2
    # On the make-up Saturday after the due date, the overdue reminder.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--today", "2026-10-10")
    overdue = Notification.objects.filter(kind="reporting.overdue")
    assert sorted(n.recipient.username for n in overdue) == ["bob", "rita"]
    assert overdue.get(recipient=world.rita).title == "2026年9月的报告已于2026-10-09截止，仍未报送"
    assert len(mail.outbox) == 4


def test_nothing_to_remind_when_all_handed_in(world: Any, september: Period) -> None:
    for key, reporter in (("p1", world.rita), ("p6", world.rita), ("p3", world.bob)):
        report = services.open_draft(
            actor=reporter, plan=world.plans[key], period=september, today=september.due_date
        )
        services.update_draft(actor=reporter, report=report, investment=Decimal(5))
        services.submit_report(actor=reporter, report=report, today=dt.date(2026, 10, 8))
    assert send_reminders(today=dt.date(2026, 10, 8)) == 0


def test_the_daily_round_reminds(world: Any, september: Period) -> None:
    with time_machine.travel(dt.datetime(2026, 10, 8, 0, 10, tzinfo=ZoneInfo("Asia/Shanghai"))):
        daily_round.call()
    assert Notification.objects.filter(kind="reporting.due_tomorrow").count() == 2


def test_the_bell_and_the_notifications_page(world: Any, client: Any) -> None:
    notify(recipients=[world.rita], kind="test", title="第一条", body="正文", link="/projects/")
    notify(recipients=[world.rita, world.bob], kind="test", title="第二条")
    client.force_login(world.rita)
    page = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="unread-count">2<' in page
    listing = client.get(reverse("core:notifications"))
    assert [n.title for n in listing.context["page"]] == ["第二条", "第一条"]
    first = Notification.objects.get(recipient=world.rita, title="第一条")
    response = client.post(reverse("core:notification_open", args=[first.pk]))
    assert response.status_code == 302 and response["Location"] == "/projects/"
    page = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="unread-count">1<' in page
    # Someone else's notification is not there for rita.
    bobs = Notification.objects.get(recipient=world.bob)
    assert client.post(reverse("core:notification_open", args=[bobs.pk])).status_code == 404
    assert Notification.objects.get(pk=bobs.pk).read_at is None
    client.post(reverse("core:notifications_read"))
    page = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="unread-count"' not in page
    assert Notification.objects.get(pk=bobs.pk).read_at is None
