"""manage.py send_reminders [--today D]: remind reporters of reports due tomorrow or overdue."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tiaodu.core import clock
from tiaodu.reporting.management.commands.open_periods import _date
from tiaodu.reporting.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Remind the reporters whose expected reports are not handed in, one working day "
        "before the due date and on the working day after it (safe to run twice)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=_date, help="the day to remind for (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or clock.today()
        sent = send_reminders(today=today)
        self.stdout.write(f"sent {sent} reminders for {today.isoformat()}")
