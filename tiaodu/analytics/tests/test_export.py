"""The statistics page's workbook (`?export=xlsx`): opened with openpyxl, every figure is the
page's figure set's; the scope stands at the top; a bad parameter writes no file.

Alice, the city dispatcher, exports the city and 黄岛区 with the list 市重点项目 (p1–p3 are on
it; p1 and p2 are in 黄岛区), as of 2026-08-31.
"""

import datetime as dt
import re
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from tiaodu.analytics.figures import compute, resolve_scope
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.testing import PASSWORD, assert_nothing_written, download_name

PAGE = reverse("analytics:figures")
AS_OF = dt.date(2026, 8, 31)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CENT = Decimal("0.01")
BREAKDOWN_HEADINGS = [
    "项目数",
    "总投资(万元)",
    "年度计划投资(万元)",
    "本年累计完成投资(万元)",
    "完成率（%）",
    "新开工项目已开工",
    "新开工计划项目",
    "开工率（%）",
    "已入统",
    "已开工（应入统）",
    "本月新入统",
    "已竣工",
    "预计竣工",
    "储备（前期）",
    "应开未开",
    "应竣未竣",
    "滞后",
]
# The JSON form's path of each breakdown column after the name, in the order above.
BREAKDOWN_PATHS = [
    "projects",
    "total_investment",
    "annual_plan",
    "ytd_completed",
    "completion_rate",
    "new_start.started",
    "new_start.planned",
    "new_start.rate",
    "in_statistics.included",
    "in_statistics.due",
    "in_statistics.new_in_period",
    "completed.count",
    "expected_completion.count",
    "reserve.count",
    "should_start",
    "should_complete",
    "lagging",
]
MONEY_PATHS = {"total_investment", "annual_plan", "ytd_completed"}


def get(client: Any, user: Any, **params: str) -> Any:
    client.login(username=user.username, password=PASSWORD)
    return client.get(PAGE, {"year": "2026", "as_of": "2026-08-31", **params})


def figure(data: dict[str, Any], path: str) -> Any:
    for key in path.split("."):
        data = data[key]
    return data


def number(value: Any) -> Decimal | int | None:
    """A cell's number as the JSON form writes it: counts whole, amounts and rates two places."""
    if value is None or isinstance(value, int):
        return value
    return Decimal(str(value)).quantize(CENT)


def expected(value: Any) -> Decimal | int | None:
    return Decimal(value) if isinstance(value, str) else value


def rows(sheet: Worksheet, first: int) -> list[tuple[Any, ...]]:
    return list(sheet.iter_rows(min_row=first, values_only=True))


