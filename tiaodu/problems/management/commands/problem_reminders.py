"""manage.py problem_reminders [--today D] [--schedule]: the deadline reminders of the day."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiaodu.core import clock, context
from tiaodu.problems import notifications, tasks


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is not a date; write it as YYYY-MM-DD.") from error


class Command(BaseCommand):
    help = (
        "Remind the handlers of the problems due within two working days and tell handlers "
        "and dispatchers of the overdue ones (safe to run twice); --schedule also queues "
        "the daily task that keeps doing it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=_date, help="the day to remind for (default: today)")
        parser.add_argument(
            "--schedule", action="store_true", help="queue the daily task if none is queued"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or clock.today()
        with context.bound(context.RequestContext(channel="command")):
            sent = notifications.send_deadline_reminders(today=today)
        self.stdout.write(f"sent {sent} notifications")
        if options["schedule"]:
            queued = tasks.schedule_deadline_round()
            self.stdout.write(
                "deadline round queued" if queued else "deadline round already queued"
            )
