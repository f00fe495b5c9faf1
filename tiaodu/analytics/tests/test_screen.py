"""The big screen: a paired wall display shows the figure set of its region and opens
nothing else; a revoked one shows no figures; the lagging and overdue lists count what
their figures count.

Personas (the statistics world, as of 2026-08-31, the clock on 3 September 2026): a display
of 崂山区 (a leader's read, as lena's), a display of the city; alice (city dispatcher)
with her own session; sysadmin (no business data: 404); a browser with nothing (sign-in)."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tiaodu.accounts import displays
from tiaodu.accounts.models import Display, OrgUnit
from tiaodu.analytics import screen
from tiaodu.analytics.figures import WHOLE_SITE, figure_set, resolve_scope, scoped_plans
from tiaodu.analytics.tests.conftest import AS_OF
from tiaodu.core import clock
from tiaodu.core.models import AuditEvent
from tiaodu.problems import services as problem_services
from tiaodu.problems.choices import ProblemCategory
from tiaodu.projects import figure_conditions
from tiaodu.testing import PASSWORD, assert_nothing_written

pytestmark = pytest.mark.django_db
SEPTEMBER = dt.date(2026, 9, 3)


@pytest.fixture(autouse=True)
def _in_september() -> Iterator[None]:
    """The figures' date is the last closed day before 3 September: 31 August."""
    with clock.frozen(SEPTEMBER), override_settings(TIAODU_DASHBOARD_CACHE_SECONDS=0):
        yield


def _wall(world: Any, region: OrgUnit) -> tuple[Client, Display]:
    """A browser paired, through the pages, as a display of `region`."""
    display, code = displays.create_display(
        actor=world.secadmin, name="调度指挥中心大屏", region=region
    )
    client = Client()
    url = reverse("screen:pair", args=[code])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "调度指挥中心大屏" in confirm.content.decode()
    # Opening the link spends nothing: a link preview cannot pair.
    assert Display.objects.get(pk=display.pk).paired_at is None
    paired = client.post(url)
    assert paired.status_code == 302 and paired["Location"] == reverse("screen:page")
    cookie = paired.cookies[displays.COOKIE]
    assert cookie["httponly"] and cookie["path"] == "/screen/" and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) > 364 * 86400
    return client, display


def test_the_screen_shows_the_figure_set_of_its_region(stats: Any) -> None:
    client, _display = _wall(stats, stats.laoshan)
    page = client.get(reverse("screen:page"))
    assert page.status_code == 200
    figures = page.context["figures"]
    assert figures == figure_set(actor=stats.lena, year=2026, as_of=AS_OF)
    assert figures["scope"]["region"] == "370212" and figures["projects"] == 2
    html = page.content.decode()
    assert 'data-theme="dark"' in html and 'data-figure="lagging"' in html
    assert "黄岛" not in html  # another district's projects and names stay off the wall
    # No regions below 崂山区: the regions view draws the trend, which leaves the side column.
    assert page.context["regions_chart"]["id"] == "trend" and page.context["trend"] is None
    assert page["Cache-Control"].startswith("max-age=0")
    panels = client.get(reverse("screen:panels"))
    assert panels.status_code == 200 and panels["X-Tiaodu-Screen"] == "1"
    assert panels.context["figures"] == figures


def test_the_rotation_and_refresh_settings(stats: Any) -> None:
    client, _display = _wall(stats, stats.city)
    page = client.get(reverse("screen:page") + "?view=lagging&rotate=1&refresh=abc")
    html = page.content.decode()
    assert 'data-view="lagging"' in html and 'data-rotate="2"' in html
    assert 'data-refresh="60"' in html
    assert 'class="sc-view is-active" data-view="lagging"' in html
    unknown = client.get(reverse("screen:page") + "?view=nothing")
    assert unknown.context["pinned"] == "" and unknown.context["active"] == "regions"


def test_a_display_opens_nothing_but_the_screen(stats: Any) -> None:
    client, display = _wall(stats, stats.city)
    # The cookie is sent to /screen/ only; sent anyway, it opens nothing else.
    for path in ("/", "/projects/", "/analytics/", "/dashboard/", "/problems/", "/reports/board/"):
        answer = client.get(path)
        assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/"), path
    assert client.get("/api/v1/stats?year=2026&as_of=2026-08-31").status_code == 401
    assert client.get(reverse("accounts:displays")).status_code == 302
    with assert_nothing_written(Display):
        assert client.post(reverse("accounts:display_revoke", args=[display.pk])).status_code == 302


def test_a_revoked_display_shows_no_figures(stats: Any) -> None:
    client, display = _wall(stats, stats.city)
    assert client.get(reverse("screen:page")).status_code == 200
    displays.revoke_display(actor=stats.secadmin, display=display)
    page = client.get(reverse("screen:page"))
    assert page.status_code == 403
    html = page.content.decode()
    assert "data-figure" not in html and "figures" not in page.context
    assert page.context["title"] == "此大屏已被吊销"
    panels = client.get(reverse("screen:panels"))
    assert panels.status_code == 403 and panels["X-Tiaodu-Screen"] == "ended"
    denied = AuditEvent.objects.filter(action="denied", object_type="accounts.display")
    assert [event.actor_name for event in denied] == [f"display-{display.pk}"] * 2


def test_a_stale_cookie_is_dropped(stats: Any) -> None:
    client, display = _wall(stats, stats.city)
    displays.new_pairing_link(actor=stats.secadmin, display=display)
    page = client.get(reverse("screen:page"))
    assert page.status_code == 403 and page.context["title"] == "此大屏尚未配对"
    assert page.cookies[displays.COOKIE].value == ""


