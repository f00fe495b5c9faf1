"""The problem world: the personas' city, and a problem of p1 (黄岛区, owner unit A) in any
status — raised by rita, assigned by dora to 市住建局 with hank as its handler."""

import datetime as dt
from typing import Any

import pytest
import time_machine

from tiaodu.problems import services
from tiaodu.problems.choices import ProblemCategory, ProblemStatus
from tiaodu.problems.models import Problem

TODAY = dt.date(2026, 11, 5)


@pytest.fixture(autouse=True)
def _frozen_day() -> Any:
    """Thursday 5 November 2026, 09:00 in Shanghai, unless a test travels elsewhere."""
    with time_machine.travel(dt.datetime(2026, 11, 5, 1, tzinfo=dt.UTC), tick=False) as traveller:
        yield traveller


def problem_in(world: Any, status: str, *, project: str = "p1", today: dt.date = TODAY) -> Problem:
    problem = services.raise_problem(
        actor=world.rita,
        project=world.projects[project],
        category=ProblemCategory.LAND,
        title="用地指标未落实",
        description="二期用地指标尚未下达。",
    )
    if status == ProblemStatus.REPORTED:
        return problem
    problem = services.assign_problem(
        actor=world.dora,
        problem=problem,
        department=world.housing_bureau,
        handler=world.hank,
        today=today,
    )
    if status == ProblemStatus.ASSIGNED:
        return problem
    problem = services.start_problem(actor=world.hank, problem=problem)
    if status == ProblemStatus.IN_PROGRESS:
        return problem
    problem = services.resolve_problem(actor=world.hank, problem=problem, resolution="指标已下达。")
    if status == ProblemStatus.RESOLVED:
        return problem
    return services.close_problem(actor=world.dora, problem=problem)


@pytest.fixture
def make_problem(world: Any) -> Any:
    def make(status: str, **kwargs: Any) -> Problem:
        return problem_in(world, status, **kwargs)

    return make
