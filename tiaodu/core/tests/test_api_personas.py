"""Every operation of the API as each persona (docs/api.md, "Who may call what"): the
persona is allowed (2xx), or gets the refusal its scope implies — 404 for what it does not
see, 403 for what it sees but may not do. One request per operation and persona, in this
process, each in a transaction rolled back after it, so that every request meets the same
city: p1's report for November is rita's draft with a photo, p6's for October is submitted
(waiting for 黄岛区), p1's for September is approved; the city runs a campaign.

`EXPECTED` has a line for every operation of the schema: an operation added without one
fails `test_every_operation_has_an_expectation`."""

import datetime as dt
import inspect
import sys
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from ninja import Schema

from tiaodu.api import api
from tiaodu.campaigns.choices import Indicator
from tiaodu.campaigns.services import TargetSpec, create_campaign
from tiaodu.core.tests import api_persona_supervision as supervision
from tiaodu.core.tests.media_files import encode, scene
from tiaodu.financing import services as financing
from tiaodu.reporting import services
from tiaodu.reporting.models import Period
from tiaodu.testing import TODAY
from tiaodu.video.services import add_camera

PERSONAS = (
    "alice",
    "dora",
    "rita",
    "bob",
    "leo",
    "lena",
    "hank",
    "sam",
    "sysadmin",
    "secadmin",
    "auditor",
)

# The answer of each operation to each persona, in the order of PERSONAS:
#   alice dora rita bob leo lena hank sam sysadmin secadmin auditor
# alice: the city's dispatcher; dora: 黄岛区's (p1, p2, p6); rita: reporter of unit A (p1,
# p6); bob: of unit B (p3); leo: leader of p1; lena: leader of 崂山区 (p3, p4); hank: handler
# of 市住建局 (p2); sam: service officer of p3; the three administrators see no business data.
EXPECTED: dict[str, str] = {
    # the project library: p1 for the paths; writes for the dispatchers of its region
    "tiaodu_projects_api_list_projects": "200 200 200 200 200 200 200 200 404 404 404",
    "tiaodu_projects_api_create_project": "201 201 403 403 403 403 403 403 403 403 403",
    "tiaodu_projects_api_get_project": "200 200 200 404 200 404 404 404 404 404 404",
    "tiaodu_projects_api_update_project": "200 200 403 404 403 404 404 404 404 404 404",
    "tiaodu_projects_api_project_people": "200 200 200 404 200 404 404 404 404 404 404",
    "tiaodu_projects_api_project_procedures": "200 200 200 404 200 404 404 404 404 404 404",
    "tiaodu_projects_api_set_procedures": "200 200 403 404 403 404 404 404 404 404 404",
    "tiaodu_projects_plan_api_list_plans": "200 200 200 200 200 200 200 200 404 404 404",
    "tiaodu_projects_plan_api_project_plans": "200 200 200 404 200 404 404 404 404 404 404",
    "tiaodu_projects_plan_api_create_plan": "201 201 403 404 403 404 404 404 404 404 404",
    "tiaodu_projects_plan_api_update_plan": "200 200 403 404 403 404 404 404 404 404 404",
    "tiaodu_projects_plan_api_list_key_lists": "200 200 200 200 200 200 200 200 404 404 404",
    "tiaodu_projects_plan_api_list_members": "200 200 200 200 200 200 200 200 404 404 404",
    "tiaodu_projects_plan_api_add_member": "200 200 403 404 403 404 404 404 404 404 404",
    "tiaodu_projects_plan_api_remove_member": "200 200 403 404 403 404 404 404 404 404 404",
    # reporting: p1's draft for the reporter's writes, p6's submitted report for the review
    # (leo leads p1 only), p1's approved one to amend; p1's October report to open
    "tiaodu_reporting_api_due": "200 200 200 200 200 200 200 200 200 200 200",
    "tiaodu_reporting_api_open_report": "403 403 201 404 403 404 404 404 404 404 404",
    "tiaodu_reporting_api_get_report": "200 200 200 404 200 404 404 404 404 404 404",
    "tiaodu_reporting_api_update_report": "403 403 200 404 403 404 404 404 404 404 404",
    "tiaodu_reporting_api_upload_file": "403 403 201 404 403 404 404 404 404 404 404",
    "tiaodu_reporting_api_delete_file": "403 403 204 404 403 404 404 404 404 404 404",
    "tiaodu_reporting_api_file_content": "200 200 200 404 200 404 404 404 404 404 404",
    "tiaodu_reporting_api_file_thumbnail": "200 200 200 404 200 404 404 404 404 404 404",
    "tiaodu_reporting_api_submit": "403 403 200 404 403 404 404 404 404 404 404",
    "tiaodu_reporting_api_amend": "403 403 201 404 403 404 404 404 404 404 404",
    "tiaodu_reporting_review_api_review_queue": "200 200 404 404 404 404 404 404 404 404 404",
    "tiaodu_reporting_review_api_approve": "200 200 403 404 404 404 404 404 404 404 404",
    "tiaodu_reporting_review_api_return_report": "200 200 403 404 404 404 404 404 404 404 404",
    "tiaodu_reporting_review_api_board": "200 200 404 404 200 200 404 404 404 404 404",
    # the figures, cards, rankings, campaigns and instructions
    "tiaodu_analytics_api_stats": "200 200 200 200 200 200 200 200 404 404 404",
    "tiaodu_scoring_api_list_cards": "200 200 200 200 200 200 200 200 404 404 404",
    "tiaodu_scoring_ranking_api_rankings": "200 200 404 404 200 200 404 404 404 404 404",
    "tiaodu_campaigns_api_campaign_attainment": "200 200 404 404 404 200 404 404 404 404 404",
    "tiaodu_supervision_instructions_api_list_instructions": "200 200 200 200 200 200 200 200 200 200 200",
    # (this city publishes no open data: 404 to everyone)
    "tiaodu_projects_open_data_api_oc4ids": "404 404 404 404 404 404 404 404 404 404 404",
    # the site cameras: one on p1 (a list answers what the caller's scope holds: nothing, to
    # the administrators)
    "tiaodu_video_api_list_cameras": "200 200 200 200 200 200 200 200 200 200 200",
    "tiaodu_video_api_list_projects": "200 200 200 200 200 200 200 200 200 200 200",
    "tiaodu_video_api_get_project": "200 200 200 404 200 404 404 404 404 404 404",
    "tiaodu_video_api_get_camera": "200 200 200 404 200 404 404 404 404 404 404",
    # the city's financing-needs list, published, with p1's loan on it; answered by a
    # financial institution only
    "tiaodu_financing_api_lists": "200 200 200 200 200 200 200 200 200 200 200",
    "tiaodu_financing_api_list_detail": "200 200 200 404 200 404 404 404 404 404 404",
    "tiaodu_financing_api_answer": "403 403 403 404 403 404 404 404 404 404 404",
}

