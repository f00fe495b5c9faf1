"""The project page's 调度报告 tab: the investment series with exact numbers, the reports a
reader may see with their files, amendments kept, and queries that do not grow.

Personas: alice the city dispatcher, dora the Huangdao dispatcher, rita the reporter of
unit A (p1 and p6, in Huangdao), bob the reporter of unit B (Laoshan), leo the leader
assigned p1.
"""

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tiaodu.core.tests.media_files import encode, exif, mp4, scene
from tiaodu.projects import services as project_services
from tiaodu.projects.figure_conditions import ytd_completed
from tiaodu.projects.models import AnnualPlan
from tiaodu.reporting import selectors, services
from tiaodu.reporting.models import Period, Report
from tiaodu.testing import TODAY

pytestmark = pytest.mark.django_db

D = dt.date
MONTH_ENDS = [D(2026, m, d) for m, d in [(1, 31), (2, 28), (3, 31), (4, 30), (5, 31), (6, 30),
              (7, 31), (8, 31), (9, 30), (10, 31), (11, 30), (12, 31)]]  # fmt: skip


@pytest.fixture(autouse=True)
def _on_today() -> Iterator[None]:
    moment = dt.datetime.combine(TODAY, dt.time(2, 0), tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=False):
        yield


def _unlock(world: Any, period: Period) -> None:
    services.grant_lock_exception(
        actor=world.alice, period=period, owner_unit=world.unit_a,
        until=dt.date(2099, 1, 1), reason="补报",
    )  # fmt: skip


def _submitted(world: Any, period: Period, amount: str, key: str = "p1", **fields: Any) -> Report:
    report = services.open_draft(
        actor=world.rita, plan=world.plans[key], period=period, today=period.due_date
    )
    services.update_draft(actor=world.rita, report=report, investment=Decimal(amount), **fields)
    return services.submit_report(actor=world.rita, report=report, today=TODAY)


def _approved(world: Any, period: Period, amount: str, key: str = "p1", **fields: Any) -> Report:
    report = services.approve_report(
        actor=world.dora, report=_submitted(world, period, amount, key, **fields)
    )
    return services.approve_report(actor=world.alice, report=report)


def _amended(world: Any, report: Report, amount: str) -> Report:
    amendment = services.amend_report(actor=world.rita, report=report)
    services.update_draft(actor=world.rita, report=amendment, investment=Decimal(amount))
    amendment = services.submit_report(actor=world.rita, report=amendment, today=TODAY)
    return services.approve_report(actor=world.alice, report=amendment)


def _ledger(world: Any, amount: str, as_of: dt.date) -> AnnualPlan:
    plan = world.plans["p1"]
    project_services.save_annual_plan(
        actor=world.alice, project=world.projects["p1"], year=2026, nature=plan.nature,
        level=plan.level, ytd_completed=Decimal(amount), ytd_as_of=as_of,
    )  # fmt: skip
    return AnnualPlan.objects.select_related("project").get(pk=plan.pk)


def _photo(name: str, seed: int) -> SimpleUploadedFile:
    data = encode(scene(seed, (800, 600)), exif=exif(taken="2026:10:28 15:40:00"))
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


# ---------------------------------------------------------------------------- the series


def test_the_series_adds_counting_reports_to_the_ledger_figure(world: Any, periods: Any) -> None:
    for month in (5, 7, 9):
        _unlock(world, periods[month])
    _ledger(world, "500", D(2026, 6, 30))
    _approved(world, periods[5], "80")  # May: inside the ledger's figure already
    _approved(world, periods[7], "120.50", actual_start=D(2026, 3, 10))
    september = _approved(world, periods[9], "100")
    _amended(world, september, "150")  # the amendment counts, the first no longer
    _submitted(world, periods[10], "999")  # not approved: does not count
    plan = AnnualPlan.objects.select_related("project").get(pk=world.plans["p1"].pk)

    series = selectors.investment_series(world.dora, plan, TODAY)

    assert series.as_of == TODAY
    assert series.cumulative == [
        (D(2026, 1, 1), Decimal("0")),
        (D(2026, 6, 30), Decimal("500.00")),
        (D(2026, 7, 31), Decimal("620.50")),
        (D(2026, 9, 30), Decimal("770.50")),
    ]
    assert [day for day, _amount in series.time_progress] == [D(2026, 1, 1), *MONTH_ENDS]
    assert [str(amount) for _day, amount in series.time_progress] == [
        "0.00", "166.67", "333.33", "500.00", "666.67", "833.33", "1000.00",
        "1166.67", "1333.33", "1500.00", "1666.67", "1833.33", "2000.00",
    ]  # fmt: skip
    assert series.annual_plan == Decimal("2000.00")
    assert series.ytd_completed == Decimal("770.50")
    assert (series.ledger_completed, series.ledger_as_of) == (Decimal("500.00"), D(2026, 6, 30))
    assert series.reported == Decimal("270.50")
    assert series.completion_rate == Decimal("38.53")  # 38.525, half up
    assert series.time_progress_rate == Decimal("91.67")
    assert series.lagging is True  # started in March, 38.53 < 91.67 − 10
    # The same figure as the statistics for the same date.
    figure = AnnualPlan.objects.filter(pk=plan.pk).annotate(ytd=ytd_completed(TODAY)).get().ytd
    assert Decimal(figure).quantize(Decimal("0.01")) == series.ytd_completed
    assert series.as_json() == {
        "year": 2026,
        "as_of": "2026-11-05",
        "annual_plan": "2000.00",
        "cumulative": [
            ["2026-01-01", "0.00"],
            ["2026-06-30", "500.00"],
            ["2026-07-31", "620.50"],
            ["2026-09-30", "770.50"],
        ],
        "time_progress": [[day.isoformat(), str(amount)] for day, amount in series.time_progress],
    }


