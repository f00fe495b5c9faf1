"""The report pages for the right persona and the wrong one; the flows through the services;
bad input answered with a message and nothing changed; queries that do not grow."""

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tiaodu.reporting import services
from tiaodu.reporting.choices import ReportStatus
from tiaodu.reporting.models import Period, Report
from tiaodu.testing import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_today() -> Iterator[None]:
    """Every page runs on TODAY (10:00 in Qingdao): October is due, November under way."""
    moment = dt.datetime.combine(TODAY, dt.time(2, 0), tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=True):
        yield


def _draft(world: Any, period: Period, key: str = "p1", **fields: Any) -> Report:
    reporter = world.sam if key == "p3" else (world.bob if key in {"p3"} else world.rita)
    report = services.open_draft(
        actor=reporter, plan=world.plans[key], period=period, today=period.due_date
    )
    if fields:
        report = services.update_draft(actor=reporter, report=report, **fields)
    return report


def _submitted(world: Any, period: Period, key: str = "p1") -> Report:
    report = _draft(world, period, key, investment=Decimal("120.50"))
    reporter = world.sam if key == "p3" else world.rita
    return services.submit_report(actor=reporter, report=report, today=TODAY)


def _shown(response: Any) -> list[int]:
    """The ids of the queue's rows on the page, in order."""
    return [row["report"].pk for row in response.context["rows"]]


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# ---------------------------------------------------------------------------- due list


def test_the_due_list_groups_the_reporters_reports_by_period(client, world, october):
    returned = _submitted(world, october)
    services.return_report(actor=world.dora, report=returned, reason="照片不清楚，请重拍")
    client.force_login(world.rita)
    response = client.get(reverse("reporting:due"))
    assert response.status_code == 200
    html = response.content.decode()
    groups = response.context["groups"]
    assert [g["period"].start.month for g in groups] == [10, 11]
    october_items = {due.plan.project.name: due for due in groups[0]["items"]}
    assert set(october_items) == {"黄岛港区集装箱码头三期", "港湾物流园仓储中心"}
    assert "照片不清楚，请重拍" in html
    assert 'data-testid="overdue"' in html  # October was due on 3 November
    assert "未开始" in html and "已退回" in html


def test_the_due_list_is_not_for_dispatchers_or_administrators(client, world, periods):
    for who in ("alice", "sysadmin"):
        client.force_login(getattr(world, who))
        assert client.get(reverse("reporting:due")).status_code == 404


def test_the_service_officer_reports_his_project(client, world, periods):
    client.force_login(world.sam)
    response = client.get(reverse("reporting:due"))
    names = {due.plan.project.name for g in response.context["groups"] for due in g["items"]}
    assert names == {"崂山科创园一期"}


def test_opening_a_report_from_the_due_list(client, world, october):
    client.force_login(world.rita)
    data = {"plan": world.plans["p1"].pk, "period": october.pk}
    response = client.post(reverse("reporting:open"), data)
    report = Report.objects.get(project=world.projects["p1"], period=october)
    assert response.status_code == 302 and response.url == reverse(
        "reporting:report", args=[report.pk]
    )
    # A second time finds the same draft.
    client.post(reverse("reporting:open"), data)
    assert Report.objects.filter(project=world.projects["p1"], period=october).count() == 1
    # Bob's entry is not his to open: 404, nothing made.
    client.force_login(world.bob)
    response = client.post(reverse("reporting:open"), {**data, "plan": world.plans["p1"].pk})
    assert response.status_code == 404


def test_the_home_page_and_navigation_of_the_reporter_and_dispatcher(client, world, october):
    _submitted(world, october)
    client.force_login(world.rita)
    html = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="home-due"' in html and reverse("reporting:due") in html
    client.force_login(world.dora)
    response = client.get(reverse("core:home"))
    html = response.content.decode()
    assert 'data-testid="home-review-count">1<' in html
    assert reverse("reporting:queue") in html


# ---------------------------------------------------------------------------- report page


