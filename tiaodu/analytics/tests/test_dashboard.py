"""The dashboard: its monthly series equal the figure set of each month's end, its charts
link to what they count, and the page answers each reader within its scope."""

import datetime as dt
import re
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tiaodu.analytics import dashboard, trend
from tiaodu.analytics.figures import WHOLE_SITE, figure_set, resolve_scope, scoped_plans
from tiaodu.analytics.tests.bonds import monthly_periods, past_report
from tiaodu.analytics.tests.conftest import AS_OF
from tiaodu.core import clock
from tiaodu.projects import services as project_services
from tiaodu.reporting import services as reporting_services
from tiaodu.testing import PASSWORD


@pytest.fixture
def reported(stats: Any) -> Any:
    """The statistics world with reports adding investment: p1 July 200 and August 300
    (after no ledger figure of July; the ledger's 1,500 is dated 31 August), p3 June 100."""
    months = monthly_periods()
    july = past_report(stats, "p1", months[7], "0")
    reporting_services.record_past_reports(
        actor=None,
        entries=[
            replace(july, investment=Decimal(200), bond_funds_spent=None),
            replace(
                past_report(stats, "p1", months[8], "0"),
                investment=Decimal(300),
                bond_funds_spent=None,
            ),
            replace(
                past_report(stats, "p3", months[6], "0"),
                investment=Decimal(100),
                bond_funds_spent=None,
            ),
        ],
    )
    return stats


def test_each_month_equals_the_figure_set_of_its_end(reported: Any) -> None:
    scope = resolve_scope(actor=WHOLE_SITE, year=2026, as_of=AS_OF)
    points = trend.monthly(scoped_plans(WHOLE_SITE, scope), 2026, AS_OF)
    assert [point.end for point in points][-1] == AS_OF
    assert len(points) == 8
    for point in points:
        data = figure_set(actor=WHOLE_SITE, year=2026, as_of=point.end)
        assert format(point.ytd_completed.quantize(Decimal("0.01")), "f") == data["ytd_completed"]
        assert point.new_starts_started == data["new_start"]["started"]
    # The series moves: reports and ledger figures land in their months.
    assert len({point.ytd_completed for point in points}) > 2


def test_a_mid_month_date_ends_the_series(reported: Any) -> None:
    day = dt.date(2026, 8, 15)
    scope = resolve_scope(actor=WHOLE_SITE, year=2026, as_of=day)
    points = trend.monthly(scoped_plans(WHOLE_SITE, scope), 2026, day)
    assert points[-1].end == day
    data = figure_set(actor=WHOLE_SITE, year=2026, as_of=day)
    assert format(points[-1].ytd_completed, ".2f") == data["ytd_completed"]


def test_the_charts_link_to_what_they_count(client: Client, reported: Any) -> None:
    scope = resolve_scope(actor=reported.alice, year=2026, as_of=AS_OF)
    built = dashboard.build(reported.alice, scope)
    charts = {chart["id"]: chart for chart in built["charts"]}
    assert {"trend", "regions", "new_starts", "reserve", "problems", "notices"} <= set(charts)
    # No card has been computed in this world: no card chart, not an empty one.
    assert "cards" not in charts
    client.login(username=reported.alice.username, password=PASSWORD)
    regions = charts["regions"]
    for label, value, link in zip(
        regions["categories"],
        regions["series"][0]["values"],
        regions["series"][0]["links"],
        strict=True,
    ):
        listed = client.get(link).context["table"].paginator.count
        row = next(
            r
            for r in built["figures"]["by_region"].values()
            if r["completion_rate"] is not None and float(r["completion_rate"]) == value
        )
        assert listed == row["projects"], label
    reserve = charts["reserve"]
    for value, link in zip(
        reserve["series"][0]["values"], reserve["series"][0]["links"], strict=True
    ):
        assert client.get(link).context["table"].paginator.count == value
    started = charts["new_starts"]["series"][0]
    for value, link in zip(started["values"], started["links"], strict=True):
        assert client.get(link).context["table"].paginator.count == value


@pytest.mark.parametrize("shared", [False, True], ids=["memory cache", "shared cache"])
def test_the_page_and_the_cache(
    client: Client,
    reported: Any,
    settings: Any,
    tmp_path: Any,
    django_capture_on_commit_callbacks: Any,
    shared: bool,
) -> None:
    """A write moves the data's stamp: the next load shows the kept charts, says so and
    when they are of, and they are drawn again — by this process once the page is sent
    (the cache in its memory), or by a worker's task (a cache all processes share); the
    page's notice learns when the new ones are ready, and the load after that shows them."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    if shared:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(tmp_path / "cache"),
            }
        }
    client.login(username=reported.alice.username, password=PASSWORD)
    with clock.frozen(dt.date(2026, 9, 3)):
        page = client.get(reverse("dashboard:page"))
        assert page.status_code == 200
        assert page.context["board"]["as_of"] == AS_OF
        assert b"data-refreshed-url" not in page.content
        first = page.context["board"]["figures"]["ytd_completed"]
        project_services.save_annual_plan(
            actor=reported.alice,
            project=reported.projects["p4"],
            year=2026,
            nature=reported.plans["p4"].nature,
            level=reported.plans["p4"].level,
            ytd_completed=Decimal(9000),
        )
        with django_capture_on_commit_callbacks(execute=False) as queued:
            kept = client.get(reverse("dashboard:page"))
        assert kept.context["board"]["figures"]["ytd_completed"] == first
        html = kept.content.decode()
        assert "本页部分数字截至" in html and "新的数字正在计算" in html
        ask = re.search(r'data-refreshed-url="([^"]+)"', html)
        assert ask is not None
        address = ask.group(1).replace("&amp;", "&")
        if shared:
            assert client.get(address).json() == {"ready": False}
            assert len(queued) == 1
            queued[0]()  # the worker draws the charts again
        else:
            assert queued == []  # drawn by this process after the page was sent
        assert client.get(address).json() == {"ready": True}
        again = client.get(reverse("dashboard:page"))
    assert Decimal(again.context["board"]["figures"]["ytd_completed"]) == Decimal(first) + 1000
    assert b"data-refreshed-url" not in again.content


def test_the_refreshed_answer_takes_tokens_only(client: Client, reported: Any) -> None:
    client.login(username=reported.alice.username, password=PASSWORD)
    address = reverse("core:kept_refreshed")
    assert client.get(address).status_code == 400
    assert client.get(address + "?token=<script>").status_code == 400
    assert client.get(address + "?token=abcdefghijkl").json() == {"ready": False}
    client.logout()
    assert client.get(address + "?token=abcdefghijkl").status_code == 302


@override_settings(TIAODU_DASHBOARD_CACHE_SECONDS=0)
def test_a_district_reader_sees_its_district_only(client: Client, reported: Any) -> None:
    client.login(username=reported.dora.username, password=PASSWORD)
    page = client.get(reverse("dashboard:page") + "?year=2026&as_of=2026-08-31")
    board = page.context["board"]
    assert board["figures"] == figure_set(actor=reported.dora, year=2026, as_of=AS_OF)
    assert "崂山区" not in page.content.decode()


def test_administrators_have_no_dashboard(client: Client, reported: Any) -> None:
    client.login(username=reported.sysadmin.username, password=PASSWORD)
    assert client.get(reverse("dashboard:page")).status_code == 404
