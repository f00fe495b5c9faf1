"""A site's past written at once: rows and their audit events, each at its own time.

The demo's problems and notices happened over months before the demo's date. They are
built in memory step by step as the services would have made them, and every step is
recorded as the audit event the service records (the same changes, by the same actor),
dated when it happened, so a problem's timeline reads as it would on a live site.
"""

import datetime as dt
import random
from typing import Any

from django.db import models
from django.utils import timezone

from tiaodu.core import audit
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.core.workdays import add_working_days, is_working_day


class History:
    """Collects the events of the steps; `write()` appends them all to the audit log."""

    def __init__(self) -> None:
        self.events: list[AuditEvent] = []

    def created(
        self,
        *,
        actor: Any,
        instance: models.Model,
        at: dt.datetime,
        parent: Any = None,
        actor_name: str = "",
    ) -> None:
        self.events.append(
            audit.build_event(
                actor=actor,
                actor_name=actor_name,
                action=AuditAction.CREATE,
                instance=instance,
                parent=parent,
                changes=audit.diff({}, audit.snapshot(instance)),
                at=at,
            )
        )

    def changed(
        self,
        *,
        actor: Any,
        instance: models.Model,
        at: dt.datetime,
        parent: Any = None,
        actor_name: str = "",
        **fields: Any,
    ) -> None:
        """Set the fields on the instance (in memory) and record the change; `actor_name`
        names an actor without an account (a department)."""
        before = audit.snapshot(instance)
        for name, value in fields.items():
            setattr(instance, name, value)
        changes = audit.diff(before, audit.snapshot(instance))
        if changes:
            self.events.append(
                audit.build_event(
                    actor=actor,
                    actor_name=actor_name,
                    action=AuditAction.UPDATE,
                    instance=instance,
                    parent=parent,
                    changes=changes,
                    at=at,
                )
            )

    def write(self) -> None:
        self.events.sort(key=lambda event: event.at)
        audit.record_many(self.events)


def working_day_before(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def working_days_before(day: dt.date, n: int) -> dt.date:
    """The working day `n` working days before `day` (`day` itself, or the working day
    before it, when n is 0)."""
    day = working_day_before(day)
    for _step in range(n):
        day = working_day_before(day - dt.timedelta(days=1))
    return day


def office_time(rng: random.Random, day: dt.date) -> dt.datetime:
    """A moment of office hours (8:30–17:30, Shanghai) on the day."""
    minutes = rng.randrange(8 * 60 + 30, 17 * 60 + 30)
    naive = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60))
    return timezone.make_aware(naive)


def later(rng: random.Random, day: dt.date, low: int, high: int) -> dt.date:
    """A working day `low` to `high` working days after `day`."""
    return add_working_days(day, rng.randint(low, high))
