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

The cache is Django's: local memory on one server, files when `TIAODU_CACHE_DIR` is set
(shared by one machine's processes), Redis when `REDIS_URL` is set (shared by the app
servers, and by the workers).

**A page need not wait for the first computation after a change** (docs/statistics.md,
"Cache"). A value is kept with the stamp it was computed under and its time. A reader who
finds it under an older stamp (or older than `seconds`) gets it at once when the caller says
how to compute it again (`refresh`: a function registered with `refresher` and its
arguments) and it is younger than `TIAODU_FIGURES_STALE_SECONDS`: it is computed again once
for all readers — by a task in a worker when the cache is shared (Redis), or by this process
once the request's answer is sent when the cache is its own memory (`finish`) — and when
the stamp has moved the page says the time its figures are of and offers the new ones when
they are ready (`StaleRead`, `core.kept_views`). Without a worker the reader computes it after
`TIAODU_REFRESH_WAIT_SECONDS`. The API, the bulletin and the commands ask for no `refresh`:
they always read under the current stamp.

**The warm round** (`warm`): with a shared cache, a page's read of a kept value is noted once
a day (`KeptRead`), and each morning the values read in the last `TIAODU_WARM_DAYS` days are
computed for the day, so that the first reader after a weekend does not wait for them.
"""

import datetime as dt
import hashlib
import logging
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router, transaction
from django.db.models import Field, Model

from tiaodu.core import clock
from tiaodu.core.models import AuditAction, AuditEvent, KeptRead

Stamped = tuple[tuple[type[Model], str], ...]
logger = logging.getLogger(__name__)


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


def key(kind: str, parts: Iterable[object]) -> str:
    """The cache key of `kind` for `parts` (hashed: parts may hold text with spaces, which
    some cache servers refuse in a key)."""
    text = "|".join(str(part) for part in parts)
    return f"{kind}:{hashlib.sha256(text.encode()).hexdigest()}"


@dataclass(frozen=True)
class Refresh:
    """How a kept value is computed again: the name of a function registered with
    `refresher` and its keyword arguments (JSON: a task's arguments when a worker does it)."""

    name: str
    arguments: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StaleRead:
    """A value a page showed from before the latest change: when it was computed, and the
    token its refresh marks done (`refreshed`)."""

    computed_at: dt.datetime
    token: str


_REFRESHERS: dict[str, Callable[..., object]] = {}
ForDay = Callable[[dict[str, Any], dt.date, dt.date], dict[str, Any] | None]
_FOR_DAY: dict[str, ForDay] = {}
# The kept values the current request read, noted once a day each (`warm`), written once
# its answer is sent (`finish`).
_NOTED: ContextVar[list[tuple[str, "Refresh", dt.date]] | None] = ContextVar(
    "tiaodu_kept_reads", default=None
)
# The stale values the current request showed (reset when a request starts: `begin`).
_STALE: ContextVar[list[StaleRead] | None] = ContextVar("tiaodu_stale_reads", default=None)
# Set while a worker refreshes: every kept value it reads is of the current stamp.
_FRESH_ONLY: ContextVar[bool] = ContextVar("tiaodu_fresh_only", default=False)
# The refreshes the current request leaves to do once its answer is sent (`finish`), when
# the cache is this process's memory.
_AFTER: ContextVar[list[tuple[Refresh, str, str]] | None] = ContextVar(
    "tiaodu_refresh_after", default=None
)


def refresher[F: Callable[..., object]](
    name: str, *, for_day: ForDay | None = None
) -> Callable[[F], F]:
    """Register `function` as the way to compute a kept value again under `name`: it is
    called with a `Refresh`'s arguments and reads through `cached` as a page does.
    `for_day(arguments, read_on, day)` gives the arguments a page read on `read_on` asks
    for on `day` (a date "as of today" moves on with the day), None when there is nothing
    to compute before that page is read again (`warm`); without it, the same arguments."""

    def register(function: F) -> F:
        _REFRESHERS[name] = function
        if for_day is not None:
            _FOR_DAY[name] = for_day
        return function

    return register


def begin(**_kwargs: object) -> None:
    """A request starts: it has shown no stale value yet (connected to request_started)."""
    _STALE.set([])
    _AFTER.set([])
    _NOTED.set([])


def finish(**_kwargs: object) -> int:
    """A request's answer is sent (connected to request_finished, which the server sends
    when it closes the response): the refreshes it asked for in this process's cache are
    computed now, the reader no longer waiting. How many there were."""
    noted = _NOTED.get() or []
    _NOTED.set(None)
    if noted:
        try:
            _write_reads(noted)
        except Exception:
            # A note only helps the warm round: the page was served; the next day's read
            # notes it again.
            logger.exception("Noting the kept values read failed.")
    after = _AFTER.get() or []
    _AFTER.set(None)
    for refresh, pending, token in after:
        try:
            run_refresh(refresh.name, refresh.arguments, pending, token)
        except Exception:
            # As a failed task: the first reader after TIAODU_REFRESH_WAIT_SECONDS computes
            # (and meets the error, if it is still there).
            logger.exception("Refreshing %s failed.", refresh.name)
    return len(after)


def _shared_cache() -> bool:
    """Whether the cache is one every process reads (Redis, files), which a worker's refresh
    reaches; not this process's memory."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    return not isinstance(caches["default"], LocMemCache)


def stale_reads() -> list[StaleRead]:
    """The stale values the current request showed, oldest first."""
    return sorted(_STALE.get() or [], key=lambda read: read.computed_at)


@contextmanager
def fresh_only() -> Iterator[None]:
    """Within: kept values are read under the current stamp (computed when they are not)."""
    before = _FRESH_ONLY.set(True)
    try:
        yield
    finally:
        _FRESH_ONLY.reset(before)


def cached[T](
    kind: str,
    parts: Iterable[object],
    stamped: Stamped,
    seconds: int,
    compute: Callable[[], T],
    *,
    refresh: Refresh | None = None,
) -> T:
    """`compute()`, kept for `seconds` under `kind` and `parts` while the stamp of
    `stamped` stays (0: not kept). With `refresh`, a value from before the stamp moved is
    returned at once while the new one is computed after the answer or by a worker (the
    module's note)."""
    if seconds <= 0:
        return compute()
    current = stamp(stamped)
    name = key(kind, parts)
    if refresh is not None and not _FRESH_ONLY.get() and _shared_cache():
        _note_read(name, refresh)
    entry = cache.get(name)
    now = time.time()
    if entry is not None:
        kept_stamp, computed_at, value = entry
        if kept_stamp == current and now - computed_at <= seconds:
            return value
        if refresh is not None and _may_show_stale(computed_at, now):
            token = _refreshing(name, refresh, now)
            if token is not None:
                # Older than `seconds` under the same stamp, it is computed again (a deletion
                # no audit event records) but said to be of before no change.
                reads = _STALE.get()
                if kept_stamp != current and reads is not None:
                    reads.append(StaleRead(dt.datetime.fromtimestamp(computed_at, dt.UTC), token))
                return value
    value = compute()
    keep = max(seconds, int(settings.TIAODU_FIGURES_STALE_SECONDS))
    cache.set(name, (current, now, value), keep)
    return value


def _may_show_stale(computed_at: float, now: float) -> bool:
    return not _FRESH_ONLY.get() and now - computed_at <= settings.TIAODU_FIGURES_STALE_SECONDS


def _refreshing(name: str, refresh: Refresh, now: float) -> str | None:
    """The token of the refresh of `name`, asked for now unless it was already; None when
    the one asked for has waited longer than TIAODU_REFRESH_WAIT_SECONDS (no worker took it:
    the reader computes), or when the cache is this process's memory and no request is
    served (nobody would compute it after)."""
    if refresh.name not in _REFRESHERS:
        raise ValueError(f"No refresher is registered as {refresh.name!r}.")
    shared = _shared_cache()
    after = _AFTER.get()
    if not shared and after is None:
        return None
    pending = f"{name}:refresh"
    wait = int(settings.TIAODU_REFRESH_WAIT_SECONDS)
    asked = cache.get(pending)
    if asked is not None:
        token, asked_at = asked
        return token if now - asked_at <= wait else None
    token = secrets.token_urlsafe(12)
    if not cache.add(pending, (token, now), wait * 2):
        asked = cache.get(pending)
        return asked[0] if asked is not None else None
    if not shared and after is not None:
        # The value lives in this process's memory: computed here once the answer is sent.
        after.append((refresh, pending, token))
        return token
    from tiaodu.core.tasks import refresh_kept

    transaction.on_commit(
        lambda: refresh_kept.enqueue(
            name=refresh.name, arguments=refresh.arguments, pending=pending, token=token
        ),
        using=router.db_for_write(AuditEvent),
    )
    return token


def run_refresh(name: str, arguments: dict[str, Any], pending: str, token: str) -> None:
    """What the task does: compute the value again under the current stamp, then mark the
    refresh done for the pages that wait for it."""
    with fresh_only():
        _REFRESHERS[name](**arguments)
    cache.set(refreshed_key(token), True, int(settings.TIAODU_FIGURES_STALE_SECONDS) or 60)
    cache.delete(pending)


def refreshed_key(token: str) -> str:
    return f"refreshed:{token}"


def refreshed(tokens: Iterable[str]) -> bool:
    """Whether the refreshes of all these tokens are done."""
    names = [refreshed_key(token) for token in tokens]
    return bool(names) and len(cache.get_many(names)) == len(names)


# --------------------------------------------------------------------------- the warm round


def _note_read(name: str, refresh: Refresh) -> None:
    """Remember, once a day, that a page read the kept value `name` (`warm`): written after
    the request's answer, or now outside a request."""
    day = clock.today()
    if not cache.add(f"{name}:read:{day.isoformat()}", True, 2 * 24 * 3600):
        return
    noted = _NOTED.get()
    if noted is None:
        _write_reads([(name, refresh, day)])
    else:
        noted.append((name, refresh, day))


def _write_reads(noted: list[tuple[str, Refresh, dt.date]]) -> None:
    for name, refresh, day in noted:
        KeptRead.objects.update_or_create(
            key=name,
            defaults={"refresher": refresh.name, "arguments": refresh.arguments, "read_on": day},
        )


@dataclass(frozen=True)
class Warmed:
    """What a warm round did: values computed, values whose computation failed, notes
    dropped (not read for `TIAODU_WARM_DAYS` days, or of a refresher no longer there)."""

    computed: int = 0
    failed: int = 0
    dropped: int = 0


def warm(day: dt.date) -> Warmed:
    """Compute, for `day`, the kept values pages read in the last `TIAODU_WARM_DAYS` days,
    the most recently read first, so that the day's first readers find them (a reader's
    first read otherwise computes: one to three seconds at 100,000 projects). Only a cache
    every process reads (files, Redis) is warmed: a worker cannot reach a server's memory."""
    if not _shared_cache():
        logger.info("The cache is each process's memory: nothing to warm.")
        return Warmed()
    since = day - dt.timedelta(days=int(settings.TIAODU_WARM_DAYS))
    dropped, _by_model = KeptRead.objects.filter(read_on__lt=since).delete()
    computed = failed = 0
    for read in list(KeptRead.objects.order_by("-read_on", "pk")):
        function = _REFRESHERS.get(read.refresher)
        if function is None:
            read.delete()
            dropped += 1
            continue
        for_day = _FOR_DAY.get(read.refresher)
        arguments = for_day(read.arguments, read.read_on, day) if for_day else read.arguments
        if arguments is None:
            continue
        try:
            with fresh_only():
                function(**arguments)
        except Exception:
            logger.exception("Warming %s failed.", read.refresher)
            failed += 1
        else:
            computed += 1
    return Warmed(computed, failed, dropped)


def as_of_moves_on(arguments: dict[str, Any], read_on: dt.date, day: dt.date) -> dict[str, Any]:
    """A `for_day` of refreshers whose "as_of" argument is a date: one that was the day
    it was read ("as of today") becomes `day`; another (a reader looking at a past date)
    stays."""
    if arguments.get("as_of") == read_on.isoformat():
        return {**arguments, "as_of": day.isoformat()}
    return arguments
