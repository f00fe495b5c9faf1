"""List changes (动态调整, DOMAIN.md §8): the only writers of `ListChange`, and through
`projects.lists` of the memberships a change moves.

A dispatcher proposes to replace a lagging entry on a list with another, or to promote an
entry from one list to another, with a reason. By default a leader approves or refuses it
(the site's `TIAODU_LIST_CHANGES_NEED_APPROVAL`; when False the proposal takes effect at
once). On approval the memberships change from that day: the figures, cards and campaigns
of earlier days keep the lists as they stood. Each call checks who may, writes atomically,
audits on both projects and notifies; a refusal changes nothing.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from tiaodu.accounts.models import User
from tiaodu.campaigns.change_workflow import LIST_CHANGES
from tiaodu.campaigns.choices import ChangeAction, ChangeKind, ChangeStatus
from tiaodu.campaigns.models import Campaign, ListChange
from tiaodu.campaigns.permissions import change_relations, may_propose_change
from tiaodu.core import audit, clock
from tiaodu.core.audit import in_site_language
from tiaodu.core.models import AuditAction
from tiaodu.core.notifications import notify
from tiaodu.core.roles import Role
from tiaodu.core.workflow import TransitionRefused
from tiaodu.projects import lists as key_lists
from tiaodu.projects.models import AnnualPlan, KeyProjectList, ListMembership

REASON_MAX = 2000
PROPOSED = "campaigns.list_change_proposed"
DECIDED = "campaigns.list_change_decided"


def needs_approval() -> bool:
    return bool(getattr(settings, "TIAODU_LIST_CHANGES_NEED_APPROVAL", True))


def _on_list(plan: AnnualPlan, key_list: KeyProjectList) -> bool:
    return ListMembership.objects.filter(
        annual_plan=plan, key_project_list=key_list, end__isnull=True
    ).exists()


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the change.")})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("Keep the reason within %(max)d characters.") % {"max": REASON_MAX}}
        )
    return reason


def _pending(plan: AnnualPlan) -> bool:
    """Whether the entry is in a change still awaiting its decision (one at a time)."""
    waiting = ListChange.objects.filter(status=ChangeStatus.PROPOSED)
    return waiting.filter(outgoing=plan).exists() or waiting.filter(incoming=plan).exists()


def _check_common(actor: User, outgoing: AnnualPlan, key_list: KeyProjectList) -> None:
    if not may_propose_change(actor, outgoing):
        raise PermissionDenied
    if key_list.year != outgoing.year:
        raise ValidationError(
            _("“%(list)s” is a list of %(year)d, not of the entry's year.")
            % {"list": key_list.name, "year": key_list.year}
        )
    if not _on_list(outgoing, key_list):
        raise ValidationError(
            _("%(project)s is not on “%(list)s”.")
            % {"project": outgoing.project.name, "list": key_list.name}
        )
    if _pending(outgoing):
        raise ValidationError(
            _("%(project)s is already in a change awaiting approval.")
            % {"project": outgoing.project.name}
        )


@transaction.atomic
def propose_replacement(
    *,
    actor: User,
    outgoing: AnnualPlan,
    key_list: KeyProjectList,
    incoming: AnnualPlan,
    reason: str,
    campaign: Campaign | None = None,
) -> ListChange:
    """Propose to take `outgoing` off the list and put `incoming` on it."""
    reason = _reason(reason)
    _check_common(actor, outgoing, key_list)
    if not may_propose_change(actor, incoming):
        raise PermissionDenied
    if incoming.pk == outgoing.pk or incoming.year != outgoing.year:
        raise ValidationError(_("Choose another entry of the same year to take its place."))
    if _on_list(incoming, key_list):
        raise ValidationError(
            _("%(project)s is on “%(list)s” already.")
            % {"project": incoming.project.name, "list": key_list.name}
        )
    if _pending(incoming):
        raise ValidationError(
            _("%(project)s is already in a change awaiting approval.")
            % {"project": incoming.project.name}
        )
    change = ListChange.objects.create(
        kind=ChangeKind.REPLACE,
        key_list=key_list,
        outgoing=outgoing,
        incoming=incoming,
        campaign=campaign,
        reason=reason,
        proposed_by=actor,
        created_at=clock.now(),
    )
    return _proposed(actor, change)


@transaction.atomic
def propose_promotion(
    *,
    actor: User,
    outgoing: AnnualPlan,
    key_list: KeyProjectList,
    to_list: KeyProjectList,
    reason: str,
    campaign: Campaign | None = None,
) -> ListChange:
    """Propose to move the entry from `key_list` up onto `to_list`."""
    reason = _reason(reason)
    _check_common(actor, outgoing, key_list)
    if to_list.pk == key_list.pk or to_list.year != outgoing.year:
        raise ValidationError(
            {"to_list": _("Choose another list of the same year to promote it onto.")}
        )
    if _on_list(outgoing, to_list):
        raise ValidationError(
            _("%(project)s is on “%(list)s” already.")
            % {"project": outgoing.project.name, "list": to_list.name}
        )
    change = ListChange.objects.create(
        kind=ChangeKind.PROMOTE,
        key_list=key_list,
        to_list=to_list,
        outgoing=outgoing,
        campaign=campaign,
        reason=reason,
        proposed_by=actor,
        created_at=clock.now(),
    )
    return _proposed(actor, change)


def _projects(change: ListChange) -> list[AnnualPlan]:
    return [plan for plan in (change.outgoing, change.incoming) if plan is not None]


def _audit(actor: User, change: ListChange, action: str, changes: dict[str, list[str]]) -> None:
    """One event on each project the change touches: both projects' history shows it."""
    for plan in _projects(change):
        audit.record(
            actor=actor, action=action, instance=change, parent=plan.project, changes=changes
        )


