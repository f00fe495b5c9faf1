"""Recording past reports at once: the history a site brings when it moves onto the platform
(its 旬报/月报 kept in spreadsheets), and the demo's earlier months.

Each row is one report as the services would have left it: its entry and period, its
contents, and the moments and people of its steps (submitted, approved by the district,
approved by the city, returned). The rows are checked as the services check them one at a
time — the period exists, the entry reports in that period's cycle, no report is there yet,
the amounts are not negative, the special-bond spending is within the entry's funds, each
step is the actor's to take by the workflow table — and written in bulk with one audit
event per report, all or nothing. The status comes from the table by replaying the steps.
Approved reports then refresh what approving refreshes: the entries' snapshots and the
projects' milestones (`refresh.refresh_after_approval`).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tiaodu.core import audit, bulk
from tiaodu.core.models import AuditAction
from tiaodu.core.scoping import Actor
from tiaodu.core.workflow import TransitionRefused
from tiaodu.projects.models import AnnualPlan, Project
from tiaodu.reporting import validation, workflow
from tiaodu.reporting.choices import ReportAction, ReportStatus
from tiaodu.reporting.models import Period, Report
from tiaodu.reporting.permissions import relations
from tiaodu.reporting.refresh import MILESTONES
from tiaodu.reporting.selectors import REPORTING_NATURES, cycles_of


@dataclass(frozen=True)
class PastReport:
    """One past report to record. Two rows of the same entry and period are its successive
    amendments, in order: each but the last must be approved (an amendment corrects an
    approved report). `returned_by` is checked, not stored (a report keeps no such field)."""

    plan: AnnualPlan
    period: Period
    investment: Decimal
    # The year's special-bond spending by the period's end (an entry with bond funds only).
    bond_funds_spent: Decimal | None = None
    physical_progress: str = ""
    workers_on_site: int | None = None
    next_plan: str = ""
    new_problems: str = ""
    milestones: dict[str, dt.date] = field(default_factory=dict)
    submitted_at: dt.datetime | None = None
    submitted_by: Any = None
    district_approved_at: dt.datetime | None = None
    district_approved_by: Any = None
    approved_at: dt.datetime | None = None
    approved_by: Any = None
    returned_at: dt.datetime | None = None
    returned_by: Any = None
    return_reason: str = ""


def _steps(row: PastReport) -> list[tuple[str, Any]]:
    """The workflow steps the row's moments say were taken, in order of their moments, with
    who took each; a submit later than the return is the corrected report sent again."""
    if row.submitted_at is None:
        return []
    reviews = sorted(
        (
            (moment, action, actor)
            for moment, action, actor in (
                (row.returned_at, ReportAction.RETURN, row.returned_by),
                (row.district_approved_at, ReportAction.APPROVE_DISTRICT, row.district_approved_by),
                (row.approved_at, ReportAction.APPROVE, row.approved_by),
            )
            if moment is not None
        ),
        key=lambda review: review[0],
    )
    steps: list[tuple[str, Any]] = [(ReportAction.SUBMIT, row.submitted_by)]
    for moment, action, actor in reviews:
        steps.append((action, actor))
        if action == ReportAction.RETURN and row.submitted_at > moment:
            steps.append((ReportAction.SUBMIT, row.submitted_by))
    return steps


class _Checker:
    """The checks of one batch, with what they read loaded once."""

    def __init__(self, rows: list[PastReport]) -> None:
        plan_ids = {row.plan.pk for row in rows}
        self.plans = AnnualPlan.objects.in_bulk(plan_ids)
        self.cycles = cycles_of((plan.pk, plan.level) for plan in self.plans.values())
        self.periods = Period.objects.in_bulk({row.period.pk for row in rows})
        self.projects = Project.objects.select_related(
            "region", "owner_unit", "service_officer"
        ).in_bulk({plan.project_id for plan in self.plans.values()})
        self.taken = set(
            Report.objects.filter(plan_id__in=plan_ids).values_list("plan_id", "period_id")
        )
        self._relations: dict[tuple[int, int], frozenset[str]] = {}

    def relations(self, actor: Actor, project: Project) -> frozenset[str]:
        key = (actor.pk, project.pk)
        if key not in self._relations:
            self._relations[key] = relations(actor, project)
        return self._relations[key]

    def status(self, row: PastReport, project: Project) -> str:
        """The status the row's steps lead to by the workflow table; refused otherwise."""
        status: str = ReportStatus.DRAFT
        for action, actor in _steps(row):
            if actor is None:
                raise ValidationError(_("Say who took each step of the report."))
            try:
                status = workflow.REPORTS.check(
                    self.relations(actor, project), status, action
                ).target
            except TransitionRefused:
                raise ValidationError(
                    _("%(user)s cannot take this step on the project's report.")
                    % {"user": actor.get_username()}
                ) from None
        return status

    def check(self, row: PastReport) -> Project:
        """The row's project, if the row may be recorded; a ValidationError saying why not."""
        plan, period = self.plans.get(row.plan.pk), self.periods.get(row.period.pk)
        if plan is None or period is None:
            raise ValidationError(_("The entry or the period does not exist."))
        if plan.nature not in REPORTING_NATURES or period.end.year != plan.year:
            raise ValidationError(_("This project does not report for this period."))
        if self.cycles[plan.pk] != period.cycle:
            raise ValidationError(_("This project does not report for this period."))
        if (plan.pk, period.pk) in self.taken:
            raise ValidationError(_("A report for this period is there already."))
        if row.investment is None or Decimal(row.investment) < 0:
            raise ValidationError(_("The investment this period cannot be negative."))
        bond_error = validation.bond_funds_spent_error(plan, row.bond_funds_spent)
        if bond_error:
            raise ValidationError(bond_error)
        if row.workers_on_site is not None and row.workers_on_site < 0:
            raise ValidationError(_("The workers on site cannot be negative."))
        unknown = set(row.milestones) - set(MILESTONES)
        if unknown:
            raise TypeError(f"unknown milestones: {sorted(unknown)}")
        return self.projects[plan.project_id]


