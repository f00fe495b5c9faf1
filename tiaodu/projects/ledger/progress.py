"""How far a ledger check or import is: the phases, and the callback that is told.

`plan_import` and `apply_import` take an optional `progress(phase, done, total)`: they call
it when a phase starts (done = 0), every `EVERY` rows, and when it ends (done = total).
Whoever listens decides how often to store it (the import page: at most once a second).
"""

from collections.abc import Callable

# The phases, in the order they run. Their labels are LedgerImportPhase's.
READING = "reading"  # the rows of the sheet, read into memory
CHECKING = "checking"  # every cell of every row, parsed and checked
MATCHING = "matching"  # every row matched with the library: regions, projects, units, people
WRITING = "writing"  # the rows written, in one transaction
PHASES = (READING, CHECKING, MATCHING, WRITING)

EVERY = 100

Progress = Callable[[str, int, int], None]


def report(progress: Progress | None, phase: str, done: int, total: int) -> None:
    """Tell `progress` at the start, the end and every `EVERY` rows of a phase."""
    if progress is not None and (done % EVERY == 0 or done == total):
        progress(phase, done, total)
