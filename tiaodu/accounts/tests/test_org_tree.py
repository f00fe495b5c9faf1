"""The org tree of the administration area (/administration/units/): levels opened one at a
time, search, a child added, a unit moved with its subtree — and what a move does to who
sees what.

Personas (tiaodu.testing): sysadmin keeps the tree; dora dispatches 黄岛区 only; a 崂山区
dispatcher (laura) is made here; secadmin, auditor and alice (the city dispatcher) meet 404.
"""

import re
from decimal import Decimal

import pytest

from tiaodu.accounts import org_units
from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.accounts.models import OrgUnit
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.core.roles import Role
from tiaodu.projects import services as project_services
from tiaodu.projects.selectors import projects_visible_to
from tiaodu.testing import assert_nothing_written, make_user


@pytest.fixture
def sysadmin(client, world):
    client.force_login(world.sysadmin)
    return client


def names(response, testid="tree-name"):
    return re.findall(rf'data-testid="{testid}">([^<]+)<', response.content.decode())


def counts(response, name):
    """The users and projects the tree shows beside the unit `name` (its whole subtree)."""
    row = response.content.decode().split(f'data-unit="{name}"')[1].split("</div>")[0]
    found = dict(re.findall(r'data-testid="count-(\w+)"><i class="[^"]+"></i> (\d+)<', row))
    return int(found["users"]), int(found["projects"])


def test_the_tree_opens_at_the_city_and_loads_a_level_on_demand(sysadmin, world):
    top = sysadmin.get("/administration/units/")
    assert top.status_code == 200
    assert names(top) == ["青岛市"]
    # The city's subtree: alice, dora, rita, bob, lena and hank; the six projects.
    assert counts(top, "青岛市") == (6, 6)

    level = sysadmin.get(f"/administration/units/{world.city.pk}/children/")
    children = names(level)
    # Districts first (by name), the department last.
    assert children[-1] == "青岛市住房和城乡建设局"
    assert len(children) == OrgUnit.objects.filter(parent=world.city).count() == 11
    # 黄岛区: dora and rita; p1, p2 and p6. 崂山区: lena and bob; p3 and p4.
    assert counts(level, "黄岛区") == (2, 3)
    assert counts(level, "崂山区") == (2, 2)
    # The housing bureau: hank; p2, for which it is the responsible unit.
    assert counts(level, "青岛市住房和城乡建设局") == (1, 1)


def test_search_finds_a_unit_and_opens_the_tree_down_to_it(sysadmin, world):
    found = sysadmin.get("/administration/units/", {"q": "港湾"})
    [result] = re.findall(r'data-testid="search-result">(.*?)</a>', found.content.decode(), re.S)
    assert f"?unit={world.unit_a.pk}#" in found.content.decode()
    assert "青岛港湾建设有限公司" in result
    assert "青岛市 › 黄岛区" in result

    opened = sysadmin.get("/administration/units/", {"unit": world.unit_a.pk})
    assert names(opened)[:1] == ["青岛市"]
    assert "青岛港湾建设有限公司" in names(opened)
    assert "黄岛区" in names(opened)
    assert 'data-testid="unit-panel"' in opened.content.decode()


def test_add_a_child_of_a_kind_that_may_sit_there(sysadmin, world):
    response = sysadmin.post(
        f"/administration/units/{world.huangdao.pk}/add/",
        {"add-name": "黄岛区发展和改革局", "add-kind": OrgUnitKind.DEPARTMENT},
    )
    unit = OrgUnit.objects.get(name="黄岛区发展和改革局")
    assert response.status_code == 302
    assert response["Location"] == f"/administration/units/?unit={unit.pk}#unit-{unit.pk}"
    assert (unit.parent, unit.kind, unit.path, unit.depth) == (
        world.huangdao,
        OrgUnitKind.DEPARTMENT,
        f"{world.huangdao.path}{unit.pk}/",
        2,
    )
    event = AuditEvent.objects.filter(object_type="accounts.orgunit").latest("pk")
    assert (event.action, event.actor_id, event.object_repr) == (
        AuditAction.CREATE,
        world.sysadmin.pk,
        "黄岛区发展和改革局",
    )


def test_nothing_goes_under_an_owner_unit(sysadmin, world):
    with assert_nothing_written(OrgUnit, AuditEvent):
        response = sysadmin.post(
            f"/administration/units/{world.unit_a.pk}/add/",
            {"add-name": "码头项目部", "add-kind": OrgUnitKind.OWNER_UNIT},
        )
    assert response.status_code == 400
    assert "选择一个有效的选项。 owner_unit 不在可用的选项中。" in response.content.decode()


