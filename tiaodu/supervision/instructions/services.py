"""The only writers of leaders' instructions. Each call checks who may, writes atomically,
audits, and on a refusal changes nothing."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.accounts.models import OrgUnit, User
from tiaodu.core import audit, clock
from tiaodu.core.scoping import Someone
from tiaodu.core.workdays import add_working_days
from tiaodu.core.workflow import TransitionRefused
from tiaodu.supervision.instructions import notifications, workflow
from tiaodu.supervision.instructions.choices import (
    InstructionAction,
    InstructionEntryKind,
    answer_days,
)
from tiaodu.supervision.instructions.models import Instruction, InstructionEntry
from tiaodu.supervision.instructions.permissions import may_write_on, relations
from tiaodu.supervision.instructions.subjects import kind_of

# An instruction goes to a unit that answers: a department or an owner unit.
UNIT_KINDS = frozenset({OrgUnitKind.DEPARTMENT, OrgUnitKind.OWNER_UNIT})


def _deadline(given: dt.date | None, today: dt.date) -> dt.date:
    if given is None:
        return add_working_days(today, answer_days())
    if given <= today:
        raise ValidationError({"deadline": _("The answer deadline must be after today.")})
    return given


@transaction.atomic
def write_instruction(
    *,
    actor: User,
    on: Any,
    text: str,
    unit: OrgUnit | None = None,
    deadline: dt.date | None = None,
) -> Instruction:
    """Write a leader's instruction on an object he reaches, routed to `unit` (by default
    the object's responsible unit), due by `deadline` (by default the site's working days
    from today), and tell the unit."""
    kind = kind_of(on)
    if kind is None:
        raise ValidationError(_("Instructions are not written on this kind of object."))
    if not may_write_on(actor, on):
        raise PermissionDenied(_("Only a leader over this object writes an instruction on it."))
    if not text.strip():
        raise ValidationError({"text": _("Write the instruction.")})
    routed = unit if unit is not None else kind.default_unit(on)
    if routed is None:
        raise ValidationError(
            {"unit": _("This object has no responsible unit: choose the unit to route it to.")}
        )
    if routed.kind not in UNIT_KINDS:
        raise ValidationError(
            {"unit": _("An instruction is routed to a department or an owner unit.")}
        )
    now = clock.now()
    instruction = Instruction.objects.create(
        subject_kind=kind.key,
        subject_id=on.pk,
        subject_title=kind.title(on)[:300],
        region=kind.region(on),
        leader=actor,
        text=text.strip(),
        unit=routed,
        deadline=_deadline(deadline, timezone.localdate(now)),
        written_at=now,
    )
    audit.record_create(actor=actor, instance=instruction)
    notifications.instruction_written(instruction)
    return instruction


def _require(actor: Someone, instruction: Instruction, action: str) -> frozenset[str]:
    """The actor's relations if the table lets it take the action now, else a refusal
    (nothing written yet)."""
    mine = relations(actor, instruction)
    try:
        workflow.INSTRUCTIONS.check(mine, instruction.status, action)
    except TransitionRefused as refused:
        if refused.step is None:
            raise ValidationError(
                _("An instruction that is “%(status)s” cannot be changed that way.")
                % {"status": instruction.get_status_display()}
            ) from None
        if action == InstructionAction.ANSWER:
            raise PermissionDenied(
                _("Only the unit the instruction is routed to answers it.")
            ) from None
        raise PermissionDenied(
            _("Only the leader who wrote the instruction closes it or sends it back.")
        ) from None
    return mine


def _locked(instruction: Instruction) -> Instruction:
    return (
        Instruction.objects.select_for_update()
        .select_related("unit", "leader")
        .get(pk=instruction.pk)
    )


def _entry(actor: User, instruction: Instruction, kind: str, text: str) -> InstructionEntry:
    entry = InstructionEntry.objects.create(
        instruction=instruction, kind=kind, author=actor, text=text, written_at=clock.now()
    )
    audit.record_create(actor=actor, instance=entry, parent=instruction)
    return entry


@transaction.atomic
def answer_instruction(*, actor: User, instruction: Instruction, text: str) -> InstructionEntry:
    """Answer an instruction for the routed unit, and tell the leader."""
    instruction = _locked(instruction)
    mine = _require(actor, instruction, InstructionAction.ANSWER)
    if not text.strip():
        raise ValidationError({"text": _("Write the unit's answer.")})
    answer = _entry(actor, instruction, InstructionEntryKind.ANSWER, text.strip())
    before = audit.snapshot(instruction)
    workflow.INSTRUCTIONS.apply(instruction, InstructionAction.ANSWER, mine)
    instruction.save(update_fields=["status", "updated_at"])
    audit.record_update(actor=actor, instance=instruction, before=before)
    notifications.instruction_answered(instruction, answer)
    return answer


@transaction.atomic
def close_instruction(*, actor: User, instruction: Instruction, remark: str = "") -> Instruction:
    """The leader accepts the unit's answer: the instruction is closed."""
    instruction = _locked(instruction)
    mine = _require(actor, instruction, InstructionAction.CLOSE)
    _entry(actor, instruction, InstructionEntryKind.CLOSE, remark.strip())
    before = audit.snapshot(instruction)
    workflow.INSTRUCTIONS.apply(instruction, InstructionAction.CLOSE, mine)
    instruction.closed_at = clock.now()
    instruction.save(update_fields=["status", "closed_at", "updated_at"])
    audit.record_update(actor=actor, instance=instruction, before=before)
    return instruction


@transaction.atomic
def send_back_instruction(
    *, actor: User, instruction: Instruction, note: str, deadline: dt.date | None = None
) -> Instruction:
    """The leader sends the answer back with a note: the unit answers again by `deadline`
    (by default the site's working days from today), and is told."""
    instruction = _locked(instruction)
    mine = _require(actor, instruction, InstructionAction.SEND_BACK)
    if not note.strip():
        raise ValidationError({"note": _("Say what the answer still lacks.")})
    new_deadline = _deadline(deadline, clock.today())
    entry = _entry(actor, instruction, InstructionEntryKind.SEND_BACK, note.strip())
    before = audit.snapshot(instruction)
    workflow.INSTRUCTIONS.apply(instruction, InstructionAction.SEND_BACK, mine)
    instruction.deadline = new_deadline
    instruction.save(update_fields=["status", "deadline", "updated_at"])
    audit.record_update(actor=actor, instance=instruction, before=before)
    notifications.instruction_sent_back(instruction, entry)
    return instruction
