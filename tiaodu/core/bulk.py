"""Inserting many new rows at once, for bulk imports.

Django's `bulk_create` compiles one multi-row INSERT per batch, preparing every value
through the compiler: for a 20,000-row ledger that compiling took half of the import. Here
the ids are reserved first, so that the caller knows them without RETURNING, and the rows
go in set-based: on PostgreSQL through COPY (psycopg's `cursor.copy`), on SQLite through
the driver's `executemany` with one short statement. The values are prepared by the fields
themselves (`pre_save`, `get_db_prep_save`), as `save()` does, column by column (a column
of plain texts, whole numbers or finite amounts is taken as it is), so auto-now dates (one
moment for the whole insert), decimals, dates and JSON are stored exactly as Django would
store them. `insert_rows` does the same for rows given as values, without instances.

Call it inside `transaction.atomic()`. Signals are not sent, as with `bulk_create`.

Inside `writes_behind()` (PostgreSQL), each COPY is sent by a thread of its own while the
caller goes on preparing the next table: the server stores one while Python builds another.
"""

import datetime as dt
import gc
import itertools
import json
import operator
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import signals
from django.db.models.base import ModelState
from django.utils import timezone

BATCH = 2000

# Field types whose prepared value is the Python value itself when it is already of the
# type named here (str for text, int for whole numbers and relations to whole-number ids).
_PLAIN: dict[str, type] = {
    "CharField": str,
    "TextField": str,
    "SlugField": str,
    "EmailField": str,
    "AutoField": int,
    "BigAutoField": int,
    "IntegerField": int,
    "BigIntegerField": int,
    "SmallIntegerField": int,
    "PositiveIntegerField": int,
    "PositiveSmallIntegerField": int,
    "PositiveBigIntegerField": int,
}


class JSONText(str):
    """A JSON document already written as `json.dumps` writes it (a bulk import makes tens
    of thousands): a JSON column of these is stored as it is, not encoded again."""


# Immutable values that repeat across rows (dates, amounts, flags): each distinct one is
# prepared once per insert.
_MEMOISED = (dt.date, Decimal, bool)
_NONE = type(None)


def _internal_type(field: models.Field[Any, Any]) -> str:
    if field.is_relation and field.target_field is not None:  # type: ignore[attr-defined]
        return str(field.target_field.get_internal_type())  # type: ignore[attr-defined]
    return field.get_internal_type()


def _is_auto_now(field: models.Field[Any, Any]) -> bool:
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))


def prepare_column(
    field: models.Field[Any, Any], values: Sequence[Any], db: BaseDatabaseWrapper
) -> Sequence[Any]:
    """One column's values as the driver stores them, as `save()` would prepare them
    (`get_db_prep_save`), column by column: a column of only None and values of the
    field's plain type (str for text, int for whole numbers) is taken as it is, checked at
    the speed of `set(map(type, …))`; in another, each distinct date, amount or flag is
    prepared once. None stays None."""
    internal = _internal_type(field)
    plain = _PLAIN.get(internal)
    kinds = set(map(type, values))
    kinds.discard(_NONE)
    if not kinds or (plain is not None and kinds == {plain}):
        return values
    if (
        internal == "DecimalField"
        and kinds == {Decimal}
        and type(db.ops).adapt_decimalfield_value is BaseDatabaseOperations.adapt_decimalfield_value
        and all(value.is_finite() for value in values if value is not None)
    ):
        # A finite Decimal is stored as it is (`DecimalField.get_db_prep_save`: Decimal(value)).
        return values
    if internal == "JSONField" and kinds == {JSONText}:
        return values
    if (
        internal == "JSONField"
        and kinds <= {dict, list}
        and None not in values
        and getattr(field, "encoder", None) is None
        and type(db.ops).adapt_json_value is BaseDatabaseOperations.adapt_json_value
    ):
        # What `JSONField.get_db_prep_save` stores for a document on such a database.
        return list(map(json.dumps, values))
    memo: dict[Any, Any] = {}
    prepared = []
    for value in values:
        # None, a plain value, or a document already written (beside dictionaries).
        if value is None or type(value) is JSONText or (plain is not None and type(value) is plain):
            prepared.append(value)
        elif isinstance(value, _MEMOISED):
            key = (type(value), value)
            if key not in memo:
                memo[key] = field.get_db_prep_save(value, db)
            prepared.append(memo[key])
        else:
            prepared.append(field.get_db_prep_save(value, db))
    return prepared


