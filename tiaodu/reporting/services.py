"""The only writers of dispatch rounds. Each call checks who may, writes atomically, audits.

Periods are opened by `open_periods`; a reporter opens a draft for a due period, fills it,
adds photos and videos, and submits; reviewers approve (district, then city) or return;
an approved report is amended by a new draft. Approving refreshes the entry's snapshot and
the project's milestones.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tiaodu.accounts.models import OrgUnit, User
from tiaodu.core import audit, clock
from tiaodu.core.media.checks import inspect_upload
from tiaodu.core.media.choices import FileKind
from tiaodu.core.media.phash import NEAR, hamming
from tiaodu.core.media.store import store
from tiaodu.core.models import AuditAction
from tiaodu.core.scoping import Actor
from tiaodu.core.workflow import TransitionRefused
from tiaodu.projects.choices import AnnualPlanLevel
from tiaodu.projects.models import AnnualPlan, KeyProjectList, Project
from tiaodu.reporting import history, notifications, refresh, selectors, validation, workflow
from tiaodu.reporting.choices import Cycle, ReportAction, ReportStatus
from tiaodu.reporting.models import CycleRule, LockException, Period, Report, ReportFile
from tiaodu.reporting.periods import span_containing, spans_to_open
from tiaodu.reporting.permissions import may_grant_lock_exception, may_set_cycles, relations

CONTENT_FIELDS = frozenset(
    {
        "investment",
        "bond_funds_spent",
        "physical_progress",
        "actual_start",
        "actual_completion",
        "actual_production",
        "statistics_inclusion",
        "workers_on_site",
        "next_plan",
        "new_problems",
    }
)


def default_cycle() -> str:
    return getattr(settings, "TIAODU_DEFAULT_CYCLE", Cycle.MONTHLY)


def _deny(message: str) -> PermissionDenied:
    return PermissionDenied(message)


# ----------------------------------------------------------------------------- cycles


@transaction.atomic
def set_cycle_rule(
    *,
    actor: Actor,
    cycle: str,
    key_project_list: KeyProjectList | None = None,
    level: str = "",
) -> CycleRule | None:
    """Choose the cycle of a list or of a level (a dispatcher of the top region); an empty
    cycle removes the rule, so that the list or level reports on the default cycle."""
    if not may_set_cycles(actor):
        raise _deny(_("Only a dispatcher of the whole site chooses reporting cycles."))
    if cycle and cycle not in Cycle.values:
        raise ValidationError({"cycle": _("Choose one of the cycles.")})
    if (key_project_list is None) == (not level):
        raise ValidationError(_("Name either a list or a level, not both."))
    if level and level not in AnnualPlanLevel.values:
        raise ValidationError({"level": _("Choose one of the levels.")})
    rule = CycleRule.objects.filter(key_project_list=key_project_list, level=level).first()
    before = audit.snapshot(rule) if rule else {}
    if not cycle:
        if rule is not None:
            audit.record(
                actor=actor,
                action=AuditAction.DELETE,
                instance=rule,
                changes=audit.diff(before, {}),
            )
            rule.delete()
        return None
    if rule is None:
        rule = CycleRule(key_project_list=key_project_list, level=level)
    rule.cycle = cycle
    rule.save()
    changes = audit.diff(before, audit.snapshot(rule))
    if changes:
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE if before else AuditAction.CREATE,
            instance=rule,
            changes=changes,
        )
    return rule


@dataclass(frozen=True)
class CycleChange:
    """One rule to set: the cycle of a list or of a level (empty: back to the default)."""

    cycle: str
    key_project_list: KeyProjectList | None = None
    level: str = ""


@transaction.atomic
def set_cycle_rules(*, actor: Actor, changes: Iterable[CycleChange]) -> int:
    """Set several cycle rules at once, all or none: a refusal of any leaves every rule as
    it was. Returns how many were set."""
    count = 0
    for change in changes:
        set_cycle_rule(
            actor=actor,
            cycle=change.cycle,
            key_project_list=change.key_project_list,
            level=change.level,
        )
        count += 1
    return count


# ---------------------------------------------------------------------------- periods


@transaction.atomic
def open_periods(*, today: dt.date, since: dt.date | None = None) -> list[Period]:
    """Open every period of the cycles in use whose start is on or before `today`, from
    `since` (default: 1 January of today's year). Safe to run twice: opens each once."""
    since = since or dt.date(today.year, 1, 1)
    cycles = set(CycleRule.objects.values_list("cycle", flat=True)) | {default_cycle()}
    opened: list[Period] = []
    for cycle in sorted(cycles):
        existing = set(
            Period.objects.filter(cycle=cycle, start__gte=since).values_list("start", flat=True)
        )
        for span in spans_to_open(Cycle(cycle), today, since=since):
            if span.start in existing:
                continue
            period, created = Period.objects.get_or_create(
                cycle=cycle,
                start=span.start,
                defaults={"end": span.end, "due_date": span.due_date, "lock_date": span.lock_date},
            )
            if created:
                opened.append(period)
    if opened:
        audit.record(
            actor=None,
            action=AuditAction.CREATE,
            object_label=_("%(count)d reporting periods") % {"count": len(opened)},
            changes={"periods": ["", "；".join(p.label for p in opened)]},
        )
    return opened


def period_for(cycle: str, day: dt.date) -> Period | None:
    span = span_containing(cycle, day)
    return Period.objects.filter(cycle=cycle, start=span.start).first()


def is_locked(period: Period, project: Project, today: dt.date) -> bool:
    """Past the lock date, unless a dispatcher granted the owner unit an exception."""
    if today <= period.lock_date:
        return False
    return not LockException.objects.filter(
        period=period, owner_unit_id=project.owner_unit_id, until__gte=today
    ).exists()


@transaction.atomic
def grant_lock_exception(
    *, actor: User, period: Period, owner_unit: OrgUnit, until: dt.date, reason: str
) -> LockException:
    """Let one owner unit report for a locked period until a date (a dispatcher over it)."""
    if not may_grant_lock_exception(actor, owner_unit):
        raise _deny(_("Only a dispatcher over this unit can grant it an exception."))
    if until < clock.today():
        raise ValidationError({"until": _("The exception must last until today or later.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the unit may report late.")})
    exception, created = LockException.objects.update_or_create(
        period=period,
        owner_unit=owner_unit,
        defaults={"until": until, "reason": reason.strip(), "granted_by": actor},
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        instance=exception,
        changes={"until": ["", until.isoformat()], "reason": ["", reason.strip()]},
    )
    return exception


# ---------------------------------------------------------------------------- drafts


def _require(actor: Actor, report: Report, action: str) -> frozenset[str]:
    """The actor's relations to the report's project, if the table lets them take the
    action on the report now; a refusal otherwise."""
    mine = relations(actor, report.project)
    try:
        workflow.REPORTS.check(mine, report.status, action)
    except TransitionRefused:
        raise _deny(_("This report cannot be changed that way now.")) from None
    return mine


def open_draft(
    *, actor: Actor, plan: AnnualPlan, period: Period, today: dt.date | None = None
) -> Report:
    """The report of the entry for the period: the existing one, or a new draft. Only a due
    pair opens a new draft (the period open on `today`, default today, and the entry
    reporting in it; otherwise a ValidationError); asking again returns the same report.
    Two requests at once leave one report."""
    return open_or_find_draft(actor=actor, plan=plan, period=period, today=today)[0]


def open_or_find_draft(
    *, actor: Actor, plan: AnnualPlan, period: Period, today: dt.date | None = None
) -> tuple[Report, bool]:
    """`open_draft`, and whether this call created the report: of several requests at once,
    only the one whose insert won says True; the others found it."""
    project = plan.project
    if workflow.REPORTER not in relations(actor, project):
        raise _deny(_("Only the owner unit's reporter or the service officer reports."))
    existing = Report.objects.filter(project=project, period=period).order_by("-amendment")
    found = existing.first()
    if found is not None:
        return found, False
    if not selectors.is_due(plan, period, today or clock.today()):
        raise ValidationError(_("This project does not report for this period now."))
    try:
        with transaction.atomic():
            report = Report.objects.create(plan=plan, project=project, period=period)
            audit.record(
                actor=actor, action=AuditAction.CREATE, instance=report, parent=project, changes={}
            )
            return report, True
    except IntegrityError:
        found = existing.first()
        assert found is not None
        return found, False


@transaction.atomic
def update_draft(*, actor: Actor, report: Report, **fields: Any) -> Report:
    """Change a draft's (or a returned report's) contents."""
    unknown = set(fields) - CONTENT_FIELDS
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status not in workflow.EDITABLE or workflow.REPORTER not in relations(
        actor, report.project
    ):
        raise _deny(_("Only a draft or a returned report can be changed."))
    investment = fields.get("investment")
    if investment is not None and Decimal(investment) < 0:
        raise ValidationError({"investment": _("The investment this period cannot be negative.")})
    if "bond_funds_spent" in fields:
        spent = fields["bond_funds_spent"]
        error = validation.bond_funds_spent_error(
            report.plan, None if spent is None else Decimal(spent)
        )
        if error:
            raise ValidationError({"bond_funds_spent": error})
    before = audit.snapshot(report, sorted(CONTENT_FIELDS))
    for name, value in fields.items():
        setattr(report, name, value)
    report.full_clean(exclude=["plan", "project", "period"])
    bounds = validation.out_of_bounds(report, fields)
    if bounds:
        raise ValidationError(bounds)
    report.save()
    changes = audit.diff(before, audit.snapshot(report, sorted(CONTENT_FIELDS)))
    if changes:
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=report,
            parent=report.project,
            changes=changes,
        )
    return report


