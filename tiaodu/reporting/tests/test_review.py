"""Reviewing with context: the review queue's tabs, filters and pages, approve and next,
bulk approval of unflagged reports only, and the report page's context panel, with exact
values.

Personas (tiaodu.testing): alice the city dispatcher (the whole city); dora the dispatcher
of 黄岛区 (p1, p2, p6 only); rita the reporter of unit A (p1 and p6, 黄岛区); sam the service
officer of p3 (崂山区, outside dora's district).

The October reports of `waiting`, submitted in this order on TODAY:
- p1 (rita): started 2026-03-10, not in the statistics: flagged by check 6;
- p3 (sam): no investment in August, September and October on a started project: check 3;
- p6 (rita): nothing flagged.
"""

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tiaodu.core.models import AuditEvent
from tiaodu.core.tests.media_files import encode, exif, scene
from tiaodu.projects import services as project_services
from tiaodu.reporting import services
from tiaodu.reporting.choices import ReportStatus
from tiaodu.reporting.history import PastReport
from tiaodu.reporting.models import Period, Report
from tiaodu.reporting.review_context import review_context
from tiaodu.testing import TODAY, assert_nothing_written, snapshot

pytestmark = pytest.mark.django_db

D = dt.date
QUEUE = "reporting:queue"


@pytest.fixture(autouse=True)
def _on_today() -> Iterator[None]:
    """10:00 in Qingdao on TODAY, ticking, so that each submission has its own moment."""
    moment = dt.datetime.combine(TODAY, dt.time(2, 0), tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=True):
        yield


def _moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour - 8), tzinfo=dt.UTC)


def _submit(world: Any, period: Period, key: str, amount: str, **fields: Any) -> Report:
    reporter = world.sam if key == "p3" else world.rita
    report = services.open_draft(
        actor=reporter, plan=world.plans[key], period=period, today=period.due_date
    )
    services.update_draft(actor=reporter, report=report, investment=Decimal(amount), **fields)
    return services.submit_report(actor=reporter, report=report, today=TODAY)


@pytest.fixture
def waiting(world: Any, periods: dict[int, Period]) -> dict[str, Report]:
    """The three October reports waiting for review (the module's docstring says which)."""
    services.record_past_reports(
        actor=world.alice,
        entries=[
            PastReport(
                plan=world.plans["p3"], period=periods[month], investment=Decimal(0),
                milestones={"actual_start": D(2026, 3, 1), "statistics_inclusion": D(2026, 4, 1)},
                submitted_at=_moment(periods[month].due_date), submitted_by=world.sam,
                approved_at=_moment(periods[month].due_date, 15), approved_by=world.alice,
            )
            for month in (8, 9)
        ],
    )  # fmt: skip
    october = periods[10]
    return {
        "p1": _submit(world, october, "p1", "350.25", actual_start=D(2026, 3, 10)),
        "p3": _submit(world, october, "p3", "0"),
        "p6": _submit(world, october, "p6", "80"),
    }


def _rows(response: Any) -> list[str]:
    """The projects of the queue's page, in order, by their key in the world."""
    names = {
        "黄岛港区集装箱码头三期": "p1",
        "黄岛区安置房建设项目": "p2",
        "崂山科创园一期": "p3",
        "港湾物流园仓储中心": "p6",
    }
    return [names[row["report"].project.name] for row in response.context["rows"]]


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# ---------------------------------------------------------------------------- the checks


def test_the_reports_carry_the_checks_the_queue_filters_on(waiting: dict[str, Report]) -> None:
    assert [w["rule"] for w in waiting["p1"].warnings] == [6]
    assert [w["rule"] for w in waiting["p3"].warnings] == [3]
    assert waiting["p6"].warnings == []


# ---------------------------------------------------------------------------- tabs and filters


def test_the_city_opens_on_what_waits_for_it_with_counts_per_status(client, world, waiting):
    client.force_login(world.alice)
    response = client.get(reverse(QUEUE))
    # Nothing approved by a district yet: the city opens on the submitted reports.
    assert response.context["filters"].status == "submitted"
    assert _rows(response) == ["p1", "p3", "p6"]  # oldest submission first
    counts = {tab["status"]: tab["count"] for tab in response.context["tabs"]}
    assert counts == {
        "submitted": 3,
        "district_approved": 0,
        "approved": 2,
        "returned": 0,
        "all": 5,
    }
    html = response.content.decode()
    assert "待区县审核" in html and "待市级审核" in html and "已通过" in html and "已退回" in html

    services.approve_report(actor=world.dora, report=waiting["p6"])
    response = client.get(reverse(QUEUE))
    assert response.context["filters"].status == "district_approved"
    assert _rows(response) == ["p6"]
    assert _rows(client.get(reverse(QUEUE), {"status": "approved"})) == ["p3", "p3"]


