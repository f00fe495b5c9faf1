"""The card pages on the ledger-only site of test_compute, with May and June computed:
the board (counts with the change from May, by region, list and responsible unit), the
card list behind each count, their Excel files, computing a month from the board, the
project's 评价 tab and the home panel. Each persona sees only its scope; a filter naming
something out of scope finds nothing; a refused computation writes nothing.

June (r = ytd ÷ (plan × 6/12)), as test_compute spells it out:
  p1 黄岛港区集装箱码头三期  黄岛区 list  blue   100.0
  p2 黄岛区安置房建设项目    黄岛区 list  blue   100.0  (responsible: 市住建局)
  p3 崂山科创园一期          崂山区 list  red     33.3  (not started, 3 months late)
  p4 崂山区污水处理厂扩建    崂山区       yellow  78.6  (r = 0.7)
  p5 市南区老旧小区改造      市南区       red     85.7  (not in the statistics)
  p6 港湾物流园仓储中心      黄岛区       red     64.3  (r = 0.5)
May: p1 and p3 yellow, the other four red.
"""

import datetime as dt
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tiaodu.core import clock
from tiaodu.core.models import AuditEvent
from tiaodu.projects import services as project_services
from tiaodu.scoring import services
from tiaodu.scoring.models import Card, CardRun
from tiaodu.scoring.tests.test_compute import AFTER, JUNE, ledger
from tiaodu.testing import assert_nothing_written, download_name, who_passes

MAY = dt.date(2026, 5, 1)
BOARD = "/evaluation/cards/"
LIST = "/evaluation/cards/list/"
COMPUTE = "/evaluation/cards/compute/"


@pytest.fixture
def computed(world: Any) -> Any:
    ledger(world)
    with clock.frozen(AFTER):
        services.compute_cards(actor=world.alice, month=MAY, reason="五月评价")
        services.compute_cards(actor=world.alice, month=JUNE, reason="六月评价")
    return world


@pytest.fixture(autouse=True)
def _after_june() -> Any:
    with clock.frozen(AFTER):
        yield


def _get(client: Any, world: Any, who: str, url: str) -> Any:
    client.force_login(getattr(world, who))
    return client.get(url)


