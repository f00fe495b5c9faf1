"""A ledger of Chengdu's 2019 key projects whose rows add up to the published figures (seed 003).

The city published aggregates only; the rows here are made up so that every aggregate
matches exactly: 1105 projects, total investment 35834.65亿, annual plan 4606.99亿,
January–August 3568.05亿 (77.45%), 308 new starts of which 215 started (69.81%), 144
provincial projects with 1338.3亿 done and 27 of their 33 new starts started (81.82%), 110
reserve projects by stage 71/18/11/3/7, 47 completed with 437.76亿 total investment, and
107 expected to complete by the year end with 990.22亿.
"""

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

YEAR = 2019
AS_OF = date(2019, 8, 31)
CITY = "510100"
CENT = Decimal("0.01")

# 亿元 figures of the bulletin, in 万元.
TOTAL_INVESTMENT = Decimal("358346500.00")
ANNUAL_PLAN = Decimal("46069900.00")
YTD = Decimal("35680500.00")
PROVINCIAL_YTD = Decimal("13383000.00")
COMPLETED_TOTAL = Decimal("4377600.00")
EXPECTED_TOTAL = Decimal("9902200.00")
RESERVE_STAGES = {
    "签订投资协议": 71,
    "编制项目建议书及可研": 18,
    "办理立项用地规划许可": 11,
    "编报初步设计及施工图设计": 3,
    "施工前准备": 7,
}
HEADERS = [
    "序号",
    "项目名称",
    "所属区县",
    "项目级别",
    "建设性质",
    "储备阶段",
    "项目类别",
    "总投资(万元)",
    "年度计划投资(万元)",
    "本年累计完成投资(万元)",
    "计划开工时间",
    "实际开工时间",
    "计划竣工时间",
    "实际竣工时间",
    "项目单位",
]
WORKS = [
    "产业园",
    "快速路",
    "综合管廊",
    "学校",
    "医院",
    "污水处理厂",
    "物流中心",
    "湿地公园",
    "安置房",
    "轨道交通站点综合开发",
    "数据中心",
    "生产基地",
]
CATEGORIES = ["产业", "基础设施", "民生社会事业", "生态环保", "其他"]


@dataclass
class Row:
    group: str  # started_new, unstarted_new, continuing, completed, expected, reserve
    level: str
    nature: str
    stage: str = ""
    total: Decimal = Decimal(0)
    plan: Decimal = Decimal(0)
    ytd: Decimal = Decimal(0)
    dates: dict[str, date | None] = field(default_factory=dict)


def _spread(
    rng: random.Random, count: int, total: Decimal, low: float, high: float
) -> list[Decimal]:
    """`count` amounts with random weights in [low, high] that add up to `total` exactly."""
    weights = [rng.uniform(low, high) for _ in range(count)]
    scale = float(total) / sum(weights)
    amounts = [Decimal(str(round(w * scale, 2))) for w in weights]
    amounts[0] += total - sum(amounts)
    assert sum(amounts) == total and min(amounts) > 0
    return amounts


