"""`manage.py flush`, Django's, with the audit log's door open, and on PostgreSQL a cheaper
emptying between transactional tests.

Flush empties every table. On SQLite it does so with DELETE, which the audit log's trigger
refuses unless the connection holds the door (`core.audit_guard`); the test suite resets
its database this way between transactional tests (pytest-django's `transactional_db`, the
browser journeys).

On PostgreSQL, Django's flush truncates every table in one statement, which row triggers
do not see. A TRUNCATE gives each of the site's two hundred tables (and their indexes) new
files, empty or not: 1 to 4 s each time on this machine, after every transactional test.
When sequences are not to be reset — the test machinery's flush between transactional
tests; the command line resets them and keeps Django's TRUNCATE — the flush instead finds
in one query the tables that hold rows and deletes theirs, inside one transaction with the
audit log's door open (its setting is local to that transaction). The foreign keys Django
creates on PostgreSQL are checked at commit, when every referencing row is gone too.
"""

from typing import Any

from django.core.management.commands import flush
from django.core.management.sql import emit_post_migrate_signal
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from tiaodu.core.audit_guard import POSTGRES_SETTING, deletes_allowed


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor == "sqlite":
            with deletes_allowed(connection):
                super().handle(**options)
            return
        if (
            connection.vendor == "postgresql"
            and not options.get("reset_sequences", True)
            and not options["interactive"]
        ):
            self._delete_rows(connection, **options)
            return
        super().handle(**options)

    def _delete_rows(self, connection: BaseDatabaseWrapper, **options: Any) -> None:
        tables = connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        if not tables:
            return
        quote = connection.ops.quote_name
        holding = " UNION ALL ".join(
            f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})" for table in tables
        )
        with connection.cursor() as cursor:
            cursor.execute(holding, list(tables))
            full = [row[0] for row in cursor.fetchall()]
        connection.ops.execute_sql_flush(
            [f"SELECT set_config('{POSTGRES_SETTING}', 'on', true)"]
            + [f"DELETE FROM {quote(table)}" for table in full]
        )
        if not options.get("inhibit_post_migrate", False):
            emit_post_migrate_signal(
                options["verbosity"], options["interactive"], options["database"]
            )
