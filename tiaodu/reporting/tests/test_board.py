"""The completeness board: October 2026 (monthly, due Tue 11-03) in the personas' city.

p1 (unit A, 黄岛区) handed in on 11-02: on time; p6 (unit A) on 11-04: late; p3 (unit B,
崂山区), p2 (黄岛区), p4 (崂山区) and p5 (市南区) handed in nothing. Personas: alice
(city dispatcher: all six), dora (黄岛区 dispatcher: p1, p2, p6), lena (崂山区 leader: p3,
p4), rita (reporter of unit A: no board).
"""

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tiaodu.projects import services as project_services
from tiaodu.projects.models import AnnualPlan
from tiaodu.reporting import board, selectors, services
from tiaodu.reporting.models import Period, Report

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def hand_in(world: Any, key: str, period: Period, day: dt.date) -> Report:
    """The owner unit's reporter submits the project's report at 10:00 on `day`."""
    with time_machine.travel(dt.datetime.combine(day, dt.time(10), SHANGHAI), tick=False):
        report = services.open_draft(
            actor=world.rita, plan=world.plans[key], period=period, today=period.due_date
        )
        services.update_draft(actor=world.rita, report=report, investment=Decimal(10))
        return services.submit_report(actor=world.rita, report=report, today=day)


@pytest.fixture
def october_reports(world: Any, october: Period) -> Period:
    hand_in(world, "p1", october, dt.date(2026, 11, 2))
    hand_in(world, "p6", october, dt.date(2026, 11, 4))
    return october


def counts_of(row: board.BoardRow) -> dict[str, Any]:
    return row.counts.as_dict()


def test_expected_in_the_database_is_the_rule_of_cycles_of(world: Any, october: Period) -> None:
    from tiaodu.reporting.models import CycleRule

    CycleRule.objects.create(key_project_list=world.key_list, cycle="weekly")
    CycleRule.objects.create(level="municipal", cycle="quarterly")
    everything = AnnualPlan.objects.all()
    for period in Period.objects.all():
        assert sorted(board.expected_plans(period).values_list("pk", flat=True)) == sorted(
            selectors.expected_plan_ids(period, everything)
        ), period


def test_the_city_board_counts_on_time_late_and_missing(
    world: Any, october_reports: Period
) -> None:
    plans = AnnualPlan.objects.all()
    result = board.board(october_reports, plans, world.city)
    assert result.totals.as_dict() == {
        "expected": 6,
        "submitted": 2,
        "on_time": 1,
        "late": 1,
        "missing": 4,
        "submitted_rate": "33.33",
        "on_time_rate": "16.67",
    }
    regions = {row.label: counts_of(row) for row in result.by_region}
    assert regions["黄岛区"] == {
        "expected": 3,
        "submitted": 2,
        "on_time": 1,
        "late": 1,
        "missing": 1,
        "submitted_rate": "66.67",
        "on_time_rate": "33.33",
    }
    assert regions["崂山区"]["missing"] == 2 and regions["崂山区"]["submitted_rate"] == "0.00"
    assert regions["市南区"]["missing"] == 1
    # A region with nothing expected shows zeros and no rate.
    assert regions["市北区"] == {
        "expected": 0,
        "submitted": 0,
        "on_time": 0,
        "late": 0,
        "missing": 0,
        "submitted_rate": None,
        "on_time_rate": None,
    }
    units = [(row.label, row.counts.expected, row.counts.missing) for row in result.by_unit]
    assert units == [("", 3, 3), ("崂山科创发展有限公司", 1, 1), ("青岛港湾建设有限公司", 2, 0)]


def test_a_returned_report_is_missing_and_an_approved_one_stays_submitted(
    world: Any, october_reports: Period
) -> None:
    first = Report.objects.get(plan=world.plans["p1"], period=october_reports)
    services.approve_report(actor=world.dora, report=first)
    late = Report.objects.get(plan=world.plans["p6"], period=october_reports)
    services.return_report(actor=world.dora, report=late, reason="照片不清楚")
    totals = board.board(october_reports, AnnualPlan.objects.all(), world.city).totals
    assert (totals.submitted, totals.on_time, totals.late, totals.missing) == (1, 1, 0, 5)