def add_file(*, actor: User, report: Report, upload: IO[bytes], name: str) -> ReportFile:
    """Accept a photo or video by its content and attach it to a draft; a refused file
    raises `UploadRefused` (its message says why) and nothing is stored."""
    if report.status not in workflow.EDITABLE or workflow.REPORTER not in relations(
        actor, report.project
    ):
        raise _deny(_("Photos and videos are added to a draft or a returned report."))
    accepted = inspect_upload(upload, name=name)
    with transaction.atomic():
        item = ReportFile(
            report=report, kind=accepted.kind, phash=accepted.phash or "", uploaded_by=actor
        )
        stem = f"{report.project_id}-{report.period_id}-{accepted.sha256[:12]}"
        store(item, accepted, stem=stem, original_name=name)
        if accepted.kind == FileKind.PHOTO and accepted.phash:
            item.looks_like = _looking_alike(report, accepted.phash, NEAR)
        item.save()
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=item,
            parent=report.project,
            changes={"file": ["", item.original_name]},
        )
    return item


def _looking_alike(report: Report, phash: str, near: int) -> ReportFile | None:
    """The closest photo of another project, or of an earlier period, within `near` bits."""
    candidates = (
        ReportFile.objects.filter(kind=FileKind.PHOTO)
        .exclude(phash="")
        .exclude(report__project_id=report.project_id, report__period_id=report.period_id)
        .values_list("pk", "phash")
    )
    best: tuple[int, int] | None = None
    for pk, other in candidates.iterator(chunk_size=5000):
        distance = hamming(phash, other)
        if distance <= near and (best is None or distance < best[0]):
            best = (distance, pk)
    return ReportFile.objects.get(pk=best[1]) if best else None