def test_a_pairing_link_works_once(stats: Any) -> None:
    display, code = displays.create_display(
        actor=stats.secadmin, name="调度指挥中心大屏", region=stats.city
    )
    url = reverse("screen:pair", args=[code])
    assert Client().post(url).status_code == 302
    again = Client()
    refused = again.post(url)
    assert refused.status_code == 403
    assert "已被使用" in refused.content.decode()
    assert displays.COOKIE not in refused.cookies
    assert again.get(url).status_code == 403
    wrong = Client().get(reverse("screen:pair", args=["not-a-code"]))
    assert wrong.status_code == 403 and "新的配对链接" in wrong.content.decode()
    assert Display.objects.get(pk=display.pk).paired_at is not None


def test_signed_in_readers_and_the_others(stats: Any) -> None:
    anonymous = Client().get(reverse("screen:page"))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    client = Client()
    client.login(username="alice", password=PASSWORD)
    page = client.get(reverse("screen:page"))
    assert page.status_code == 200
    assert page.context["figures"] == figure_set(actor=stats.alice, year=2026, as_of=AS_OF)
    admin = Client()
    admin.login(username="sysadmin", password=PASSWORD)
    assert admin.get(reverse("screen:page")).status_code == 404
    assert admin.get(reverse("screen:panels")).status_code == 404


def test_the_lagging_list_counts_the_lagging_figure(stats: Any) -> None:
    scope = resolve_scope(actor=WHOLE_SITE, year=2026, as_of=AS_OF)
    figures = figure_set(actor=WHOLE_SITE, year=2026, as_of=AS_OF)
    entries = screen.lagging_entries(WHOLE_SITE, scope, limit=100)
    assert figures["lagging"] == len(entries) == 1
    # p2: 1,000 of 4,000 by 31 July: 25.00%, 41.67 points below time progress (66.67%).
    (p2,) = entries
    assert (p2.name, p2.rate, p2.behind) == ("黄岛区安置房建设项目", "25.00", "41.67")
    listed = scoped_plans(WHOLE_SITE, scope).filter(figure_conditions.lagging(AS_OF))
    assert [plan.project.name for plan in listed] == [p2.name]


def test_the_lagging_list_is_worst_first(stats: Any) -> None:
    from tiaodu.projects import services

    # p1 falls behind too: 300 of 2,000 (15.00%), below p2's 25.00%.
    services.save_annual_plan(
        actor=stats.alice,
        project=stats.projects["p1"],
        year=2026,
        nature=stats.plans["p1"].nature,
        level="provincial",
        ytd_completed=300,
        ytd_as_of=AS_OF,
    )
    scope = resolve_scope(actor=WHOLE_SITE, year=2026, as_of=AS_OF)
    entries = screen.lagging_entries(WHOLE_SITE, scope)
    assert [(entry.name, entry.rate) for entry in entries] == [
        ("黄岛港区集装箱码头三期", "15.00"),
        ("黄岛区安置房建设项目", "25.00"),
    ]
    assert figure_set(actor=WHOLE_SITE, year=2026, as_of=AS_OF)["lagging"] == 2
    assert len(screen.lagging_entries(WHOLE_SITE, scope, limit=1)) == 1


def test_the_overdue_list_counts_the_overdue_figure(stats: Any) -> None:
    # Assigned on 3 August with a deadline in August: overdue at the end of 31 August.
    with clock.frozen(dt.date(2026, 8, 3)):
        problem = problem_services.raise_problem(
            actor=stats.rita,
            project=stats.projects["p1"],
            category=ProblemCategory.LAND,
            title="用地指标未落实",
            description="二期用地指标尚未下达。",
        )
        problem = problem_services.assign_problem(
            actor=stats.dora,
            problem=problem,
            department=stats.housing_bureau,
            handler=stats.hank,
            today=dt.date(2026, 8, 3),
        )
    assert problem.deadline is not None and problem.deadline < AS_OF
    client, _display = _wall(stats, stats.city)
    page = client.get(reverse("screen:page"))
    figures = page.context["figures"]
    overdue = page.context["overdue"]
    assert figures["problems"]["overdue"] == len(overdue) == 1
    assert (
        overdue[0].title == "用地指标未落实" and overdue[0].department == "青岛市住房和城乡建设局"
    )
    assert overdue[0].working_days_overdue > 0
    # A display of 崂山区 sees neither the problem nor its count.
    laoshan, _other = _wall(stats, stats.laoshan)
    assert laoshan.get(reverse("screen:page")).context["overdue"] == []


def test_the_regions_table_is_the_region_breakdown(stats: Any) -> None:
    client, _display = _wall(stats, stats.city)
    page = client.get(reverse("screen:page"))
    rows = page.context["regions"]
    by_region = page.context["figures"]["by_region"]
    assert page.context["regions_chart"]["id"] == "regions"
    assert page.context["trend"]["id"] == "trend"
    assert [row["label"] for row in rows] == ["崂山区", "黄岛区", "市南区"]
    for row in rows:
        assert row["projects"] == by_region[row["key"]]["projects"]
    # 崂山区 8,000 of 14,000; 黄岛区 2,500 of 6,000; 市南区 nothing of 10,000: all below 66.67%.
    assert [row["completion_rate"] for row in rows] == ["57.14", "41.67", "0.00"]
    assert [row["behind"] for row in rows] == [True, True, True]