def test_the_board_page_is_scoped(world: Any, client: Any, october_reports: Period) -> None:
    client.force_login(world.dora)
    response = client.get(reverse("reporting:board"), {"period": october_reports.pk})
    assert response.status_code == 200
    result = response.context["board"]
    assert result.region == world.huangdao
    assert result.totals.expected == 3 and result.totals.missing == 1
    assert [row.label for row in result.by_region] == ["黄岛区"]
    assert "崂山" not in response.content.decode()

    client.force_login(world.lena)
    result = client.get(reverse("reporting:board")).context["board"]
    assert (result.totals.expected, result.totals.missing) == (2, 2)

    for persona in ("rita", "bob", "auditor"):
        client.force_login(world.users[persona])
        assert client.get(reverse("reporting:board")).status_code == 404
        url = reverse("reporting:missing", args=[october_reports.pk])
        assert client.get(url).status_code == 404


def test_the_default_period_is_the_latest_whose_due_date_has_passed(
    world: Any, client: Any, october_reports: Period
) -> None:
    client.force_login(world.alice)
    with time_machine.travel(dt.datetime(2026, 11, 5, 9, tzinfo=SHANGHAI)):
        response = client.get(reverse("reporting:board"))
    assert response.context["period"] == october_reports
    page = response.content.decode()
    assert "2026年10月" in page and 'data-testid="total-missing"' in page


def test_the_units_sort_by_missing(world: Any, client: Any, october_reports: Period) -> None:
    client.force_login(world.alice)
    url = reverse("reporting:board")
    fewest_first = client.get(url, {"period": october_reports.pk, "sort": "-missing"})
    assert [row.counts.missing for row in fewest_first.context["board"].by_unit] == [0, 1, 3]


def test_the_missing_count_opens_the_missing_projects(
    world: Any, client: Any, october_reports: Period
) -> None:
    project_services.update_project(
        actor=world.alice, project=world.projects["p2"], contact_name="王工", contact_phone="0532-1"
    )
    client.force_login(world.dora)
    url = reverse("reporting:missing", args=[october_reports.pk])
    response = client.get(url, {"region": world.huangdao.pk, "itself": "1"})
    assert [plan.project.name for plan in response.context["rows"]] == ["黄岛区安置房建设项目"]
    page = response.content.decode()
    assert "王工 · 0532-1" in page and "2026-11-03" in page
    board_page = client.get(reverse("reporting:board"), {"period": october_reports.pk})
    assert f"{url}?region={world.huangdao.pk}&amp;itself=1" in board_page.content.decode()

    client.force_login(world.alice)
    response = client.get(url, {"unit": world.unit_b.pk})
    assert [plan.project.name for plan in response.context["rows"]] == ["崂山科创园一期"]
    response = client.get(url)
    assert len(response.context["rows"]) == 4


def add_projects(world: Any, count: int) -> None:
    for index in range(count):
        project_services.create_project(
            actor=world.alice,
            name=f"批量项目{index}",
            region=world.huangdao if index % 2 else world.laoshan,
            owner_unit=world.unit_a if index % 2 else world.unit_b,
            total_investment=Decimal(1000),
            plan={"year": 2026, "nature": "continuing", "level": "municipal"},
            lists=[world.key_list] if index % 3 == 0 else [],
        )


def test_the_board_query_count_does_not_grow(
    world: Any, client: Any, october_reports: Period
) -> None:
    client.force_login(world.alice)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            response = client.get(reverse("reporting:board"), {"period": october_reports.pk})
        assert response.status_code == 200
        return len(context.captured_queries)

    few = queries()
    add_projects(world, 12)
    for plan in AnnualPlan.objects.filter(project__name__startswith="批量项目")[:5]:
        Report.objects.create(
            plan=plan,
            project=plan.project,
            period=october_reports,
            status="submitted",
            submitted_at=dt.datetime(2026, 11, 1, tzinfo=SHANGHAI),
        )
    assert queries() == few
    assert (
        client.get(reverse("reporting:board"), {"period": october_reports.pk})
        .context["board"]
        .totals.expected
        == 18
    )