@transaction.atomic
def remove_file(*, actor: Actor, item: ReportFile) -> None:
    report = item.report
    if report.status not in workflow.EDITABLE or workflow.REPORTER not in relations(
        actor, report.project
    ):
        raise _deny(_("Photos and videos are removed from a draft or a returned report."))
    audit.record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=item,
        parent=report.project,
        changes={"file": [item.original_name, ""]},
    )
    item.delete()


# ---------------------------------------------------------------------------- workflow


def submit_report(*, actor: User, report: Report, today: dt.date | None = None) -> Report:
    """Submit (idempotent: a report already submitted stays as it is). Blocking warnings
    and a locked period refuse it with a message; nothing changes then."""
    today = today or clock.today()
    with transaction.atomic():
        report = (
            Report.objects.select_for_update().select_related("project", "period").get(pk=report.pk)
        )
        if workflow.REPORTER not in relations(actor, report.project):
            raise _deny(_("Only the owner unit's reporter or the service officer reports."))
        if report.status in (ReportStatus.SUBMITTED, ReportStatus.DISTRICT_APPROVED):
            return report
        mine = _require(actor, report, ReportAction.SUBMIT)
        if is_locked(report.period, report.project, today):
            raise ValidationError(
                _(
                    "The period %(period)s was locked on %(date)s. Ask the dispatcher for an "
                    "exception to report late."
                )
                % {"period": report.period.label, "date": report.period.lock_date.isoformat()}
            )
        if report.investment is None:
            raise ValidationError(
                {"investment": _("Enter the investment this period (0 if none).")}
            )
        warnings = validation.check(report)
        blocking = [w.message for w in warnings if w.blocking]
        if blocking:
            raise ValidationError(blocking)
        report.warnings = [w.as_dict() for w in warnings]
        # A returned report is resubmitted: the audit says so, as it says a draft's first.
        before = str(report.get_status_display())
        workflow.REPORTS.apply(report, ReportAction.SUBMIT, mine)
        report.submitted_at = clock.now()
        report.submitted_by = actor
        report.return_reason = ""
        report.save()
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=report,
            parent=report.project,
            changes={"status": [before, str(report.get_status_display())]},
        )
    return report


def review_action(actor: Actor, report: Report) -> str | None:
    """The approving action this actor takes on the report now (district or city), if any."""
    return _review_action(relations(actor, report.project), report.status)


def _review_action(mine: frozenset[str], status: str) -> str | None:
    actions = workflow.REPORTS.actions_for(mine, status)
    for action in (ReportAction.APPROVE, ReportAction.APPROVE_DISTRICT):
        if action in actions:
            return action
    return None


