"""催报 (urge to report): a dispatcher tells the reporters of owner units, at once, that
their reports of a period are missing; one unit from its row of the missing list, or every
unit the list shows.

The only writer of `ReportUrge`. Each unit is urged at most once a day for a period (the
table's unique constraint holds it against two clicks at once); each urge notifies the
unit's active reporters (or those of a unit above it, as the scheduled reminders do) in the
app and by email, naming the missing projects, and is audited. Which projects count is the
dispatcher's own board: the missing entries among `plans_visible_to(actor)`, so a district
dispatcher reaches the units of its district's projects only.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaodu.accounts.models import OrgUnit, User
from tiaodu.core import audit, clock
from tiaodu.core.audit import in_site_language
from tiaodu.core.models import AuditAction
from tiaodu.core.notifications import notify
from tiaodu.projects.models import AnnualPlan
from tiaodu.projects.selectors import plans_visible_to
from tiaodu.reporting.board import missing_plans
from tiaodu.reporting.models import Period, ReportUrge
from tiaodu.reporting.permissions import may_urge
from tiaodu.reporting.reminders import reporters_by_unit

URGED = "reporting.urged"


@dataclass
class UrgeOutcome:
    """What one press of 催报 did: the units urged now, those already urged today (left
    alone) and those with no active reporter to tell."""

    urged: list[ReportUrge] = field(default_factory=list)
    already: list[ReportUrge] = field(default_factory=list)
    unreached: list[OrgUnit] = field(default_factory=list)


def clock_time(urge: ReportUrge) -> str:
    """The urge's time of day in the site's time zone, as 09:30."""
    return timezone.localtime(urge.urged_at).strftime("%H:%M")


def last_urges(period: Period, unit_ids: list[int] | None = None) -> dict[int, ReportUrge]:
    """The latest urge of each owner unit in the period (of `unit_ids` when given)."""
    urges = ReportUrge.objects.filter(period=period).order_by("owner_unit_id", "-urged_at")
    if unit_ids is not None:
        urges = urges.filter(owner_unit_id__in=unit_ids)
    latest: dict[int, ReportUrge] = {}
    for urge in urges:
        latest.setdefault(urge.owner_unit_id, urge)
    return latest


def missing_by_unit(
    actor: User, period: Period, plans: QuerySet[AnnualPlan] | None = None
) -> dict[int, list[str]]:
    """The names of the missing projects of each owner unit, among the entries the actor
    sees (narrowed to `plans` when given)."""
    visible = plans_visible_to(actor).select_related(None).order_by()
    if plans is not None:
        visible = visible.filter(pk__in=plans.values("pk"))
    missing = missing_plans(period, visible).filter(project__owner_unit__isnull=False)
    found: dict[int, list[str]] = {}
    rows = missing.order_by("project__name").values_list("project__owner_unit", "project__name")
    for unit_id, name in rows:
        found.setdefault(unit_id, []).append(name)
    return found


def _notify(urge: ReportUrge, actor: User, reporters: list[User]) -> None:
    period = urge.period
    values = {
        "dispatcher": str(actor),
        "period": period.label,
        "due": period.due_date.isoformat(),
        "unit": urge.owner_unit.name,
        "count": len(urge.projects),
    }
    body = _("%(count)s project(s) of %(unit)s still to report:") % values
    notify(
        recipients=reporters,
        kind=URGED,
        title=_("%(dispatcher)s urges: the reports of %(period)s (due %(due)s) are missing")
        % values,
        body="\n".join([body, *(f"· {name}" for name in urge.projects)]),
        link=reverse("reporting:due"),
        key=f"{URGED}:{urge.pk}",
    )


def _urge_one(
    actor: User, period: Period, unit: OrgUnit, projects: list[str], reporters: list[User]
) -> ReportUrge | None:
    """Write, notify and audit one unit's urge; None when another request urged it first."""
    try:
        with transaction.atomic():
            urge = ReportUrge.objects.create(
                period=period,
                owner_unit=unit,
                day=clock.today(),
                urged_at=clock.now(),
                urged_by=actor,
                projects=projects,
            )
    except IntegrityError:
        return None
    urge.reporters.set(reporters)
    _notify(urge, actor, reporters)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=urge,
        changes={
            "reporters": ["", "、".join(str(user) for user in reporters)],
            "projects": ["", "、".join(projects)],
        },
    )
    return urge


def _refusal(outcome: UrgeOutcome) -> ValidationError:
    """Why nothing was urged, unit by unit."""
    messages = [
        _("%(unit)s was urged today at %(time)s; it can be urged again tomorrow.")
        % {"unit": urge.owner_unit.name, "time": clock_time(urge)}
        for urge in outcome.already
    ]
    messages += [
        _("%(unit)s has no active reporter to notify; call the project's contact.")
        % {"unit": unit.name}
        for unit in outcome.unreached
    ]
    return ValidationError(messages)


@transaction.atomic
def urge_reporters(
    *, actor: User, period: Period, plans: QuerySet[AnnualPlan] | None = None
) -> UrgeOutcome:
    """Urge the reporters of every owner unit with missing reports of the period among the
    entries the actor sees, narrowed to `plans` (one unit's, or the missing list's filters).
    A unit urged today for the period is left alone. Refused, with the reasons and nothing
    written, when no unit is urged."""
    if not may_urge(actor):
        raise PermissionDenied(_("Only a dispatcher urges reporters to report."))
    by_unit = missing_by_unit(actor, period, plans)
    if not by_unit:
        raise ValidationError(_("No report of an owner unit is missing here: nobody to urge."))
    units = {unit.pk: unit for unit in OrgUnit.objects.filter(pk__in=by_unit)}
    today = {
        urge.owner_unit_id: urge
        for urge in ReportUrge.objects.filter(
            period=period, day=clock.today(), owner_unit__in=units
        )
    }
    reporters = reporters_by_unit(by_unit)
    outcome = UrgeOutcome()
    with in_site_language():
        for unit in sorted(units.values(), key=lambda unit: unit.name):
            if unit.pk in today:
                outcome.already.append(today[unit.pk])
            elif not reporters.get(unit.pk):
                outcome.unreached.append(unit)
            else:
                urge = _urge_one(actor, period, unit, by_unit[unit.pk], reporters[unit.pk])
                if urge is None:
                    outcome.already.append(
                        ReportUrge.objects.get(period=period, owner_unit=unit, day=clock.today())
                    )
                else:
                    outcome.urged.append(urge)
    if not outcome.urged:
        raise _refusal(outcome)
    return outcome
