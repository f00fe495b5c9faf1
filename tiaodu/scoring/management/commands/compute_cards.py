"""`manage.py compute_cards --month YYYY-MM [--dry-run] [--reason TEXT]`.

Computes the month's cards (DOMAIN.md §6) with the rule set in force for that month, as the
monthly task does after the month's last lock date; prints the counts per colour and what
changed. With --dry-run nothing is written. A system run, like every manage.py command: the
computation's history names no person.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tiaodu.scoring import services
from tiaodu.scoring.choices import Colour


class Command(BaseCommand):
    help = "Compute the monthly cards (blue / yellow / red) of every plan entry."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="The card month, YYYY-MM.")
        parser.add_argument("--reason", default="", help="Why the month is computed again.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would change; write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            month = services.parse_month(options["month"])
            outcome = services.compute_cards(
                actor=None,
                month=month,
                reason=options["reason"] or _("Computed with manage.py compute_cards."),
                dry_run=options["dry_run"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        colours = "，".join(
            f"{colour.label} {outcome.colours.get(colour.value, 0)}" for colour in Colour
        )
        head = _("Not written (dry run): ") if options["dry_run"] else ""
        self.stdout.write(
            head
            + _(
                "%(month)s cards (rule set v%(version)d): %(cards)d — %(colours)s; "
                "added %(added)d, changed %(changed)d, removed %(removed)d."
            )
            % {
                "month": f"{month:%Y-%m}",
                "version": outcome.rule_set.version,
                "cards": outcome.cards,
                "colours": colours,
                "added": outcome.added,
                "changed": outcome.changed,
                "removed": outcome.removed,
            }
        )
        for change in outcome.changes[:50]:
            self.stdout.write(
                f"  {change['name']}: {_label(change['from'])} → {_label(change['to'])}"
            )


def _label(colour: str) -> str:
    return str(Colour(colour).label) if colour else _("no card")