# The problems, notices, meetings, field rounds and visits (`api_persona_supervision`).
EXPECTED.update(supervision.EXPECTED)

NEW_PROJECT = {
    "name": "黄岛区智慧港口物流中心",
    "category": "infrastructure",
    "total_investment": "85000.00",
    "plan": {"nature": "new_start", "level": "county", "planned_investment": "12000.00"},
}


def _operations() -> list[tuple[str, str, str]]:
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return [
        (operation["operationId"], method.upper(), path)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]


def test_no_two_schemas_of_the_api_share_a_name() -> None:
    """The OpenAPI schema names a component after its class: two classes of one name (a
    list of one app and an edition of another, both `ListOut`) would describe one
    operation's answer with the other's fields."""
    modules: dict[str, set[str]] = {}
    for name, module in list(sys.modules.items()):
        if not name.startswith("tiaodu.") or ".tests" in name:
            continue
        for attribute in vars(module).values():
            if (
                inspect.isclass(attribute)
                and issubclass(attribute, Schema)
                and attribute.__module__ == name
            ):
                modules.setdefault(attribute.__name__, set()).add(name)
    assert {name: where for name, where in modules.items() if len(where) > 1} == {}


def test_every_operation_has_an_expectation() -> None:
    assert sorted(op for op, _method, _path in _operations()) == sorted(EXPECTED)
    assert all(len(line.split()) == len(PERSONAS) for line in EXPECTED.values())


