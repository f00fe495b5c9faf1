"""Open data (docs/open-data.md): the projects of 2026 that alice, the city dispatcher, puts on
the list 公开项目 come out as an OC4IDS project package, from `manage.py export_oc4ids` and
from `GET /api/v1/open-data/oc4ids`, valid against the OC4IDS 0.9 schema (offline, the files
under data/oc4ids/), and nothing else of the library ever does.

The world's projects: p1 (黄岛港区集装箱码头三期, owner unit A, given a code, a point, dates
and procedures below) and p3 (崂山科创园一期, owner unit B) are published; p2, p4, p5 and p6
are not. rita (a reporter) reads the API; the auditor, who reads no business data, does not.
"""

import copy
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from jsonschema import Draft4Validator
from referencing import Registry
from referencing.jsonschema import DRAFT4

from tiaodu.core import clock
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.projects import services
from tiaodu.projects.models import KeyProjectList
from tiaodu.projects.open_data import codes
from tiaodu.testing import assert_nothing_written

SCHEMAS = Path(__file__).parent / "data" / "oc4ids"
URL = "/api/v1/open-data/oc4ids"
PREFIX = "oc4ids-qd2026"
PUBLISHER = "青岛市发展和改革委员会"
UNPUBLISHED = ("p2", "p4", "p5", "p6")


def validator() -> Draft4Validator:
    """The package schema, its `$ref` to the project schema resolved from the local file."""
    package_schema, project_schema = (
        json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
        for name in ("project-package-schema.json", "project-schema.json")
    )
    registry: Registry[Any] = Registry().with_resources(
        (schema["id"], DRAFT4.create_resource(schema))
        for schema in (package_schema, project_schema)
    )
    return Draft4Validator(package_schema, registry=registry)


def schema_errors(package: dict[str, Any]) -> list[str]:
    return sorted(
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator().iter_errors(package)
    )


@pytest.fixture
def site(settings: Any) -> None:
    settings.TIAODU_OPEN_DATA = {
        "LIST": "公开项目",
        "OC4IDS_PREFIX": PREFIX,
        "PUBLISHER": PUBLISHER,
        "URL": "https://fgw.qingdao.example/open-data/oc4ids-{year}.json",
    }


@pytest.fixture
def published(world: Any, site: None) -> KeyProjectList:
    """The 2026 list 公开项目 with p1 and p3 on it, p1 filled in as a real entry would be."""
    public = services.create_key_project_list(actor=None, name="公开项目", year=2026)
    alice = world.alice
    p1 = world.projects["p1"]
    with clock.frozen(dt.datetime(2026, 11, 5, 9, 0, tzinfo=dt.UTC)):
        services.update_project(
            actor=alice,
            project=p1,
            code="2026-370211-48-01-000011",
            industry="港口",
            funding_type="government",
            construction_content="新建3个10万吨级集装箱泊位。",
            longitude=Decimal("120.201234"),
            latitude=Decimal("35.960321"),
            actual_start=dt.date(2026, 3, 18),
            contact_name="王工",
            contact_phone="13800000000",
        )
        services.save_annual_plan(
            actor=alice,
            project=p1,
            year=2026,
            lists=[world.key_list, public],
            planned_completion=dt.date(2028, 12, 31),
        )
        services.set_procedure(
            actor=alice,
            project=p1,
            kind="project_approval",
            status="done",
            completed_on=dt.date(2025, 12, 20),
            document_number="青发改审批〔2025〕88号",
        )
        services.save_annual_plan(
            actor=alice, project=world.projects["p3"], year=2026, lists=[world.key_list, public]
        )
    return public


def export(tmp_path: Path, year: str = "2026") -> dict[str, Any]:
    out = tmp_path / "oc4ids.json"
    call_command("export_oc4ids", "--year", year, "--out", str(out))
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


