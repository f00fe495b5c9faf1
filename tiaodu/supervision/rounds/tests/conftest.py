"""The field-round world: the personas' city on Thursday 5 November 2026 (the supervision
tests' frozen clock), and alice's city inspection tour of 2 to 13 November.

- 第一组 (group one): hank (市住建局) leads, with 王强 of 市发改委 written down by name;
  it visits p1 and p2 (黄岛区).
- 第二组 (group two): lena (崂山区 leader) leads; it visits p3 and p4 (崂山区).
- alice (city dispatcher) organises; dora (黄岛区 dispatcher) sees the round, the 黄岛区
  projects and their visits only; rita (unit A) sees the visits of p1 and p6 only; bob
  (unit B) those of p3; leo (leader of p1 only) sees no round.
"""

import datetime as dt
from typing import Any

import pytest

from tiaodu.core.models import AuditEvent
from tiaodu.problems.models import Problem
from tiaodu.supervision.rounds import models, services, visit_services
from tiaodu.supervision.rounds.choices import RoundAction, RoundKind
from tiaodu.supervision.rounds.models import FieldRound, RoundAssignment, SiteVisit

START, END = dt.date(2026, 11, 2), dt.date(2026, 11, 13)
VISIT_DAY = dt.date(2026, 11, 4)
# What a refused round action must leave as it was (`assert_nothing_written(*ROUND_TABLES)`).
ROUND_TABLES = (
    models.FieldRound,
    models.RoundGroup,
    models.GroupMember,
    models.RoundAssignment,
    models.SiteVisit,
    models.VisitPhoto,
    models.Finding,
    Problem,
    AuditEvent,
)


def plan_round(world: Any, **overrides: Any) -> FieldRound:
    arguments: dict[str, Any] = {
        "actor": world.alice,
        "kind": RoundKind.INSPECTION_TOUR,
        "title": "2026年四季度重点项目拉练",
        "region": world.city,
        "start_date": START,
        "end_date": END,
        "organised_by": "市重大项目建设指挥部",
        "notes": "每组每天看三至四个项目。",
    }
    arguments.update(overrides)
    return services.create_round(**arguments)


@pytest.fixture
def tour(world: Any) -> FieldRound:
    """alice's city tour, planned, with its two groups and four assigned projects."""
    field_round = plan_round(world)
    one = services.add_group(actor=world.alice, field_round=field_round, name="第一组")
    two = services.add_group(actor=world.alice, field_round=field_round, name="第二组")
    services.add_member(actor=world.alice, group=one, user=world.hank, is_leader=True)
    services.add_member(actor=world.alice, group=one, name="王强", unit="市发改委")
    services.add_member(actor=world.alice, group=two, user=world.lena, is_leader=True)
    services.assign_projects(
        actor=world.alice, group=one, projects=[world.projects["p1"], world.projects["p2"]]
    )
    services.assign_projects(
        actor=world.alice, group=two, projects=[world.projects["p3"], world.projects["p4"]]
    )
    return field_round


@pytest.fixture
def under_way(world: Any, tour: FieldRound) -> FieldRound:
    return services.move_round(actor=world.alice, field_round=tour, action=RoundAction.START)


def assignment(field_round: FieldRound, world: Any, key: str) -> RoundAssignment:
    return RoundAssignment.objects.get(round=field_round, project=world.projects[key])


def visit(world: Any, field_round: FieldRound, key: str = "p1", **fields: Any) -> SiteVisit:
    """A visit of group one (by hank) or two (by lena), on 4 November."""
    actor = world.lena if key in {"p3", "p4"} else world.hank
    arguments: dict[str, Any] = {
        "visited_on": VISIT_DAY,
        "visitors": "李华、王强",
        "findings": "主体结构施工中，塔吊两台。",
        "comment": "进度较快。",
    }
    arguments.update(fields)
    return visit_services.record_visit(
        actor=actor, assignment=assignment(field_round, world, key), **arguments
    )
