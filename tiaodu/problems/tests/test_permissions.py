"""Who opens the problem ledger's pages and raises problems (`problems.permissions`).

The personas (tiaodu.testing): alice dispatches the city and dora 黄岛区; rita reports for
unit A (黄岛区: p1, p6) and bob for unit B (崂山区: p3); leo leads his assigned project p1
and lena 崂山区; hank handles problems for 市住建局; sam is p3's service officer; sysadmin,
secadmin and auditor are the three administrators. Each check names exactly who passes it.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from tiaodu.problems.permissions import (
    handles_problems,
    may_raise,
    opens_direct_channel,
    reads_ledger,
    uses_direct_channel,
)
from tiaodu.testing import PERSONAS, who_passes

pytestmark = pytest.mark.django_db

CHECKS: dict[str, tuple[Callable[[Any], bool], set[str]]] = {
    "reads_ledger": (reads_ledger, {"alice", "dora", "leo", "lena"}),
    "handles_problems": (handles_problems, {"hank"}),
    "opens_direct_channel": (opens_direct_channel, {"rita", "bob"}),
}


@pytest.mark.parametrize("name", list(CHECKS))
def test_who_passes_each_check(world: Any, name: str) -> None:
    check, allowed = CHECKS[name]
    passing = who_passes(world, check)
    assert passing == allowed
    assert check(AnonymousUser()) is False


def test_who_raises_problems_of_which_project(world: Any) -> None:
    expected = {"p1": {"alice", "dora", "rita"}, "p3": {"alice", "bob", "sam"}}
    for key, allowed in expected.items():
        project = world.projects[key]
        assert {w for w in PERSONAS if may_raise(getattr(world, w), project)} == allowed
    direct = {w for w in PERSONAS if uses_direct_channel(getattr(world, w), world.projects["p1"])}
    assert direct == {"rita"}
