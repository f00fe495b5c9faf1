"""`manage.py backup --out DIR`: the database, the stored files and a signed manifest of
row counts and file hashes, in a new folder (docs/deployment.md, "Backup and restore")."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from tiaodu.core import audit, context
from tiaodu.core.backup import BackupError, backup
from tiaodu.core.models import AuditAction


class Command(BaseCommand):
    help = "Back up the database and the stored files, with a signed manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, help="A new or empty folder.")
        parser.add_argument("--database", default="default", help="The database alias.")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"]).resolve()
        try:
            manifest = backup(out, using=options["database"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["tables"].values())
        summary = _(
            "Backed up to %(path)s: %(tables)d tables, %(rows)d rows, %(files)d stored files."
        ) % {
            "path": out,
            "tables": len(manifest["tables"]),
            "rows": rows,
            "files": len(manifest["media"]),
        }
        with (
            context.bound(context.RequestContext(channel="command")),
            transaction.atomic(using=options["database"]),
        ):
            audit.record(actor=None, action=AuditAction.BACKUP, message=summary)
        self.stdout.write(summary)
