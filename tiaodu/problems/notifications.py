"""What the problem ledger tells people, in the bell and by email (`core.notifications`).

- assigned: the handler named, or else every handler of the department;
- resolved: whoever raised the problem and the dispatchers of the project's region, who
  confirm or send it back;
- resolution rejected: the handler (or the department's handlers);
- the deadline two working days away, and the deadline passed: the handler (or the
  department's handlers); an overdue problem also goes to the dispatchers.

The steps notify from inside their service, so a refused step tells no one and the emails
leave only once it commits. The daily reminders are keyed by the problem and its deadline:
running the round twice reminds nobody twice, and a new deadline reminds again. Texts are
written in the site's language, as the audit log is.
"""

import datetime as dt

from django.db.models import TextChoices
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaodu.accounts.models import User
from tiaodu.core.audit import in_site_language
from tiaodu.core.notifications import notify
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Actor
from tiaodu.core.workdays import add_working_days, is_working_day, working_days_between
from tiaodu.problems.choices import ProblemStatus
from tiaodu.problems.models import Problem
from tiaodu.problems.selectors import department_handlers, path_prefixes
from tiaodu.projects.models import Project

# Remind this many working days before the deadline.
DUE_SOON_DAYS = 2
WAITING = (ProblemStatus.ASSIGNED, ProblemStatus.IN_PROGRESS)


class ProblemNotice(TextChoices):
    ASSIGNED = "problems.assigned", gettext_lazy("Problem assigned")
    RESOLVED = "problems.resolved", gettext_lazy("Problem resolved")
    REJECTED = "problems.rejected", gettext_lazy("Resolution sent back")
    DUE_SOON = "problems.due_soon", gettext_lazy("Problem deadline near")
    OVERDUE = "problems.overdue", gettext_lazy("Problem overdue")


def link(problem: Problem) -> str:
    return reverse("problems:detail", args=[problem.pk])


def handlers_of(problem: Problem) -> list[User]:
    """The handler named on the problem, or else every handler of its department."""
    if problem.handler is not None and problem.handler.is_active:
        return [problem.handler]
    if problem.assigned_department is None:
        return []
    return list(department_handlers([problem.assigned_department]))


def dispatchers_of(project: Project) -> list[User]:
    """The active dispatchers of the project's region (its district's and the city's)."""
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.DISPATCHER,
            role_assignments__org_unit__path__in=path_prefixes(project.region.path),
        ).distinct()
    )


def _others(users: list[User], actor: Actor | None) -> list[User]:
    """The recipients without the one who acted (no one is told of their own step)."""
    seen: dict[int, User] = {}
    for user in users:
        if user.pk != getattr(actor, "pk", None):
            seen.setdefault(user.pk, user)
    return list(seen.values())


def _values(problem: Problem) -> dict[str, str]:
    return {
        "title": problem.title,
        "project": problem.project.name,
        "department": problem.assigned_department.name if problem.assigned_department else "",
        "deadline": problem.deadline.isoformat() if problem.deadline else "",
    }


def on_assigned(*, problem: Problem, actor: Actor) -> None:
    with in_site_language():
        values = _values(problem)
        notify(
            recipients=_others(handlers_of(problem), actor),
            kind=ProblemNotice.ASSIGNED.value,
            title=_("Problem assigned to %(department)s: %(title)s") % values,
            body=_("%(project)s. Resolve it by %(deadline)s.") % values,
            link=link(problem),
        )


def on_resolved(*, problem: Problem, actor: Actor) -> None:
    with in_site_language():
        values = {**_values(problem), "resolution": problem.resolution}
        notify(
            recipients=_others([problem.raised_by, *dispatchers_of(problem.project)], actor),
            kind=ProblemNotice.RESOLVED.value,
            title=_("Problem resolved: %(title)s") % values,
            body=_(
                "%(project)s. %(department)s says: %(resolution)s\n"
                "Close the problem if this is so, or send it back with the reason."
            )
            % values,
            link=link(problem),
        )


def on_rejected(*, problem: Problem, actor: Actor) -> None:
    with in_site_language():
        values = {**_values(problem), "reason": problem.rejection_reason}
        notify(
            recipients=_others(handlers_of(problem), actor),
            kind=ProblemNotice.REJECTED.value,
            title=_("Resolution sent back: %(title)s") % values,
            body=_("%(project)s. Why it is not resolved: %(reason)s") % values,
            link=link(problem),
        )


def send_deadline_reminders(*, today: dt.date) -> int:
    """Remind the handlers of the problems due within two working days, and tell handlers
    and dispatchers of those past their deadline; on a day off, nothing (the reminders wait
    for the next working day). Returns how many notifications were written; idempotent."""
    if not is_working_day(today):
        return 0
    horizon = add_working_days(today, DUE_SOON_DAYS)
    waiting = Problem.objects.filter(status__in=WAITING, deadline__isnull=False).select_related(
        "project__region", "assigned_department", "handler"
    )
    sent = 0
    with in_site_language():
        for problem in waiting.filter(deadline__gte=today, deadline__lte=horizon):
            deadline = problem.deadline or today  # never None: filtered on
            values = {**_values(problem), "days": working_days_between(today, deadline)}
            sent += len(
                notify(
                    recipients=handlers_of(problem),
                    kind=ProblemNotice.DUE_SOON.value,
                    title=_("Problem due on %(deadline)s: %(title)s") % values,
                    body=_("%(project)s. Working days left: %(days)s.") % values,
                    link=link(problem),
                    key=f"{ProblemNotice.DUE_SOON.value}:{problem.pk}:{problem.deadline}",
                )
            )
        for problem in waiting.filter(deadline__lt=today):
            deadline = problem.deadline or today
            values = {**_values(problem), "days": working_days_between(deadline, today)}
            recipients = [*handlers_of(problem), *dispatchers_of(problem.project)]
            sent += len(
                notify(
                    recipients=_others(recipients, None),
                    kind=ProblemNotice.OVERDUE.value,
                    title=_("Problem overdue since %(deadline)s: %(title)s") % values,
                    body=_("%(project)s · %(department)s. Working days overdue: %(days)s.")
                    % values,
                    link=link(problem),
                    key=f"{ProblemNotice.OVERDUE.value}:{problem.pk}:{problem.deadline}",
                )
            )
    return sent
