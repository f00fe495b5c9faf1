"""How often a background task saves its progress: the page that shows it polls once a
second, and a task that saved once a row would spend its time writing its own counter."""

import time
from collections.abc import Callable


class Every:
    """Says whether a progress report is worth saving: the first, one that starts or ends
    its count (done 0, done = total), one that begins a new count (`fresh`), and in between
    at most one every `seconds` (by `clock`, monotonic seconds)."""

    def __init__(self, seconds: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self.saved_at: float | None = None

    def due(self, done: int, total: int, *, fresh: bool = False) -> bool:
        now = self.clock()
        if (
            not fresh
            and self.saved_at is not None
            and 0 < done < total
            and now - self.saved_at < self.seconds
        ):
            return False
        self.saved_at = now
        return True
