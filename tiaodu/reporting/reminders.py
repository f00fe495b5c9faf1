"""Reminders to reporters: one working day before a period's due date, and on the working
day after it, to the reporters of owner units whose expected reports are not handed in.

Each reminder is a notification (in-app and email) keyed by its kind and period, so that
running the daily round twice, or the command after it, reminds nobody twice.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import TextChoices
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaodu.accounts.models import OrgUnit, User, UserRole
from tiaodu.core.notifications import notify
from tiaodu.core.roles import Role
from tiaodu.core.workdays import add_working_days, is_working_day
from tiaodu.projects.models import AnnualPlan
from tiaodu.reporting.board import missing_plans
from tiaodu.reporting.models import Period

# How far back a due date can lie from the working day after it (the longest holiday).
LONGEST_BREAK = dt.timedelta(days=15)


class ReminderKind(TextChoices):
    DUE_TOMORROW = "reporting.due_tomorrow", gettext_lazy("Report due tomorrow")
    OVERDUE = "reporting.overdue", gettext_lazy("Report overdue")


@dataclass
class Reminder:
    """One reminder to send: of a kind, for a period, to a user, about these projects."""

    kind: str
    period: Period
    user: User
    projects: list[str]


def periods_to_remind(today: dt.date) -> list[tuple[str, Period]]:
    """The periods due on the next working day, and those due on the previous one; on a
    day off, none (the reminders wait for the next working day)."""
    if not is_working_day(today):
        return []
    tomorrow = add_working_days(today, 1)
    found = [(ReminderKind.DUE_TOMORROW.value, p) for p in Period.objects.filter(due_date=tomorrow)]
    for period in Period.objects.filter(due_date__lt=today, due_date__gte=today - LONGEST_BREAK):
        if add_working_days(period.due_date, 1) == today:
            found.append((ReminderKind.OVERDUE.value, period))
    return found


def _prefixes(path: str) -> list[str]:
    parts = [part for part in path.split("/") if part]
    return ["/" + "/".join(parts[: n + 1]) + "/" for n in range(len(parts))]


def reporters_by_unit(unit_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active reporters of each owner unit, or of a unit above it, by the unit's id
    (ordered by username; a unit nobody reports for is left out)."""
    paths = dict(OrgUnit.objects.filter(pk__in=set(unit_ids)).values_list("pk", "path"))
    wanted = {prefix for path in paths.values() for prefix in _prefixes(path)}
    grants = UserRole.objects.filter(
        role=Role.REPORTER, org_unit__path__in=wanted, user__is_active=True
    ).select_related("user", "org_unit")
    found: dict[int, dict[int, User]] = defaultdict(dict)
    for grant in grants:
        assert grant.org_unit is not None
        for unit_id, path in paths.items():
            if path.startswith(grant.org_unit.path):
                found[unit_id][grant.user_id] = grant.user
    return {
        unit_id: sorted(users.values(), key=lambda user: user.username)
        for unit_id, users in found.items()
    }


def reminders_for(today: dt.date) -> list[Reminder]:
    """Who gets which reminder today: the active reporters of each owner unit (or of a unit
    above it) with expected reports not handed in."""
    result: list[Reminder] = []
    for kind, period in periods_to_remind(today):
        missing = missing_plans(period, AnnualPlan.objects.all()).filter(
            project__owner_unit__isnull=False
        )
        by_unit: dict[int, list[str]] = defaultdict(list)
        for unit_id, name in missing.values_list("project__owner_unit", "project__name"):
            by_unit[unit_id].append(name)
        projects: dict[int, list[str]] = defaultdict(list)
        users: dict[int, User] = {}
        for unit_id, reporters in reporters_by_unit(by_unit).items():
            for user in reporters:
                projects[user.pk].extend(by_unit[unit_id])
                users[user.pk] = user
        for user_id, names in sorted(projects.items()):
            result.append(Reminder(kind, period, users[user_id], sorted(set(names))))
    return result


def _message(reminder: Reminder) -> tuple[str, str]:
    period = reminder.period
    values = {
        "period": period.label,
        "due": period.due_date.isoformat(),
        "count": len(reminder.projects),
    }
    if reminder.kind == ReminderKind.DUE_TOMORROW:
        title = _("The reports of %(period)s are due tomorrow (%(due)s)") % values
    else:
        title = _("The reports of %(period)s were due on %(due)s and are missing") % values
    body = _("%(count)s project(s) still to report:") % values
    return title, "\n".join([body, *(f"· {name}" for name in reminder.projects)])


def send_reminders(*, today: dt.date) -> int:
    """Send today's reminders (in-app and email); returns how many were written. Idempotent
    per user, period and kind."""
    sent = 0
    for reminder in reminders_for(today):
        title, body = _message(reminder)
        sent += len(
            notify(
                recipients=[reminder.user],
                kind=reminder.kind,
                title=title,
                body=body,
                link=reverse("reporting:due"),
                key=f"{reminder.kind}:{reminder.period.pk}",
            )
        )
    return sent