def test_the_queue_filters_by_region_period_and_check(client, world, waiting, periods):
    client.force_login(world.alice)
    url = reverse(QUEUE)
    submitted = {"status": "submitted"}
    assert _rows(client.get(url, {**submitted, "region": world.laoshan.pk})) == ["p3"]
    assert _rows(client.get(url, {**submitted, "region": world.huangdao.pk})) == ["p1", "p6"]
    assert _rows(client.get(url, {**submitted, "period": periods[10].pk})) == ["p1", "p3", "p6"]
    assert _rows(client.get(url, {**submitted, "period": periods[11].pk})) == []
    assert _rows(client.get(url, {**submitted, "flag": 6})) == ["p1"]
    assert _rows(client.get(url, {**submitted, "flag": 3})) == ["p3"]
    assert _rows(client.get(url, {**submitted, "flag": 5})) == []
    # The approved tab of August and September, and a status count under a filter.
    response = client.get(url, {"status": "all", "flag": 3})
    assert _rows(response) == ["p3"]
    assert {t["status"]: t["count"] for t in response.context["tabs"]}["submitted"] == 1
    # A value that names nothing is dropped, not an error.
    response = client.get(url, {"status": "nonsense", "flag": "9", "region": "x"})
    assert response.status_code == 200 and _rows(response) == ["p1", "p3", "p6"]


def test_the_queue_is_paged_and_its_links_keep_the_filters(client, world, periods):
    # Submitted, not yet reviewed reports of January to September, and October's.
    entries = [
        PastReport(
            plan=world.plans[key], period=periods[month], investment=Decimal(month),
            submitted_at=_moment(periods[month].due_date, 9 + index),
            submitted_by=world.sam if key == "p3" else world.rita,
        )
        for month in range(1, 11)
        for index, key in enumerate(("p1", "p3", "p6"))
    ]  # fmt: skip
    services.record_past_reports(actor=world.alice, entries=entries)
    client.force_login(world.alice)
    url = reverse(QUEUE)
    first = client.get(url, {"status": "submitted"})
    assert first.context["page"].paginator.count == 30
    assert len(first.context["rows"]) == 25
    assert first.context["rows"][0]["report"].period == periods[1]
    second = client.get(url, {"status": "submitted", "page": 2})
    assert len(second.context["rows"]) == 5
    assert {row["report"].period.start.month for row in second.context["rows"]} == {9, 10}
    assert len(client.get(url, {"status": "submitted", "per_page": 50}).context["rows"]) == 30
    assert len(client.get(url, {"status": "submitted", "per_page": 7}).context["rows"]) == 25
    # The rows link to their reports with the queue's filters; the pages keep them too.
    html = client.get(url, {"status": "submitted", "region": world.huangdao.pk}).content.decode()
    query = f"status=submitted&amp;region={world.huangdao.pk}"
    report = Report.objects.filter(project=world.projects["p1"]).order_by("submitted_at")[0]
    assert f'href="/reports/{report.pk}/?{query}"' in html
    assert f'href="?{query}&amp;page=2"' not in html  # 20 reports of 黄岛区: one page
    assert (
        'href="?status=submitted&amp;page=2"'
        in client.get(url, {"status": "submitted"}).content.decode()
    )


def test_a_district_dispatcher_sees_only_her_district(client, world, waiting):
    client.force_login(world.dora)
    url = reverse(QUEUE)
    response = client.get(url, {"status": "all"})
    assert _rows(response) == ["p6", "p1"]  # the whole history: newest first
    assert {t["status"]: t["count"] for t in response.context["tabs"]}["all"] == 2
    assert [r.name for r in response.context["regions"]] == ["黄岛区"]
    # 崂山区 is not hers: the filter is dropped, and p3 never shows.
    assert _rows(client.get(url, {"status": "all", "region": world.laoshan.pk})) == ["p6", "p1"]
    assert _rows(client.get(url, {"status": "submitted", "flag": 3})) == []
    assert client.get(reverse("reporting:report", args=[waiting["p3"].pk])).status_code == 404


# ---------------------------------------------------------------------------- approve and next


def _approve_next(client: Any, report: Report, query: str) -> Any:
    url = reverse("reporting:approve", args=[report.pk]) + "?" + query
    return client.post(url, {"then": "next"})


