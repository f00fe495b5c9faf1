"""The notices' world: the personas' city on Thursday 5 November 2026 (the supervision
tests' frozen clock, `tiaodu/supervision/conftest.py`).

- alice (city dispatcher) issues over any project; dora (黄岛区 dispatcher) over 黄岛区 only
- rita answers for owner unit A; bob (unit B) and hank (市住建局) see only their units' notices
- leo is the sponsoring leader of a warning letter
"""

from typing import Any

import pytest

from tiaodu.supervision.notices import services
from tiaodu.supervision.notices.choices import NoticeKind
from tiaodu.supervision.notices.models import Notice


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
