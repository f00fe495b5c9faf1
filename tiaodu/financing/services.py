"""Writing the financing-needs lists: a dispatcher creates an edition of its region's list,
puts the projects' needs on it and takes them off while it is a draft, publishes it and
closes it; a financial institution answers a need of a published edition with its intent.

Each write checks the actor, validates, writes in one transaction and is audited there; a
refusal (PermissionDenied or ValidationError, translated) changes nothing.
"""

import re
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tiaodu.accounts.models import OrgUnit
from tiaodu.core import audit, clock
from tiaodu.core.scoping import Actor, covers, dispatcher_paths
from tiaodu.core.workflow import TransitionRefused
from tiaodu.financing.choices import (
    FinancingKind,
    FinancingListAction,
    FinancingListStatus,
    NeedStage,
)
from tiaodu.financing.models import (
    EDITIONS_A_YEAR,
    FinancingAnswer,
    FinancingList,
    FinancingNeed,
)
from tiaodu.financing.permissions import compiles, is_institution, list_relations
from tiaodu.financing.workflow import LISTS
from tiaodu.projects.models import Project

MAX_AMOUNT = Decimal("999999999999.99")
PHONE = re.compile(r"^[0-9][0-9\- ]{5,18}[0-9]$")


def _require_compiler(actor: Actor, financing_list: FinancingList) -> None:
    if not compiles(actor, financing_list):
        raise PermissionDenied(_("Only a dispatcher of the list's region compiles it."))


def list_status(financing_list_id: int) -> str | None:
    """The list's status as stored now (an instance in hand may be older than a step)."""
    return (
        FinancingList.objects.filter(pk=financing_list_id).values_list("status", flat=True).first()
    )


def _amount(value: Decimal | None, field: str) -> dict[str, str]:
    if value is None:
        return {field: _("Give the amount in 10k yuan.")}
    if not value.is_finite() or value <= 0 or value > MAX_AMOUNT:
        return {field: _("Give an amount above zero, in 10k yuan (e.g. 5000).")}
    if value != value.quantize(Decimal("0.01")):
        return {field: _("Give the amount with at most two decimal places.")}
    return {}


def create_list(
    *, actor: Actor, region: OrgUnit | None, year: int | None, number: int | None, note: str = ""
) -> FinancingList:
    """A new edition of a region's list, as a draft with no needs yet."""
    errors: dict[str, str] = {}
    if region is None or not covers(dispatcher_paths(actor), region.path):
        if not dispatcher_paths(actor):
            raise PermissionDenied(_("Only a dispatcher compiles financing-needs lists."))
        errors["region"] = _("Choose a region you dispatch.")
    if year is None or not 2000 <= year <= 2099:
        errors["year"] = _("Give the year as four digits, e.g. 2026.")
    if number is None or not 1 <= number <= EDITIONS_A_YEAR:
        errors["number"] = _("The list comes out every two months: give an edition from 1 to 6.")
    if errors:
        raise ValidationError(errors)
    assert region is not None and year is not None and number is not None
    if FinancingList.objects.filter(region=region, year=year, number=number).exists():
        raise ValidationError(
            {
                "number": _("This region already has edition %(number)s of %(year)s.")
                % {"number": number, "year": year}
            }
        )
    with transaction.atomic():
        financing_list = FinancingList(
            region=region, year=year, number=number, note=note.strip(), compiled_by_id=actor.pk
        )
        financing_list.full_clean()
        financing_list.save()
        audit.record_create(actor=actor, instance=financing_list)
    return financing_list


def check_need(
    financing_list: FinancingList,
    project: Project | None,
    amount: Decimal | None,
    kind: str,
    purpose: str,
    stage: str,
) -> tuple[dict[str, str], str]:
    """What is wrong with a need for the edition, by field, and the purpose trimmed."""
    errors = _amount(amount, "amount")
    if project is None:
        errors["project"] = _("Choose the project.")
    elif not covers([financing_list.region.path], project.region.path):
        errors["project"] = _("The project is not in the list's region.")
    if kind not in FinancingKind.values:
        errors["kind"] = _("Choose the kind of financing: loan, bond, fund or equity.")
    if stage not in NeedStage.values:
        errors["stage"] = _("Choose the project's stage.")
    purpose = purpose.strip()
    if not purpose:
        errors["purpose"] = _("Say what the money is for.")
    elif len(purpose) > 200:
        errors["purpose"] = _("Keep the purpose to 200 characters.")
    return errors, purpose


