"""`manage.py archive_audit --before YYYY-MM-DD --out FILE`, or `--verify FILE`.

Archives the audit events dated before the given day into a gzip file of JSON lines with a
signature file beside it (`FILE.sig`), checks it by reading it back, then deletes those
events from the database and records the archive in the log. The day must be at least the
retention period (`TIAODU_AUDIT_RETENTION_DAYS`, never under 180) before today. --verify
checks an archive against its signature file (docs/security.md, "Audit log").
"""

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tiaodu.core import context
from tiaodu.core.audit_archive import ArchiveError, archive_audit, verify_archive


class Command(BaseCommand):
    help = "Archive audit events older than the retention period to a signed file, then prune them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--before", help="Archive the events dated before this day.")
        parser.add_argument("--out", help="The archive to write (FILE, and FILE.sig beside it).")
        parser.add_argument("--verify", metavar="FILE", help="Check an archive's signature.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["verify"]:
                self._verify(Path(options["verify"]))
            elif options["before"] and options["out"]:
                self._archive(options["before"], Path(options["out"]))
            else:
                raise CommandError(_("Give --before YYYY-MM-DD and --out FILE, or --verify FILE."))
        except ArchiveError as error:
            raise CommandError(str(error)) from None

    def _archive(self, text: str, out: Path) -> None:
        try:
            before = dt.date.fromisoformat(text)
        except ValueError:
            raise CommandError(
                _("%(value)s is not a date: write it as YYYY-MM-DD.") % {"value": text}
            ) from None
        with context.bound(context.RequestContext(channel="command")):
            archive = archive_audit(actor=None, before=before, out=out.resolve())
        if not archive.events:
            self.stdout.write(
                _("No audit events before %(date)s: nothing archived.") % {"date": text}
            )
            return
        self.stdout.write(
            _("%(count)d audit events before %(date)s archived to %(file)s and pruned.")
            % {"count": archive.events, "date": text, "file": archive.path}
        )

    def _verify(self, path: Path) -> None:
        archive = verify_archive(path)
        self.stdout.write(
            _(
                "%(file)s verifies: %(count)d audit events from %(first)s to %(last)s, "
                "before %(date)s."
            )
            % {
                "file": path,
                "count": archive.events,
                "first": archive.first_at,
                "last": archive.last_at,
                "date": archive.before,
            }
        )
