"""The instructions' world: the personas' city on Thursday 5 November 2026 (the supervision
tests' frozen clock, `tiaodu/supervision/conftest.py`).

- leo (leader of assigned projects only) leads p1 (黄岛区, owner unit A, no responsible unit)
- lena (leader of 崂山区) leads p3 (owner unit B) and p4
- rita answers for owner unit A, bob for unit B, hank for 市住建局 (responsible for p2)
- dora dispatches 黄岛区, alice the whole city: they follow their regions' instructions
"""

from typing import Any

import pytest

from tiaodu.supervision.instructions import services
from tiaodu.supervision.instructions.models import Instruction

TEXT = "请抓紧协调用地指标，确保年底前开工。"


def write(world: Any, actor: Any = None, on: Any = None, **overrides: Any) -> Instruction:
    arguments: dict[str, Any] = {
        "actor": actor or world.leo,
        "on": on if on is not None else world.projects["p1"],
        "text": TEXT,
    }
    arguments.update(overrides)
    return services.write_instruction(**arguments)


@pytest.fixture
def instruction(world: Any) -> Instruction:
    """leo's instruction on p1, routed to owner unit A by default."""
    return write(world)
