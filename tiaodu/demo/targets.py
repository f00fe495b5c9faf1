"""The demo city's district targets on the three assessment indicators (`load_demo`).

A part of the demo (`demo.parts`), after the monthly judgment. In the plan year's first
weeks the city dispatcher sets each district's targets from its plan, through
`scoring.targets.set_district_target`: as many new starts as the district's new-start
entries planned to start in the year, as many new inclusions in the statistics, and as many
completions as its entries planned to complete in the year. One district is asked for one
more new start than it planned, as a city often does. The indicators page then shows each
district's attainment so far and ranks them.
"""

import datetime as dt
import random
from collections import Counter
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from tiaodu.core import clock
from tiaodu.demo.library.spec import DemoSpec
from tiaodu.demo.parts import DemoPart
from tiaodu.demo.problems.days import office_time
from tiaodu.projects.choices import AnnualPlanNature
from tiaodu.projects.models import AnnualPlan
from tiaodu.scoring import indicators
from tiaodu.scoring.rankings import district_id, top_region
from tiaodu.scoring.targets import set_district_target

if TYPE_CHECKING:
    from tiaodu.demo.library.builder import Loaded

NAME = "targets"
# The day the targets are set: after the plan is adopted at the year's start.
SET_ON = (1, 20)


def planned(year: int) -> dict[int, Counter[str]]:
    """Each district's (by id) new starts and completions planned in the year's entries."""
    top = top_region()
    counts: dict[int, Counter[str]] = {}
    rows = AnnualPlan.objects.filter(year=year).values_list(
        "project__region__path", "nature", "planned_start", "planned_completion"
    )
    for path, nature, planned_start, planned_completion in rows:
        district = district_id(path, top)
        if district is None or (top is not None and district == top.pk):
            continue
        found = counts.setdefault(district, Counter())
        if nature == AnnualPlanNature.NEW_START and planned_start and planned_start.year == year:
            found["new_starts"] += 1
        if planned_completion and planned_completion.year == year:
            found["completions"] += 1
    return counts


def load(spec: DemoSpec, loaded: "Loaded") -> list[str]:
    rng = random.Random(f"{spec.seed}:{NAME}")
    dispatcher = loaded.users["dispatcher"]
    day = min(dt.date(spec.year, *SET_ON), spec.as_of)
    counts = planned(spec.year)
    districts = [district for district in indicators.districts() if counts.get(district.pk)]
    stretched = rng.choice(districts) if districts else None
    moment = office_time(rng, day)
    for district in districts:
        found = counts[district.pk]
        new_starts = found["new_starts"] + (1 if district == stretched else 0)
        moment += dt.timedelta(minutes=rng.randint(2, 6))
        with clock.frozen(moment):
            set_district_target(
                dispatcher,
                district,
                spec.year,
                new_starts=new_starts,
                inclusions=new_starts,
                completions=found["completions"],
            )
    # To the end of the last month that is over (the one under way is not yet assessed).
    month = max(1, spec.as_of.month - 1) if spec.as_of.year == spec.year else 12
    assessed = indicators.indicators(actor=None, year=spec.year, month=month)
    first = next((row for row in assessed.rows if row.rank == 1), None)
    return [
        _(
            "District targets of %(year)d: %(count)d districts; first on attainment to "
            "%(date)s: %(first)s"
        )
        % {
            "year": spec.year,
            "count": len(districts),
            "date": assessed.end.isoformat(),
            "first": f"{first.name} {first.overall}%" if first is not None else "—",
        }
    ]


PART = DemoPart(NAME, load)
