"""The only writers of the problem ledger. Each call checks who may, writes atomically and
audits; a refusal (PermissionDenied or ValidationError, translated) changes nothing.

A problem is raised on a project (from its page, a progress report, a site visit, or the
owner's direct channel to the city), assigned by a dispatcher to a department and handler
with a deadline in working days, handled, resolved, and closed or sent back by the
dispatcher or the owner. A dispatcher may escalate an open problem a level at a time.
"""

import datetime as dt
import uuid
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.accounts.models import OrgUnit, User
from tiaodu.core import audit, clock
from tiaodu.core.media.store import store
from tiaodu.core.scoping import Actor
from tiaodu.core.workdays import add_working_days
from tiaodu.core.workflow import TransitionRefused
from tiaodu.problems import notifications, workflow
from tiaodu.problems.attachments import inspect_attachment
from tiaodu.problems.choices import (
    LEVEL_ORDER,
    ProblemAction,
    ProblemCategory,
    ProblemLevel,
    ProblemSource,
    ProblemStatus,
)
from tiaodu.problems.models import Problem, ProblemComment
from tiaodu.problems.permissions import (
    handles_department,
    may_raise,
    project_relations,
    relations,
)
from tiaodu.projects.models import Project
from tiaodu.reporting.models import Report

# Working days from assignment to the resolution deadline, per level (DOMAIN.md §7).
DEFAULT_DEADLINE_DAYS: dict[str, int] = {
    ProblemLevel.DISTRICT: 10,
    ProblemLevel.CITY: 15,
    ProblemLevel.JOINT_MEETING: 30,
}
TITLE_MAX = 200


def deadline_days(level: str) -> int:
    """The site's working days for a level: TIAODU_PROBLEM_DEADLINE_DAYS, else the default."""
    overrides: dict[str, int] = getattr(settings, "TIAODU_PROBLEM_DEADLINE_DAYS", {})
    return int(overrides.get(level, DEFAULT_DEADLINE_DAYS[level]))


def default_deadline(level: str, today: dt.date) -> dt.date:
    return add_working_days(today, deadline_days(level))


def _locked(problem: Problem) -> Problem:
    return (
        Problem.objects.select_for_update(of=("self",))
        .select_related("project__region", "project__owner_unit", "assigned_department")
        .get(pk=problem.pk)
    )


def _require(actor: Actor, problem: Problem, action: str) -> None:
    try:
        workflow.PROBLEMS.check(relations(actor, problem), problem.status, action)
    except TransitionRefused as refused:
        if refused.step is None:
            raise PermissionDenied(
                _("“%(action)s” is not a step for a problem that is %(status)s.")
                % {
                    "status": problem.get_status_display(),
                    "action": ProblemAction(action).label,
                }
            ) from None
        raise PermissionDenied(_("You may not take this step on this problem.")) from None


def check_step(*, actor: Actor, problem: Problem, action: str) -> None:
    """Refuse, as the step itself would (PermissionDenied), a step the workflow table does
    not give the actor on the problem as it stands; before its input is read."""
    _require(actor, problem, action)


def _move(*, actor: Actor, problem: Problem, action: str, **fields: Any) -> Problem:
    """Apply a step of the table: set the fields and the new status, save, audit."""
    before = audit.snapshot(problem)
    # The relations as the problem stands, before the step changes its department.
    mine = relations(actor, problem)
    for name, value in fields.items():
        setattr(problem, name, value)
    workflow.PROBLEMS.apply(problem, action, mine)
    problem.save()
    audit.record_update(actor=actor, instance=problem, before=before, parent=problem.project)
    return problem


def _text(value: str, field: str, message: str) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise ValidationError({field: message})
    return cleaned


# ----------------------------------------------------------------------------- raising


@transaction.atomic
def raise_problem(
    *,
    actor: User,
    project: Project,
    category: str,
    title: str,
    description: str = "",
    source: str = ProblemSource.PROJECT_PAGE,
    report: Report | None = None,
) -> Problem:
    """Put a problem of a project on the ledger, at district level (city level for a project
    of the whole city, or by the owner's direct channel); refuse, writing nothing, else."""
    parts = project_relations(actor, project)
    if not may_raise(actor, project):
        raise PermissionDenied(_("You may not raise problems of this project."))
    if source not in ProblemSource.values:
        raise ValidationError({"source": _("Choose one of the sources.")})
    if source == ProblemSource.DIRECT and workflow.OWNER not in parts:
        raise PermissionDenied(_("Only the project's owner unit uses the direct channel."))
    if (source == ProblemSource.REPORT) != (report is not None):
        raise ValidationError({"report": _("A problem from a report names that report.")})
    if report is not None and report.project_id != project.pk:
        raise ValidationError({"report": _("The report is of another project.")})
    if category not in ProblemCategory.values:
        raise ValidationError({"category": _("Choose one of the categories.")})
    title = _text(title, "title", _("Give the problem a title."))
    if len(title) > TITLE_MAX:
        raise ValidationError(
            {"title": _("Keep the title to %(count)s characters.") % {"count": TITLE_MAX}}
        )
    city_wide = project.region.parent_id is None
    level = (
        ProblemLevel.CITY if source == ProblemSource.DIRECT or city_wide else ProblemLevel.DISTRICT
    )
    problem = Problem.objects.create(
        project=project,
        report=report,
        source=source,
        category=category,
        level=level,
        title=title,
        description=(description or "").strip(),
        raised_by=actor,
        raised_at=clock.now(),
        created_at=clock.now(),
    )
    audit.record_create(actor=actor, instance=problem, parent=project)
    return problem


# ----------------------------------------------------------------------------- the loop