def test_the_home_page_and_the_menu_lead_to_the_board(
    world: Any, client: Any, october_reports: Period
) -> None:
    client.force_login(world.dora)
    with time_machine.travel(dt.datetime(2026, 11, 5, 9, tzinfo=SHANGHAI)):
        page = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="home-completeness"' in page and "2 / 3" in page
    assert reverse("reporting:board") in page
    client.force_login(world.rita)
    page = client.get(reverse("core:home")).content.decode()
    assert reverse("reporting:board") not in page


def test_the_figure_set_reports_the_latest_period_due(world: Any, october_reports: Period) -> None:
    from tiaodu.analytics.figures import figure_set

    data = figure_set(actor=world.alice, year=2026, as_of=dt.date(2026, 11, 5))
    keys = list(data)
    assert keys.index("reporting") == keys.index("by_list") + 1
    assert data["reporting"] == {
        "period": "2026年10月",
        "expected": 6,
        "submitted": 2,
        "on_time": 1,
        "late": 1,
        "missing": 4,
        "rate": "33.33",
        "on_time_rate": "16.67",
    }
    # As of the due date, p6's report (handed in on 11-04) was not there yet.
    on_due = figure_set(actor=world.dora, year=2026, as_of=dt.date(2026, 11, 3))
    assert on_due["reporting"] == {
        "period": "2026年10月",
        "expected": 3,
        "submitted": 1,
        "on_time": 1,
        "late": 0,
        "missing": 2,
        "rate": "33.33",
        "on_time_rate": "33.33",
    }
    # September's period was due on 10-12 (after the National Day holiday).
    september = figure_set(actor=world.alice, year=2026, as_of=dt.date(2026, 11, 2))
    assert september["reporting"]["period"] == "2026年9月"
    assert september["reporting"]["missing"] == 6


def test_the_figure_set_without_a_period_due(world: Any) -> None:
    from tiaodu.analytics.figures import figure_set

    data = figure_set(actor=world.alice, year=2026, as_of=dt.date(2026, 11, 5))
    assert data["reporting"] == {
        "period": None,
        "expected": 0,
        "submitted": 0,
        "on_time": 0,
        "late": 0,
        "missing": 0,
        "rate": None,
        "on_time_rate": None,
    }


def test_the_statistics_page_shows_the_completeness(
    world: Any, client: Any, october_reports: Period
) -> None:
    client.force_login(world.alice)
    response = client.get(reverse("analytics:figures"), {"year": 2026, "as_of": "2026-11-05"})
    page = response.content.decode()
    assert 'data-testid="figure-reporting"' in page
    assert f'<a href="{reverse("reporting:board")}" class="td-count">2 / 6</a>' in page


def test_the_home_panel_is_kept_until_a_report_comes_in(
    world: Any,
    october_reports: Period,
    settings: Any,
    tmp_path: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The completeness panel's count is kept per reader and period under a stamp of the
    reports (core.stamps): a second read counts nothing; after a report is handed in the
    kept count is shown while a worker counts again (a cache all processes share), and then
    the new count."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    from tiaodu.core.roles import Role
    from tiaodu.reporting.home import completeness_context
    from tiaodu.testing import make_user

    at_nine = dt.datetime(2026, 11, 5, 9, tzinfo=SHANGHAI)
    with time_machine.travel(at_nine, tick=False):
        first = completeness_context(world.alice)["totals"]
        with CaptureQueriesContext(connection) as context:
            again = completeness_context(world.alice)["totals"]
        assert again == first and first.submitted == 2
        assert not any("COUNT(" in query["sql"].upper() for query in context.captured_queries)
        district = completeness_context(world.dora)["totals"]
        assert (district.submitted, district.expected) == (2, 3)
        # 崂山's owner unit hands in p3's October report, at the same moment.
        reporter = make_user("rob", Role.REPORTER, world.unit_b)
        report = services.open_draft(
            actor=reporter, plan=world.plans["p3"], period=october_reports,
            today=october_reports.due_date,
        )  # fmt: skip
        services.update_draft(actor=reporter, report=report, investment=Decimal(10))
        services.submit_report(actor=reporter, report=report, today=dt.date(2026, 11, 5))
        # The kept count is shown while a worker counts again; then the new one.
        with django_capture_on_commit_callbacks(execute=False) as queued:
            assert completeness_context(world.alice)["totals"].submitted == 2
        assert completeness_context(world.dora)["totals"] == district
        for task in queued:
            task()
        assert completeness_context(world.alice)["totals"].submitted == 3
