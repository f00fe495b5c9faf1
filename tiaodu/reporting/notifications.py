"""What the report workflow tells reporters, in the bell and by email (`core.notifications`).

- returned: the reporter who submitted the report, with the reason;
- approved after a return: the same reporter, once the report that had been returned is
  approved (the city's approval, which makes it count).

The services notify from inside their transaction, so a refused step tells no one and the
emails leave only once it commits. Nobody is told of their own step. Texts are written in
the site's language, as the audit log is. The scheduled reminders (due tomorrow, overdue)
live in `reminders.py`, 催报 in `urging.py`.
"""

from django.db.models import TextChoices
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaodu.accounts.models import User
from tiaodu.core.audit import in_site_language
from tiaodu.core.notifications import notify
from tiaodu.core.scoping import Actor
from tiaodu.reporting.models import Report
from tiaodu.reporting.reminders import reporters_by_unit


class ReportNotice(TextChoices):
    RETURNED = "reporting.returned", gettext_lazy("Report returned")
    APPROVED_AFTER_RETURN = (
        "reporting.approved_after_return",
        gettext_lazy("Returned report approved"),
    )


def link(report: Report) -> str:
    return reverse("reporting:report", args=[report.pk])


def reporters_of(report: Report, actor: Actor | None) -> list[User]:
    """Who submitted the report, or else (a report recorded without one) the active
    reporters of the project's owner unit; never the actor."""
    if report.submitted_by is not None:
        users = [report.submitted_by] if report.submitted_by.is_active else []
    elif report.project.owner_unit_id is not None:
        users = reporters_by_unit([report.project.owner_unit_id]).get(
            report.project.owner_unit_id, []
        )
    else:
        users = []
    return [user for user in users if user.pk != getattr(actor, "pk", None)]


def _values(report: Report) -> dict[str, str]:
    return {"project": report.project.name, "period": report.period.label}


def on_returned(*, report: Report, actor: Actor) -> None:
    with in_site_language():
        values = {**_values(report), "reason": report.return_reason}
        notify(
            recipients=reporters_of(report, actor),
            kind=ReportNotice.RETURNED.value,
            title=_("Report returned: %(project)s, %(period)s") % values,
            body=_("What to correct: %(reason)s\nCorrect the report and submit it again.") % values,
            link=link(report),
        )


def on_approved(*, report: Report, actor: Actor) -> None:
    """Tell the reporter that a report which had been returned is approved (a report
    approved without a return tells no one)."""
    if report.returned_at is None:
        return
    with in_site_language():
        values = _values(report)
        notify(
            recipients=reporters_of(report, actor),
            kind=ReportNotice.APPROVED_AFTER_RETURN.value,
            title=_("Report approved after correction: %(project)s, %(period)s") % values,
            body=_("The corrected report was approved and now counts."),
            link=link(report),
        )