def test_the_service_refuses_a_kind_the_parent_may_not_hold(world):
    from django.core.exceptions import ValidationError

    with assert_nothing_written(OrgUnit, AuditEvent), pytest.raises(ValidationError) as refused:
        org_units.add_org_unit(
            actor=world.sysadmin, parent=world.housing_bureau, name="某区", kind=OrgUnitKind.COUNTY
        )
    assert refused.value.message_dict == {
        "kind": ["青岛市住房和城乡建设局（部门）下不能设区县，只能设项目单位。"]
    }


def test_move_a_zone_rewrites_its_subtree_and_hands_its_projects_to_the_new_region(sysadmin, world):
    zone, _created = org_units.add_functional_zone(
        actor=None, parent=world.huangdao, name="青岛西海岸新区产业园"
    )
    owner = org_units.add_org_unit(
        actor=None, parent=zone, name="园区开发公司", kind=OrgUnitKind.OWNER_UNIT
    )
    project = project_services.create_project(
        actor=world.alice,
        name="产业园标准厂房",
        region=zone,
        owner_unit=owner,
        responsible_unit=None,
        total_investment=Decimal("5000"),
    )
    laura = make_user("laura", Role.DISPATCHER, world.laoshan)
    assert project in projects_visible_to(world.dora)
    assert project not in projects_visible_to(laura)

    response = sysadmin.post(
        f"/administration/units/{zone.pk}/move/", {"move-parent": world.laoshan.pk}
    )

    assert response.status_code == 302
    zone.refresh_from_db()
    owner.refresh_from_db()
    assert (zone.parent, zone.path, zone.depth) == (
        world.laoshan,
        f"{world.laoshan.path}{zone.pk}/",
        2,
    )
    assert (owner.path, owner.depth) == (f"{world.laoshan.path}{zone.pk}/{owner.pk}/", 3)
    dora = type(world.dora).objects.get(pk=world.dora.pk)
    assert project not in projects_visible_to(dora)
    assert project in projects_visible_to(type(laura).objects.get(pk=laura.pk))
    event = AuditEvent.objects.filter(object_type="accounts.orgunit").latest("pk")
    assert (event.action, event.actor_id, event.message) == (
        AuditAction.UPDATE,
        world.sysadmin.pk,
        "连同下级1个单位一并移动",
    )
    assert event.changes == {
        "parent": ["黄岛区", "崂山区"],
        "path": [f"{world.huangdao.path}{zone.pk}/", f"{world.laoshan.path}{zone.pk}/"],
    }


def test_a_unit_cannot_move_into_its_own_subtree(sysadmin, world):
    client = sysadmin
    client.cookies["django_language"] = "zh-hans"
    with assert_nothing_written(OrgUnit, AuditEvent):
        response = client.post(
            f"/administration/units/{world.huangdao.pk}/move/", {"move-parent": world.unit_a.pk}
        )
    assert response.status_code == 400
    assert "不能把黄岛区移到它自身或它的下级单位（青岛港湾建设有限公司）之下。" in (
        response.content.decode()
    )


def test_a_move_that_breaks_the_kind_rules_is_refused(sysadmin, world):
    with assert_nothing_written(OrgUnit, AuditEvent):
        response = sysadmin.post(
            f"/administration/units/{world.laoshan.pk}/move/",
            {"move-parent": world.housing_bureau.pk},
        )
    assert response.status_code == 400
    assert "青岛市住房和城乡建设局（部门）下不能设区县，只能设项目单位。" in (
        response.content.decode()
    )


def test_move_targets_leave_out_the_subtree_and_wrong_kinds(sysadmin, world):
    response = sysadmin.get(f"/administration/units/{world.unit_a.pk}/move-targets/", {"q": "区"})
    html = response.content.decode()
    assert f'value="{world.laoshan.pk}"' in html
    assert f'value="{world.huangdao.pk}"' not in html  # its present parent


def test_rename_is_audited(sysadmin, world):
    response = sysadmin.post(
        f"/administration/units/{world.unit_b.pk}/edit/",
        {"edit-name": "崂山科创集团", "edit-is_active": "on"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(object_type="accounts.orgunit").latest("pk")
    assert event.changes == {"name": ["崂山科创发展有限公司", "崂山科创集团"]}


@pytest.mark.parametrize("persona", ["secadmin", "auditor", "alice", "rita"])
def test_the_tree_is_the_system_administrators_alone(client, world, persona):
    client.force_login(getattr(world, persona))
    with assert_nothing_written(OrgUnit, AuditEvent):
        assert client.get("/administration/units/").status_code == 404
        assert client.get(f"/administration/units/{world.city.pk}/children/").status_code == 404
        assert (
            client.post(
                f"/administration/units/{world.city.pk}/add/",
                {"add-name": "x", "add-kind": OrgUnitKind.COUNTY},
            ).status_code
            == 404
        )
        assert (
            client.post(
                f"/administration/units/{world.unit_a.pk}/move/",
                {"move-parent": world.laoshan.pk},
            ).status_code
            == 404
        )
