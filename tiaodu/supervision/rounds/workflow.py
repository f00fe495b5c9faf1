"""The transition table of a field round: (status, action) -> (new status, who may)."""

from typing import NamedTuple

from tiaodu.supervision.rounds.choices import RoundAction, RoundStatus

ORGANISER = "organiser"  # a dispatcher whose region holds the round's region


class Transition(NamedTuple):
    to: str
    who: str


TRANSITIONS: dict[tuple[str, str], Transition] = {
    (RoundStatus.PLANNED, RoundAction.START): Transition(RoundStatus.UNDER_WAY, ORGANISER),
    (RoundStatus.UNDER_WAY, RoundAction.FINISH): Transition(RoundStatus.FINISHED, ORGANISER),
    # A visit recorded late: the organiser reopens, the group records it, the round finishes.
    (RoundStatus.FINISHED, RoundAction.REOPEN): Transition(RoundStatus.UNDER_WAY, ORGANISER),
}

# Visits, their scores, photos and findings are recorded while the round is under way.
RECORDING = frozenset({RoundStatus.UNDER_WAY})
# Groups, members and assignments change until the round is finished.
ARRANGING = frozenset({RoundStatus.PLANNED, RoundStatus.UNDER_WAY})


def transition(status: str, action: str) -> Transition | None:
    """The transition an action makes from a status, or None when it makes none."""
    return TRANSITIONS.get((status, action))


def actions_from(status: str) -> list[str]:
    """The actions the table allows from a status, in the table's order."""
    return [action for (source, action) in TRANSITIONS if source == status]
