"""The parts of the demo after the library, in the order a site would have lived them.

The demo package sits on top of every other app, so it names its parts itself instead of
letting the product apps register them: the dispatch rounds' reports first (the problems
are raised from them), then the problem ledger, the supervision notices (about problems
left open), the leaders' instructions, the meetings (deciding on open problems) and the
field round (raising a finding as a problem), the monthly cards with their proposals, the
districts' targets on the assessment indicators, the campaigns (last year's and this
year's 百日会战), the groundbreaking batches, the task forces of the municipal key projects
(set up in the spring, on the lists as they stood then), the list changes of this year's
campaign, the daily reminder rounds of the demo's last two weeks, and last the districts'
outlines for the map.
`manage.py load_demo` runs them after the library, inside the same
transaction; `load_demo --without NAME` leaves one out.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tiaodu.demo.library.spec import DemoSpec

if TYPE_CHECKING:
    from tiaodu.demo.library.builder import Loaded


@dataclass(frozen=True)
class DemoPart:
    """A part of the demo: `load(spec, loaded)` writes it and returns summary lines."""

    name: str
    load: "Callable[[DemoSpec, Loaded], list[str]]"


def ordered() -> tuple[DemoPart, ...]:
    """Every part, in the order they are loaded."""
    from tiaodu.demo import (
        batches,
        boundaries,
        cameras,
        campaigns,
        daily,
        evaluation,
        field_round,
        instructions,
        list_changes,
        notices,
        problems,
        reports,
        targets,
        taskforces,
    )

    return (
        reports.PART,
        problems.PART,
        notices.PART,
        notices.MEETINGS,
        instructions.PART,
        field_round.PART,
        evaluation.PART,
        targets.PART,
        campaigns.PART,
        batches.PART,
        taskforces.PART,
        list_changes.PART,
        daily.PART,
        boundaries.PART,
        cameras.PART,
    )
