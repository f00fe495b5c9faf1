"""The 入统 chase: the list of started entries not in the statistics (its conditions at the
date edges, the months since start, the filters, each persona's scope, the xlsx), and the
month's new inclusions in the figure set and in the regions' ranking."""

import datetime as dt
import json
import re
from decimal import Decimal
from io import BytesIO, StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tiaodu.analytics.figures import figure_set
from tiaodu.analytics.inclusion import chase, month_start_back
from tiaodu.analytics.tests.test_page import links, listed
from tiaodu.core import clock
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.projects import services
from tiaodu.projects.models import AnnualPlan
from tiaodu.projects.selectors import plans_not_in_statistics
from tiaodu.scoring.models import Card, RuleSet
from tiaodu.scoring.rankings import rankings
from tiaodu.testing import PASSWORD, PERSONAS, assert_nothing_written, download_name

PAGE = reverse("analytics:not_in_statistics")
RANKINGS = reverse("scoring:rankings")
AUG_31 = dt.date(2026, 8, 31)


def dated(world: Any, key: str, **dates: dt.date | None) -> None:
    services.update_project(actor=world.alice, project=world.projects[key], **dates)


def names(plans: Any) -> list[str]:
    return [plan.project.name for plan in plans]


@pytest.fixture
def chased(stats: Any) -> Any:
    """On top of the statistics world (p1 started 04-01, in the statistics 05-01; p2 started
    2025-06-01, never included; p4 included in 2024; p5 starts 09-15): p3 (崂山区) started
    07-10 and p6 (黄岛区, unit A) 08-01, neither included."""
    dated(stats, "p3", actual_start=dt.date(2026, 7, 10))
    dated(stats, "p6", actual_start=dt.date(2026, 8, 1))
    return stats


# -- the list's conditions ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "listed"),
    [
        # p1 starts 04-01 and is included 05-01: not before its start, listed from the start
        # day to the day before its inclusion, gone on the inclusion day itself.
        (dt.date(2026, 3, 31), False),
        (dt.date(2026, 4, 1), True),
        (dt.date(2026, 4, 30), True),
        (dt.date(2026, 5, 1), False),
        (dt.date(2026, 12, 31), False),
    ],
)
def test_an_entry_is_chased_from_its_start_until_its_inclusion(
    stats: Any, as_of: dt.date, listed: bool
) -> None:
    found = names(plans_not_in_statistics(stats.alice, as_of))
    assert (stats.projects["p1"].name in found) is listed


def test_a_start_after_the_date_is_not_yet_chased(stats: Any) -> None:
    p5 = stats.projects["p5"].name  # starts 09-15, never included
    assert p5 not in names(plans_not_in_statistics(stats.alice, dt.date(2026, 9, 14)))
    assert p5 in names(plans_not_in_statistics(stats.alice, dt.date(2026, 9, 15)))


def test_the_list_is_the_figure_sets_due_minus_included(chased: Any) -> None:
    for as_of in (dt.date(2026, 4, 30), AUG_31, dt.date(2026, 9, 30)):
        figures = figure_set(actor=chased.alice, year=2026, as_of=as_of)["in_statistics"]
        listed = plans_not_in_statistics(chased.alice, as_of).count()
        assert listed == figures["due"] - figures["included"]


def test_only_the_plan_entries_of_the_dates_year(chased: Any) -> None:
    services.save_annual_plan(
        actor=chased.alice, project=chased.projects["p2"], year=2025, nature="new_start",
        level="municipal", planned_investment=Decimal(100),
    )  # fmt: skip
    plans = plans_not_in_statistics(chased.alice, AUG_31)
    assert {plan.year for plan in plans} == {2026}
    assert names(plans).count(chased.projects["p2"].name) == 1


def test_months_since_start_as_the_cards_count(chased: Any) -> None:
    """Whole calendar months: p6 started on 08-01 is 0 on 08-31, p3 (07-10) is 1, p2
    (2025-06-01) is 14."""
    response = page(Client(), chased.alice, as_of="2026-08-31")
    table = response.context["table"]
    months = {
        row.record.project.name: re.sub(r"<[^>]+>", "", row.get_cell("months"))
        for row in table.rows
    }
    p = chased.projects
    assert months == {p["p2"].name: "14", p["p3"].name: "1", p["p6"].name: "0"}
    # Longest waiting first.
    assert [row.record.project.name for row in table.rows] == [
        p["p2"].name,
        p["p3"].name,
        p["p6"].name,
    ]