def add_need(
    *,
    actor: Actor,
    financing_list: FinancingList,
    project: Project | None,
    amount: Decimal | None,
    kind: str,
    purpose: str,
    stage: str,
) -> FinancingNeed:
    """A project's need put on a draft edition: a project of the list's region, one need
    of each kind per project."""
    _require_compiler(actor, financing_list)
    if list_status(financing_list.pk) != FinancingListStatus.DRAFT:
        raise ValidationError(_("The list has been published: its needs no longer change."))
    errors, purpose = check_need(financing_list, project, amount, kind, purpose, stage)
    if not errors and financing_list.needs.filter(project=project, kind=kind).exists():
        errors["kind"] = _("This project already has a need of this kind on the list.")
    if errors:
        raise ValidationError(errors)
    assert amount is not None
    with transaction.atomic():
        need = FinancingNeed(
            financing_list=financing_list,
            project=project,
            amount=amount,
            kind=kind,
            purpose=purpose,
            stage=stage,
        )
        need.full_clean()
        need.save()
        audit.record_create(actor=actor, instance=need, parent=financing_list)
    return need


def remove_need(*, actor: Actor, need: FinancingNeed) -> None:
    """A need taken off a draft edition."""
    financing_list = need.financing_list
    _require_compiler(actor, financing_list)
    if list_status(financing_list.pk) != FinancingListStatus.DRAFT:
        raise ValidationError(_("The list has been published: its needs no longer change."))
    with transaction.atomic():
        audit.record_delete(actor=actor, instance=need, parent=financing_list)
        need.delete()


def act_on_list(*, actor: Actor, financing_list: FinancingList, action: str) -> FinancingList:
    """Publish a draft (it must carry at least one need) or close a published edition, as
    the workflow's table allows."""
    with transaction.atomic():
        locked = FinancingList.objects.select_for_update().get(pk=financing_list.pk)
        locked.region = financing_list.region
        before = audit.snapshot(locked)
        try:
            LISTS.apply(locked, action, list_relations(actor, locked))
        except TransitionRefused as refused:
            if refused.step is None:
                raise ValidationError(
                    _("The list is %(status)s: this step is not open to it.")
                    % {"status": locked.get_status_display()}
                ) from None
            raise PermissionDenied(_("Only a dispatcher of the list's region does this.")) from None
        if action == FinancingListAction.PUBLISH:
            if not locked.needs.exists():
                raise ValidationError(_("Put at least one project's need on the list first."))
            locked.published_at = clock.now()
        else:
            locked.closed_at = clock.now()
        locked.save()
        audit.record_update(actor=actor, instance=locked, before=before)
    return locked


def answer_need(
    *,
    actor: Actor,
    need: FinancingNeed,
    institution: str,
    amount: Decimal | None,
    terms: str,
    contact_person: str,
    contact_phone: str,
) -> FinancingAnswer:
    """A financial institution's intent on a need of a published edition; one answer per
    account and need."""
    if not is_institution(actor):
        raise PermissionDenied(_("Only a financial institution answers financing needs."))
    if list_status(need.financing_list_id) != FinancingListStatus.PUBLISHED:
        raise ValidationError(_("The list is no longer open to answers."))
    errors = _amount(amount, "amount")
    institution, terms = institution.strip(), terms.strip()
    contact_person, contact_phone = contact_person.strip(), contact_phone.strip()
    if not institution:
        errors["institution"] = _("Give the name of your institution.")
    if not terms:
        errors["terms"] = _("Give the terms: rate, period, guarantee.")
    if not contact_person:
        errors["contact_person"] = _("Give the contact person.")
    if not PHONE.match(contact_phone):
        errors["contact_phone"] = _(
            "Give a phone number of digits, e.g. 13800000000 or 0532-88886666."
        )
    if not errors and need.answers.filter(answered_by_id=actor.pk).exists():
        errors["amount"] = _("You have answered this need already.")
    if errors:
        raise ValidationError(errors)
    assert amount is not None
    try:
        with transaction.atomic():
            answer = FinancingAnswer(
                need=need,
                answered_by_id=actor.pk,
                institution=institution,
                amount=amount,
                terms=terms,
                contact_person=contact_person,
                contact_phone=contact_phone,
            )
            answer.full_clean(validate_constraints=False)
            answer.save()
            audit.record_create(actor=actor, instance=answer, parent=need.financing_list)
    except IntegrityError:
        # Two posts of one answer at once: the second finds the first.
        raise ValidationError({"amount": _("You have answered this need already.")}) from None
    return answer
