"""`OneOf`: thousands of values in one query, the same rows as Django's `__in`."""

from typing import Any

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from tiaodu.core.lookups import OneOf
from tiaodu.core.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def _event(name: str) -> AuditEvent:
    return AuditEvent(action=AuditAction.CREATE, object_type="accounts.person", object_repr=name)


@pytest.fixture
def people() -> list[AuditEvent]:
    """Rows of a table with a text column: 30 names and one with quotes."""
    return AuditEvent.objects.bulk_create(
        [_event(f"张{i}") for i in range(30)] + [_event('O\'Brien "x" 李')]
    )


def test_the_rows_are_those_of_in_whatever_the_values(people: list[AuditEvent]) -> None:
    names: list[Any] = ["张3", "张7", 'O\'Brien "x" 李', "nobody", "张3", None]
    found = set(
        AuditEvent.objects.filter(OneOf(F("object_repr"), names)).values_list(
            "object_repr", flat=True
        )
    )
    assert found == {"张3", "张7", 'O\'Brien "x" 李'}
    assert found == set(
        AuditEvent.objects.filter(object_repr__in=names).values_list("object_repr", flat=True)
    )
    ids = {people[0].pk, people[5].pk, 10**9}
    assert set(AuditEvent.objects.filter(OneOf(F("pk"), ids)).values_list("pk", flat=True)) == {
        people[0].pk,
        people[5].pk,
    }


def test_thousands_of_values_are_one_query_with_one_parameter(people: list[AuditEvent]) -> None:
    names = [f"张{i}" for i in range(20_000)]
    rows = AuditEvent.objects.filter(OneOf(F("object_repr"), iter(names)))
    _sql, params = rows.query.sql_with_params()
    assert len(params) == 1  # Django's `__in` would send 20,000
    with CaptureQueriesContext(connection) as queries:
        assert rows.count() == 30
    assert len(queries) == 1


def test_no_values_is_no_row_and_no_query(people: list[AuditEvent]) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert list(AuditEvent.objects.filter(OneOf(F("object_repr"), []))) == []
    assert len(queries) == 0


def test_it_joins_with_other_conditions(people: list[AuditEvent]) -> None:
    rows = AuditEvent.objects.filter(
        OneOf(F("object_repr"), ["张1", "张2"]), object_repr__endswith="2"
    )
    assert list(rows.values_list("object_repr", flat=True)) == ["张2"]
