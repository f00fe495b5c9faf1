"""manage.py issue_api_token USERNAME --name NAME [--days N]: print a new API token once."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiaodu.accounts.models import User
from tiaodu.accounts.tokens import issue_api_token
from tiaodu.core import context


class Command(BaseCommand):
    help = "Issue an API token for a user and print it (it is shown only this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="where the token is used, e.g. 手机App")
        parser.add_argument(
            "--days", type=int, help="days until it expires (default 90, at most 365)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user is named {options['username']!r}.")
        try:
            with context.bound(context.RequestContext(channel="command")):
                token, raw = issue_api_token(
                    actor=None, user=user, name=options["name"], days=options["days"]
                )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(raw)
        self.stderr.write(
            f"token {token.prefix}… for {user.username}: keep it now, it is not shown again"
        )
