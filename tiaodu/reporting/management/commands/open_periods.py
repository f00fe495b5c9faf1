"""manage.py open_periods [--today D] [--since D] [--schedule]: open the due periods."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiaodu.core import clock, context
from tiaodu.reporting import services, tasks


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is not a date; write it as YYYY-MM-DD.") from error


class Command(BaseCommand):
    help = (
        "Open every reporting period of the cycles in use that has begun (safe to run twice); "
        "--schedule also queues the daily task that keeps doing it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", type=_date, help="the day to open periods for (default: today)"
        )
        parser.add_argument(
            "--since", type=_date, help="the first day to open from (default: 1 January)"
        )
        parser.add_argument(
            "--schedule", action="store_true", help="queue the daily round task if none is queued"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or clock.today()
        with context.bound(context.RequestContext(channel="command")):
            opened = services.open_periods(today=today, since=options["since"])
        for period in opened:
            self.stdout.write(f"{period.label}\t{period.start}—{period.end}\t{period.due_date}")
        self.stdout.write(f"opened {len(opened)} periods")
        if options["schedule"]:
            queued = tasks.schedule_daily_round()
            self.stdout.write("daily round queued" if queued else "daily round already queued")