def _proposed(actor: User, change: ListChange) -> ListChange:
    _audit(actor, change, AuditAction.CREATE, {"reason": ["", change.reason]})
    if not needs_approval():
        return _decide(actor, change, ChangeAction.APPROVE, "", relations={"leader"})
    _tell_leaders(change)
    return change


def decide(*, actor: User, change: ListChange, action: str, note: str = "") -> ListChange:
    """Approve (the lists change from today), refuse (a note is required) or withdraw."""
    with transaction.atomic():
        change = (
            ListChange.objects.select_for_update(of=("self",))
            .select_related("outgoing__project__region", "incoming__project__region")
            .get(pk=change.pk)
        )
        return _decide(actor, change, action, note, relations=change_relations(actor, change))


def _decide(
    actor: User, change: ListChange, action: str, note: str, relations: set[str]
) -> ListChange:
    note = note.strip()
    if action == ChangeAction.REFUSE and not note:
        raise ValidationError({"note": _("Say why the change is refused.")})
    try:
        source, target = LIST_CHANGES.apply(change, action, relations)
    except TransitionRefused as refused:
        if refused.step is None:
            raise ValidationError(
                _("This change has been decided already (%(status)s).")
                % {"status": change.get_status_display()}
            ) from None
        raise PermissionDenied from None
    change.decided_by = actor
    change.decided_at = clock.now()
    change.decision_note = note
    if target == ChangeStatus.APPROVED:
        _apply(change)
    change.save()
    _audit(actor, change, AuditAction.UPDATE, {"status": [source, target]})
    _tell_proposer(change)
    return change


def _apply(change: ListChange) -> None:
    """Move the memberships from today. The entries are checked again: the lists may have
    changed while the proposal waited."""
    day = clock.today()
    outgoing = change.outgoing
    if not _on_list(outgoing, change.key_list):
        raise ValidationError(
            _("%(project)s is no longer on “%(list)s”; refuse this change.")
            % {"project": outgoing.project.name, "list": change.key_list.name}
        )
    key_lists.take_off(outgoing, change.key_list, day)
    if change.kind == ChangeKind.REPLACE:
        assert change.incoming is not None
        if _on_list(change.incoming, change.key_list):
            raise ValidationError(
                _("%(project)s is on “%(list)s” already; refuse this change.")
                % {"project": change.incoming.project.name, "list": change.key_list.name}
            )
        key_lists.put_on(change.incoming, change.key_list, day)
    else:
        assert change.to_list is not None
        key_lists.put_on(outgoing, change.to_list, day)
    change.effective = key_lists.day_within(change.key_list.year, day)


def link(change: ListChange) -> str:
    return reverse("campaigns:change", args=[change.pk])


def _values(change: ListChange) -> dict[str, str]:
    return {
        "kind": str(change.get_kind_display()),
        "list": change.key_list.name,
        "outgoing": change.outgoing.project.name,
        "incoming": change.incoming.project.name if change.incoming else "",
        "to_list": change.to_list.name if change.to_list else "",
        "who": str(change.proposed_by),
        "reason": change.reason,
        "note": change.decision_note,
    }


def _summary(change: ListChange) -> str:
    values = _values(change)
    if change.kind == ChangeKind.REPLACE:
        return _("%(incoming)s in place of %(outgoing)s on “%(list)s”") % values
    return _("%(outgoing)s from “%(list)s” onto “%(to_list)s”") % values


def summary(change: ListChange) -> str:
    """The change in one line, as its page and the queue name it."""
    return _summary(change)


def _tell_leaders(change: ListChange) -> None:
    leaders = [
        user
        for user in User.objects.filter(
            is_active=True, role_assignments__role=Role.LEADER
        ).distinct()
        if "leader" in change_relations(user, change)
    ]
    with in_site_language():
        notify(
            recipients=leaders,
            kind=PROPOSED,
            title=_("List change to approve: %(summary)s") % {"summary": _summary(change)},
            body=_("%(who)s proposes it: %(reason)s") % _values(change),
            link=link(change),
            key=f"{PROPOSED}:{change.pk}",
        )


def _tell_proposer(change: ListChange) -> None:
    if change.decided_by_id == change.proposed_by_id:
        return
    with in_site_language():
        notify(
            recipients=[change.proposed_by],
            kind=DECIDED,
            title=_("List change %(status)s: %(summary)s")
            % {"status": change.get_status_display(), "summary": _summary(change)},
            body=change.decision_note,
            link=link(change),
            key=f"{DECIDED}:{change.pk}",
        )
