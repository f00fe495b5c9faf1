"""The project library's API (docs/api.md): a dispatcher creates a project once per key,
changes its fields, its procedures, its plan entry and its lists through the services the
pages use; a project out of scope answers 404, one the caller may only read 403, a body the
page's form refuses 422 naming the field, and none of these writes anything."""

from typing import Any

from django.test import Client

from tiaodu.accounts.tokens import issue_api_token
from tiaodu.core.models import AuditEvent
from tiaodu.projects.models import AnnualPlan, ListMembership, Procedure, Project
from tiaodu.testing import assert_nothing_written


def _client(world: Any, persona: str) -> Client:
    raw = issue_api_token(actor=None, user=getattr(world, persona), name="app")[1]
    return Client(headers={"Authorization": f"Bearer {raw}"})


NEW = {
    "name": "黄岛区智慧港口物流中心",
    "category": "infrastructure",
    "total_investment": "85000.00",
    "plan": {
        "nature": "new_start",
        "level": "county",
        "planned_investment": "12000.00",
        "planned_start": "2026-12-01",
    },
}


def test_a_project_is_created_once_per_key_and_out_of_reach_regions_are_refused(
    world: Any,
) -> None:
    dora = _client(world, "dora")
    body = {**NEW, "region": world.huangdao.pk, "owner_unit": world.unit_a.pk}
    key = {"Idempotency-Key": "new-project-0001"}
    first = dora.post("/api/v1/projects/", body, content_type="application/json", headers=key)
    again = dora.post("/api/v1/projects/", body, content_type="application/json", headers=key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    created = Project.objects.get(name="黄岛区智慧港口物流中心")
    assert (first.json()["id"], first.json()["region"], first.json()["editable"]) == (
        created.pk,
        "黄岛区",
        True,
    )
    assert created.plans.get().planned_investment == 12000

    with assert_nothing_written(Project, AnnualPlan, AuditEvent):
        refused = dora.post(
            "/api/v1/projects/",
            {**body, "name": "崂山区项目", "region": world.laoshan.pk},
            content_type="application/json",
        )
    assert refused.status_code == 422
    assert list(refused.json()["fields"]) == ["region"]


def test_fields_change_for_the_dispatcher_and_not_for_a_reader_or_outside_scope(
    world: Any,
) -> None:
    p1, p3 = world.projects["p1"], world.projects["p3"]
    dora, lena = _client(world, "dora"), _client(world, "lena")
    lena.get("/api/v1/projects/")  # a token's first use from an address is audited
    changed = dora.patch(
        f"/api/v1/projects/{p1.pk}",
        {"total_investment": "12345.60", "remarks": "用海手续已批复"},
        content_type="application/json",
    )
    assert changed.status_code == 200
    assert (changed.json()["total_investment"], changed.json()["remarks"]) == (
        "12345.60",
        "用海手续已批复",
    )
    assert Project.objects.get(pk=p1.pk).name == "黄岛港区集装箱码头三期"  # not sent: kept
    with assert_nothing_written(Project, AuditEvent):
        read_only = lena.patch(
            f"/api/v1/projects/{p3.pk}", {"remarks": "x"}, content_type="application/json"
        )
        outside = dora.patch(
            f"/api/v1/projects/{p3.pk}", {"remarks": "x"}, content_type="application/json"
        )
        bad = dora.patch(
            f"/api/v1/projects/{p1.pk}",
            {"total_investment": "很多"},
            content_type="application/json",
        )
    assert (read_only.status_code, read_only.json()["detail"]) == (403, "您无权修改该项目。")
    assert outside.status_code == 404
    assert (bad.status_code, list(bad.json()["fields"])) == (422, ["total_investment"])


def test_procedures_plan_figures_and_lists_change_through_the_services(world: Any) -> None:
    dora, p1 = _client(world, "dora"), world.projects["p1"]
    address = f"/api/v1/projects/{p1.pk}/procedures"
    with assert_nothing_written(Procedure):
        undated = dora.put(
            address,
            [{"kind": "project_approval", "status": "done"}],
            content_type="application/json",
        )
        twice = dora.put(
            address,
            [{"kind": "project_approval", "status": "pending"}] * 2,
            content_type="application/json",
        )
    assert undated.status_code == 422
    assert (twice.status_code, twice.json()["fields"]) == (
        422,
        {"kind": ["每项手续只能发送一次。"]},
    )
    done = dora.put(
        address,
        [
            {
                "kind": "project_approval",
                "status": "done",
                "completed_on": "2026-03-02",
                "document_number": "青发改审批〔2026〕12号",
            }
        ],
        content_type="application/json",
    )
    assert done.json()[0] == {
        "kind": "project_approval",
        "label": "立项（审批/核准/备案）",
        "status": "done",
        "completed_on": "2026-03-02",
        "document_number": "青发改审批〔2026〕12号",
    }

    plan = dora.patch(
        f"/api/v1/projects/{p1.pk}/plans/2026",
        {"planned_investment": "2500.00"},
        content_type="application/json",
    ).json()
    assert (plan["planned_investment"], [item["name"] for item in plan["lists"]]) == (
        "2500.00",
        ["市重点项目"],
    )
    key_list = world.key_list.pk
    off = dora.delete(f"/api/v1/projects/lists/{key_list}/members/{plan['id']}")
    assert off.json()["lists"] == []
    again = dora.delete(f"/api/v1/projects/lists/{key_list}/members/{plan['id']}")
    assert again.status_code == 404
    back = dora.post(
        f"/api/v1/projects/lists/{key_list}/members",
        {"plan_id": plan["id"]},
        content_type="application/json",
    )
    assert [item["name"] for item in back.json()["lists"]] == ["市重点项目"]
    assert ListMembership.objects.filter(annual_plan_id=plan["id"], end__isnull=True).count() == 1
    members = dora.get(f"/api/v1/projects/lists/{key_list}/members").json()["items"]
    assert [item["project_name"] for item in members] == [
        "黄岛区安置房建设项目",
        "黄岛港区集装箱码头三期",
    ]
