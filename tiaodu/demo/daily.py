"""The daily rounds of the demo's last two weeks (`load_demo`), as the task worker would
have run them: each working day at half past eight, the reporting round reminds the owner
units of reports due and overdue (`reporting.reminders.send_reminders`) and the problem
round reminds handlers and dispatchers of deadlines near and passed
(`problems.notifications.send_deadline_reminders`). The clock is set to each morning, so
the reminders are dated then, and the demo accounts open the site to a bell with work in it.
"""

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from tiaodu.core import clock
from tiaodu.core.workdays import is_working_day
from tiaodu.demo.library.spec import DemoSpec
from tiaodu.demo.parts import DemoPart
from tiaodu.problems.notifications import send_deadline_reminders
from tiaodu.reporting.reminders import send_reminders

if TYPE_CHECKING:
    from tiaodu.demo.library.builder import Loaded

NAME = "reminders"
DAYS = 14  # the rounds of this many days before the demo's date, the date included


def load(spec: DemoSpec, loaded: "Loaded") -> list[str]:
    for back in range(DAYS - 1, -1, -1):
        day = spec.as_of - dt.timedelta(days=back)
        if not is_working_day(day):
            continue
        with clock.frozen(timezone.make_aware(dt.datetime.combine(day, dt.time(8, 30)))):
            send_reminders(today=day)
            send_deadline_reminders(today=day)
    return []  # the summary says nothing new: the bell is on every page


PART = DemoPart(NAME, load)
