"""The demo city's 百日会战 (`load_demo`): last year's, finished with its final comparison,
and this year's, copied from it and running on the demo's date.

A part of the demo (`demo.parts`), after the districts' targets. Both run a hundred days
ending four days after the demo's date (in their own years), over the provincial and
municipal key-project lists, with Suihua's targets: every new project started, investment
at least 80 % of the annual plan, every special-bond project started and its funds all
spent (the library gives those projects their funds and the reports their spending, so
that this year's is partly met on the demo's date). The city dispatcher
created last year's before it began and copies it into this year before this one begins;
last year's final comparison was kept the day after it ended.
"""

import datetime as dt
import random
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from tiaodu.campaigns import services
from tiaodu.campaigns.choices import Indicator
from tiaodu.campaigns.models import Campaign
from tiaodu.core import clock
from tiaodu.demo.library.spec import DemoSpec
from tiaodu.demo.parts import DemoPart
from tiaodu.demo.problems.days import office_time
from tiaodu.projects.models import KeyProjectList

if TYPE_CHECKING:
    from tiaodu.demo.library.builder import Loaded

NAME = "campaigns"
DAYS = 100
LISTS = ("省重点项目", "市重点项目")
BONDS = "专项债券项目"
RECORD_EVERY = 10


def window(year: int, as_of: dt.date) -> tuple[dt.date, dt.date]:
    """A hundred days ending four days after the demo's date, within the plan year."""
    end = min(as_of + dt.timedelta(days=4), dt.date(as_of.year, 12, 31)).replace(year=year)
    start = max(end - dt.timedelta(days=DAYS - 1), dt.date(year, 1, 1))
    return start, end


def _record_day(campaign: Campaign, day: dt.date) -> None:
    """The day's values, recorded as the daily round does: early that morning."""
    with clock.frozen(clock.aware(day) + dt.timedelta(hours=1, minutes=30)):
        services.record_day(campaign=campaign, day=day)


def _record(campaign: Campaign, through: dt.date) -> None:
    """The trend of the days gone by, as the daily round would have recorded it: here one
    day in ten (a 旬's rhythm) and the last one, to keep the load short."""
    day = campaign.start
    while day < through:
        _record_day(campaign, day)
        day += dt.timedelta(days=RECORD_EVERY)
    _record_day(campaign, through)


def record_again(campaign: Campaign, *, since: dt.date) -> int:
    """Record again the campaign's recorded days from `since` on, after a later part of the
    demo changed what they read (a list change approved that day); how many."""
    days = list(campaign.days.filter(day__gte=since).values_list("day", flat=True))
    for day in days:
        _record_day(campaign, day)
    return len(days)


def load(spec: DemoSpec, loaded: "Loaded") -> list[str]:
    rng = random.Random(f"{spec.seed}:{NAME}")
    dispatcher = loaded.users["dispatcher"]
    last_year = spec.year - 1
    lists = {(item.year, item.name): item for item in KeyProjectList.objects.all()}
    start, end = window(last_year, spec.as_of)
    chosen = [lists[(last_year, name)] for name in LISTS if (last_year, name) in lists]
    bonds = lists.get((last_year, BONDS))
    targets = [
        services.TargetSpec(indicator=Indicator.START_RATE, threshold=Decimal(100)),
        services.TargetSpec(indicator=Indicator.COMPLETION_RATE, threshold=Decimal(80)),
    ]
    if bonds is not None:
        targets += [
            services.TargetSpec(indicator=indicator, threshold=Decimal(100), subset_list=bonds)
            for indicator in (Indicator.START_RATE, Indicator.FUNDS_SPENT_RATE)
        ]
    with clock.frozen(office_time(rng, start - dt.timedelta(days=10))):
        last = services.create_campaign(
            actor=dispatcher,
            name=f"{last_year}年重点项目百日会战",
            year=last_year,
            start=start,
            end=end,
            lists=chosen,
            targets=targets,
        )
    _record(last, end)
    with clock.frozen(clock.aware(end + dt.timedelta(days=1)) + dt.timedelta(hours=1)):
        services.keep_final_comparison(campaign=last)
    this_start, _end = window(spec.year, spec.as_of)
    with clock.frozen(office_time(rng, this_start - dt.timedelta(days=7))):
        current = services.copy_campaign(actor=dispatcher, source=last, year=spec.year)
    _record(current, min(spec.as_of, current.end))
    return [
        _("Campaigns: %(last)s (final comparison kept), %(current)s (%(start)s to %(end)s)")
        % {
            "last": last.name,
            "current": current.name,
            "start": current.start.isoformat(),
            "end": current.end.isoformat(),
        }
    ]


PART = DemoPart(NAME, load)
