"""The demo city's groundbreaking batches (集中开工), a part of the demo (`demo.parts`).

Three weeks before each date the city dispatcher creates the batch and ticks its projects
among the candidates (`campaigns.selectors.candidates`: new starts planned within the
default window of the date, in no batch yet), through `campaigns.services`: in spring a
batch of the whole city on 10 April, in autumn one of the district with the most new
starts planned around 18 September. A batch whose creation day lies after the demo's
as-of date is left out. Its page then shows the share started since its date.
"""

import datetime as dt
import random
from collections import Counter
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from tiaodu.accounts.models import OrgUnit
from tiaodu.campaigns import selectors, services
from tiaodu.campaigns.models import GroundbreakingBatch
from tiaodu.core import clock
from tiaodu.demo.library.spec import DemoSpec
from tiaodu.demo.parts import DemoPart
from tiaodu.demo.problems.days import office_time
from tiaodu.projects.choices import AnnualPlanNature
from tiaodu.projects.models import AnnualPlan

if TYPE_CHECKING:
    from tiaodu.demo.library.builder import Loaded

NAME = "batches"
SPRING, AUTUMN = (4, 10), (9, 18)
AHEAD = dt.timedelta(days=21)  # created three weeks before its date
MOST = 12  # projects ticked at most, the largest first


def busiest_district(root: OrgUnit, day: dt.date) -> OrgUnit | None:
    """The district (a region just below the city) with the most new starts planned within
    the default window of the day."""
    span = dt.timedelta(days=selectors.window_days())
    districts = {unit.path: unit for unit in OrgUnit.objects.regions().filter(parent=root)}
    counts: Counter[str] = Counter()
    paths = AnnualPlan.objects.filter(
        year=day.year,
        nature=AnnualPlanNature.NEW_START,
        planned_start__range=(day - span, day + span),
    ).values_list("project__region__path", flat=True)
    for path in paths:
        for district_path in districts:
            if path.startswith(district_path):
                counts[district_path] += 1
    if not counts:
        return None
    return districts[max(counts, key=lambda path: (counts[path], path))]


def hold(
    rng: random.Random, loaded: "Loaded", *, name: str, day: dt.date, region: OrgUnit, place: str
) -> GroundbreakingBatch:
    dispatcher = loaded.users["dispatcher"]
    with clock.frozen(office_time(rng, day - AHEAD)):
        batch = services.create_batch(
            actor=dispatcher, name=name, date=day, place=place, region=region
        )
        chosen = sorted(
            selectors.candidates(batch, days=selectors.window_days()),
            key=lambda plan: (-plan.project.total_investment, plan.pk),
        )[:MOST]
        if chosen:
            services.add_entries(actor=dispatcher, batch=batch, plans=chosen)
    return batch


def load(spec: DemoSpec, loaded: "Loaded") -> list[str]:
    rng = random.Random(f"{spec.seed}:{NAME}")
    held: list[GroundbreakingBatch] = []
    spring = dt.date(spec.year, *SPRING)
    if spring - AHEAD <= spec.as_of:
        held.append(
            hold(
                rng, loaded, name=f"{loaded.root.name}{spec.year}年春季重大项目集中开工",
                day=spring, region=loaded.root, place=f"{loaded.root.name}主会场",
            )
        )  # fmt: skip
    autumn = dt.date(spec.year, *AUTUMN)
    district = busiest_district(loaded.root, autumn)
    if autumn - AHEAD <= spec.as_of and district is not None:
        held.append(
            hold(
                rng, loaded, name=f"{district.name}{spec.year}年秋季重大项目集中开工",
                day=autumn, region=district, place=f"{district.name}主会场",
            )
        )  # fmt: skip
    lines = []
    for batch in held:
        figures = selectors.batch_figures(batch, today=spec.as_of)
        lines.append(
            _("Groundbreaking batch %(name)s on %(date)s: %(count)s projects, started %(rate)s")
            % {
                "name": batch.name,
                "date": batch.date.isoformat(),
                "count": figures.count,
                "rate": f"{figures.started_rate}%" if figures.started_rate is not None else "—",
            }
        )
    return lines


PART = DemoPart(NAME, load)