def test_approve_and_next_follows_the_queue_and_its_filters(client, world, waiting):
    client.force_login(world.alice)
    # The whole submitted tab: p1, then p3, then p6.
    response = _approve_next(client, waiting["p1"], "status=submitted")
    assert response.status_code == 302
    assert response["Location"] == f"/reports/{waiting['p3'].pk}/?status=submitted"
    # Only 黄岛区: from p1's neighbour p3 (not in the filter) the next is p6.
    query = f"status=submitted&region={world.huangdao.pk}"
    response = _approve_next(client, waiting["p3"], query)
    assert response["Location"] == f"/reports/{waiting['p6'].pk}/?{query}"
    # The last one: back to the queue, with its filters, and a message.
    response = _approve_next(client, waiting["p6"], query)
    assert response["Location"] == f"/reports/review/?{query}"
    shown = _messages(client.get(response["Location"]))
    assert any("已是本队列中最后一份待您审核的报告" in m for m in shown)
    statuses = set(
        Report.objects.filter(pk__in=[r.pk for r in waiting.values()]).values_list(
            "status", flat=True
        )
    )
    assert statuses == {ReportStatus.APPROVED}


def test_approve_and_next_never_leads_a_district_outside_it(client, world, waiting):
    client.force_login(world.dora)
    response = _approve_next(client, waiting["p1"], "status=submitted")
    assert response["Location"] == f"/reports/{waiting['p6'].pk}/?status=submitted"
    # p3 still waits (for the city), but it is not dora's: the queue is at its end.
    response = _approve_next(client, waiting["p6"], "status=submitted")
    assert response["Location"] == "/reports/review/?status=submitted"
    assert Report.objects.get(pk=waiting["p3"].pk).status == ReportStatus.SUBMITTED


def test_the_report_page_offers_approve_and_next_with_the_queue_filters(client, world, waiting):
    client.force_login(world.dora)
    page = client.get(
        reverse("reporting:report", args=[waiting["p1"].pk]), {"status": "submitted", "flag": 6}
    )
    html = page.content.decode()
    assert f'action="/reports/{waiting["p1"].pk}/approve/?status=submitted&amp;flag=6"' in html
    assert 'data-testid="approve-next"' in html and "审核通过并下一条" in html
    assert 'href="/reports/review/?status=submitted&amp;flag=6"' in html


# ---------------------------------------------------------------------------- bulk approval


def test_bulk_approval_approves_the_unflagged_and_names_the_flagged(client, world, waiting):
    client.force_login(world.alice)
    flagged = Report.objects.filter(pk=waiting["p1"].pk)
    before = snapshot(Report)
    response = client.post(
        reverse("reporting:bulk_approve") + "?status=submitted",
        {"report": [waiting["p1"].pk, waiting["p6"].pk]},
        follow=True,
    )
    shown = _messages(response)
    assert "已审核通过 1 份报告。" in shown
    assert any("黄岛港区集装箱码头三期（2026年10月）" in m and "预警" in m for m in shown)
    assert Report.objects.get(pk=waiting["p6"].pk).status == ReportStatus.APPROVED
    label = Report._meta.label
    p1_before = [row for row in before[label] if row["id"] == waiting["p1"].pk]
    assert [row for row in snapshot(Report)[label] if row["id"] == waiting["p1"].pk] == p1_before
    assert flagged.get().status == ReportStatus.SUBMITTED
    assert AuditEvent.objects.filter(object_id=str(waiting["p6"].pk)).count() >= 1


def test_bulk_approval_of_flagged_reports_only_writes_nothing(client, world, waiting):
    client.force_login(world.alice)
    with assert_nothing_written(Report, AuditEvent):
        response = client.post(
            reverse("reporting:bulk_approve"),
            {"report": [waiting["p1"].pk, waiting["p3"].pk]},
            follow=True,
        )
    shown = " ".join(_messages(response))
    assert "2 份报告未通过" in shown
    assert (
        "黄岛港区集装箱码头三期（2026年10月）" in shown and "崂山科创园一期（2026年10月）" in shown
    )


def test_the_queue_offers_bulk_approval_on_unflagged_rows_only(client, world, waiting):
    client.force_login(world.alice)
    response = client.get(reverse(QUEUE), {"status": "submitted"})
    html = response.content.decode()
    assert f'name="report" value="{waiting["p6"].pk}"' in html
    assert f'name="report" value="{waiting["p1"].pk}"' not in html
    assert f'name="report" value="{waiting["p3"].pk}"' not in html


