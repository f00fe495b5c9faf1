"""Writing the demo's earlier rounds at once, as a site's history: reports and the
entries' snapshots, without going through the services one report at a time (tens of
thousands of reports through them would take far longer than the load may, and the owner
units that sent them have no accounts on the demo site).

The rows are those the services would have written (statuses, who and when, the report
that counts), inserted with `core.bulk.insert`; their photos are stored by
`tiaodu.demo.photos` as an upload stores them; the checks of the reports with a flagged photo are computed by `validation.check`; and the
snapshot of every entry (`AnnualPlan.reported_*`) is summed from its counting reports, as
approving does (`figures.counting_reports`).
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Sum

from tiaodu.core import bulk
from tiaodu.demo.reports.rounds import Fate, ReportPlan
from tiaodu.projects.models import AnnualPlan
from tiaodu.reporting import validation
from tiaodu.reporting.choices import ReportStatus
from tiaodu.reporting.figures import counting_reports
from tiaodu.reporting.models import Report

STATUS = {
    Fate.APPROVED: ReportStatus.APPROVED,
    Fate.LATE: ReportStatus.APPROVED,
    Fate.DISTRICT_APPROVED: ReportStatus.DISTRICT_APPROVED,
    Fate.SUBMITTED: ReportStatus.SUBMITTED,
    Fate.RETURNED: ReportStatus.RETURNED,
    Fate.DRAFT: ReportStatus.DRAFT,
}


@dataclass(frozen=True)
class Staff:
    """Who submits and reviews: the reporter of a project (by project id, if it has a demo
    account), the district dispatcher and the city dispatcher."""

    reporters: dict[int, Any]
    district: Any
    city: Any


def _row(plan: ReportPlan, staff: Staff, *, amendment: int, current: bool) -> Report:
    status = STATUS[plan.fate]
    approved = status == ReportStatus.APPROVED
    return Report(
        plan_id=plan.entry.plan_id,
        project_id=plan.entry.project_id,
        period_id=plan.period.pk,
        amendment=amendment,
        status=status,
        is_current=approved and current,
        investment=plan.investment,
        physical_progress=plan.physical_progress,
        workers_on_site=plan.workers_on_site,
        next_plan=plan.next_plan,
        new_problems=plan.new_problems,
        warnings=[],
        submitted_at=plan.submitted_at,
        submitted_by=staff.reporters.get(plan.entry.project_id) if plan.submitted_at else None,
        district_approved_at=plan.district_approved_at,
        district_approved_by=staff.district if plan.district_approved_at else None,
        approved_at=plan.approved_at if approved else None,
        approved_by=staff.city if approved else None,
        returned_at=plan.returned_at,
        return_reason=plan.return_reason,
        **plan.milestones,
    )


def write_reports(plans: list[ReportPlan], staff: Staff) -> list[tuple[ReportPlan, Report]]:
    """Insert the reports (an amended one as its two amendments); each plan's report."""
    rows: list[Report] = []
    written: list[tuple[ReportPlan, Report]] = []
    for plan in plans:
        if plan.fate == Fate.MISSING:
            continue
        amendment = 0
        if plan.amendment_of is not None:
            rows.append(_row(plan.amendment_of, staff, amendment=0, current=False))
            amendment = 1
        report = _row(plan, staff, amendment=amendment, current=True)
        rows.append(report)
        written.append((plan, report))
    bulk.insert(Report, rows)
    return written


def write_warnings(reports: list[Report]) -> None:
    """The checks of the submitted reports given, as submitting computes them."""
    for report in Report.objects.filter(pk__in=[r.pk for r in reports]).exclude(
        status=ReportStatus.DRAFT
    ):
        report.warnings = [warning.as_dict() for warning in validation.check(report)]
        report.save(update_fields=["warnings"])


def refresh_snapshots() -> int:
    """Every entry's snapshot from its counting reports (as approving does); how many."""
    totals = (
        Report.objects.filter(counting_reports())
        .values("plan_id")
        .annotate(total=Sum("investment"), through=Max("period__end"))
        .order_by()
    )
    by_plan = {row["plan_id"]: row for row in totals}
    plans = list(AnnualPlan.objects.filter(pk__in=by_plan))
    for plan in plans:
        plan.reported_investment = by_plan[plan.pk]["total"] or 0
        plan.reported_since = plan.ytd_as_of
        plan.reported_through = by_plan[plan.pk]["through"]
    AnnualPlan.objects.bulk_update(
        plans, ["reported_investment", "reported_since", "reported_through"], batch_size=500
    )
    return len(plans)
