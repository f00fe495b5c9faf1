"""What is read from the business tables, cached under a stamp of them.

A stamp is a tuple of index lookups: the newest audit event of a change (every service audits
what it changes, so any change through a service moves it; sign-ins and exports do not) and, for the tables a computation reads,
each one's newest row and, where rows change in place, its latest `updated_at` (indexed on
each), for rows written without a service (a benchmark's bulk data). The next read after a
change finds a new stamp and computes afresh; nothing has to be invalidated by hand. A
deletion that no audit event records (rare: business rows are protected) shows when the
entry expires. The lookups are the scalar subqueries of one statement, each a `SELECT` of its
own (SQLite answers `MAX(col)` from an index only when it is its query's one aggregate, and
scans the table for two in one): one round trip to the database, not one per table (on a
busy server the round trips were most of a cached dashboard's database time).

The cache is Django's: local memory on one server, Redis when `REDIS_URL` is set (shared by
the app servers, and by the workers).
"""

import hashlib
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import connections, router
from django.db.models import Field, Model

from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.core.scoping import Actor, grants_of

Stamped = tuple[tuple[type[Model], str], ...]


# The audit actions that change data (a sign-in, a sign-out or an export changes none, and
# would otherwise empty every cache of the site each time one happens).
CHANGES = (AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE, AuditAction.RESTORE)


def stamp(stamped: Stamped) -> tuple[str, ...]:
    """The newest audit event of a change (read back from the newest event: on the primary
    key's index, stopping at the first change), then each (model, field)'s greatest value,
    in one statement on the database the audit log is read from (a request's reads of the
    business tables all go to one: core/db_router.py)."""
    database = router.db_for_read(AuditEvent)
    newest_change = AuditEvent.objects.using(database).filter(action__in=CHANGES).order_by("-pk")
    sql, params = newest_change.values("pk")[:1].query.get_compiler(using=database).as_sql()
    connection = connections[database]
    quote = connection.ops.quote_name
    lookups = [f"({sql})"]
    for model, name in stamped:
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        if not isinstance(field, Field) or not field.column:
            raise ValueError(f"{model.__name__}.{name} is not a column to stamp.")
        lookups.append(f"(SELECT MAX({quote(field.column)}) FROM {quote(model._meta.db_table)})")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(lookups)}", params)
        row = cursor.fetchone()
    return tuple(str(value) for value in row)


def reader_key(actor: Actor) -> str:
    """Who reads, as far as what they may see goes: the account and its grants."""
    grants = sorted(f"{grant.role}:{grant.unit_path}" for grant in grants_of(actor))
    return f"{getattr(actor, 'pk', None)}|{'|'.join(grants)}"


def key(kind: str, parts: Iterable[object], stamped: Stamped) -> str:
    """The cache key of `kind` for `parts` under the stamp of `stamped` (hashed: a stamp
    holds times with spaces, which some cache servers refuse in a key)."""
    text = "|".join(str(part) for part in (*parts, *stamp(stamped)))
    return f"{kind}:{hashlib.sha256(text.encode()).hexdigest()}"


def cached[T](
    kind: str, parts: Iterable[object], stamped: Stamped, seconds: int, compute: Callable[[], T]
) -> T:
    """`compute()`, kept for `seconds` under `kind`, `parts` and the stamp (0: not kept)."""
    if seconds <= 0:
        return compute()
    name = key(kind, parts, stamped)
    found = cache.get(name)
    if found is None:
        found = compute()
        cache.set(name, found, seconds)
    return found
