"""What approving reports refreshes (DESIGN.md rule 4): each entry's snapshot of the
investment its counting reports add (`AnnualPlan.reported_*`), and the project's milestones
from its approved reports (a date is set when the project has none yet). Approving one
report (`services.approve_report`) and recording past ones (`history`) both call it.
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Max, Sum

from tiaodu.core import audit
from tiaodu.core.models import AuditAction
from tiaodu.core.scoping import Actor
from tiaodu.projects.models import AnnualPlan, Project
from tiaodu.reporting.figures import counting_reports
from tiaodu.reporting.models import Report

MILESTONES = ("actual_start", "actual_completion", "actual_production", "statistics_inclusion")
SNAPSHOT = ["reported_investment", "reported_since", "reported_through"]


def refresh_snapshots(plan_ids: Iterable[int]) -> int:
    """Each entry's snapshot from its counting reports; how many entries."""
    plans = list(AnnualPlan.objects.filter(pk__in=set(plan_ids)))
    totals = {
        row["plan_id"]: (row["total"], row["through"])
        for row in Report.objects.filter(counting_reports(), plan__in=plans)
        .values("plan_id")
        .annotate(total=Sum("investment"), through=Max("period__end"))
        .order_by()
    }
    for plan in plans:
        total, through = totals.get(plan.pk, (None, None))
        plan.reported_investment = total or Decimal(0)
        plan.reported_since = plan.ytd_as_of
        plan.reported_through = through
    AnnualPlan.objects.bulk_update(plans, SNAPSHOT, batch_size=500)
    return len(plans)


def refresh_milestones(actor: Actor | None, reports: Iterable[Report]) -> None:
    """Set the milestones the approved reports give on projects that have none yet: the
    earliest approved report's date wins, as approving them in turn would leave it."""
    approved = sorted(
        (r for r in reports if r.approved_at and any(getattr(r, n) for n in MILESTONES)),
        key=lambda r: r.approved_at.timestamp() if r.approved_at else 0.0,
    )
    if not approved:
        return
    projects = Project.objects.in_bulk({r.project_id for r in approved})
    changed: dict[int, dict[str, Any]] = {}
    for report in approved:
        project = projects[report.project_id]
        for name in MILESTONES:
            if getattr(report, name) and getattr(project, name) is None:
                changed.setdefault(project.pk, audit.snapshot(project, list(MILESTONES)))
                setattr(project, name, getattr(report, name))
    for pk, before in changed.items():
        project = projects[pk]
        project.save(update_fields=[*MILESTONES, "updated_at"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=project,
            changes=audit.diff(before, audit.snapshot(project, list(MILESTONES))),
        )


def refresh_after_approval(actor: Actor | None, reports: list[Report]) -> None:
    """Refresh the snapshots of the reports' entries and their projects' milestones."""
    refresh_snapshots({report.plan_id for report in reports})
    refresh_milestones(actor, reports)
