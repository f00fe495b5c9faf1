"""The memory of the heavy reads on PostgreSQL: the figure set groups every plan entry of a
scope (100,000 at a province's size) by level, category and region, and its sort spills to
disk under the server's default `work_mem` of 4MB (docs/benchmarks.md, "the figure set at
100,000 projects"). `roomy` raises `work_mem` for one such computation only, in a
transaction of its own on the database it reads, so that the site's other queries — and
the many connections of the app servers — keep the server's setting."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import Model


@contextmanager
def roomy(model: type[Model]) -> Iterator[None]:
    """Within: the queries on the database `model` is read from may sort and hash in up to
    `TIAODU_HEAVY_READ_WORK_MEM` each (PostgreSQL's `work_mem`, local to the block's
    transaction: a savepoint when one is open, whose setting then lasts until that
    transaction ends). Elsewhere, or with the setting empty, nothing changes."""
    memory = settings.TIAODU_HEAVY_READ_WORK_MEM
    alias = router.db_for_read(model)
    if not memory or connections[alias].vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=alias):
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT set_config('work_mem', %s, true)", [memory])
        yield
