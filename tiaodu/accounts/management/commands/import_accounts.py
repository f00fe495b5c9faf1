"""`manage.py import_accounts FILE [--dry-run] [--passwords-out FILE]`: org units and
accounts with their roles from the accounts workbook (docs/administration.md).

Run on the server as the site's set-up, it writes all of the workbook at once: the units, the
accounts and their roles (the pages split this between the system administrator and the
security administrator). Every row is checked first; with any error nothing is written and
every error is printed with its sheet, row and column. The new accounts' one-time passwords
go to the --passwords-out file (.xlsx), never to the screen; each must be changed at the
first sign-in.
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from tiaodu.accounts.account_import.apply import apply_account_import, passwords_file
from tiaodu.accounts.account_import.plan import plan_account_import
from tiaodu.accounts.account_import.workbook import WorkbookError, read
from tiaodu.core import context


class Command(BaseCommand):
    help = (
        "Import org units and accounts with their roles from the accounts workbook (the "
        "template of the administration area's import page). All or nothing; the new "
        "accounts' one-time passwords are written to --passwords-out."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The accounts workbook (.xlsx).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, but write nothing."
        )
        parser.add_argument(
            "--passwords-out",
            type=Path,
            help="Where to write the new accounts' one-time passwords (.xlsx); required "
            "when the workbook creates accounts.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        out: Path | None = options["passwords_out"]
        if not path.is_file():
            raise CommandError(_("%(path)s: no such file.") % {"path": path})
        with context.bound(context.RequestContext(channel="command")):
            try:
                with path.open("rb") as handle:
                    workbook = read(handle)
            except WorkbookError as error:
                raise CommandError(error.message) from error
            plan = plan_account_import(actor=None, workbook=workbook)
            summary = plan.summary()
            self.stdout.write(
                _(
                    "%(file)s: %(units)d units (%(new_units)d new), %(users)d accounts "
                    "(%(new_users)d new), %(roles)d roles to give."
                )
                % {"file": path.name, **summary}
            )
            if plan.errors:
                for mistake in plan.errors:
                    place = _("sheet %(sheet)s, row %(row)d, column %(column)s") % {
                        "sheet": mistake.sheet,
                        "row": mistake.row,
                        "column": mistake.column,
                    }
                    self.stderr.write(f"{place}: {mistake.message}")
                raise CommandError(
                    _("%(count)d errors; nothing was imported.") % {"count": len(plan.errors)}
                )
            if options["dry_run"]:
                self.stdout.write(_("Dry run: nothing was written."))
                return
            if plan.new_users and out is None:
                raise CommandError(
                    _(
                        "The workbook creates %(count)d accounts: name the file for their "
                        "one-time passwords with --passwords-out FILE.xlsx."
                    )
                    % {"count": len(plan.new_users)}
                )
            if out is not None and out.exists():
                raise CommandError(
                    _("%(path)s exists already: name a new file for the passwords.") % {"path": out}
                )
            try:
                with transaction.atomic():
                    result = apply_account_import(actor=None, plan=plan, file_name=path.name)
                    if out is not None and result.accounts:
                        out.write_bytes(passwords_file(result.accounts))
                        out.chmod(0o600)
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Imported: %(units_created)d units, %(users_created)d accounts, "
                    "%(roles_given)d roles."
                )
                % result.summary()
            )
        )
        if result.accounts:
            self.stdout.write(
                _(
                    "One-time passwords: %(path)s (readable by you only). Hand each to its "
                    "person and delete the file; each is changed at the first sign-in."
                )
                % {"path": out}
            )
