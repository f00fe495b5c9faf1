"""The only writers of meetings. Each call checks who may, writes atomically and audits;
a refusal (PermissionDenied or ValidationError, translated) changes nothing.

A dispatcher convenes consultations and joint meetings for its region, a department
handler consultations for its department. The convener puts open problems it can see on
the agenda and records a decision on each; a decision is carried out on the problem by
the problem ledger's own services with the convener as actor, so the problem workflow
(tiaodu.problems.workflow) decides whether the convener may take that step: if not, the
decision is refused and nothing is written. Each decision leaves a comment on its
problem that cites the meeting.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tiaodu.accounts.choices import REGION_KINDS
from tiaodu.accounts.models import OrgUnit, Person, User
from tiaodu.core import audit, clock
from tiaodu.core.scoping import Actor
from tiaodu.core.workflow import TransitionRefused
from tiaodu.problems import services as problem_services
from tiaodu.problems import workflow as problem_workflow
from tiaodu.problems.choices import LEVEL_ORDER, OPEN_STATUSES, ProblemAction, ProblemStatus
from tiaodu.problems.models import Problem
from tiaodu.problems.permissions import relations
from tiaodu.problems.selectors import problems_visible_to
from tiaodu.projects.models import Project
from tiaodu.projects.selectors import projects_visible_to
from tiaodu.supervision.meetings.choices import DecisionOutcome, MeetingKind
from tiaodu.supervision.meetings.models import Meeting, MeetingAttendee, MeetingDecision
from tiaodu.supervision.meetings.permissions import convening_units, is_convener

TITLE_MAX = 200
# The step of the problem workflow each outcome takes (keeping watch takes none).
OUTCOME_ACTIONS: dict[str, str | None] = {
    DecisionOutcome.ASSIGN: ProblemAction.ASSIGN,
    DecisionOutcome.RESOLVE: ProblemAction.RESOLVE,
    DecisionOutcome.ESCALATE: ProblemAction.ESCALATE,
    DecisionOutcome.WATCH: None,
}


def _require_convener(actor: Actor, meeting: Meeting) -> None:
    if not is_convener(actor, meeting):
        raise PermissionDenied(_("Only the person who convened the meeting changes it."))


def _clean_fields(
    *, actor: Actor, kind: str, title: str, convening_unit: OrgUnit, chair: Person | None,
    chair_name: str,
) -> tuple[str, str]:  # fmt: skip
    if convening_unit.pk not in {unit.pk for unit in convening_units(actor)}:
        raise PermissionDenied(
            _("Dispatchers convene meetings for their region, handlers for their department.")
        )
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": _("Choose a consultation or a joint meeting.")})
    if kind == MeetingKind.JOINT_MEETING and convening_unit.kind not in REGION_KINDS:
        raise ValidationError(
            {"kind": _("A joint meeting is convened by a dispatcher for a region.")}
        )
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the meeting a title.")})
    if len(title) > TITLE_MAX:
        raise ValidationError(
            {"title": _("Keep the title to %(count)s characters.") % {"count": TITLE_MAX}}
        )
    chair_name = (chair_name or "").strip()
    if chair is not None and chair_name:
        raise ValidationError(
            {"chair_name": _("Choose the chair from the list or type the name, not both.")}
        )
    return title, chair_name


def _position_of(user: Any) -> str:
    person = Person.objects.filter(user=user).only("title").first()
    return person.title if person is not None else ""


def _set_attendees(
    meeting: Meeting, users: Iterable[Any], lines: Sequence[tuple[str, ...]]
) -> None:
    """Replace the attendees: the accounts first (with the position of their person
    record), then the typed lines (unit, name and, when given, position)."""
    meeting.attendees.all().delete()
    rows = [
        MeetingAttendee(
            meeting=meeting,
            user=user,
            unit=user.org_unit.name if user.org_unit else "",
            name=str(user),
            title=_position_of(user),
        )
        for user in users
    ]
    for unit, name, *title in lines:
        if name.strip():
            rows.append(
                MeetingAttendee(
                    meeting=meeting,
                    unit=unit.strip(),
                    name=name.strip(),
                    title=(title[0] if title else "").strip(),
                )
            )
    for position, row in enumerate(rows, start=1):
        row.position = position
    MeetingAttendee.objects.bulk_create(rows)


@transaction.atomic
def create_meeting(
    *,
    actor: User,
    kind: str,
    title: str,
    date: dt.date,
    convening_unit: OrgUnit,
    place: str = "",
    chair: Person | None = None,
    chair_name: str = "",
    attendee_users: Iterable[Any] = (),
    attendee_lines: Sequence[tuple[str, ...]] = (),
    minutes: str = "",
) -> Meeting:
    """Record a meeting convened by the actor for one of its regions or departments."""
    title, chair_name = _clean_fields(
        actor=actor, kind=kind, title=title, convening_unit=convening_unit, chair=chair,
        chair_name=chair_name,
    )  # fmt: skip
    meeting = Meeting.objects.create(
        kind=kind,
        title=title,
        date=date,
        place=(place or "").strip(),
        convened_by=actor,
        convening_unit=convening_unit,
        chair=chair,
        chair_name=chair_name,
        minutes=(minutes or "").strip(),
    )
    _set_attendees(meeting, attendee_users, attendee_lines)
    audit.record_create(actor=actor, instance=meeting)
    return meeting


@transaction.atomic
def update_meeting(
    *,
    actor: Actor,
    meeting: Meeting,
    kind: str,
    title: str,
    date: dt.date,
    convening_unit: OrgUnit,
    place: str = "",
    chair: Person | None = None,
    chair_name: str = "",
    attendee_users: Iterable[Any] = (),
    attendee_lines: Sequence[tuple[str, ...]] = (),
    minutes: str = "",
) -> Meeting:
    """Change what the convener wrote (the minutes, say, after the meeting)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_convener(actor, meeting)
    title, chair_name = _clean_fields(
        actor=actor, kind=kind, title=title, convening_unit=convening_unit, chair=chair,
        chair_name=chair_name,
    )  # fmt: skip
    before = audit.snapshot(meeting)
    meeting.kind, meeting.title, meeting.date = kind, title, date
    meeting.place, meeting.convening_unit = (place or "").strip(), convening_unit
    meeting.chair, meeting.chair_name = chair, chair_name
    meeting.minutes = (minutes or "").strip()
    meeting.save()
    _set_attendees(meeting, attendee_users, attendee_lines)
    audit.record_update(actor=actor, instance=meeting, before=before)
    return meeting


