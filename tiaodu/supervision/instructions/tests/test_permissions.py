"""Who writes, reads and answers an instruction, persona by persona; out of reach is 404.

leo (assigned to p1) and lena (崂山区) write on what they lead; the instruction on p1 is read
by leo who wrote it, by alice and dora (dispatchers of its region) and by rita (its routed
unit A); lena, another leader, does not read it, nor does anyone else.
"""

from typing import Any

import pytest
from django.http import Http404

from tiaodu.problems.choices import ProblemStatus
from tiaodu.supervision.instructions import permissions, selectors
from tiaodu.supervision.instructions.models import Instruction
from tiaodu.supervision.instructions.tests.conftest import write
from tiaodu.supervision.notices.tests.conftest import issue
from tiaodu.testing import PERSONAS, problem_in, who_passes


def test_who_writes_on_each_project(world: Any) -> None:
    def writers_of(project: Any) -> set[str]:
        return who_passes(world, lambda user: permissions.may_write_on(user, project))

    writers = {key: writers_of(project) for key, project in world.projects.items()}
    assert writers == {
        "p1": {"leo"}, "p2": set(), "p3": {"lena"}, "p4": {"lena"}, "p5": set(), "p6": set(),
    }  # fmt: skip


def test_an_assigned_leader_writes_on_his_projects_problems_and_notices(world: Any) -> None:
    problem = problem_in(world, ProblemStatus.ASSIGNED)
    notice = issue(world)  # p1 and p6
    other = issue(world, recipient_unit=world.unit_b, projects=[world.projects["p3"]])
    assert who_passes(world, lambda user: permissions.may_write_on(user, problem)) == {"leo"}
    assert who_passes(world, lambda user: permissions.may_write_on(user, notice)) == {"leo"}
    assert who_passes(world, lambda user: permissions.may_write_on(user, other)) == {"lena"}


def test_who_reads_and_who_answers(world: Any) -> None:
    instruction = write(world)

    def reads(user: Any) -> bool:
        try:
            selectors.instruction_for(user, instruction.pk)
        except Http404:
            return False
        return True

    assert who_passes(world, reads) == {"alice", "dora", "leo", "rita"}
    assert who_passes(world, lambda user: permissions.answers_for(user, instruction)) == {"rita"}
    assert who_passes(world, lambda user: permissions.follows(user, instruction)) == {
        "alice",
        "dora",
    }


def test_lenas_instruction_on_p3(world: Any) -> None:
    instruction = write(world, actor=world.lena, on=world.projects["p3"])
    visible = {
        name
        for name in PERSONAS
        if selectors.instructions_visible_to(getattr(world, name)).filter(pk=instruction.pk)
    }
    assert visible == {"alice", "lena", "bob"}


def test_nobody_signed_in_reads_nothing(world: Any) -> None:
    write(world)
    assert not selectors.instructions_visible_to(None).exists()
    assert Instruction.objects.count() == 1


@pytest.mark.parametrize(
    ("check", "expected"),
    [
        (permissions.writes_instructions, {"leo", "lena"}),
        (permissions.follows_instructions, {"alice", "dora"}),
        (permissions.answers_instructions, {"rita", "bob", "hank"}),
    ],
)
def test_roles(world: Any, check: Any, expected: set[str]) -> None:
    assert who_passes(world, check) == expected
