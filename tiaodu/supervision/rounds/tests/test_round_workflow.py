"""Every (status, action) pair of a field round's workflow, for every persona; a refusal
writes nothing (see conftest for the personas: alice organises the city's tour, dora is a
dispatcher of 黄岛区 only, hank and lena lead its groups)."""

import itertools
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tiaodu.core.models import AuditEvent
from tiaodu.core.workflow import TransitionRefused
from tiaodu.supervision.rounds import permissions, services, workflow
from tiaodu.supervision.rounds.choices import RoundAction, RoundStatus
from tiaodu.supervision.rounds.models import FieldRound
from tiaodu.supervision.rounds.tests.conftest import ROUND_TABLES
from tiaodu.testing import assert_nothing_written

pytestmark = pytest.mark.django_db

ORGANISER = workflow.ORGANISER
S, A = RoundStatus, RoundAction
# Written out here rather than read from the table, so a wrong row of the table fails:
# (status, action) → (status after, who may). Every pair not listed is refused to everyone.
EXPECTED: dict[tuple[str, str], tuple[str, frozenset[str]]] = {
    (S.PLANNED, A.START): (S.UNDER_WAY, frozenset({ORGANISER})),
    (S.UNDER_WAY, A.FINISH): (S.FINISHED, frozenset({ORGANISER})),
    (S.FINISHED, A.REOPEN): (S.UNDER_WAY, frozenset({ORGANISER})),
}
PLAYERS = {"alice": ORGANISER}
OUTSIDERS = ("dora", "hank", "lena", "rita", "bob")
# The steps that lead from a planned round to each status.
ROUTE: dict[str, list[str]] = {
    S.PLANNED: [],
    S.UNDER_WAY: [A.START],
    S.FINISHED: [A.START, A.FINISH],
}


def _round_in(world: Any, tour: FieldRound, status: str) -> FieldRound:
    for action in ROUTE[status]:
        tour = services.move_round(actor=world.alice, field_round=tour, action=action)
    assert tour.status == status
    return tour


def test_the_relations_of_the_personas(world: Any, tour: FieldRound) -> None:
    assert permissions.round_relations(world.alice, tour) == {ORGANISER}
    for who in OUTSIDERS:
        assert permissions.round_relations(getattr(world, who), tour) == frozenset()


@pytest.mark.parametrize(("status", "action"), list(itertools.product(S.values, A.values)))
def test_the_table_row_of_every_pair(status: str, action: str) -> None:
    expected = EXPECTED.get((status, action))
    if expected is not None:
        assert workflow.ROUNDS.check({ORGANISER}, status, action).target == expected[0]
    else:
        with pytest.raises(TransitionRefused):
            workflow.ROUNDS.check({ORGANISER}, status, action)
    with pytest.raises(TransitionRefused):
        workflow.ROUNDS.check({"member"}, status, action)
    offered = [a for (s, a) in EXPECTED if s == status]
    assert workflow.ROUNDS.actions_for({ORGANISER}, status) == offered


CASES = list(itertools.product(S.values, A.values, [*PLAYERS, *OUTSIDERS]))


@pytest.mark.parametrize(("status", "action", "who"), CASES)
def test_every_pair(world: Any, tour: FieldRound, status: str, action: str, who: str) -> None:
    field_round = _round_in(world, tour, status)
    expected = EXPECTED.get((status, action))
    part = PLAYERS.get(who)
    if expected is not None and part in expected[1]:
        events = AuditEvent.objects.count()
        moved = services.move_round(
            actor=getattr(world, who), field_round=field_round, action=action
        )
        assert moved.status == expected[0]
        assert FieldRound.objects.get(pk=field_round.pk).status == expected[0]
        assert AuditEvent.objects.count() == events + 1
        return
    # No such step from the status is a ValidationError; a step that is not the actor's,
    # a PermissionDenied.
    refusal = ValidationError if expected is None else PermissionDenied
    with assert_nothing_written(*ROUND_TABLES), pytest.raises(refusal):
        services.move_round(actor=getattr(world, who), field_round=field_round, action=action)
