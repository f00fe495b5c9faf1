"""Who plays which part in the report workflow and opens which dispatch page
(`reporting.permissions`).

The personas (tiaodu.testing): alice dispatches the city and dora 黄岛区; rita reports for
unit A (黄岛区: p1, p6) and bob for unit B (崂山区: p3); leo leads his assigned project p1
and lena 崂山区; hank handles problems for 市住建局; sam is p3's service officer; sysadmin,
secadmin and auditor are the three administrators. Each check names exactly who passes it.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from tiaodu.reporting import workflow
from tiaodu.reporting.permissions import (
    is_reviewer,
    manages_dispatch_settings,
    may_grant_lock_exception,
    may_set_cycles,
    reads_board,
    relations,
    reports_due,
)
from tiaodu.testing import PERSONAS, who_passes

pytestmark = pytest.mark.django_db

CHECKS: dict[str, tuple[Callable[[Any], bool], set[str]]] = {
    "reports_due": (reports_due, {"rita", "bob", "sam"}),
    "reads_board": (reads_board, {"alice", "dora", "leo", "lena"}),
    "is_reviewer": (is_reviewer, {"alice", "dora"}),
    "manages_dispatch_settings": (manages_dispatch_settings, {"alice", "dora"}),
    "may_set_cycles": (may_set_cycles, {"alice"}),
}


@pytest.mark.parametrize("name", list(CHECKS))
def test_who_passes_each_check(world: Any, name: str) -> None:
    check, allowed = CHECKS[name]
    passing = who_passes(world, check)
    assert passing == allowed
    assert check(AnonymousUser()) is False


def test_the_parts_for_a_project(world: Any) -> None:
    p1, p3 = world.projects["p1"], world.projects["p3"]
    parts = {who: relations(getattr(world, who), p1) for who in PERSONAS}
    assert {who: part for who, part in parts.items() if part} == {
        "rita": {workflow.REPORTER},
        "dora": {workflow.DISTRICT_REVIEWER},
        "alice": {workflow.CITY_REVIEWER},
    }
    parts = {who: relations(getattr(world, who), p3) for who in PERSONAS}
    assert {who: part for who, part in parts.items() if part} == {
        "bob": {workflow.REPORTER},
        "sam": {workflow.REPORTER},
        "alice": {workflow.CITY_REVIEWER},
    }


def test_who_grants_a_lock_exception_to_unit_a(world: Any) -> None:
    granting = {w for w in PERSONAS if may_grant_lock_exception(getattr(world, w), world.unit_a)}
    assert granting == {"alice", "dora"}