def _instance_columns(
    fields: list[models.Field[Any, Any]],
    instances: Sequence[models.Model],
    db: BaseDatabaseWrapper,
    now: dt.datetime,
) -> list[Sequence[Any]]:
    """The prepared columns of the instances, as `save()` would store them (`pre_save`,
    then `get_db_prep_save`). Auto-now fields all get the insert's `now`."""
    count = len(instances)
    read = operator.attrgetter(*(field.attname for field in fields))
    raw = (
        zip(*map(read, instances), strict=True) if len(fields) > 1 else [list(map(read, instances))]
    )
    columns: list[Sequence[Any]] = []
    for field, column in zip(fields, raw, strict=True):
        attname = field.attname
        if _is_auto_now(field):
            for instance in instances:
                setattr(instance, attname, now)
            columns.append([field.get_db_prep_save(now, db)] * count)
            continue
        values = list(column)
        if field.is_relation and field.many_to_one and None in values:
            relation: Any = field
            for index, value in enumerate(values):
                if value is None and relation.is_cached(instances[index]):
                    # A related object assigned before it had an id (inserted since): take
                    # its id now, as save() does (the cached object stays).
                    related = relation.get_cached_value(instances[index])
                    if related is not None:
                        instances[index].__dict__[attname] = values[index] = related.pk
        columns.append(prepare_column(field, values, db))
    return columns


def _insert_sql(
    db: BaseDatabaseWrapper, model: type[models.Model], fields: list[models.Field[Any, Any]]
) -> str:
    quote = db.ops.quote_name
    return "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(field.column or field.name) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )


def _copy_sql(
    db: BaseDatabaseWrapper, model: type[models.Model], fields: list[models.Field[Any, Any]]
) -> str:
    quote = db.ops.quote_name
    columns = ", ".join(quote(field.column or field.name) for field in fields)
    return f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"


class _Behind:
    """The COPYs of one `writes_behind()` block, sent in order by one thread of their own on
    the caller's connection (psycopg's connections may be shared by threads: each operation
    holds the connection's lock). Every other query of the caller first waits for them: the
    block installs `__call__` as the connection's execute wrapper."""

    # At most this many prepared rows wait to be sent: a larger write waits for the server
    # rather than hold all it has prepared (a 100,000-row ledger's events, say).
    WAITING = 50_000

    def __init__(self, db: BaseDatabaseWrapper) -> None:
        self.db = db
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk-copy")
        self.pending: deque[tuple[Future[None], int]] = deque()
        self.waiting = 0

    def copy(self, statement: str, rows: list[tuple[Any, ...]]) -> None:
        while self.pending and self.waiting + len(rows) > self.WAITING:
            self._done()
        self.pending.append((self.thread.submit(self._send, statement, rows), len(rows)))
        self.waiting += len(rows)

    def _done(self) -> None:
        """The oldest COPY, once stored (its error, if it failed)."""
        future, count = self.pending.popleft()
        self.waiting -= count
        future.result()

    def _send(self, statement: str, rows: list[tuple[Any, ...]]) -> None:
        # The driver's errors as Django's (an IntegrityError, say), as a query's would be.
        with (
            self.db.wrap_database_errors,
            self.db.connection.cursor() as cursor,
            cursor.copy(statement) as copy,
        ):
            for row in rows:
                copy.write_row(row)

    def wait(self) -> None:
        """Until every COPY sent is stored; the first one's error, if one failed."""
        while self.pending:
            self._done()

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        self.wait()
        return execute(sql, params, many, context)


_behind = threading.local()


