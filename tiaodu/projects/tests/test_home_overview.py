"""The home page's largest projects: walked down the projects' investment index, the same
entries as sorting every visible entry of the year."""

from decimal import Decimal

import pytest

from tiaodu.projects.home import largest_plans
from tiaodu.projects.models import Project
from tiaodu.projects.selectors import plans_visible_to

pytestmark = pytest.mark.django_db


def _sorted(user, year, count):
    plans = plans_visible_to(user).filter(year=year)
    return list(plans.order_by("-project__total_investment", "project_id")[:count])


@pytest.mark.parametrize("count", [1, 3, 8])
def test_the_same_entries_as_sorting_them_all(world, count):
    # Two projects of equal investment: the older first, as the list sorts them.
    p1, p2 = world.projects["p1"], world.projects["p2"]
    Project.objects.filter(pk__in=[p1.pk, p2.pk]).update(total_investment=Decimal(999999))
    for user in (world.alice, world.dora):
        assert largest_plans(user, 2026, count) == _sorted(user, 2026, count)
    assert [plan.project for plan in largest_plans(world.alice, 2026, 2)] == sorted(
        [p1, p2], key=lambda project: project.pk
    )


def test_a_year_without_entries_has_none(world):
    assert largest_plans(world.alice, 2031) == []
