"""Who issues, answers and follows the notices (`supervision.notices.permissions`); the
meetings' and the field rounds' checks are in their own packages' tests.

The personas (tiaodu.testing): alice dispatches the city and dora 黄岛区; rita reports for
unit A (黄岛区: p1, p6) and bob for unit B (崂山区: p3); leo leads his assigned project p1
and lena 崂山区; hank handles problems for 市住建局; sam is p3's service officer; sysadmin,
secadmin and auditor are the three administrators. Each check names exactly who passes it.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from tiaodu.supervision.notices.permissions import (
    answers_notices,
    covers_projects,
    may_issue_notice,
    oversees_notices,
)
from tiaodu.testing import PERSONAS, who_passes

pytestmark = pytest.mark.django_db

CHECKS: dict[str, tuple[Callable[[Any], bool], set[str]]] = {
    "may_issue_notice": (may_issue_notice, {"alice", "dora"}),
    "oversees_notices": (oversees_notices, {"alice", "dora", "leo", "lena"}),
    "answers_notices": (answers_notices, {"rita", "bob", "hank"}),
}


@pytest.mark.parametrize("name", list(CHECKS))
def test_who_passes_each_check(world: Any, name: str) -> None:
    check, allowed = CHECKS[name]
    passing = who_passes(world, check)
    assert passing == allowed
    assert check(AnonymousUser()) is False


def test_who_covers_the_projects_of_a_notice(world: Any) -> None:
    p1, p3 = world.projects["p1"], world.projects["p3"]
    assert {w for w in PERSONAS if covers_projects(getattr(world, w), [p1])} == {"alice", "dora"}
    assert {w for w in PERSONAS if covers_projects(getattr(world, w), [p1, p3])} == {"alice"}
