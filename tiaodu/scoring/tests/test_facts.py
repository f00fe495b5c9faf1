"""Reading the month's facts in bulk gives what the one-period selectors give: the entries
each period of the month expects (`reporting.selectors.expected_by_period` against
`expected_plan_ids`), on cycles by list and level and with an entry that went into
production during the month."""

import datetime as dt
from typing import Any

from tiaodu.projects import services as project_services
from tiaodu.reporting import services as reporting_services
from tiaodu.reporting.choices import Cycle
from tiaodu.reporting.models import CycleRule
from tiaodu.reporting.selectors import expected_by_period, expected_plan_ids
from tiaodu.scoring.facts import month_periods

JUNE = dt.date(2026, 6, 1)


def test_expected_by_period_is_expected_plan_ids_of_each(world: Any) -> None:
    CycleRule.objects.create(key_project_list=world.key_list, cycle=Cycle.HALF_MONTH)
    CycleRule.objects.create(level="provincial", cycle=Cycle.WEEKLY)
    project_services.save_annual_plan(
        actor=world.alice,
        project=world.projects["p5"],
        year=2026,
        nature=world.plans["p5"].nature,
        level="provincial",
    )
    # p1 (on the list: half-month) goes into production on 20 June: it reports in the
    # first half of June, not in the second.
    project_services.update_project(
        actor=world.alice,
        project=world.projects["p1"],
        actual_start=dt.date(2025, 3, 1),
        actual_production=dt.date(2026, 6, 20),
    )
    reporting_services.open_periods(today=dt.date(2026, 7, 1))
    periods = month_periods(JUNE)
    assert {period.cycle for period in periods} >= {Cycle.HALF_MONTH, Cycle.WEEKLY, Cycle.MONTHLY}
    bulk = expected_by_period(periods)
    for period in periods:
        assert sorted(bulk[period.pk]) == sorted(expected_plan_ids(period)), period.label
    halves = [period for period in periods if period.cycle == Cycle.HALF_MONTH]
    p1 = world.plans["p1"].pk
    assert [p1 in bulk[period.pk] for period in halves] == [True, False]
    weekly = [period for period in periods if period.cycle == Cycle.WEEKLY]
    assert all(bulk[period.pk] == [world.plans["p5"].pk] for period in weekly)