def test_the_report_page_for_its_reporter_and_not_for_others(client, world, october):
    report = _draft(world, october)
    url = reverse("reporting:report", args=[report.pk])
    client.force_login(world.rita)
    response = client.get(url)
    assert response.status_code == 200 and response.context["editable"]
    for who in ("bob", "sam", "sysadmin"):
        client.force_login(getattr(world, who))
        assert client.get(url).status_code == 404
        response = client.post(url, {"action": "save", "investment": "5"})
        assert response.status_code == 404
    report.refresh_from_db()
    assert report.investment is None


def test_saving_then_submitting_the_report(client, world, october):
    report = _draft(world, october)
    url = reverse("reporting:report", args=[report.pk])
    client.force_login(world.rita)
    data = {
        "investment": "350.25",
        "physical_progress": "主体结构完成至三层",
        "workers_on_site": "86",
        "actual_start": "2026-03-10",
        "next_plan": "四层结构施工",
        "new_problems": "",
    }
    response = client.post(url, {**data, "action": "save"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.investment == Decimal("350.25") and report.status == ReportStatus.DRAFT
    assert report.actual_start == dt.date(2026, 3, 10)
    response = client.post(url, {**data, "action": "submit"}, follow=True)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == world.rita
    assert any("已提交" in m for m in _messages(response))
    # Submitted: read-only for the reporter, no form.
    response = client.get(url)
    assert response.context["form"] is None and not response.context["editable"]


def test_a_negative_amount_is_refused_and_nothing_changes(client, world, october):
    report = _draft(world, october, investment=Decimal("10"))
    client.force_login(world.rita)
    url = reverse("reporting:report", args=[report.pk])
    response = client.post(url, {"action": "save", "investment": "-5", "workers_on_site": "3"})
    assert response.status_code == 200
    assert "本期完成投资不能为负数" in response.content.decode()
    report.refresh_from_db()
    assert report.investment == Decimal("10") and report.workers_on_site is None


def test_submitting_without_an_amount_is_refused_and_nothing_changes(client, world, october):
    report = _draft(world, october)
    client.force_login(world.rita)
    url = reverse("reporting:report", args=[report.pk])
    response = client.post(url, {"action": "submit", "physical_progress": "进场"})
    assert response.status_code == 200
    assert "请填写本期完成投资" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.physical_progress == ""


def test_a_returned_report_shows_the_reason_on_top(client, world, october):
    report = _submitted(world, october)
    services.return_report(actor=world.dora, report=report, reason="请补充现场照片")
    client.force_login(world.rita)
    response = client.get(reverse("reporting:report", args=[report.pk]))
    html = response.content.decode()
    assert response.context["editable"]
    assert html.index('data-testid="return-reason"') < html.index('id="report-form"')
    assert "请补充现场照片" in html


def test_an_approved_report_is_read_only_and_amended_by_its_reporter(client, world, october):
    report = _submitted(world, october)
    report = services.approve_report(actor=world.alice, report=report)
    client.force_login(world.rita)
    url = reverse("reporting:report", args=[report.pk])
    response = client.get(url)
    assert response.context["can_amend"] and not response.context["editable"]
    assert 'data-testid="amend"' in response.content.decode()
    response = client.post(reverse("reporting:amend", args=[report.pk]))
    amendment = Report.objects.get(project=report.project, period=october, amendment=1)
    assert response.url == reverse("reporting:report", args=[amendment.pk])
    assert amendment.status == ReportStatus.DRAFT and amendment.investment == Decimal("120.50")
    # Dora cannot amend: a message, nothing made.
    client.force_login(world.dora)
    response = client.post(reverse("reporting:amend", args=[report.pk]), follow=True)
    assert Report.objects.filter(project=report.project, period=october).count() == 2
    assert _messages(response)


# ---------------------------------------------------------------------------- review


def test_the_queue_for_the_district_and_the_city_and_no_one_else(client, world, october):
    report = _submitted(world, october)
    client.force_login(world.dora)
    response = client.get(reverse("reporting:queue"))
    assert response.status_code == 200 and _shown(response) == [report.pk]
    assert "黄岛港区集装箱码头三期" in response.content.decode()
    for who in ("rita", "bob", "sysadmin"):
        client.force_login(getattr(world, who))
        assert client.get(reverse("reporting:queue")).status_code == 404
    # Lena and Bob are outside the report's scope: its page is a 404.
    for who in ("bob", "lena"):
        client.force_login(getattr(world, who))
        assert client.get(reverse("reporting:report", args=[report.pk])).status_code == 404


def test_the_queue_filters_by_period_and_region(client, world, periods):
    in_october = _submitted(world, periods[10])
    in_laoshan = _submitted(world, periods[10], "p3")
    in_november = _submitted(world, periods[11])
    client.force_login(world.alice)
    url = reverse("reporting:queue")
    waiting = {"status": "submitted"}
    shown = _shown(client.get(url, waiting))
    assert set(shown) == {in_october.pk, in_laoshan.pk, in_november.pk}
    shown = _shown(client.get(url, {**waiting, "period": periods[10].pk}))
    assert set(shown) == {in_october.pk, in_laoshan.pk}
    shown = _shown(client.get(url, {**waiting, "region": world.laoshan.pk}))
    assert shown == [in_laoshan.pk]


def test_approving_at_the_district_then_the_city(client, world, october):
    report = _submitted(world, october)
    url = reverse("reporting:report", args=[report.pk])
    client.force_login(world.dora)
    response = client.get(url)
    assert response.context["review_action"] == "approve_district"
    assert response.context["can_return"]
    client.post(reverse("reporting:approve", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.DISTRICT_APPROVED
    # Again: no longer hers to approve; a message and nothing changes.
    response = client.post(reverse("reporting:approve", args=[report.pk]), follow=True)
    assert _messages(response)
    report.refresh_from_db()
    assert report.status == ReportStatus.DISTRICT_APPROVED
    client.force_login(world.alice)
    assert client.get(url).context["review_action"] == "approve"
    client.post(reverse("reporting:approve", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and report.is_current


def test_returning_needs_a_reason(client, world, october):
    report = _submitted(world, october)
    client.force_login(world.dora)
    response = client.post(
        reverse("reporting:return", args=[report.pk]), {"reason": "  "}, follow=True
    )
    assert any("请写明" in m for m in _messages(response))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    client.post(reverse("reporting:return", args=[report.pk]), {"reason": "投资额与形象进度不符"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert report.return_reason == "投资额与形象进度不符"


def test_bulk_approve_says_how_many_and_which_were_skipped(client, world, periods):
    first = _submitted(world, periods[10])
    second = _submitted(world, periods[10], "p6")
    elsewhere = _submitted(world, periods[10], "p3")  # 崂山区: not Dora's
    services.approve_report(actor=world.dora, report=second)
    client.force_login(world.dora)
    ids = [first.pk, second.pk, elsewhere.pk]
    response = client.post(reverse("reporting:bulk_approve"), {"report": ids}, follow=True)
    shown = _messages(response)
    assert any("1" in m and "审核" in m for m in shown)
    assert any("港湾物流园仓储中心" in m for m in shown)
    assert "崂山科创园一期" not in " ".join(shown)
    first.refresh_from_db()
    elsewhere.refresh_from_db()
    assert first.status == ReportStatus.DISTRICT_APPROVED
    assert elsewhere.status == ReportStatus.SUBMITTED


# ---------------------------------------------------------------------------- queries


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_queue_and_the_due_list_do_not_grow_with_the_reports(client, world, periods):
    _submitted(world, periods[10])
    client.force_login(world.alice)
    queue_before = _queries(client, reverse("reporting:queue"))
    client.force_login(world.rita)
    due_before = _queries(client, reverse("reporting:due"))
    _submitted(world, periods[11])
    _submitted(world, periods[10], "p6")
    _submitted(world, periods[10], "p3")
    _submitted(world, periods[11], "p3")
    _draft(world, periods[11], "p6")
    client.force_login(world.alice)
    assert _queries(client, reverse("reporting:queue")) == queue_before
    client.force_login(world.rita)
    assert _queries(client, reverse("reporting:due")) == due_before
