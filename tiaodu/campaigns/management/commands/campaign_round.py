"""`manage.py campaign_round [--schedule]`: record today's values of the running campaigns
and keep the final comparison of those that ended; with --schedule, also queue the daily
round that keeps doing it (as `make demo` does)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from tiaodu.campaigns import services, tasks
from tiaodu.core import clock


class Command(BaseCommand):
    help = "Record the running campaigns' day; --schedule queues the daily round."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--schedule", action="store_true", help="Queue the daily round.")

    def handle(self, *args: Any, **options: Any) -> None:
        touched = services.daily_round(clock.today())
        self.stdout.write(_("Campaigns brought up to date: %(count)d.") % {"count": touched})
        if options["schedule"]:
            queued = tasks.schedule_campaign_round()
            self.stdout.write(
                _("The daily round is queued.")
                if queued
                else _("The daily round was queued already.")
            )
