"""Test databases migrated once per test run, not once per test process (docs/testing.md,
"The test databases").

With pytest-xdist each process has a test database of its own (`test_tiaodu_gw0`, `_gw1`,
or an in-memory SQLite database each), and running the migrations costs about 9 s of CPU
each: Django renders the models' state again after nearly every operation. Instead, the
first process to need a database migrates a template (PostgreSQL: the database
`<test name>_template`; SQLite: a file in the run's temporary folder), and every process's
database starts as a copy of it (`CREATE DATABASE … TEMPLATE …`; SQLite's backup API).
Django's own `create_test_db` then runs on the copy as usual: its `migrate` finds every
migration applied and checks the copy against the migration files, and it still creates
the cache table and runs the post-migrate handlers.

The processes start together: a file lock in the run's temporary folder (shared by the
xdist workers) lets one of them build the template while the others wait for it. If the
migrations fail, the builder fails with Django's error and leaves no mark, so each waiting
process tries again and fails the same way: no test runs on a half-migrated database. The
template is the migrations' result of this run only: the next run builds its own.
"""

import fcntl
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.backends.base.creation import BaseDatabaseCreation

CreateTestDb = Callable[..., str]


class MigratedOnce:
    """Creates the test databases of one xdist worker (`worker` of `workers`) from the
    run's templates, which live in (or, on PostgreSQL, are recorded in) `folder`."""

    def __init__(self, folder: Path, worker: str, workers: int) -> None:
        self.folder = folder
        self.worker = worker
        self.workers = workers

    @contextmanager
    def installed(self) -> Iterator[None]:
        """Django's `create_test_db` goes through the template while this lasts; a kept
        database (`--reuse-db`) and the backends other than SQLite and PostgreSQL are
        created as before."""
        original: CreateTestDb = BaseDatabaseCreation.create_test_db
        migrated_once = self

        def create_test_db(
            creation: BaseDatabaseCreation,
            verbosity: int = 1,
            autoclobber: bool = False,
            serialize: bool | None = None,
            keepdb: bool = False,
        ) -> str:
            vendor = creation.connection.vendor
            if keepdb or serialize is not None or vendor not in {"sqlite", "postgresql"}:
                return original(creation, verbosity, autoclobber, serialize, keepdb)
            return migrated_once.create(creation, original, verbosity)

        BaseDatabaseCreation.create_test_db = create_test_db  # type: ignore[method-assign, assignment]
        try:
            yield
        finally:
            BaseDatabaseCreation.create_test_db = original  # type: ignore[method-assign]

    def create(self, creation: BaseDatabaseCreation, original: CreateTestDb, verbosity: int) -> str:
        """The process's test database, a copy of the template (built first if no process
        of the run has built it)."""
        alias = creation.connection.alias
        self.folder.mkdir(parents=True, exist_ok=True)
        with self._locked(alias):
            built = self.folder / f"{alias}.migrated"
            if not built.exists():
                template = self._template_name(creation)
                self._build(creation, original, template, verbosity)
                built.write_text(template, encoding="utf-8")
            template = built.read_text(encoding="utf-8")
            name = self._copy(creation, original, template, verbosity)
            self._done_with(creation, template)
        return name

    @contextmanager
    def _locked(self, alias: str) -> Iterator[None]:
        with (self.folder / f"{alias}.lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _template_name(self, creation: BaseDatabaseCreation) -> str:
        alias = creation.connection.alias
        if creation.connection.vendor == "sqlite":
            return str(self.folder / f"{alias}.sqlite3")
        # test_tiaodu_gw0 → test_tiaodu_template (pytest-django added the worker's suffix).
        name = creation._get_test_db_name().removesuffix(f"_{self.worker}")  # type: ignore[attr-defined]
        return f"{name}_template"

    def _build(
        self,
        creation: BaseDatabaseCreation,
        original: CreateTestDb,
        template: str,
        verbosity: int,
    ) -> None:
        """Django's `create_test_db`, migrations and all, on the template's name."""
        connection = creation.connection
        alias = connection.alias
        name = connection.settings_dict["NAME"]
        test = connection.settings_dict["TEST"]
        test_name = test.get("NAME")
        test["NAME"] = template
        try:
            original(creation, verbosity, True)
        finally:
            connection.close()  # nobody may be connected to a template that is copied
            test["NAME"] = test_name
            connection.settings_dict["NAME"] = name
            settings.DATABASES[alias]["NAME"] = name

    def _copy(
        self,
        creation: BaseDatabaseCreation,
        original: CreateTestDb,
        template: str,
        verbosity: int,
    ) -> str:
        """The process's database as a copy of the template, then Django's
        `create_test_db` on it, keeping it (its `migrate` finds nothing to do)."""
        target = creation._get_test_db_name()  # type: ignore[attr-defined]
        if creation.connection.vendor == "postgresql":
            quote = creation.connection.ops.quote_name
            with creation._nodb_cursor() as cursor:  # type: ignore[attr-defined]
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)}")
                cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(template)}")
            return original(creation, verbosity, True, None, True)
        source = sqlite3.connect(template)
        try:
            if creation.is_in_memory_db(target):  # type: ignore[attr-defined]
                # A shared-cache database in memory lives while a connection holds it:
                # this one, until Django's own connection has opened it.
                holder = sqlite3.connect(target, uri=True)
                try:
                    source.backup(holder)
                    return original(creation, verbosity, True, None, True)
                finally:
                    holder.close()
            for leftover in (target, f"{target}-wal", f"{target}-shm"):
                Path(leftover).unlink(missing_ok=True)
            copy = sqlite3.connect(target)
            try:
                source.backup(copy)
            finally:
                copy.close()
        finally:
            source.close()
        return original(creation, verbosity, True, None, True)

    def _done_with(self, creation: BaseDatabaseCreation, template: str) -> None:
        """The last process to copy a PostgreSQL template drops it. (A process that needs
        no database never copies it; the next run's builder replaces what is left.)"""
        copied = self.folder / f"{creation.connection.alias}.copied"
        with copied.open("a", encoding="utf-8") as record:
            record.write(f"{self.worker}\n")
        if creation.connection.vendor != "postgresql":
            return
        if len(copied.read_text(encoding="utf-8").split()) < self.workers:
            return
        quote = creation.connection.ops.quote_name
        with creation._nodb_cursor() as cursor:  # type: ignore[attr-defined]
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(template)}")


def migrated_once(config: Any, folder: Path) -> MigratedOnce | None:
    """The helper of an xdist worker of a run with two or more (None in a run of one
    process, or with `--reuse-db`, whose databases are kept from run to run)."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput is None or int(workerinput.get("workercount", 1)) < 2:
        return None
    if config.getvalue("reuse_db"):
        return None
    return MigratedOnce(folder, str(workerinput["workerid"]), int(workerinput["workercount"]))