def _messages(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _names(response: Any) -> list[str]:
    return [card.project.name for card in response.context["page"]]


def test_the_board_is_for_dispatchers_and_leaders(client: Any, computed: Any) -> None:
    def opens(user: Any) -> bool:
        client.force_login(user)
        return client.get(BOARD).status_code == 200

    assert who_passes(computed, opens) == {"alice", "dora", "leo", "lena"}


def test_the_board_counts_the_latest_month_with_the_change_from_the_month_before(
    client: Any, computed: Any
) -> None:
    response = _get(client, computed, "alice", BOARD)
    assert response.context["month"] == JUNE
    assert [(t.colour, t.count, t.change) for t in response.context["tallies"]] == [
        ("blue", 2, 2),
        ("yellow", 1, -1),
        ("red", 3, -1),
    ]
    html = response.content.decode()
    assert "▲2" in html and "▼1" in html
    tables = {key: rows for key, _title, _first, rows in response.context["tables"]}
    assert [(row.name, row.counts) for row in tables["region"]] == [
        ("崂山区", {"blue": 0, "yellow": 1, "red": 1}),
        ("市南区", {"blue": 0, "yellow": 0, "red": 1}),
        ("黄岛区", {"blue": 2, "yellow": 0, "red": 1}),
    ]
    assert [(row.name, row.counts) for row in tables["list"]] == [
        ("市重点项目", {"blue": 2, "yellow": 0, "red": 1}),
    ]
    assert [(row.name, row.key, row.counts) for row in tables["unit"]] == [
        ("", "none", {"blue": 1, "yellow": 1, "red": 3}),
        ("青岛市住房和城乡建设局", str(computed.housing_bureau.pk), {"blue": 1, "yellow": 0, "red": 0}),
    ]  # fmt: skip
    # Each count links to its cards.
    huangdao = computed.huangdao.pk
    assert f'href="{LIST}?month=2026-06&amp;region={huangdao}&amp;colour=red"' in html
    # The site's dispatcher computes, with May's history under the form.
    assert 'data-testid="compute-form"' in html
    assert [run.reason for run in response.context["runs"]] == ["六月评价"]


def test_the_board_of_a_district_and_of_a_month_asked_for(client: Any, computed: Any) -> None:
    response = _get(client, computed, "dora", f"{BOARD}?month=2026-05")
    assert response.context["month"] == MAY
    assert [(t.colour, t.count, t.change) for t in response.context["tallies"]] == [
        ("blue", 0, None),
        ("yellow", 1, None),
        ("red", 2, None),
    ]
    tables = {key: rows for key, _title, _first, rows in response.context["tables"]}
    assert [row.name for row in tables["region"]] == ["黄岛区"]
    assert 'data-testid="compute-form"' not in response.content.decode()
    assert "runs" not in response.context  # another district's projects are in the history


def test_a_month_that_cannot_be_read_is_said_so(client: Any, computed: Any) -> None:
    response = _get(client, computed, "alice", f"{BOARD}?month=June")
    assert response.context["month"] == JUNE
    assert _messages(response) == ["月份请写成 YYYY-MM，例如 2026-11（收到的是“June”）。"]
    response = client.get(f"{BOARD}?month=2026-02")
    assert response.context["computed"] is False
    assert "2026-02 尚未计算评价" in response.content.decode()


def test_the_card_list_orders_red_first_then_by_score(client: Any, computed: Any) -> None:
    response = _get(client, computed, "alice", f"{LIST}?month=2026-06")
    assert _names(response) == [
        "崂山科创园一期",  # red 33.3
        "港湾物流园仓储中心",  # red 64.3
        "市南区老旧小区改造",  # red 85.7
        "崂山区污水处理厂扩建",  # yellow 78.6
        "黄岛区安置房建设项目",  # blue 100.0
        "黄岛港区集装箱码头三期",  # blue 100.0
    ]
    html = response.content.decode()
    p6 = computed.projects["p6"].pk
    assert f'href="/projects/{p6}/?tab=evaluation"' in html
    assert "投资完成率为序时进度的 50.0%，低于 60%。" in html
    assert "需再完成投资 1,800.00 万元" in html
    assert "红牌" in html and 'data-colour="red"' in html
    response = client.get(f"{LIST}?month=2026-06&colour=red&region={computed.huangdao.pk}")
    assert _names(response) == ["港湾物流园仓储中心"]
    response = client.get(f"{LIST}?month=2026-06&list={computed.key_list.pk}&colour=blue")
    assert _names(response) == ["黄岛区安置房建设项目", "黄岛港区集装箱码头三期"]
    response = client.get(f"{LIST}?month=2026-06&unit={computed.housing_bureau.pk}")
    assert _names(response) == ["黄岛区安置房建设项目"]
    response = client.get(f"{LIST}?month=2026-06&unit=none&colour=yellow")
    assert _names(response) == ["崂山区污水处理厂扩建"]


def test_the_card_list_shows_only_the_readers_scope(client: Any, computed: Any) -> None:
    seen = {
        who: _names(_get(client, computed, who, f"{LIST}?month=2026-06"))
        for who in ("dora", "leo", "lena")
    }
    assert seen == {
        "dora": ["港湾物流园仓储中心", "黄岛区安置房建设项目", "黄岛港区集装箱码头三期"],
        "leo": ["黄岛港区集装箱码头三期"],
        "lena": ["崂山科创园一期", "崂山区污水处理厂扩建"],
    }
    # A filter naming another district finds nothing.
    laoshan = f"{LIST}?month=2026-06&region={computed.laoshan.pk}"
    assert _names(_get(client, computed, "dora", laoshan)) == []
    for who in ("rita", "bob", "hank", "sam", "sysadmin", "auditor"):
        assert _get(client, computed, who, LIST).status_code == 404


def test_unreadable_filters_are_said_and_ignored(client: Any, computed: Any) -> None:
    response = _get(client, computed, "alice", f"{LIST}?month=2026-06&colour=purple&region=x")
    assert len(_names(response)) == 6
    assert _messages(response) == ["以下筛选条件无法识别，已忽略：颜色、所属区县。"]


def _workbook(response: Any) -> Any:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content))


