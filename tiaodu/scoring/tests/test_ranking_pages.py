"""The rankings and indicators pages: who opens them, what a dispatcher reads on them, the
Excel file of each table (opened with openpyxl), and the targets form (all or nothing)."""

import datetime as dt
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from tiaodu.core import clock
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.scoring.models import DistrictTarget
from tiaodu.scoring.tests.test_indicators import dates, set_targets
from tiaodu.scoring.tests.test_rankings import JUNE, MAY, card, june
from tiaodu.testing import PERSONAS, assert_nothing_written, download_name

RANKINGS = "/evaluation/rankings/"
INDICATORS = "/evaluation/indicators/"
TODAY = dt.date(2026, 7, 20)


def signed_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def sheet_rows(content: bytes) -> list[tuple[Any, ...]]:
    workbook = load_workbook(BytesIO(content))
    return [tuple(row) for row in workbook.active.iter_rows(values_only=True)]


def test_dispatchers_and_leaders_open_the_pages(world: Any, client: Client) -> None:
    june(world)
    opened = {}
    for name in PERSONAS:
        signed_in(client, world.users[name])
        opened[name] = (
            client.get(RANKINGS).status_code,
            client.get(INDICATORS).status_code,
        )
    assert {name for name, codes in opened.items() if codes == (200, 200)} == {
        "alice",
        "dora",
        "leo",
        "lena",
    }
    assert {codes for name, codes in opened.items() if name not in "alice dora leo lena"} == {
        (404, 404)
    }


def test_the_rankings_page_as_the_city_dispatcher(world: Any, client: Client) -> None:
    card(world, "p1", "blue", "85", month=MAY)
    card(world, "p3", "yellow", "60", month=MAY)
    june(world)
    page = signed_in(client, world.alice).get(RANKINGS, {"month": "2026-06"})
    html = page.content.decode()
    assert "2026-06 排名" in html
    assert "平均分相同时，红牌少的在前" in html  # the order, stated
    assert "有据比例" in html
    regions = page.context["tables"][0][2]
    assert [(row.rank, row.name, row.movement_text) for row in regions] == [
        (1, "崂山区", "↑1"),
        (2, "黄岛区", "↓1"),
        (3, "市南区", "新上榜"),
    ]
    assert 'data-row="黄岛区" data-rank="2"' in html
    assert 'data-evidenced="66.7"' in html  # 黄岛: 2 of 3 cards evidenced
    assert 'data-evidenced="0.0"' in html  # 崂山: none
    # The newest computed month is the default.
    assert signed_in(client, world.alice).get(RANKINGS).context["month"] == JUNE


def test_a_district_dispatcher_ranks_only_its_district(world: Any, client: Client) -> None:
    june(world)
    page = signed_in(client, world.dora).get(RANKINGS, {"month": "2026-06"})
    assert [row.name for row in page.context["tables"][0][2]] == ["黄岛区"]
    assert "崂山区" not in page.content.decode()


def test_a_bad_month_is_said_and_the_newest_is_shown(world: Any, client: Client) -> None:
    june(world)
    page = signed_in(client, world.alice).get(RANKINGS, {"month": "六月"})
    assert page.status_code == 200
    assert page.context["month"] == JUNE
    assert "YYYY-MM" in page.content.decode()


def test_an_empty_month(world: Any, client: Client) -> None:
    page = signed_in(client, world.alice).get(RANKINGS, {"month": "2026-03"})
    assert "您的权限范围内没有 2026-03 的评价牌。" in page.content.decode()


