"""Scoped reads of leaders' instructions.

An instruction is read by the leader who wrote it, the dispatchers of its region and the
people of its routed unit; not by other leaders of the region (the scope of `restrict`
would open it to them), so the condition is built here from the same grant helpers.
"""

import datetime as dt
from typing import Any

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from tiaodu.core.scoping import Someone, dispatcher_paths, grant_paths
from tiaodu.supervision.instructions.choices import InstructionStatus
from tiaodu.supervision.instructions.models import Instruction
from tiaodu.supervision.instructions.permissions import UNIT_ROLES


def _signed_in(actor: Someone) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def routed_to(actor: Someone) -> Q:
    """The instructions routed to a unit the actor answers for (or a unit below it)."""
    condition = Q(pk__in=[])
    for path in grant_paths(actor, *UNIT_ROLES):
        condition |= Q(unit__path__startswith=path)
    return condition


def instructions_visible_to(actor: Someone) -> QuerySet[Instruction]:
    """What the actor may read: its own (a leader's), its regions' (a dispatcher's) and
    its unit's (a handler's or reporter's)."""
    if not _signed_in(actor):
        return Instruction.objects.none()
    assert actor is not None
    condition = Q(leader=actor.pk) | routed_to(actor)
    for path in dispatcher_paths(actor):
        condition |= Q(region__path__startswith=path)
    return Instruction.objects.filter(condition).select_related("leader", "unit", "region")


def instruction_for(actor: Someone, pk: int) -> Instruction:
    """One instruction the actor may read; 404 otherwise, so that it cannot be enumerated."""
    return get_object_or_404(instructions_visible_to(actor), pk=pk)


def overdue_condition(today: dt.date) -> Q:
    return Q(status=InstructionStatus.ISSUED, deadline__lt=today)


def with_overdue(queryset: QuerySet[Instruction], today: dt.date) -> QuerySet[Instruction]:
    """The instructions with `overdue`, overdue ones first, then the open ones by deadline,
    then the closed ones, newest first."""
    flag = Case(
        When(overdue_condition(today), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    done = Case(
        When(status=InstructionStatus.CLOSED, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    return queryset.annotate(overdue=flag, done=done).order_by(
        "-overdue", "done", "deadline", "-written_at", "-pk"
    )


def written_by(actor: Someone) -> QuerySet[Instruction]:
    """The instructions the actor wrote."""
    if not _signed_in(actor):
        return Instruction.objects.none()
    assert actor is not None
    return instructions_visible_to(actor).filter(leader=actor.pk)


def open_written_by(actor: Someone) -> QuerySet[Instruction]:
    """A leader's instructions not yet closed (awaiting an answer or his reading)."""
    return written_by(actor).exclude(status=InstructionStatus.CLOSED)


def awaiting_answer(actor: Someone) -> QuerySet[Instruction]:
    """Instructions the actor's unit must still answer, earliest deadline first."""
    return (
        instructions_visible_to(actor)
        .filter(routed_to(actor), status=InstructionStatus.ISSUED)
        .order_by("deadline", "pk")
    )


def on_object(actor: Someone, kind: str, pk: Any) -> QuerySet[Instruction]:
    """The instructions written on one object that the actor may read, newest first."""
    return instructions_visible_to(actor).filter(subject_kind=kind, subject_id=pk)
