"""The supervision world: the personas' city on Thursday 5 November 2026.

- alice (city dispatcher) issues over any project; dora (黄岛区 dispatcher) over 黄岛区 only
- rita answers for owner unit A; bob (unit B) and hank (市住建局) see only their units' notices
- leo is the sponsoring leader of a warning letter
"""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from tiaodu.supervision import services
from tiaodu.supervision.choices import NoticeKind
from tiaodu.supervision.models import Notice

NOW = dt.datetime(2026, 11, 5, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def issue(world: Any, actor: Any = None, **overrides: Any) -> Notice:
    arguments: dict[str, Any] = {
        "actor": actor or world.alice,
        "kind": NoticeKind.SUPERVISION_ORDER,
        "recipient_unit": world.unit_a,
        "projects": [world.projects["p1"], world.projects["p6"]],
        "subject": "黄岛港区项目投资进度滞后",
        "body": "你单位负责的项目连续两个月投资完成率低于时序进度。",
        "requirements": "制定整改方案，明确完成时限。",
    }
    arguments.update(overrides)
    return services.issue_notice(**arguments)


@pytest.fixture
def order(world: Any) -> Notice:
    """督办〔2026〕1号 from alice to unit A about projects 1 and 6."""
    return issue(world)