@pytest.fixture
def city(world: Any) -> Iterator[dict[str, Any]]:
    """The objects the paths name (TODAY, 10:00 in Qingdao)."""
    moment = dt.datetime.combine(TODAY, dt.time(2, 0), tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=True):
        services.open_periods(today=TODAY)
        month = {p.start.month: p for p in Period.objects.filter(cycle="monthly")}
        rita = world.rita
        september = month[9]
        approved = services.open_draft(
            actor=rita, plan=world.plans["p1"], period=september, today=september.due_date
        )
        services.update_draft(actor=rita, report=approved, investment=10)
        services.submit_report(actor=rita, report=approved, today=september.due_date)
        services.approve_report(actor=world.alice, report=approved)
        submitted = services.open_draft(actor=rita, plan=world.plans["p6"], period=month[10])
        services.update_draft(actor=rita, report=submitted, investment=20)
        services.submit_report(actor=rita, report=submitted)
        draft = services.open_draft(actor=rita, plan=world.plans["p1"], period=month[11])
        services.update_draft(actor=rita, report=draft, investment=30)
        photo = SimpleUploadedFile("工地.jpg", encode(scene(7, (800, 600))), "image/jpeg")
        item = services.add_file(actor=rita, report=draft, upload=photo, name="工地.jpg")
        campaign = create_campaign(
            actor=world.alice,
            name="2026年百日会战",
            year=2026,
            start=dt.date(2026, 9, 1),
            end=dt.date(2026, 12, 31),
            targets=[TargetSpec(indicator=Indicator.START_RATE, threshold=Decimal(100))],
        )
        camera = add_camera(
            actor=world.alice,
            project=world.projects["p1"],
            name="1号塔吊",
            stream_url="/live/p1/index.m3u8",
        )
        edition = financing.create_list(actor=world.alice, region=world.city, year=2026, number=6)
        loan = financing.add_need(
            actor=world.alice,
            financing_list=edition,
            project=world.projects["p1"],
            amount=Decimal(6000),
            kind="loan",
            purpose="项目建设资金",
            stage="construction",
        )
        financing.act_on_list(actor=world.alice, financing_list=edition, action="publish")
        yield {
            "project_id": world.projects["p1"].pk,
            "list_id": world.key_list.pk,
            "plan_id": world.plans["p1"].pk,
            "year": 2026,
            "campaign_id": campaign.pk,
            "camera_id": camera.pk,
            "financing_list_id": edition.pk,
            "need_id": loan.pk,
            "file_id": item.pk,
            "draft": draft.pk,
            "submitted": submitted.pk,
            "approved": approved.pk,
            "october": month[10].pk,
            **supervision.supervision_city(world),
        }


def _request(operation: str, method: str, path: str, city: dict[str, Any]) -> dict[str, Any]:
    """The address and body of one call: the object each operation is about."""
    report = {
        "tiaodu_reporting_review_api_approve": "submitted",
        "tiaodu_reporting_review_api_return_report": "submitted",
        "tiaodu_reporting_api_amend": "approved",
    }.get(operation, "draft")
    values = {**city, "report_id": city[report]}
    if operation.startswith("tiaodu_financing_api"):
        values["list_id"] = city["financing_list_id"]  # the edition, not a key-project list
    address = path.format(**{name: values[name] for name in values if f"{{{name}}}" in path})
    bodies: dict[str, Any] = {
        "tiaodu_projects_api_create_project": {**NEW_PROJECT, "region": city["huangdao"]},
        "tiaodu_projects_api_update_project": {"remarks": "用海手续已批复"},
        "tiaodu_projects_api_set_procedures": [],
        "tiaodu_projects_plan_api_create_plan": {
            "year": 2027,
            "nature": "continuing",
            "level": "municipal",
            "planned_investment": "3000.00",
        },
        "tiaodu_projects_plan_api_update_plan": {"planned_investment": "2100.00"},
        "tiaodu_projects_plan_api_add_member": {"plan_id": city["plan_id"]},
        "tiaodu_reporting_api_open_report": {
            "plan_id": city["plan_id"],
            "period_id": city["october"],
        },
        "tiaodu_reporting_api_update_report": {"workers_on_site": 120},
        "tiaodu_reporting_review_api_return_report": {"reason": "请补充现场照片。"},
        "tiaodu_financing_api_answer": {
            "institution": "青岛银行",
            "amount": "4000",
            "terms": "5年期",
            "contact_person": "王经理",
            "contact_phone": "0532-88886666",
        },
        **supervision.supervision_bodies(city),
    }
    if operation == "tiaodu_projects_open_data_api_oc4ids":
        return {"path": address, "data": {"year": 2026}}
    if operation == "tiaodu_reporting_api_upload_file":
        photo = SimpleUploadedFile("航拍.jpg", encode(scene(3, (640, 480))), "image/jpeg")
        return {"path": address, "data": {"file": photo}}
    if operation == "tiaodu_supervision_rounds_visit_api_add_photo":
        return {"path": address, "data": supervision.photo_upload()}
    if operation in bodies:
        return {"path": address, "data": bodies[operation], "content_type": "application/json"}
    return {"path": address}


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_operation_answers_the_persona_as_its_scope_implies(
    world: Any, city: dict[str, Any], persona: str
) -> None:
    city = {**city, "huangdao": world.huangdao.pk}
    client = Client()
    client.force_login(getattr(world, persona))
    column = PERSONAS.index(persona)
    answers, expected = {}, {}
    moment = dt.datetime.combine(TODAY, dt.time(2, 0), tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=True):
        for operation, method, path in _operations():
            call = getattr(client, method.lower())
            with transaction.atomic():
                answers[operation] = call(**_request(operation, method, path, city)).status_code
                transaction.set_rollback(True)
            expected[operation] = int(EXPECTED[operation].split()[column])
    assert answers == expected
