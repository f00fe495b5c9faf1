"""`heavy_reads.roomy`: PostgreSQL's work_mem raised for one heavy computation's transaction,
and for nothing else; on SQLite, no query at all (the figure set's use of it:
analytics/tests/test_figures.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tiaodu.core import heavy_reads
from tiaodu.core.models import AuditEvent


def work_mem() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        return str(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_the_block_has_room_and_the_connection_keeps_its_setting_after(settings):
    if connection.vendor != "postgresql":
        with CaptureQueriesContext(connection) as context, heavy_reads.roomy(AuditEvent):
            pass
        assert context.captured_queries == []
        return
    before = work_mem()
    settings.TIAODU_HEAVY_READ_WORK_MEM = "48MB"
    with heavy_reads.roomy(AuditEvent):
        assert work_mem() == "48MB"
    assert work_mem() == before != "48MB"
    settings.TIAODU_HEAVY_READ_WORK_MEM = ""
    with heavy_reads.roomy(AuditEvent):
        assert work_mem() == before
