"""`manage.py compute_cards --month YYYY-MM [--dry-run] [--reason TEXT]`, or
`manage.py compute_cards --schedule`.

Computes the month's cards (DOMAIN.md §6) with the rule set in force for that month, as the
monthly task does after the month's last lock date; prints the counts per colour and what
changed. With --dry-run nothing is written. A system run, like every manage.py command: the
computation's history names no person. --schedule (with or without --month) computes the
month due today if it has not been computed (`scoring.tasks`) and queues the daily round
that keeps doing it.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tiaodu.core import clock, context
from tiaodu.scoring import services, tasks
from tiaodu.scoring.choices import Colour


class Command(BaseCommand):
    help = "Compute the monthly cards (blue / yellow / red) of every plan entry."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="The card month, YYYY-MM.")
        parser.add_argument("--reason", default="", help="Why the month is computed again.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would change; write nothing."
        )
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Compute the month due today if not yet computed, and queue the daily round.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["month"]:
            self._compute(options)
        elif not options["schedule"]:
            raise CommandError(_("Give --month YYYY-MM, or --schedule."))
        if options["schedule"]:
            with context.bound(context.RequestContext(channel="command")):
                done = tasks.compute_due_month(clock.today())
            if done is not None:
                self.stdout.write(
                    _("Computed the cards of %(month)s: %(cards)d.")
                    % {"month": f"{done.month:%Y-%m}", "cards": done.cards}
                )
            queued = tasks.schedule_monthly_cards()
            self.stdout.write(
                _("Monthly cards round queued.")
                if queued
                else _("Monthly cards round already queued.")
            )

    def _compute(self, options: dict[str, Any]) -> None:
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