@pytest.mark.parametrize(
    ("at_least", "expected"),
    [(None, {"p2", "p3", "p6"}), (0, {"p2", "p3", "p6"}), (1, {"p2", "p3"}), (2, {"p2"}),
     (14, {"p2"}), (15, set())],
)  # fmt: skip
def test_at_least_so_many_months(chased: Any, at_least: int | None, expected: set[str]) -> None:
    found = names(chase(chased.alice, AUG_31, min_months=at_least))
    assert set(found) == {chased.projects[key].name for key in expected}


def test_month_start_back_crosses_years() -> None:
    assert month_start_back(dt.date(2026, 8, 31), 0) == dt.date(2026, 8, 1)
    assert month_start_back(dt.date(2026, 2, 15), 2) == dt.date(2025, 12, 1)
    assert month_start_back(dt.date(2026, 1, 1), 13) == dt.date(2024, 12, 1)


# -- the page ---------------------------------------------------------------------------------


def page(client: Client, user: Any, **params: str) -> Any:
    client.login(username=user.username, password=PASSWORD)
    return client.get(PAGE, params)


VISIBLE = {
    "alice": {"p2", "p3", "p6"},
    "dora": {"p2", "p6"},
    "rita": {"p6"},
    "bob": {"p3"},
    "leo": set(),
    "lena": {"p3"},
    "hank": {"p2"},
    "sam": {"p3"},
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_reader_sees_its_own_projects_only(chased: Any, persona: str) -> None:
    response = page(Client(), chased.users[persona], as_of="2026-08-31")
    if persona not in VISIBLE:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    listed = {row.record.project.name for row in response.context["table"].rows}
    assert listed == {chased.projects[key].name for key in VISIBLE[persona]}


def test_the_page_reads_clearly(chased: Any) -> None:
    response = page(Client(), chased.alice, as_of="2026-08-31")
    text = response.content.decode()
    assert "入统跟踪" in text  # title and menu
    assert "3 个项目未入统" in text
    for header in ("项目名称", "责任单位", "项目单位", "实际开工", "开工月数"):
        assert header in text, header
    assert "应统尽统" in text
    # 14 months is red, 1 month yellow, 0 plain.
    assert 'class="badge bg-red-lt fw-bold" data-months="14"' in text
    assert 'class="badge bg-yellow-lt fw-bold" data-months="1"' in text
    assert 'data-months="0">0<' in text
    assert chased.housing_bureau.name in text  # p2's responsible unit


def test_filter_by_region_and_sort(chased: Any) -> None:
    client = Client()
    response = page(client, chased.alice, as_of="2026-08-31", region=str(chased.huangdao.pk))
    listed = [row.record.project.name for row in response.context["table"].rows]
    assert listed == [chased.projects["p2"].name, chased.projects["p6"].name]
    response = client.get(PAGE, {"as_of": "2026-08-31", "sort": "months"})
    listed = [row.record.project.name for row in response.context["table"].rows]
    assert listed[0] == chased.projects["p6"].name  # fewest months first
    response = client.get(PAGE, {"as_of": "2026-08-31", "sort": "region"})
    assert response.status_code == 200


def test_a_region_out_of_scope_or_bad_months_is_said_and_narrows_nothing(chased: Any) -> None:
    client = Client()
    with assert_nothing_written(AnnualPlan, AuditEvent):
        response = page(
            client, chased.dora, as_of="2026-08-31", region=str(chased.laoshan.pk), min_months="x"
        )
    assert response.status_code == 200
    text = response.content.decode()
    assert "选择一个有效的选项" in text  # 崂山区 is not among 黄岛区's regions
    assert "输入整数" in text
    listed = {row.record.project.name for row in response.context["table"].rows}
    assert listed == {chased.projects["p2"].name, chased.projects["p6"].name}
    response = client.get(PAGE, {"as_of": "2026-02-30"})
    assert response.status_code == 200
    assert "输入一个有效的日期" in response.content.decode()


def test_the_excel_export_has_the_rows_of_the_page(chased: Any) -> None:
    client = Client()
    response = page(client, chased.dora, as_of="2026-08-31", export="xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "已开工未入统项目（截至 2026-08-31）"
    assert rows[1] == (
        "项目名称", "项目代码", "所属区县", "责任单位", "项目单位", "实际开工时间", "开工月数",
    )  # fmt: skip
    p2, p6 = chased.projects["p2"], chased.projects["p6"]
    assert [(row[0], row[2], row[3], row[6]) for row in rows[2:]] == [
        (p2.name, "黄岛区", chased.housing_bureau.name, 14),
        (p6.name, "黄岛区", None, 0),
    ]
    assert rows[2][5].date() == dt.date(2025, 6, 1)
    assert download_name(response) == "已开工未入统项目（截至 2026-08-31）.xlsx"
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (event.actor, event.message) == (chased.dora, "截至：2026-08-31")


def test_the_statistics_page_links_to_the_chase(client: Client, chased: Any) -> None:
    client.login(username=chased.alice.username, password=PASSWORD)
    text = client.get(reverse("analytics:figures"), {"year": "2026", "as_of": "2026-08-31"})
    html = text.content.decode()
    assert f'href="{PAGE}?as_of=2026-08-31&amp;region={chased.city.pk}"' in html
    assert "已开工未入统项目" in html


# -- the month's new inclusions ---------------------------------------------------------------


@pytest.fixture
def august(chased: Any) -> Any:
    """Included in August: p2 on its first day, p3 on its last; p6 on 31 July, the day
    before its start (counted as included from its start on, never as new in August); p1
    (05-01) and p4 (2024) earlier."""
    dated(chased, "p2", statistics_inclusion=dt.date(2026, 8, 1))
    dated(chased, "p3", statistics_inclusion=dt.date(2026, 8, 31))
    dated(chased, "p6", statistics_inclusion=dt.date(2026, 7, 31))
    return chased


def direct_count(as_of: dt.date, **where: Any) -> int:
    return AnnualPlan.objects.filter(
        year=as_of.year,
        project__actual_start__lte=as_of,
        project__statistics_inclusion__gte=as_of.replace(day=1),
        project__statistics_inclusion__lte=as_of,
        **where,
    ).count()


@pytest.mark.parametrize(
    ("as_of", "city", "huangdao", "laoshan"),
    [
        (AUG_31, 2, 1, 1),
        (dt.date(2026, 8, 30), 1, 1, 0),  # p3's inclusion is after the date
        (dt.date(2026, 8, 1), 1, 1, 0),
        (dt.date(2026, 7, 31), 0, 0, 0),  # p6's inclusion, but p6 has not started yet
        (dt.date(2026, 9, 30), 0, 0, 0),
    ],
)
def test_new_in_period_equals_a_direct_count(
    august: Any, as_of: dt.date, city: int, huangdao: int, laoshan: int
) -> None:
    data = figure_set(actor=august.alice, year=2026, as_of=as_of)
    assert data["in_statistics"]["new_in_period"] == city == direct_count(as_of)
    assert data["by_region"]["370211"]["in_statistics"]["new_in_period"] == huangdao
    assert data["by_region"]["370212"]["in_statistics"]["new_in_period"] == laoshan
    assert huangdao == direct_count(as_of, project__region=august.huangdao)
    # Of the included, never more.
    assert city <= data["in_statistics"]["included"]
    assert data["by_level"]["municipal"]["in_statistics"]["new_in_period"] == direct_count(
        as_of, level="municipal"
    )


def test_new_in_period_is_scoped(august: Any) -> None:
    assert (
        figure_set(actor=august.dora, year=2026, as_of=AUG_31)["in_statistics"]["new_in_period"]
        == 1
    )
    assert (
        figure_set(actor=august.bob, year=2026, as_of=AUG_31)["in_statistics"]["new_in_period"] == 1
    )  # p3, unit B's
    assert (
        figure_set(actor=august.rita, year=2026, as_of=AUG_31)["in_statistics"]["new_in_period"]
        == 0
    )  # p6 was included in July


def test_the_command_and_the_api_carry_it(client: Client, august: Any) -> None:
    out = StringIO()
    call_command("stats", "--year", "2026", "--as-of", "2026-08-31", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["in_statistics"]["new_in_period"] == 2
    assert data["by_region"]["370212"]["in_statistics"]["new_in_period"] == 1
    client.login(username=august.alice.username, password=PASSWORD)
    api = client.get("/api/v1/stats", {"year": "2026", "as_of": "2026-08-31"}).json()
    assert api["in_statistics"] == data["in_statistics"]
    assert api["by_region"]["370211"]["in_statistics"]["new_in_period"] == 1
    text = StringIO()
    call_command("stats", "--year", "2026", "--as-of", "2026-08-31", stdout=text)
    assert "本月新入统: 2" in text.getvalue()


def test_the_statistics_page_shows_it_as_a_link(client: Client, august: Any) -> None:
    client.login(username=august.alice.username, password=PASSWORD)
    html = client.get(
        reverse("analytics:figures"), {"year": "2026", "as_of": "2026-08-31"}
    ).content.decode()
    assert "本月新入统" in html
    assert 'figure=new_in_statistics" class="td-count" data-count="2">2</a>' in html


# -- the regions' ranking ---------------------------------------------------------------------


def card(world: Any, key: str, month: dt.date) -> None:
    plan = world.plans[key]
    Card.objects.create(
        plan=plan, project=plan.project, month=month, rule_set=RuleSet.objects.get(version=1),
        colour="blue", score=Decimal(80), evidence="ledger",
        computed_at=dt.datetime(2026, 9, 20, 9, tzinfo=dt.UTC),
    )  # fmt: skip


@pytest.fixture
def ranked(august: Any) -> Any:
    for key in ("p1", "p2", "p3", "p4", "p5"):
        card(august, key, dt.date(2026, 8, 1))
    return august


def test_the_regions_ranking_counts_the_months_new_inclusions(ranked: Any) -> None:
    august = dt.date(2026, 8, 1)
    rows = {row.name: row for row in rankings(actor=ranked.alice, month=august).regions}
    figures = figure_set(actor=ranked.alice, year=2026, as_of=AUG_31)["by_region"]
    assert {name: row.new_inclusions for name, row in rows.items()} == {
        "黄岛区": 1,
        "崂山区": 1,
        "市南区": 0,
    }
    # The figure set's count of the month's last day, region by region.
    codes = {"黄岛区": "370211", "崂山区": "370212", "市南区": "370202"}
    for name, row in rows.items():
        assert row.new_inclusions == figures[codes[name]]["in_statistics"]["new_in_period"]
    # Units and leaders carry none.
    leaders = rankings(actor=ranked.alice, month=august).leaders
    assert leaders and {row.new_inclusions for row in leaders} == {None}
    # A district's dispatcher: its own row only.
    only = rankings(actor=ranked.dora, month=august).regions
    assert [(row.name, row.new_inclusions) for row in only] == [("黄岛区", 1)]


def test_the_rankings_command_page_and_export_carry_it(client: Client, ranked: Any) -> None:
    out = StringIO()
    call_command("rankings", "--month", "2026-08", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert {row["name"]: row["new_inclusions"] for row in data["regions"]} == {
        "黄岛区": 1,
        "崂山区": 1,
        "市南区": 0,
    }
    assert all("new_inclusions" not in row for row in data["departments"] + data["leaders"])
    text = StringIO()
    call_command("rankings", "--month", "2026-08", stdout=text)
    assert text.getvalue().count("本月新入统 1 个") == 2
    client.login(username=ranked.alice.username, password=PASSWORD)
    html = client.get(RANKINGS, {"month": "2026-08"}).content.decode()
    assert html.count("本月新入统") == 1
    assert html.count('data-testid="new-inclusions">1<') == 2
    api = client.get("/api/v1/rankings", {"month": "2026-08"}).json()
    assert api["regions"] == data["regions"]
    response = client.get(RANKINGS, {"month": "2026-08", "export": "xlsx", "table": "regions"})
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][-1] == "本月新入统"
    assert {row[2]: row[-1] for row in rows[2:]} == {"黄岛区": 1, "崂山区": 1, "市南区": 0}


def test_every_new_inclusion_count_lists_exactly_its_projects(client: Client, august: Any) -> None:
    client.login(username=august.alice.username, password=PASSWORD)
    response = client.get(reverse("analytics:figures"), {"year": "2026", "as_of": "2026-08-31"})
    found = {href: count for href, count in links(response).items() if "new_in_statistics" in href}
    # The headline and one per row of the four breakdowns.
    assert len(found) > 10
    for href, count in found.items():
        assert len(listed(client, href)) == count, href
    headline = next(iter(found))  # the headline card comes first
    assert found[headline] == 2
    p2, p3 = august.projects["p2"].name, august.projects["p3"].name
    assert listed(client, headline) == sorted([p2, p3])


def test_without_a_date_the_last_closed_day_or_the_newest_plan_years_last_day(
    chased: Any,
) -> None:
    client = Client()
    # Early September: August's monthly period has ended, September's is in progress.
    with clock.frozen(dt.date(2026, 9, 3)):
        response = page(client, chased.alice)
    assert response.context["as_of"] == AUG_31
    assert response.context["table"].paginator.count == 3
    # In 2027 there is no plan of 2027 yet: the last day of 2026.
    with clock.frozen(dt.date(2027, 3, 1)):
        response = page(client, chased.alice)
    assert response.context["as_of"] == dt.date(2026, 12, 31)


def test_the_librarys_figure_filter_lists_the_same_entries(client: Client, chased: Any) -> None:
    client.login(username=chased.dora.username, password=PASSWORD)
    href = reverse("projects:list") + "?year=2026&as_of=2026-08-31&figure=not_in_statistics"
    chased_names = names(plans_not_in_statistics(chased.dora, AUG_31))
    assert (
        listed(client, href)
        == sorted(chased_names)
        == sorted([chased.projects["p2"].name, chased.projects["p6"].name])
    )