def build_reports(rows: Iterable[PastReport]) -> list[Report]:
    """The reports the rows make, checked, unsaved; a ValidationError naming the first row
    refused (counted from 1) and why."""
    rows = list(rows)
    checker = _Checker(rows)
    reports: list[Report] = []
    groups: dict[tuple[int, int], list[Report]] = defaultdict(list)
    for number, row in enumerate(rows, start=1):
        try:
            project = checker.check(row)
            status = checker.status(row, project)
            group = groups[(row.plan.pk, row.period.pk)]
            if group and group[-1].status != ReportStatus.APPROVED:
                raise ValidationError(_("Only an approved report is amended."))
        except ValidationError as refusal:
            raise ValidationError(
                _("Row %(number)d: %(reason)s")
                % {"number": number, "reason": " ".join(refusal.messages)}
            ) from None
        approved = status == ReportStatus.APPROVED
        report = Report(
            plan_id=row.plan.pk,
            project=project,
            period=checker.periods[row.period.pk],
            amendment=len(group),
            status=status,
            investment=row.investment,
            bond_funds_spent=row.bond_funds_spent,
            physical_progress=row.physical_progress,
            workers_on_site=row.workers_on_site,
            next_plan=row.next_plan,
            new_problems=row.new_problems,
            submitted_at=row.submitted_at,
            submitted_by=row.submitted_by if row.submitted_at else None,
            district_approved_at=row.district_approved_at,
            district_approved_by=row.district_approved_by if row.district_approved_at else None,
            approved_at=row.approved_at if approved else None,
            approved_by=row.approved_by if approved else None,
            returned_at=row.returned_at,
            return_reason=row.return_reason[:500],
            **row.milestones,
        )
        if approved:
            # The latest approved amendment is the one that counts, as approving makes it.
            for earlier in group:
                earlier.is_current = False
            report.is_current = True
        group.append(report)
        reports.append(report)
    return reports


def write_reports(actor: Actor | None, reports: list[Report]) -> None:
    """Insert the built reports and one audit event for each (in the caller's transaction),
    through `core.bulk` as a ledger import inserts its rows."""
    bulk.insert(Report, reports)
    with audit.in_site_language():
        labels = {status: str(label) for status, label in ReportStatus.choices}
        events = [
            audit.build_event(
                actor=actor,
                action=AuditAction.CREATE,
                instance=report,
                parent=report.project,
                changes={"status": ["", labels[report.status]]},
            )
            for report in reports
        ]
    audit.record_many(events)