# ----------------------------------------------------------------------------- the agenda


@transaction.atomic
def add_agenda_problem(*, actor: Actor, meeting: Meeting, problem: Problem) -> Meeting:
    """Put an open problem the convener can see on the agenda."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_convener(actor, meeting)
    if not problems_visible_to(actor).filter(pk=problem.pk).exists():
        raise PermissionDenied(_("You may put only problems you can see on the agenda."))
    if problem.status not in OPEN_STATUSES:
        raise ValidationError(
            _("“%(title)s” is %(status)s: only open problems go on the agenda.")
            % {"title": problem.title, "status": problem.get_status_display()}
        )
    if meeting.agenda.filter(pk=problem.pk).exists():
        raise ValidationError(_("“%(title)s” is on the agenda already.") % {"title": problem.title})
    before = audit.snapshot(meeting, ["agenda"])
    meeting.agenda.add(problem)
    audit.record_update(actor=actor, instance=meeting, before=before)
    return meeting


@transaction.atomic
def remove_agenda_problem(*, actor: Actor, meeting: Meeting, problem: Problem) -> Meeting:
    """Take a problem off the agenda, as long as nothing has been decided on it."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_convener(actor, meeting)
    if not meeting.agenda.filter(pk=problem.pk).exists():
        raise ValidationError(_("The problem is not on the agenda."))
    if meeting.decisions.filter(problem=problem).exists():
        raise ValidationError(
            _("The meeting has decided on “%(title)s”: it stays on the agenda.")
            % {"title": problem.title}
        )
    before = audit.snapshot(meeting, ["agenda"])
    meeting.agenda.remove(problem)
    audit.record_update(actor=actor, instance=meeting, before=before)
    return meeting


# ----------------------------------------------------------------------------- decisions