# ---------------------------------------------------------------------------- the context panel


def _unlock(world: Any, period: Period) -> None:
    services.grant_lock_exception(
        actor=world.alice, period=period, owner_unit=world.unit_a,
        until=D(2099, 1, 1), reason="补报",
    )  # fmt: skip


def _approved(world: Any, period: Period, amount: str, **fields: Any) -> Report:
    report = services.approve_report(
        actor=world.dora, report=_submit(world, period, "p1", amount, **fields)
    )
    return services.approve_report(actor=world.alice, report=report)


def _photo(name: str, seed: int) -> SimpleUploadedFile:
    data = encode(scene(seed, (800, 600)), exif=exif(taken="2026:09:20 15:40:00"))
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


@pytest.fixture
def october_in_context(world: Any, periods: dict[int, Period]) -> Report:
    """p1 (plan 2,000.00): the ledger says 500.00 by 30 June; July's 120.50 (started
    2026-03-10) and September's 100.00 (with a photo) are approved; October's 350.25 waits."""
    for month in (7, 9):
        _unlock(world, periods[month])
    plan = world.plans["p1"]
    project_services.save_annual_plan(
        actor=world.alice, project=world.projects["p1"], year=2026, nature=plan.nature,
        level=plan.level, ytd_completed=Decimal("500"), ytd_as_of=D(2026, 6, 30),
    )  # fmt: skip
    _approved(world, periods[7], "120.50", actual_start=D(2026, 3, 10))
    september = services.open_draft(
        actor=world.rita, plan=plan, period=periods[9], today=periods[9].due_date
    )
    services.update_draft(
        actor=world.rita,
        report=september,
        investment=Decimal("100"),
        physical_progress="沉箱预制完成",
    )
    services.add_file(
        actor=world.rita, report=september, upload=_photo("九月.jpg", 3), name="九月.jpg"
    )
    september = services.submit_report(actor=world.rita, report=september, today=TODAY)
    services.approve_report(actor=world.alice, report=september)
    return _submit(world, periods[10], "p1", "350.25")


def test_the_context_panel_says_the_year_so_far_at_the_periods_end(world, october_in_context):
    panel = review_context(world.dora, Report.objects.get(pk=october_in_context.pk))
    progress = panel.progress
    assert progress.as_of == D(2026, 10, 31)
    assert progress.ytd_completed == Decimal("720.50")  # 500.00 + 120.50 + 100.00
    assert progress.annual_plan == Decimal("2000.00")
    assert progress.completion_rate == Decimal("36.03")
    assert progress.time_progress == Decimal("83.33")
    assert progress.gap == Decimal("-47.30")
    assert progress.lagging  # started, and more than 10 points behind
    after = panel.progress_if_approved
    assert after is not None
    assert (after.ytd_completed, after.completion_rate) == (Decimal("1070.75"), Decimal("53.54"))
    assert panel.previous is not None and panel.previous.period.label == "2026年9月"
    assert panel.previous.investment == Decimal("100.00")
    assert [f.original_name for f in panel.previous_files] == ["九月.jpg"]
    assert panel.card is None  # no card computed for October


def test_the_context_panel_on_the_page(client, world, october_in_context):
    client.force_login(world.dora)
    html = client.get(reverse("reporting:report", args=[october_in_context.pk])).content.decode()
    assert 'data-testid="context-panel"' in html
    assert 'data-testid="context-ytd">720.50<' in html
    assert 'data-testid="context-plan">2,000.00<' in html
    assert 'data-testid="context-rate">36.03%<' in html
    assert 'data-testid="context-time-progress">83.33%<' in html
    assert "落后序时进度 47.30 个百分点" in html
    assert "审核通过后本年累计 1,070.75 万元，完成率 53.54%" in html
    assert "沉箱预制完成" in html and 'alt="九月.jpg"' in html
    assert 'data-testid="card-colour"' not in html  # no card: no empty box either
    # The reporter reads the same panel beside her submitted report.
    client.force_login(world.rita)
    html = client.get(reverse("reporting:report", args=[october_in_context.pk])).content.decode()
    assert 'data-testid="context-ytd">720.50<' in html


def test_the_first_report_of_the_year_has_no_previous_one(world, waiting):
    panel = review_context(world.alice, waiting["p6"])
    assert panel.previous is None and panel.previous_files == []
    assert panel.progress.ytd_completed == Decimal("0.00")
    assert panel.progress.completion_rate == Decimal("0.00")
    assert not panel.progress.lagging  # p6 has not started
