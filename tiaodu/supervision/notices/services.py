"""The only writers of supervision notices. Each call checks who may, writes atomically,
audits, and on a refusal changes nothing."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.accounts.models import OrgUnit, Person, User
from tiaodu.core import audit, clock
from tiaodu.core.scoping import Actor
from tiaodu.core.workdays import add_working_days
from tiaodu.core.workflow import TransitionRefused
from tiaodu.projects.models import Project
from tiaodu.projects.selectors import task_force_heads
from tiaodu.supervision.notices import notifications, workflow
from tiaodu.supervision.notices.choices import NoticeAction, NoticeKind, response_days
from tiaodu.supervision.notices.models import Notice, NoticeCounter, NoticeResponse
from tiaodu.supervision.notices.permissions import covers_projects, reach_refusal, relations

RECIPIENT_KINDS = frozenset({OrgUnitKind.DEPARTMENT, OrgUnitKind.OWNER_UNIT})


def next_number(*, kind: str, year: int) -> int:
    """The next number of a kind in a year; call inside the issuing transaction.

    The counter row stays locked until that transaction ends (SELECT … FOR UPDATE on
    PostgreSQL; SQLite's IMMEDIATE transactions admit one writer at a time), so two
    notices never share a number, and a notice that fails takes its number back.
    """
    counter, _created = NoticeCounter.objects.select_for_update().get_or_create(
        kind=kind, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


@transaction.atomic
def issue_notice(
    *,
    actor: User,
    kind: str,
    recipient_unit: OrgUnit,
    projects: Iterable[Project],
    subject: str,
    body: str,
    requirements: str = "",
    response_deadline: dt.date | None = None,
    sponsoring_leader: Person | None = None,
    task_force_head: Person | None = None,
) -> Notice:
    """Issue a numbered notice (by a dispatcher over all its projects' regions, about
    projects within the recipient unit's reach) and tell the recipient unit (and the
    sponsoring leader of a warning letter)."""
    chosen = list(Project.objects.filter(pk__in=[p.pk for p in projects]).select_related("region"))
    if kind not in NoticeKind.values:
        raise ValidationError({"kind": _("Choose one of the kinds of notice.")})
    if not chosen:
        raise ValidationError({"projects": _("Name at least one project.")})
    if not covers_projects(actor, chosen):
        raise PermissionDenied(
            _("Only a dispatcher whose region holds every project of a notice issues it.")
        )
    if recipient_unit.kind not in RECIPIENT_KINDS:
        raise ValidationError(
            {"recipient_unit": _("A notice is addressed to a department or an owner unit.")}
        )
    # The recipient reads the notice's projects on its page and documents: only its own.
    outside = reach_refusal(recipient_unit, chosen)
    if outside is not None:
        raise ValidationError({"projects": outside})
    if kind == NoticeKind.WARNING_LETTER and sponsoring_leader is None:
        raise ValidationError(
            {"sponsoring_leader": _("A warning letter also goes to the sponsoring leader.")}
        )
    if (
        task_force_head is not None
        and not task_force_heads(chosen).filter(pk=task_force_head.pk).exists()
    ):
        raise ValidationError(
            {
                "task_force_head": _(
                    "%(name)s heads no task force of the projects concerned: choose the head "
                    "of one of their task forces, or nobody."
                )
                % {"name": task_force_head.name}
            }
        )
    if not subject.strip() or not body.strip():
        raise ValidationError(_("A notice needs a subject and a body."))
    now = clock.now()
    today = timezone.localdate(now)
    if response_deadline is None:
        response_deadline = add_working_days(today, response_days(kind))
    elif response_deadline <= today:
        raise ValidationError(
            {"response_deadline": _("The response deadline must be after today.")}
        )
    notice = Notice.objects.create(
        kind=kind,
        year=today.year,
        number=next_number(kind=kind, year=today.year),
        issued_by=actor,
        issued_at=now,
        recipient_unit=recipient_unit,
        sponsoring_leader=sponsoring_leader,
        task_force_head=task_force_head,
        subject=subject.strip(),
        body=body.strip(),
        requirements=requirements.strip(),
        response_deadline=response_deadline,
    )
    notice.projects.set(chosen)
    audit.record_create(actor=actor, instance=notice)
    notifications.notice_issued(notice)
    return notice


def _require(actor: Actor, notice: Notice, action: str) -> frozenset[str]:
    """The actor's relations to the notice if the table lets it take the action now, or a
    refusal (nothing written yet)."""
    mine = relations(actor, notice)
    try:
        workflow.NOTICES.check(mine, notice.status, action)
    except TransitionRefused as refused:
        if refused.step is None:
            raise ValidationError(
                _("A notice that is %(status)s cannot be changed that way.")
                % {"status": notice.get_status_display()}
            ) from None
        if action == NoticeAction.RESPOND:
            raise PermissionDenied(_("Only the recipient unit responds to a notice.")) from None
        raise PermissionDenied(
            _("Only a dispatcher over the notice's projects closes it.")
        ) from None
    return mine


@transaction.atomic
def respond(
    *, actor: User, notice: Notice, text: str, rectification_plan: str = ""
) -> NoticeResponse:
    """Answer a notice for the recipient unit, with its rectification plan, and tell the
    issuer and the region's dispatchers."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    mine = _require(actor, notice, NoticeAction.RESPOND)
    if not text.strip():
        raise ValidationError({"text": _("Write the unit's response.")})
    if notice.kind != NoticeKind.REMINDER and not rectification_plan.strip():
        raise ValidationError(
            {"rectification_plan": _("This notice asks for a rectification plan.")}
        )
    response = NoticeResponse.objects.create(
        notice=notice,
        responder=actor,
        text=text.strip(),
        rectification_plan=rectification_plan.strip(),
        responded_at=clock.now(),
    )
    audit.record_create(actor=actor, instance=response, parent=notice)
    before = audit.snapshot(notice)
    workflow.NOTICES.apply(notice, NoticeAction.RESPOND, mine)
    notice.save(update_fields=["status", "updated_at"])
    audit.record_update(actor=actor, instance=notice, before=before)
    notifications.notice_answered(notice, response)
    return response


@transaction.atomic
def close_notice(*, actor: User, notice: Notice) -> Notice:
    """Close a notice for the issuing side (accepting the response, if there is one)."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    mine = _require(actor, notice, NoticeAction.CLOSE)
    before = audit.snapshot(notice)
    workflow.NOTICES.apply(notice, NoticeAction.CLOSE, mine)
    notice.closed_at = clock.now()
    notice.closed_by = actor
    notice.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    audit.record_update(actor=actor, instance=notice, before=before)
    return notice