WHO = {
    problem_workflow.DISPATCHER: lambda: _("the dispatcher of the project's region"),
    problem_workflow.HANDLER: lambda: _("a handler of the assigned department"),
    problem_workflow.OWNER: lambda: _("the project's owner unit"),
}


def refusal(actor: Actor, problem: Problem, outcome: str) -> str | None:
    """Why the actor may not decide this outcome on the problem now, or None if it may."""
    label = DecisionOutcome(outcome).label
    if problem.status == ProblemStatus.CLOSED or (
        problem.status not in OPEN_STATUSES and outcome != DecisionOutcome.WATCH
    ):
        return _("The problem is %(status)s: the meeting can no longer change it.") % {
            "status": problem.get_status_display()
        }
    action = OUTCOME_ACTIONS[outcome]
    if action is None:
        return None
    try:
        problem_workflow.PROBLEMS.check(relations(actor, problem), problem.status, action)
    except TransitionRefused as refused:
        if refused.step is None:
            return _(
                "“%(outcome)s” is not possible while the problem is %(status)s: the problem "
                "ledger has no such step from there."
            ) % {"outcome": label, "status": problem.get_status_display()}
        who = "、".join(str(WHO[relation]()) for relation in sorted(refused.step.who))
        return _(
            "“%(outcome)s” is not yours to record: the problem ledger leaves this step to %(who)s."
        ) % {"outcome": label, "who": who}
    if action == ProblemAction.ESCALATE and problem.level == LEVEL_ORDER[-1]:
        return _("The problem is already before the joint meeting, the highest level.")
    return None


def outcomes_open_to(actor: Actor, problem: Problem) -> list[str]:
    """The outcomes the actor may decide on the problem now (the choices a form offers)."""
    return [
        outcome for outcome in DecisionOutcome.values if refusal(actor, problem, outcome) is None
    ]


def _comment(meeting: Meeting, decision: MeetingDecision, problem: Problem) -> str:
    """The remark left on the problem, in the site's language, citing the meeting."""
    with audit.in_site_language():
        lines = [
            _("%(kind)s “%(title)s” of %(date)s decided: %(outcome)s.")
            % {
                "kind": meeting.get_kind_display(),
                "title": meeting.title,
                "date": meeting.date.isoformat(),
                "outcome": decision.get_outcome_display(),
            },
            decision.text,
        ]
        if decision.outcome == DecisionOutcome.ASSIGN:
            lines.append(
                _("Assigned to %(department)s%(handler)s, to be resolved by %(deadline)s.")
                % {
                    "department": problem.assigned_department,
                    "handler": f"（{problem.handler}）" if problem.handler else "",
                    "deadline": problem.deadline.isoformat() if problem.deadline else "—",
                }
            )
        elif decision.outcome == DecisionOutcome.ESCALATE:
            lines.append(_("Now at: %(level)s.") % {"level": problem.get_level_display()})
    return "\n".join(lines)


