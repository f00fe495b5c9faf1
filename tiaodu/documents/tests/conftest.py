"""The bulletin's world: the statistics world of the figure-set tests (six projects with
dates and figures as of 2026-08-31, see tiaodu/analytics/tests/conftest.py) and a problem
of the lagging p2, raised by dora and assigned to 市住建局 on 10 August with a deadline of
20 August, still open (overdue) at the month's end; and p1's, raised by rita the same day
and left unassigned.
"""

import datetime as dt
from typing import Any

import pytest

from tiaodu.analytics.tests.conftest import stats_world
from tiaodu.core import clock
from tiaodu.core.roles import Role
from tiaodu.problems import services
from tiaodu.problems.choices import ProblemCategory, ProblemStatus
from tiaodu.testing import make_user, problem_in

AUGUST = dt.date(2026, 8, 1)
AS_OF = dt.date(2026, 8, 31)


@pytest.fixture
def bulletin_world(world: Any) -> Any:
    stats_world(world)
    with clock.frozen(dt.datetime(2026, 8, 10, 9, tzinfo=dt.UTC)):
        problem = services.raise_problem(
            actor=world.dora,
            project=world.projects["p2"],
            category=ProblemCategory.LAND,
            title="安置房用地征收未完成",
        )
        services.assign_problem(
            actor=world.dora,
            problem=problem,
            department=world.housing_bureau,
            deadline=dt.date(2026, 8, 20),
        )
        problem_in(world, ProblemStatus.REPORTED, project="p1", today=dt.date(2026, 8, 10))
    return world


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    """Background builds run inline, when the transaction that queued them commits."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def lin(world: Any) -> Any:
    """A leader of the whole city (青岛市), who signs off the city's bulletins."""
    return make_user("lin", Role.LEADER, world.city)
