"""The one door through which audit events leave the database.

The audit log is append-only in the database itself (migrations `core/0002` and
`core/0006`): a row trigger refuses every UPDATE, and every DELETE unless the connection
that runs it has opened this door. Two things open it, each for its own block only:

- `audit_archive.archive_audit`, which deletes exactly the events it has just written to a
  signed archive, all older than the retention period (docs/security.md);
- `manage.py flush` on SQLite (`core/management/commands/flush.py`), which empties every
  table; the test suite resets its database with it between transactional tests.
  PostgreSQL's flush truncates, which row triggers do not see.

How the door is held differs by database, and on neither can SQL alone open it from a
connection of the site:

- SQLite: the trigger asks `tiaodu_audit_deletes_allowed()`, a function this module
  registers on each of the site's connections; it reads a flag of that connection, which
  only `deletes_allowed` sets. A connection without the function (the `sqlite3` shell)
  cannot delete events at all: the trigger fails on the unknown function.
- PostgreSQL: the trigger function lets a DELETE through when the transaction-local
  setting `tiaodu.audit_deletes` is `on`; `deletes_allowed` sets it inside a savepoint and
  sets it back before the block's end (a rolled-back block takes it back with it).

This guards against a DELETE by mistake or through the application; the database's owner
can still drop a trigger, as with any database-level control.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

SQLITE_FUNCTION = "tiaodu_audit_deletes_allowed"
POSTGRES_SETTING = "tiaodu.audit_deletes"
_FLAG = "tiaodu_audit_deletes_allowed"


def install(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """`connection_created` receiver: give a new SQLite connection the trigger's function."""
    if connection.vendor != "sqlite":
        return

    def allowed() -> int:
        return 1 if getattr(connection, _FLAG, False) else 0

    connection.connection.create_function(SQLITE_FUNCTION, 0, allowed)


@contextmanager
def deletes_allowed(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Inside the block, `connection` may delete audit events."""
    if connection.vendor == "postgresql":
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', true)", [POSTGRES_SETTING])
            yield
            cursor.execute("SELECT set_config(%s, 'off', true)", [POSTGRES_SETTING])
        return
    setattr(connection, _FLAG, True)
    try:
        yield
    finally:
        setattr(connection, _FLAG, False)
