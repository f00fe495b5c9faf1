"""Writing, answering, closing and sending back instructions through the services; every
refusal changes nothing (personas: tests/conftest.py)."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from tiaodu.core.models import AuditEvent, Notification
from tiaodu.problems.choices import ProblemStatus
from tiaodu.supervision.instructions import services
from tiaodu.supervision.instructions.choices import InstructionEntryKind, InstructionStatus
from tiaodu.supervision.instructions.models import Instruction, InstructionEntry
from tiaodu.supervision.instructions.tests.conftest import TEXT, write
from tiaodu.supervision.notices.tests.conftest import issue
from tiaodu.testing import assert_nothing_written, problem_in

MODELS = (Instruction, InstructionEntry, AuditEvent, Notification)


def test_write_routes_to_the_owner_unit_with_ten_working_days(world: Any) -> None:
    instruction = write(world)
    assert instruction.subject_kind == "project"
    assert instruction.subject_id == world.projects["p1"].pk
    assert instruction.subject_title == "黄岛港区集装箱码头三期"
    assert instruction.unit == world.unit_a
    assert instruction.region == world.huangdao
    assert instruction.status == InstructionStatus.ISSUED
    # Thursday 5 November + 10 working days = Thursday 19 November.
    assert instruction.deadline == dt.date(2026, 11, 19)
    assert AuditEvent.objects.filter(object_type="supervision.instruction").count() == 1
    told = Notification.objects.filter(kind="supervision.instruction_written")
    assert [n.recipient for n in told] == [world.rita]


def test_the_site_sets_the_working_days(world: Any, settings: Any) -> None:
    settings.TIAODU_INSTRUCTION_ANSWER_DAYS = 3
    assert write(world).deadline == dt.date(2026, 11, 10)


def test_default_unit_by_kind(world: Any) -> None:
    problem = problem_in(world, ProblemStatus.ASSIGNED)
    on_problem = write(world, on=problem)
    assert on_problem.unit == world.housing_bureau  # the problem's assigned department
    assert on_problem.subject_title == "用地指标未落实（黄岛港区集装箱码头三期）"
    notice = issue(world, recipient_unit=world.unit_a)
    on_notice = write(world, on=notice)
    assert on_notice.unit == world.unit_a  # the notice's addressee
    assert on_notice.region == world.huangdao  # p1 and p6 are both in 黄岛区


def test_a_chosen_unit_and_deadline(world: Any) -> None:
    instruction = write(
        world, actor=world.lena, on=world.projects["p4"], unit=world.housing_bureau,
        deadline=dt.date(2026, 11, 30),
    )  # fmt: skip
    assert (instruction.unit, instruction.deadline) == (world.housing_bureau, dt.date(2026, 11, 30))


@pytest.mark.parametrize(
    ("who", "project", "overrides", "error"),
    [
        ("lena", "p1", {}, PermissionDenied),  # not her district
        ("leo", "p2", {}, PermissionDenied),  # not his assigned project
        ("alice", "p1", {}, PermissionDenied),  # a dispatcher writes no instruction
        ("rita", "p1", {}, PermissionDenied),
        ("leo", "p1", {"text": "  "}, ValidationError),
        ("leo", "p1", {"deadline": dt.date(2026, 11, 5)}, ValidationError),
        ("lena", "p4", {}, ValidationError),  # p4 has no responsible or owner unit
        ("leo", "p1", {"unit": "huangdao"}, ValidationError),  # a region does not answer
    ],
)
def test_refused_writes_change_nothing(
    world: Any, who: str, project: str, overrides: dict[str, Any], error: type[Exception]
) -> None:
    if overrides.get("unit") == "huangdao":
        overrides["unit"] = world.huangdao
    with assert_nothing_written(*MODELS), pytest.raises(error):
        write(world, actor=getattr(world, who), on=world.projects[project], **overrides)


def test_answer_close(world: Any, instruction: Instruction) -> None:
    answer = services.answer_instruction(
        actor=world.rita, instruction=instruction, text="已与自然资源局对接，指标月底下达。"
    )
    instruction.refresh_from_db()
    assert instruction.status == InstructionStatus.ANSWERED
    assert answer.kind == InstructionEntryKind.ANSWER
    told = Notification.objects.get(kind="supervision.instruction_answered")
    assert told.recipient == world.leo
    closed = services.close_instruction(actor=world.leo, instruction=instruction, remark="同意。")
    assert closed.status == InstructionStatus.CLOSED
    assert closed.closed_at is not None
    kinds = list(instruction.entries.values_list("kind", flat=True))
    assert kinds == [InstructionEntryKind.ANSWER, InstructionEntryKind.CLOSE]


def test_send_back_issues_it_again_with_a_new_deadline(
    world: Any, instruction: Instruction
) -> None:
    services.answer_instruction(actor=world.rita, instruction=instruction, text="正在协调。")
    with time_machine.travel(dt.datetime(2026, 11, 9, 2, tzinfo=dt.UTC), tick=False):
        back = services.send_back_instruction(
            actor=world.leo, instruction=instruction, note="请明确具体时限。"
        )
    assert back.status == InstructionStatus.ISSUED
    assert back.deadline == dt.date(2026, 11, 23)  # Monday 9 November + 10 working days
    assert Notification.objects.filter(
        kind="supervision.instruction_sent_back", recipient=world.rita
    ).exists()
    services.answer_instruction(actor=world.rita, instruction=back, text="11月30日前下达。")
    back.refresh_from_db()
    assert back.status == InstructionStatus.ANSWERED
    assert back.entries.count() == 3


@pytest.mark.parametrize(
    ("who", "step", "status", "error"),
    [
        ("bob", "answer", "issued", PermissionDenied),  # not the routed unit
        ("leo", "answer", "issued", PermissionDenied),
        ("dora", "answer", "issued", PermissionDenied),
        ("rita", "answer", "answered", ValidationError),  # already answered
        ("leo", "close", "issued", ValidationError),  # nothing to accept yet
        ("rita", "close", "answered", PermissionDenied),
        ("alice", "close", "answered", PermissionDenied),  # only the writer closes
        ("lena", "send_back", "answered", PermissionDenied),
        ("leo", "send_back", "closed", ValidationError),
    ],
)
def test_refused_steps_change_nothing(
    world: Any, instruction: Instruction, who: str, step: str, status: str, error: type[Exception]
) -> None:
    if status != "issued":
        services.answer_instruction(actor=world.rita, instruction=instruction, text="已办理。")
    if status == "closed":
        services.close_instruction(actor=world.leo, instruction=instruction)
    actor = getattr(world, who)
    calls = {
        "answer": lambda: services.answer_instruction(
            actor=actor, instruction=instruction, text="答复"
        ),
        "close": lambda: services.close_instruction(actor=actor, instruction=instruction),
        "send_back": lambda: services.send_back_instruction(
            actor=actor, instruction=instruction, note="补充"
        ),
    }
    with assert_nothing_written(*MODELS), pytest.raises(error):
        calls[step]()


def test_empty_answer_and_note_are_refused(world: Any, instruction: Instruction) -> None:
    with assert_nothing_written(*MODELS), pytest.raises(ValidationError):
        services.answer_instruction(actor=world.rita, instruction=instruction, text=" ")
    services.answer_instruction(actor=world.rita, instruction=instruction, text="已办理。")
    with assert_nothing_written(*MODELS), pytest.raises(ValidationError):
        services.send_back_instruction(actor=world.leo, instruction=instruction, note="")


def test_overdue_is_derived_from_the_deadline(world: Any, instruction: Instruction) -> None:
    assert not instruction.is_overdue(dt.date(2026, 11, 19))
    assert instruction.is_overdue(dt.date(2026, 11, 20))
    services.answer_instruction(actor=world.rita, instruction=instruction, text=TEXT)
    instruction.refresh_from_db()
    assert not instruction.is_overdue(dt.date(2026, 12, 31))
