"""The demo's district targets and groundbreaking batches (the demo as of
6 December 2026 that the evaluation's tests read too serves both: the
tests only read it).

District targets: set by the city dispatcher in January from each district's plan, through
the service (audited), so that the indicators page ranks the districts.

Groundbreaking batches: the city's in spring and the busiest district's in autumn, created
by the city dispatcher three weeks ahead through the services (audited), each holding new
starts of its region planned around its date."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from tiaodu.accounts.models import User
from tiaodu.campaigns import selectors
from tiaodu.campaigns.models import GroundbreakingBatch
from tiaodu.core.models import AuditEvent
from tiaodu.demo.targets import planned
from tiaodu.demo.tests.conftest import DECEMBER, demo_loaded
from tiaodu.projects.choices import AnnualPlanNature
from tiaodu.scoring.indicators import indicators
from tiaodu.scoring.models import DistrictTarget
from tiaodu.testing import rolled_back

AS_OF = dt.date(2026, 12, 6)

# The tests only read the demo: one load serves them and the other modules of the group.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo-december")]


@pytest.fixture(scope="module")
def demo(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The demo, written once for the module and rolled back after it; what the command
    printed (in English)."""
    unblocked = django_db_blocker.unblock()
    with unblocked, rolled_back(), demo_loaded(tmp_path_factory, *DECEMBER) as (printed, _media):
        yield printed


def test_the_demo_sets_each_districts_targets_from_its_plan(demo: str) -> None:
    dispatcher = User.objects.get(username="dispatcher")
    targets = list(DistrictTarget.objects.filter(year=2026).select_related("region"))
    counts = planned(2026)
    assert targets and len(targets) == len([pk for pk, found in counts.items() if found])
    stretched = 0
    for target in targets:
        found = counts[target.region_id]
        assert target.set_by == dispatcher
        assert target.inclusions == target.new_starts
        assert target.completions == found["completions"]
        stretched += target.new_starts - found["new_starts"]
    assert stretched == 1  # one district asked for one more new start than it planned
    events = AuditEvent.objects.filter(object_type="scoring.districttarget")
    assert events.count() == len(targets)
    assert {event.at.date() for event in events} == {dt.date(2026, 1, 20)}
    assessed = indicators(actor=None, year=2026, month=12)
    ranked = [row for row in assessed.rows if row.rank is not None]
    assert [row.rank for row in ranked] == list(range(1, len(targets) + 1))
    assert "District targets of 2026" in demo


def test_the_demo_holds_a_spring_and_an_autumn_batch(demo: str) -> None:
    spring, autumn = GroundbreakingBatch.objects.order_by("date").select_related("region")
    assert (spring.date, autumn.date) == (dt.date(2026, 4, 10), dt.date(2026, 9, 18))
    assert spring.region.parent is None and autumn.region.parent == spring.region
    for batch in (spring, autumn):
        plans = list(selectors.batch_plans(batch))
        assert 0 < len(plans) <= 12
        window = dt.timedelta(days=selectors.window_days())
        for plan in plans:
            assert plan.nature == AnnualPlanNature.NEW_START and plan.year == 2026
            assert plan.project.region.path.startswith(batch.region.path)
            assert plan.planned_start is not None
            assert abs(plan.planned_start - batch.date) <= window
        figures = selectors.batch_figures(batch, today=AS_OF)
        assert figures.started_rate is not None
        line = f"Groundbreaking batch {batch.name} on {batch.date}: {figures.count} projects, started {figures.started_rate}%"
        assert line in demo
    created = AuditEvent.objects.filter(object_type="campaigns.groundbreakingbatch")
    assert [(event.actor_name, event.at.date()) for event in created.order_by("at")] == [
        ("dispatcher", dt.date(2026, 3, 20)),
        ("dispatcher", dt.date(2026, 8, 28)),
    ]
