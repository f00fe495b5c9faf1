"""Who finds the field rounds in the menu (`supervision.rounds.permissions`).

The personas (tiaodu.testing): alice dispatches the city and dora 黄岛区; rita reports for
unit A (黄岛区: p1, p6) and bob for unit B (崂山区: p3); leo leads his assigned project p1
and lena 崂山区; hank handles problems for 市住建局; sam is p3's service officer; sysadmin,
secadmin and auditor are the three administrators. Each check names exactly who passes it.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from tiaodu.supervision.rounds.permissions import oversees_rounds
from tiaodu.testing import who_passes

pytestmark = pytest.mark.django_db

CHECKS: dict[str, tuple[Callable[[Any], bool], set[str]]] = {
    "oversees_rounds": (oversees_rounds, {"alice", "dora", "leo", "lena"}),
}


@pytest.mark.parametrize("name", list(CHECKS))
def test_who_passes_each_check(world: Any, name: str) -> None:
    check, allowed = CHECKS[name]
    passing = who_passes(world, check)
    assert passing == allowed
    assert check(AnonymousUser()) is False
