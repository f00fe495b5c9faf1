"""Who is told what, and when: the steps notify from their services; the daily round reminds
of deadlines two working days away and of overdue problems, once per problem and deadline.

hank and harry handle 市住建局; rita raised p1's problem; alice (city) and dora (黄岛区) are
the dispatchers of p1's region. The problem is assigned on Thursday 5 November 2026, due
Thursday 19 November.
"""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from tiaodu.core.models import Notification
from tiaodu.core.roles import Role
from tiaodu.problems import services
from tiaodu.problems.choices import ProblemStatus
from tiaodu.problems.notifications import send_deadline_reminders
from tiaodu.problems.tasks import RUN_AT, deadline_round
from tiaodu.testing import assert_nothing_written, make_user, problem_in

pytestmark = pytest.mark.django_db


def _told(kind: str) -> dict[str, str]:
    """recipient username → title, for the notifications of a kind."""
    rows = Notification.objects.filter(kind=f"problems.{kind}").select_related("recipient")
    return {row.recipient.username: row.title for row in rows}


@pytest.fixture
def harry(world: Any) -> Any:
    return make_user("harry", Role.DEPARTMENT_HANDLER, world.housing_bureau)


def test_the_named_handler_is_told_of_the_assignment(world: Any, harry: Any) -> None:
    problem = problem_in(world, ProblemStatus.ASSIGNED)
    assert _told("assigned") == {"hank": "问题交办青岛市住房和城乡建设局：用地指标未落实"}
    row = Notification.objects.get(kind="problems.assigned")
    assert row.link == reverse("problems:detail", args=[problem.pk])
    assert row.body == "黄岛港区集装箱码头三期。请于2026-11-19前办结。"


def test_without_a_handler_every_handler_of_the_department_is_told(world: Any, harry: Any) -> None:
    problem = problem_in(world, ProblemStatus.REPORTED)
    services.assign_problem(actor=world.dora, problem=problem, department=world.housing_bureau)
    assert set(_told("assigned")) == {"hank", "harry"}


def test_the_raiser_and_the_dispatchers_are_told_of_the_resolution(world: Any) -> None:
    problem_in(world, ProblemStatus.RESOLVED)
    assert _told("resolved") == {
        "rita": "问题已办结：用地指标未落实",
        "dora": "问题已办结：用地指标未落实",
        "alice": "问题已办结：用地指标未落实",
    }
    body = Notification.objects.filter(kind="problems.resolved").first().body  # type: ignore[union-attr]
    assert body.startswith("黄岛港区集装箱码头三期。青岛市住房和城乡建设局办理结果：指标已下达。")


def test_the_handler_is_told_of_a_rejection(world: Any) -> None:
    problem = problem_in(world, ProblemStatus.RESOLVED)
    services.reject_resolution(actor=world.rita, problem=problem, reason="指标仍未下达")
    assert _told("rejected") == {"hank": "退回重办：用地指标未落实"}
    assert Notification.objects.get(kind="problems.rejected").body == (
        "黄岛港区集装箱码头三期。退回原因：指标仍未下达"
    )


def test_a_refused_step_tells_no_one(world: Any) -> None:
    problem = problem_in(world, ProblemStatus.IN_PROGRESS)
    with assert_nothing_written(Notification), pytest.raises(ValidationError):
        services.resolve_problem(actor=world.hank, problem=problem, resolution=" ")


def _on(day: dt.date) -> Any:
    return time_machine.travel(dt.datetime.combine(day, dt.time(1, 0), tzinfo=dt.UTC), tick=False)


def test_the_deadline_two_working_days_away(world: Any) -> None:
    problem_in(world, ProblemStatus.IN_PROGRESS)
    # Monday 16th: the 19th is three working days away.
    assert send_deadline_reminders(today=dt.date(2026, 11, 16)) == 0
    assert send_deadline_reminders(today=dt.date(2026, 11, 17)) == 1
    assert _told("due_soon") == {"hank": "问题将于2026-11-19到期：用地指标未落实"}
    assert Notification.objects.get(kind="problems.due_soon").body == (
        "黄岛港区集装箱码头三期。剩余工作日：2。"
    )
    # The next days remind no one again; a new deadline does.
    assert send_deadline_reminders(today=dt.date(2026, 11, 17)) == 0
    assert send_deadline_reminders(today=dt.date(2026, 11, 18)) == 0


def test_overdue_tells_the_handler_and_the_dispatchers_once(world: Any) -> None:
    problem_in(world, ProblemStatus.ASSIGNED)
    # Due today: the reminder that it is near (none was sent), not yet overdue.
    assert send_deadline_reminders(today=dt.date(2026, 11, 19)) == 1
    assert _told("overdue") == {}
    assert send_deadline_reminders(today=dt.date(2026, 11, 20)) == 3
    assert set(_told("overdue")) == {"hank", "alice", "dora"}
    assert _told("overdue")["hank"] == "问题已逾期（限时2026-11-19）：用地指标未落实"
    assert send_deadline_reminders(today=dt.date(2026, 11, 23)) == 0
    # Saturday: nothing is sent on a day off.
    assert send_deadline_reminders(today=dt.date(2026, 11, 21)) == 0


def test_no_reminder_for_a_resolved_problem(world: Any) -> None:
    problem_in(world, ProblemStatus.RESOLVED)
    assert send_deadline_reminders(today=dt.date(2026, 11, 17)) == 0
    assert send_deadline_reminders(today=dt.date(2026, 11, 20)) == 0


def test_a_new_deadline_reminds_again(world: Any) -> None:
    problem = problem_in(world, ProblemStatus.ASSIGNED)
    send_deadline_reminders(today=dt.date(2026, 11, 20))
    with _on(dt.date(2026, 11, 20)):
        services.assign_problem(
            actor=world.dora,
            problem=problem,
            department=world.housing_bureau,
            handler=world.hank,
            deadline=dt.date(2026, 11, 24),
        )
    assert send_deadline_reminders(today=dt.date(2026, 11, 20)) == 1  # due soon, new deadline
    assert send_deadline_reminders(today=dt.date(2026, 11, 25)) == 3


def test_the_daily_round_reminds_and_is_queued_once_for_tomorrow(world: Any, capsys: Any) -> None:
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    problem_in(world, ProblemStatus.ASSIGNED)
    with _on(dt.date(2026, 11, 20)):
        deadline_round.call()
    assert set(_told("overdue")) == {"hank", "alice", "dora"}
    waiting = DBTaskResult.objects.filter(task_path=deadline_round.module_path, status="READY")
    assert waiting.count() == 1
    run_after = timezone.localtime(waiting.get().run_after)
    assert (run_after.date(), run_after.time()) == (dt.date(2026, 11, 21), RUN_AT)
    call_command("problem_reminders", "--today", "2026-11-20", "--schedule")
    out = capsys.readouterr().out
    assert "sent 0 notifications" in out and "deadline round already queued" in out
    assert waiting.count() == 1
