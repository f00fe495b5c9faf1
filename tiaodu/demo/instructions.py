"""The demo city's leaders' instructions (`load_demo`): written by the mayor's account and by
the municipal leader assigned to projects, on projects of the demo reporter's unit and the
demo handler's department and on an open problem, over the last weeks: one answered and
closed, one answered and awaiting the leader, one sent back and answered again, one waiting
and one overdue. A part of the demo (`demo.parts`), after the notices; each step goes
through the instructions' services with the clock set to its moment.
"""

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from tiaodu.accounts.models import OrgUnit
from tiaodu.core import clock
from tiaodu.demo.library.spec import DemoSpec
from tiaodu.demo.parts import DemoPart
from tiaodu.demo.problems.days import later, office_time, working_days_before
from tiaodu.problems.choices import OPEN_STATUSES
from tiaodu.problems.models import Problem
from tiaodu.projects.models import Project
from tiaodu.supervision.instructions import services
from tiaodu.supervision.instructions.models import Instruction
from tiaodu.supervision.instructions.permissions import may_write_on

if TYPE_CHECKING:
    from tiaodu.demo.library.builder import Loaded

NAME = "instructions"
STEP = dt.timedelta(minutes=11)

TEXTS = (
    "请市发改委牵头，会同有关部门抓紧解决项目推进中的堵点问题，确保按期开工。",
    "此项目是全市重点工程，请倒排工期、挂图作战，每周报送进展。",
    "请主动对接省直部门，加快办理前期手续，年底前完成投资计划。",
    "请责任单位主要负责同志亲自调度，限期解决，结果报我。",
)
ANSWERS = (
    "已召开专题调度会，明确责任分工，项目已于本周复工。",
    "已与省自然资源厅对接，用地预审本月内办结。",
)


def _unit_of(user: Any) -> OrgUnit:
    return OrgUnit.objects.get(path=user.scope_grants()[0].unit_path)


def _moment(rng: random.Random, day: dt.date, after: dt.datetime | None) -> dt.datetime:
    at = office_time(rng, day)
    return max(at, after + STEP) if after is not None else at


def _write(
    rng: random.Random, leader: Any, on: Any, back: int, as_of: dt.date, unit: Any = None
) -> Instruction:
    """The leader writes on its day, to `unit` (by default the object's responsible unit)."""
    day = working_days_before(as_of, back)
    with clock.frozen(office_time(rng, day)):
        return services.write_instruction(
            actor=leader, on=on, text=TEXTS[rng.randrange(len(TEXTS))], unit=unit
        )


def _answer(rng: random.Random, who: Any, instruction: Instruction, as_of: dt.date) -> None:
    written = instruction.written_at
    day = min(later(rng, timezone.localdate(written), 1, 3), as_of)
    with clock.frozen(_moment(rng, day, written)):
        services.answer_instruction(
            actor=who, instruction=instruction, text=ANSWERS[rng.randrange(len(ANSWERS))]
        )


def _last_step(instruction: Instruction) -> dt.datetime:
    entry = instruction.entries.order_by("-written_at").first()
    return entry.written_at if entry is not None else instruction.written_at


def load(spec: DemoSpec, loaded: "Loaded") -> list[str]:
    rng = random.Random(spec.seed * 31 + 7)
    users = loaded.users
    leader, assigned = users.get("leader"), users.get("leader2")
    reporter, handler = users["reporter"], users["handler"]
    if leader is None:
        return []
    in_city = Project.objects.filter(region__path__startswith=loaded.root.path).order_by("pk")
    owner = _unit_of(reporter)
    mine = list(in_city.filter(owner_unit=owner)[:3])
    department = _unit_of(handler)
    theirs = list(in_city.filter(responsible_unit=department)[:2])
    as_of = spec.as_of
    written: list[Instruction] = []

    if mine:  # answered by the reporter and closed by the mayor
        first = _write(rng, leader, mine[0], 25, as_of, owner)
        _answer(rng, reporter, first, as_of)
        day = min(later(rng, timezone.localdate(_last_step(first)), 1, 2), as_of)
        with clock.frozen(_moment(rng, day, _last_step(first))):
            services.close_instruction(actor=leader, instruction=first, remark="同意，抓好落实。")
        written.append(first)
    if theirs:  # answered by the department, awaiting the mayor's reading
        second = _write(rng, leader, theirs[0], 8, as_of, department)
        _answer(rng, handler, second, as_of)
        written.append(second)
    if len(mine) > 1:  # sent back once, answered again
        third = _write(rng, leader, mine[1], 14, as_of, owner)
        _answer(rng, reporter, third, as_of)
        day = min(later(rng, timezone.localdate(_last_step(third)), 1, 2), as_of)
        with clock.frozen(_moment(rng, day, _last_step(third))):
            services.send_back_instruction(
                actor=leader, instruction=third, note="请明确具体完成时限和责任人。"
            )
        _answer(rng, reporter, third, as_of)
        written.append(third)
    problem = (
        Problem.objects.filter(
            assigned_department=department,
            status__in=OPEN_STATUSES,
            project__region__path__startswith=loaded.root.path,
        )
        .order_by("pk")
        .first()
    )
    if problem is not None:  # waiting for the department's answer
        written.append(_write(rng, leader, problem, 2, as_of, department))
    led = [p for p in in_city if assigned is not None and may_write_on(assigned, p)]
    if led:  # the assigned leader's, unanswered past its deadline
        written.append(_write(rng, assigned, led[0], 16, as_of))
    return [_("Leaders' instructions: %(n)s") % {"n": len(written)}]


PART = DemoPart(NAME, load)