@contextmanager
def writes_behind(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """For the block, on PostgreSQL: `insert` and `insert_rows` hand their COPYs (one a
    batch) to a thread that sends them while this one prepares the next (at most
    `_Behind.WAITING` prepared rows wait), and the foreign keys are checked as each COPY
    ends, in that thread, instead of all at the commit (`SET CONSTRAINTS ALL IMMEDIATE`; a
    bulk import writes parents before children). Any other query of this thread in the
    block first waits for the COPYs sent; the block ends when all are stored. A COPY's
    error is raised here, at the next query or at the end, and rolls the caller's
    transaction back. After the block the constraints are deferred again (`SET CONSTRAINTS
    ALL DEFERRED`: Django makes every foreign key DEFERRABLE INITIALLY DEFERRED).
    Elsewhere the block changes nothing: SQLite's writes hold the interpreter's lock, so a
    thread would gain nothing. Inside `transaction.atomic()`; not nested."""
    db = connections[using]
    if db.vendor != "postgresql":
        yield
        return
    if not db.in_atomic_block:
        raise transaction.TransactionManagementError("bulk.writes_behind needs a transaction.")
    if getattr(_behind, "writer", None) is not None:
        raise RuntimeError("bulk.writes_behind is not nested.")
    with db.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    writer = _behind.writer = _Behind(db)
    try:
        with db.execute_wrapper(writer):
            yield
            writer.wait()
    finally:
        _behind.writer = None
        # After an error here or in a COPY: nothing more is sent, and the one being sent
        # ends (with its error) before the caller rolls back.
        for future, _count in writer.pending:
            future.cancel()
        writer.thread.shutdown(wait=True)
    with db.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _behind_on(db: BaseDatabaseWrapper) -> _Behind | None:
    writer: _Behind | None = getattr(_behind, "writer", None)
    return writer if writer is not None and writer.db is db else None


def _write(
    db: BaseDatabaseWrapper,
    model: type[models.Model],
    fields: list[models.Field[Any, Any]],
    rows: Iterable[tuple[Any, ...]],
) -> None:
    """The prepared rows into the model's table: on PostgreSQL with COPY (psycopg's
    `cursor.copy`, each value sent by the same adapter as a parameter's), elsewhere with
    one INSERT through the driver's `executemany`, a batch at a time. `rows` may be a
    generator: on PostgreSQL it runs while the COPY is open, so it must not use the
    connection; inside `writes_behind()` it runs here, and each batch's COPY is sent by
    the block's thread."""
    writer = _behind_on(db)
    if writer is not None:
        statement = _copy_sql(db, model, fields)
        for batch in itertools.batched(rows, BATCH):
            writer.copy(statement, list(batch))
        return
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            with cursor.cursor.copy(_copy_sql(db, model, fields)) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            sql = _insert_sql(db, model, fields)
            for batch in itertools.batched(rows, BATCH):
                cursor.executemany(sql, batch)


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` ids of the model's table for an `insert(ids=…)` to come, in the caller's
    transaction: inside `writes_behind()`, a reservation taken before the block's first COPY
    spares a wait for the COPYs later."""
    return _reserve_ids(connections[DEFAULT_DB_ALIAS], model, count)


def _reserve_ids(db: BaseDatabaseWrapper, model: type[models.Model], count: int) -> list[int]:
    """`count` ids that no other row has or will get."""
    table = model._meta.db_table
    pk_column = model._meta.pk.column or "id"
    quote = db.ops.quote_name
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [quote(table), pk_column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the transaction holds the write lock from its start (IMMEDIATE), so no
        # other writer can take ids between this read and the insert. AUTOINCREMENT never
        # reuses an id, so start above both the sequence and the largest id.
        cursor.execute(
            f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
            f"coalesce((SELECT max({quote(pk_column)}) FROM {quote(table)}), 0))",
            [table],
        )
        start = int(cursor.fetchone()[0]) + 1
        return list(range(start, start + count))


def insert[M: models.Model](
    model: type[M],
    instances: Sequence[M],
    *,
    batch_size: int = BATCH,
    before: Callable[[M], None] | None = None,
    ids: Sequence[int] | None = None,
) -> None:
    """Insert new instances (without pk) and set their pk; all or nothing with the caller's
    transaction. `before`, when given, is called with each instance once its pk is set and
    before it is written (a value made of the id, such as a tree path). `ids`, when given,
    are the ones `reserve_ids` reserved for them. Falls back to `bulk_create` on a database
    other than SQLite or PostgreSQL."""
    if not instances:
        return
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor not in ("sqlite", "postgresql"):
        model._default_manager.bulk_create(instances, batch_size=batch_size)
        if before is not None:
            for instance in instances:
                before(instance)
            names = [f.name for f in model._meta.concrete_fields if not f.primary_key]
            model._default_manager.bulk_update(instances, names, batch_size=batch_size)
        return
    if not db.in_atomic_block:
        raise transaction.TransactionManagementError("bulk.insert needs a transaction.")
    meta = model._meta
    fields = list(meta.concrete_fields)
    now = timezone.now()
    if ids is None:
        ids = _reserve_ids(db, model, len(instances))
    for instance, pk in zip(instances, ids, strict=True):
        instance.pk = pk
        if before is not None:
            before(instance)

    def rows() -> Iterator[tuple[Any, ...]]:
        # Prepared a batch at a time while the rows before are written: one COPY (one
        # executemany) for all, so PostgreSQL stores a batch while the next is prepared.
        for start in range(0, len(instances), batch_size):
            batch = instances[start : start + batch_size]
            yield from zip(*_instance_columns(fields, batch, db, now), strict=True)

    _write(db, model, fields, rows())
    for instance in instances:
        instance._state.adding = False
        instance._state.db = db.alias


def insert_rows(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> None:
    """Insert new rows given as the values of every column but the id (by attname), without
    making an instance of each; the values are prepared as `insert` prepares an instance's.
    The rows are taken a batch at a time (a generator is never held whole). All or nothing
    with the caller's transaction."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor not in ("sqlite", "postgresql"):
        model._default_manager.bulk_create(
            [
                model(**{k: json.loads(v) if type(v) is JSONText else v for k, v in row.items()})
                for row in rows
            ]
        )
        return
    meta = model._meta
    fields = [field for field in meta.concrete_fields if field is not meta.pk]
    now = timezone.now()
    read = operator.itemgetter(*(field.attname for field in fields))
    for batch in itertools.batched(rows, BATCH):
        if not db.in_atomic_block:
            raise transaction.TransactionManagementError("bulk.insert_rows needs a transaction.")
        # On PostgreSQL the ids come from the table's sequence in the rows' order, as the
        # COPY stores them: no query (inside `writes_behind()` it would wait for the COPYs).
        keyed = db.vendor != "postgresql"
        columns: list[Sequence[Any]] = [_reserve_ids(db, model, len(batch))] if keyed else []
        for field, column in zip(fields, zip(*map(read, batch), strict=True), strict=True):
            if _is_auto_now(field):
                columns.append([field.get_db_prep_save(now, db)] * len(batch))
            else:
                columns.append(prepare_column(field, column, db))
        written = [meta.pk, *fields] if keyed else fields
        _write(db, model, written, list(zip(*columns, strict=True)))


@contextmanager
def collection_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a computation builds hundreds of
    thousands of objects that live until it ends (a month's cards at a province's scale:
    the collector went over them again and again, a quarter of the time). What such a
    computation makes is freed by reference counting as usual; cycles made meanwhile (by
    it, or by another thread of the process) wait for the collector's next run once it is
    back. Nested, the outermost pause ends it."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


class Blank[M: models.Model]:
    """Makes new instances of a model as `model(**values)` does, quicker when there are
    tens of thousands (a bulk import): the defaults that are not callables are taken once,
    and a many-to-one relation given its object (or None) is set as its descriptor sets it,
    without the descriptor's checks for the cases a bulk import never meets (an object of
    another model, one of another database). When something listens to the model's
    `pre_init` or `post_init` signal, it is `model(**values)` itself."""

    def __init__(self, model: type[M]) -> None:
        self.model = model
        self.constants: dict[str, Any] = {}
        self.made: list[tuple[str, Callable[[], Any]]] = []
        # name → (attname, cache name, the related model, the related model's key's attname)
        self.relations: dict[str, tuple[str, str, type[models.Model], str]] = {}
        for field in model._meta.concrete_fields:
            if field.generated:
                continue
            if field.has_default() and callable(field.default):
                self.made.append((field.attname, field.get_default))
            else:
                self.constants[field.attname] = field.get_default()
            if field.many_to_one and len(field.related_fields) == 1:  # type: ignore[attr-defined]
                target = field.related_fields[0][1]  # type: ignore[attr-defined]
                related: Any = field.related_model
                self.relations[field.name] = (
                    field.attname,
                    field.cache_name,  # type: ignore[attr-defined]
                    related,
                    target.attname,
                )
        self.signalled = signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(
            model
        )

    def __call__(self, **values: Any) -> M:
        if self.signalled:
            return self.model(**values)
        instance = self.model.__new__(self.model)
        instance._state = ModelState()
        attributes = instance.__dict__
        attributes.update(self.constants)
        for attname, make in self.made:
            attributes[attname] = make()
        self.assign(instance, values)
        return instance

    def assign(self, instance: M, values: dict[str, Any]) -> None:
        """`setattr(instance, name, value)` for each of `values`."""
        relations = self.relations
        attributes = instance.__dict__
        for name, value in values.items():
            relation = relations.get(name)
            if relation is not None and (value is None or type(value) is relation[2]):
                attname, cache_name, _model, key = relation
                attributes[attname] = None if value is None else getattr(value, key)
                instance._state.fields_cache[cache_name] = value
            else:
                setattr(instance, name, value)
