"""`manage.py create_administrators --system NAME --security NAME --auditor NAME`: the site's
first three administrators (三权分立, DOMAIN.md §2), once.

The site ships with no account at all, so there is no default account or default password
to rename or change (GB/T 22239-2019 8.1.4.2 b, docs/security.md). This command, run on the
server, creates the three accounts, each with a temporary password made here, printed once
and to be changed at the first sign-in, where the account then enrols its authenticator app
(two-step sign-in, `accounts.second_factor`: the administrators' roles require it). It refuses when the site has an administrator
already: from then on, acts on administrators' accounts go through the administration area,
where a second administrator confirms them (docs/administration.md).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from tiaodu.accounts import services
from tiaodu.accounts.models import User, UserRole
from tiaodu.accounts.passwords import temporary_password
from tiaodu.core import context
from tiaodu.core.roles import ADMINISTRATOR_ROLES, Role


class Command(BaseCommand):
    help = "Create the site's three administrators (once), printing their first passwords."

    def add_arguments(self, parser: CommandParser) -> None:
        for option, role in [
            ("--system", Role.SYSTEM_ADMIN),
            ("--security", Role.SECURITY_ADMIN),
            ("--auditor", Role.AUDITOR),
        ]:
            parser.add_argument(option, required=True, metavar="USERNAME", help=str(role.label))

    def handle(self, *args: Any, **options: Any) -> None:
        wanted = [
            (options["system"], Role.SYSTEM_ADMIN),
            (options["security"], Role.SECURITY_ADMIN),
            (options["auditor"], Role.AUDITOR),
        ]
        if UserRole.objects.filter(role__in=ADMINISTRATOR_ROLES).exists():
            raise CommandError(
                _(
                    "The site has its administrators already: acts on administrators' accounts "
                    "go through the administration area, confirmed by a second administrator."
                )
            )
        if len({name.strip() for name, _role in wanted}) != 3:
            raise CommandError(_("The three administrators are three different accounts."))
        created = []
        try:
            with (
                context.bound(context.RequestContext(channel="command")),
                transaction.atomic(),
            ):
                for username, role in wanted:
                    user = User(username=username.strip())
                    password = temporary_password(user)
                    user = services.create_user(
                        actor=None, username=username, password=password, must_change_password=True
                    )
                    services.assign_role(actor=None, user=user, role=role)
                    created.append((user, role, password))
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        for user, role, password in created:
            self.stdout.write(f"{role.label}\t{user.username}\t{password}")
        self.stderr.write(
            _(
                "Give each person their password in person; it is not shown again. At the first "
                "sign-in each changes it and enrols an authenticator app for the two-step sign-in."
            )
        )
