"""The problem world: the personas' city on Thursday 5 November 2026, and `make_problem`, a
problem of p1 (黄岛区, owner unit A) in any status (`tiaodu.testing.problem_in`)."""

import datetime as dt
from typing import Any

import pytest
import time_machine

from tiaodu.problems.models import Problem
from tiaodu.testing import problem_in


@pytest.fixture(autouse=True)
def _frozen_day() -> Any:
    """Thursday 5 November 2026, 09:00 in Shanghai, unless a test travels elsewhere."""
    with time_machine.travel(dt.datetime(2026, 11, 5, 1, tzinfo=dt.UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture
def make_problem(world: Any) -> Any:
    def make(status: str, **kwargs: Any) -> Problem:
        return problem_in(world, status, **kwargs)

    return make
