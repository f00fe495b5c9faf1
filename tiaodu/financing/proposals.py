"""Owner units proposing their needs for a draft edition (拟列入需求): a project's reporter
proposes, the list's dispatcher puts the proposal on the list (it becomes a need, through
`services.add_need`) or leaves it out. Each write is audited in its transaction; a refusal
changes nothing."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tiaodu.core import audit
from tiaodu.core.scoping import Actor
from tiaodu.financing import services
from tiaodu.financing.choices import FinancingListStatus, ProposalStatus
from tiaodu.financing.models import FinancingList, FinancingNeed, NeedProposal
from tiaodu.financing.permissions import compiles, may_propose
from tiaodu.projects.models import Project


def _open(financing_list: FinancingList) -> None:
    if services.list_status(financing_list.pk) != FinancingListStatus.DRAFT:
        raise ValidationError(_("The list has been published: its needs no longer change."))


def propose_need(
    *,
    actor: Actor,
    financing_list: FinancingList,
    project: Project | None,
    amount: Decimal | None,
    kind: str,
    purpose: str,
    stage: str,
) -> NeedProposal:
    """An owner unit's need proposed for a draft edition, awaiting the dispatcher."""
    if project is not None and not may_propose(actor, project):
        raise PermissionDenied(_("Only the project's owner unit proposes its needs."))
    _open(financing_list)
    errors, purpose = services.check_need(financing_list, project, amount, kind, purpose, stage)
    pending = financing_list.proposals.filter(
        project=project, kind=kind, status=ProposalStatus.PENDING
    )
    if not errors and (
        pending.exists() or financing_list.needs.filter(project=project, kind=kind).exists()
    ):
        errors["kind"] = _("This project already has a need of this kind on the list.")
    if errors:
        raise ValidationError(errors)
    assert project is not None and amount is not None
    with transaction.atomic():
        proposal = NeedProposal(
            financing_list=financing_list, project=project, amount=amount, kind=kind,
            purpose=purpose, stage=stage, proposed_by_id=actor.pk,
        )  # fmt: skip
        proposal.full_clean()
        proposal.save()
        audit.record_create(actor=actor, instance=proposal, parent=financing_list)
    return proposal


def _decide(actor: Actor, proposal: NeedProposal) -> NeedProposal:
    if not compiles(actor, proposal.financing_list):
        raise PermissionDenied(_("Only a dispatcher of the list's region compiles it."))
    _open(proposal.financing_list)
    locked = NeedProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != ProposalStatus.PENDING:
        raise ValidationError(_("This proposal has been decided already."))
    return locked


def include_proposal(*, actor: Actor, proposal: NeedProposal) -> FinancingNeed:
    """The proposal put on the list as it was proposed."""
    with transaction.atomic():
        locked = _decide(actor, proposal)
        before = audit.snapshot(locked)
        need = services.add_need(
            actor=actor, financing_list=proposal.financing_list, project=locked.project,
            amount=locked.amount, kind=locked.kind, purpose=locked.purpose, stage=locked.stage,
        )  # fmt: skip
        locked.status, locked.need = ProposalStatus.INCLUDED, need
        locked.save()
        audit.record_update(actor=actor, instance=locked, before=before)
    return need


def decline_proposal(*, actor: Actor, proposal: NeedProposal) -> NeedProposal:
    """The proposal left out of the list."""
    with transaction.atomic():
        locked = _decide(actor, proposal)
        before = audit.snapshot(locked)
        locked.status = ProposalStatus.DECLINED
        locked.save()
        audit.record_update(actor=actor, instance=locked, before=before)
    return locked
