"""`manage.py import_ledger FILE --year Y [--as-of D] [--dry-run] [--actor USERNAME]`."""

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tiaodu.accounts.models import User
from tiaodu.core import context
from tiaodu.core.roles import Role
from tiaodu.projects.ledger.errors import write_error_report
from tiaodu.projects.ledger.importer import apply_import, plan_import


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--as-of {value!r}: write the date as YYYY-MM-DD.") from error


def default_actor() -> User:
    """A dispatcher of the site root (the region at the top of the tree), first by username."""
    user = (
        User.objects.filter(
            role_assignments__role=Role.DISPATCHER,
            role_assignments__org_unit__depth=0,
            is_active=True,
        )
        .order_by("username")
        .first()
    )
    if user is None:
        raise CommandError(
            _(
                "The site has no dispatcher of its region yet, so nobody can import the ledger. "
                "Create one in either of two ways: in the administration area, on the page "
                "“Users and roles” (/administration/users/), the system administrator creates "
                "the account and the security administrator gives it the dispatcher role on "
                "the site's region; or import the accounts workbook with "
                "“manage.py import_accounts FILE” (docs/administration.md). Then run this "
                "command again, or name the dispatcher with --actor USERNAME."
            )
        )
    return user


class Command(BaseCommand):
    help = (
        "Import the standard ledger (台账, DOMAIN.md §5, docs/ledger.md) from an .xlsx file. "
        "Every row is checked first; if any row is wrong nothing is written, and every error "
        "is printed with its place (sheet, row, column) and its fix. The import runs as a "
        "dispatcher (--actor; by default a dispatcher of the site root, first by username), "
        "whose region subtree bounds the rows it may import, and is audited as that user."
    )

    # The system checks (`manage.py check`) import every URL and view of the site, about a
    # second of a 20,000-row import: a data command skips them, as `migrate` does.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The ledger (.xlsx, .xls or CSV).")
        parser.add_argument("--year", type=int, required=True, help="The plan year of the rows.")
        parser.add_argument(
            "--as-of",
            type=_date,
            default=None,
            help=(
                "The date of the year-to-date figures (本年累计完成投资), YYYY-MM-DD; by "
                "default the date the file's headers state (截至…)."
            ),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, but write nothing."
        )
        parser.add_argument(
            "--actor",
            help="Username of the dispatcher who imports (default: a dispatcher of the site root).",
        )
        parser.add_argument(
            "--error-report",
            type=Path,
            help="Where to write the error report (.xlsx) when there are errors.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        if options["actor"]:
            actor = User.objects.filter(username=options["actor"], is_active=True).first()
            if actor is None:
                raise CommandError(f"--actor {options['actor']}: no such active user.")
        else:
            actor = default_actor()
        with context.bound(context.RequestContext(channel="command")):
            try:
                plan = plan_import(
                    actor=actor, source=path, year=options["year"], as_of=options["as_of"]
                )
            except (PermissionDenied, ValidationError) as error:
                raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
            counts = plan.counts
            self.stdout.write(
                f"{path.name}: {len(plan.rows)} rows · new {counts['new']} · "
                f"updated {counts['updated']} · unchanged {counts['unchanged']}"
            )
            if plan.ignored_headers:
                self.stdout.write("ignored columns: " + "、".join(plan.ignored_headers))
            if plan.errors:
                for item in plan.errors:
                    value = f" «{item.value}»" if item.value else ""
                    self.stderr.write(f"{item.place()}{value}: {item.fix}")
                if options["error_report"]:
                    raw = plan.sheet.raw if plan.sheet else None
                    options["error_report"].write_bytes(write_error_report(plan.errors, raw=raw))
                    self.stderr.write(f"error report: {options['error_report']}")
                raise CommandError(f"{len(plan.errors)} errors; nothing was imported.")
            if options["dry_run"]:
                self.stdout.write("dry run: nothing was written.")
                return
            apply_import(actor=actor, plan=plan)
            self.stdout.write(self.style.SUCCESS(f"imported as {actor.get_username()}."))
