"""The demo's district targets: set by the city dispatcher in January from each district's
plan, through the service (audited), so that the indicators page ranks the districts."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from tiaodu.accounts.models import User
from tiaodu.core.models import AuditEvent
from tiaodu.demo.targets import planned
from tiaodu.scoring.indicators import indicators
from tiaodu.scoring.models import DistrictTarget

AS_OF = dt.date(2026, 12, 6)

pytestmark = pytest.mark.django_db


def test_the_demo_sets_each_districts_targets_from_its_plan() -> None:
    out = StringIO()
    with translation.override("en"):
        call_command(
            "load_demo", "--projects", "40", "--year", "2026", "--as-of", AS_OF.isoformat(),
            "--without", "reminders", stdout=out,
        )  # fmt: skip
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
    assert "District targets of 2026" in out.getvalue()
