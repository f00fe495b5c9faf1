"""The years offered by the pages (`selectors.plan_years`, `selectors.default_year`): each
year that has plan entries once, newest first, gaps left out."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tiaodu.core import clock
from tiaodu.projects.models import AnnualPlan
from tiaodu.projects.selectors import default_year, plan_years


def test_each_year_once_newest_first_with_gaps(world):
    alice = world.users["alice"]
    for key, year in (("p1", 2019), ("p2", 2019), ("p3", 2023), ("p4", 2027)):
        plan = world.plans[key]
        AnnualPlan.objects.create(
            project=plan.project, year=year, nature=plan.nature, level=plan.level
        )
    with CaptureQueriesContext(connection) as queries:
        years = plan_years(alice)
    assert years == [2027, 2026, 2023, 2019]
    # One lookup per year, and one that finds none below the oldest.
    assert len(queries) == len(years) + 1
    with clock.frozen(date(2023, 6, 1)):
        assert default_year(alice) == 2023
        assert default_year(alice, years) == 2023
    with clock.frozen(date(2025, 6, 1)):
        assert default_year(alice, years) == 2027


def test_a_site_without_entries_has_no_year_and_defaults_to_this_one(django_user_model):
    nobody = django_user_model.objects.create(username="nobody")
    assert plan_years(nobody) == []
    assert default_year(nobody) == clock.today().year
