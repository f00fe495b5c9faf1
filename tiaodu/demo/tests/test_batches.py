"""The demo's groundbreaking batches: the city's in spring and the busiest district's in
autumn, created by the city dispatcher three weeks ahead through the services (audited),
each holding new starts of its region planned around its date."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from tiaodu.campaigns import selectors
from tiaodu.campaigns.models import GroundbreakingBatch
from tiaodu.core.models import AuditEvent
from tiaodu.projects.choices import AnnualPlanNature

AS_OF = dt.date(2026, 12, 6)

pytestmark = pytest.mark.django_db


def test_the_demo_holds_a_spring_and_an_autumn_batch() -> None:
    out = StringIO()
    with translation.override("en"):
        call_command(
            "load_demo", "--projects", "40", "--year", "2026", "--as-of", AS_OF.isoformat(),
            "--without", "reminders", stdout=out,
        )  # fmt: skip
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
        assert line in out.getvalue()
    created = AuditEvent.objects.filter(object_type="campaigns.groundbreakingbatch")
    assert [(event.actor_name, event.at.date()) for event in created.order_by("at")] == [
        ("dispatcher", dt.date(2026, 3, 20)),
        ("dispatcher", dt.date(2026, 8, 28)),
    ]
