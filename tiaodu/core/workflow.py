"""Every state machine of the platform as one kind of table (architecture rule 3).

An app's `workflow.py` lists its rows, `Transition(source, action, target, who)`, and wraps
them in a `Workflow`. `who` names the relations of the actor to the object that may take
the step ("dispatcher", "owner", …); the app's permissions decide which relations an actor
has, so this module knows nothing of users. Then:

- a service calls `check(relations, status, action)` to learn whether the step is allowed
  (it raises `TransitionRefused`, which the service turns into the refusal it gives the
  user), and `apply(obj, action, relations)` to set the target status from the table;
  the service still saves and audits;
- a page calls `actions_for(relations, status)` to choose its buttons.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Transition:
    """One row: from `source`, `action` leads to `target`; an actor with one of the
    relations in `who` may take it."""

    source: str
    action: str
    target: str
    who: frozenset[str]


class TransitionRefused(Exception):
    """The table refuses a step. `step` is the row when the table has the step but the
    actor's relations are not among its `who`; None when the table has no such step from
    the status at all. The services turn it into the message the user reads."""

    def __init__(self, status: str, action: str, step: Transition | None) -> None:
        self.status, self.action, self.step = status, action, step
        reason = "not yours to take" if step else "no such step"
        super().__init__(f"{action!s} from {status!s}: {reason}")


class Workflow:
    """A transition table built from its rows; at most one row per (source, action)."""

    def __init__(self, rows: Iterable[Transition]) -> None:
        self.rows: tuple[Transition, ...] = tuple(rows)
        self._steps: dict[tuple[str, str], Transition] = {}
        for row in self.rows:
            key = (str(row.source), str(row.action))
            if key in self._steps:
                raise ValueError(f"Two rows of the table take {key[1]!r} from {key[0]!r}.")
            self._steps[key] = row

    def step(self, status: str, action: str) -> Transition | None:
        """The row for the action from the status, whoever takes it; None if there is none."""
        return self._steps.get((str(status), str(action)))

    def check(self, relations: Iterable[str], status: str, action: str) -> Transition:
        """The row an actor with these relations takes; TransitionRefused if it may not."""
        found = self.step(status, action)
        if found is None or not found.who & frozenset(relations):
            raise TransitionRefused(status, action, found)
        return found

    def actions_for(self, relations: Iterable[str], status: str) -> list[str]:
        """The actions an actor with these relations may take from the status: the buttons
        of a page, in table order, each once."""
        mine = frozenset(relations)
        return list(
            dict.fromkeys(
                row.action for row in self.rows if row.source == status and row.who & mine
            )
        )

    def apply(
        self, obj: Any, action: str, relations: Iterable[str], field: str = "status"
    ) -> tuple[str, str]:
        """Check the step, set the target status on `obj` (unsaved) and return
        (source, target); the service saves and audits."""
        source = getattr(obj, field)
        found = self.check(relations, source, action)
        setattr(obj, field, found.target)
        return source, found.target
