"""`manage.py flush`, Django's, with the audit log's door open on SQLite.

Flush empties every table. On SQLite it does so with DELETE, which the audit log's trigger
refuses unless the connection holds the door (`core.audit_guard`); the test suite resets
its database this way between transactional tests (pytest-django's `transactional_db`, the
browser journeys). On PostgreSQL flush truncates, which row triggers do not see.
"""

from typing import Any

from django.core.management.commands import flush
from django.db import connections

from tiaodu.core.audit_guard import deletes_allowed


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            super().handle(**options)
            return
        with deletes_allowed(connection):
            super().handle(**options)
