"""`manage.py restore DIR`: a backup made by `manage.py backup`, restored into an empty
database and media folder, then counted again and compared with its manifest; exits
non-zero when anything differs (docs/deployment.md, "Backup and restore")."""

from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from tiaodu.core import audit, context
from tiaodu.core.backup import BackupError, restore
from tiaodu.core.models import AuditAction


class Command(BaseCommand):
    help = "Restore a backup into an empty database and media folder, and check it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="The backup's folder.")
        parser.add_argument("--database", default="default", help="The database alias.")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["source"]).resolve()
        try:
            comparison = restore(source, using=options["database"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        for line in comparison.lines:
            self.stdout.write(line)
        if not comparison.ok:
            raise CommandError(
                _("The restored site differs from the manifest: %(what)s")
                % {"what": "；".join(comparison.mismatches)}
            )
        summary = _("Restored from %(path)s; every table and stored file matches the manifest.") % {
            "path": source
        }
        with (
            context.bound(context.RequestContext(channel="command")),
            transaction.atomic(using=options["database"]),
        ):
            audit.record(actor=None, action=AuditAction.RESTORE, message=summary[:255])
        # What the cache keeps (the pages' figures) was of the site before the restore; a
        # cache that outlives the process (files, Redis) would show it until a change.
        cache.clear()
        self.stdout.write(summary)
