"""The supervision ladder of DOMAIN.md §7, proposed by the system and issued by a person.

Monthly, once the month's cards are computed (`propose_for_month`), each project's run of
red months ending with that month (its cards' final colours: an appeal's revision counts)
proposes: one red month → a reminder; two in a row → a supervision order; three or more →
a warning letter, or an interview when a warning letter about the project was already
issued before the month began ("still red"). Daily (`propose_for_day`): a problem overdue by
`OVERDUE_WORKING_DAYS` working days → a supervision order to its department; a reminder left
unanswered past its deadline → a supervision order; an unanswered supervision order → a
warning letter.

A proposal is one (project, kind, month): the same proposal is never made twice in a month,
nor when a notice of that kind about the project was issued that month. A dispatcher whose
region holds the project issues it through the notice form, filled in from the proposal
(`notice_initial`), or dismisses it with a reason. Nothing is issued without a person.
"""

import datetime as dt
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tiaodu.accounts.models import OrgUnit, User
from tiaodu.core import audit, bulk, clock
from tiaodu.core.models import AuditAction
from tiaodu.core.scoping import Actor, Someone, covers, dispatcher_paths
from tiaodu.core.workdays import working_days_between
from tiaodu.problems.choices import OPEN_STATUSES
from tiaodu.problems.models import Problem
from tiaodu.projects.models import Project
from tiaodu.scoring import facts
from tiaodu.scoring.choices import Colour, ProposalStatus
from tiaodu.scoring.models import Card, Proposal
from tiaodu.supervision.notices import services as notice_services
from tiaodu.supervision.notices.choices import NoticeKind, NoticeStatus
from tiaodu.supervision.notices.models import Notice
from tiaodu.supervision.notices.origins import Origin, register_origin

OVERDUE_WORKING_DAYS = 10
# How many months back a run of red cards is followed.
LOOKBACK = 12


def _previous(month: dt.date) -> dt.date:
    return (month - dt.timedelta(days=1)).replace(day=1)


def _month_label(month: dt.date) -> str:
    return _("%(year)d-%(month)02d") % {"year": month.year, "month": month.month}


def _red_runs(month: dt.date) -> dict[int, list[dt.date]]:
    """Each project red in `month`: its red months in a row ending with `month`, oldest first
    (a project is red in a month when one of its entries' cards is, by its final colour)."""
    window = [month]
    for _step in range(LOOKBACK - 1):
        window.insert(0, _previous(window[0]))
    before = dict(zip(window[1:], window[:-1], strict=True))
    red: dict[int, set[dt.date]] = defaultdict(set)
    rows = Card.objects.filter(month__gte=window[0], month__lte=month).values_list(
        "project_id", "month", "colour", "revised_colour"
    )
    for project_id, card_month, colour, revised in rows:
        if (revised or colour) == Colour.RED:
            red[project_id].add(card_month)
    runs: dict[int, list[dt.date]] = {}
    for project_id, months in red.items():
        if month not in months:
            continue
        run = [month]
        while run[0] in before and before[run[0]] in months:
            run.insert(0, before[run[0]])
        runs[project_id] = run
    return runs


def _recipient(project: Project) -> OrgUnit | None:
    return project.responsible_unit or project.owner_unit


def _already(month: dt.date) -> set[tuple[int, str]]:
    """(project, kind) pairs proposed this month, or issued as notices this month."""
    end = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    taken = set(Proposal.objects.filter(month=month).values_list("project_id", "kind"))
    issued = Notice.objects.filter(
        issued_at__gte=clock.aware(month), issued_at__lt=clock.aware(end)
    ).values_list("projects", "kind")
    return taken | {(project_id, kind) for project_id, kind in issued if project_id}


def _warned_before(month: dt.date) -> set[int]:
    """The projects a warning letter was issued about before the month began."""
    return set(
        Notice.objects.filter(
            kind=NoticeKind.WARNING_LETTER, issued_at__lt=clock.aware(month)
        ).values_list("projects", flat=True)
    )


def _create(proposals: list[Proposal], taken: set[tuple[int, str]], proposal: Proposal) -> None:
    key = (proposal.project_id, proposal.kind)
    if key in taken:
        return
    taken.add(key)
    proposals.append(proposal)


def _check(proposals: list[Proposal]) -> None:
    """`full_clean` (the project, recipient and notice aside) on one proposal of each
    distinct set of values it checks: a month's thousands of reminders share a handful of
    reasons and bases, and the rest of a new proposal is its defaults."""
    checked: set[tuple[Any, ...]] = set()
    for proposal in proposals:
        key = (proposal.month, proposal.kind, proposal.reason, repr(proposal.basis))
        if key not in checked:
            checked.add(key)
            proposal.full_clean(exclude=["project", "recipient_unit", "notice"])


