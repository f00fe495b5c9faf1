"""Writing the demo's earlier rounds at once, as a site's history: reports, their photos
and the entries' snapshots, without going through the services one report at a time.

The rows are those the services would have written (statuses, who and when, the report
that counts), inserted with `core.bulk.insert`; each photo is accepted by
`core.media.checks.inspect_upload` and stored by `core.media.store.store` exactly as an
upload is; the photo it looks like is found as the upload finds it (`phash.NEAR`), among the
photos sent before it;
the checks of the reports with a flagged photo are computed by `validation.check`; and the
snapshot of every entry (`AnnualPlan.reported_*`) is summed from its counting reports, as
approving does (`figures.counting_reports`).
"""

import io
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Sum

from tiaodu.core import bulk
from tiaodu.core.media.checks import inspect_upload
from tiaodu.core.media.choices import FileKind
from tiaodu.core.media.phash import NEAR
from tiaodu.core.media.store import store
from tiaodu.projects.models import AnnualPlan
from tiaodu.reporting import validation
from tiaodu.reporting.choices import ReportStatus
from tiaodu.reporting.demo.rounds import Fate, ReportPlan
from tiaodu.reporting.figures import counting_reports
from tiaodu.reporting.models import Report, ReportFile

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


def write_photos(written: list[tuple[ReportPlan, Report]], staff: Staff) -> list[ReportFile]:
    """Each report's photos, accepted and stored as uploads are, oldest period first."""
    items: list[ReportFile] = []
    seen: list[tuple[int, tuple[int, int], ReportFile]] = []
    ordered = sorted(written, key=lambda pair: (pair[0].period.end, pair[0].entry.name))
    for plan, report in ordered:
        for photo in plan.photos:
            accepted = inspect_upload(io.BytesIO(photo.content(plan.entry)), name=photo.name)
            item = ReportFile(
                report=report,
                kind=FileKind.PHOTO,
                phash=accepted.phash or "",
                uploaded_by=staff.reporters.get(plan.entry.project_id) or staff.city,
            )
            stem = f"{report.project_id}-{report.period_id}-{accepted.sha256[:12]}"
            store(item, accepted, stem=stem, original_name=photo.name)
            key = (report.project_id, report.period_id)
            phash = int(item.phash, 16)
            best: tuple[int, ReportFile] | None = None
            for other_hash, other_key, other in seen:
                distance = (phash ^ other_hash).bit_count()
                closer = best is None or distance < best[0]
                if other_key != key and distance <= NEAR and closer:
                    best = (distance, other)
            item.looks_like = best[1] if best else None
            seen.append((phash, key, item))
            items.append(item)
    bulk.insert(ReportFile, items)
    return items


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
