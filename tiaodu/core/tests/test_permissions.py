"""Who opens core's pages (`core.permissions`) and the grant helpers of `core.scoping`.

The personas (tiaodu.testing): alice dispatches the city and dora 黄岛区; rita reports for
unit A (黄岛区: p1, p6) and bob for unit B (崂山区: p3); leo leads his assigned project p1
and lena 崂山区; hank handles problems for 市住建局; sam is p3's service officer; sysadmin,
secadmin and auditor are the three administrators. Each check names exactly who passes it.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from tiaodu.core.permissions import manages_site, reads_audit_log
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Place, covers, dispatcher_paths, grant_paths, holds, relations_to
from tiaodu.testing import PERSONAS, who_passes

pytestmark = pytest.mark.django_db

CHECKS: dict[str, tuple[Callable[[Any], bool], set[str]]] = {
    "reads_audit_log": (reads_audit_log, {"auditor"}),
    "manages_site": (manages_site, {"sysadmin"}),
    "holds a leader role": (lambda user: holds(user, Role.LEADER), {"leo", "lena"}),
    "dispatches somewhere": (lambda user: bool(dispatcher_paths(user)), {"alice", "dora"}),
}


@pytest.mark.parametrize("name", list(CHECKS))
def test_who_passes_each_check(world: Any, name: str) -> None:
    check, allowed = CHECKS[name]
    passing = who_passes(world, check)
    assert passing == allowed
    assert check(AnonymousUser()) is False


def test_the_paths_of_the_grants(world: Any) -> None:
    assert dispatcher_paths(world.alice) == [world.city.path]
    assert dispatcher_paths(world.dora) == [world.huangdao.path]
    assert grant_paths(world.rita, Role.REPORTER, Role.DEPARTMENT_HANDLER) == [world.unit_a.path]
    assert grant_paths(world.hank, Role.DEPARTMENT_HANDLER) == [world.housing_bureau.path]
    assert dispatcher_paths(world.rita) == [] and dispatcher_paths(None) == []
    assert dispatcher_paths(AnonymousUser()) == []


def test_covers_is_a_subtree_match(world: Any) -> None:
    assert covers([world.city.path], world.huangdao.path)
    assert covers([world.huangdao.path], world.huangdao.path)
    assert not covers([world.huangdao.path], world.laoshan.path)
    # An unanchored grant covers nothing, and nothing lies at an empty path.
    assert not covers([""], world.huangdao.path)
    assert not covers([world.city.path], "")


def test_the_relations_to_a_place(world: Any) -> None:
    place = Place(
        region_path=world.huangdao.path,
        owner_unit_path=world.unit_a.path,
        responsible_unit_path=world.housing_bureau.path,
        leader_ids=(world.leo.pk,),
        service_officer_ids=(world.sam.pk,),
    )
    found = {
        who: relations_to(getattr(world, who), place)
        for who in PERSONAS
        if relations_to(getattr(world, who), place) != relations_to(None, place)
    }
    assert {who: r.dispatching for who, r in found.items() if r.dispatcher} == {
        "alice": (world.city.path,),
        "dora": (world.huangdao.path,),
    }
    assert {who for who, r in found.items() if r.reporter} == {"rita"}
    assert {who for who, r in found.items() if r.handler} == {"hank"}
    assert {who for who, r in found.items() if r.leader} == {"leo"}
    assert {who for who, r in found.items() if r.service_officer} == {"sam"}
    assert set(found) == {"alice", "dora", "rita", "hank", "leo", "sam"}
    # lena leads 崂山区: a place there is hers.
    assert relations_to(world.lena, Place(region_path=world.laoshan.path)).leader
