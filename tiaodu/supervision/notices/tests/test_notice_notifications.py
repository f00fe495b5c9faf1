"""Who hears of a notice: the recipient unit when it is issued (and the sponsoring leader of
a warning letter); the issuer and the dispatchers of the notice's region when it is
answered. The rows commit with the notice, the emails leave after the commit, and a
refused action tells no one."""

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from tiaodu.accounts.models import User
from tiaodu.core.models import Notification
from tiaodu.projects.models import Project
from tiaodu.supervision.notices import notifications, services
from tiaodu.supervision.notices.choices import NoticeKind
from tiaodu.supervision.notices.tests.conftest import issue


def _told(kind: str) -> list[str]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


def test_the_unit_hears_of_the_notice_by_bell_and_email(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    User.objects.filter(pk=world.rita.pk).update(email="rita@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        notice = issue(world)
    note = Notification.objects.get()
    assert (note.recipient, note.kind) == (world.rita, notifications.ISSUED)
    assert note.title.startswith(notice.get_kind_display()) and "督办〔2026〕1号" in note.title
    assert "黄岛港区集装箱码头三期" in note.body and "2026-11-12" in note.body
    assert note.link == f"/supervision/notices/{notice.pk}/"
    assert [message.to for message in mail.outbox] == [["rita@example.cn"]]


def test_a_warning_letter_also_tells_the_sponsoring_leader(world: Any) -> None:
    issue(
        world,
        kind=NoticeKind.WARNING_LETTER,
        recipient_unit=world.housing_bureau,
        projects=[world.projects["p2"]],
        sponsoring_leader=world.leo.person,
    )
    assert _told(notifications.ISSUED) == ["hank", "leo"]


def test_inactive_accounts_hear_nothing(world: Any) -> None:
    User.objects.filter(pk=world.rita.pk).update(is_active=False)
    issue(world)
    assert Notification.objects.count() == 0


def test_a_refused_notice_tells_no_one(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        issue(world, kind=NoticeKind.WARNING_LETTER)
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_an_answer_tells_the_issuer_and_the_district_dispatchers(world: Any) -> None:
    notice = issue(world)  # alice (city) about p1 and p6, both in 黄岛区
    services.respond(actor=world.rita, notice=notice, text="收到", rectification_plan="整改")
    assert _told(notifications.ANSWERED) == ["alice", "dora"]
    note = Notification.objects.filter(kind=notifications.ANSWERED).first()
    assert note is not None and note.link == f"/supervision/notices/{notice.pk}/"
    assert "青岛港湾建设有限公司" in note.title and "督办〔2026〕1号" in note.title


def test_a_notice_across_districts_is_the_citys(world: Any) -> None:
    # 市住建局 in charge of p2 (黄岛区) and, here, of p4 (崂山区).
    Project.objects.filter(pk=world.projects["p4"].pk).update(responsible_unit=world.housing_bureau)
    notice = issue(
        world,
        recipient_unit=world.housing_bureau,
        projects=[world.projects["p2"], world.projects["p4"]],
    )
    assert [user.username for user in notifications.region_dispatchers(notice)] == ["alice"]
    by_dora = issue(world, world.dora)
    services.respond(actor=world.rita, notice=by_dora, text="收到", rectification_plan="整改")
    assert _told(notifications.ANSWERED) == ["dora"]


def test_the_recipients_are_the_units_handlers_and_reporters_only(world: Any) -> None:
    assert [u.username for u in notifications.recipient_users(world.unit_a)] == ["rita"]
    assert notifications.recipient_users(world.huangdao) == []
