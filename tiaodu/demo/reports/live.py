"""The demo accounts' own rounds in the periods still open, written through the services:
the `reporter` (or the `officer`) drafts, fills, sends photos and submits; the `district`
dispatcher approves or returns for its district, the city `dispatcher` for the city. Each
step runs with the clock set to the moment drawn for it, so the services stamp the report,
its audit events and its notifications as they happened.
"""

import datetime as dt
import io

from django.utils import timezone

from tiaodu.accounts.models import User
from tiaodu.core import clock
from tiaodu.demo.reports.rounds import Fate, ReportPlan
from tiaodu.demo.reports.writer import Staff
from tiaodu.projects.models import AnnualPlan
from tiaodu.reporting import services
from tiaodu.reporting.models import Period, Report


def write_live(
    plans: list[ReportPlan], staff: Staff, *, amend: bool, today: dt.date
) -> list[Report]:
    """Each plan through the services (MISSING ones are left unwritten); one approved
    report is amended when `amend`. The reports written."""
    entries = {
        plan.pk: plan
        for plan in AnnualPlan.objects.filter(
            pk__in={p.entry.plan_id for p in plans}
        ).select_related("project", "project__region", "project__owner_unit")
    }
    periods = Period.objects.in_bulk({p.period.pk for p in plans})
    written = []
    for plan in sorted(plans, key=lambda p: (p.period.end, p.entry.name)):
        if plan.fate == Fate.MISSING:
            continue
        actor = staff.reporters[plan.entry.project_id]
        with clock.frozen(_drafted_at(plan, today)):
            report = services.open_draft(
                actor=actor,
                plan=entries[plan.entry.plan_id],
                period=periods[plan.period.pk],
                today=periods[plan.period.pk].due_date,
            )
            report = _fill(actor, report, plan)
        report = _review(report, plan, staff)
        written.append(report)
    if amend:
        done = [r for r, p in zip(written, _written_plans(plans), strict=True)
                if p.fate == Fate.APPROVED]  # fmt: skip
        if done:
            written.append(_amend(done[0], staff))
    return written


def _drafted_at(plan: ReportPlan, today: dt.date) -> dt.datetime:
    """When the reporter wrote the draft: two hours before submitting it, else on the
    period's last day (or the demo's date, in the period under way) at nine."""
    if plan.submitted_at is not None:
        return plan.submitted_at - dt.timedelta(hours=2)
    day = min(plan.period.end, today)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def _written_plans(plans: list[ReportPlan]) -> list[ReportPlan]:
    ordered = sorted(plans, key=lambda p: (p.period.end, p.entry.name))
    return [plan for plan in ordered if plan.fate != Fate.MISSING]


def _fill(actor: User, report: Report, plan: ReportPlan) -> Report:
    report = services.update_draft(
        actor=actor,
        report=report,
        investment=plan.investment,
        bond_funds_spent=plan.bond_funds_spent,
        physical_progress=plan.physical_progress,
        workers_on_site=plan.workers_on_site,
        next_plan=plan.next_plan,
        new_problems=plan.new_problems,
        **plan.milestones,
    )
    for photo in plan.photos:
        services.add_file(
            actor=actor,
            report=report,
            upload=io.BytesIO(photo.content(plan.entry)),
            name=photo.name,
        )
    return report


def _review(report: Report, plan: ReportPlan, staff: Staff) -> Report:
    """Submit and review the report, each step at its drawn moment."""
    if plan.fate == Fate.DRAFT or plan.submitted_at is None:
        return report
    actor = staff.reporters[plan.entry.project_id]
    with clock.frozen(plan.submitted_at):
        report = services.submit_report(actor=actor, report=report)
    district = plan.entry.in_district
    if plan.fate == Fate.RETURNED:
        reviewer = staff.district if district else staff.city
        with clock.frozen(plan.returned_at or plan.submitted_at):
            report = services.return_report(
                actor=reviewer, report=report, reason=plan.return_reason
            )
    elif plan.fate in (Fate.DISTRICT_APPROVED, Fate.APPROVED, Fate.LATE):
        if district:
            with clock.frozen(plan.district_approved_at or plan.submitted_at):
                report = services.approve_report(actor=staff.district, report=report)
        if plan.fate != Fate.DISTRICT_APPROVED:
            with clock.frozen(plan.approved_at or plan.submitted_at):
                report = services.approve_report(actor=staff.city, report=report)
    return report


def _amend(report: Report, staff: Staff) -> Report:
    """The reporter corrects an approved report the next hour; the district (for its
    district) and the city approve the amendment within the afternoon."""
    actor = staff.reporters[report.project_id]
    assert report.approved_at is not None
    with clock.frozen(report.approved_at + dt.timedelta(hours=1)):
        amendment = services.amend_report(actor=actor, report=report)
        amendment = services.update_draft(
            actor=actor,
            report=amendment,
            investment=(report.investment or 0) + 50,
            physical_progress=f"{report.physical_progress}（更正：补报上期漏报的设备购置投资）",
        )
        amendment = services.submit_report(actor=actor, report=amendment)
    if amendment.district_approved_at is None and report.district_approved_by_id:
        with clock.frozen(report.approved_at + dt.timedelta(hours=2)):
            amendment = services.approve_report(actor=staff.district, report=amendment)
    with clock.frozen(report.approved_at + dt.timedelta(hours=3)):
        return services.approve_report(actor=staff.city, report=amendment)