def rows(seed: int = 2019) -> list[Row]:
    rng = random.Random(seed)
    result: list[Row] = []

    def add(count: int, group: str, level: str, nature: str, stage: str = "") -> None:
        result.extend(Row(group, level, nature, stage) for _ in range(count))

    # Provincial: 33 new starts (27 started), 111 continuing.
    add(27, "started_new", "省重点", "新开工")
    add(6, "unstarted_new", "省重点", "新开工")
    add(111, "continuing", "省重点", "续建")
    # The rest: 275 new starts (188 started), 422 continuing, 47 completed and 107 expected
    # to complete (nature 竣工), and 110 reserve projects.
    add(188, "started_new", "市重点", "新开工")
    add(87, "unstarted_new", "区县重点", "新开工")
    add(422, "continuing", "市重点", "续建")
    add(47, "completed", "市重点", "竣工")
    add(107, "expected", "区县重点", "竣工")
    for stage, count in RESERVE_STAGES.items():
        add(count, "reserve", "区县重点", "储备", stage)
    assert len(result) == 1105

    # Total investment: the completed and expected groups add up to their published sums.
    completed = [r for r in result if r.group == "completed"]
    expected = [r for r in result if r.group == "expected"]
    others = [r for r in result if r.group not in {"completed", "expected"}]
    for group, total in (
        (completed, COMPLETED_TOTAL),
        (expected, EXPECTED_TOTAL),
        (others, TOTAL_INVESTMENT - COMPLETED_TOTAL - EXPECTED_TOTAL),
    ):
        for row, amount in zip(group, _spread(rng, len(group), total, 0.5, 1.5), strict=True):
            row.total = amount

    # Annual plan: reserve projects plan nothing; unstarted new starts plan 4,000,000 万元;
    # started projects carry the rest and complete 60–100% of it, so none is lagging.
    unstarted = [r for r in result if r.group == "unstarted_new"]
    started = [r for r in result if r.group not in {"unstarted_new", "reserve"}]
    for row, amount in zip(
        unstarted, _spread(rng, len(unstarted), Decimal("4000000.00"), 0.5, 1.5), strict=True
    ):
        row.plan = amount
    provincial = [r for r in started if r.level == "省重点"]
    municipal = [r for r in started if r.level != "省重点"]
    # Provincial projects are the large ones: 16,500,000 万元 of the plan.
    provincial_plan = Decimal("16500000.00")
    municipal_plan = ANNUAL_PLAN - Decimal("4000000.00") - provincial_plan
    for group, planned in ((provincial, provincial_plan), (municipal, municipal_plan)):
        for row, amount in zip(group, _spread(rng, len(group), planned, 0.5, 1.5), strict=True):
            row.plan = amount
    for group, target in ((provincial, PROVINCIAL_YTD), (municipal, YTD - PROVINCIAL_YTD)):
        planned = sum((r.plan for r in group), Decimal(0))
        ratio = target / planned
        assert Decimal("0.6") < ratio < Decimal("1.0"), ratio
        for row in group:
            row.ytd = (row.plan * ratio).quantize(CENT)
        group[0].ytd += target - sum(r.ytd for r in group)

    for row in result:
        month = rng.randint(1, 8)
        if row.group == "started_new":
            row.dates = {
                "计划开工时间": date(YEAR, month, 1),
                "实际开工时间": date(YEAR, month, rng.randint(1, 28)),
                "计划竣工时间": date(YEAR + rng.randint(1, 3), rng.randint(1, 12), 1),
            }
        elif row.group == "unstarted_new":
            row.dates = {
                "计划开工时间": date(YEAR, rng.randint(9, 12), 1),
                "计划竣工时间": date(YEAR + rng.randint(1, 3), rng.randint(1, 12), 1),
            }
        elif row.group == "continuing":
            row.dates = {
                "实际开工时间": date(rng.randint(2016, 2018), rng.randint(1, 12), 1),
                "计划竣工时间": date(YEAR + rng.randint(1, 3), rng.randint(1, 12), 1),
            }
        elif row.group == "completed":
            row.dates = {
                "实际开工时间": date(rng.randint(2016, 2018), rng.randint(1, 12), 1),
                "计划竣工时间": date(YEAR, month, 28),
                "实际竣工时间": date(YEAR, month, rng.randint(1, 28)),
            }
        elif row.group == "expected":
            row.dates = {
                "实际开工时间": date(rng.randint(2016, 2018), rng.randint(1, 12), 1),
                "计划竣工时间": date(YEAR, rng.randint(9, 12), 1),
            }
    return result


def write_ledger(path: Path, county_names: list[str], seed: int = 2019) -> Path:
    """The ledger as the city would keep it: one sheet, Chinese headers, one row per project."""
    rng = random.Random(seed + 1)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("2019年重点项目")
    sheet.append(HEADERS)
    for number, row in enumerate(rows(seed), start=1):
        county = county_names[number % len(county_names)]
        name = f"{county}{rng.choice(WORKS)}项目（{number:04d}）"
        sheet.append(
            [
                number,
                name,
                county,
                row.level,
                row.nature,
                row.stage,
                rng.choice(CATEGORIES),
                row.total,
                row.plan,
                row.ytd,
                row.dates.get("计划开工时间"),
                row.dates.get("实际开工时间"),
                row.dates.get("计划竣工时间"),
                row.dates.get("实际竣工时间"),
                f"成都{county}{number % 40:02d}建设投资有限公司",
            ]
        )
    workbook.save(path)
    return path
