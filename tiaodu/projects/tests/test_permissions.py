"""Who may change the library and open its pages (`projects.permissions`).

The personas (tiaodu.testing): alice dispatches the city and dora 黄岛区; rita reports for
unit A (黄岛区: p1, p6) and bob for unit B (崂山区: p3); leo leads his assigned project p1
and lena 崂山区; hank handles problems for 市住建局; sam is p3's service officer; sysadmin,
secadmin and auditor are the three administrators. Each check names exactly who passes it.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from tiaodu.projects.permissions import (
    can_create_project,
    can_edit_project,
    can_import_ledger,
    reads_business_data,
    relations_to_project,
)
from tiaodu.testing import PERSONAS, who_passes

pytestmark = pytest.mark.django_db

CHECKS: dict[str, tuple[Callable[[Any], bool], set[str]]] = {
    "reads_business_data": (
        reads_business_data,
        {"alice", "dora", "rita", "bob", "leo", "lena", "hank", "sam"},
    ),
    "can_create_project": (can_create_project, {"alice", "dora"}),
    "can_import_ledger": (can_import_ledger, {"alice", "dora"}),
}


@pytest.mark.parametrize("name", list(CHECKS))
def test_who_passes_each_check(world: Any, name: str) -> None:
    check, allowed = CHECKS[name]
    passing = who_passes(world, check)
    assert passing == allowed
    assert check(AnonymousUser()) is False


def test_who_edits_which_project(world: Any) -> None:
    for key, allowed in {"p1": {"alice", "dora"}, "p3": {"alice"}}.items():
        project = world.projects[key]
        assert {
            who for who in PERSONAS if can_edit_project(getattr(world, who), project)
        } == allowed


def test_the_relations_to_a_project(world: Any) -> None:
    p1, p3 = world.projects["p1"], world.projects["p3"]
    assert relations_to_project(world.alice, p1).dispatching == (world.city.path,)
    assert relations_to_project(world.dora, p1).dispatching == (world.huangdao.path,)
    assert relations_to_project(world.dora, p3).dispatching == ()
    assert {w for w in PERSONAS if relations_to_project(getattr(world, w), p1).reporter} == {"rita"}
    assert {w for w in PERSONAS if relations_to_project(getattr(world, w), p3).reporter} == {"bob"}
    officers = {w for w in PERSONAS if relations_to_project(getattr(world, w), p3).service_officer}
    assert officers == {"sam"}
