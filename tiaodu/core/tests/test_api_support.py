"""What every list and read of the API shares (core.api_support, docs/api.md): cursor pages
that no one can forge, ETags answered 304, rate limits per token, and the library's filters
as query parameters, refused in Chinese when a value names nothing."""

from typing import Any

from django.test import Client

from tiaodu.accounts.tokens import issue_api_token
from tiaodu.projects import services as project_services


def _bearer(world: Any, persona: str) -> dict[str, str]:
    raw = issue_api_token(actor=None, user=getattr(world, persona), name="hub")[1]
    return {"Authorization": f"Bearer {raw}"}


def test_a_client_walks_the_pages_with_the_cursor_and_cannot_forge_one(world: Any) -> None:
    client, headers = Client(), _bearer(world, "alice")
    first = client.get("/api/v1/projects/?limit=4", headers=headers).json()
    assert len(first["items"]) == 4
    cursor = first["next_cursor"]
    # A project added between the pages, larger than all, is not repeated or shifted in.
    project_services.update_project(
        actor=world.alice, project=world.projects["p1"], total_investment=90000
    )
    second = client.get(f"/api/v1/projects/?limit=4&cursor={cursor}", headers=headers).json()
    names = [item["name"] for item in first["items"] + second["items"]]
    assert names == [
        "港湾物流园仓储中心",
        "市南区老旧小区改造",
        "崂山区污水处理厂扩建",
        "崂山科创园一期",
        "黄岛区安置房建设项目",
    ]
    assert second["next_cursor"] is None

    forged = client.get(f"/api/v1/projects/?cursor={cursor[:-2]}xx", headers=headers)
    assert (forged.status_code, forged.json()["detail"]) == (
        400,
        "这个游标不是本列表给出的，请不带游标从头开始。",
    )
    # A cursor is good for the list that gave it only.
    elsewhere = client.get(f"/api/v1/projects/plans?cursor={cursor}", headers=headers)
    assert elsewhere.status_code == 400


def test_a_read_answers_304_to_its_etag_until_it_changes(world: Any) -> None:
    client, headers = Client(), _bearer(world, "dora")
    address = f"/api/v1/projects/{world.projects['p1'].pk}"
    first = client.get(address, headers=headers)
    etag = first["ETag"]
    assert etag.startswith('W/"')
    again = client.get(address, headers={**headers, "If-None-Match": etag})
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", etag)
    project_services.update_project(
        actor=world.alice, project=world.projects["p1"], name="黄岛港区集装箱码头三期（调整）"
    )
    changed = client.get(address, headers={**headers, "If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_a_token_over_its_rate_is_answered_429_in_chinese(world: Any, settings: Any) -> None:
    settings.TIAODU_API_RATES = {"token": "2/min", "session": "2/min"}
    client, headers = Client(), _bearer(world, "dora")
    assert [client.get("/api/v1/projects/", headers=headers).status_code for _ in "ab"] == [
        200,
        200,
    ]
    refused = client.get("/api/v1/projects/", headers=headers)
    assert (refused.status_code, refused.json()["detail"]) == (429, "请求过于频繁，请稍候再发送。")
    assert int(refused["Retry-After"]) > 0
    # Another token of the same user counts on its own.
    assert client.get("/api/v1/projects/", headers=_bearer(world, "dora")).status_code == 200


def test_the_library_filters_narrow_the_list_and_a_region_out_of_reach_is_refused(
    world: Any,
) -> None:
    client, headers = Client(), _bearer(world, "dora")
    answer = client.get(
        f"/api/v1/projects/?region={world.huangdao.pk}&nature=new_start", headers=headers
    )
    assert [item["name"] for item in answer.json()["items"]] == ["黄岛港区集装箱码头三期"]
    refused = client.get(f"/api/v1/projects/?region={world.laoshan.pk}", headers=headers)
    assert refused.status_code == 422
    assert list(refused.json()["fields"]) == ["region"]