def _rows(sheet: Any) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_board_as_a_workbook(client: Any, computed: Any) -> None:
    response = _get(client, computed, "alice", f"{BOARD}?month=2026-06&export=xlsx")
    assert download_name(response) == "评价看板-2026-06.xlsx"
    book = _workbook(response)
    assert book.sheetnames == ["数量", "按区县", "按重点项目清单", "按责任单位"]
    assert _rows(book["数量"]) == [
        ("颜色", "评价牌", "较上月变化"),
        ("蓝牌", 2, 2),
        ("黄牌", 1, -1),
        ("红牌", 3, -1),
    ]
    assert _rows(book["按区县"]) == [
        ("所属区县", "蓝牌", "黄牌", "红牌", "合计"),
        ("崂山区", 0, 1, 1, 2),
        ("市南区", 0, 0, 1, 1),
        ("黄岛区", 2, 0, 1, 3),
    ]
    assert _rows(book["按责任单位"])[1] == ("无责任单位", 1, 1, 3, 5)
    assert AuditEvent.objects.filter(action="export", message="2026-06").count() == 1
    # A district's workbook holds its own projects only.
    book = _workbook(_get(client, computed, "dora", f"{BOARD}?month=2026-06&export=xlsx"))
    assert _rows(book["按区县"])[1:] == [("黄岛区", 2, 0, 1, 3)]


def test_the_card_list_as_a_workbook(client: Any, computed: Any) -> None:
    url = f"{LIST}?month=2026-06&colour=red&export=xlsx"
    response = _get(client, computed, "alice", url)
    assert download_name(response) == "2026-06 评价结果.xlsx"
    # The audit log says what was exported in words, not as the query string.
    assert AuditEvent.objects.get(action="export").message == "2026-06；红牌"
    book = _workbook(response)
    rows = _rows(book.active)
    assert rows[0] == (
        "项目代码", "项目", "所属区县", "责任单位", "得分", "颜色", "计算颜色", "原因", "转为蓝牌需要",
    )  # fmt: skip
    assert [(row[1], row[2], row[4], row[5]) for row in rows[1:]] == [
        ("崂山科创园一期", "崂山区", 33.3, "红牌"),
        ("港湾物流园仓储中心", "黄岛区", 64.3, "红牌"),
        ("市南区老旧小区改造", "市南区", 85.7, "红牌"),
    ]
    assert rows[2][7] == "投资完成率为序时进度的 50.0%，低于 60%。"
    assert rows[2][8] == "需再完成投资 1,800.00 万元"
    book = _workbook(_get(client, computed, "lena", url))
    assert [row[1] for row in _rows(book.active)[1:]] == ["崂山科创园一期"]


def test_the_site_dispatcher_computes_a_month_from_the_board(client: Any, computed: Any) -> None:
    client.force_login(computed.alice)
    response = client.post(COMPUTE, {"month": "2026-06", "reason": "复核"})
    assert response.status_code == 302 and response["Location"] == f"{BOARD}?month=2026-06"
    assert _messages(response) == ["2026-06 评价已计算：共 6 张牌，新增 0，变化 0，移除 0。"]
    assert list(CardRun.objects.filter(month=JUNE).values_list("reason", flat=True)) == [
        "复核",
        "六月评价",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"month": "2026-07", "reason": "七月"}, "月份结束后才能计算该月评价。"),
        ({"month": "July", "reason": "七月"}, "月份请写成 YYYY-MM，例如 2026-11（收到的是“July”）。"),
        ({"month": "2026-06", "reason": ""}, "这个字段是必填项。"),
    ],
)  # fmt: skip
def test_a_computation_that_cannot_be_done_says_why_and_writes_nothing(
    client: Any, computed: Any, data: dict[str, str], message: str
) -> None:
    client.force_login(computed.alice)
    with assert_nothing_written(Card, CardRun, AuditEvent):
        response = client.post(COMPUTE, data)
    assert response.status_code == 302
    assert _messages(response) == [message]


@pytest.mark.parametrize("who", ["dora", "leo", "rita", "sysadmin"])
def test_only_the_site_dispatcher_computes(client: Any, computed: Any, who: str) -> None:
    client.force_login(getattr(computed, who))
    with assert_nothing_written(Card, CardRun, AuditEvent):
        assert client.post(COMPUTE, {"month": "2026-06", "reason": "重算"}).status_code == 404


