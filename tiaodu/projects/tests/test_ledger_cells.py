"""Parsing the cells of the ledger: amounts, dates, vocabularies, lists, headers."""

import datetime as dt
from decimal import Decimal

import pytest

from tiaodu.projects.ledger import cells
from tiaodu.projects.ledger.columns import Kind, match_header


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1,234.5", "1234.50"),
        ("1，234.5", "1234.50"),
        ("1234.5万元", "1234.50"),
        ("1234.5 万", "1234.50"),
        ("12.3亿元", "123000.00"),
        ("0.00005亿", "0.50"),
        (1234.5, "1234.50"),
        (1234, "1234.00"),
        (0.125, "0.13"),  # half-up
        ("2.675", "2.68"),
        (" 88 ", "88.00"),
    ],
)
def test_amounts(value, expected):
    assert cells.parse_amount(value) == Decimal(expected)


@pytest.mark.parametrize("value", [None, "", "  "])
def test_a_blank_amount_is_none(value):
    assert cells.parse_amount(value) is None


@pytest.mark.parametrize("value", ["-1", -0.5, "约一亿", "1.2.3", "12美元", True, "1e5"])
def test_wrong_amounts(value):
    with pytest.raises(cells.CellError):
        cells.parse_amount(value)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2019-08-01", dt.date(2019, 8, 1)),
        ("2019/8/1", dt.date(2019, 8, 1)),
        ("2019.8.1", dt.date(2019, 8, 1)),
        ("2019年8月1日", dt.date(2019, 8, 1)),
        ("2019年8月", dt.date(2019, 8, 1)),
        ("2019.8", dt.date(2019, 8, 1)),
        ("2019-08", dt.date(2019, 8, 1)),
        (2019.8, dt.date(2019, 8, 1)),
        ("2019-08-01 00:00:00", dt.date(2019, 8, 1)),
        (dt.date(2019, 8, 1), dt.date(2019, 8, 1)),
        (dt.datetime(2019, 8, 1, 10, 30), dt.date(2019, 8, 1)),  # noqa: DTZ001 (Excel's naive datetimes)
    ],
)
def test_dates(value, expected):
    assert cells.parse_date(value) == expected


@pytest.mark.parametrize("value", ["2019-13-01", "2019-02-30", "八月", 2019, "2019年13月", 43678])
def test_wrong_dates(value):
    with pytest.raises(cells.CellError):
        cells.parse_date(value)


@pytest.mark.parametrize(
    "kind, value, expected",
    [
        (Kind.LEVEL, "省重点", "provincial"),
        (Kind.LEVEL, "市重点", "municipal"),
        (Kind.LEVEL, "区县重点", "county"),
        (Kind.LEVEL, "municipal", "municipal"),
        (Kind.NATURE, "新开工", "new_start"),
        (Kind.NATURE, "续建", "continuing"),
        (Kind.NATURE, "储备（前期）", "reserve"),
        (Kind.NATURE, "储备(前期)", "reserve"),
        (Kind.NATURE, "储备", "reserve"),
        (Kind.NATURE, "竣工", "completing"),
        (Kind.RESERVE_STAGE, "签订投资协议", "agreement_signed"),
        (Kind.RESERVE_STAGE, "5 施工前准备", "pre_construction"),
        (Kind.RESERVE_STAGE, "proposal_feasibility", "proposal_feasibility"),
        (Kind.CATEGORY, "民生社会事业", "social"),
        (Kind.CATEGORY, "产业", "industry"),
        (Kind.FUNDING_TYPE, "政府投资", "government"),
        (Kind.FUNDING_TYPE, "enterprise", "enterprise"),
    ],
)
def test_vocabularies(kind, value, expected):
    assert cells.parse_choice(kind, value) == expected


def test_an_unknown_label_lists_the_allowed_ones():
    with pytest.raises(cells.CellError) as caught:
        cells.parse_choice(Kind.LEVEL, "国家级")
    assert "省重点" in caught.value.fix


def test_lists_split_on_both_semicolons():
    assert cells.parse_lists("市百大；省百大;  抗疫特别国债 ;市百大") == [
        "市百大",
        "省百大",
        "抗疫特别国债",
    ]
    assert cells.parse_lists(None) == []


@pytest.mark.parametrize(
    "header, column",
    [
        ("总投资(万元)", "total_investment"),
        (" 总投资（万元） ", "total_investment"),
        ("总投资", "total_investment"),
        ("总投资万元", "total_investment"),
        ("年度投资计划（万元）", "planned_investment"),
        ("1-8月完成投资", "ytd_completed"),
        ("本年完成投资(万元)", "ytd_completed"),
        ("所在地", "region"),
        ("项目 名称", "name"),
        ("序号", "sequence"),
    ],
)
def test_headers(header, column):
    found = match_header(header)
    assert found is not None and found.id == column


def test_an_unknown_header_is_none():
    assert match_header("审批部门") is None


@pytest.mark.parametrize(
    ("number", "amount"),
    [
        (0.125, "0.13"),
        (1234.5, "1234.50"),
        (0.0, "0.00"),
        (-0.0, "-0.00"),
        (12345678.9, "12345678.90"),
    ],
)
def test_a_number_from_excel_reads_as_its_text_does(number, amount):
    assert cells.parse_amount(number) == cells.parse_amount(repr(number)) == Decimal(amount)


@pytest.mark.parametrize("number", [-1.5, 1e20, float("nan"), float("inf"), float("-inf")])
def test_a_wrong_number_from_excel_is_refused(number):
    with pytest.raises(cells.CellError):
        cells.parse_amount(number)
