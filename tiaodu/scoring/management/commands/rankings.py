"""`manage.py rankings --month YYYY-MM [--json] [--actor USERNAME]`.

Prints the month's rankings of regions, responsible units and leaders on their projects'
cards (`scoring.rankings`) and the districts' three assessment indicators for the month's
year up to its end (`scoring.indicators`). With --json, one object on one line
(`ensure_ascii=False`): {"month", "regions", "departments", "leaders", "indicators"}, each
ranking row with rank, movement, name, cards, blue, yellow, red, average_score and
evidenced_share (a region's also new_inclusions, the month's 本月新入统). Without --actor it reads the whole site (a system read, like every
manage.py command); with --actor it sees what that user would see.
"""

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tiaodu.accounts.models import User
from tiaodu.scoring import indicators, rankings
from tiaodu.scoring.permissions import oversees_cards
from tiaodu.scoring.ranking_json import rankings_json
from tiaodu.scoring.services import parse_month


class Command(BaseCommand):
    help = "Print the month's rankings on the cards and the districts' assessment indicators."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="The card month, YYYY-MM.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")
        parser.add_argument("--actor", metavar="USERNAME", help="Read as this user.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            month = parse_month(options["month"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        actor = None
        if options["actor"]:
            actor = User.objects.filter(username=options["actor"], is_active=True).first()
            if actor is None:
                raise CommandError(_("No active user “%(name)s”.") % {"name": options["actor"]})
            if not oversees_cards(actor):
                raise CommandError(_("The rankings are for dispatchers and leaders."))
        if options["json"]:
            data = rankings_json(actor=actor, month=month)
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        ranked = rankings.rankings(actor=actor, month=month)
        assessed = indicators.indicators(actor=actor, year=month.year, month=month.month)
        self._print(ranked, assessed)

    def _print(self, ranked: rankings.Rankings, assessed: indicators.Indicators) -> None:
        titles = rankings.group_titles()
        self.stdout.write(_("Rankings of %(month)s") % {"month": f"{ranked.month:%Y-%m}"})
        for group in rankings.GROUPS:
            self.stdout.write(f"\n{titles[group]}")
            rows = ranked.table(group)
            if not rows:
                self.stdout.write("  " + _("No cards."))
            for row in rows:
                self.stdout.write(
                    f"  {row.rank:>3} {row.movement_text:>3}  {row.name}  "
                    + _(
                        "%(cards)d cards (blue %(blue)d, yellow %(yellow)d, red %(red)d), "
                        "average %(average)s, evidenced %(share)s%%"
                    )
                    % {
                        "cards": row.cards,
                        "blue": row.blue,
                        "yellow": row.yellow,
                        "red": row.red,
                        "average": row.average_score,
                        "share": row.evidenced_percent,
                    }
                    + (
                        ""
                        if row.new_inclusions is None
                        else "; "
                        + _("%(count)d new in the statistics this month")
                        % {"count": row.new_inclusions}
                    )
                )
        self.stdout.write(
            "\n"
            + _("Assessment indicators %(start)s – %(end)s")
            % {"start": assessed.start.isoformat(), "end": assessed.end.isoformat()}
        )
        for district in assessed.rows:
            cells = "；".join(
                f"{label} {actual}/{target if target is not None else '—'}"
                for _key, label, actual, target, _attained in district.cells()
            )
            overall = f"{district.overall}%" if district.overall is not None else "—"
            self.stdout.write(f"  {district.rank or '—':>3}  {district.name}  {cells}；{overall}")
