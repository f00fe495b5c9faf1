"""manage.py warm_figures [--schedule]: compute the figures pages read lately, for today."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tiaodu.core import clock, context, stamps, tasks


class Command(BaseCommand):
    help = (
        "Compute, for today, the kept figures the pages read in the last TIAODU_WARM_DAYS "
        "days (the dashboard, the statistics page, the home page's panels, the library's "
        "合计), so that the day's first readers find them; only with a cache every process "
        "reads (TIAODU_CACHE_DIR or REDIS_URL). --schedule also queues the daily round that "
        "does it at TIAODU_WARM_AT."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule", action="store_true", help="queue the daily round if none is queued"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with context.bound(context.RequestContext(channel="command")):
            done = stamps.warm(clock.today())
        self.stdout.write(f"computed {done.computed}, failed {done.failed}, dropped {done.dropped}")
        if options["schedule"]:
            queued = tasks.schedule_warm_round()
            self.stdout.write("warm round queued" if queued else "warm round already queued")
