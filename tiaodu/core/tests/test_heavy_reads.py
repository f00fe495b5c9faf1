"""`heavy_reads.roomy`: PostgreSQL's work_mem raised for one heavy computation's transaction,
and for nothing else; on SQLite, no query at all (the figure set's use of it:
analytics/tests/test_figures.py)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as site_settings
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


@pytest.mark.parametrize("value", ["lots", "32 MB", "0MB", "-1"])
def test_a_size_postgresql_would_refuse_stops_the_start_with_a_clear_message(value):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tiaodu.settings"}
    env["TIAODU_HEAVY_READ_WORK_MEM"] = value
    started = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        cwd=site_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert started.returncode != 0
    assert "TIAODU_HEAVY_READ_WORK_MEM is a PostgreSQL memory size such as 32MB" in started.stderr