def _save(proposals: list[Proposal], names: dict[int, str]) -> list[Proposal]:
    """Check and insert the proposals, with an audit event each (what
    `audit.build_event(instance=proposal, parent=proposal.project)` makes, as values: the
    projects' names are given, so that no project is read for its event)."""
    _check(proposals)
    # `core.bulk`, not bulk_create: a month with thousands of red cards proposes as many.
    bulk.insert(Proposal, proposals)
    with translation.override(settings.LANGUAGE_CODE):
        kinds = {str(value): str(label) for value, label in NoticeKind.choices}
    parent_type = audit.object_type(Project)

    def event(proposal: Proposal) -> dict[str, Any]:
        values = audit.event_values(
            actor=None,
            action=AuditAction.CREATE,
            instance=proposal,
            # `str(proposal)` in the site's language.
            object_label=f"{kinds.get(proposal.kind, proposal.kind)} · {names[proposal.project_id]}",
            changes={"reason": ["", proposal.reason]},
        )
        values["parent_type"], values["parent_id"] = parent_type, str(proposal.project_id)
        return values

    audit.record_values(event(proposal) for proposal in proposals)
    return proposals


def _projects(ids: list[int]) -> dict[int, tuple[str, int | None]]:
    """Each project's name and the unit a proposal about it goes to (`_recipient`); all the
    site's projects read at once when many are asked for (a month with thousands of red
    cards), not a query for each few hundred."""
    projects = Project.objects.order_by()
    if len(ids) <= facts.CHUNK:  # the ids a query names at most
        projects = projects.filter(pk__in=ids)
    wanted = set(ids)
    return {
        pk: (name, responsible or owner)
        for pk, name, responsible, owner in projects.values_list(
            "pk", "name", "responsible_unit_id", "owner_unit_id"
        )
        if pk in wanted
    }


@transaction.atomic
def propose_for_month(month: dt.date) -> list[Proposal]:
    """The month's proposals from its cards (run after computing them); the new ones."""
    month = month.replace(day=1)
    runs = _red_runs(month)
    if not runs:
        return []
    warned = _warned_before(month)
    taken = _already(month)
    projects = _projects(sorted(runs))
    # Made as `Proposal(...)` makes them, without a project instance each (thousands).
    blank = bulk.Blank(Proposal)
    proposals: list[Proposal] = []
    with translation.override(settings.LANGUAGE_CODE):
        labels: dict[dt.date, str] = {}
        for project_id, run in sorted(runs.items()):
            for red in run:
                if red not in labels:
                    labels[red] = _month_label(red)
            months = (
                "、".join(labels[red] for red in run)
                if len(run) < 3
                else _("%(first)s to %(last)s") % {"first": labels[run[0]], "last": labels[run[-1]]}
            )
            if len(run) == 1:
                kind, reason = NoticeKind.REMINDER, _("First red card: %(months)s.")
            elif len(run) == 2:
                kind = NoticeKind.SUPERVISION_ORDER
                reason = _("Red cards two months in a row: %(months)s.")
            elif project_id in warned:
                kind = NoticeKind.INTERVIEW
                reason = _("Still red after a warning letter: red cards in %(months)s.")
            else:
                kind = NoticeKind.WARNING_LETTER
                reason = _("Red cards %(count)d months in a row: %(months)s.")
            _name, recipient = projects[project_id]
            _create(
                proposals,
                taken,
                blank(
                    month=month,
                    kind=kind,
                    project_id=project_id,
                    recipient_unit_id=recipient,
                    reason=reason % {"months": months, "count": len(run)},
                    basis={"red_months": [red.isoformat()[:7] for red in run]},
                ),
            )
    return _save(proposals, {pk: name for pk, (name, _unit) in projects.items()})


