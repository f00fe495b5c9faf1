"""Issuing, numbering, answering and closing notices; who sees them; refusals change nothing."""

import datetime as dt
import threading
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from tiaodu.core.models import AuditEvent
from tiaodu.problems.choices import ProblemStatus
from tiaodu.supervision.notices import permissions, selectors, services, workflow
from tiaodu.supervision.notices.choices import NoticeAction, NoticeKind, NoticeStatus
from tiaodu.supervision.notices.models import Notice, NoticeCounter, NoticeResponse
from tiaodu.supervision.notices.tests.conftest import issue
from tiaodu.testing import problem_in


def test_an_order_is_numbered_per_kind_and_year_with_a_default_deadline(world: Any) -> None:
    first = issue(world)
    second = issue(world)
    reminder = issue(world, kind=NoticeKind.REMINDER)
    assert [first.number_label, second.number_label] == ["督办〔2026〕1号", "督办〔2026〕2号"]
    assert reminder.number_label == "提醒〔2026〕1号"
    # Thursday 5 November + 5 working days = Thursday 12 November.
    assert first.response_deadline == dt.date(2026, 11, 12)
    assert first.status == NoticeStatus.ISSUED
    assert AuditEvent.objects.filter(object_type="supervision.notice").count() == 3
    with time_machine.travel(dt.datetime(2027, 1, 4, 10, tzinfo=dt.UTC), tick=False):
        next_year = issue(world)
    assert next_year.number_label == "督办〔2027〕1号"


def test_prefixes_are_a_site_setting(world: Any, settings: Any) -> None:
    settings.TIAODU_NOTICE_PREFIXES = {"supervision_order": "青发改督"}
    assert issue(world).number_label == "青发改督〔2026〕1号"


@pytest.mark.parametrize(
    ("actor", "overrides", "message"),
    [
        ("dora", {"projects": ["p1", "p3"]}, "region|区域"),
        ("rita", {}, "region|区域"),
        ("alice", {"projects": []}, "project|项目"),
        ("alice", {"recipient_unit": "huangdao"}, "department or an owner unit|部门或业主单位"),
        ("alice", {"kind": NoticeKind.WARNING_LETTER}, "sponsoring leader|包保领导"),
        ("alice", {"response_deadline": dt.date(2026, 11, 5)}, "after today|晚于今天"),
        ("alice", {"kind": "memo"}, "kinds|通知类型"),
    ],
)
def test_bad_issues_are_refused_and_use_no_number(
    world: Any, actor: str, overrides: dict[str, Any], message: str
) -> None:
    if "projects" in overrides:
        overrides["projects"] = [world.projects[key] for key in overrides["projects"]]
    if overrides.get("recipient_unit") == "huangdao":
        overrides["recipient_unit"] = world.huangdao
    with pytest.raises((PermissionDenied, ValidationError), match=message):
        issue(world, getattr(world, actor), **overrides)
    assert Notice.objects.count() == 0
    assert not NoticeCounter.objects.filter(last__gt=0).exists()
    assert issue(world).number == 1


def test_a_warning_letter_goes_to_the_unit_and_the_sponsoring_leader(world: Any) -> None:
    leader = world.leo.person
    letter = issue(world, kind=NoticeKind.WARNING_LETTER, sponsoring_leader=leader)
    assert letter.number_label == "警示〔2026〕1号"
    assert list(selectors.notices_visible_to(world.leo)) == [letter]


def test_each_user_sees_the_notices_of_their_region_or_unit(world: Any, order: Notice) -> None:
    issue(world, recipient_unit=world.unit_b, projects=[world.projects["p3"]])
    # p1 is within 市住建局's reach once a problem of it is assigned there.
    problem_in(world, ProblemStatus.ASSIGNED)
    issue(
        world,
        kind=NoticeKind.REMINDER,
        recipient_unit=world.housing_bureau,
        projects=[world.projects["p2"], world.projects["p1"]],
    )
    seen = {
        name: sorted(n.number_label for n in selectors.notices_visible_to(getattr(world, name)))
        for name in ("alice", "dora", "rita", "bob", "hank", "lena", "sam", "auditor")
    }
    assert seen == {
        "alice": ["提醒〔2026〕1号", "督办〔2026〕1号", "督办〔2026〕2号"],
        "dora": ["提醒〔2026〕1号", "督办〔2026〕1号"],
        "rita": ["督办〔2026〕1号"],
        "bob": ["督办〔2026〕2号"],
        "hank": ["提醒〔2026〕1号"],
        "lena": ["督办〔2026〕2号"],
        "sam": [],
        "auditor": [],
    }


def test_the_unit_answers_and_the_dispatcher_closes(world: Any, order: Notice) -> None:
    with pytest.raises(PermissionDenied):
        services.respond(actor=world.bob, notice=order, text="收到", rectification_plan="x")
    with pytest.raises(ValidationError, match=r"rectification plan|整改方案"):
        services.respond(actor=world.rita, notice=order, text="收到")
    with pytest.raises(PermissionDenied):
        services.close_notice(actor=world.rita, notice=order)
    assert NoticeResponse.objects.count() == 0
    assert Notice.objects.get(pk=order.pk).status == NoticeStatus.ISSUED

    services.respond(
        actor=world.rita, notice=order, text="已召开专题会。", rectification_plan="11月底前完成。"
    )
    order.refresh_from_db()
    assert order.status == NoticeStatus.ANSWERED
    with pytest.raises(ValidationError):
        services.respond(actor=world.rita, notice=order, text="再次", rectification_plan="x")
    assert services.close_notice(actor=world.dora, notice=order).status == NoticeStatus.CLOSED
    assert NoticeResponse.objects.get().rectification_plan == "11月底前完成。"


def test_overdue_is_computed_from_the_deadline(world: Any, order: Notice) -> None:
    assert not order.is_overdue(dt.date(2026, 11, 12))
    assert order.is_overdue(dt.date(2026, 11, 13))
    assert list(selectors.overdue_notices(world.alice, today=dt.date(2026, 11, 13))) == [order]
    services.close_notice(actor=world.alice, notice=order)
    assert list(selectors.overdue_notices(world.alice, today=dt.date(2026, 11, 13))) == []


def test_the_workflow_table_names_every_pair(world: Any, order: Notice) -> None:
    for status in NoticeStatus.values:
        for action in NoticeAction.values:
            step = workflow.NOTICES.step(status, action)
            if step is not None:
                assert step.who in ({workflow.ISSUER}, {workflow.RECIPIENT})
    rita = permissions.relations(world.rita, order)
    dora = permissions.relations(world.dora, order)
    assert workflow.NOTICES.actions_for(rita, order.status) == [NoticeAction.RESPOND]
    assert NoticeAction.CLOSE not in workflow.NOTICES.actions_for(rita, order.status)
    assert workflow.NOTICES.actions_for(dora, order.status) == [NoticeAction.CLOSE]
    assert workflow.NOTICES.step(NoticeStatus.CLOSED, NoticeAction.RESPOND) is None


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_gapless_unique_numbers(world: Any) -> None:
    if connection.vendor == "sqlite" and "mode=memory" in connection.settings_dict["NAME"]:
        # Shared-cache memory databases answer "table is locked" at once instead of waiting
        # (busy_timeout applies to files only); `make test-pg` runs this on PostgreSQL.
        pytest.skip("concurrent writers need PostgreSQL or a file database")
    count = 20
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            issue(world)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Notice.objects.values_list("number", flat=True))
    assert numbers == list(range(1, count + 1))
    assert NoticeCounter.objects.get(kind=NoticeKind.SUPERVISION_ORDER, year=2026).last == count