@transaction.atomic
def record_decision(
    *,
    actor: User,
    meeting: Meeting,
    problem: Problem,
    outcome: str,
    text: str,
    department: OrgUnit | None = None,
    handler: Any = None,
    deadline: dt.date | None = None,
    resolution: str = "",
) -> MeetingDecision:
    """Record the meeting's decision on an agenda problem and carry it out on the problem
    (assign, resolve or escalate it, with the convener as actor), with a comment citing
    the meeting; when the problem workflow does not allow the step, refuse and write nothing."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_convener(actor, meeting)
    if not meeting.agenda.filter(pk=problem.pk).exists():
        raise ValidationError(_("The problem is not on the agenda."))
    if meeting.decisions.filter(problem=problem).exists():
        raise ValidationError(_("The meeting's decision on this problem is recorded already."))
    if outcome not in DecisionOutcome.values:
        raise ValidationError({"outcome": _("Choose what the meeting decided.")})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what the meeting decided.")})
    problem = Problem.objects.select_related("assigned_department", "project__region").get(
        pk=problem.pk
    )
    reason = refusal(actor, problem, outcome)
    if reason is not None:
        raise ValidationError({"outcome": reason})
    if outcome == DecisionOutcome.ASSIGN and department is None:
        raise ValidationError({"department": _("Name the department that takes the problem.")})
    if outcome == DecisionOutcome.RESOLVE and not (resolution or "").strip():
        raise ValidationError({"resolution": _("Say how the problem was resolved.")})
    try:
        problem = _carry_out(
            actor=actor, problem=problem, outcome=outcome, department=department,
            handler=handler, deadline=deadline, resolution=resolution,
        )  # fmt: skip
        decision = _write_decision(actor, meeting, problem, outcome, text)
        problem_services.comment_problem(
            actor=actor, problem=problem, text=_comment(meeting, decision, problem)
        )
    except PermissionDenied as error:
        # The problem ledger refused under its lock (the problem moved meanwhile, say):
        # shown on the form like the refusals above; the transaction writes nothing.
        raise ValidationError({"outcome": str(error)}) from error
    return decision


def _write_decision(
    actor: User, meeting: Meeting, problem: Problem, outcome: str, text: str
) -> MeetingDecision:
    decision = MeetingDecision.objects.create(
        meeting=meeting,
        problem=problem,
        outcome=outcome,
        text=text,
        department=problem.assigned_department if outcome == DecisionOutcome.ASSIGN else None,
        handler=problem.handler if outcome == DecisionOutcome.ASSIGN else None,
        deadline=problem.deadline if outcome == DecisionOutcome.ASSIGN else None,
        resolution=problem.resolution if outcome == DecisionOutcome.RESOLVE else "",
        level=problem.level if outcome == DecisionOutcome.ESCALATE else "",
        recorded_by=actor,
    )
    audit.record_create(actor=actor, instance=decision, parent=meeting)
    return decision


def _carry_out(
    *,
    actor: User,
    problem: Problem,
    outcome: str,
    department: OrgUnit | None,
    handler: Any,
    deadline: dt.date | None,
    resolution: str,
) -> Problem:
    """The decision's step on the problem, through the problem ledger's services."""
    if outcome == DecisionOutcome.ASSIGN:
        assert department is not None
        return problem_services.assign_problem(
            actor=actor,
            problem=problem,
            department=department,
            handler=handler,
            deadline=deadline,
            today=clock.today(),
        )
    if outcome == DecisionOutcome.RESOLVE:
        return problem_services.resolve_problem(actor=actor, problem=problem, resolution=resolution)
    if outcome == DecisionOutcome.ESCALATE:
        return problem_services.escalate_problem(actor=actor, problem=problem)
    return problem


# ----------------------------------------------------------------------------- roll call

ROLL_CALL_TEXT_MAX = 1000


def roll_call_heading(project: Project) -> str:
    """How a project's line in the minutes begins: 【name（code）】."""
    code = f"（{project.code}）" if project.code else ""
    return f"【{project.name}{code}】"


def roll_call_decisions(meeting: Meeting) -> dict[str, str]:
    """What the minutes say of each project called in turn, by the line's heading."""
    found = {}
    for line in meeting.minutes.splitlines():
        if line.startswith("【") and "】" in line:
            heading, _mark, text = line.partition("】")
            found[heading + "】"] = text.strip()
    return found


@transaction.atomic
def record_roll_call(*, actor: Actor, meeting: Meeting, project: Project, text: str) -> Meeting:
    """Write into the meeting's minutes, on a line of its own, what the meeting decided on a
    project called in turn (a project the convener can see, once per project)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_convener(actor, meeting)
    if not projects_visible_to(actor).filter(pk=project.pk).exists():
        raise PermissionDenied(_("You may record decisions only on projects you can see."))
    # One line per project: the lines of a paragraph are joined.
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError({"text": _("Write what the meeting decided on the project.")})
    if len(text) > ROLL_CALL_TEXT_MAX:
        raise ValidationError(
            {
                "text": _("Keep the decision to %(count)s characters.")
                % {"count": ROLL_CALL_TEXT_MAX}
            }
        )
    heading = roll_call_heading(project)
    if heading in roll_call_decisions(meeting):
        raise ValidationError({"text": _("The minutes record a decision on this project already.")})
    before = audit.snapshot(meeting)
    meeting.minutes = "\n".join(part for part in (meeting.minutes.rstrip(), heading + text) if part)
    meeting.save(update_fields=["minutes", "updated_at"])
    audit.record_update(actor=actor, instance=meeting, before=before)
    return meeting