@transaction.atomic
def propose_for_day(today: dt.date) -> list[Proposal]:
    """Today's proposals from overdue problems and unanswered notices; the new ones."""
    month = today.replace(day=1)
    taken = _already(month)
    proposals: list[Proposal] = []
    with translation.override(settings.LANGUAGE_CODE):
        problems = (
            Problem.objects.filter(status__in=OPEN_STATUSES, deadline__lt=today)
            .select_related("project", "assigned_department")
            .order_by("deadline", "pk")
        )
        for problem in problems:
            assert problem.deadline is not None
            late = working_days_between(problem.deadline, today)
            if late < OVERDUE_WORKING_DAYS:
                continue
            _create(
                proposals,
                taken,
                Proposal(
                    month=month,
                    kind=NoticeKind.SUPERVISION_ORDER,
                    project=problem.project,
                    recipient_unit=problem.assigned_department or _recipient(problem.project),
                    reason=_(
                        "Problem “%(title)s” is overdue by %(days)d working days "
                        "(deadline %(deadline)s)."
                    )
                    % {"title": problem.title, "days": late, "deadline": problem.deadline},
                    basis={"problem": problem.pk},
                ),
            )
        ladder = {
            NoticeKind.REMINDER: (
                NoticeKind.SUPERVISION_ORDER,
                _("Reminder %(number)s was not answered by %(deadline)s."),
            ),
            NoticeKind.SUPERVISION_ORDER: (
                NoticeKind.WARNING_LETTER,
                _("Supervision order %(number)s was not answered by %(deadline)s."),
            ),
        }
        unanswered = (
            Notice.objects.filter(
                kind__in=list(ladder), status=NoticeStatus.ISSUED, response_deadline__lt=today
            )
            .select_related("recipient_unit")
            .prefetch_related("projects")
            .order_by("response_deadline", "pk")
        )
        for notice in unanswered:
            kind, text = ladder[NoticeKind(notice.kind)]
            for project in notice.projects.all():
                _create(
                    proposals,
                    taken,
                    Proposal(
                        month=month,
                        kind=kind,
                        project=project,
                        recipient_unit=notice.recipient_unit,
                        reason=text
                        % {"number": notice.number_label, "deadline": notice.response_deadline},
                        basis={"notice": notice.pk},
                    ),
                )
    return _save(proposals, {p.project_id: p.project.name for p in proposals})


# ---------------------------------------------------------------------------- deciding


def may_decide(actor: Someone, proposal: Proposal) -> bool:
    """A dispatcher whose region holds the proposal's project."""
    return covers(dispatcher_paths(actor), proposal.project.region.path)


def _require_open(actor: Actor, proposal: Proposal) -> None:
    if not may_decide(actor, proposal):
        raise PermissionDenied(_("Only a dispatcher of the project's region decides on it."))
    if proposal.status != ProposalStatus.OPEN:
        raise ValidationError(_("This proposal was decided already."))


@transaction.atomic
def dismiss_proposal(*, actor: Actor, proposal: Proposal, reason: str) -> Proposal:
    """Decide not to issue the proposed notice, saying why."""
    proposal = (
        Proposal.objects.select_for_update().select_related("project__region").get(pk=proposal.pk)
    )
    _require_open(actor, proposal)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"dismissal_reason": _("Say why the proposal is dismissed.")})
    before = audit.snapshot(proposal)
    proposal.status = ProposalStatus.DISMISSED
    proposal.dismissal_reason = reason[:500]
    proposal.decided_by_id = actor.pk
    proposal.decided_at = clock.now()
    proposal.save()
    audit.record_update(actor=actor, instance=proposal, before=before, parent=proposal.project)
    return proposal


@transaction.atomic
def issue_from_proposal(*, actor: User, proposal: Proposal, **notice_fields: Any) -> Notice:
    """Issue the notice the dispatcher wrote from the proposal (the notice form's fields) and
    record on the proposal which notice it became."""
    proposal = (
        Proposal.objects.select_for_update().select_related("project__region").get(pk=proposal.pk)
    )
    _require_open(actor, proposal)
    notice = notice_services.issue_notice(actor=actor, **notice_fields)
    before = audit.snapshot(proposal)
    proposal.status = ProposalStatus.ISSUED
    proposal.notice = notice
    proposal.decided_by_id = actor.pk
    proposal.decided_at = clock.now()
    proposal.save()
    audit.record_update(actor=actor, instance=proposal, before=before, parent=proposal.project)
    return notice


def notice_initial(proposal: Proposal) -> dict[str, Any]:
    """The notice form filled in from the proposal: kind, recipient, project, leader, subject
    and the facts."""
    project = proposal.project
    leader = project.sponsoring_leader or project.municipal_leader
    return {
        "kind": proposal.kind,
        "recipient_unit": proposal.recipient_unit_id,
        "projects": [project.pk],
        "sponsoring_leader": leader.pk if leader else None,
        "subject": project.name,
        "body": proposal.reason,
    }


def origin(notice: Notice) -> Origin | None:
    """The proposal a notice was issued from, for the notice's page."""
    proposal = Proposal.objects.filter(notice=notice).first()
    if proposal is None:
        return None
    return Origin(
        label=_("Proposed by the supervision ladder"),
        text=f"{proposal.month:%Y-%m} · {proposal.reason}",
        url=reverse("scoring:proposals") + f"?status=issued&month={proposal.month:%Y-%m}",
    )


def register() -> None:
    register_origin("scoring.proposals", origin)