def test_the_series_without_ledger_or_reports_and_for_a_past_year(world: Any) -> None:
    plan = AnnualPlan.objects.select_related("project").get(pk=world.plans["p1"].pk)
    series = selectors.investment_series(world.alice, plan, TODAY)
    assert series.cumulative == [(D(2026, 1, 1), Decimal(0))]
    assert (series.ytd_completed, series.completion_rate) == (Decimal(0), Decimal("0.00"))
    assert series.lagging is False  # not started: no lag is judged
    # Early next year the page still charts 2026, as of its last day.
    later = D(2027, 2, 1)
    assert selectors.chart_plan(world.projects["p1"], later) == plan
    past = selectors.investment_series(world.alice, plan, later)
    assert (past.as_of, past.time_progress_rate) == (D(2026, 12, 31), Decimal("100.00"))


def test_a_ledger_figure_dated_after_today_is_not_counted_yet(world: Any) -> None:
    plan = _ledger(world, "900", D(2026, 11, 30))
    series = selectors.investment_series(world.alice, plan, TODAY)
    assert series.ytd_completed == Decimal(0)
    assert (series.ledger_completed, series.ledger_as_of) == (Decimal(0), None)


# ---------------------------------------------------------------------------- the tab


def _tab(client: Any, user: Any, project: Any) -> Any:
    client.force_login(user)
    return client.get(reverse("projects:detail", args=[project.pk]) + "?tab=reports")


def test_the_tab_lists_the_reports_with_files_amendments_and_people(
    client: Any, world: Any, periods: Any
) -> None:
    _unlock(world, periods[9])
    september = _approved(world, periods[9], "100")
    amendment = _amended(world, september, "150")
    october = services.open_draft(
        actor=world.rita, plan=world.plans["p1"], period=periods[10], today=periods[10].due_date
    )
    services.update_draft(
        actor=world.rita, report=october, investment=Decimal("350.25"),
        physical_progress="3号泊位沉箱安装完成", actual_start=D(2026, 3, 10),
    )  # fmt: skip
    for seed, name in ((1, "码头.jpg"), (2, "堆场.jpg")):
        services.add_file(actor=world.rita, report=october, upload=_photo(name, seed), name=name)
    video = SimpleUploadedFile("吊装.mp4", mp4(), content_type="video/mp4")
    clip = services.add_file(actor=world.rita, report=october, upload=video, name="吊装.mp4")
    services.submit_report(actor=world.rita, report=october, today=TODAY)
    services.open_draft(
        actor=world.rita, plan=world.plans["p1"], period=periods[11], today=periods[11].due_date
    )  # a draft

    response = _tab(client, world.dora, world.projects["p1"])

    assert response.status_code == 200
    groups = response.context["report_periods"]
    assert [g["period"].label for g in groups] == ["2026年10月", "2026年9月"]
    assert [[r.pk for r in g["reports"]] for g in groups] == [
        [october.pk],
        [amendment.pk, september.pk],
    ]
    html = response.content.decode()
    assert html.count('data-testid="timeline-thumb"') == 3
    # The video opens in the viewer's player, from the file view that checks the scope.
    assert f'data-kind="video" data-src="/reports/files/{clip.pk}/"' in html
    assert "ti-player-play" in html
    assert "第1次更正" in html and "首次报送" in html and "已被更正取代" in html
    assert "350.25" in html and "3号泊位沉箱安装完成" in html
    assert "实际开工时间 2026-03-10" in html
    assert "Rita 报送，2026-11-05 10:00" in html
    assert "区县审核：Dora" in html and "市级审核：Alice" in html
    assert 'id="investment-chart-data"' in html and "调度报告" in html
    assert response.context["series"].ytd_completed == Decimal("150.00")
    assert "本年已审核调度报告合计 150.00 万元（尚无台账数）。" in html
    assert "拍摄于 2026-10-28 15:40" in html


def test_the_tab_for_the_leader_and_not_for_another_unit(
    client: Any, world: Any, october: Period
) -> None:
    _approved(world, october, "200")
    assert len(_tab(client, world.leo, world.projects["p1"]).context["report_periods"]) == 1
    assert _tab(client, world.bob, world.projects["p1"]).status_code == 404


def test_a_project_without_reports_says_so(client: Any, world: Any, october: Period) -> None:
    response = _tab(client, world.alice, world.projects["p6"])
    assert response.context["report_periods"] == []
    assert "尚无已报送的调度报告" in response.content.decode()


def _queries(client: Any, project: Any) -> int:
    url = reverse("projects:detail", args=[project.pk]) + "?tab=reports"
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_tab_does_not_grow_with_the_reports_or_their_files(
    client: Any, world: Any, periods: Any
) -> None:
    _approved(world, periods[10], "100")
    client.force_login(world.alice)
    before = _queries(client, world.projects["p1"])
    for month in (7, 8, 9):
        _unlock(world, periods[month])
        report = services.open_draft(
            actor=world.rita,
            plan=world.plans["p1"],
            period=periods[month],
            today=periods[month].due_date,
        )
        services.update_draft(actor=world.rita, report=report, investment=Decimal(month))
        for seed in (month, month + 20):
            name = f"{month}-{seed}.jpg"
            services.add_file(actor=world.rita, report=report, upload=_photo(name, seed), name=name)
        services.submit_report(actor=world.rita, report=report, today=TODAY)
        report = services.approve_report(actor=world.alice, report=report)
        if month == 9:
            _amended(world, report, "12")
    assert _queries(client, world.projects["p1"]) == before
