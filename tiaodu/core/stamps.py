"""What is read from the business tables, cached under a stamp of them.

A stamp is a tuple of index lookups: the newest audit event of a change (every service audits
what it changes, so any change through a service moves it; sign-ins and exports do not) and, for the tables a computation reads,
each one's newest row and, where rows change in place, its latest `updated_at` (indexed on
each), for rows written without a service (a benchmark's bulk data). The next read after a
change finds a new stamp and computes afresh; nothing has to be invalidated by hand. A
deletion that no audit event records (rare: business rows are protected) shows when the
entry expires. Each lookup is a query of its own: SQLite answers `MAX(col)` from an index
only when it is the query's one aggregate, and scans the table for two in one.

The cache is Django's: local memory on one server, Redis when `REDIS_URL` is set (shared by
the app servers, and by the workers).
"""

import hashlib
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db.models import Max, Model

from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.core.scoping import Actor, grants_of

Stamped = tuple[tuple[type[Model], str], ...]


# The audit actions that change data (a sign-in, a sign-out or an export changes none, and
# would otherwise empty every cache of the site each time one happens).
CHANGES = (AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE, AuditAction.RESTORE)


def stamp(stamped: Stamped) -> tuple[str, ...]:
    """The newest audit event of a change (read back from the newest event: on the primary
    key's index, stopping at the first change), then each (model, field)'s greatest value."""
    newest_change = (
        AuditEvent.objects.filter(action__in=CHANGES)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    newest = (
        str(model._default_manager.order_by().aggregate(newest=Max(field))["newest"])
        for model, field in stamped
    )
    return (str(newest_change), *newest)


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
