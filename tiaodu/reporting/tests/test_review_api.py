"""The dispatcher's review over the API (docs/api.md): October 2026 in the personas' city,
p1's report handed in by rita on 11-02 (on time), nothing else. dora (黄岛区) approves it for
the district (once), alice (the city) approves it; leo (leader of p1) sees it and may not; lena
(崂山区) does not see it; a return needs its reason; the board counts as the page does."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from tiaodu.accounts.tokens import issue_api_token
from tiaodu.core.models import AuditEvent
from tiaodu.reporting.models import Period, Report
from tiaodu.reporting.tests.test_board import hand_in
from tiaodu.testing import assert_nothing_written

pytestmark = pytest.mark.django_db


def _client(world: Any, persona: str) -> Client:
    raw = issue_api_token(actor=None, user=getattr(world, persona), name="app")[1]
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    client.get("/api/v1/reports/due")  # a token's first use from an address is audited
    return client


def test_the_district_then_the_city_approve_and_others_are_refused(
    world: Any, october: Period
) -> None:
    report = hand_in(world, "p1", october, dt.date(2026, 11, 2))
    dora, alice, leo, lena = (_client(world, name) for name in ("dora", "alice", "leo", "lena"))
    queue = dora.get("/api/v1/reports/review").json()
    assert [(item["project_name"], item["actions"]) for item in queue["items"]] == [
        ("黄岛港区集装箱码头三期", ["approve_district", "return"])
    ]
    with assert_nothing_written(Report, AuditEvent):
        not_allowed = leo.post(f"/api/v1/reports/{report.pk}/approve")
        unseen = lena.post(f"/api/v1/reports/{report.pk}/approve")
        no_reason = dora.post(
            f"/api/v1/reports/{report.pk}/return", {"reason": " "}, content_type="application/json"
        )
    assert [not_allowed.status_code, unseen.status_code] == [403, 404]
    assert (no_reason.status_code, no_reason.json()["fields"]) == (
        422,
        {"reason": ["请写明填报员需要改正的内容。"]},
    )

    district = dora.post(f"/api/v1/reports/{report.pk}/approve").json()
    assert district["status"] == "district_approved"
    with assert_nothing_written(Report, AuditEvent):
        twice = dora.post(f"/api/v1/reports/{report.pk}/approve")
    assert (twice.status_code, twice.json()["detail"]) == (403, "此报告不在您的待审核范围内。")
    city = alice.post(f"/api/v1/reports/{report.pk}/approve").json()
    assert (city["status"], city["is_current"]) == ("approved", True)
    assert dora.get("/api/v1/reports/review").json()["items"] == []


def test_the_board_counts_the_callers_scope_and_is_not_for_reporters(
    world: Any, october: Period
) -> None:
    hand_in(world, "p1", october, dt.date(2026, 11, 2))
    board = _client(world, "dora").get(f"/api/v1/reports/board?period={october.pk}").json()
    assert board["period"]["label"] == october.label
    assert board["totals"] == {
        "expected": 3,
        "submitted": 1,
        "on_time": 1,
        "late": 0,
        "missing": 2,
        "submitted_rate": "33.33",
        "on_time_rate": "33.33",
    }
    assert [(row["name"], row["counts"]["missing"]) for row in board["by_unit"]] == [
        ("", 1),
        ("青岛港湾建设有限公司", 1),
    ]
    assert _client(world, "rita").get("/api/v1/reports/board").status_code == 404
