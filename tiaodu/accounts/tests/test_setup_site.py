"""`manage.py setup_site`: the region tree from the national table, and functional zones."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from tiaodu.accounts import divisions, org_units
from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.accounts.models import OrgUnit
from tiaodu.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("setup_site", *args, stdout=out)
    return out.getvalue()


def test_a_city_gets_itself_and_its_twenty_districts_and_counties():
    output = run("--region", "510100")

    chengdu = OrgUnit.objects.get(region_code="510100")
    assert chengdu.name == "成都市"
    assert chengdu.kind == OrgUnitKind.CITY
    assert chengdu.parent is None
    assert chengdu.depth == 0
    counties = OrgUnit.objects.exclude(pk=chengdu.pk)
    assert counties.count() == 20
    assert set(counties.values_list("kind", flat=True)) == {OrgUnitKind.COUNTY}
    assert all(unit.parent_id == chengdu.pk for unit in counties)
    wuhou = OrgUnit.objects.get(region_code="510107")
    assert wuhou.name == "武侯区"
    assert wuhou.path == f"{chengdu.path}{wuhou.pk}/"
    assert wuhou.depth == 1
    assert {"锦江区", "青羊区", "双流区", "简阳市", "金堂县"} <= set(
        counties.values_list("name", flat=True)
    )
    assert "+ 510107 武侯区" in output
    assert "21 regions created, 0 renamed" in output
    # Every unit created is in the audit log.
    assert AuditEvent.objects.filter(object_type="accounts.orgunit").count() == 21


def test_a_province_gets_its_cities_and_their_counties_with_parent_links_and_paths():
    run("--region", "510000")

    expected = divisions.subtree("510000")
    assert OrgUnit.objects.count() == len(expected)
    sichuan = OrgUnit.objects.get(region_code="510000")
    assert sichuan.kind == OrgUnitKind.PROVINCE
    assert sichuan.parent is None
    units = {unit.region_code: unit for unit in OrgUnit.objects.select_related("parent")}
    for item in expected[1:]:
        unit = units[item.code]
        assert unit.name == item.name
        assert unit.parent is not None
        assert unit.parent.region_code == item.parent_code
        assert unit.path == f"{unit.parent.path}{unit.pk}/"
        assert unit.depth == unit.parent.depth + 1
        assert unit.kind == (OrgUnitKind.CITY if item.level == 2 else OrgUnitKind.COUNTY)
    chengdu = units["510100"]
    wuhou = units["510107"]
    assert chengdu.parent == sichuan and chengdu.depth == 1
    assert wuhou.parent == chengdu and wuhou.depth == 2
    assert wuhou.path.startswith(sichuan.path) and wuhou.path.startswith(chengdu.path)
    assert OrgUnit.objects.subtree_of(chengdu).count() == 21
    assert OrgUnit.objects.filter(kind=OrgUnitKind.CITY).count() == len(
        divisions.children("510000")
    )


def test_running_twice_creates_nothing_new():
    run("--region", "370200", "--zone", "青岛高新技术产业开发区")
    units = OrgUnit.objects.count()
    events = AuditEvent.objects.count()

    output = run("--region", "370200", "--zone", "青岛高新技术产业开发区")

    assert OrgUnit.objects.count() == units == 11 + 1
    assert AuditEvent.objects.count() == events
    assert "0 regions created, 0 renamed, 0 functional zones added" in output
    assert "青岛高新技术产业开发区 (already there)" in output


def test_a_renamed_division_is_renamed_and_reported():
    run("--region", "370200")
    huangdao = OrgUnit.objects.get(region_code="370211")
    org_units.update_org_unit(actor=None, unit=huangdao, name="胶南市")

    output = run("--region", "370200")

    huangdao.refresh_from_db()
    assert huangdao.name == "黄岛区"
    assert "~ 370211 黄岛区 (was 胶南市)" in output
    assert "0 regions created, 1 renamed" in output


@pytest.mark.parametrize("code", ["999999", "3702", "abcdef"])
def test_an_unknown_code_is_an_error_and_writes_nothing(code):
    with translation.override("en"), pytest.raises(CommandError, match="national table"):
        run("--region", code, "--zone", "青岛高新技术产业开发区")

    assert not OrgUnit.objects.exists()
    assert not AuditEvent.objects.exists()


def test_zones_are_added_once_under_the_root():
    output = run("--region", "370200", "--zone", "青岛高新技术产业开发区", "--zone", "中德生态园")
    run("--region", "370200", "--zone", "中德生态园", "--zone", "青岛蓝谷")

    qingdao = OrgUnit.objects.get(region_code="370200")
    zones = OrgUnit.objects.filter(kind=OrgUnitKind.ZONE)
    assert sorted(zones.values_list("name", flat=True)) == sorted(
        ["青岛高新技术产业开发区", "中德生态园", "青岛蓝谷"]
    )
    for zone in zones:
        assert zone.parent == qingdao
        assert zone.region_code is None
        assert zone.path == f"{qingdao.path}{zone.pk}/"
        assert zone.is_region
    assert "+ zone 青岛高新技术产业开发区" in output
    assert "2 functional zones added" in output


def test_add_functional_zone_is_idempotent_and_checks_its_parent():
    root, _created, _renamed = org_units.setup_regions(actor=None, region_code="370200")

    zone, created = org_units.add_functional_zone(actor=None, parent=root, name=" 中德生态园 ")
    again, created_again = org_units.add_functional_zone(actor=None, parent=root, name="中德生态园")

    assert created and not created_again
    assert again == zone and zone.name == "中德生态园"
    department = org_units.create_org_unit(
        actor=None, name="市发展和改革委员会", kind=OrgUnitKind.DEPARTMENT, parent=root
    )
    with pytest.raises(ValidationError):
        org_units.add_functional_zone(actor=None, parent=department, name="某园区")
    with pytest.raises(ValidationError):
        org_units.add_functional_zone(actor=None, parent=root, name="  ")