@pytest.mark.parametrize("region", ["city", "huangdao"])
def test_the_workbook_holds_the_page_figure_set(client: Any, stats: Any, region: str) -> None:
    unit = getattr(stats, region)
    response = get(
        client, stats.alice, region=str(unit.pk), key_list=str(stats.key_list.pk), export="xlsx"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        'attachment; filename="statistics-2026-2026-08-31.xlsx"; '
        "filename*=UTF-8''%E7%BB%9F%E8%AE%A1-2026-%E6%88%AA%E8%87%B32026-08-31.xlsx"
    )
    assert download_name(response) == "统计-2026-截至2026-08-31.xlsx"
    scope = resolve_scope(
        actor=stats.alice, year=2026, as_of=AS_OF, region=unit, key_list=stats.key_list
    )
    data = compute(actor=stats.alice, scope=scope).data
    assert data["projects"] == (3 if region == "city" else 2)
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == [
        "主要指标",
        "按项目级别",
        "按区县",
        "按项目类别",
        "按重点项目清单",
        *(["报送完整率"] if data["reporting"]["period"] else []),
        "问题台账",
    ]

    headline = book["主要指标"]
    assert headline.freeze_panes == "A9"
    assert [row[0] for row in rows(headline, 2)[:6]] == [
        "年度：2026",
        "截至：2026-08-31",
        f"所属区县：{unit.name}",
        "项目级别：全部",
        "重点项目清单：市重点项目",
        "金额单位：万元；比率单位：%。",
    ]
    assert rows(headline, 8)[0] == ("指标", "数值", "单位")
    values = {label: (value, unit_) for label, value, unit_ in rows(headline, 9)}
    for label, path, unit_ in [
        ("项目数", "projects", ""),
        ("总投资", "total_investment", "万元"),
        ("年度计划投资", "annual_plan", "万元"),
        ("本年累计完成投资", "ytd_completed", "万元"),
        ("投资完成率", "completion_rate", "%"),
        ("序时进度", "time_progress", "%"),
        ("滞后", "lagging", ""),
        ("新开工计划项目", "new_start.planned", ""),
        ("新开工项目已开工", "new_start.started", ""),
        ("开工率", "new_start.rate", "%"),
        ("应开未开", "should_start", ""),
        ("已入统", "in_statistics.included", ""),
        ("入统率", "in_statistics.rate", "%"),
        ("本月新入统", "in_statistics.new_in_period", ""),
        ("已竣工", "completed.count", ""),
        ("已竣工项目总投资", "completed.total_investment", "万元"),
        ("预计年内竣工", "expected_completion.count", ""),
        ("储备项目", "reserve.count", ""),
        ("专项债券资金支出率", "bond_funds.spent_rate", "%"),
        ("本年签发督办通知", "notices.issued", ""),
    ]:
        value, written_unit = values[label]
        assert number(value) == expected(figure(data, path)), label
        assert (written_unit or "") == unit_, label
    money = next(row for row in headline.iter_rows(min_row=9) if row[0].value == "总投资")
    assert money[1].number_format == "0.00"

    for sheet_name, key in [
        ("按项目级别", "by_level"),
        ("按区县", "by_region"),
        ("按项目类别", "by_category"),
        ("按重点项目清单", "by_list"),
    ]:
        sheet = book[sheet_name]
        assert sheet.freeze_panes == "A3"
        assert sheet["A1"].value.startswith(
            f"统计分析 · {sheet_name} · 年度：2026 · 截至：2026-08-31"
        )
        assert list(rows(sheet, 2)[0][1:]) == BREAKDOWN_HEADINGS
        written = {row[0]: row[1:] for row in rows(sheet, 3)}
        assert len(written) == len(data[key])
        for row in compute(actor=stats.alice, scope=scope).rows[key]:
            assert [number(value) for value in written[row.label]] == [
                expected(figure(data[key][row.key], path)) for path in BREAKDOWN_PATHS
            ], (sheet_name, row.label)
        for cells in sheet.iter_rows(min_row=3):
            for cell, path in zip(cells[1:], BREAKDOWN_PATHS, strict=True):
                if path in MONEY_PATHS or path.endswith("rate"):
                    assert cell.value is None or cell.number_format == "0.00", path

    problems = rows(book["问题台账"], 3)
    total = problems[0]
    assert total[0] == "合计"
    assert [number(value) for value in total[2:]] == [
        data["problems"]["open"],
        data["problems"]["overdue"],
        data["problems"]["resolved"],
        expected(data["problems"]["resolved_on_time_rate"]),
    ]
    by_category = {row[1]: row[2:5] for row in problems if row[0] == "按问题类别"}
    assert len(by_category) == len(data["problems"]["by_category"])
    assert sum(counts[0] for counts in by_category.values()) == data["problems"]["open"]

    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.actor == stats.alice
    assert event.object_repr.startswith(
        f"统计分析 · 年度：2026 · 截至：2026-08-31 · 所属区县：{unit.name}"
    )


def test_the_export_of_the_bare_page_is_its_default_scope(client: Any, stats: Any) -> None:
    client.login(username="dora", password=PASSWORD)
    response = client.get(PAGE, {"year": "2026", "as_of": "2026-08-31"})
    link = re.search(
        r'href="\?([^"]+)" class="btn" data-testid="export-xlsx"', response.content.decode()
    )
    assert link is not None
    assert link.group(1).replace("&amp;", "&") == "year=2026&as_of=2026-08-31&export=xlsx"
    book = load_workbook(
        BytesIO(client.get(f"{PAGE}?{link.group(1).replace('&amp;', '&')}").content)
    )
    values = {row[0]: row[1] for row in rows(book["主要指标"], 9)}
    assert values["项目数"] == response.context["figures"]["projects"] == 3
    assert rows(book["主要指标"], 4)[0][0] == f"所属区县：{stats.huangdao.name}"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"as_of": "2025-01-31"}, "未导出文件：请修改下方标出的内容后重新导出。"),
        ({"region": "999999"}, "未导出文件：请修改下方标出的内容后重新导出。"),
        ({"export": "pdf"}, "不支持的导出格式“pdf”：统计数据只能导出为 xlsx。"),
    ],
)
def test_a_bad_parameter_writes_no_file(
    client: Any, stats: Any, params: dict[str, str], message: str
) -> None:
    with assert_nothing_written(AuditEvent):
        response = get(client, stats.alice, **{"export": "xlsx", **params})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert f'data-testid="export-error">{message}</div>' in text
    assert 'data-testid="figure-filters"' in text


def test_the_tables_mark_their_priority_columns(client: Any, stats: Any) -> None:
    text = get(client, stats.alice).content.decode()
    table = text.split('data-testid="breakdown-2"', 1)[1].split("</thead>", 1)[0]
    headings = re.findall(r'<th class="([^"]*)">([^<]+)</th>', table)
    assert [name for classes, name in headings if "td-col-more" not in classes] == [
        "所属区县",
        "项目数",
        "年度计划",
        "本年累计完成投资",
        "完成率",
    ]
    assert len([name for classes, name in headings if "td-col-more" in classes]) == 11
    assert text.count('data-testid="columns-toggle"') == 4
    assert text.count('class="td-money td-col-more"') == 11 * sum(
        len(rows_) for _t, _c, rows_, _k in get(client, stats.alice).context["breakdowns"]
    )
    assert "tiaodu/figure-tables.js" in text
    assert 'data-testid="print"' in text
    assert 'data-testid="print-scope"' in text