@transaction.atomic
def assign_problem(
    *,
    actor: Actor,
    problem: Problem,
    department: OrgUnit,
    handler: Any = None,
    deadline: dt.date | None = None,
    today: dt.date | None = None,
) -> Problem:
    """Give the problem to a department (and one of its handlers) with a deadline: by
    default the level's working days (DOMAIN.md §7) after today. Tells the handler (or the
    department's handlers)."""
    problem = _locked(problem)
    _require(actor, problem, ProblemAction.ASSIGN)
    today = today or clock.today()
    if department.kind != OrgUnitKind.DEPARTMENT or not department.is_active:
        raise ValidationError({"department": _("Assign the problem to an active department.")})
    if handler is not None and not handles_department(handler, department):
        raise ValidationError(
            {
                "handler": _("The handler must be a department handler of %(department)s.")
                % {"department": department.name}
            }
        )
    if deadline is None:
        deadline = default_deadline(problem.level, today)
    elif deadline < today:
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
    problem = _move(
        actor=actor,
        problem=problem,
        action=ProblemAction.ASSIGN,
        assigned_department=department,
        handler=handler,
        deadline=deadline,
        assigned_at=clock.now(),
    )
    notifications.on_assigned(problem=problem, actor=actor)
    return problem


@transaction.atomic
def start_problem(*, actor: Actor, problem: Problem) -> Problem:
    """The department takes the problem in hand; the first handler to start becomes its handler."""
    problem = _locked(problem)
    _require(actor, problem, ProblemAction.START)
    return _move(
        actor=actor,
        problem=problem,
        action=ProblemAction.START,
        handler=problem.handler or actor,
    )


@transaction.atomic
def resolve_problem(*, actor: Actor, problem: Problem, resolution: str) -> Problem:
    """The handler reports the problem solved, saying how; tells the raiser and the
    dispatchers, who confirm it."""
    problem = _locked(problem)
    _require(actor, problem, ProblemAction.RESOLVE)
    resolution = _text(resolution, "resolution", _("Say how the problem was resolved."))
    problem = _move(
        actor=actor,
        problem=problem,
        action=ProblemAction.RESOLVE,
        resolution=resolution,
        resolved_at=clock.now(),
        rejection_reason="",
    )
    notifications.on_resolved(problem=problem, actor=actor)
    return problem


@transaction.atomic
def reject_resolution(*, actor: Actor, problem: Problem, reason: str) -> Problem:
    """The dispatcher or owner finds the problem not solved: back to the handler (who is
    told), with why."""
    problem = _locked(problem)
    _require(actor, problem, ProblemAction.REJECT_RESOLUTION)
    reason = _text(reason, "reason", _("Say why the resolution is not accepted."))
    problem = _move(
        actor=actor,
        problem=problem,
        action=ProblemAction.REJECT_RESOLUTION,
        rejection_reason=reason[:500],
        resolved_at=None,
    )
    notifications.on_rejected(problem=problem, actor=actor)
    return problem


@transaction.atomic
def close_problem(*, actor: Actor, problem: Problem) -> Problem:
    """The dispatcher or owner confirms the resolution: the problem leaves the open ledger."""
    problem = _locked(problem)
    _require(actor, problem, ProblemAction.CLOSE)
    return _move(actor=actor, problem=problem, action=ProblemAction.CLOSE, closed_at=clock.now())


@transaction.atomic
def escalate_problem(*, actor: User, problem: Problem, reason: str = "") -> Problem:
    """Raise an open problem one level (district → city → joint meeting); status unchanged."""
    problem = _locked(problem)
    _require(actor, problem, ProblemAction.ESCALATE)
    position = LEVEL_ORDER.index(problem.level)
    if position + 1 >= len(LEVEL_ORDER):
        raise ValidationError(
            {"level": _("The problem is already before the joint meeting, the highest level.")}
        )
    problem = _move(
        actor=actor,
        problem=problem,
        action=ProblemAction.ESCALATE,
        level=LEVEL_ORDER[position + 1],
        escalations=problem.escalations + 1,
    )
    if reason.strip():
        _add_comment(actor=actor, problem=problem, text=reason.strip())
    return problem


# ----------------------------------------------------------------------------- comments


@transaction.atomic
def comment_problem(
    *,
    actor: User,
    problem: Problem,
    text: str,
    file: IO[bytes] | None = None,
    file_name: str = "",
) -> ProblemComment:
    """Add a remark, and optionally a PDF, image, Word or Excel file, to a problem the actor
    takes part in (dispatcher, handler, owner, raiser); a closed problem takes none."""
    problem = _locked(problem)
    if not relations(actor, problem):
        raise PermissionDenied(_("You may not comment on this problem."))
    if problem.status == ProblemStatus.CLOSED:
        raise PermissionDenied(_("The problem is closed; it takes no more comments."))
    text = _text(text, "text", _("Write the comment."))
    return _add_comment(actor=actor, problem=problem, text=text, file=file, file_name=file_name)


def _add_comment(
    *,
    actor: User,
    problem: Problem,
    text: str,
    file: IO[bytes] | None = None,
    file_name: str = "",
) -> ProblemComment:
    # The file is checked before anything is written, so a refused file leaves nothing.
    accepted = None
    if file is not None:
        accepted = inspect_attachment(file, name=file_name or getattr(file, "name", "") or "")
    comment = ProblemComment(problem=problem, author=actor, text=text, created_at=clock.now())
    if accepted is not None:
        # Stored under a random name: the uploader's name is kept for display only.
        store(comment, accepted, stem=uuid.uuid4().hex, original_name=accepted.original_name)
    comment.save()
    audit.record_create(actor=actor, instance=comment, parent=problem)
    return comment
