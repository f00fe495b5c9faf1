"""The monthly round: each day it computes the latest month whose last lock date has
passed, once (a month with a computation is left alone), and queues itself for tomorrow;
`manage.py compute_cards --schedule` does the same and queues the round."""

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tiaodu.core import clock
from tiaodu.core.workdays import add_working_days
from tiaodu.problems.choices import ProblemStatus
from tiaodu.reporting.models import Period
from tiaodu.scoring import tasks
from tiaodu.scoring.models import Card, CardRun, Proposal
from tiaodu.scoring.tests.test_compute import JUNE, ledger
from tiaodu.testing import problem_in

MAY = dt.date(2026, 5, 1)


@pytest.fixture
def june_periods(world: Any) -> Any:
    """A monthly period for June, locked on 10 July, and one for May, locked on 10 June."""
    ledger(world)
    for start, end, due, lock in (
        (MAY, dt.date(2026, 5, 31), dt.date(2026, 6, 5), dt.date(2026, 6, 10)),
        (JUNE, dt.date(2026, 6, 30), dt.date(2026, 7, 5), dt.date(2026, 7, 10)),
    ):
        Period.objects.create(cycle="monthly", start=start, end=end, due_date=due, lock_date=lock)
    return world


def runs() -> list[tuple[dt.date, str]]:
    return list(CardRun.objects.order_by("pk").values_list("month", "reason"))


@pytest.mark.parametrize(
    ("today", "month"),
    [
        (dt.date(2026, 7, 1), MAY),  # June is over, its lock date is not: May
        (dt.date(2026, 7, 10), MAY),  # reports of June are still taken on the lock date
        (dt.date(2026, 7, 11), JUNE),
        (dt.date(2026, 8, 31), dt.date(2026, 7, 1)),  # July has no periods: closed once over
    ],
)
def test_the_latest_closed_month(june_periods: Any, today: dt.date, month: dt.date) -> None:
    assert tasks.latest_closed_month(today) == month


def test_the_round_computes_june_once(june_periods: Any) -> None:
    with clock.frozen(dt.date(2026, 7, 11)):
        tasks.monthly_cards.call()
    assert runs() == [(JUNE, "月度自动评价")]
    assert Card.objects.filter(month=JUNE).count() == 6
    assert CardRun.objects.get().run_by is None
    with clock.frozen(dt.date(2026, 7, 12)):
        tasks.monthly_cards.call()
        assert tasks.month_due(clock.today()) is None
    assert runs() == [(JUNE, "月度自动评价")]  # not twice


def test_a_month_a_dispatcher_computed_is_left_alone(june_periods: Any) -> None:
    from tiaodu.scoring import services

    with clock.frozen(dt.date(2026, 7, 11)):
        services.compute_cards(actor=june_periods.alice, month=JUNE, reason="提前评价")
        tasks.monthly_cards.call()
    assert runs() == [(JUNE, "提前评价")]


def test_before_the_lock_date_the_month_before_is_computed(june_periods: Any) -> None:
    with clock.frozen(dt.date(2026, 7, 3)):
        tasks.monthly_cards.call()
    assert runs() == [(MAY, "月度自动评价")]


def test_nothing_without_plan_entries_of_the_year(june_periods: Any) -> None:
    with clock.frozen(dt.date(2027, 2, 3)):
        tasks.monthly_cards.call()
    assert runs() == []


def test_the_round_is_queued_once_for_tomorrow(june_periods: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    with clock.frozen(dt.date(2026, 7, 11)):
        tasks.monthly_cards.call()
        waiting = DBTaskResult.objects.filter(
            task_path=tasks.monthly_cards.module_path, status="READY"
        )
        assert waiting.count() == 1
        run_after = timezone.localtime(waiting.get().run_after)
        assert (run_after.date(), run_after.time()) == (dt.date(2026, 7, 12), tasks.RUN_AT)
        out = StringIO()
        call_command("compute_cards", "--schedule", stdout=out)
    assert out.getvalue().strip() == "月度评价任务已在队列中。"
    assert waiting.count() == 1
    assert runs() == [(JUNE, "月度自动评价")]


def test_the_command_computes_the_due_month_and_queues(june_periods: Any) -> None:
    out = StringIO()
    with clock.frozen(dt.date(2026, 7, 11)):
        call_command("compute_cards", "--schedule", stdout=out)
    assert out.getvalue().splitlines() == [
        "已计算 2026-06 的评价卡：6 张。",
        "月度评价任务已加入队列。",
    ]
    assert runs() == [(JUNE, "月度自动评价")]


def test_the_command_needs_a_month_or_schedule(june_periods: Any) -> None:
    with pytest.raises(CommandError, match="--schedule"):
        call_command("compute_cards", stdout=StringIO())


def test_the_round_proposes_the_days_notices(june_periods: Any) -> None:
    problem = problem_in(june_periods, ProblemStatus.ASSIGNED, today=dt.date(2026, 6, 1))
    assert problem.deadline is not None
    day = add_working_days(problem.deadline, 10)
    with clock.frozen(day):
        tasks.monthly_cards.call()
    assert Proposal.objects.filter(
        kind="supervision_order", basis={"problem": problem.pk}, month=day.replace(day=1)
    ).exists()