def test_the_project_tab_shows_its_cards_month_by_month(client: Any, computed: Any) -> None:
    p6 = computed.projects["p6"]
    Card.objects.filter(project=p6, month=JUNE).update(revised_colour="yellow")
    response = _get(client, computed, "rita", f"/projects/{p6.pk}/?tab=evaluation")
    cards = response.context["cards"]
    assert [(card.month, card.final_colour, str(card.score)) for card in cards] == [
        (JUNE, "yellow", "64.3"),
        (MAY, "red", "28.6"),
    ]
    june = cards[0]
    assert [(row["label"], row["colour"]) for row in june.dimension_rows] == [
        ("投资", "red"),
        ("开工", "na"),
        ("入统时间", "na"),
        ("报送", "na"),
    ]
    html = response.content.decode()
    assert "评价" in html and 'data-testid="computed-colour"' in html  # the computed red beside
    assert "需再完成投资 1,800.00 万元" in html and "仅导入台账" in html
    # Another owner unit's reporter cannot open the project at all.
    assert _get(client, computed, "bob", f"/projects/{p6.pk}/?tab=evaluation").status_code == 404


def test_a_project_without_cards_says_so(client: Any, world: Any) -> None:
    response = _get(client, world, "rita", f"/projects/{world.projects['p1'].pk}/?tab=evaluation")
    assert response.context["cards"] == []
    assert "该项目尚无评价。" in response.content.decode()


def test_the_home_panel_lists_the_yellow_and_red_cards_with_what_to_do(
    client: Any, computed: Any
) -> None:
    def panel(who: str) -> list[str]:
        response = _get(client, computed, who, reverse("core:home"))
        found = [p for p in response.context["panels"] if p["template"].startswith("scoring/")]
        return [card.project.name for card in found[0]["cards"]] if found else []

    assert panel("rita") == ["港湾物流园仓储中心"]  # p1 is blue
    assert panel("bob") == ["崂山科创园一期"]
    assert panel("dora") == ["港湾物流园仓储中心"]
    assert panel("alice") == []  # the site's dispatcher has the board
    html = _get(client, computed, "rita", reverse("core:home")).content.decode()
    assert "最新月度评价" in html and "整改： 需再完成投资 1,800.00 万元" in html


def test_the_home_panel_shows_nothing_without_cards(client: Any, world: Any) -> None:
    html = _get(client, world, "rita", reverse("core:home")).content.decode()
    assert 'data-testid="home-cards"' not in html


def test_the_menu_item(client: Any, world: Any) -> None:
    def listed(user: Any) -> bool:
        client.force_login(user)
        items = client.get(reverse("core:home")).context["nav_items"]
        return any(item.url_name == "scoring:cards" for item in items)

    assert who_passes(world, listed) == {"alice", "dora", "leo", "lena"}


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_pages_cost_the_same_queries_whatever_the_number_of_cards(
    client: Any, computed: Any, settings: Any
) -> None:
    # Both reads compute (none shows the figures kept from before the change).
    settings.TIAODU_FIGURES_STALE_SECONDS = 0
    client.force_login(computed.alice)
    p6 = computed.projects["p6"].pk
    urls = [BOARD, f"{LIST}?month=2026-06", f"/projects/{p6}/?tab=evaluation", "/"]
    before = [_queries(client, url) for url in urls]
    for index in range(8):
        project_services.create_project(
            actor=computed.alice,
            name=f"批量项目{index}",
            region=computed.huangdao,
            owner_unit=computed.unit_a,
            responsible_unit=computed.housing_bureau,
            total_investment=Decimal(1000),
            plan={"year": 2026, "nature": "new_start", "level": "municipal",
                  "planned_investment": Decimal(100), "planned_start": dt.date(2026, 2, 1)},
            lists=[computed.key_list],
        )  # fmt: skip
    services.compute_cards(actor=computed.alice, month=JUNE, reason="新增项目")
    assert Card.objects.filter(month=JUNE).count() == 14
    assert [_queries(client, url) for url in urls] == before