@transaction.atomic
def approve_report(*, actor: User, report: Report) -> Report:
    """Approve at the actor's level: a district reviewer passes it to the city; the city
    approves it, which makes it the report that counts and refreshes the snapshot."""
    report = (
        Report.objects.select_for_update()
        .select_related("project", "period", "plan")
        .get(pk=report.pk)
    )
    mine = relations(actor, report.project)
    action = _review_action(mine, report.status)
    if action is None:
        raise _deny(_("This report is not waiting for your approval."))
    before = str(report.get_status_display())
    now = clock.now()
    workflow.REPORTS.apply(report, action, mine)
    if action == ReportAction.APPROVE_DISTRICT:
        report.district_approved_at, report.district_approved_by = now, actor
        report.save()
    else:
        report.approved_at, report.approved_by = now, actor
        Report.objects.filter(
            project_id=report.project_id, period_id=report.period_id, is_current=True
        ).exclude(pk=report.pk).update(is_current=False)
        report.is_current = True
        report.save()
        _refresh(actor, report)
        notifications.on_approved(report=report, actor=actor)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=report,
        parent=report.project,
        changes={"status": [before, str(report.get_status_display())]},
    )
    return report


@dataclass(frozen=True)
class BulkApproval:
    """What a bulk approval did: the reports approved, those refused because their checks
    at submit flagged something (each must be reviewed on its own page), and those not
    waiting for the actor's approval. Nothing is written for the refused ones."""

    approved: list[Report]
    flagged: list[Report]
    not_waiting: list[Report]


def bulk_approve(*, actor: User, reports: list[Report]) -> BulkApproval:
    """Approve each report the actor may approve now and whose checks flagged nothing; each
    approval is `approve_report` (its own transaction and audit event)."""
    approved: list[Report] = []
    flagged: list[Report] = []
    not_waiting: list[Report] = []
    for report in reports:
        if review_action(actor, report) is None:
            not_waiting.append(report)
        elif report.warnings:
            flagged.append(report)
        else:
            try:
                approved.append(approve_report(actor=actor, report=report))
            except PermissionDenied:  # decided by someone else since the page was read
                not_waiting.append(report)
    return BulkApproval(approved=approved, flagged=flagged, not_waiting=not_waiting)


@transaction.atomic
def return_report(*, actor: Actor, report: Report, reason: str) -> Report:
    report = Report.objects.select_for_update().select_related("project").get(pk=report.pk)
    mine = _require(actor, report, ReportAction.RETURN)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say what the reporter must correct.")})
    before = str(report.get_status_display())
    workflow.REPORTS.apply(report, ReportAction.RETURN, mine)
    report.returned_at = clock.now()
    report.return_reason = reason[:500]
    report.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=report,
        parent=report.project,
        changes={"status": [before, str(report.get_status_display())], "reason": ["", reason]},
    )
    notifications.on_returned(report=report, actor=actor)
    return report


@transaction.atomic
def amend_report(*, actor: Actor, report: Report) -> Report:
    """A new draft correcting an approved report; the approved one stays as it was and
    counts until the amendment is approved. An open amendment is returned, not doubled."""
    report = Report.objects.select_for_update().select_related("project").get(pk=report.pk)
    _require(actor, report, ReportAction.AMEND)
    latest = (
        Report.objects.filter(project_id=report.project_id, period_id=report.period_id)
        .order_by("-amendment")
        .first()
    )
    assert latest is not None
    if latest.status != ReportStatus.APPROVED:
        return latest
    amendment = Report.objects.create(
        plan_id=report.plan_id,
        project_id=report.project_id,
        period_id=report.period_id,
        amendment=latest.amendment + 1,
        **{name: getattr(latest, name) for name in CONTENT_FIELDS},
    )
    for item in latest.files.all():
        item.pk = None
        item.report = amendment
        item._state.adding = True
        item.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=amendment,
        parent=report.project,
        changes={"amendment": ["", str(amendment.amendment)]},
    )
    return amendment


# ---------------------------------------------------------------------------- history


@transaction.atomic
def record_past_reports(
    *, actor: Actor | None, entries: Iterable[history.PastReport]
) -> list[Report]:
    """Record reports of past periods at once (a site's history brought onto the platform),
    checked as the services check them one by one, each with its audit event, all or none:
    a refused row raises a ValidationError naming it and nothing is written. Approved ones
    refresh their entries and projects as approving does. Returns the reports written."""
    reports = history.build_reports(entries)
    history.write_reports(actor, reports)
    refresh.refresh_after_approval(
        actor, [report for report in reports if report.status == ReportStatus.APPROVED]
    )
    return reports


# ---------------------------------------------------------------------------- snapshot


def _refresh(actor: Actor, report: Report) -> None:
    """The entry's snapshot from its counting reports, and the project's milestones from
    the approved report (a date is set when the project has none yet)."""
    refresh.refresh_after_approval(actor, [report])
