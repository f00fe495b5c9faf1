"""The reporter API as a phone app uses it, with a bearer token: rita (reporter of unit A,
owning p1 and p6) reports October for p1 from her due list to the review result; bob
(reporter of unit B) sees none of it; dora (黄岛区 dispatcher) sees it and may not report;
refusals answer with the messages in the caller's language and change nothing."""

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tiaodu.accounts.tokens import issue_api_token
from tiaodu.core.models import AuditEvent
from tiaodu.core.tests.media_files import SCRIPT, encode, exif, scene
from tiaodu.reporting import services
from tiaodu.reporting.models import Period, Report, ReportFile
from tiaodu.testing import TODAY

pytestmark = pytest.mark.django_db
BASE = "/api/v1/reports"


@pytest.fixture(autouse=True)
def _on_today() -> Iterator[None]:
    """TODAY, 10:00 in Qingdao (October is due, November under way)."""
    moment = dt.datetime.combine(TODAY, dt.time(2, 0), tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=True):
        yield


class App:
    """A phone app signed in with a user's token."""

    def __init__(self, user: Any, **cookies: str) -> None:
        _token, raw = issue_api_token(actor=user, user=user, name="手机App")
        self.client = Client(headers={"authorization": f"Bearer {raw}"})
        for name, value in cookies.items():
            self.client.cookies[name] = value

    def get(self, path: str) -> Any:
        return self.client.get(path)

    def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.client.post(path, json.dumps(body or {}), content_type="application/json")

    def patch(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.patch(path, json.dumps(body), content_type="application/json")

    def upload(self, report_id: int, upload: SimpleUploadedFile) -> Any:
        return self.client.post(f"{BASE}/{report_id}/files", {"file": upload})

    def delete(self, path: str) -> Any:
        return self.client.delete(path)


def _jpeg(name: str = "工地.jpg") -> SimpleUploadedFile:
    data = encode(scene(7, (1600, 1200)), exif=exif(taken="2026:10:20 09:15:00"))
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _draft(world: Any, october: Period, **fields: Any) -> Report:
    report = services.open_draft(actor=world.rita, plan=world.plans["p1"], period=october)
    if fields:
        report = services.update_draft(actor=world.rita, report=report, **fields)
    return report


# ---------------------------------------------------------------------------- the flow


def test_rita_reports_october_from_her_phone(world, october):
    app = App(world.rita)
    plan = world.plans["p1"]

    due = app.get(f"{BASE}/due")
    assert due.status_code == 200
    owed = {(d["project_name"], d["period"]["label"]) for d in due.json()}
    assert owed == {
        ("黄岛港区集装箱码头三期", "2026年10月"),
        ("港湾物流园仓储中心", "2026年10月"),
        ("黄岛港区集装箱码头三期", "2026年11月"),
        ("港湾物流园仓储中心", "2026年11月"),
    }
    first = next(d for d in due.json() if d["plan_id"] == plan.pk)
    assert first == {
        "plan_id": plan.pk,
        "project_id": world.projects["p1"].pk,
        "project_name": "黄岛港区集装箱码头三期",
        "period": {
            "id": october.pk,
            "cycle": "monthly",
            "label": "2026年10月",
            "start": "2026-10-01",
            "end": "2026-10-31",
            "due_date": "2026-11-03",
            "lock_date": "2026-11-06",
        },
        "overdue": True,
        "report_id": None,
        "status": None,
        "status_label": None,
        "return_reason": "",
    }

    opened = app.post(f"{BASE}/", {"plan_id": plan.pk, "period_id": october.pk})
    assert opened.status_code == 201
    report_id = opened.json()["id"]
    assert opened.json()["status"] == "draft" and opened.json()["actions"] == ["submit"]
    again = app.post(f"{BASE}/", {"plan_id": plan.pk, "period_id": october.pk})
    assert again.status_code == 200 and again.json()["id"] == report_id
    assert Report.objects.count() == 1

    patched = app.patch(
        f"{BASE}/{report_id}",
        {
            "investment": "120.50",
            "physical_progress": "主体结构封顶",
            "workers_on_site": 85,
            "actual_start": "2026-10-08",
        },
    )
    assert patched.status_code == 200
    body = patched.json()
    assert body["investment"] == "120.50" and body["actual_start"] == "2026-10-08"
    assert body["physical_progress"] == "主体结构封顶" and body["workers_on_site"] == 85
    assert body["editable"] is True
    # Only the fields sent change.
    app.patch(f"{BASE}/{report_id}", {"next_plan": "安装岸桥"})
    report = Report.objects.get(pk=report_id)
    assert report.investment == Decimal("120.50") and report.next_plan == "安装岸桥"

    stored = app.upload(report_id, _jpeg())
    assert stored.status_code == 201
    photo = stored.json()
    item = ReportFile.objects.get(pk=photo["id"])
    assert photo["kind"] == "photo" and photo["name"] == "工地.jpg"
    assert photo["content_type"] == "image/jpeg" and photo["size"] == item.size
    assert photo["taken_at"] == "2026-10-20T09:15:00+08:00"
    assert photo["url"] == f"{BASE}/files/{item.pk}/content"
    assert photo["thumbnail_url"] == f"{BASE}/files/{item.pk}/thumbnail"
    content = app.get(photo["url"])
    assert content.status_code == 200 and content["Content-Type"] == "image/jpeg"
    assert b"".join(content.streaming_content)[:3] == b"\xff\xd8\xff"
    assert app.get(photo["thumbnail_url"]).status_code == 200

    submitted = app.post(f"{BASE}/{report_id}/submit")
    assert submitted.status_code == 200
    body = submitted.json()
    assert body["status"] == "submitted" and body["status_label"] == "已报送"
    assert body["warnings"] == [] and body["actions"] == [] and body["editable"] is False
    assert body["submitted_at"].startswith("2026-11-05T10:")
    assert [f["id"] for f in body["files"]] == [item.pk]
    # Submitting again (a retry) changes nothing.
    assert app.post(f"{BASE}/{report_id}/submit").json()["submitted_at"] == body["submitted_at"]
    assert AuditEvent.objects.filter(object_type="reporting.report", action="update").count() == 3
    owed = {(d["project_name"], d["period"]["label"]) for d in app.get(f"{BASE}/due").json()}
    assert ("黄岛港区集装箱码头三期", "2026年10月") not in owed

    services.approve_report(actor=world.dora, report=report)
    read = app.get(f"{BASE}/{report_id}").json()
    assert read["status"] == "district_approved" and read["district_approved_at"]
    services.return_report(actor=world.alice, report=report, reason="照片不清楚，请重拍")
    read = app.get(f"{BASE}/{report_id}").json()
    assert read["status"] == "returned" and read["return_reason"] == "照片不清楚，请重拍"
    assert read["returned_at"] and read["actions"] == ["submit"] and read["editable"] is True
    [returned] = [d for d in app.get(f"{BASE}/due").json() if d["report_id"] == report_id]
    assert returned["status"] == "returned" and returned["return_reason"] == "照片不清楚，请重拍"

    assert app.delete(f"{BASE}/files/{item.pk}").status_code == 204
    assert not ReportFile.objects.exists()
    assert app.upload(report_id, _jpeg()).status_code == 201
    assert app.post(f"{BASE}/{report_id}/submit").json()["status"] == "submitted"
    services.approve_report(actor=world.alice, report=report)
    read = app.get(f"{BASE}/{report_id}").json()
    assert read["status"] == "approved" and read["is_current"] and read["actions"] == ["amend"]

    amended = app.post(f"{BASE}/{report_id}/amend")
    assert amended.status_code == 201
    assert amended.json()["amendment"] == 1 and amended.json()["investment"] == "120.50"
    again = app.post(f"{BASE}/{report_id}/amend")
    assert again.status_code == 200 and again.json()["id"] == amended.json()["id"]


# ---------------------------------------------------------------------------- scope


def test_bob_sees_nothing_of_ritas_report(world, october):
    report = _draft(world, october, investment=Decimal("10.00"))
    item = services.add_file(actor=world.rita, report=report, upload=_jpeg(), name="工地.jpg")
    app = App(world.bob)
    for answer in (
        app.get(f"{BASE}/{report.pk}"),
        app.patch(f"{BASE}/{report.pk}", {"investment": "999.00"}),
        app.upload(report.pk, _jpeg()),
        app.post(f"{BASE}/{report.pk}/submit"),
        app.delete(f"{BASE}/files/{item.pk}"),
        app.get(f"{BASE}/files/{item.pk}/content"),
        app.get(f"{BASE}/files/{item.pk}/thumbnail"),
        app.post(f"{BASE}/", {"plan_id": world.plans["p1"].pk, "period_id": october.pk}),
    ):
        assert answer.status_code == 404
        assert answer.json()["detail"] == "没有这份报告，或您无权查看。"
    assert {d["project_name"] for d in app.get(f"{BASE}/due").json()} == {"崂山科创园一期"}
    report.refresh_from_db()
    assert report.investment == Decimal("10.00") and report.status == "draft"
    assert ReportFile.objects.count() == 1 and Report.objects.count() == 1


def test_the_district_dispatcher_reads_but_does_not_report(world, october):
    report = _draft(world, october, investment=Decimal("10.00"))
    app = App(world.dora)
    read = app.get(f"{BASE}/{report.pk}")
    assert read.status_code == 200 and read.json()["actions"] == []
    assert read.json()["editable"] is False
    refused = app.post(f"{BASE}/{report.pk}/submit")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "只有项目单位的填报员或首席服务员可以填报。"
    assert app.patch(f"{BASE}/{report.pk}", {"investment": "1.00"}).status_code == 403
    opened = app.post(f"{BASE}/", {"plan_id": world.plans["p6"].pk, "period_id": october.pk})
    assert opened.status_code == 403
    assert app.get(f"{BASE}/due").json() == []
    report.refresh_from_db()
    assert report.status == "draft" and report.investment == Decimal("10.00")
    assert Report.objects.count() == 1


def test_only_a_period_that_is_due_is_opened(world, periods):
    app = App(world.rita)
    september = app.post(f"{BASE}/", {"plan_id": world.plans["p1"].pk, "period_id": periods[9].pk})
    assert september.status_code == 422
    assert september.json()["detail"] == "该项目当前不需要填报这一期。"
    assert (
        app.post(f"{BASE}/", {"plan_id": world.plans["p1"].pk, "period_id": 0}).status_code == 404
    )
    assert not Report.objects.exists()


# ---------------------------------------------------------------------------- refusals


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_changes(world, october):
    report = _draft(world, october)
    app = App(world.rita)
    refused = app.upload(report.pk, SimpleUploadedFile("现场.jpg", SCRIPT))
    assert refused.status_code == 422
    assert _is_chinese(refused.json()["detail"]) and "HTML" in refused.json()["detail"]
    assert refused.json()["messages"] == [refused.json()["detail"]]
    missing = app.client.post(f"{BASE}/{report.pk}/files", {})
    assert missing.status_code == 422 and missing.json()["detail"] == "请选择照片或视频。"
    assert not ReportFile.objects.exists()
    assert app.get(f"{BASE}/{report.pk}").json()["files"] == []


def test_a_negative_or_malformed_amount_is_refused_and_nothing_changes(world, october):
    report = _draft(world, october, investment=Decimal("10.00"), physical_progress="桩基施工")
    app = App(world.rita)
    negative = app.patch(f"{BASE}/{report.pk}", {"investment": "-5.00", "next_plan": "x"})
    assert negative.status_code == 422
    assert negative.json() == {
        "detail": "本期完成投资不能为负数。",
        "messages": ["本期完成投资不能为负数。"],
        "fields": {"investment": ["本期完成投资不能为负数。"]},
    }
    malformed = app.patch(f"{BASE}/{report.pk}", {"investment": "十万", "actual_start": "10/8"})
    assert malformed.status_code == 422
    assert set(malformed.json()["fields"]) == {"investment", "actual_start"}
    assert all(_is_chinese(m) for m in malformed.json()["messages"])
    report.refresh_from_db()
    assert report.investment == Decimal("10.00") and report.next_plan == ""
    assert report.actual_start is None and report.physical_progress == "桩基施工"


def test_a_submit_without_an_amount_or_after_the_lock_is_refused(world, periods):
    app = App(world.rita)
    october = _draft(world, periods[10])
    empty = app.post(f"{BASE}/{october.pk}/submit")
    assert empty.status_code == 422
    assert empty.json()["fields"] == {"investment": ["请填写本期完成投资（没有则填 0）。"]}
    september = services.open_draft(
        actor=world.rita, plan=world.plans["p1"], period=periods[9], today=periods[9].due_date
    )
    services.update_draft(actor=world.rita, report=september, investment=Decimal("1.00"))
    locked = app.post(f"{BASE}/{september.pk}/submit")
    assert locked.status_code == 422 and "2026年9月" in locked.json()["detail"]
    assert set(Report.objects.values_list("status", flat=True)) == {"draft"}


def test_a_blocking_check_refuses_the_submit(world, october):
    report = _draft(world, october, investment=Decimal("20000.00"))  # p1 totals 10,000 万元
    answer = App(world.rita).post(f"{BASE}/{report.pk}/submit")
    assert answer.status_code == 422 and "1.2" in answer.json()["detail"]
    warnings = App(world.rita).get(f"{BASE}/{report.pk}").json()["warnings"]
    assert [(w["rule"], w["blocking"]) for w in warnings] == [(2, True)]
    report.refresh_from_db()
    assert report.status == "draft" and report.submitted_at is None


def test_refusals_in_english_for_an_app_that_chose_english(world, october):
    report = _draft(world, october)
    answer = App(world.bob, django_language="en").get(f"{BASE}/{report.pk}")
    assert answer.status_code == 404
    assert answer.json()["detail"] == "There is no such report, or it is not yours to see."
    assert answer["Content-Language"] == "en"


# ---------------------------------------------------------------------------- the door


def test_no_token_or_a_wrong_one_is_401(world, october):
    report = _draft(world, october)
    assert Client().get(f"{BASE}/due").status_code == 401
    assert Client().get(f"{BASE}/{report.pk}").status_code == 401
    wrong = Client(headers={"authorization": "Bearer td_0000_nothing"})
    assert wrong.post(f"{BASE}/{report.pk}/submit").status_code == 401
    report.refresh_from_db()
    assert report.status == "draft"


def test_the_openapi_schema_lists_the_reporter_api(world):
    client = Client()
    client.force_login(world.rita)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/reports/due": {"get"},
        "/api/v1/reports/": {"post"},
        "/api/v1/reports/{report_id}": {"get", "patch"},
        "/api/v1/reports/{report_id}/files": {"post"},
        "/api/v1/reports/{report_id}/submit": {"post"},
        "/api/v1/reports/{report_id}/amend": {"post"},
        "/api/v1/reports/files/{file_id}": {"delete"},
        "/api/v1/reports/files/{file_id}/content": {"get"},
        "/api/v1/reports/files/{file_id}/thumbnail": {"get"},
    }.items() <= {path: set(methods) for path, methods in paths.items()}.items()


