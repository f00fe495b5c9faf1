"""The transition table of a notice: (status, action) -> (new status, who may)."""

from typing import NamedTuple

from tiaodu.supervision.choices import NoticeAction, NoticeStatus

ISSUER = "issuer"  # a dispatcher whose region covers every project of the notice
RECIPIENT = "recipient"  # a department handler or reporter of the recipient unit


class Transition(NamedTuple):
    to: str
    who: str


TRANSITIONS: dict[tuple[str, str], Transition] = {
    (NoticeStatus.ISSUED, NoticeAction.RESPOND): Transition(NoticeStatus.ANSWERED, RECIPIENT),
    # Closing an answered notice accepts the response; closing an issued one ends it
    # without a response (an interview that was held).
    (NoticeStatus.ANSWERED, NoticeAction.CLOSE): Transition(NoticeStatus.CLOSED, ISSUER),
    (NoticeStatus.ISSUED, NoticeAction.CLOSE): Transition(NoticeStatus.CLOSED, ISSUER),
}


def transition(status: str, action: str) -> Transition | None:
    """The transition an action makes from a status, or None when it makes none."""
    return TRANSITIONS.get((status, action))
