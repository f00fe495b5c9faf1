"""The library's page read in two queries (`AnnualPlanTable.paginate`): the same entries in
the same order, with the same figures, as one query sorting and slicing them all."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import F
from django.test import RequestFactory

from tiaodu.core.bounds import paged_table
from tiaodu.projects.models import AnnualPlan, Project
from tiaodu.projects.selectors import plans_visible_to
from tiaodu.projects.tables import AnnualPlanTable
from tiaodu.projects.totals import with_progress
from tiaodu.testing import state_ytd

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 9, 30)


@pytest.fixture
def figures(world):
    """Distinct investments, and year-to-date figures that sort otherwise."""
    for index, project in enumerate(Project.objects.order_by("pk")):
        Project.objects.filter(pk=project.pk).update(total_investment=Decimal(1000 + 37 * index))
    state_ytd(world, {"p1": "900", "p2": "10", "p3": "400", "p5": "70"}, AS_OF)
    return world


@pytest.mark.parametrize("sort", [None, "name", "-ytd", "completion_rate", "-completion_rate"])
def test_each_page_is_the_sorted_slice(figures, sort):
    plans = with_progress(plans_visible_to(figures.alice).filter(year=2026), AS_OF)
    # What one query sorting them all gives: the table's own ordered data, sliced.
    ordered = AnnualPlanTable(plans, as_of=AS_OF, sums={}, order_by=sort).data.data
    expected = [(plan.pk, plan.ytd) for plan in ordered[:6]]
    assert len(expected) >= 5 and len({ytd for _pk, ytd in expected}) > 2
    shown = []
    for page in (1, 2, 3):
        table = AnnualPlanTable(plans, as_of=AS_OF, sums={}, order_by=sort)
        table.paginate(per_page=2, page=page)
        rows = list(table.page.object_list)
        shown += [(row.record.pk, row.record.ytd) for row in rows]
        # Each row is a whole entry: its project and region read with it.
        assert all(row.record.project.region.name for row in rows)
    assert shown == expected
    if sort is None:
        investments = [Project.objects.get(plans__pk=pk).total_investment for pk, _ in shown]
        assert investments == sorted(investments, reverse=True)


def test_the_pages_take_the_count_of_the_totals(figures):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tiaodu.projects.totals import totals

    plans = with_progress(plans_visible_to(figures.alice).filter(year=2026), AS_OF)
    sums = totals(plans, AS_OF)
    table = AnnualPlanTable(plans, as_of=AS_OF, sums=sums)
    with CaptureQueriesContext(connection) as queries:
        table.paginate(per_page=2, page=1)
        rows = list(table.page.object_list)
    assert table.paginator.count == sums["count"] == plans.count()
    assert table.paginator.num_pages == -(-sums["count"] // 2) and len(rows) == 2
    assert not any("COUNT(" in query["sql"].upper() for query in queries.captured_queries)


@pytest.mark.parametrize(
    ("sort", "keys"),
    [
        ("region", ("project__region__path",)),
        ("-region", ("-project__region__path",)),
        ("level", ("level",)),
        ("-nature", ("-nature",)),
        # A sort the table does not offer: its default order.
        ("budget", ("-project__total_investment", "-project__id")),
    ],
)
def test_pages_read_apart_show_each_entry_once_whatever_the_rows_share(figures, sort, keys):
    """The world's entries share their region, level and nature: the primary key orders
    the tied ones, so the pages, each read in its own queries, show every entry once. On
    PostgreSQL the rows are first stored in the reverse of their keys' order, so that the
    tied ones would come in another order without it."""
    for plan in AnnualPlan.objects.order_by("-pk"):
        AnnualPlan.objects.filter(pk=plan.pk).update(year=F("year"))
    # Investments in neither the keys' order nor its reverse.
    for index, project in enumerate(Project.objects.order_by("pk")):
        investment = Decimal(1000 + (index * 5) % 7 * 10 + index)
        Project.objects.filter(pk=project.pk).update(total_investment=investment)
    plans = with_progress(plans_visible_to(figures.alice).filter(year=2026), AS_OF)
    expected = list(plans.order_by(*keys, "pk").values_list("pk", flat=True))
    assert len(expected) >= 5
    shown = []
    for page in (1, 2, 3):
        request = RequestFactory().get("/", {"sort": sort, "page": page})
        table = paged_table(request, AnnualPlanTable(plans, as_of=AS_OF, sums={}), sizes=(2,))
        shown += [row.record.pk for row in table.page.object_list]
    assert shown == expected[:6]