@pytest.mark.usefixtures("published")
def test_the_export_is_a_valid_package_of_the_published_projects(
    world: Any, tmp_path: Path
) -> None:
    with clock.frozen(dt.datetime(2026, 11, 5, 10, 0, tzinfo=dt.UTC)):
        package = export(tmp_path)
    assert schema_errors(package) == []
    assert package["uri"] == "https://fgw.qingdao.example/open-data/oc4ids-2026.json"
    assert package["version"] == "0.9"
    assert package["publisher"] == {"name": PUBLISHER}
    p1, p3 = world.projects["p1"], world.projects["p3"]
    assert [item["id"] for item in package["projects"]] == [
        f"{PREFIX}-{p1.pk}",
        f"{PREFIX}-{p3.pk}",
    ]
    first = package["projects"][0]
    assert {key: first[key] for key in ("title", "description", "status", "type", "sector")} == {
        "title": "黄岛港区集装箱码头三期",
        "description": "新建3个10万吨级集装箱泊位。",
        "status": "implementation",
        "type": "construction",
        "sector": ["transport", "transport.water"],
    }
    assert first["identifiers"] == [{"scheme": "CN-TZXMDM", "id": "2026-370211-48-01-000011"}]
    assert first["period"] == {
        "startDate": "2026-03-18T00:00:00+08:00",
        "endDate": "2028-12-31T23:59:59+08:00",
    }
    assert first["budget"]["amount"] == {"amount": 100_000_000, "currency": "CNY"}
    annual = first["budget"]["budgetBreakdowns"][0]["budgetBreakdown"][0]
    assert (annual["description"], annual["amount"]) == (
        "2026年计划投资",
        {"amount": 20_000_000, "currency": "CNY"},
    )
    assert first["locations"] == [
        {
            "id": "1",
            "description": "黄岛区",
            "address": {"region": "黄岛区", "countryName": "中国"},
            "gazetteer": {"scheme": "CN-GB2260", "identifiers": ["370211"]},
            "geometry": {"type": "Point", "coordinates": [120.201234, 35.960321]},
        }
    ]
    assert first["parties"] == [
        {
            "id": f"unit-{world.unit_a.pk}",
            "name": "青岛港湾建设有限公司",
            "roles": ["publicAuthority"],
        }
    ]
    assert first["publicAuthority"] == {
        "id": f"unit-{world.unit_a.pk}",
        "name": "青岛港湾建设有限公司",
    }
    assert [(m["id"], m["title"], m["status"]) for m in first["milestones"]] == [
        ("commencement", "开工", "met"),
        ("completion", "竣工", "scheduled"),
        ("procedure-project_approval", "立项（审批/核准/备案）", "met"),
    ]
    # p3: a new start not yet started, no point, no code; its region's code all the same.
    second = package["projects"][1]
    assert (second["status"], second["locations"][0]["gazetteer"]["identifiers"]) == (
        "preparation",
        ["370212"],
    )
    text = json.dumps(package, ensure_ascii=False)
    for key in UNPUBLISHED:
        assert world.projects[key].name not in text
    for private in ("王工", "13800000000", "李利", "孙山"):  # contacts and people stay inside
        assert private not in text
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).get()
    assert (event.object_repr, event.message, event.channel) == (
        "开放数据（OC4IDS）2026",
        "2个项目",
        "command",
    )


def test_the_schema_refuses_what_is_not_oc4ids(world: Any, published: Any, tmp_path: Path) -> None:
    """The validation can fail: a status outside the closed codelist, a package of no project."""
    package = export(tmp_path)
    wrong = copy.deepcopy(package)
    wrong["projects"][0]["status"] = "under_construction"
    empty = {**package, "projects": []}
    assert len(schema_errors(wrong)) == 1
    assert len(schema_errors(empty)) == 1


def test_a_withdrawn_project_leaves_the_api_at_once(
    client: Any, world: Any, published: KeyProjectList
) -> None:
    """alice takes p3 off 公开项目 (audited with the plan entry); rita reads the API."""
    p3 = world.projects["p3"]
    services.save_annual_plan(actor=world.alice, project=p3, year=2026, lists=[world.key_list])
    change = AuditEvent.objects.filter(object_id=str(world.plans["p3"].pk)).latest("at")
    assert (change.actor, change.changes["lists"]) == (
        world.alice,
        ["公开项目；市重点项目", "市重点项目"],
    )
    client.force_login(world.rita)
    response = client.get(URL, {"year": "2026"})
    assert response.status_code == 200
    package = response.json()
    assert schema_errors(package) == []
    assert package["uri"] == "http://testserver/api/v1/open-data/oc4ids?year=2026"
    assert [item["title"] for item in package["projects"]] == ["黄岛港区集装箱码头三期"]
    text = json.dumps(package, ensure_ascii=False)
    assert all(world.projects[key].name not in text for key in (*UNPUBLISHED, "p3"))


def test_nothing_is_published_without_the_settings_a_list_or_a_reader(
    client: Any, world: Any, settings: Any, tmp_path: Path, site: None
) -> None:
    out = tmp_path / "oc4ids.json"
    client.force_login(world.rita)
    # No list 公开项目 for 2026 yet: the command refuses and writes nothing, the API says so.
    with assert_nothing_written(AuditEvent), pytest.raises(CommandError, match="公开项目"):
        call_command("export_oc4ids", "--year", "2026", "--out", str(out))
    assert not out.exists()
    answer = client.get(URL, {"year": "2026"})
    assert answer.status_code == 404
    assert "没有" in answer.json()["detail"]
    # The auditor reads no business data, published or not.
    client.force_login(world.auditor)
    assert client.get(URL, {"year": "2026"}).status_code == 404
    # A site that has not set its prefix publishes nothing, and says what to set.
    settings.TIAODU_OPEN_DATA = {**settings.TIAODU_OPEN_DATA, "OC4IDS_PREFIX": ""}
    with pytest.raises(CommandError, match="TIAODU_OC4IDS_PREFIX"):
        call_command("export_oc4ids", "--year", "2026", "--out", str(out))
    assert not out.exists()


def test_codes_from_the_library() -> None:
    """projectType from the name, projectSector from the industry, then the name."""
    assert [
        codes.project_type(name)
        for name in ("崂山区污水处理厂扩建", "市南区老旧小区改造", "港湾物流园仓储中心")
    ] == ["expansion", "rehabilitation", "construction"]
    assert codes.project_sectors(industry="", name="崂山区污水处理厂扩建", category="other") == [
        "waterAndWaste"
    ]
    assert codes.project_sectors(industry="", name="崂山科创园一期", category="industry") == [
        "economy"
    ]
    assert codes.project_sectors(industry="", name="崂山科创园一期", category="social") == []
