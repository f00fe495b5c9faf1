"""The workflow helper on a table of its own: a door that is opened, locked and unlocked."""

from dataclasses import dataclass

import pytest

from tiaodu.core.workflow import Transition, TransitionRefused, Workflow

KEEPER = "keeper"
GUEST = "guest"
_KEEPER = frozenset({KEEPER})
_ANYONE = frozenset({KEEPER, GUEST})

DOOR = Workflow(
    [
        Transition("closed", "open", "open", _ANYONE),
        Transition("open", "close", "closed", _ANYONE),
        Transition("closed", "lock", "locked", _KEEPER),
        Transition("locked", "unlock", "closed", _KEEPER),
        Transition("open", "wedge", "open", _KEEPER),
    ]
)


@dataclass
class Door:
    status: str = "closed"
    state: str = "closed"


def test_a_second_row_for_the_same_pair_is_refused() -> None:
    with pytest.raises(ValueError, match="Two rows of the table take 'open' from 'closed'"):
        Workflow(
            [
                Transition("closed", "open", "open", _ANYONE),
                Transition("closed", "open", "locked", _KEEPER),
            ]
        )


def test_check_gives_the_row_to_a_relation_it_names() -> None:
    assert DOOR.check({GUEST}, "closed", "open") == Transition("closed", "open", "open", _ANYONE)
    assert DOOR.check([KEEPER, "passer-by"], "closed", "lock").target == "locked"


def test_check_refuses_a_step_the_table_does_not_have() -> None:
    with pytest.raises(TransitionRefused) as refused:
        DOOR.check(_ANYONE, "locked", "open")
    assert (refused.value.status, refused.value.action, refused.value.step) == (
        "locked",
        "open",
        None,
    )


def test_check_refuses_a_step_that_is_not_the_actors() -> None:
    with pytest.raises(TransitionRefused) as refused:
        DOOR.check({GUEST}, "closed", "lock")
    assert refused.value.step == Transition("closed", "lock", "locked", _KEEPER)
    with pytest.raises(TransitionRefused):
        DOOR.check(frozenset(), "closed", "open")


def test_actions_for_follows_the_table_order_and_the_relations() -> None:
    assert DOOR.actions_for(_ANYONE, "closed") == ["open", "lock"]
    assert DOOR.actions_for({GUEST}, "closed") == ["open"]
    assert DOOR.actions_for(_KEEPER, "open") == ["close", "wedge"]
    assert DOOR.actions_for(_KEEPER, "nowhere") == []
    assert DOOR.actions_for(frozenset(), "closed") == []


def test_actions_for_names_each_action_once() -> None:
    # Two rows from different statuses share an action; a status offers it once.
    table = Workflow(
        [
            Transition("a", "go", "b", _KEEPER),
            Transition("b", "go", "c", _KEEPER),
            Transition("a", "stay", "a", _ANYONE),
        ]
    )
    assert table.actions_for(_ANYONE, "a") == ["go", "stay"]
    assert table.actions_for(_ANYONE, "b") == ["go"]


def test_step_finds_the_row_whoever_takes_it() -> None:
    assert DOOR.step("locked", "unlock") == Transition("locked", "unlock", "closed", _KEEPER)
    assert DOOR.step("locked", "open") is None


def test_apply_sets_the_target_and_returns_the_pair() -> None:
    door = Door()
    assert DOOR.apply(door, "lock", _KEEPER) == ("closed", "locked")
    assert door.status == "locked"
    assert DOOR.apply(door, "unlock", _KEEPER) == ("locked", "closed")
    assert door.status == "closed"


def test_apply_on_another_field() -> None:
    door = Door(status="untouched")
    assert DOOR.apply(door, "open", {GUEST}, field="state") == ("closed", "open")
    assert (door.status, door.state) == ("untouched", "open")


def test_a_refused_apply_changes_nothing() -> None:
    door = Door()
    with pytest.raises(TransitionRefused):
        DOOR.apply(door, "lock", {GUEST})
    with pytest.raises(TransitionRefused):
        DOOR.apply(door, "unlock", _KEEPER)
    assert door.status == "closed"
