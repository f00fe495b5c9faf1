"""Reading the rows an instance's foreign keys name, without joining them to its query."""

from collections.abc import Sequence
from typing import Any

from django.db import models


def read_related(instance: models.Model, names: Sequence[str]) -> None:
    """The instance's many-to-one relations `names` read into its cache, one query per
    related model (`in_bulk` on each foreign key's target field), as `select_related`
    would have set them. For a query that must stay on its own table or close to it: a
    row locked with `select_for_update`, a scoped read whose conditions join already. A
    `select_related` of a project's seven relations made PostgreSQL plan an eight-table
    join each time (5–7 ms of planning against 0.1 ms of running; docs/benchmarks.md,
    "The test suite and CI")."""
    # Each relation: its field, the value of its key, and the model and field it names.
    named: list[tuple[models.ForeignKey[Any, Any], Any, tuple[type[models.Model], str]]] = []
    for name in names:
        field = instance._meta.get_field(name)
        assert isinstance(field, models.ForeignKey), name
        key = (field.related_model, field.target_field.attname)
        named.append((field, getattr(instance, field.attname), key))
    wanted: dict[tuple[type[models.Model], str], set[Any]] = {}
    for _field, value, key in named:
        if value is not None:
            wanted.setdefault(key, set()).add(value)
    found = {
        key: key[0]._default_manager.order_by().in_bulk(list(values), field_name=key[1])
        for key, values in wanted.items()
    }
    for field, value, key in named:
        field.set_cached_value(instance, None if value is None else found[key].get(value))
