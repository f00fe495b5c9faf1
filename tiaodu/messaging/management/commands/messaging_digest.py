"""manage.py messaging_digest [--schedule]: send the daily digests of what was held."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tiaodu.core import clock, context
from tiaodu.messaging import routing, tasks


class Command(BaseCommand):
    help = (
        "Queue one digest per person and channel holding the notifications held for the "
        "daily digest; --schedule also queues the daily task that keeps doing it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule", action="store_true", help="queue the daily task if none is queued"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with context.bound(context.RequestContext(channel="command")):
            digests = routing.collect_digests(now=clock.now())
        self.stdout.write(f"queued {len(digests)} digests")
        if options["schedule"]:
            queued = tasks.schedule_daily_digest()
            self.stdout.write("daily digest queued" if queued else "daily digest already queued")
