"""Who sees which problems (DOMAIN.md §2), the handler's inbox, the ledger's filters and
overdue, computed against the day."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.http import Http404

from tiaodu.accounts import org_units
from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.problems import selectors, services
from tiaodu.problems.choices import ProblemCategory, ProblemLevel, ProblemStatus
from tiaodu.testing import TODAY, problem_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(world: Any) -> dict[str, Any]:
    """p1's problem assigned to 市住建局; p6's only reported; p3's (崂山区, unit B) assigned to
    the transport bureau, which hank does not handle."""
    transport = org_units.create_org_unit(
        actor=None, name="青岛市交通运输局", kind=OrgUnitKind.DEPARTMENT, parent=world.city
    )
    p3 = services.raise_problem(
        actor=world.bob,
        project=world.projects["p3"],
        category=ProblemCategory.UTILITIES,
        title="电力接入未完成",
    )
    p3 = services.assign_problem(
        actor=world.alice, problem=p3, department=transport, deadline=dt.date(2026, 11, 20)
    )
    return {
        "p1": problem_in(world, ProblemStatus.ASSIGNED),
        "p6": problem_in(world, ProblemStatus.REPORTED, project="p6"),
        "p3": p3,
        "transport": transport,
    }


def _titles(queryset: Any) -> set[str]:
    return {problem.project.name for problem in queryset}


@pytest.mark.parametrize(
    ("who", "projects"),
    [
        ("alice", {"p1", "p6", "p3"}),  # the whole city
        ("dora", {"p1", "p6"}),  # 黄岛区
        ("rita", {"p1", "p6"}),  # unit A's projects
        ("bob", {"p3"}),  # unit B's project
        ("lena", {"p3"}),  # 崂山区
        ("leo", {"p1"}),  # municipal leader of p1
        ("sam", {"p3"}),  # service officer of p3
        ("hank", {"p1"}),  # only what is assigned to 市住建局
        ("sysadmin", set()),
        ("auditor", set()),
    ],
)
def test_who_sees_which_problems(world: Any, ledger: Any, who: str, projects: set[str]) -> None:
    visible = selectors.problems_visible_to(getattr(world, who))
    assert _titles(visible) == {world.projects[key].name for key in projects}


def test_a_problem_out_of_scope_is_not_found(world: Any, ledger: Any) -> None:
    assert selectors.problem_for(world.hank, ledger["p1"].pk) == ledger["p1"]
    for pk in (ledger["p6"].pk, ledger["p3"].pk):
        with pytest.raises(Http404):
            selectors.problem_for(world.hank, pk)


def test_the_handler_sees_a_problem_once_it_is_assigned_to_his_department(world: Any) -> None:
    problem = problem_in(world, ProblemStatus.REPORTED)
    assert not selectors.problems_visible_to(world.hank).exists()
    services.assign_problem(
        actor=world.dora, problem=problem, department=world.housing_bureau, today=TODAY
    )
    assert list(selectors.problems_visible_to(world.hank)) == [problem]


def test_the_handlers_inbox(world: Any, ledger: Any) -> None:
    resolved = problem_in(world, ProblemStatus.RESOLVED, project="p6")
    inbox = selectors.handler_inbox(world.hank, today=TODAY)
    assert list(inbox) == [ledger["p1"]]
    assert resolved not in inbox
    assert list(selectors.handler_inbox(world.alice)) == []


def test_overdue_is_computed_against_the_day(world: Any, ledger: Any) -> None:
    problem = ledger["p1"]
    # Assigned on Thursday 5 November 2026 at district level: ten working days.
    assert problem.deadline == dt.date(2026, 11, 19)
    on_deadline = selectors.with_overdue(
        selectors.problems_visible_to(world.alice), problem.deadline
    )
    assert getattr(on_deadline.get(pk=problem.pk), selectors.OVERDUE) is False
    day_after = dt.date(2026, 11, 20)
    overdue = selectors.problem_ledger(world.alice, overdue=True, today=day_after)
    assert list(overdue) == [problem]
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC), tick=False):
        assert list(selectors.problem_ledger(world.alice, overdue=True)) == [problem]
        row = selectors.problem_ledger(world.alice).get(pk=problem.pk)
        assert getattr(row, selectors.OVERDUE) is True
    # Resolved in time or not, a resolved problem waits on no one but the confirmer.
    services.start_problem(actor=world.hank, problem=problem)
    services.resolve_problem(actor=world.hank, problem=problem, resolution="已解决")
    assert list(selectors.problem_ledger(world.alice, overdue=True, today=day_after)) == []


def test_the_ledger_filters(world: Any, ledger: Any) -> None:
    def keys(**filters: Any) -> set[str]:
        found = selectors.problem_ledger(world.alice, **{"today": TODAY, **filters})
        return {key for key in ("p1", "p6", "p3") if ledger[key] in found}

    assert keys() == {"p1", "p6", "p3"}
    assert keys(status=ProblemStatus.REPORTED) == {"p6"}
    assert keys(category=ProblemCategory.UTILITIES) == {"p3"}
    assert keys(department=world.housing_bureau) == {"p1"}
    assert keys(department=ledger["transport"]) == {"p3"}
    assert keys(region=world.huangdao) == {"p1", "p6"}
    assert keys(level=ProblemLevel.DISTRICT) == {"p1", "p6", "p3"}
    assert keys(level=ProblemLevel.CITY) == set()
    assert keys(overdue=False) == {"p1", "p6", "p3"}
    assert keys(overdue=True, today=dt.date(2026, 11, 23)) == {"p1", "p3"}
    # The ledger of a district dispatcher is still his district's.
    assert set(selectors.problem_ledger(world.dora, category=ProblemCategory.UTILITIES)) == set()
