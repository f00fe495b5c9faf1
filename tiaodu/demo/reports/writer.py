"""Writing the demo's earlier rounds at once, as a site's history: the reports through
`reporting.services.record_past_reports` (one report at a time through the services would
take far longer than the load may), each submitted by its owner unit's reporter and
reviewed by the district and city dispatchers.

Their photos are then stored by `tiaodu.demo.photos` as an upload stores them, and the
checks of the reports with a flagged photo are computed by `validation.check`.
"""

from dataclasses import dataclass
from typing import Any

from tiaodu.demo.reports.rounds import Fate, ReportPlan
from tiaodu.projects.models import AnnualPlan
from tiaodu.reporting import services, validation
from tiaodu.reporting.choices import ReportStatus
from tiaodu.reporting.history import PastReport
from tiaodu.reporting.models import Period, Report


@dataclass(frozen=True)
class Staff:
    """Who submits and reviews: the reporter of each project (by project id: the demo
    account reporting for it, else its owner unit's reporter), the district dispatcher and
    the city dispatcher."""

    reporters: dict[int, Any]
    district: Any
    city: Any


def _row(
    plan: ReportPlan, staff: Staff, plans: dict[int, AnnualPlan], periods: dict[int, Period]
) -> PastReport:
    return PastReport(
        plan=plans[plan.entry.plan_id],
        period=periods[plan.period.pk],
        investment=plan.investment,
        bond_funds_spent=plan.bond_funds_spent,
        physical_progress=plan.physical_progress,
        workers_on_site=plan.workers_on_site,
        next_plan=plan.next_plan,
        new_problems=plan.new_problems,
        milestones=plan.milestones,
        submitted_at=plan.submitted_at,
        submitted_by=staff.reporters.get(plan.entry.project_id),
        district_approved_at=plan.district_approved_at,
        district_approved_by=staff.district,
        approved_at=plan.approved_at if plan.fate in (Fate.APPROVED, Fate.LATE) else None,
        approved_by=staff.city,
        returned_at=plan.returned_at,
        # The city returns, as it may from either status waiting for review.
        returned_by=staff.city,
        return_reason=plan.return_reason,
    )


def write_reports(plans: list[ReportPlan], staff: Staff) -> list[tuple[ReportPlan, Report]]:
    """Record the reports (an amended one as its two amendments); each plan's report."""
    entries = AnnualPlan.objects.in_bulk({plan.entry.plan_id for plan in plans})
    periods = Period.objects.in_bulk({plan.period.pk for plan in plans})
    rows: list[PastReport] = []
    kept: list[tuple[ReportPlan, int]] = []
    for plan in plans:
        if plan.fate == Fate.MISSING:
            continue
        if plan.amendment_of is not None:
            rows.append(_row(plan.amendment_of, staff, entries, periods))
        rows.append(_row(plan, staff, entries, periods))
        kept.append((plan, len(rows) - 1))
    reports = services.record_past_reports(actor=None, entries=rows)
    return [(plan, reports[index]) for plan, index in kept]


def write_warnings(reports: list[Report]) -> None:
    """The checks of the submitted reports given, as submitting computes them."""
    for report in Report.objects.filter(pk__in=[r.pk for r in reports]).exclude(
        status=ReportStatus.DRAFT
    ):
        report.warnings = [warning.as_dict() for warning in validation.check(report)]
        report.save(update_fields=["warnings"])
