"""Every (status, action) pair of the problem workflow, for every persona."""

import itertools
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from tiaodu.core.models import AuditEvent
from tiaodu.core.workflow import TransitionRefused
from tiaodu.problems import services, workflow
from tiaodu.problems.choices import ProblemAction, ProblemLevel, ProblemStatus
from tiaodu.problems.models import Problem
from tiaodu.problems.permissions import relations
from tiaodu.testing import TODAY, problem_in

pytestmark = pytest.mark.django_db

# Who plays which part for a problem of p1 assigned to 市住建局.
PLAYERS = {
    "alice": workflow.DISPATCHER,
    "dora": workflow.DISPATCHER,
    "rita": workflow.OWNER,
    "hank": workflow.HANDLER,
}
OUTSIDERS = ("bob", "lena", "leo", "sam", "sysadmin")
EVERYONE = frozenset({workflow.DISPATCHER, workflow.HANDLER, workflow.OWNER})

S, A = ProblemStatus, ProblemAction
_D = frozenset({workflow.DISPATCHER})
_H = frozenset({workflow.HANDLER})
_D_OR_O = frozenset({workflow.DISPATCHER, workflow.OWNER})
# The closed loop of DOMAIN.md §7, written out here rather than read from the table, so a
# wrong row of the table fails: (status, action) → (status after, who may). Every pair
# not listed is refused to everyone.
EXPECTED: dict[tuple[str, str], tuple[str, frozenset[str]]] = {
    (S.REPORTED, A.ASSIGN): (S.ASSIGNED, _D),
    (S.ASSIGNED, A.ASSIGN): (S.ASSIGNED, _D),
    (S.IN_PROGRESS, A.ASSIGN): (S.ASSIGNED, _D),
    (S.ASSIGNED, A.START): (S.IN_PROGRESS, _H),
    (S.IN_PROGRESS, A.RESOLVE): (S.RESOLVED, _H),
    (S.RESOLVED, A.REJECT_RESOLUTION): (S.IN_PROGRESS, _D_OR_O),
    (S.RESOLVED, A.CLOSE): (S.CLOSED, _D_OR_O),
    (S.REPORTED, A.ESCALATE): (S.REPORTED, _D),
    (S.ASSIGNED, A.ESCALATE): (S.ASSIGNED, _D),
    (S.IN_PROGRESS, A.ESCALATE): (S.IN_PROGRESS, _D),
}


def _act(world: Any, who: str, problem: Problem, action: str) -> Problem:
    actor = getattr(world, who)
    match action:
        case ProblemAction.ASSIGN:
            return services.assign_problem(
                actor=actor, problem=problem, department=world.housing_bureau, today=TODAY
            )
        case ProblemAction.START:
            return services.start_problem(actor=actor, problem=problem)
        case ProblemAction.RESOLVE:
            return services.resolve_problem(actor=actor, problem=problem, resolution="已协调解决")
        case ProblemAction.REJECT_RESOLUTION:
            return services.reject_resolution(actor=actor, problem=problem, reason="仍未解决")
        case ProblemAction.CLOSE:
            return services.close_problem(actor=actor, problem=problem)
        case _:
            return services.escalate_problem(actor=actor, problem=problem)


def test_the_relations_of_the_personas(world: Any) -> None:
    reported = problem_in(world, ProblemStatus.REPORTED)
    assigned = problem_in(world, ProblemStatus.ASSIGNED)
    for who, part in PLAYERS.items():
        assert relations(getattr(world, who), assigned) == {part}
        expected = frozenset() if who == "hank" else {part}
        assert relations(getattr(world, who), reported) == expected
    for who in OUTSIDERS:
        assert relations(getattr(world, who), assigned) == frozenset()


def _state(problem: Problem) -> tuple[str, str, int, int]:
    row = Problem.objects.get(pk=problem.pk)
    return row.status, row.level, row.escalations, AuditEvent.objects.count()


CASES = list(itertools.product(ProblemStatus.values, ProblemAction.values, [*PLAYERS, *OUTSIDERS]))


@pytest.mark.parametrize(("status", "action", "who"), CASES)
def test_every_pair(world: Any, status: str, action: str, who: str) -> None:
    problem = problem_in(world, status)
    expected = EXPECTED.get((status, action))
    part = PLAYERS.get(who)
    if who == "hank" and status == ProblemStatus.REPORTED:
        part = None  # nothing is assigned to his department yet
    permitted = expected is not None and part is not None and part in expected[1]
    before = _state(problem)
    if permitted:
        assert expected is not None
        result = _act(world, who, problem, action)
        assert result.status == expected[0]
        assert Problem.objects.get(pk=problem.pk).status == expected[0]
        if action == ProblemAction.ESCALATE:
            assert (result.level, result.escalations) == (ProblemLevel.CITY, 1)
        # One audit event: the problem's update (an escalation without a reason adds no remark).
        assert AuditEvent.objects.count() == before[3] + 1
    else:
        with pytest.raises(PermissionDenied):
            _act(world, who, problem, action)
        assert _state(problem) == before


@pytest.mark.parametrize(("status", "action"), list(itertools.product(S.values, A.values)))
def test_the_table_row_of_every_pair(status: str, action: str) -> None:
    expected = EXPECTED.get((status, action))
    for part in EVERYONE:
        if expected is not None and part in expected[1]:
            assert workflow.PROBLEMS.check({part}, status, action).target == expected[0]
        else:
            with pytest.raises(TransitionRefused):
                workflow.PROBLEMS.check({part}, status, action)


def test_the_table_offers_the_buttons() -> None:
    assert workflow.PROBLEMS.actions_for(
        frozenset({workflow.DISPATCHER}), ProblemStatus.REPORTED
    ) == [
        ProblemAction.ASSIGN,
        ProblemAction.ESCALATE,
    ]
    assert workflow.PROBLEMS.actions_for(frozenset({workflow.OWNER}), ProblemStatus.RESOLVED) == [
        ProblemAction.REJECT_RESOLUTION,
        ProblemAction.CLOSE,
    ]
    assert workflow.PROBLEMS.actions_for(EVERYONE, ProblemStatus.CLOSED) == []
    assert workflow.PROBLEMS.actions_for(EVERYONE, ProblemStatus.IN_PROGRESS) == [
        ProblemAction.ASSIGN,
        ProblemAction.RESOLVE,
        ProblemAction.ESCALATE,
    ]
