"""`manage.py stats --year Y --as-of D [--region CODE] [--level L] [--list NAME] [--json] [--actor USERNAME]`.

Prints the figure set of DOMAIN.md §4. With --json: exactly its JSON form on one line
(`json.dumps(..., ensure_ascii=False)`, no indentation), the same as `GET /api/v1/stats`.
Without --actor it reads the whole site: a system read for the server's administrators,
like every manage.py command; with --actor it sees what that user would see.
"""

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tiaodu.accounts.models import User
from tiaodu.analytics.figures import WHOLE_SITE, ScopeError, figure_set
from tiaodu.core.scoping import Actor
from tiaodu.projects.permissions import reads_business_data


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            _("--as-of “%(value)s” is not a date; write it as YYYY-MM-DD, e.g. 2026-08-31.")
            % {"value": value}
        ) from error


def _summary(data: dict[str, Any]) -> list[str]:
    """The headline figures as lines of text (amounts in 万元, rates in %)."""

    def rate(value: str | None) -> str:
        return "—" if value is None else f"{value}%"

    new_start, in_statistics, cards = data["new_start"], data["in_statistics"], data["cards"]
    bonds = data["bond_funds"]
    lines = [
        (_("Projects"), data["projects"]),
        (_("Total investment (10k yuan)"), data["total_investment"]),
        (_("Annual plan (10k yuan)"), data["annual_plan"]),
        (_("Completed this year (10k yuan)"), data["ytd_completed"]),
        (_("Investment completion rate"), rate(data["completion_rate"])),
        (_("Time progress"), rate(data["time_progress"])),
        (
            _("New starts (started / planned)"),
            f"{new_start['started']} / {new_start['planned']} ({rate(new_start['rate'])})",
        ),
        (
            _("In the statistics"),
            f"{in_statistics['included']} / {in_statistics['due']} ({rate(in_statistics['rate'])})",
        ),
        (_("Newly in the statistics this month"), in_statistics["new_in_period"]),
        (_("Completed"), data["completed"]["count"]),
        (_("Expected to complete"), data["expected_completion"]["count"]),
        (_("Reserve"), data["reserve"]["count"]),
        (_("Should have started"), data["should_start"]),
        (_("Should have completed"), data["should_complete"]),
        (_("Lagging behind time progress"), data["lagging"]),
        (
            _("Cards of %(month)s (blue / yellow / red / none)") % {"month": cards["month"]},
            f"{cards['blue']} / {cards['yellow']} / {cards['red']} / {cards['none']}",
        ),
        (_("Projects with special-bond funds"), bonds["count"]),
        (
            _("Special-bond funds spent / allotted (10k yuan)"),
            f"{bonds['spent']} / {bonds['allotted']} ({rate(bonds['spent_rate'])})",
        ),
    ]
    title = _("Statistics %(year)s as of %(date)s") % {"year": data["year"], "date": data["as_of"]}
    return [title, *(f"{label}: {value}" for label, value in lines)]


class Command(BaseCommand):
    help = "Print the statistics figure set (DOMAIN.md §4) for a year, an as-of date and a scope."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="The plan year, e.g. 2026.")
        parser.add_argument(
            "--as-of", required=True, metavar="YYYY-MM-DD", help="The as-of date, in the year."
        )
        parser.add_argument("--region", metavar="CODE", help="A region's division code.")
        parser.add_argument(
            "--level", choices=["provincial", "municipal", "county"], help="A level."
        )
        parser.add_argument("--list", metavar="NAME", help="A key-project list of the year.")
        parser.add_argument(
            "--json", action="store_true", help="Print the JSON form of DOMAIN.md §4."
        )
        parser.add_argument(
            "--actor",
            metavar="USERNAME",
            help="Compute what this user sees; without it, the whole site.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor: Actor = WHOLE_SITE
        if options["actor"]:
            user = User.objects.filter(username=options["actor"], is_active=True).first()
            if user is None:
                raise CommandError(
                    _("No active user is called “%(name)s”.") % {"name": options["actor"]}
                )
            if not reads_business_data(user):
                raise CommandError(
                    _("%(name)s reads no business data (an administrator or the auditor).")
                    % {"name": options["actor"]}
                )
            actor = user
        try:
            data = figure_set(
                actor=actor,
                year=options["year"],
                as_of=_date(options["as_of"]),
                region=options["region"],
                level=options["level"],
                key_list=options["list"],
            )
        except ScopeError as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
        else:
            self.stdout.write("\n".join(_summary(data)))