@pytest.mark.parametrize(
    ("table", "header", "first"),
    [
        ("regions", "区（市）", (1, "↑1", "崂山区", 2, 0, 2, 0, 70.0, 0.0, 0, 0, 1, 1, 0, 0)),
        (
            "departments",
            "责任单位",
            (1, "新上榜", "青岛市住房和城乡建设局", 1, 1, 0, 0, 70.0, 100.0, 0, 1, 0, 0, 0),
        ),
        ("leaders", "责任领导", (1, "—", "李利（副市长）", 1, 1, 0, 0, 90.0, 100.0, 1, 0, 0, 0, 0)),
    ],
)
def test_each_table_exports_to_excel(
    world: Any, client: Client, table: str, header: str, first: tuple[Any, ...]
) -> None:
    card(world, "p1", "blue", "85", month=MAY)
    card(world, "p3", "yellow", "60", month=MAY)
    june(world)
    response = signed_in(client, world.alice).get(
        RANKINGS, {"month": "2026-06", "export": "xlsx", "table": table}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert download_name(response) == f"2026-06 评价排名：{header}.xlsx"
    rows = sheet_rows(response.content)
    assert rows[0][0] == f"2026-06 评价排名：{header}"
    assert rows[1][:9] == (
        "排名",
        "升降",
        header,
        "评价牌",
        "蓝牌",
        "黄牌",
        "红牌",
        "平均得分",
        "有据比例（%）",
    )
    assert rows[1][9:14] == (
        "现场督查核实",
        "已审核报告（附照片）",
        "已审核报告（无照片）",
        "仅导入台账",
        "来源未记录",
    )
    # Only the regions carry the month's new inclusions in the statistics.
    assert rows[1][14:] == (("本月新入统",) if table == "regions" else ())
    assert rows[2] == first
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.actor == world.alice


def test_an_unknown_table_is_not_found(world: Any, client: Client) -> None:
    june(world)
    response = signed_in(client, world.alice).get(
        RANKINGS, {"month": "2026-06", "export": "xlsx", "table": "owners"}
    )
    assert response.status_code == 404


def test_the_indicators_page_and_its_export(world: Any, client: Client) -> None:
    dates(world)
    set_targets(world)
    page = signed_in(client, world.alice).get(INDICATORS, {"year": "2026", "month": "6"})
    html = page.content.decode()
    assert "2026 年各区（市）考核指标" in html
    assert "统计期间 2026-01-01 至 2026-06-30" in html
    assert 'data-district="黄岛区" data-rank="1"' in html
    assert "66.7%" in html
    assert 'data-testid="target-form"' in html
    response = client.get(INDICATORS, {"year": "2026", "month": "6", "export": "xlsx"})
    rows = sheet_rows(response.content)
    assert rows[0][0] == "考核指标 2026-01-01 至 2026-06-30"
    assert rows[1][:6] == (
        "排名",
        "升降",
        "区县",
        "新开工：目标",
        "新开工：完成",
        "新开工：完成率（%）",
    )
    assert rows[1][-1] == "综合完成率（%）"
    assert rows[2] == (1, "—", "黄岛区", 2, 1, 50.0, 4, 2, 50.0, 1, 1, 100.0, 66.7)
    # A district without targets: no rank, no attainment.
    assert rows[-1][0] is None and rows[-1][-1] is None


def test_the_district_dispatcher_reads_without_the_form(world: Any, client: Client) -> None:
    dates(world)
    set_targets(world)
    page = signed_in(client, world.dora).get(INDICATORS, {"year": "2026", "month": "6"})
    html = page.content.decode()
    assert [row.name for row in page.context["assessed"].rows] == ["黄岛区"]
    assert 'data-testid="target-form"' not in html
    with assert_nothing_written(DistrictTarget, AuditEvent):
        refused = client.post(
            INDICATORS, {"year": "2026", f"target-{world.huangdao.pk}-new_starts": "9"}
        )
    assert refused.status_code == 404


def test_the_site_dispatcher_saves_the_targets(world: Any, client: Client) -> None:
    huangdao, laoshan = world.huangdao.pk, world.laoshan.pk
    with clock.frozen(TODAY):
        response = signed_in(client, world.alice).post(
            INDICATORS,
            {
                "year": "2026",
                "month": "6",
                f"target-{huangdao}-new_starts": "3",
                f"target-{huangdao}-inclusions": "2",
                f"target-{huangdao}-completions": "1",
                f"target-{laoshan}-new_starts": "1",
                f"target-{laoshan}-inclusions": "0",
                f"target-{laoshan}-completions": "0",
            },
            follow=True,
        )
    assert "已保存 2 个区（市）2026 年的目标。" in response.content.decode()
    saved = {
        target.region.name: (target.new_starts, target.inclusions, target.completions)
        for target in DistrictTarget.objects.filter(year=2026)
    }
    assert saved == {"黄岛区": (3, 2, 1), "崂山区": (1, 0, 0)}
    # The form shows the saved targets; sent again as they are, it changes nothing.
    with clock.frozen(TODAY), assert_nothing_written(DistrictTarget, AuditEvent):
        again = client.post(
            INDICATORS,
            {
                "year": "2026",
                f"target-{huangdao}-new_starts": "3",
                f"target-{huangdao}-inclusions": "2",
                f"target-{huangdao}-completions": "1",
            },
            follow=True,
        )
    assert "没有修改。" in again.content.decode()


def test_one_bad_figure_saves_nothing(world: Any, client: Client) -> None:
    huangdao, laoshan = world.huangdao.pk, world.laoshan.pk
    with assert_nothing_written(DistrictTarget, AuditEvent):
        response = signed_in(client, world.alice).post(
            INDICATORS,
            {
                "year": "2026",
                "month": "6",
                f"target-{huangdao}-new_starts": "3",
                f"target-{huangdao}-inclusions": "2",
                f"target-{huangdao}-completions": "1",
                f"target-{laoshan}-new_starts": "三",
                f"target-{laoshan}-inclusions": "0",
                f"target-{laoshan}-completions": "0",
            },
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert "未保存任何内容：请更正下方标出的目标。" in html
    assert "新开工：请填写项目个数（0 或正整数）。" in html
    # What was typed stays in the form.
    assert f'name="target-{laoshan}-new_starts" value="三" class="form-control is-invalid"' in html
    assert html.count("is-invalid") == 1  # only the wrong figure is marked


def test_a_bad_year_or_month_is_said_and_this_year_is_shown(world: Any, client: Client) -> None:
    with clock.frozen(TODAY):
        page = signed_in(client, world.alice).get(INDICATORS, {"year": "二〇二六", "month": "13"})
    html = page.content.decode()
    assert (page.context["year"], page.context["month"]) == (2026, 7)
    assert "年度请填写四位数字，例如 2026。" in html
    assert "月份请填写 1 至 12 的数字。" in html
    with clock.frozen(TODAY):
        earlier = client.get(INDICATORS, {"year": "2019"})
    # A past year is read to its end, and can be chosen again.
    assert (earlier.context["year"], earlier.context["month"]) == (2019, 12)
    assert '<option value="2019" selected>' in earlier.content.decode()


def test_a_leader_of_assigned_projects_is_told_why_no_district_shows(
    world: Any, client: Client
) -> None:
    dates(world)
    set_targets(world)
    page = signed_in(client, world.leo).get(INDICATORS, {"year": "2026", "month": "6"})
    html = page.content.decode()
    assert "考核指标按区（市）统计，您的权限范围不包含完整的区（市）。" in html
    assert 'data-testid="indicator-table"' not in html
    assert "黄岛区" not in html
