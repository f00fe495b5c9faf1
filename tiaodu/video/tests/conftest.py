"""The video tests' clock (Thursday 5 November 2026) and their city: cameras on p1 and p3,
p1 with a red October card, p2 started in March with nothing done (lagging)."""

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from tiaodu.projects import services as project_services
from tiaodu.scoring.models import Card
from tiaodu.scoring.services import rule_set_in_force
from tiaodu.supervision.meetings import services as meeting_services
from tiaodu.supervision.meetings.choices import MeetingKind
from tiaodu.supervision.meetings.models import Meeting
from tiaodu.video import services
from tiaodu.video.models import Camera

NOW = dt.datetime(2026, 11, 5, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def cards(world: Any) -> None:
    """October's cards: p1 red; p3 blue, revised to yellow on appeal."""
    month = dt.date(2026, 10, 1)
    rule_set = rule_set_in_force(month)
    for key, colour, revised in (("p1", "red", ""), ("p3", "blue", "yellow")):
        plan = world.plans[key]
        Card.objects.create(
            plan=plan, project=plan.project, month=month, rule_set=rule_set, colour=colour,
            revised_colour=revised, score=Decimal("70"),
            computed_at=dt.datetime(2026, 10, 20, 2, tzinfo=dt.UTC),
        )  # fmt: skip


@pytest.fixture
def cameras(world: Any) -> dict[str, Camera]:
    dora, alice = world.dora, world.alice
    return {
        "gate": services.add_camera(
            actor=dora,
            project=world.projects["p1"],
            name="东大门",
            stream_url="/live/p1/gate.m3u8",
            description="大门东侧立杆，朝向码头",
        ),
        "platform": services.add_camera(
            actor=alice,
            project=world.projects["p3"],
            name="塔吊 1 号",
            stream_url="https://yun.example.com/device/3001",
        ),
    }


@pytest.fixture
def lagging(world: Any) -> None:
    """p1 red in October; p2 started on 10 March with nothing done by November (lagging)."""
    cards(world)
    project_services.update_project(
        actor=world.alice, project=world.projects["p2"], actual_start=dt.date(2026, 3, 10)
    )


@pytest.fixture
def meeting(world: Any, lagging: None) -> Meeting:
    return meeting_services.create_meeting(
        actor=world.alice,
        kind=MeetingKind.JOINT_MEETING,
        title="11月重大项目调度会",
        date=dt.date(2026, 11, 5),
        convening_unit=world.city,
        place="市智慧治理中心",
    )
