"""`heavy_reads.roomy`: PostgreSQL's work_mem raised for one heavy computation's transaction,
and for nothing else; on SQLite, no query at all."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tiaodu.analytics.figures import figure_set
from tiaodu.core import heavy_reads
from tiaodu.projects.models import AnnualPlan


def work_mem() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        return str(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_the_block_has_room_and_the_connection_keeps_its_setting_after(settings):
    if connection.vendor != "postgresql":
        with CaptureQueriesContext(connection) as context, heavy_reads.roomy(AnnualPlan):
            pass
        assert context.captured_queries == []
        return
    before = work_mem()
    settings.TIAODU_HEAVY_READ_WORK_MEM = "48MB"
    with heavy_reads.roomy(AnnualPlan):
        assert work_mem() == "48MB"
    assert work_mem() == before != "48MB"
    settings.TIAODU_HEAVY_READ_WORK_MEM = ""
    with heavy_reads.roomy(AnnualPlan):
        assert work_mem() == before


@pytest.mark.django_db
def test_the_figure_set_is_computed_with_room(world, settings):
    settings.TIAODU_FIGURES_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as context:
        figure_set(actor=world.alice, year=2026, as_of=dt.date(2026, 9, 30))
    raised = [q["sql"] for q in context.captured_queries if "work_mem" in q["sql"]]
    assert len(raised) == (1 if connection.vendor == "postgresql" else 0)
