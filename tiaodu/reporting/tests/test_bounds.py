"""Inputs out of bounds answer 400 in Chinese (or the list page with the form's error), and
write nothing: the page sizes offered, dates near the plan year, ids the database can hold,
the API's pagination, text that is UTF-8 (docs/errors.md, "Bounds")."""

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.test import Client

from tiaodu.core.models import AuditEvent
from tiaodu.reporting import services
from tiaodu.reporting.models import Report
from tiaodu.testing import TODAY, assert_nothing_written

pytestmark = pytest.mark.django_db

TOO_BIG = "99999999999999999999"


def _client(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# --- page sizes --------------------------------------------------------------------------


@pytest.mark.parametrize("size", ["-1", "5000", "0", "abc", TOO_BIG])
def test_a_page_size_not_offered_falls_back_to_25_in_the_library(world: Any, size: str) -> None:
    response = _client(world.alice).get("/projects/", {"per_page": size})
    assert response.status_code == 200
    assert response.context["table"].paginator.per_page == 25


@pytest.mark.parametrize("size", ["-1", "5000", TOO_BIG])
def test_a_page_size_not_offered_falls_back_to_25_in_the_review_queue(
    world: Any, size: str
) -> None:
    response = _client(world.dora).get("/reports/review/", {"per_page": size})
    assert response.status_code == 200
    assert response.context["page"].paginator.per_page == 25


def test_a_review_queue_filter_naming_an_id_too_large_is_left_out(world: Any) -> None:
    response = _client(world.dora).get("/reports/review/", {"region": TOO_BIG, "period": TOO_BIG})
    assert response.status_code == 200
    assert response.context["filters"].region is None
    assert response.context["filters"].period is None


# --- statistics dates --------------------------------------------------------------------


@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01", "2030-06-30"])
def test_a_figure_date_far_from_the_plan_year_is_the_forms_error(world: Any, as_of: str) -> None:
    with assert_nothing_written(AuditEvent):
        response = _client(world.alice).get("/analytics/", {"as_of": as_of})
    assert response.status_code == 200
    assert "请选择2026年内的日期" in response.content.decode()


@pytest.mark.parametrize("year", ["0", "-5", "9999", TOO_BIG])
def test_api_stats_of_a_year_out_of_bounds_is_a_400_in_chinese(world: Any, year: str) -> None:
    response = _client(world.alice).get("/api/v1/stats", {"year": year})
    assert response.status_code == 400
    assert response.json()["detail"] == "请选择2000年至2100年之间的年份。"


# --- the API's pagination ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["limit"])
@pytest.mark.parametrize("value", [TOO_BIG, "-1"])
def test_api_pagination_out_of_bounds_is_refused_in_chinese(
    world: Any, name: str, value: str
) -> None:
    response = _client(world.alice).get("/api/v1/projects/", {name: value})
    assert response.status_code == 422
    assert response.json()["detail"] == f"请检查以下字段后重新发送：{name}。"


# --- ids from query strings --------------------------------------------------------------


def test_an_id_too_large_for_the_database_is_a_400_in_chinese(world: Any, october: Any) -> None:
    response = _client(world.alice).get(f"/reports/board/{october.pk}/missing/", {"unit": TOO_BIG})
    assert response.status_code == 400
    assert "地址中的编号超出范围。" in response.content.decode()


# --- text that is not UTF-8 --------------------------------------------------------------


def test_a_lone_surrogate_in_a_report_is_a_400_in_chinese(world: Any, october: Any) -> None:
    moment = dt.datetime.combine(TODAY, dt.time(2, 0), tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=False):
        report = services.open_draft(actor=world.rita, plan=world.plans["p1"], period=october)
    client = _client(world.rita)
    body = '{"new_problems": "\\ud800"}'
    with assert_nothing_written(Report, AuditEvent):
        response = client.patch(
            f"/api/v1/reports/{report.pk}", body, content_type="application/json"
        )
    assert response.status_code == 400
    assert response.json()["detail"] == "文本中含有无法保存的字符（不是有效的UTF-8）。"


# --- a report's contents -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"workers_on_site": 2_000_000}, "workers_on_site", "在场工人数须在0至100000之间。"),
        ({"workers_on_site": 100001}, "workers_on_site", "在场工人数须在0至100000之间。"),
        ({"actual_start": "9999-12-31"}, "actual_start", "请选择2025年至2027年之间的日期。"),
        (
            {"actual_completion": "0001-01-01"},
            "actual_completion",
            "请选择2025年至2027年之间的日期。",
        ),
    ],
)
def test_a_report_out_of_bounds_is_refused_in_chinese_and_nothing_written(
    world: Any, october: Any, body: dict[str, Any], field: str, message: str
) -> None:
    moment = dt.datetime.combine(TODAY, dt.time(2, 0), tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=False):
        report = services.open_draft(actor=world.rita, plan=world.plans["p1"], period=october)
    client = _client(world.rita)
    with assert_nothing_written(Report, AuditEvent):
        response = client.patch(
            f"/api/v1/reports/{report.pk}", json.dumps(body), content_type="application/json"
        )
    assert response.status_code == 422
    assert response.json()["fields"] == {field: [message]}


def test_a_report_within_bounds_is_saved(world: Any, october: Any) -> None:
    moment = dt.datetime.combine(TODAY, dt.time(2, 0), tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=False):
        report = services.open_draft(actor=world.rita, plan=world.plans["p1"], period=october)
    response = _client(world.rita).patch(
        f"/api/v1/reports/{report.pk}",
        json.dumps({"workers_on_site": 100000, "actual_start": "2025-12-01"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.workers_on_site == 100000 and report.actual_start == dt.date(2025, 12, 1)


def test_a_body_that_is_not_json_is_a_400_in_chinese(world: Any, october: Any) -> None:
    moment = dt.datetime.combine(TODAY, dt.time(2, 0), tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=False):
        report = services.open_draft(actor=world.rita, plan=world.plans["p1"], period=october)
    with assert_nothing_written(Report, AuditEvent):
        response = _client(world.rita).patch(
            f"/api/v1/reports/{report.pk}", "{not json", content_type="application/json"
        )
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "发送的地址或表单无法识别。请返回重试；如再次出现，请告知系统管理员。"
    )
