"""The figure set's `problems` key (DOMAIN.md §4): open, overdue, resolved and the on-time
rate as of a date, by category and by department, as the actor may see them."""

import datetime as dt
from typing import Any

import pytest
import time_machine

from tiaodu.accounts import org_units
from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.analytics.figures import figure_set
from tiaodu.problems import services
from tiaodu.problems.choices import ProblemCategory, ProblemStatus
from tiaodu.testing import problem_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(world: Any) -> Any:
    """On 5 November: p1's problem closed the same day (on time); p6's only reported; p3's
    assigned to the transport bureau with a deadline of 20 November."""
    world.transport = org_units.create_org_unit(
        actor=None, name="青岛市交通运输局", kind=OrgUnitKind.DEPARTMENT, parent=world.city
    )
    problem_in(world, ProblemStatus.CLOSED)
    problem_in(world, ProblemStatus.REPORTED, project="p6")
    p3 = services.raise_problem(
        actor=world.bob,
        project=world.projects["p3"],
        category=ProblemCategory.UTILITIES,
        title="电力接入未完成",
    )
    services.assign_problem(
        actor=world.alice, problem=p3, department=world.transport, deadline=dt.date(2026, 11, 20)
    )
    return world


def problems_as_of(actor: Any, day: dt.date) -> dict[str, Any]:
    return figure_set(actor=actor, year=2026, as_of=day)["problems"]


def zeros(**counts: int) -> dict[str, int]:
    return {"open": 0, "overdue": 0, "resolved": 0, **counts}


def test_the_city_at_the_end_of_november(ledger: Any) -> None:
    data = problems_as_of(ledger.alice, dt.date(2026, 11, 30))
    assert list(data) == [
        "open",
        "overdue",
        "resolved",
        "resolved_on_time_rate",
        "by_category",
        "by_department",
    ]
    assert (data["open"], data["overdue"], data["resolved"]) == (2, 1, 1)
    assert data["resolved_on_time_rate"] == "100.00"
    assert list(data["by_category"]) == list(ProblemCategory.values)
    assert data["by_category"]["land"] == zeros(open=1, resolved=1)
    assert data["by_category"]["utilities"] == zeros(open=1, overdue=1)
    assert data["by_category"]["funding"] == zeros()
    assert data["by_department"] == {
        "青岛市住房和城乡建设局": zeros(resolved=1),
        "青岛市交通运输局": zeros(open=1, overdue=1),
    }


def test_before_the_deadline_nothing_is_overdue(ledger: Any) -> None:
    data = problems_as_of(ledger.alice, dt.date(2026, 11, 20))
    assert (data["open"], data["overdue"], data["resolved"]) == (2, 0, 1)


def test_before_anything_was_raised_everything_is_zero(ledger: Any) -> None:
    data = problems_as_of(ledger.alice, dt.date(2026, 11, 4))
    assert (data["open"], data["overdue"], data["resolved"]) == (0, 0, 0)
    assert data["resolved_on_time_rate"] is None
    assert data["by_department"] == {}


def test_the_owner_unit_counts_only_its_projects(ledger: Any) -> None:
    data = problems_as_of(ledger.rita, dt.date(2026, 11, 30))
    assert (data["open"], data["overdue"], data["resolved"]) == (1, 0, 1)


def test_a_region_scope_counts_its_projects_only(ledger: Any) -> None:
    data = figure_set(actor=ledger.alice, year=2026, as_of=dt.date(2026, 11, 30), region="370211")
    assert (data["problems"]["open"], data["problems"]["resolved"]) == (1, 1)


def test_a_late_closing_halves_the_on_time_rate(ledger: Any) -> None:
    late = services.raise_problem(
        actor=ledger.rita,
        project=ledger.projects["p6"],
        category=ProblemCategory.FUNDING,
        title="配套资金未到位",
    )
    late = services.assign_problem(
        actor=ledger.dora,
        problem=late,
        department=ledger.housing_bureau,
        handler=ledger.hank,
        deadline=dt.date(2026, 11, 6),
    )
    with time_machine.travel(dt.datetime(2026, 11, 10, 2, tzinfo=dt.UTC), tick=False):
        late = services.start_problem(actor=ledger.hank, problem=late)
        late = services.resolve_problem(actor=ledger.hank, problem=late, resolution="已拨付。")
        services.close_problem(actor=ledger.dora, problem=late)
    data = problems_as_of(ledger.alice, dt.date(2026, 11, 30))
    assert data["resolved"] == 2
    assert data["resolved_on_time_rate"] == "50.00"
    # As of the 9th it was still open and overdue.
    before = problems_as_of(ledger.alice, dt.date(2026, 11, 9))
    assert (before["open"], before["overdue"], before["resolved"]) == (3, 1, 1)