def test_a_token_submits_without_a_csrf_token_and_a_session_needs_one(
    world: Any, october: Any
) -> None:
    """Apps send no CSRF token: the bearer token must be enough for a POST, while a
    browser session's POST without the CSRF token stays refused."""
    with time_machine.travel(dt.datetime(2026, 11, 5, 10, tzinfo=dt.UTC), tick=False):
        report = services.open_draft(actor=world.rita, plan=world.plans["p1"], period=october)
        services.update_draft(actor=world.rita, report=report, investment=Decimal(5))
        _token, raw = issue_api_token(actor=world.rita, user=world.rita, name="手机App")
        strict = Client(enforce_csrf_checks=True)
        answer = strict.post(
            f"/api/v1/reports/{report.pk}/submit", headers={"authorization": f"Bearer {raw}"}
        )
        assert answer.status_code == 200 and answer.json()["status"] == "submitted"
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(world.rita)
        assert browser.post(f"/api/v1/reports/{report.pk}/submit").status_code == 403


def test_schema_refusals_and_401_speak_the_callers_language(world: Any, october: Period) -> None:
    report = _draft(world, october)
    app = App(world.rita)
    answer = app.patch(f"{BASE}/{report.pk}", {"workers_on_site": "很多"})
    body = answer.json()
    assert answer.status_code == 422 and "workers_on_site" in body["fields"]
    assert _is_chinese(body["detail"]) and body["messages"] == [body["detail"]]
    report.refresh_from_db()
    assert report.workers_on_site is None
    anonymous = Client().get(f"{BASE}/due")
    assert anonymous.status_code == 401 and _is_chinese(anonymous.json()["detail"])
    english = Client()
    english.cookies["django_language"] = "en"
    assert "Bearer" in english.get(f"{BASE}/due").json()["detail"]
