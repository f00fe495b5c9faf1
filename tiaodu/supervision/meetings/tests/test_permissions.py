"""Who convenes meetings and finds them in the menu (`supervision.meetings.permissions`).

The personas (tiaodu.testing): alice dispatches the city and dora 黄岛区; rita reports for
unit A (黄岛区: p1, p6) and bob for unit B (崂山区: p3); leo leads his assigned project p1
and lena 崂山区; hank handles problems for 市住建局; sam is p3's service officer; sysadmin,
secadmin and auditor are the three administrators. Each check names exactly who passes it.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from tiaodu.supervision.meetings.permissions import follows_meetings, may_convene
from tiaodu.testing import who_passes

pytestmark = pytest.mark.django_db

CHECKS: dict[str, tuple[Callable[[Any], bool], set[str]]] = {
    "may_convene": (may_convene, {"alice", "dora", "hank"}),
    "follows_meetings": (follows_meetings, {"alice", "dora", "leo", "lena", "hank"}),
}


@pytest.mark.parametrize("name", list(CHECKS))
def test_who_passes_each_check(world: Any, name: str) -> None:
    check, allowed = CHECKS[name]
    passing = who_passes(world, check)
    assert passing == allowed
    assert check(AnonymousUser()) is False
