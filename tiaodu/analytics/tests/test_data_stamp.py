"""The figure set's stamp (`figure_cache.data_stamp`, `core.stamps.stamp`): one statement
however many tables it reads, moved by rows written without a service."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tiaodu.analytics.figure_cache import STAMPED, data_stamp
from tiaodu.core import stamps
from tiaodu.projects.models import Project


def test_one_statement_reads_the_stamp_and_a_write_without_a_service_moves_it(
    world: Any,
) -> None:
    with CaptureQueriesContext(connection) as queries:
        before = data_stamp()
    assert len(queries) == 1
    assert len(before) == len(STAMPED) + 1
    # A row changed in place, with no audit event (a bulk write): its `updated_at` moves it.
    Project.objects.filter(pk=world.projects["p1"].pk).update(
        updated_at=timezone.now() + timedelta(seconds=1)
    )
    changed = data_stamp()
    assert changed != before and changed[0] == before[0]
    # A row inserted with no audit event: its table's newest id moves it.
    Project.objects.bulk_create(
        [
            Project(
                name="批量写入的项目",
                region=world.projects["p1"].region,
                total_investment=Decimal(100),
            )
        ]
    )
    assert data_stamp() not in (before, changed)


def test_a_field_that_is_not_a_column_is_refused(world: Any) -> None:
    with pytest.raises(ValueError, match="plans"):
        stamps.stamp(((Project, "plans"),))
