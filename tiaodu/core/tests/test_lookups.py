"""`OneOf`: thousands of values in one query, the same rows as Django's `__in`."""

from typing import Any

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from tiaodu.accounts.models import OrgUnit, Person
from tiaodu.core.lookups import OneOf

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> list[Person]:
    return Person.objects.bulk_create(
        [Person(name=f"张{i}") for i in range(30)] + [Person(name='O\'Brien "x" 李')]
    )


def test_the_rows_are_those_of_in_whatever_the_values(people: list[Person]) -> None:
    names: list[Any] = ["张3", "张7", 'O\'Brien "x" 李', "nobody", "张3", None]
    found = set(Person.objects.filter(OneOf(F("name"), names)).values_list("name", flat=True))
    assert found == {"张3", "张7", 'O\'Brien "x" 李'}
    assert found == set(Person.objects.filter(name__in=names).values_list("name", flat=True))
    ids = {people[0].pk, people[5].pk, 10**9}
    assert set(Person.objects.filter(OneOf(F("pk"), ids)).values_list("pk", flat=True)) == {
        people[0].pk,
        people[5].pk,
    }


def test_thousands_of_values_are_one_query_with_one_parameter(people: list[Person]) -> None:
    names = [f"张{i}" for i in range(20_000)]
    rows = Person.objects.filter(OneOf(F("name"), iter(names)))
    _sql, params = rows.query.sql_with_params()
    assert len(params) == 1  # Django's `__in` would send 20,000
    with CaptureQueriesContext(connection) as queries:
        assert rows.count() == 30
    assert len(queries) == 1


def test_no_values_is_no_row_and_no_query(people: list[Person]) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert list(OrgUnit.objects.filter(OneOf(F("name"), []))) == []
    assert len(queries) == 0


def test_it_joins_with_other_conditions(people: list[Person]) -> None:
    rows = Person.objects.filter(OneOf(F("name"), ["张1", "张2"]), name__endswith="2")
    assert list(rows.values_list("name", flat=True)) == ["张2"]
